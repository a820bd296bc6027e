"""The single steps as commands: landmarks, angles, or angles and rhythm, written to a folder.

``analyze`` (:mod:`.analyze`) runs them all and adds the video and the report; these are for
users who want one stage's tables, or who bring their own landmarks or angles. Each file is
written atomically; the folder is added to, not replaced as a whole.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.gait.analysis import GaitResult, analyse_gait
from lumbopelvic.io.landmark_files import save_landmark_table
from lumbopelvic.io.layout import default_output_dir, input_kind
from lumbopelvic.io.result_files import load_angles, save_angles, save_gait, save_rhythm
from lumbopelvic.io.staging import prepare_target
from lumbopelvic.pose.extract import PoseRun
from lumbopelvic.pose.settings import PoseSettings
from lumbopelvic.rhythm.analysis import RhythmResult, analyse_rhythm
from lumbopelvic.rhythm.tasks import WALK
from lumbopelvic.workflows.marker_mode import angles_with_stickers
from lumbopelvic.workflows.progress import SILENT, Progress
from lumbopelvic.workflows.settings import AnalysisSettings
from lumbopelvic.workflows.sources import in_range, landmarks_from, run_pose


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
    rhythm
        The rhythm analysis (only for the rhythm step), or the walking analysis of a walk.
    """

    paths: dict[str, Path]
    pose: PoseRun | None = None
    angles: pd.DataFrame | None = None
    rhythm: RhythmResult | GaitResult | None = None


def extract_landmarks(
    video: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    settings: PoseSettings | None = None,
    use_cache: bool = True,
    progress: Progress = SILENT,
) -> StepOutcome:
    """Landmarks and silhouette of every frame: ``landmarks.parquet``/``.csv``/``.json``."""
    target = prepare_target(Path(output) if output else default_output_dir(video), replace=False)
    run = run_pose(video, settings, use_cache, progress)
    return StepOutcome(save_landmark_table(run.table, target), pose=run)


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
    target = prepare_target(Path(output) if output else default_output_dir(source), replace=False)
    table, run = landmarks_from(source, settings.pose, use_cache, progress)
    angles = angles_with_stickers(table, settings.angles, Path(source) if run else None)
    paths = save_landmark_table(table, target) if run is not None else {}
    paths.update(save_angles(angles, target))
    return StepOutcome(paths, pose=run, angles=angles)


def measure_rhythm(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    settings: AnalysisSettings | None = None,
    use_cache: bool = True,
    progress: Progress = SILENT,
) -> StepOutcome:
    """Repetitions and rhythm (``reps.csv``, ``summary.json``) from a video or a table.

    ``source`` may be a video, a landmark table, or an angle table (e.g. from motion capture;
    see :mod:`lumbopelvic.core.schema`). Tables computed on the way are written too.
    """
    settings = settings or AnalysisSettings()
    target = prepare_target(Path(output) if output else default_output_dir(source), replace=False)
    if settings.rhythm.task == WALK:
        return _measure_walk(source, target, settings, use_cache, progress)
    paths: dict[str, Path] = {}
    run = None
    if input_kind(source) == "angles":
        angles = load_angles(source, needs_knee=settings.rhythm.driver_angle == "knee")
        angles = in_range(angles, settings.pose, source)
    else:
        table, run = landmarks_from(source, settings.pose, use_cache, progress)
        angles = angles_with_stickers(table, settings.angles, Path(source) if run else None)
        if run is not None:
            paths.update(save_landmark_table(table, target))
        paths.update(save_angles(angles, target))
    rhythm = analyse_rhythm(angles, settings.rhythm)
    paths.update(save_rhythm(rhythm.reps, rhythm.summary, target))
    return StepOutcome(paths, pose=run, angles=angles, rhythm=rhythm)


def _measure_walk(
    source: str | os.PathLike[str],
    target: Path,
    settings: AnalysisSettings,
    use_cache: bool,
    progress: Progress,
) -> StepOutcome:
    """Steps, strides and pelvis and trunk motion of a walk: ``gait_events.csv``,
    ``steps.csv``, ``strides.csv``, ``gait.csv`` and ``summary.json``."""
    if input_kind(source) == "angles":
        raise LumbopelvicError(
            "a walk is measured from the feet: give the video or its landmark table, "
            "not an angle table"
        )
    table, run = landmarks_from(source, settings.pose, use_cache, progress)
    gait = analyse_gait(table)
    paths = save_landmark_table(table, target) if run is not None else {}
    tables = {
        "events": gait.events,
        "steps": gait.steps,
        "strides": gait.strides,
        "series": gait.series,
    }
    paths.update(save_gait(tables, gait.summary, target))
    return StepOutcome(paths, pose=run, rhythm=gait)
