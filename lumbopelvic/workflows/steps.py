"""The single steps as commands: landmarks, angles, or angles and the task's analysis,
written to a folder.

``analyze`` (:mod:`.analyze`) runs them all and adds the video and the report; these are for
users who want one stage's tables, or who bring their own landmarks or angles. Each file is
written atomically; the folder is added to, not replaced as a whole.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.io.landmark_files import save_landmark_table
from lumbopelvic.io.layout import ANGLES, POSE, RHYTHM, default_output_dir, input_kind
from lumbopelvic.io.result_files import load_angles, save_angles, save_results
from lumbopelvic.io.staging import prepare_target, publish, staging_folder, target_lock
from lumbopelvic.pose.extract import PoseRun
from lumbopelvic.pose.settings import PoseSettings
from lumbopelvic.workflows.analyses import Analysed
from lumbopelvic.workflows.analysis_kinds import analyse, kind_of
from lumbopelvic.workflows.progress import SILENT, Progress
from lumbopelvic.workflows.settings import AnalysisSettings
from lumbopelvic.workflows.sources import angle_table, in_range, landmarks_from, run_pose


@dataclass(frozen=True)
class StepOutcome:
    """What a single-step command produced.

    Attributes
    ----------
    paths
        Output kind to the file written.
    pose
        How the pose step ran (None when the input was a table).
    angles
        The angle table (None for the landmark step).
    analysed
        The task's analysis (only for the rhythm step): repetitions, or a walk's steps.
    """

    paths: dict[str, Path]
    pose: PoseRun | None = None
    angles: pd.DataFrame | None = None
    analysed: Analysed | None = None


def extract_landmarks(
    video: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    settings: PoseSettings | None = None,
    use_cache: bool = True,
    progress: Progress = SILENT,
) -> StepOutcome:
    """Landmarks and silhouette of every frame: ``landmarks.parquet``/``.csv``/``.json``."""
    target = prepare_target(Path(output) if output else default_output_dir(video), POSE)
    run = run_pose(video, settings, use_cache, progress)
    paths = _published(target, POSE, lambda folder: save_landmark_table(run.table, folder))
    return StepOutcome(paths, pose=run)


def measure_angles(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    settings: AnalysisSettings | None = None,
    use_cache: bool = True,
    progress: Progress = SILENT,
) -> StepOutcome:
    """Sagittal angles from a video or a landmark table: ``angles.csv`` and ``angles.json``.

    The landmark table is written too when it was computed here (the input was a video).
    """
    settings = settings or AnalysisSettings()
    target = prepare_target(Path(output) if output else default_output_dir(source), ANGLES)
    table, run = landmarks_from(source, settings.pose, use_cache, progress)
    angles = angle_table(table, settings.angles, source if run else None)

    def write(folder: Path) -> dict[str, Path]:
        paths = save_landmark_table(table, folder) if run is not None else {}
        return {**paths, **save_angles(angles, folder)}

    return StepOutcome(_published(target, ANGLES, write), pose=run, angles=angles)


def measure_rhythm(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    settings: AnalysisSettings | None = None,
    use_cache: bool = True,
    progress: Progress = SILENT,
) -> StepOutcome:
    """The task's analysis after the angles (``reps.csv``, or a walk's ``steps.csv``,
    ``strides.csv``, ``gait.csv`` and ``gait_events.csv``; ``summary.json``, ``curves.csv``)
    from a video or a table.

    ``source`` may be a video, a landmark table, or an angle table (e.g. from motion capture;
    see :mod:`lumbopelvic.core.schema`; a walk needs the landmarks). Tables computed on the
    way are written too.
    """
    settings = settings or AnalysisSettings()
    target = prepare_target(Path(output) if output else default_output_dir(source), RHYTHM)
    run, table = None, None
    if input_kind(source) == "angles":
        refusal = kind_of(settings.rhythm.movement).needs_landmarks
        if refusal:
            raise LumbopelvicError(refusal)
        needs_knee = settings.rhythm.movement.driver == "knee"
        angles = in_range(load_angles(source, needs_knee=needs_knee), settings.pose, source)
    else:
        table, run = landmarks_from(source, settings.pose, use_cache, progress)
        angles = angle_table(table, settings.angles, source if run else None)
    _, analysed = analyse(angles, table, settings)

    def write(folder: Path) -> dict[str, Path]:
        paths: dict[str, Path] = {}
        if run is not None:
            paths.update(save_landmark_table(table, folder))
        if table is not None:
            paths.update(save_angles(analysed.angles, folder))
        summary = analysed.summary.to_json()
        return {**paths, **save_results(analysed.tables, summary, analysed.curves, folder)}

    paths = _published(target, RHYTHM, write)
    return StepOutcome(paths, pose=run, angles=analysed.angles, analysed=analysed)


def _published(
    target: Path, command: str, write: Callable[[Path], dict[str, Path]]
) -> dict[str, Path]:
    """``write`` the step's files into a staging folder, then swap it in as ``target`` whole
    (a failure half-way, a full disk, leaves the earlier folder, or none, as it was)."""
    with target_lock(target), staging_folder(target) as staging:
        return publish(staging, target, command, write(staging))
