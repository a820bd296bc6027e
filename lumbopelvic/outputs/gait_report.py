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

from lumbopelvic.core.provenance import now_utc
from lumbopelvic.core.wording import plural
from lumbopelvic.gait.analysis import GaitResult, view_measures
from lumbopelvic.io.layout import ANNOTATED_VIDEO
from lumbopelvic.outputs.gait_figures import CurvePanel, plot_step_times, plot_stride_curves
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

NOT_FROM_VIEW = "not measured from this view"
# Group of measures (``summary["confidence"]``) -> (its name, what it holds).
GROUP_WORDS = {
    "steps": ("steps and their timing",
              "cadence, step and stride time, step length, walking speed"),
    "pelvic_drop": ("pelvic drop", "how far the hip line tilts from side to side"),
    "trunk_side_lean": ("trunk side lean", "how far the trunk leans from side to side"),
    "weight_shift": ("weight shift", "the hips' side-to-side shift and its smoothness"),
    "turning": ("the turning of the pelvis and thorax",
                "pelvis and thorax turning, and their coordination"),
    "trunk_forward_lean": ("the trunk's forward lean", "its average and range in each stride"),
    "pelvic_tilt": ("pelvic tilt", "the pelvis tilting forward and back"),
}  # fmt: skip
VIEW_WORDS = {"side": "from the side", "front": "from the front", "back": "from behind"}
# Per-stride measure -> (header, group, decimals, scale to the shown unit, explanation).
STRIDE_WORDS: dict[str, tuple[str, str, int, float, str]] = {
    "trunk_lean_mean_deg": ("Trunk forward lean, average (°)", "trunk_forward_lean", 1, 1.0,
                            "lean of the hip-to-shoulder line from upright, forward positive."),
    "trunk_lean_range_deg": ("Trunk forward lean, range (°)", "trunk_forward_lean", 1, 1.0,
                             "how far the forward lean changed within the stride."),
    "pelvic_obliquity_range_deg": ("Pelvic drop, range (°)", "pelvic_drop", 1, 1.0,
                                   "how far the hip line tilted from side to side."),
    "trunk_lateral_range_deg": ("Trunk side lean, range (°)", "trunk_side_lean", 1, 1.0,
                                "how far the trunk leaned from side to side."),
    "lateral_shift_bh": ("Side-to-side shift (% of height)", "weight_shift", 1, 100.0,
                         "how far the hips moved sideways over the feet, as a share of the "
                         "person's height."),
    "sway_smoothness_fraction": ("Sway smoothness (0-1)", "weight_shift", 2, 1.0,
                        "share of the side-to-side motion that is one smooth sway to each "
                        "foot: near 1 smooth, lower uneven or jerky."),
    "pelvis_rotation_range_deg": ("Pelvis turning, range (°)", "turning", 1, 1.0,
                                  "how far the pelvis turned about the vertical."),
    "thorax_rotation_range_deg": ("Thorax turning, range (°)", "turning", 1, 1.0,
                                  "how far the chest turned about the vertical."),
    "relative_phase_deg": ("Pelvis-thorax relative phase (°)", "turning", 0, 1.0,
                           "0° the pelvis and thorax turn together, 180° in opposite "
                           "directions."),
}  # fmt: skip
# Series column -> (title, axis label, the per-stride measure that says whether the view
# shows it, scale to the axis unit).
SERIES_WORDS: dict[str, tuple[str, str, str, float]] = {
    "trunk_lean_deg": ("Trunk forward lean", "degrees (forward +)", "trunk_lean_mean_deg", 1.0),
    "pelvic_obliquity_deg": ("Pelvic drop", "degrees (left hip up +)",
                             "pelvic_obliquity_range_deg", 1.0),
    "trunk_lateral_deg": ("Trunk side lean", "degrees (to the left +)",
                          "trunk_lateral_range_deg", 1.0),
    "lateral_shift_bh": ("Side-to-side shift", "% of height (to the left +)",
                         "lateral_shift_bh", 100.0),
    "pelvis_rotation_deg": ("Pelvis turning", "degrees (left side forward +)",
                            "pelvis_rotation_range_deg", 1.0),
    "thorax_rotation_deg": ("Thorax turning", "degrees (left side forward +)",
                            "thorax_rotation_range_deg", 1.0),
}  # fmt: skip
VIEWER_SERIES = {"side": ("trunk_lean_deg",),
                 "front": ("pelvic_obliquity_deg", "trunk_lateral_deg"),
                 "back": ("pelvic_obliquity_deg", "trunk_lateral_deg")}  # fmt: skip
STEP_EXPLAINED = [
    ("Cadence", "steps per minute."),
    ("Step time", "from one heel strike to the next, of either foot."),
    ("Stride time", "from a heel strike to the next of the same foot (two steps)."),
    ("Spread (% of average)", "the standard deviation as a percentage of the average "
     "(coefficient of variation): lower means more regular steps."),
    ("Body heights", "lengths divided by the person's height, so no camera calibration is "
     "needed: 0.40 body heights is 68 cm for someone 1.70 m tall."),
]  # fmt: skip


@dataclass
class MarkedTable(Table):
    """A :class:`~lumbopelvic.outputs.report_words.Table` whose columns ``low`` (indices)
    hold low-confidence values, greyed on the page."""

    low: list[int] = field(default_factory=list)


def group_of(column: str) -> str:
    """The confidence group (``summary["confidence"]``) of a series column."""
    return STRIDE_WORDS[SERIES_WORDS[column][2]][1]


def is_low(summary: dict[str, Any], group: str) -> bool:
    """Whether the measures of ``group`` are of low confidence."""
    return summary["confidence"].get(group, {}).get("level") == "low"


def is_measured(summary: dict[str, Any], group: str) -> bool:
    """Whether this view shows the measures of ``group`` at all."""
    if group == "steps":
        return True
    level = summary["confidence"].get(group, {}).get("level")
    view = view_measures(summary["view"]["label"])
    shown = [m for m in view if m in STRIDE_WORDS]
    return level != "not-measured" and any(STRIDE_WORDS[m][1] == group for m in shown)


def confidence_rows(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """One line per group of measures: measured from this view or not, how well, why."""
    rows = []
    for group, (name, holds) in GROUP_WORDS.items():
        found = summary["confidence"].get(group, {})
        measured = is_measured(summary, group)
        level = (
            f"measured, {found.get('level', MISSING)} confidence" if measured else "not measured"
        )
        rows.append({"what": f"{_capital(name)}: {holds}", "name": name,
                     "measured": measured, "level": level, "why": found.get("why", ""),
                     "low": not measured or is_low(summary, group)})  # fmt: skip
    return rows


def _spread_row(label: str, spread: dict[str, Any], decimals: int, unit: str) -> list[str]:
    n = spread.get("n", 0)
    return [label, number(spread.get("mean"), decimals), number(spread.get("sd"), decimals),
            number(spread.get("cv_pct"), 1), plural(n, unit) if n else MISSING]  # fmt: skip


def steps_table(summary: dict[str, Any]) -> Table:
    """Cadence, step and stride time, step length and speed, with their spread."""
    steps = summary["steps"]
    side = summary["view"]["label"] == "side"
    length, speed = steps["step_length_bh"], steps["speed_bh_per_s"]
    body = [
        ["Cadence (steps per minute)", number(steps["cadence_steps_per_min"]), MISSING,
         MISSING, plural(steps["steps"], "step")],
        _spread_row("Step time (s)", steps["step_time_s"], 2, "step"),
        _spread_row("Stride time (s)", steps["stride_time_s"], 2, "stride"),
        _spread_row("Step length (body heights)", length, 2, "step")
        if side and length.get("mean") is not None
        else ["Step length (body heights)", NOT_FROM_VIEW, MISSING, MISSING, MISSING],
        ["Walking speed (body heights per second)",
         number(speed, 2) if side and speed is not None else NOT_FROM_VIEW, MISSING, MISSING,
         MISSING],
    ]  # fmt: skip
    headers = ["Measure", "Average", "Spread (SD)", "Spread (% of average)", "Counted"]
    return Table(headers, body, STEP_EXPLAINED)


def stride_measures(result: GaitResult) -> list[str]:
    """The per-stride measures this view shows that have a value in some stride."""
    view = view_measures(result.summary["view"]["label"])
    strides = result.strides
    return [m for m in STRIDE_WORDS
            if m in view and is_measured(result.summary, STRIDE_WORDS[m][1])
            and m in strides and strides[m].notna().any()]  # fmt: skip


def stride_table(result: GaitResult) -> MarkedTable:
    """One line per stride (stride, bout, foot, start, time, the measures shown), then the
    average and the spread (SD) over the strides; low-confidence columns marked."""
    measures = stride_measures(result)
    spreads = result.summary["strides"]
    words = {m: STRIDE_WORDS[m] for m in measures}
    body = [
        [str(row["stride"]), str(row["bout"]), str(row["foot"]), number(row["start_s"], 1),
         number(row["stride_time_s"], 2),
         *(number(row[m] * w[3], w[2]) for m, w in words.items())]
        for _, row in result.strides.iterrows()
    ]  # fmt: skip
    for label, key in (("Average", "mean"), ("Spread (SD)", "sd")):
        values = [number(_scaled(spreads.get(m, {}).get(key), w[3]), w[2])
                  for m, w in words.items()]  # fmt: skip
        stride = number(spreads.get("stride_time_s", {}).get(key), 2)
        body.append([label, "", "", "", stride, *values])
    headers = ["Stride", "Bout", "Foot", "Starts at (s)", "Stride time (s)",
               *(w[0] for w in words.values())]  # fmt: skip
    low = [5 + k for k, w in enumerate(words.values()) if is_low(result.summary, w[1])]
    explained = [
        ("Foot", "the foot whose heel strikes start and end the stride, as the pose model "
         "names it (from the side it can mix up the far leg)."),
        ("Bout", "a run of walking without a stop, turn or missed step."),
        *((w[0], w[4]) for w in words.values()),
    ]  # fmt: skip
    return MarkedTable(headers, body, explained, low)


def _scaled(value: float | None, scale: float) -> float | None:
    return None if value is None else value * scale


def curve_panels(result: GaitResult) -> list[CurvePanel]:
    """The series this view shows with values in some stride, as plot panels."""
    view = view_measures(result.summary["view"]["label"])
    panels = []
    for column, (title, unit, measure, scale) in SERIES_WORDS.items():
        curves = result.curves.get(column, np.empty((0, 101)))
        group = group_of(column)
        if measure in view and is_measured(result.summary, group) and np.isfinite(curves).any():
            low = is_low(result.summary, group)
            panels.append(CurvePanel(column, title, unit, scale, low))
    return panels


def coordination(summary: dict[str, Any]) -> dict[str, Any]:
    """Relative phase and deviation phase in words, with their confidence."""
    found = summary["coordination"]
    phase, deviation = found["relative_phase_deg"], found["deviation_phase_deg"]
    if phase is None:
        because = ("the turning could not be followed over enough strides"
                   if is_measured(summary, "turning")
                   else summary["confidence"]["turning"]["why"])  # fmt: skip
        return {"measured": False, "missing": f"Not measured from this recording: {because}."}
    low = is_low(summary, "turning")
    if low:
        # A low-confidence phase is shown as a number only: reading it as "together" or
        # "opposite" would be a finding the measurement cannot support.
        lines = [f"Relative phase: {number(phase)}° on average over the strides. This "
                 "recording cannot tell whether the pelvis and thorax turned together or in "
                 "opposite directions."]  # fmt: skip
    else:
        reading = ("mostly turned together (closer to in phase)" if phase < 60 else
                   "mostly turned in opposite directions (closer to anti-phase)" if phase > 120
                   else "turned between together and in opposite directions")  # fmt: skip
        lines = [f"Relative phase: {number(phase)}° on average over the strides: the pelvis "
                 f"and thorax {reading}."]  # fmt: skip
    if deviation is not None:
        lines.append(f"Deviation phase: {number(deviation)}°, how much that timing changed "
                     "from one stride to the next (higher: more variable).")  # fmt: skip
    return {"measured": True, "lines": lines, "low": low,
            "why": _stop(summary["confidence"]["turning"]["why"])}  # fmt: skip


def gait_viewer_data(result: GaitResult) -> dict[str, Any]:
    """The viewer's plot data (:mod:`lumbopelvic.outputs.viewer_data`'s layout): the view's
    walking angles, drawn only while walking, and each step between its heel strikes."""
    series_table = result.series
    walking = series_table["walking"].to_numpy(bool)
    series = []
    for column in VIEWER_SERIES[result.summary["view"]["label"]]:
        values = np.where(walking, series_table[column].to_numpy(float), np.nan)
        if not np.isfinite(values).any():
            continue
        label = SERIES_WORDS[column][0]
        if is_low(result.summary, group_of(column)):
            label += " (low confidence)"
        rgb = PELVIS_RGB if column.startswith("pelvi") else TRUNK_RGB
        series.append({"name": column, "label": label, "colour": colour_hex(rgb),
                       "values": [round(float(v), 1) if np.isfinite(v) else None
                                  for v in values]})  # fmt: skip
    steps = [[round(float(s.start_s), 3), round(float(s.end_s), 3), str(s.step)]
             for s in result.steps.itertuples()]  # fmt: skip
    times = [round(float(t), 3) for t in series_table["time_s"]]
    return {"t": times, "series": series, "low": [], "reps": steps}


def verdict_lines(summary: dict[str, Any]) -> list[str]:
    """What was found: steps, strides, bouts and the view; cadence and stride regularity."""
    steps = summary["steps"]
    lines = [f"{plural(steps['steps'], 'step')} and {plural(steps['strides'], 'stride')} in "
             f"{plural(steps['bouts'], 'bout')} of walking, filmed "
             f"{VIEW_WORDS[summary['view']['label']]}."]  # fmt: skip
    cadence, stride = steps["cadence_steps_per_min"], steps["stride_time_s"]
    if cadence is not None:
        text = f"Cadence {number(cadence)} steps per minute"
        if stride.get("mean") is not None:
            text += f"; stride time {number(stride['mean'], 2)} s"
        if stride.get("cv_pct") is not None:
            text += f", varying by {number(stride['cv_pct'], 1)} % from stride to stride"
        lines.append(text + ".")
    return lines


def view_text(summary: dict[str, Any]) -> str:
    """The view, how far off a true side view, and what it lets the camera see and not."""
    view = summary["view"]["label"]
    yaw = summary["view"].get("yaw_off_side_deg")
    off = (f" (about {number(yaw)}° off a true side view)"
           if view == "side" and yaw is not None else "")  # fmt: skip
    rows = confidence_rows(summary)
    seen = [r["name"] for r in rows if r["measured"]]
    unseen = [r["name"] for r in rows if not r["measured"]]
    text = f"Filmed {VIEW_WORDS[view]}{off}. This view shows {_listed(seen, 'and')}"
    return text + (f"; it cannot show {_listed(unseen, 'or')}." if unseen else ".")


def _listed(words: list[str], joiner: str) -> str:
    return ", ".join(words[:-1]) + (f" {joiner} " if len(words) > 1 else "") + words[-1]


def low_notes(summary: dict[str, Any], groups: set[str]) -> list[str]:
    """``<group>: low confidence: <why>`` for each of ``groups`` of low confidence."""
    return [f"{_capital(GROUP_WORDS[g][0])}: low confidence: "
            f"{_stop(summary['confidence'][g]['why'])}"
            for g in GROUP_WORDS if g in groups and is_low(summary, g)]  # fmt: skip


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _stop(text: str) -> str:
    return text + ("" if text.endswith(".") else ".")


def _sentence(text: str) -> str:
    """``text`` with a capital first letter and a closing full stop."""
    return _stop(_capital(text))


def gait_provenance(summary: dict[str, Any], report_date: str, video_name: str) -> Table:
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
    verdict = summary.get("verdict", "analysable")
    analysable = verdict == "analysable"
    plots, panels = {}, curve_panels(result) if analysable else []
    if analysable and len(result.steps):
        plots["steps"] = figure_png_base64(plot_step_times(result.steps).figure)
    if panels:
        feet = result.strides["foot"].astype(str).tolist()
        plots["curves"] = figure_png_base64(plot_stride_curves(result.curves, feet, panels))
    return template_environment().get_template("gait.html.j2").render(
        title=video_name, client=details.client, notes=details.notes, report_date=analysed_on,
        view_words=VIEW_WORDS[summary["view"]["label"]], verdict=verdict, analysable=analysable,
        verdict_words="Walking measured" if analysable else VERDICT_WORDS["not-analysable"],
        verdict_lines=verdict_lines(summary) if analysable else [],
        verdict_reasons=[_sentence(r) for r in summary.get("verdict_reasons", [])],
        verdict_advice=[_sentence(a) for a in summary.get("verdict_advice", [])],
        flags=[_sentence(f) for f in summary.get("flags", [])], view_text=view_text(summary),
        confidence=confidence_rows(summary), steps_table=steps_table(summary),
        plots=plots, curve_notes=low_notes(summary, {group_of(p.column) for p in panels}),
        stride_table=stride_table(result) if analysable and len(result.strides) else None,
        stride_notes=low_notes(summary, {STRIDE_WORDS[m][1] for m in stride_measures(result)}),
        coordination=coordination(summary),
        references=Table(["Measure", "Published value", "Source"],
                         [[_capital(b["measure"]), b["value"], b["source"]]
                          for b in summary.get("reference_bands", [])]),
        accuracy=list(summary.get("measurement_accuracy", {}).items()),
        provenance=gait_provenance(summary, analysed_on, video_name),
        video_name=ANNOTATED_VIDEO, viewer_data=gait_viewer_data(result) if analysable else {},
        key_frames=details.key_frames, css=Markup(page_css()),
        page_rules=Markup(page_rules(details.client, analysed_on, heading="Walking")),
        script=Markup((TEMPLATES / "viewer.js").read_text(encoding="utf-8")),
    )  # fmt: skip
