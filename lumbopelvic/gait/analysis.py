"""The walking analysis of a landmark table: steps, strides, pelvis and trunk motion, and
their coordination, with what the view lets the camera see (``--task walk``).

``summary.json`` for walking (schema version 1, units in every key)
-------------------------------------------------------------------
- ``task``: ``"walk"``; ``view``: ``label`` (side, front or back), ``yaw_off_side_deg``.
- ``steps``: counts (``heel_strikes``, ``toe_offs``, ``steps``, ``strides``, ``bouts``),
  ``cadence_steps_per_min``, ``step_time_s`` and ``stride_time_s`` (mean, SD, coefficient of
  variation), ``step_length_bh`` and ``speed_bh_per_s`` (side views only; body heights).
- ``strides``: mean and SD across strides of each per-stride measure of ``strides.csv``.
- ``coordination``: ``relative_phase_deg`` (mean absolute pelvis-thorax relative phase:
  0 in phase, 180 anti-phase) and ``deviation_phase_deg`` (its stride-to-stride spread).
- ``confidence``: per measure group, ``good``, ``fair`` or ``low``, and why
  (:data:`GROUPS`); measured in ``bench/ACCURACY.md``.
- ``verdict`` (``analysable`` or ``not-analysable``), ``verdict_reasons``,
  ``verdict_advice``, ``flags``, ``reference_bands``, ``provenance``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lumbopelvic.core.provenance import step_record, table_metadata
from lumbopelvic.core.version import __version__
from lumbopelvic.gait.events import FootTracks, foot_tracks, gait_events
from lumbopelvic.gait.references import GAIT_ACCURACY, GAIT_REFERENCES, PHYSIOLOGICAL_CADENCE
from lumbopelvic.gait.series import gait_series, left_is_image_right
from lumbopelvic.gait.strides import relative_phase_series, steps_table, strides_table
from lumbopelvic.gait.walker import IN_PLACE_RATIO, progression_ratio, walker_track
from lumbopelvic.kinematics.view_quality import estimate_yaw_deg
from lumbopelvic.rhythm.metrics import deviation_phase_deg
from lumbopelvic.rhythm.summary import spread_stats

MIN_HEEL_STRIKES = 4
# Steps seen moving up and down the image more than across it (the walking direction steeper
# than 45° in the image) are filmed from the front or back.
FRONT_AXIS_MIN_DEG = 45.0
STRIDE_MEASURES = (
    "stride_time_s",
    "pelvic_obliquity_range_deg",
    "trunk_lateral_range_deg",
    "lateral_shift_bh",
    "sway_smoothness_fraction",
    "pelvis_rotation_range_deg",
    "thorax_rotation_range_deg",
    "relative_phase_deg",
    "trunk_lean_mean_deg",
    "trunk_lean_range_deg",
)


@dataclass(frozen=True)
class GaitResult:
    """What the walking analysis finds in one recording.

    Attributes
    ----------
    events
        Heel strikes and toe offs (:func:`lumbopelvic.gait.events.gait_events`).
    steps
        ``steps.csv`` (:func:`lumbopelvic.gait.strides.steps_table`).
    strides
        ``strides.csv`` (:func:`lumbopelvic.gait.strides.strides_table`).
    series
        ``gait.csv``: per-frame measures (:mod:`lumbopelvic.gait.series`) and
        ``relative_phase_deg``.
    curves
        Each series column over 0-100 % of each stride, ``(n_strides, 101)``.
    summary
        ``summary.json`` content (see the module notes).
    walker
        The landmark table analysed: other people's frames emptied (:func:`walker_track`).
    """

    events: pd.DataFrame
    steps: pd.DataFrame
    strides: pd.DataFrame
    series: pd.DataFrame
    curves: dict[str, np.ndarray]
    summary: dict[str, Any]
    walker: pd.DataFrame


def view_label(axis_deg: float, faces_camera: bool) -> str:
    """``side``, ``front`` or ``back`` from the walking direction's angle from the image
    horizontal (``axis_deg``: steps seen moving up and down the image more than across it
    are filmed from the front or back).

    A walk filmed at an angle is labelled ``side``: on renders walking across the view, the
    apparent hip and shoulder widths (the view angle's cue for bends) came out as wide at
    1-14° as at 32-55° off the side view, because the line of sight turns as the person
    crosses the frame, so the two cannot be told apart. ``yaw_off_side_deg`` in the summary
    still says how far off the side view the recording looks.
    """
    if np.isfinite(axis_deg) and axis_deg >= FRONT_AXIS_MIN_DEG:
        return "front" if faces_camera else "back"
    return "side"


def _axis_deg(tracks: FootTracks) -> float:
    axis = tracks.axis[tracks.walking]
    angle = np.degrees(np.arctan2(np.abs(axis[:, 1]), np.abs(axis[:, 0])))
    angle = angle[np.isfinite(angle)]
    return float(np.median(angle)) if len(angle) else float("nan")


# Groups of measures, the per-stride measures each holds, and the views that show them.
GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "steps": (("stride_time_s",), ("side", "front", "back")),
    "pelvic_drop": (("pelvic_obliquity_range_deg",), ("front", "back")),
    "trunk_side_lean": (("trunk_lateral_range_deg",), ("front", "back")),
    "weight_shift": (("lateral_shift_bh", "sway_smoothness_fraction"), ("front", "back")),
    "turning": (
        ("pelvis_rotation_range_deg", "thorax_rotation_range_deg", "relative_phase_deg"),
        ("front", "back"),
    ),
    "trunk_forward_lean": (("trunk_lean_mean_deg", "trunk_lean_range_deg"), ("side",)),
    "pelvic_tilt": ((), ()),
}
# How far each group can be trusted from a view that shows it, and why: the errors measured
# on held-out walking renders (bench/gait_accuracy.py, bench/ACCURACY.md).
LEVELS: dict[str, dict[str, tuple[str, str]]] = {
    "steps": {
        "side": (
            "good",
            "heel strikes fall within a frame on about 9 of 10 steps; toe offs less precisely",
        ),
        "front": (
            "good",
            "heel strikes fall within a frame on about 9 of 10 steps; toe offs less precisely",
        ),
        "back": (
            "fair",
            "from behind the feet move little in the image: heel strikes are often "
            "1-3 frames off, though cadence and step times hold",
        ),
    },
    "pelvic_drop": {
        view: (
            "low",
            "the pose model's hip points follow only about a third of "
            "the pelvic drop, so it reads small",
        )
        for view in ("front", "back")
    },
    "trunk_side_lean": {
        view: ("fair", "within about a degree, though the lean may read up to a third small")
        for view in ("front", "back")
    },
    "weight_shift": {
        view: ("fair", "the hips' sideways shift follows the body but may read up to a third small")
        for view in ("front", "back")
    },
    "turning": {
        view: (
            "low",
            "pelvis and thorax turning come from the depth the pose model "
            "infers: their timing follows the body, their size does not",
        )
        for view in ("front", "back")
    },
    "trunk_forward_lean": {
        "side": (
            "low",
            "the hip and shoulder points sway with the legs and "
            "arms by a few degrees within each stride",
        )
    },
}
NOT_SHOWN = {
    "steps": "needs the feet in view",
    "pelvic_drop": "needs a front or back view",
    "trunk_side_lean": "needs a front or back view",
    "weight_shift": "needs a front or back view",
    "turning": "needs a front or back view",
    "trunk_forward_lean": "needs a side view",
    "pelvic_tilt": "the pelvis tilts forward and back only 3-5° while walking, less than the "
    "outline-based pelvis angle resolves (2-3° error on forward bends)",
}


def view_measures(view: str) -> set[str]:
    """The per-stride measures a view shows (:data:`GROUPS`)."""
    return {m for measures, views in GROUPS.values() if view in views for m in measures}


def confidence(view: str) -> dict[str, dict[str, str]]:
    """How far each group of measures (:data:`GROUPS`) can be trusted from this view, and
    why: ``good``, ``fair``, ``low``, or ``not-measured`` where the view does not show it."""
    out = {}
    for group, (_, views) in GROUPS.items():
        if view in views:
            level, why = LEVELS[group][view]
        else:
            level, why = "not-measured", NOT_SHOWN[group]
        out[group] = {"level": level, "why": why}
    return out


def analyse_gait(landmarks: pd.DataFrame) -> GaitResult:
    """Steps, strides, per-stride pelvis and trunk motion and their coordination.

    Parameters
    ----------
    landmarks
        Landmark table (:mod:`lumbopelvic.core.landmarks`) of a person walking (when it
        holds several people one after the other, the walker is chosen:
        :func:`walker_track`).
    """
    landmarks, people = walker_track(landmarks)
    times = landmarks["time_s"].to_numpy(float)
    tracks = foot_tracks(landmarks)
    events = gait_events(landmarks, tracks)
    walking = tracks.walking
    yaw = estimate_yaw_deg(landmarks, walking) if walking.any() else float("nan")
    view = view_label(_axis_deg(tracks), left_is_image_right(landmarks))
    stride_s = tracks.stride_s if np.isfinite(tracks.stride_s) else 1.1
    series = gait_series(landmarks, walking, tracks.axis, stride_s)
    series["relative_phase_deg"] = relative_phase_series(
        series["pelvis_rotation_deg"].to_numpy(float),
        series["thorax_rotation_deg"].to_numpy(float),
        walking,
    )
    heel = events[events["event"] == "heel strike"]
    steps = steps_table(heel, times, tracks.ahead if view == "side" else None)
    strides, curves = strides_table(steps, series)
    for measure in STRIDE_MEASURES[1:]:
        if measure in strides and measure not in view_measures(view):
            strides[measure] = np.nan
    summary = _summary(landmarks, events, steps, strides, curves, tracks, view, yaw)
    summary["people"] = people
    ratio = progression_ratio(landmarks, steps, tracks) if view == "side" else float("nan")
    summary["steps"]["forward_progression_ratio"] = _finite_or_none(ratio)
    if np.isfinite(ratio) and ratio < IN_PLACE_RATIO:
        summary["flags"].append(
            "the person does not move forward across the view: walking on the spot or on a "
            "treadmill? If they were not walking (shifting weight, dancing), these are not steps"
        )
    if people["frames_left_out"]:
        summary["flags"].append(
            f"the video shows more than one person track: {people['frames_left_out']} frames "
            "of another person (or of the walker after leaving the view) are left out; the "
            f"walk analysed runs {people['analysed_from_s']:.1f}-{people['analysed_to_s']:.1f} "
            "s (choose the person with --subject)"
        )
    return GaitResult(events, steps, strides, series, curves, summary, landmarks)


def _summary(
    landmarks: pd.DataFrame,
    events: pd.DataFrame,
    steps: pd.DataFrame,
    strides: pd.DataFrame,
    curves: dict[str, np.ndarray],
    tracks: FootTracks,
    view: str,
    yaw: float,
) -> dict[str, Any]:
    meta = table_metadata(landmarks)
    n_heel = int((events["event"] == "heel strike").sum())
    step_times = steps["step_time_s"] if len(steps) else pd.Series(dtype=float)
    cadence = 60.0 / float(step_times.mean()) if len(step_times) else None
    speed = None
    if view == "side" and len(steps) and steps["step_length_bh"].notna().any():
        speed = float(
            steps["step_length_bh"].sum()
            / steps.loc[steps["step_length_bh"].notna(), "step_time_s"].sum()
        )
    reasons, advice, flags = [], [], []
    if n_heel < MIN_HEEL_STRIKES or len(steps) < 2:
        verdict = "not-analysable"
        reasons.append(
            f"no walking found: {n_heel} heel strikes (at least {MIN_HEEL_STRIKES} are needed)"
        )
        advice.append("film at least 4 steps with the whole body, feet included, in view")
    else:
        verdict = "analysable"
    low_cadence, high_cadence = PHYSIOLOGICAL_CADENCE
    if cadence is not None and not low_cadence <= cadence <= high_cadence:
        flags.append(
            f"a cadence of {cadence:.0f} steps per minute is outside walking's usual "
            f"{low_cadence:.0f}-{high_cadence:.0f}: check the steps marked in the video"
        )
    phase = curves.get("relative_phase_deg", np.empty((0, 101)))
    summary: dict[str, Any] = {
        "schema": "lumbopelvic.summary",
        "schema_version": 1,
        "task": "walk",
        "view": {"label": view, "yaw_off_side_deg": None if not np.isfinite(yaw) else float(yaw)},
        "steps": {
            "heel_strikes": n_heel,
            "toe_offs": int((events["event"] == "toe off").sum()),
            "steps": len(steps),
            "strides": len(strides),
            "bouts": int(steps["bout"].nunique()) if len(steps) else 0,
            "cadence_steps_per_min": cadence,
            "step_time_s": spread_stats(step_times),
            "stride_time_s": spread_stats(strides["stride_time_s"])
            if len(strides)
            else spread_stats(pd.Series(dtype=float)),
            "step_length_bh": spread_stats(steps["step_length_bh"])
            if len(steps)
            else spread_stats(pd.Series(dtype=float)),
            "speed_bh_per_s": speed,
            "typical_stride_s": float(tracks.stride_s) if np.isfinite(tracks.stride_s) else None,
        },
        "strides": {m: spread_stats(strides[m]) for m in STRIDE_MEASURES if m in strides},
        "coordination": {
            "relative_phase_deg": spread_stats(strides["relative_phase_deg"])["mean"]
            if len(strides)
            else None,
            "deviation_phase_deg": _finite_or_none(deviation_phase_deg(phase))
            if len(phase)
            else None,
        },
        "confidence": confidence(view),
        "verdict": verdict,
        "verdict_reasons": reasons,
        "verdict_advice": advice,
        "flags": flags,
        "reference_bands": GAIT_REFERENCES,
        "measurement_accuracy": GAIT_ACCURACY,
        "provenance": {
            "package_version": __version__,
            "input": meta.get("video", {}),
            "pose_model": meta.get("model", {}),
            "pose_settings": meta.get("settings", {}),
            "history": [*meta.get("history", []), step_record("gait", view=view)],
        },
    }
    return summary


def _finite_or_none(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None
