"""``analyze``: pose, angles, rhythm, annotated video, report and exports for one recording.

All outputs are first written into a staging folder beside the target, which replaces the
target as a whole only when every step succeeded (:mod:`lumbopelvic.io.staging`): bad input
never leaves a half-written output folder, and earlier results are either kept whole or
replaced whole. The output location is checked before any work.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.io.background import import_in_background
from lumbopelvic.io.frame_store import FrameStore, scaled_size
from lumbopelvic.io.layout import ANALYZE, default_output_dir, input_kind
from lumbopelvic.io.staging import prepare_target, scratch_folder, target_lock
from lumbopelvic.io.video import Frame, probe_video
from lumbopelvic.workflows.progress import SILENT, Progress
from lumbopelvic.workflows.settings import AnalysisSettings
from lumbopelvic.workflows.sources import run_pose

if TYPE_CHECKING:
    from lumbopelvic.workflows.results import Result

# What the steps after pose load (SciPy, matplotlib, Jinja2...): imported while pose runs.
AFTER_POSE_MODULES = (
    "lumbopelvic.workflows.analysis_outputs",
    "lumbopelvic.outputs.report",
    "matplotlib.figure",
)


def analyze(
    video: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    settings: AnalysisSettings | None = None,
    *,
    use_cache: bool = True,
    progress: Progress = SILENT,
    **options: Any,
) -> Result:
    """Analyse one recording and write every output into ``output``.

    Parameters
    ----------
    video
        The video file (a phone or webcam recording filmed from the side).
    output
        Output folder; ``./<video name>_lumbopelvic`` when None.
    settings
        All settings; the defaults when None.
    use_cache
        Reuse pose results of an earlier run on the same video, model and settings, and
        the annotated video of the analysis being replaced when it would be drawn the same.
    progress
        Progress hooks (the command line's bars); silent by default.
    **options
        Single settings by their option names, on top of ``settings``, e.g.
        ``task="squat"``, ``cutoff_hz=4.0``, ``blur_face=False``, ``client="J. Doe"``.

    Returns
    -------
    Result
        Angles, repetitions, summary and the paths of ``annotated.mp4``, ``report.html``,
        ``report.pdf`` (printed by Chromium; without it there is none and ``notes`` says
        so), the tables and the OpenSim exports.

    Raises
    ------
    LumbopelvicError
        For bad input (unreadable video, no person, unknown setting...): one line.
    """
    settings = AnalysisSettings.from_options(settings, **options)
    video = Path(video)
    if input_kind(video) != "video":
        raise LumbopelvicError("analyze needs the video itself (it draws on its frames)")
    out_dir = prepare_target(Path(output) if output else default_output_dir(video), ANALYZE)
    info = probe_video(video)
    size = scaled_size(info.width, info.height, settings.outputs.video_size)
    # The frames inference decodes are kept at the annotated video's size (decoded once);
    # next to the output, the user's chosen place, and removed at the end.
    with target_lock(out_dir), scratch_folder(out_dir) as scratch:
        store = FrameStore(scratch, size, info.nominal_fps)

        def keep(frame: Frame) -> None:
            store.add(frame)
            if store.count == 2:  # the pose runtime is loaded by now: no two imports race
                import_in_background(*AFTER_POSE_MODULES)

        try:
            run = run_pose(video, settings.pose, use_cache, progress, keep)
        finally:
            store.close()
        frames = store.frames() if store.count == len(run.table) > 0 else None
        from lumbopelvic.workflows.analysis_kinds import kind_of
        from lumbopelvic.workflows.analysis_outputs import write_analysis

        stage = kind_of(settings.rhythm.movement).stage
        with progress.stage(f"{stage}, annotated video and report..."):
            return write_analysis(video, run.table, out_dir, settings, frames, reuse=use_cache)
