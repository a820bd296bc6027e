"""Turn what the user points at (a video, a landmark or angle table, an analysis folder) into
the table a step needs, running pose inference (cached) only when the input is a video, and
the landmark table into angles."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.time_range import select_time_range
from lumbopelvic.io.landmark_files import load_landmark_table
from lumbopelvic.io.layout import LANDMARKS_PARQUET, input_kind
from lumbopelvic.io.video import Frame
from lumbopelvic.kinematics.angles import compute_angles
from lumbopelvic.kinematics.settings import AngleSettings
from lumbopelvic.pose.extract import PoseRun, extract_pose
from lumbopelvic.pose.settings import PoseSettings
from lumbopelvic.workflows.progress import SILENT, Progress


def run_pose(
    video: str | os.PathLike[str],
    settings: PoseSettings | None = None,
    use_cache: bool = True,
    progress: Progress = SILENT,
    frame_sink: Callable[[Frame], None] | None = None,
) -> PoseRun:
    """Pose of every frame of ``video`` (from the cache when it ran before), with progress;
    ``frame_sink`` is given each analysed frame when inference runs."""
    try:
        return extract_pose(
            video,
            settings or PoseSettings(),
            use_cache,
            progress.pose_frame,
            progress.pose_started,
            frame_sink,
            progress.note,
        )
    finally:
        progress.pose_finished()


def landmarks_from(
    source: str | os.PathLike[str],
    settings: PoseSettings | None = None,
    use_cache: bool = True,
    progress: Progress = SILENT,
) -> tuple[pd.DataFrame, PoseRun | None]:
    """The landmark table of a video (pose, cached), of a table file, or of a folder.

    Returns
    -------
    table
        The landmark table, provenance in ``attrs``.
    run
        How the pose step ran when ``source`` is a video; None when a table was read.

    Raises
    ------
    LumbopelvicError
        For an angle table (it holds no landmarks), or a bad video or table.
    """
    source = Path(source)
    kind = input_kind(source)
    if kind == "angles":
        raise LumbopelvicError(
            f"{source.name} is an angle table; this step needs a video or a landmark table"
        )
    if kind == "landmarks" or (kind == "analysis" and (source / LANDMARKS_PARQUET).is_file()):
        return in_range(load_landmark_table(source), settings, source), None
    if kind == "analysis":
        raise LumbopelvicError(f"{source} holds no {LANDMARKS_PARQUET}")
    run = run_pose(source, settings, use_cache, progress)
    return run.table, run


def in_range(
    table: pd.DataFrame, settings: PoseSettings | None, source: str | os.PathLike[str]
) -> pd.DataFrame:
    """The rows of a table read from a file within ``settings.start``/``end`` (seconds of
    its ``time_s``); pose inference on a video applies the range itself."""
    if settings is None:
        return table
    return select_time_range(table, settings.start, settings.end, Path(source).name)


def angle_table(
    table: pd.DataFrame, settings: AngleSettings, video: str | os.PathLike[str] | None
) -> pd.DataFrame:
    """The angle table of a landmark table: the split by the estimator ``settings`` chooses
    (:func:`lumbopelvic.kinematics.angles.compute_angles`), and marker mode on top only when
    stickers are asked for (:mod:`lumbopelvic.workflows.marker_mode`; it reads the ``video``'s
    frames, so without one only the markerless split is made and the provenance says why).
    """
    angles = compute_angles(table, settings)
    if settings.stickers == "off":
        return angles
    from lumbopelvic.workflows.marker_mode import with_stickers

    return with_stickers(angles, table, settings, Path(video) if video is not None else None)
