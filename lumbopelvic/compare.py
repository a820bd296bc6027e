"""Pre/post comparison: each metric's change beside the minimal detectable change (MDC).

A change smaller than the MDC is within measurement noise and is reported as such. MDC90
values from Laird et al. 2016: 8-15 percentage points for the lumbar contribution and
5-15 degrees for ranges of motion; below the lower bound a change is "within measurement
noise", from the upper bound on it is "larger than measurement noise", and in between it is
"at the edge of measurement noise".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lumbopelvic.errors import LumbopelvicError

MDC = {
    "peak_trunk_deg": (5.0, 15.0),
    "peak_pelvis_deg": (5.0, 15.0),
    "peak_lumbar_deg": (5.0, 15.0),
    "lumbar_contribution_pct": (8.0, 15.0),
}
MDC_SOURCE = "Laird et al. 2016, MDC90 (range of motion 5-15°, lumbar contribution 8-15 pp)"
LABELS = ("within measurement noise", "at the edge of measurement noise",
          "larger than measurement noise")  # fmt: skip


def load_summary(folder: Path) -> dict[str, Any]:
    """``summary.json`` of an ``analyze`` output folder."""
    path = folder / "summary.json"
    if not path.is_file():
        raise LumbopelvicError(f"{folder} is not an analyze output folder (no summary.json)")
    return json.loads(path.read_text(encoding="utf-8"))


def change_label(change: float, low: float, high: float) -> str:
    """Plain label of a change against an MDC range."""
    size = abs(change)
    return LABELS[0] if size < low else LABELS[2] if size >= high else LABELS[1]


def compare_summaries(before: dict[str, Any], after: dict[str, Any]) -> pd.DataFrame:
    """One row per metric (flexion phase means): before, after, change, MDC and label."""
    rows = []
    for metric, (low, high) in MDC.items():
        b = _flexion_mean(before, metric)
        a = _flexion_mean(after, metric)
        change = a - b if b is not None and a is not None else np.nan
        unit = "pp" if metric.endswith("_pct") else "deg"
        rows.append({
            "metric": metric, "before": b, "after": a, "change": change,
            "mdc_low": low, "mdc_high": high, "unit": unit,
            "label": change_label(change, low, high) if np.isfinite(change) else "not measured",
        })  # fmt: skip
    return pd.DataFrame(rows)


def _flexion_mean(summary: dict[str, Any], metric: str) -> float | None:
    phases = summary.get("phases", {})
    if not phases:
        return None
    going = next(iter(phases.values()))
    return going.get(metric, {}).get("mean")


def side_by_side(before_video: Path, after_video: Path, out_path: Path, height: int = 720) -> Path:
    """Both annotated videos next to each other, in time; the shorter holds its last frame."""
    import cv2

    from lumbopelvic.video import VideoWriter, iter_frames, probe_video

    def scaled(rgb: np.ndarray) -> np.ndarray:
        h, w = rgb.shape[:2]
        return cv2.resize(rgb, (round(w * height / h) // 2 * 2, height))

    a_frames = [(f.time_s, scaled(f.rgb)) for f in iter_frames(before_video)]
    b_frames = [(f.time_s, scaled(f.rgb)) for f in iter_frames(after_video)]
    times = sorted({t for t, _ in a_frames} | {t for t, _ in b_frames})
    width = a_frames[0][1].shape[1] + b_frames[0][1].shape[1]
    fps = max(probe_video(before_video).nominal_fps, probe_video(after_video).nominal_fps)

    def at(frames: list[tuple[float, np.ndarray]], t: float) -> np.ndarray:
        index = np.searchsorted([ft for ft, _ in frames], t, side="right") - 1
        return frames[max(0, min(index, len(frames) - 1))][1]

    with VideoWriter(out_path, width, height, fps) as writer:
        for t in times:
            writer.write(np.hstack([at(a_frames, t), at(b_frames, t)]), t)
    return out_path


def compare_report(
    table: pd.DataFrame, before: pd.DataFrame, after: pd.DataFrame, names: tuple[str, str]
) -> str:
    """Self-contained HTML: the change table and overlaid angle curves."""
    import html

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from lumbopelvic.report import LUMBAR, PELVIS, _figure_png, _table

    fig, ax = plt.subplots(figsize=(8, 3))
    for angles, style, name in ((before, "-", names[0]), (after, "--", names[1])):
        ax.plot(
            angles["time_s"], angles["pelvis_deg"], style, color=PELVIS, label=f"pelvis, {name}"
        )
        ax.plot(
            angles["time_s"], angles["lumbar_deg"], style, color=LUMBAR, label=f"lumbar, {name}"
        )
    ax.set_xlabel("time (s)")
    ax.set_ylabel("flexion from standing (deg)")
    ax.legend(frameon=False, fontsize=8, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.22))
    ax.grid(alpha=0.3)
    image = _figure_png(fig)
    shown = table.assign(
        change=table["change"].map(lambda v: f"{v:+.1f}" if np.isfinite(v) else "-"),
        mdc=table["mdc_low"].map("{:.0f}".format) + "-" + table["mdc_high"].map("{:.0f}".format),
    )[["metric", "before", "after", "change", "unit", "mdc", "label"]]
    title = f"{names[0]} vs {names[1]}"
    return "\n".join([
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title><style>body{{font-family:sans-serif;max-width:900px;"
        "margin:2em auto}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:3px 8px}img{max-width:100%}</style></head><body>",
        f"<h1>Pre/post comparison: {html.escape(title)}</h1>",
        "<p>Each change is set against the minimal detectable change (MDC): a change smaller "
        "than it cannot be told apart from measurement noise. It describes movement; it is not "
        "a diagnosis.</p>",
        _table(shown),
        f"<p><small>MDC: {html.escape(MDC_SOURCE)}. Flexion-phase means over complete "
        "repetitions.</small></p>",
        f"<img alt='overlaid angles' src='data:image/png;base64,{image}'>",
        "</body></html>",
    ])  # fmt: skip
