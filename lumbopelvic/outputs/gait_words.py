"""How the walking report and the walking summary name things: each measure group, view,
per-stride measure and series in plain words, and the sentences that describe a walk.

Shared by the walking report (:mod:`.gait_report`), the annotated video and the command
line, so a measure is called the same everywhere. Nothing here reads a file.
"""

from __future__ import annotations

from typing import Any

from lumbopelvic.core.wording import plural
from lumbopelvic.gait.confidence import view_measures
from lumbopelvic.gait.summary import GaitSummary
from lumbopelvic.outputs.report_text import verdict_line
from lumbopelvic.outputs.report_words import MISSING, Line, number

NOT_FROM_VIEW = "not measured from this view"


# Group of measures (the walk summary's ``confidence``) -> (its name, what it holds).
GROUP_WORDS = {
    "steps": (
        "steps and their timing",
        "cadence, step and stride time, step length, walking speed",
    ),
    "pelvic_drop": ("pelvic drop", "how far the hip line tilts from side to side"),
    "trunk_side_lean": ("trunk side lean", "how far the trunk leans from side to side"),
    "weight_shift": ("weight shift", "the hips' side-to-side shift and its smoothness"),
    "turning": (
        "the turning of the pelvis and thorax",
        "pelvis and thorax turning, and their coordination",
    ),
    "trunk_forward_lean": ("the trunk's forward lean", "its average and range in each stride"),
    "pelvic_tilt": ("pelvic tilt", "the pelvis tilting forward and back"),
}


VIEW_WORDS = {"side": "from the side", "front": "from the front", "back": "from behind"}


# Per-stride measure -> (header, group, decimals, scale to the shown unit, explanation).
STRIDE_WORDS: dict[str, tuple[str, str, int, float, str]] = {
    "trunk_lean_mean_deg": (
        "Trunk forward lean, average (°)",
        "trunk_forward_lean",
        1,
        1.0,
        "lean of the hip-to-shoulder line from upright, forward positive.",
    ),
    "trunk_lean_range_deg": (
        "Trunk forward lean, range (°)",
        "trunk_forward_lean",
        1,
        1.0,
        "how far the forward lean changed within the stride.",
    ),
    "pelvic_obliquity_range_deg": (
        "Pelvic drop, range (°)",
        "pelvic_drop",
        1,
        1.0,
        "how far the hip line tilted from side to side.",
    ),
    "trunk_lateral_range_deg": (
        "Trunk side lean, range (°)",
        "trunk_side_lean",
        1,
        1.0,
        "how far the trunk leaned from side to side.",
    ),
    "lateral_shift_bh": (
        "Side-to-side shift (% of height)",
        "weight_shift",
        1,
        100.0,
        "how far the hips moved sideways over the feet, as a share of the person's height.",
    ),
    "sway_smoothness_fraction": (
        "Sway smoothness (0-1)",
        "weight_shift",
        2,
        1.0,
        "share of the side-to-side motion that is one smooth sway to each "
        "foot: near 1 smooth, lower uneven or jerky.",
    ),
    "pelvis_rotation_range_deg": (
        "Pelvis turning, range (°)",
        "turning",
        1,
        1.0,
        "how far the pelvis turned about the vertical.",
    ),
    "thorax_rotation_range_deg": (
        "Thorax turning, range (°)",
        "turning",
        1,
        1.0,
        "how far the chest turned about the vertical.",
    ),
    "relative_phase_deg": (
        "Pelvis-thorax relative phase (°)",
        "turning",
        0,
        1.0,
        "0° the pelvis and thorax turn together, 180° in opposite directions.",
    ),
}


# Series column -> (title, axis label, the per-stride measure that says whether the view
# shows it, scale to the axis unit).
SERIES_WORDS: dict[str, tuple[str, str, str, float]] = {
    "trunk_lean_deg": ("Trunk forward lean", "degrees (forward +)", "trunk_lean_mean_deg", 1.0),
    "pelvic_obliquity_deg": (
        "Pelvic drop",
        "degrees (left hip up +)",
        "pelvic_obliquity_range_deg",
        1.0,
    ),
    "trunk_lateral_deg": (
        "Trunk side lean",
        "degrees (to the left +)",
        "trunk_lateral_range_deg",
        1.0,
    ),
    "lateral_shift_bh": (
        "Side-to-side shift",
        "% of height (to the left +)",
        "lateral_shift_bh",
        100.0,
    ),
    "pelvis_rotation_deg": (
        "Pelvis turning",
        "degrees (left side forward +)",
        "pelvis_rotation_range_deg",
        1.0,
    ),
    "thorax_rotation_deg": (
        "Thorax turning",
        "degrees (left side forward +)",
        "thorax_rotation_range_deg",
        1.0,
    ),
}


STEP_EXPLAINED = [
    ("Cadence", "steps per minute."),
    ("Step time", "from one heel strike to the next, of either foot."),
    ("Stride time", "from a heel strike to the next of the same foot (two steps)."),
    (
        "Spread (% of average)",
        "the standard deviation as a percentage of the average "
        "(coefficient of variation): lower means more regular steps.",
    ),
    (
        "Body heights",
        "lengths divided by the person's height, so no camera calibration is "
        "needed: 0.40 body heights is 68 cm for someone 1.70 m tall.",
    ),
]


def group_of(column: str) -> str:
    """The confidence group (the walk summary's ``confidence``) of a series column."""
    return STRIDE_WORDS[SERIES_WORDS[column][2]][1]


def is_low(summary: GaitSummary, group: str) -> bool:
    """Whether the measures of ``group`` are of low confidence."""
    return summary.group(group).low


def is_measured(summary: GaitSummary, group: str) -> bool:
    """Whether this view shows the measures of ``group`` at all."""
    if group == "steps":
        return True
    view = view_measures(summary.view.label)
    shown = [m for m in view if m in STRIDE_WORDS]
    measured = summary.group(group).measured
    return measured and any(STRIDE_WORDS[m][1] == group for m in shown)


def confidence_rows(summary: GaitSummary) -> list[dict[str, Any]]:
    """One line per group of measures: measured from this view or not, how well, why."""
    rows = []
    for group, (name, holds) in GROUP_WORDS.items():
        found = summary.confidence.get(group)
        measured = is_measured(summary, group)
        level = found.level if found is not None else MISSING
        rows.append(
            {
                "what": f"{capital(name)}: {holds}",
                "name": name,
                "measured": measured,
                "level": f"measured, {level} confidence" if measured else "not measured",
                "why": found.why if found is not None else "",
                "low": not measured or is_low(summary, group),
            }
        )
    return rows


def coordination(summary: GaitSummary) -> dict[str, Any]:
    """Relative phase and deviation phase in words, with their confidence."""
    phase = summary.coordination.relative_phase_deg
    deviation = summary.coordination.deviation_phase_deg
    if phase is None:
        because = (
            "the turning could not be followed over enough strides"
            if is_measured(summary, "turning")
            else summary.group("turning").why
        )
        return {"measured": False, "missing": f"Not measured from this recording: {because}."}
    low = is_low(summary, "turning")
    if low:
        # A low-confidence phase is shown as a number only: reading it as "together" or
        # "opposite" would be a finding the measurement cannot support.
        lines = [
            f"Relative phase: {number(phase)}° on average over the strides. This "
            "recording cannot tell whether the pelvis and thorax turned together or in "
            "opposite directions."
        ]
    else:
        reading = (
            "mostly turned together (closer to in phase)"
            if phase < 60
            else "mostly turned in opposite directions (closer to anti-phase)"
            if phase > 120
            else "turned between together and in opposite directions"
        )
        lines = [
            f"Relative phase: {number(phase)}° on average over the strides: the pelvis "
            f"and thorax {reading}."
        ]
    if deviation is not None:
        lines.append(
            f"Deviation phase: {number(deviation)}°, how much that timing changed "
            "from one stride to the next (higher: more variable)."
        )
    return {
        "measured": True,
        "lines": lines,
        "low": low,
        "why": full_stop(summary.group("turning").why),
    }


def verdict_lines(summary: GaitSummary) -> list[str]:
    """What was found: steps, strides, bouts and the view; cadence and stride regularity."""
    steps = summary.steps
    lines = [
        f"{plural(steps.steps, 'step')} and {plural(steps.strides, 'stride')} in "
        f"{plural(steps.bouts, 'bout')} of walking, filmed {VIEW_WORDS[summary.view.label]}."
    ]
    cadence, stride = steps.cadence_steps_per_min, steps.stride_time_s
    if cadence is not None:
        text = f"Cadence {number(cadence)} steps per minute"
        if stride.mean is not None:
            text += f"; stride time {number(stride.mean, 2)} s"
        if stride.cv_pct is not None:
            text += f", varying by {number(stride.cv_pct, 1)} % from stride to stride"
        lines.append(text + ".")
    return lines


def walk_lines(summary: GaitSummary) -> list[Line]:
    """What the command line says about a walk: the verdict, the view, steps and cadence,
    the measures of low confidence, the flags and the advice."""
    steps = summary.steps
    found = f"Filmed from the {summary.view.label}; {plural(steps.steps, 'step')} in "
    found += plural(steps.bouts, "walking bout")
    if steps.cadence_steps_per_min:
        found += f", cadence {steps.cadence_steps_per_min:.0f} steps/min"
    if steps.stride_time_s.cv_pct is not None:
        found += f", stride time varies {steps.stride_time_s.cv_pct:.1f} %"
    if steps.speed_bh_per_s is not None:
        found += f", speed {steps.speed_bh_per_s:.2f} body heights/s"
    lines = [verdict_line(summary.assessment), Line("found", found + ".")]
    lines += [
        Line("low", f"{group.replace('_', ' ')}: {level.why}")
        for group, level in summary.confidence.items()
        if level.low
    ]
    lines += [Line("note", flag) for flag in summary.flags]
    lines += [Line("advice", advice) for advice in summary.assessment.advice]
    return lines


def view_text(summary: GaitSummary) -> str:
    """The view, how far off a true side view, and what it lets the camera see and not."""
    view = summary.view.label
    yaw = summary.view.yaw_off_side_deg
    off = (
        f" (about {number(yaw)}° off a true side view)"
        if view == "side" and yaw is not None
        else ""
    )
    rows = confidence_rows(summary)
    seen = [r["name"] for r in rows if r["measured"]]
    unseen = [r["name"] for r in rows if not r["measured"]]
    text = f"Filmed {VIEW_WORDS[view]}{off}. This view shows {listed(seen, 'and')}"
    return text + (f"; it cannot show {listed(unseen, 'or')}." if unseen else ".")


def listed(words: list[str], joiner: str) -> str:
    return ", ".join(words[:-1]) + (f" {joiner} " if len(words) > 1 else "") + words[-1]


def low_notes(summary: GaitSummary, groups: set[str]) -> list[str]:
    """``<group>: low confidence: <why>`` for each of ``groups`` of low confidence."""
    return [
        f"{capital(GROUP_WORDS[g][0])}: low confidence: " + full_stop(summary.group(g).why)
        for g in GROUP_WORDS
        if g in groups and is_low(summary, g)
    ]


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def full_stop(text: str) -> str:
    return text + ("" if text.endswith(".") else ".")


def sentence(text: str) -> str:
    """``text`` with a capital first letter and a closing full stop."""
    return full_stop(capital(text))
