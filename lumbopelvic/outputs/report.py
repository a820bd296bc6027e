"""The rhythm report: one self-contained HTML file (no external requests, images embedded).

Every user-supplied string (file names, labels) is escaped. The plain-language summary
describes movement; it never diagnoses, and says so (:mod:`.report_text`).
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pandas as pd

from lumbopelvic.kinematics.sticker_angles import sticker_vs_markerless
from lumbopelvic.outputs.figures import plot_angles, plot_pelvis_vs_lumbar, plot_share_curves
from lumbopelvic.outputs.html_page import html_page, html_table, image
from lumbopelvic.outputs.report_text import plain_summary, quality_rows
from lumbopelvic.outputs.style import figure_png_base64
from lumbopelvic.rhythm.timing import TIMING_KEYS


def report_figures(
    angles: pd.DataFrame, rows: pd.DataFrame, summary: dict[str, Any], curves: dict[str, np.ndarray]
) -> dict[str, Any]:
    """The report's plots as figures (shared by the HTML and the PDF).

    ``"time"`` (angles over time), ``"angle_angle"`` (pelvis vs lumbar; only with
    repetitions) and ``"curves"`` (lumbar share over each phase). A trial that is not
    ``analysable`` (:mod:`lumbopelvic.rhythm.verdict`) gets the trunk over time only.
    """
    if not shows_split(summary):
        return {"time": plot_angles(angles, split=False).figure}
    figures = {"time": plot_angles(angles).figure}
    if len(rows):
        figures["angle_angle"] = plot_pelvis_vs_lumbar(angles, rows).figure
    phases = tuple(summary.get("phases", {})) or ("flexion", "return")
    figures["curves"] = plot_share_curves(curves, phases[:2]).figure
    return figures


def _by_measure(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per measure and one column per repetition and phase (a wide table read down)."""
    table = rows.set_index(["rep", "phase"]).T
    table.columns = [f"rep {rep} {phase}" for rep, phase in table.columns]
    return table.rename_axis("measure").reset_index()


def shows_split(summary: dict[str, Any]) -> bool:
    """Whether pelvis and lumbar figures belong in the report (an analysable trial)."""
    return summary.get("verdict", "analysable") == "analysable"


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
    timing = ["rep", "phase", "duration_s", "peak_trunk_velocity_deg_s", "marp_deg"]
    technical = ["rep", "phase", "pelvis_onset_s", "lumbar_onset_s", "pelvis_lag_ms",
                 *TIMING_KEYS, "mean_confidence", "low_confidence"]  # fmt: skip
    variability = [
        (phase, metric, v["mean"], v["sd"], v["cv_pct"])
        for phase, metrics in summary["phases"].items()
        for metric, v in metrics.items()
        if metric in ("peak_trunk_deg", "peak_pelvis_deg", "peak_lumbar_deg",
                      "lumbar_contribution_pct")
        and (shows_split(summary) or metric == "peak_trunk_deg")
    ]  # fmt: skip
    verdict = summary.get("verdict", "analysable")
    both_splits = sticker_vs_markerless(angles)
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
        f"<h2 class='verdict {verdict}'>Verdict: {html.escape(verdict)}</h2>",
        *(f"<p>{html.escape(r)}</p>" for r in summary.get("verdict_reasons", [])),
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
        "(degrees from standing); trunk = pelvis + lumbar.</p>"
        if shows_split(summary)
        else "<p>Trunk flexion (degrees from standing); pelvis and lumbar are not shown: "
        "see the verdict.</p>",
        image(plots["time"], "angles over time"),
        *([image(plots["angle_angle"], "pelvis vs lumbar")] if "angle_angle" in plots else []),
        *([image(plots["curves"], "lumbar share curves")] if "curves" in plots else []),
        *(
            [
                "<h2>Lumbar contribution by 30° of trunk flexion (%)</h2>",
                html_table(directional[["rep", "phase", *bins]].rename(columns=bin_labels)),
            ]
            if len(rows) and shows_split(summary)
            else []
        ),
        *(["<h2>Timing and coordination</h2>", html_table(directional[timing])]
          if len(rows) else []),
        *(
            [
                "<h2>Stickers and the markerless split on the same frames</h2>",
                "<p>Peak flexion (degrees from standing) measured at the skin stickers and by "
                "the markerless split, and how far apart the two are over the frames the "
                "stickers measured.</p>",
                html_table(both_splits),
            ]
            if len(both_splits)
            else []
        ),
        *(
            [
                "<h2>Variability across repetitions</h2>",
                html_table(pd.DataFrame(variability,
                                        columns=["phase", "metric", "mean", "SD", "CV %"])),
                "<h2>Technical: not validated</h2>",
                "<p>Onsets and pelvis lag (milliseconds, positive when the pelvis starts later "
                "than the lower back) are not yet measured well enough to read as findings: "
                "their error on rendered bends exceeds the differences that matter between "
                "groups.</p>",
                html_table(_by_measure(directional[technical])),
            ]
            if len(rows)
            else []
        ),
        "<h2>Provenance</h2>",
        html_table(provenance_rows),
    ])  # fmt: skip
