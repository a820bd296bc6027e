"""The rhythm report: one self-contained HTML file (no external requests, images embedded).

Every user-supplied string (file names, labels) is escaped. The plain-language summary
describes movement; it never diagnoses, and says so (:mod:`.report_text`).
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pandas as pd

from lumbopelvic.outputs.figures import plot_angles, plot_pelvis_vs_lumbar, plot_share_curves
from lumbopelvic.outputs.html_page import html_page, html_table, image
from lumbopelvic.outputs.report_text import plain_summary, quality_rows
from lumbopelvic.outputs.style import figure_png_base64


def report_figures(
    angles: pd.DataFrame, rows: pd.DataFrame, summary: dict[str, Any], curves: dict[str, np.ndarray]
) -> dict[str, Any]:
    """The report's plots as figures (shared by the HTML and the PDF).

    ``"time"`` (angles over time), ``"angle_angle"`` (pelvis vs lumbar; only with
    repetitions) and ``"curves"`` (lumbar share over each phase).
    """
    figures = {"time": plot_angles(angles).figure}
    if len(rows):
        figures["angle_angle"] = plot_pelvis_vs_lumbar(angles, rows).figure
    phases = tuple(summary.get("phases", {})) or ("flexion", "return")
    figures["curves"] = plot_share_curves(curves, phases[:2]).figure
    return figures


def directional_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of the going and returning phases (not the hold)."""
    return rows[rows["phase"].isin(rows["phase"].unique()[[0, 2]])] if len(rows) else rows


def _bin_label(column: str) -> str:
    """``lumbar_contribution_30_60_pct`` -> ``30-60°``; the overall share -> ``at deepest``."""
    middle = column.removeprefix("lumbar_contribution").removesuffix("_pct").strip("_")
    return f"{middle.replace('_', '-')}°" if middle else "at deepest point"


def render_report(
    angles: pd.DataFrame,
    rows: pd.DataFrame,
    summary: dict[str, Any],
    curves: dict[str, np.ndarray],
    title: str,
) -> str:
    """The report as one HTML string (images embedded as data URIs)."""
    plots = {
        name: figure_png_base64(fig)
        for name, fig in report_figures(angles, rows, summary, curves).items()
    }
    quality = summary.get("quality", {})
    quality_table = pd.DataFrame(quality_rows(quality), columns=["capture quality", "value"])
    directional = directional_rows(rows)
    bins = [c for c in rows.columns if c.startswith("lumbar_contribution_") and c.endswith("_pct")]
    bin_labels = {column: _bin_label(column) for column in bins}
    timing = ["rep", "phase", "duration_s", "peak_trunk_velocity_deg_s", "pelvis_lag_ms",
              "marp_deg"]  # fmt: skip
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
    return html_page(title, [
        f"<h1>Lumbopelvic rhythm: {html.escape(title)}</h1>",
        "<h2>Capture quality</h2>",
        html_table(quality_table),
        *(f"<p class='advice'>{html.escape(a)}</p>" for a in quality.get("advice", [])),
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
        image(plots["time"], "angles over time"),
        *([image(plots["angle_angle"], "pelvis vs lumbar")] if "angle_angle" in plots else []),
        image(plots["curves"], "lumbar share curves"),
        "<h2>Lumbar contribution by 30° of trunk flexion (%)</h2>",
        html_table(directional[["rep", "phase", *bins]].rename(columns=bin_labels))
        if len(rows)
        else "<p>-</p>",
        "<h2>Timing and coordination</h2>",
        html_table(directional[timing]) if len(rows) else "<p>-</p>",
        "<p>Pelvis lag: milliseconds, positive when the pelvis starts later than the lower back "
        "(low confidence, see notes).</p>",
        "<h2>Variability across repetitions</h2>",
        html_table(pd.DataFrame(variability, columns=["phase", "metric", "mean", "SD", "CV %"])),
        "<h2>Provenance</h2>",
        html_table(provenance_rows),
    ])  # fmt: skip
