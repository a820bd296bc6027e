"""Everything ``analyze`` writes after pose: angles, the task's analysis, the annotated video,
the report and the tables, staged and moved in together (:mod:`lumbopelvic.io.staging`).

One sequence serves every kind of analysis (:mod:`.analysis_kinds`): the kind supplies the
science, what the video and the report show and any further exports; this module records
the provenance, reuses an unchanged render and report, prints the PDF, writes the tables and
swaps the folder in whole.

Kept apart from :mod:`.analyze` because it loads the heavy libraries (SciPy, matplotlib,
Jinja2): ``analyze`` imports it in the background while pose inference runs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from lumbopelvic.core.provenance import step_record
from lumbopelvic.core.version import __version__
from lumbopelvic.io.atomic import write_text_atomic
from lumbopelvic.io.landmark_files import save_landmark_table
from lumbopelvic.io.layout import ANALYZE, ANNOTATED_VIDEO, KEY_FRAMES_DIR, REPORT_HTML, REPORT_PDF
from lumbopelvic.io.result_files import save_angles, save_results
from lumbopelvic.io.staging import publish, staging_folder
from lumbopelvic.io.video import Frame
from lumbopelvic.outputs.annotated_video import write_annotated
from lumbopelvic.outputs.key_frames import key_frame_images, write_key_frames
from lumbopelvic.outputs.pdf_print import PdfPrinting
from lumbopelvic.outputs.render_reuse import (
    readouts_digest,
    render_digest,
    report_digest,
    take_over_render,
    take_over_report,
)
from lumbopelvic.outputs.report import ReportDetails
from lumbopelvic.workflows.analysis_kinds import analyse
from lumbopelvic.workflows.results import Result
from lumbopelvic.workflows.settings import AnalysisSettings
from lumbopelvic.workflows.sources import angle_table


def write_analysis(
    video: Path,
    landmarks: pd.DataFrame,
    out_dir: Path,
    settings: AnalysisSettings,
    frames: Iterator[Frame] | None = None,
    reuse: bool = True,
) -> Result:
    """Everything after pose: angles, the task's analysis and every output file, moved in
    together.

    ``frames``: the analysed frames at the annotated video's size, in the table's order
    (the recording is decoded again when None). ``reuse``: take over the annotated video,
    key frames and report of the analysis in ``out_dir`` when they would come out the same,
    and its landmark CSV when it holds the same table
    (:mod:`lumbopelvic.outputs.render_reuse`)."""
    kind, analysed = analyse(angle_table(landmarks, settings.angles, video), landmarks, settings)
    angles = analysed.angles
    summary = analysed.summary
    outputs = asdict(settings.outputs)
    summary = summary.with_provenance(
        analyze_settings={"task": settings.rhythm.task, **outputs},
        settings=settings.as_options(),
        history=[*summary.provenance["history"], step_record("outputs", settings=outputs)],
    )
    analysed = analysed.with_summary(summary)
    provenance = summary.provenance
    drawing = kind.drawing(analysed, landmarks)
    with staging_folder(out_dir) as staging, contextlib.ExitStack() as running:
        rows = [frame.index for frame in drawing.key_frames]
        look = {
            "blur_face": settings.outputs.blur_face,
            "video_size": settings.outputs.video_size,
            "video_quality": settings.outputs.video_quality,
        }
        extra = readouts_digest(drawing.readouts) if drawing.readouts is not None else None
        digest = render_digest(landmarks, angles, drawing.labels, rows, look, extra)
        reused = reuse and take_over_render(out_dir, staging, digest, rows)
        if not reused:
            annotated = write_annotated(
                video,
                landmarks,
                angles,
                drawing.labels,
                staging / ANNOTATED_VIDEO,
                blur=settings.outputs.blur_face,
                long_side_px=settings.outputs.video_size,
                crf=settings.outputs.video_quality,
                frames=frames,
                stills=rows,
                readouts=drawing.readouts,
            )
            if rows:
                write_key_frames(staging / KEY_FRAMES_DIR, annotated.stills)
        provenance["render"] = {"digest": digest, "reused": reused}
        page = {
            "client": settings.outputs.client,
            "notes": settings.outputs.notes,
            "video": video.name,
            "package": __version__,
        }
        report_key = report_digest(digest, summary.to_json(), analysed.tables, page)
        report_reused = reuse and take_over_report(
            out_dir, staging, report_key, [REPORT_HTML, REPORT_PDF]
        )
        provenance["report"] = {"digest": report_key, "reused": report_reused}
        printing = None
        if not report_reused:
            stills = key_frame_images(drawing.key_frames, staging / KEY_FRAMES_DIR)
            at = provenance["history"][-1]["at"]
            details = ReportDetails(settings.outputs.client, settings.outputs.notes, at, stills)
            write_text_atomic(staging / REPORT_HTML, kind.report(analysed, video.name, details))
            # The PDF is the page printed (Chromium, in the background while the tables are
            # written); without Chromium there is none, and a note says so.
            printing = running.enter_context(
                PdfPrinting(staging / REPORT_HTML, staging / REPORT_PDF)
            )
        paths = save_landmark_table(landmarks, staging, earlier=out_dir if reuse else None)
        paths.update(save_angles(angles, staging))
        paths.update(save_results(analysed.tables, summary.to_json(), analysed.curves, staging))
        paths.update(kind.exports(analysed, landmarks, staging, settings))
        paths["video"] = staging / ANNOTATED_VIDEO
        if rows:
            paths["key_frames"] = staging / KEY_FRAMES_DIR
        paths["report"] = staging / REPORT_HTML
        pdf_note = printing.result() if printing is not None else None
        notes = [pdf_note] if pdf_note else []
        if (staging / REPORT_PDF).is_file():
            paths["report_pdf"] = staging / REPORT_PDF
        final = publish(staging, out_dir, ANALYZE, paths)
    return Result(
        out_dir, angles, summary, analysed.tables, analysed.curves, final, landmarks, notes
    )
