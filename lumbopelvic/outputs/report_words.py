"""How the report names and writes numbers: plain labels with units, one-line explanations.

Shared by every table of the report (HTML and its printed PDF are the same page), so a
measure is called the same thing everywhere. Nothing here reads a file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from lumbopelvic.core.verdict import Verdict

MISSING = "\u2013"  # en dash: a value that is absent or not measured

# Measure key -> (header with its unit, one-line explanation for its first use).
MEASURES: dict[str, tuple[str, str]] = {
    "peak_trunk_deg": (
        "Trunk bend (°)",
        "how far the upper body tipped forward from quiet standing, at the deepest point.",
    ),
    "peak_pelvis_deg": (
        "Pelvis tilt (°)",
        "how far the pelvis rotated forward over the hips; trunk bend = pelvis tilt + "
        "lower-back bend.",
    ),
    "peak_lumbar_deg": (
        "Lower-back bend (°)",
        "how much the lower (lumbar) spine rounded between the pelvis and the ribs.",
    ),
    "peak_hip_deg": (
        "Hip bend (°)",
        "how far the pelvis turned forward on the thighs (hip flexion) at the deepest point.",
    ),
    "lumbar_contribution_pct": (
        "Lower-back share (%)",
        "the part of the trunk bend that came from the lower back; the pelvis gave the rest.",
    ),
    "lumbar_pelvis_ratio": (
        "Lower-back to pelvis ratio",
        "lower-back bend divided by pelvis tilt (1 means equal parts).",
    ),
    "peak_knee_deg": ("Knee bend (°)", "the most the knees bent during the movement."),
    "duration_s": ("Duration (s)", "how long the phase took."),
    "peak_trunk_velocity_deg_s": (
        "Top trunk speed (°/s)",
        "the fastest the trunk moved during the phase.",
    ),
    "marp_deg": (
        "Coordination (°)",
        "mean absolute relative phase: 0° means pelvis and lower back move in step; larger "
        "values mean one runs ahead of the other.",
    ),
    "pelvis_onset_s": (
        "Pelvis starts (s)",
        "when the pelvis began to move, seconds from the start of the recording.",
    ),
    "lumbar_onset_s": ("Lower back starts (s)", "when the lower back began to move."),
    "pelvis_lag_ms": (
        "Pelvis lag (ms)",
        "how much later the pelvis started than the lower back (negative: earlier).",
    ),
    "pelvis_at_trunk_20_deg": ("Pelvis tilt with the trunk at 20° (°)", ""),
    "pelvis_at_trunk_30_deg": ("Pelvis tilt with the trunk at 30° (°)", ""),
    "pelvis_share_at_trunk_20_pct": ("Pelvis share with the trunk at 20° (%)", ""),
    "pelvis_share_at_trunk_30_pct": ("Pelvis share with the trunk at 30° (%)", ""),
    "pelvis_lag_10pct_ms": (
        "Pelvis lag at 10 % of the movement (ms)",
        "the delay between pelvis and lower back each reaching 10 % (or 50 %) of their own range.",
    ),
    "pelvis_lag_50pct_ms": ("Pelvis lag at 50 % of the movement (ms)", ""),
    "pelvis_xcorr_lag_ms": (
        "Lag that best lines up the two curves (ms)",
        "the time shift that makes the pelvis curve match the lower-back curve best.",
    ),
    "lean_start_s": ("Starts leaning (s)", "when the trunk began to lean forward to rise."),
    "seat_off_s": (
        "Seat-off (s)",
        "when the thighs left the seat: the moment the hips began to rise.",
    ),
    "upright_s": ("Upright (s)", "when the person stood upright at the end of the stand."),
    "stand_s": ("Time of the stand (s)", "from the start of the lean to standing upright."),
    "lean_to_seat_off_s": (
        "Lean before seat-off (s)",
        "how long the trunk leaned forward before the thighs left the seat.",
    ),
    "pelvis_start_after_lean_ms": (
        "Pelvis starts after the trunk (ms)",
        "how much later the pelvis began to tilt forward than the trunk began to lean (0: "
        "together; a pelvis that leads starts the lean itself).",
    ),
    "pelvis_start_before_seat_off_ms": (
        "Pelvis starts before seat-off (ms)",
        "how long before the thighs left the seat the pelvis began to tilt forward (near 0 "
        "or below: the pelvis moved only at or after seat-off).",
    ),
    "trunk_at_seat_off_deg": (
        "Trunk lean at seat-off (°)",
        "how far the trunk had leaned forward from the start of the lean to seat-off.",
    ),
    "pelvis_at_seat_off_deg": (
        "Pelvis tilt at seat-off (°)",
        "how far the pelvis had tilted forward from the start of the lean to seat-off.",
    ),
    "pelvis_share_at_seat_off_pct": (
        "Pelvis share at seat-off (%)",
        "the pelvis's tilt as a share of the trunk's lean at seat-off: small when the lean "
        "came from the spine with the pelvis still tilted back (delayed pelvic motion).",
    ),
    "mean_confidence": (
        "Confidence (0 to 1)",
        "how sure the pelvis/lower-back split is; below 0.5 a value is not used in the summary.",
    ),
    "low_confidence": ("Split usable", ""),
}

DECIMALS = {
    "duration_s": 1,
    "lumbar_pelvis_ratio": 2,
    "mean_confidence": 2,
    "lean_start_s": 2,
    "seat_off_s": 2,
    "upright_s": 2,
    "stand_s": 2,
    "lean_to_seat_off_s": 2,
}

PHASE_WORDS = {
    "flexion": "bending down",
    "return": "coming back up",
    "hold": "holding",
    "descent": "going down",
    "ascent": "coming up",
    "sit-down": "sitting down",
    "stand-up": "standing up",
    "seated": "seated",
    "lowering": "lowering the load",
    "bottom": "at the bottom",
    "lifting": "lifting",
}

VERDICT_WORDS = {
    Verdict.ANALYSABLE: "Pelvis and lower back measured",
    Verdict.TRUNK_ONLY: "Trunk only: pelvis and lower back could not be told apart",
    Verdict.NOT_ANALYSABLE: "This recording cannot be analysed",
}


class Line(NamedTuple):
    """One line the command line prints about a trial.

    Attributes
    ----------
    kind
        ``verdict`` (the verdict and its reasons), ``found`` (what was found), ``low`` (a
        measure of low confidence), ``note`` (a flag) or ``advice``: the printer's label and
        colour follow it.
    text
        The line's words.
    verdict
        The trial's verdict (``analysable``...), for a ``verdict`` line's colour.
    """

    kind: str
    text: str
    verdict: str = ""


@dataclass
class Table:
    """A table as the template shows it: text headers, text cells, explanations below it."""

    headers: list[str]
    rows: list[list[str]]
    explained: list[tuple[str, str]] = field(default_factory=list)


def number(value: object, decimals: int = 0) -> str:
    """A value as the reader sees it: rounded, never ``-0``, missing as an en dash.

    Parameters
    ----------
    value
        A number (any unit), a bool, None or NaN.
    decimals
        Digits after the point.
    """
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if value is None:
        return MISSING
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(x):
        return MISSING
    text = f"{round(x, decimals) + 0.0:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def measure_value(key: str, value: object) -> str:
    """A cell of measure ``key`` with its usual precision."""
    if key == "low_confidence":
        return "no (confidence low)" if value else "yes"
    return number(value, DECIMALS.get(key, 0))


def points(value: float) -> str:
    """Percentage points in words: ``1 percentage point``, ``5 percentage points``."""
    text = number(value)
    return f"{text} percentage point" + ("" if text == "1" else "s")


def phase_words(phase: str) -> str:
    """A phase name in everyday words (``flexion`` -> ``bending down``)."""
    return PHASE_WORDS.get(phase, phase)


def repetition_label(rep: object, phase: str) -> str:
    """``Repetition 1, bending down``."""
    return f"Repetition {rep}, {phase_words(phase)}"


def header(key: str) -> str:
    """The column header of a measure (unit in brackets)."""
    return MEASURES.get(key, (key, ""))[0]


def explanations(keys: list[str], seen: set[str]) -> list[tuple[str, str]]:
    """(header, explanation) for the ``keys`` not explained before; adds them to ``seen``."""
    found = []
    for key in keys:
        label, text = MEASURES.get(key, (key, ""))
        if text and key not in seen:
            found.append((label, text))
            seen.add(key)
    return found


def bin_header(column: str) -> str:
    """``lumbar_contribution_30_60_pct`` -> ``30-60° (%)`` (with an en dash); the share at the
    deepest point -> its own header."""
    middle = column.removeprefix("lumbar_contribution").removesuffix("_pct").strip("_")
    return f"{middle.replace('_', MISSING)}° (%)" if middle else "At the deepest point (%)"
