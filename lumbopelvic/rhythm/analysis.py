"""The rhythm analysis of an angle table: repetitions, per-phase metrics, the trial summary."""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from lumbopelvic.core.provenance import table_metadata
from lumbopelvic.core.tasks import task_named
from lumbopelvic.core.wording import plural
from lumbopelvic.kinematics.confidence import TRUNK_GOOD_YAW_DEG
from lumbopelvic.rhythm.metrics import repetition_rows
from lumbopelvic.rhythm.repetitions import (
    Repetition,
    counting_rule,
    find_repetitions,
    other_movements,
)
from lumbopelvic.rhythm.settings import RhythmSettings
from lumbopelvic.rhythm.summary import RhythmSummary, build_summary
from lumbopelvic.rhythm.verdict import trial_verdict


@dataclass(frozen=True)
class RhythmResult:
    """What the rhythm analysis finds in one recording.

    Attributes
    ----------
    reps
        ``reps.csv``: one row per repetition and phase (:mod:`lumbopelvic.rhythm.metrics`).
    summary
        The trial summary (``summary.json``, :class:`lumbopelvic.rhythm.summary.RhythmSummary`).
    curves
        ``"share_<phase>"``: ``(n_reps, 101)`` lumbar share (%) over 0-100 % of each going and
        returning phase; ``"crp"``: ``(n_reps, 101)`` continuous relative phase (degrees).
    repetitions
        The repetitions as frame ranges.
    """

    reps: pd.DataFrame
    summary: RhythmSummary
    curves: dict[str, np.ndarray]
    repetitions: list[Repetition]


def driver_series(angles: pd.DataFrame, settings: RhythmSettings) -> np.ndarray:
    """The angle whose excursions are the repetitions, degrees from its resting level."""
    rule = counting_rule(settings.task)
    driver = angles[f"{rule.driver}_deg"].to_numpy(float)
    # Frames where the body is not seen or the pose fit is implausible drive nothing (a person
    # entering the frame, a passer-by): the repetitions come from the body that is seen.
    unseen = np.zeros(len(driver), dtype=bool)
    if "landmark_factor" in angles:
        unseen |= angles["landmark_factor"].to_numpy(float) <= 0
    if "pose_plausible" in angles:
        unseen |= ~angles["pose_plausible"].to_numpy(bool)
    driver = np.where(unseen, np.nan, driver)
    if rule.from_straightest and np.isfinite(driver).any():
        # A squat or sit-to-stand recording may start seated or crouched, so the standing
        # baseline can be bent knees: measure knee excursions from the straightest knee.
        driver = driver - np.nanpercentile(driver, 2)
    return driver


def analyse_rhythm(angles: pd.DataFrame, settings: RhythmSettings | None = None) -> RhythmResult:
    """Repetitions, per-phase metrics and the trial summary from an angle table.

    Parameters
    ----------
    angles
        Angle table (:mod:`lumbopelvic.kinematics.angles`, or one checked by
        :func:`lumbopelvic.core.schema.validate_angle_table`), provenance in ``attrs``.
    settings
        The task; a forward bend by default.
    """
    settings = settings or RhythmSettings()
    times = angles["time_s"].to_numpy(float)
    repetitions = find_repetitions(driver_series(angles, settings), settings.task, times)
    others = other_movements(repetitions, angles["knee_deg"].to_numpy(float), settings.task)
    turned_away = [r for r in repetitions if r.number in others]
    repetitions = [
        dataclasses.replace(r, number=k + 1)
        for k, r in enumerate(r for r in repetitions if r.number not in others)
    ]
    rows, curves = repetition_rows(angles, repetitions, settings.task)
    rule = counting_rule(settings.task)
    rhythm_settings = {**asdict(settings), "driver_angle": rule.driver}
    meta = table_metadata(angles)
    quality = meta.get("quality", {})
    assessment = trial_verdict(angles, repetitions, quality, settings.task)
    flags = []
    yaw = quality.get("yaw_deg")
    if yaw is not None and np.isfinite(yaw) and yaw > TRUNK_GOOD_YAW_DEG and repetitions:
        deprojected = "view_method" in angles and (angles["view_method"] == "deprojected").any()
        flags.append(
            f"the camera is about {yaw:.0f}° off the side view: the trunk line and knee are "
            "corrected for the oblique view, but still err by several degrees (bench/ACCURACY.md)"
            if deprojected
            else f"the camera is about {yaw:.0f}° off the side view: the trunk, hip and knee "
            "angles are measured in the image plane and read smaller than they are"
        )
    if turned_away:
        flags.append(knee_flag(turned_away, settings.task))
    summary = build_summary(
        rows, curves["crp"], settings.task, meta, rhythm_settings, assessment, tuple(flags)
    )
    return RhythmResult(rows, summary, curves, repetitions)


def knee_flag(turned_away: list[Repetition], task: str) -> str:
    """The movements turned away for their knees, and the tasks that fit them: a lift with
    bent knees is a hip hinge, a squat or a crouch a squat. Both are named: how far the knees
    bend does not tell a deadlift from the floor from a squat."""
    rule = counting_rule(task)
    lift, squat = (task_named(t) for t in rule.knee_tasks or (task, task))
    return (
        f"{plural(len(turned_away), 'movement')} with the knees bent past "
        f"{rule.max_knee_deg:.0f}° not taken for {task_named(task).words}s: a lift with bent "
        f"knees is a {lift.words} (try --task {lift.id}), a squat or a crouch a {squat.words} "
        f"(--task {squat.id})"
    )


def phase_labels(times_s: np.ndarray, reps: pd.DataFrame) -> list[str]:
    """Per-frame ``"rep N: phase"`` labels (``"standing"`` between repetitions).

    Parameters
    ----------
    times_s
        Frame times, seconds.
    reps
        ``reps.csv`` rows (``rep``, ``phase``, ``start_s``, ``end_s``).
    """
    labels = ["standing"] * len(times_s)
    for row in reps.itertuples(index=False):
        if row.end_s <= row.start_s:
            continue  # a phase the recording ends (or starts) in before it began: no frames
        for i in np.flatnonzero((times_s >= row.start_s) & (times_s <= row.end_s)):
            labels[i] = f"rep {row.rep}: {row.phase}"
    return labels
