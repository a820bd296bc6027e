"""Everything ``analyze`` writes after pose: angles, rhythm, the annotated video, the report
and the tables, staged and moved in together (:mod:`lumbopelvic.io.staging`).

Kept apart from :mod:`.analyze` because it loads the heavy libraries (SciPy, matplotlib,
Jinja2): ``analyze`` imports it in the background while pose inference runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from lumbopelvic.core.provenance import step_record
from lumbopelvic.core.version import __version__
from lumbopelvic.io.atomic import write_text_atomic
from lumbopelvic.io.landmark_files import save_landmark_table
from lumbopelvic.io.layout import ANNOTATED_VIDEO, KEY_FRAMES_DIR, REPORT_HTML, REPORT_PDF
from lumbopelvic.io.result_files import save_angles, save_rhythm
from lumbopelvic.io.staging import staging_folder, swap_in
from lumbopelvic.io.video import Frame
from lumbopelvic.outputs.annotated_video import write_annotated
from lumbopelvic.outputs.key_frames import key_frame_images, key_frame_indices, write_key_frames
from lumbopelvic.outputs.opensim import write_opensim
from lumbopelvic.outputs.pdf_print import PdfPrinting
from lumbopelvic.outputs.render_reuse import (
    render_digest,
    report_digest,
    take_over_render,
    take_over_report,
)
from lumbopelvic.rhythm.analysis import analyse_rhythm, phase_labels
from lumbopelvic.rhythm.tasks import WALK
from lumbopelvic.workflows.marker_mode import angles_with_stickers
from lumbopelvic.workflows.results import Result
from lumbopelvic.workflows.settings import AnalysisSettings


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
    (the recording is decoded again when None). ``reuse``: take over the annotated video,
    key frames and report of the analysis in ``out_dir`` when they would come out the same,
    and its landmark CSV when it holds the same table
    (:mod:`lumbopelvic.outputs.render_reuse`). A walk (``--task walk``) is analysed step by
    step (:mod:`.gait_outputs`)."""
    if settings.rhythm.task == WALK:
        from lumbopelvic.workflows.gait_outputs import write_gait_analysis

        return write_gait_analysis(video, landmarks, out_dir, settings, frames)
    angles = angles_with_stickers(landmarks, settings.angles, video)
    rhythm = analyse_rhythm(angles, settings.rhythm)
    summary = rhythm.summary
    provenance = summary["provenance"]
    provenance["analyze_settings"] = {
        "task": settings.rhythm.task,
        **asdict(settings.outputs),
    }
    provenance["settings"] = settings.as_options()
    provenance["history"].append(step_record("outputs", settings=asdict(settings.outputs)))
    with staging_folder(out_dir) as staging:
        labels = phase_labels(angles["time_s"].to_numpy(float), rhythm.reps)
        split = summary.get("verdict") == "analysable"
        key_frames = key_frame_indices(angles, rhythm.reps, split)
        rows = [frame.index for frame in key_frames]
        look = {
            "blur_face": settings.outputs.blur_face,
            "video_size": settings.outputs.video_size,
            "video_quality": settings.outputs.video_quality,
        }
        digest = render_digest(landmarks, angles, labels, rows, look)
        reused = reuse and take_over_render(out_dir, staging, digest, rows)
        if not reused:
            annotated = write_annotated(
                video,
                landmarks,
                angles,
                labels,
                staging / ANNOTATED_VIDEO,
                blur=settings.outputs.blur_face,
                long_side_px=settings.outputs.video_size,
                crf=settings.outputs.video_quality,
                frames=frames,
                stills=rows,
            )
            write_key_frames(staging / KEY_FRAMES_DIR, annotated.stills)
        provenance["render"] = {"digest": digest, "reused": reused}
        page = {
            "client": settings.outputs.client,
            "notes": settings.outputs.notes,
            "video": video.name,
            "package": __version__,
        }
        report_key = report_digest(digest, summary, rhythm.reps, page)
        report_reused = reuse and take_over_report(
            out_dir, staging, report_key, [REPORT_HTML, REPORT_PDF]
        )
        provenance["report"] = {"digest": report_key, "reused": report_reused}
        printing = None
        if not report_reused:
            # Loaded only here (matplotlib, Jinja2): a report taken over needs neither.
            from lumbopelvic.outputs.report import ReportDetails, render_report

            stills = key_frame_images(key_frames, staging / KEY_FRAMES_DIR)
            details = ReportDetails(
                settings.outputs.client,
                settings.outputs.notes,
                provenance["history"][-1]["at"],
                stills,
            )
            write_text_atomic(
                staging / REPORT_HTML,
                render_report(angles, rhythm.reps, summary, rhythm.curves, video.name, details),
            )
            # The PDF is the page printed (Chromium, in the background while the tables are
            # written); without Chromium there is none, and a note says so.
            printing = PdfPrinting(staging / REPORT_HTML, staging / REPORT_PDF)
        paths = save_landmark_table(landmarks, staging, earlier=out_dir if reuse else None)
        paths.update(save_angles(angles, staging))
        paths.update(save_rhythm(rhythm.reps, summary, staging))
        paths.update(write_opensim(angles, landmarks, staging, settings.outputs.subject_height_m))
        paths.update(
            {
                "video": staging / ANNOTATED_VIDEO,
                "key_frames": staging / KEY_FRAMES_DIR,
                "report": staging / REPORT_HTML,
            }
        )
        pdf_note = printing.result() if printing is not None else None
        notes = [pdf_note] if pdf_note else []
        if (staging / REPORT_PDF).is_file():
            paths["report_pdf"] = staging / REPORT_PDF
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
