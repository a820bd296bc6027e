"""Everything ``analyze --task walk`` writes after pose: the walking analysis, the annotated
video with each step marked, the gait report and the tables, staged and moved in together
(:mod:`lumbopelvic.io.staging`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from lumbopelvic.core.provenance import step_record
from lumbopelvic.gait.analysis import analyse_gait
from lumbopelvic.io.atomic import write_text_atomic
from lumbopelvic.io.landmark_files import save_landmark_table
from lumbopelvic.io.layout import ANNOTATED_VIDEO, REPORT_HTML, REPORT_PDF
from lumbopelvic.io.result_files import save_angles, save_gait
from lumbopelvic.io.staging import staging_folder, swap_in
from lumbopelvic.io.video import Frame
from lumbopelvic.outputs.annotated_video import write_annotated
from lumbopelvic.outputs.gait_overlay import walking_readouts
from lumbopelvic.outputs.pdf_print import PdfPrinting
from lumbopelvic.workflows.marker_mode import angles_with_stickers
from lumbopelvic.workflows.results import Result
from lumbopelvic.workflows.settings import AnalysisSettings

# The forward-bend pelvis/lumbar split is not made for walking (the pelvis tilts 3-5° in
# gait, below what it resolves): a walk's angles.csv keeps trunk, hip and knee only.
BEND_ONLY_COLUMNS = ("pelvis_deg", "lumbar_deg", "thoracic_deg")


def walking_angles(angles: pd.DataFrame) -> pd.DataFrame:
    """The angle table with the forward-bend pelvis/lumbar split left empty (see
    :data:`BEND_ONLY_COLUMNS`)."""
    shown = angles.copy()
    for column in BEND_ONLY_COLUMNS:
        if column in shown:
            shown[column] = np.nan
    return shown


def write_gait_analysis(
    video: Path,
    landmarks: pd.DataFrame,
    out_dir: Path,
    settings: AnalysisSettings,
    frames: Iterator[Frame] | None = None,
) -> Result:
    """The walking analysis and every output file, moved in together (see
    :func:`lumbopelvic.workflows.analysis_outputs.write_analysis`)."""
    angles = walking_angles(angles_with_stickers(landmarks, settings.angles, video))
    gait = analyse_gait(landmarks)
    summary = gait.summary
    provenance = summary["provenance"]
    provenance["analyze_settings"] = {"task": settings.rhythm.task, **asdict(settings.outputs)}
    provenance["settings"] = settings.as_options()
    provenance["history"].append(step_record("outputs", settings=asdict(settings.outputs)))
    with staging_folder(out_dir) as staging:
        readouts = walking_readouts(gait)
        labels = [lines[0][0] for lines in readouts.texts]  # the step, for the record
        write_annotated(
            video,
            landmarks,
            angles,
            labels,
            staging / ANNOTATED_VIDEO,
            blur=settings.outputs.blur_face,
            long_side_px=settings.outputs.video_size,
            crf=settings.outputs.video_quality,
            frames=frames,
            readouts=readouts,
        )
        from lumbopelvic.outputs.gait_report import render_gait_report
        from lumbopelvic.outputs.report import ReportDetails

        details = ReportDetails(
            settings.outputs.client, settings.outputs.notes, provenance["history"][-1]["at"]
        )
        write_text_atomic(staging / REPORT_HTML, render_gait_report(gait, video.name, details))
        printing = PdfPrinting(staging / REPORT_HTML, staging / REPORT_PDF)
        paths = save_landmark_table(landmarks, staging)
        paths.update(save_angles(angles, staging))
        tables = {
            "events": gait.events,
            "steps": gait.steps,
            "strides": gait.strides,
            "series": gait.series,
        }
        paths.update(save_gait(tables, summary, staging))
        paths.update({"video": staging / ANNOTATED_VIDEO, "report": staging / REPORT_HTML})
        pdf_note = printing.result()
        if (staging / REPORT_PDF).is_file():
            paths["report_pdf"] = staging / REPORT_PDF
        final = swap_in(staging, out_dir, paths)
    return Result(
        out_dir,
        angles,
        gait.strides,
        summary,
        final,
        landmarks,
        notes=[pdf_note] if pdf_note else [],
    )
