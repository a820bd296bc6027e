"""The analysis of a task of repetitions (forward bend, squat, sit-to-stand): the rhythm of
each repetition, its video readouts and key frames, its report and its batch rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from lumbopelvic.core.verdict import Verdict
from lumbopelvic.outputs.key_frames import key_frame_indices
from lumbopelvic.outputs.opensim import write_opensim
from lumbopelvic.outputs.report import ReportDetails, render_report
from lumbopelvic.outputs.report_text import plain_summary, rhythm_lines
from lumbopelvic.outputs.report_words import Line
from lumbopelvic.rhythm.analysis import analyse_rhythm, phase_labels
from lumbopelvic.rhythm.summary import RhythmSummary
from lumbopelvic.workflows.analyses import Analysed, Drawing
from lumbopelvic.workflows.repetition_tables import repetition_trial_row, tidy_reps
from lumbopelvic.workflows.settings import AnalysisSettings


class RepetitionAnalysis:
    """Repetitions of a driver angle, their phases and the pelvis/lumbar rhythm of each
    (:mod:`lumbopelvic.rhythm`); see :class:`lumbopelvic.workflows.analyses.AnalysisKind`."""

    name = "repetitions"
    stage = "Angles, rhythm"
    needs_landmarks = ""
    tables = ("reps",)
    batch_table = "reps"
    frames_table = "angles"

    def analyse(
        self, angles: pd.DataFrame, landmarks: pd.DataFrame | None, settings: AnalysisSettings
    ) -> Analysed:
        rhythm = analyse_rhythm(angles, settings.rhythm)
        return Analysed(angles, rhythm.summary, {"reps": rhythm.reps}, rhythm.curves, rhythm)

    def summary_from_json(self, data: dict[str, Any]) -> RhythmSummary:
        return RhythmSummary.from_json(data)

    def drawing(self, analysed: Analysed, landmarks: pd.DataFrame) -> Drawing:
        angles, reps = analysed.angles, analysed.tables["reps"]
        split = analysed.summary.verdict == Verdict.ANALYSABLE
        labels = phase_labels(angles["time_s"].to_numpy(float), reps)
        return Drawing(labels, key_frame_indices(angles, reps, split))

    def report(self, analysed: Analysed, video_name: str, details: ReportDetails) -> str:
        reps = analysed.tables["reps"]
        return render_report(
            analysed.angles, reps, analysed.summary, analysed.curves, video_name, details
        )

    def exports(
        self, analysed: Analysed, landmarks: pd.DataFrame, folder: Path, settings: AnalysisSettings
    ) -> dict[str, Path]:
        height = settings.outputs.subject_height_m
        return write_opensim(analysed.angles, landmarks, folder, height)

    def describe(self, summary: RhythmSummary) -> list[str]:
        return plain_summary(summary)

    def console_lines(self, summary: RhythmSummary) -> list[Line]:
        return rhythm_lines(summary)

    def trial_row(
        self, identity: dict[str, Any], summary: RhythmSummary, times_s: pd.Series
    ) -> dict[str, Any]:
        return repetition_trial_row(summary, times_s)

    def batch_rows(self, table: pd.DataFrame, identity: dict[str, Any], task: str) -> pd.DataFrame:
        return tidy_reps(table, identity, task)
