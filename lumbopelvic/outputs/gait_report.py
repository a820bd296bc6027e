"""The walking report: one page for the screen and for print, like the rhythm report.

``templates/gait.html.j2`` makes ``report.html`` for ``analyze --task walk`` with the rhythm
report's style sheet, header, page rules and video viewer (:mod:`lumbopelvic.outputs.report`):
on screen, ``annotated.mp4`` plays above the walking angles with a cursor that follows it;
printed (:mod:`lumbopelvic.outputs.pdf_print`), the player is hidden and the static plots
stand in its place. The page is self-contained, as the rhythm report is.

What the camera's view cannot show is said so, and a measure of low confidence
(:func:`lumbopelvic.gait.analysis.confidence`) is greyed with the reason beside it: it is
never shown as a confident number. The page describes how the person walked; it never
diagnoses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lumbopelvic.core.curves import empty_curves
from lumbopelvic.core.provenance import now_utc
from lumbopelvic.core.summaries import Spread
from lumbopelvic.core.verdict import Verdict
from lumbopelvic.core.wording import plural
from lumbopelvic.gait.analysis import GaitResult
from lumbopelvic.gait.confidence import view_measures
from lumbopelvic.gait.summary import GaitSummary
from lumbopelvic.io.layout import ANNOTATED_VIDEO
from lumbopelvic.outputs.gait_figures import CurvePanel, plot_step_times, plot_stride_curves
from lumbopelvic.outputs.gait_words import (
    NOT_FROM_VIEW,
    SERIES_WORDS,
    STEP_EXPLAINED,
    STRIDE_WORDS,
    VIEW_WORDS,
    capital,
    confidence_rows,
    coordination,
    group_of,
    is_low,
    is_measured,
    low_notes,
    sentence,
    verdict_lines,
    view_text,
)
from lumbopelvic.outputs.report import (
    TEMPLATES,
    ReportDetails,
    colour_hex,
    date_words,
    page_css,
    page_rules,
    template_environment,
)
from lumbopelvic.outputs.report_tables import provenance_table
from lumbopelvic.outputs.report_words import MISSING, VERDICT_WORDS, Table, number
from lumbopelvic.outputs.style import PELVIS_RGB, TRUNK_RGB, figure_png_base64

VIEWER_SERIES = {
    "side": ("trunk_lean_deg",),
    "front": ("pelvic_obliquity_deg", "trunk_lateral_deg"),
    "back": ("pelvic_obliquity_deg", "trunk_lateral_deg"),
}


@dataclass
class MarkedTable(Table):
    """A :class:`~lumbopelvic.outputs.report_words.Table` whose columns ``low`` (indices)
    hold low-confidence values, greyed on the page."""

    low: list[int] = field(default_factory=list)


def _spread_row(label: str, spread: Spread, decimals: int, unit: str) -> list[str]:
    return [
        label,
        number(spread.mean, decimals),
        number(spread.sd, decimals),
        number(spread.cv_pct, 1),
        plural(spread.n, unit) if spread.n else MISSING,
    ]


def steps_table(summary: GaitSummary) -> Table:
    """Cadence, step and stride time, step length and speed, with their spread."""
    steps = summary.steps
    side = summary.view.label == "side"
    length, speed = steps.step_length_bh, steps.speed_bh_per_s
    body = [
        [
            "Cadence (steps per minute)",
            number(steps.cadence_steps_per_min),
            MISSING,
            MISSING,
            plural(steps.steps, "step"),
        ],
        _spread_row("Step time (s)", steps.step_time_s, 2, "step"),
        _spread_row("Stride time (s)", steps.stride_time_s, 2, "stride"),
        _spread_row("Step length (body heights)", length, 2, "step")
        if side and length.mean is not None
        else ["Step length (body heights)", NOT_FROM_VIEW, MISSING, MISSING, MISSING],
        [
            "Walking speed (body heights per second)",
            number(speed, 2) if side and speed is not None else NOT_FROM_VIEW,
            MISSING,
            MISSING,
            MISSING,
        ],
    ]
    headers = ["Measure", "Average", "Spread (SD)", "Spread (% of average)", "Counted"]
    return Table(headers, body, STEP_EXPLAINED)


def stride_measures(result: GaitResult) -> list[str]:
    """The per-stride measures this view shows that have a value in some stride."""
    view = view_measures(result.summary.view.label)
    strides = result.strides
    return [
        m
        for m in STRIDE_WORDS
        if m in view
        and is_measured(result.summary, STRIDE_WORDS[m][1])
        and m in strides
        and strides[m].notna().any()
    ]


def stride_table(result: GaitResult) -> MarkedTable:
    """One line per stride (stride, bout, foot, start, time, the measures shown), then the
    average and the spread (SD) over the strides; low-confidence columns marked."""
    measures = stride_measures(result)
    spreads = result.summary.strides
    words = {m: STRIDE_WORDS[m] for m in measures}
    body = [
        [
            str(row["stride"]),
            str(row["bout"]),
            str(row["foot"]),
            number(row["start_s"], 1),
            number(row["stride_time_s"], 2),
            *(number(row[m] * w[3], w[2]) for m, w in words.items()),
        ]
        for _, row in result.strides.iterrows()
    ]
    for label, key in (("Average", "mean"), ("Spread (SD)", "sd")):
        values = [
            number(_scaled(getattr(spreads.get(m, Spread()), key), w[3]), w[2])
            for m, w in words.items()
        ]
        stride = number(getattr(spreads.get("stride_time_s", Spread()), key), 2)
        body.append([label, "", "", "", stride, *values])
    headers = [
        "Stride",
        "Bout",
        "Foot",
        "Starts at (s)",
        "Stride time (s)",
        *(w[0] for w in words.values()),
    ]
    low = [5 + k for k, w in enumerate(words.values()) if is_low(result.summary, w[1])]
    explained = [
        (
            "Foot",
            "the foot whose heel strikes start and end the stride, as the pose model "
            "names it (from the side it can mix up the far leg).",
        ),
        ("Bout", "a run of walking without a stop, turn or missed step."),
        *((w[0], w[4]) for w in words.values()),
    ]
    return MarkedTable(headers, body, explained, low)


def _scaled(value: float | None, scale: float) -> float | None:
    return None if value is None else value * scale


def curve_panels(result: GaitResult) -> list[CurvePanel]:
    """The series this view shows with values in some stride, as plot panels."""
    view = view_measures(result.summary.view.label)
    panels = []
    for column, (title, unit, measure, scale) in SERIES_WORDS.items():
        curves = result.curves.get(column, empty_curves())
        group = group_of(column)
        if measure in view and is_measured(result.summary, group) and np.isfinite(curves).any():
            low = is_low(result.summary, group)
            panels.append(CurvePanel(column, title, unit, scale, low))
    return panels


def gait_viewer_data(result: GaitResult) -> dict[str, Any]:
    """The viewer's plot data (:mod:`lumbopelvic.outputs.viewer_data`'s layout): the view's
    walking angles, drawn only while walking, and each step between its heel strikes."""
    series_table = result.series
    walking = series_table["walking"].to_numpy(bool)
    series = []
    for column in VIEWER_SERIES[result.summary.view.label]:
        values = np.where(walking, series_table[column].to_numpy(float), np.nan)
        if not np.isfinite(values).any():
            continue
        label = SERIES_WORDS[column][0]
        if is_low(result.summary, group_of(column)):
            label += " (low confidence)"
        rgb = PELVIS_RGB if column.startswith("pelvi") else TRUNK_RGB
        series.append(
            {
                "name": column,
                "label": label,
                "colour": colour_hex(rgb),
                "values": [round(float(v), 1) if np.isfinite(v) else None for v in values],
            }
        )
    steps = [
        [round(float(s.start_s), 3), round(float(s.end_s), 3), str(s.step)]
        for s in result.steps.itertuples()
    ]
    times = [round(float(t), 3) for t in series_table["time_s"]]
    return {"t": times, "series": series, "low": [], "reps": steps}


def gait_provenance(summary: GaitSummary, report_date: str, video_name: str) -> Table:
    """The rhythm report's provenance lines, less the pelvis/lower-back model (unused here);
    the recording named ``video_name`` where the landmark table does not name it."""
    table = provenance_table(summary, report_date)
    table.rows = [
        [label, video_name if label == "Recording" and value == MISSING else value]
        for label, value in table.rows
        if label != "Pelvis/lower-back model"
    ]
    return table


def render_gait_report(result: GaitResult, video_name: str, details: ReportDetails) -> str:
    """The walking report as one HTML string (images, styles, script and data inside it).

    Parameters
    ----------
    result
        The walking analysis (:func:`lumbopelvic.gait.analysis.analyse_gait`).
    video_name
        The recording's file name, as the page names it.
    details
        Client, notes, date and key frames.
    """
    from markupsafe import Markup

    summary = result.summary
    analysed_on = date_words(details.analysed_at or now_utc())
    verdict = summary.verdict.value
    analysable = summary.verdict == Verdict.ANALYSABLE
    plots, panels = {}, curve_panels(result) if analysable else []
    if analysable and len(result.steps):
        plots["steps"] = figure_png_base64(plot_step_times(result.steps).figure)
    if panels:
        feet = result.strides["foot"].astype(str).tolist()
        plots["curves"] = figure_png_base64(plot_stride_curves(result.curves, feet, panels))
    return (
        template_environment()
        .get_template("gait.html.j2")
        .render(
            title=video_name,
            client=details.client,
            notes=details.notes,
            report_date=analysed_on,
            view_words=VIEW_WORDS[summary.view.label],
            verdict=verdict,
            analysable=analysable,
            verdict_words="Walking measured" if analysable else VERDICT_WORDS[verdict],
            verdict_lines=verdict_lines(summary) if analysable else [],
            verdict_reasons=[sentence(r) for r in summary.assessment.reasons],
            verdict_advice=[sentence(a) for a in summary.assessment.advice],
            flags=[sentence(f) for f in summary.flags],
            view_text=view_text(summary),
            confidence=confidence_rows(summary),
            steps_table=steps_table(summary),
            plots=plots,
            curve_notes=low_notes(summary, {group_of(p.column) for p in panels}),
            stride_table=stride_table(result) if analysable and len(result.strides) else None,
            stride_notes=low_notes(summary, {STRIDE_WORDS[m][1] for m in stride_measures(result)}),
            coordination=coordination(summary),
            references=Table(
                ["Measure", "Published value", "Source"],
                [[capital(b["measure"]), b["value"], b["source"]] for b in summary.reference_bands],
            ),
            accuracy=list(summary.measurement_accuracy.items()),
            provenance=gait_provenance(summary, analysed_on, video_name),
            video_name=ANNOTATED_VIDEO,
            viewer_data=gait_viewer_data(result) if analysable else {},
            key_frames=details.key_frames,
            css=Markup(page_css()),
            page_rules=Markup(page_rules(details.client, analysed_on, heading="Walking")),
            script=Markup((TEMPLATES / "viewer.js").read_text(encoding="utf-8")),
        )
    )
