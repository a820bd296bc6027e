"""The rhythm report: one self-contained HTML file (no external requests, images embedded).

Every user-supplied string (file names, labels) is escaped. The plain-language summary
describes movement; it never diagnoses, and says so.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lumbopelvic.annotate import LUMBAR_RGB, PELVIS_RGB

PELVIS = tuple(c / 255 for c in PELVIS_RGB)
LUMBAR = tuple(c / 255 for c in LUMBAR_RGB)


def _figure_png(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def _figures(
    angles: pd.DataFrame, rows: pd.DataFrame, curves: dict[str, np.ndarray]
) -> dict[str, Any]:
    """The report's plots as matplotlib figures (shared by the HTML and the PDF)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = angles["time_s"].to_numpy(float)
    fig, ax = plt.subplots(figsize=(8, 3))
    ax.plot(t, angles["trunk_deg"], color="0.2", label="trunk")
    ax.plot(t, angles["pelvis_deg"], color=PELVIS, label="pelvis")
    ax.plot(t, angles["lumbar_deg"], color=LUMBAR, label="lumbar")
    low = angles["low_confidence"].to_numpy(bool)
    if low.any():
        ax.fill_between(t, 0, 1, where=low, transform=ax.get_xaxis_transform(), color="0.85",
                        label="low confidence")  # fmt: skip
    ax.set_xlabel("time (s)")
    ax.set_ylabel("flexion from standing (deg)")
    ax.legend(frameon=False, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.22))
    ax.grid(alpha=0.3)
    figures = {"time": fig}

    fig, ax = plt.subplots(figsize=(4, 4))
    for rep, group in rows.groupby("rep"):
        start, end = group["start_s"].min(), group["end_s"].max()
        sel = (t >= start) & (t <= end)
        ax.plot(angles.loc[sel, "pelvis_deg"], angles.loc[sel, "lumbar_deg"], label=f"rep {rep}")
    ax.set_xlabel("pelvis (deg)")
    ax.set_ylabel("lumbar (deg)")
    ax.set_title("pelvis vs lumbar, per repetition")
    ax.grid(alpha=0.3)
    if len(rows):
        ax.legend(frameon=False)
    if len(rows):
        figures["angle_angle"] = fig
    else:  # nothing to draw without a repetition
        plt.close(fig)

    fig, ax = plt.subplots(figsize=(5, 3.2))
    x = np.linspace(0, 100, 101)
    for key, style in (("share_flexion", "-"), ("share_return", "--")):
        for curve in curves.get(key, []):
            ax.plot(x, curve, style, color=LUMBAR, alpha=0.7)
    ax.axhspan(45.8, 51.3, color="0.85", label="Laird 2016 means (45.8-51.3 %)")
    ax.set_xlabel("% of phase (solid: flexion, dashed: return)")
    ax.set_ylabel("lumbar share of trunk (%)")
    ax.set_ylim(0, 100)
    ax.legend(frameon=False, fontsize=8)
    ax.grid(alpha=0.3)
    figures["curves"] = fig
    return figures


def _plots(
    angles: pd.DataFrame, rows: pd.DataFrame, curves: dict[str, np.ndarray]
) -> dict[str, str]:
    return {name: _figure_png(fig) for name, fig in _figures(angles, rows, curves).items()}


def _table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def quality_rows(quality: dict[str, Any]) -> list[tuple[str, str]]:
    """Capture-quality lines shown first in the HTML and the PDF report."""
    return [
        ("view angle off a true side view", _degrees(quality.get("yaw_deg"))),
        ("camera roll / lean while standing", _degrees(quality.get("roll_deg"))),
        ("whole body in frame", f"{100 * quality.get('in_frame_fraction', 0):.0f} % of frames"),
        (
            "median confidence of the pelvis/lumbar split",
            f"{quality.get('median_confidence', 0):.2f}",
        ),
    ]


def _degrees(value: float | None) -> str:
    if value is None or not np.isfinite(value):
        return "-"
    return f"{round(float(value))}°"


def _bin_label(column: str) -> str:
    """``lumbar_contribution_30_60_pct`` -> ``30-60°``; the overall share -> ``at deepest``."""
    middle = column.removeprefix("lumbar_contribution").removesuffix("_pct").strip("_")
    return f"{middle.replace('_', '-')}°" if middle else "at deepest point"


def _cell(value: object) -> str:
    if isinstance(value, float | np.floating):
        return "-" if not np.isfinite(value) else f"{value:.1f}"
    return str(value)


def plain_summary(summary: dict[str, Any]) -> list[str]:
    """Sentences a practitioner can read aloud (movement only, never a diagnosis)."""
    reps = summary["repetitions"]
    if not reps["found"]:
        return [f"No {summary['task']} was found in this recording."]
    flexion = next(iter(summary["phases"].values()))
    share = flexion["lumbar_contribution_pct"]["mean"]
    trunk = flexion["peak_trunk_deg"]["mean"]
    pelvis = flexion["peak_pelvis_deg"]["mean"]
    lumbar = flexion["peak_lumbar_deg"]["mean"]
    sentences = [f"{reps['found']} repetition(s) were analysed ({reps['complete']} complete)."]
    if None not in (trunk, pelvis, lumbar):
        sentences.append(
            f"At the deepest point the trunk bent about {trunk:.0f}° forward: about "
            f"{pelvis:.0f}° came from the pelvis tilting and {lumbar:.0f}° from the lower back "
            "rounding."
        )
    if share is not None:
        side = (
            "the lower back" if share > 55 else "the pelvis" if share < 45 else "both about equally"
        )
        sentences.append(
            f"The lower back provided about {share:.0f} % of the bend, so the movement was shared "
            f"toward {side}; studies of people without back pain report averages near 50 %."
            if side != "both about equally"
            else f"The lower back provided about {share:.0f} % of the bend: pelvis and lower back "
            "shared the movement about equally."
        )
    sd = flexion["lumbar_contribution_pct"]["sd"]
    if sd is not None:
        sentences.append(
            f"From one repetition to the next the share varied by about {sd:.0f} percentage points."
        )
    accuracy = summary["measurement_accuracy"]["lumbar_contribution_error_pp"]
    sentences.append(
        "This describes how the movement was performed; it is not a diagnosis. Measurement "
        f"accuracy: lumbar share about ±{accuracy:.0f} percentage points."
    )
    return sentences


def render_report(
    angles: pd.DataFrame,
    rows: pd.DataFrame,
    summary: dict[str, Any],
    curves: dict[str, np.ndarray],
    title: str,
) -> str:
    """The report as one HTML string (images embedded as data URIs)."""
    plots = _plots(angles, rows, curves)
    quality = summary.get("quality", {})
    advice = quality.get("advice", [])
    quality_table = pd.DataFrame(quality_rows(quality), columns=["capture quality", "value"])
    directional = rows[rows["phase"].isin(rows["phase"].unique()[[0, 2]])] if len(rows) else rows
    bins = [c for c in rows.columns if c.startswith("lumbar_contribution_") and c.endswith("_pct")]
    timing = [
        "rep",
        "phase",
        "duration_s",
        "peak_trunk_velocity_deg_s",
        "pelvis_lag_ms",
        "marp_deg",
    ]
    variability = [
        (phase, metric, v["mean"], v["sd"], v["cv_pct"])
        for phase, metrics in summary["phases"].items()
        for metric, v in metrics.items()
        if metric in ("peak_trunk_deg", "peak_pelvis_deg", "peak_lumbar_deg",
                      "lumbar_contribution_pct", "pelvis_lag_ms")
    ]  # fmt: skip
    provenance = summary.get("provenance", {})
    provenance_rows = pd.DataFrame(
        [
            ("package version", provenance.get("package_version", "")),
            ("input", provenance.get("input", {}).get("name", "")),
            ("input SHA-256", provenance.get("input", {}).get("sha256", "")),
            ("pose model", provenance.get("pose_model", {}).get("name", "")),
        ],
        columns=["item", "value"],
    )
    style = (
        "body{font-family:sans-serif;max-width:900px;margin:2em auto;color:#222}"
        "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;"
        "font-size:13px}th{background:#f3f3f3}.advice{background:#fff4e0;padding:.5em 1em}"
        f".pelvis{{color:rgb{PELVIS_RGB}}}.lumbar{{color:rgb{LUMBAR_RGB}}}img{{max-width:100%}}"
    )
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title><style>{style}</style></head><body>",
        f"<h1>Lumbopelvic rhythm: {html.escape(title)}</h1>",
        "<h2>Capture quality</h2>",
        _table(quality_table),
        *(f"<p class='advice'>{html.escape(a)}</p>" for a in advice),
        "<h2>Summary</h2>",
        *(f"<p>{html.escape(s)}</p>" for s in plain_summary(summary)),
        *(
            f"<p><em>Note: {html.escape(f)}</em></p>"
            for f in summary.get("flags", [])
            if f != summary["repetitions"]["message"]
        ),
        "<h2>Angles over time</h2>",
        "<p><span class='pelvis'>pelvis</span> and <span class='lumbar'>lumbar</span> flexion "
        "(degrees from standing); trunk = pelvis + lumbar.</p>",
        f"<img alt='angles over time' src='data:image/png;base64,{plots['time']}'>",
        *(
            [f"<img alt='pelvis vs lumbar' src='data:image/png;base64,{plots['angle_angle']}'>"]
            if "angle_angle" in plots
            else []
        ),
        f"<img alt='lumbar share curves' src='data:image/png;base64,{plots['curves']}'>",
        "<h2>Lumbar contribution by 30° of trunk flexion (%)</h2>",
        _table(directional[["rep", "phase", *bins]].rename(columns=_bin_label))
        if len(rows)
        else "<p>-</p>",
        "<h2>Timing and coordination</h2>",
        _table(directional[timing]) if len(rows) else "<p>-</p>",
        "<p>Pelvis lag: milliseconds, positive when the pelvis starts later than the lower back "
        "(low confidence, see notes).</p>",
        "<h2>Variability across repetitions</h2>",
        _table(pd.DataFrame(variability, columns=["phase", "metric", "mean", "SD", "CV %"])),
        "<h2>Provenance</h2>",
        _table(provenance_rows),
        "</body></html>",
    ]
    return "\n".join(parts)


def write_pdf(
    angles: pd.DataFrame,
    rows: pd.DataFrame,
    summary: dict[str, Any],
    curves: dict[str, np.ndarray],
    title: str,
    path: str | Path,
) -> None:
    """The report's content as a PDF: text page, the plots, then the tables."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    quality = summary.get("quality", {})
    lines = [
        f"Lumbopelvic rhythm: {title}",
        "",
        "Capture quality",
        *(f"  {label}: {value}" for label, value in quality_rows(quality)),
        *(f"  advice: {a}" for a in quality.get("advice", [])),
        "",
        "Summary",
        *(f"  {s}" for s in plain_summary(summary)),
        *(f"  note: {f}" for f in summary.get("flags", [])),
    ]
    directional = rows[rows["phase"].isin(rows["phase"].unique()[[0, 2]])] if len(rows) else rows
    tables = (
        directional.drop(columns=["complete", "start_s", "end_s"], errors="ignore").T.to_string(
            float_format=lambda v: f"{v:.1f}"
        )
        if len(rows)
        else "no repetition"
    )
    with PdfPages(path) as pdf:
        pdf.savefig(_text_page("\n".join(_wrap(lines))))
        for fig in _figures(angles, rows, curves).values():
            pdf.savefig(fig, bbox_inches="tight")
            plt.close(fig)
        pdf.savefig(_text_page(tables, size=6))
    plt.close("all")


def _wrap(lines: list[str], width: int = 95) -> list[str]:
    import textwrap

    return [part for line in lines for part in (textwrap.wrap(line, width) or [""])]


def _text_page(text: str, size: float = 9) -> Any:
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(8.27, 11.69))
    fig.text(0.06, 0.96, text, va="top", ha="left", family="monospace", fontsize=size)
    return fig
