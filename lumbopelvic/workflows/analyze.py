"""``analyze``: pose, angles, rhythm, annotated video, report and exports for one recording.

All outputs are first written into a staging folder beside the target, which replaces the
target as a whole only when every step succeeded (:mod:`lumbopelvic.io.staging`): bad input
never leaves a half-written output folder, and earlier results are either kept whole or
replaced whole. The output location is checked before any work.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.provenance import step_record
from lumbopelvic.io.atomic import write_text_atomic
from lumbopelvic.io.frame_store import FrameStore, scaled_size
from lumbopelvic.io.landmark_files import save_landmark_table
from lumbopelvic.io.layout import (
    ANNOTATED_VIDEO,
    KEY_FRAMES_DIR,
    REPORT_HTML,
    REPORT_PDF,
    default_output_dir,
    input_kind,
)
from lumbopelvic.io.result_files import save_angles, save_rhythm
from lumbopelvic.io.staging import prepare_target, staging_folder, swap_in
from lumbopelvic.io.video import Frame, probe_video
from lumbopelvic.outputs.annotated_video import write_annotated
from lumbopelvic.outputs.key_frames import key_frame_images, key_frame_indices, write_key_frames
from lumbopelvic.outputs.opensim import write_opensim
from lumbopelvic.outputs.pdf_print import PdfUnavailableError, print_pdf
from lumbopelvic.outputs.render_reuse import render_digest, take_over_render
from lumbopelvic.outputs.report import ReportDetails, render_report
from lumbopelvic.rhythm.analysis import analyse_rhythm, phase_labels
from lumbopelvic.workflows.marker_mode import angles_with_stickers
from lumbopelvic.workflows.progress import SILENT, Progress
from lumbopelvic.workflows.results import Result
from lumbopelvic.workflows.settings import AnalysisSettings
from lumbopelvic.workflows.sources import run_pose


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
    out_dir = prepare_target(Path(output) if output else default_output_dir(video))
    info = probe_video(video)
    size = scaled_size(info.width, info.height, settings.outputs.video_size)
    # The frames inference decodes are kept at the annotated video's size (decoded once);
    # next to the output, the user's chosen place, and removed at the end.
    with tempfile.TemporaryDirectory(prefix=".lumbopelvic-frames-", dir=out_dir.parent) as tmp:
        store = FrameStore(Path(tmp), size, info.nominal_fps)
        try:
            run = run_pose(video, settings.pose, use_cache, progress, store.add)
        finally:
            store.close()
        frames = store.frames() if store.count == len(run.table) > 0 else None
        with progress.stage("Angles, rhythm, annotated video and report..."):
            return write_analysis(video, run.table, out_dir, settings, frames, reuse=use_cache)


def write_analysis(
    video: Path,
    landmarks: pd.DataFrame,
    out_dir: Path,
    settings: AnalysisSettings,
    frames: Iterator[Frame] | None = None,
    reuse: bool = True,
) -> Result:
    """Everything after pose: angles, rhythm and every output file, moved in together.

    ``frames``: the analysed frames at the annotated video's size, in the table's order
    (the recording is decoded again when None). ``reuse``: take over the annotated video
    and key frames of the analysis in ``out_dir`` when they would be drawn the same
    (:mod:`lumbopelvic.outputs.render_reuse`)."""
    angles = angles_with_stickers(landmarks, settings.angles, video)
    rhythm = analyse_rhythm(angles, settings.rhythm)
    summary = rhythm.summary
    provenance = summary["provenance"]
    provenance["analyze_settings"] = {
        "task": settings.rhythm.task, **asdict(settings.outputs),
    }  # fmt: skip
    provenance["settings"] = settings.as_options()
    provenance["history"].append(step_record("outputs", settings=asdict(settings.outputs)))
    with staging_folder(out_dir) as staging:
        paths = save_landmark_table(landmarks, staging)
        paths.update(save_angles(angles, staging))
        paths.update(write_opensim(angles, landmarks, staging, settings.outputs.subject_height_m))
        labels = phase_labels(angles["time_s"].to_numpy(float), rhythm.reps)
        split = summary.get("verdict") == "analysable"
        key_frames = key_frame_indices(angles, rhythm.reps, split)
        rows = [frame.index for frame in key_frames]
        look = {"blur_face": settings.outputs.blur_face, "video_size": settings.outputs.video_size,
                "video_quality": settings.outputs.video_quality}  # fmt: skip
        digest = render_digest(landmarks, angles, labels, rows, look)
        reused = reuse and take_over_render(out_dir, staging, digest, rows)
        if not reused:
            annotated = write_annotated(
                video, landmarks, angles, labels, staging / ANNOTATED_VIDEO,
                blur=settings.outputs.blur_face, long_side_px=settings.outputs.video_size,
                crf=settings.outputs.video_quality, frames=frames, stills=rows,
            )  # fmt: skip
            write_key_frames(staging / KEY_FRAMES_DIR, annotated.stills)
        provenance["render"] = {"digest": digest, "reused": reused}
        paths.update(save_rhythm(rhythm.reps, summary, staging))
        paths["video"] = staging / ANNOTATED_VIDEO
        paths["key_frames"] = staging / KEY_FRAMES_DIR
        details = ReportDetails(settings.outputs.client, settings.outputs.notes,
                                provenance["history"][-1]["at"],
                                key_frame_images(key_frames, staging / KEY_FRAMES_DIR))  # fmt: skip
        paths["report"] = staging / REPORT_HTML
        write_text_atomic(paths["report"], render_report(
            angles, rhythm.reps, summary, rhythm.curves, video.name, details))  # fmt: skip
        notes = []
        try:  # the PDF is the page printed; without Chromium there is none, and a note says so
            print_pdf(paths["report"], staging / REPORT_PDF)
            paths["report_pdf"] = staging / REPORT_PDF
        except PdfUnavailableError as why:
            notes.append(str(why))
        final = swap_in(staging, out_dir, paths)
    return Result(
        out_dir,
        angles,
        rhythm.reps,
        summary,
        final,
        landmarks,
        _curves=rhythm.curves,
        notes=notes,
    )
