"""The analysis of a walk: steps, strides and pelvis and trunk motion, the walking readouts
of the video, the walking report and a walk's batch rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.verdict import Verdict
from lumbopelvic.gait.analysis import analyse_gait
from lumbopelvic.gait.summary import GaitSummary
from lumbopelvic.outputs.gait_overlay import walking_readouts
from lumbopelvic.outputs.gait_report import render_gait_report
from lumbopelvic.outputs.gait_words import verdict_lines, view_text, walk_lines
from lumbopelvic.outputs.report import ReportDetails
from lumbopelvic.outputs.report_words import Line
from lumbopelvic.workflows.analyses import Analysed, Drawing
from lumbopelvic.workflows.gait_tables import tidy_strides, walk_trial_row
from lumbopelvic.workflows.settings import AnalysisSettings


class WalkAnalysis:
    """Steps and strides of a walk (:mod:`lumbopelvic.gait`); see
    :class:`lumbopelvic.workflows.analyses.AnalysisKind`."""

    name = "gait"
    stage = "Steps"
    needs_landmarks = (
        "a walk is measured from the feet: give the video or its landmark table, not an angle table"
    )
    tables = ("events", "steps", "strides", "series")
    batch_table = "strides"
    frames_table = "series"

    def analyse(
        self, angles: pd.DataFrame, landmarks: pd.DataFrame | None, settings: AnalysisSettings
    ) -> Analysed:
        if landmarks is None:
            raise LumbopelvicError(self.needs_landmarks)
        gait = analyse_gait(landmarks, settings.angles)
        tables = {
            "events": gait.events,
            "steps": gait.steps,
            "strides": gait.strides,
            "series": gait.series,
        }
        return Analysed(angles, gait.summary, tables, gait.curves, gait)

    def summary_from_json(self, data: dict[str, Any]) -> GaitSummary:
        return GaitSummary.from_json(data)

    def drawing(self, analysed: Analysed, landmarks: pd.DataFrame) -> Drawing:
        readouts = walking_readouts(analysed.detail)
        # The step under way (the first readout line), for the record.
        return Drawing([lines[0][0] for lines in readouts.texts], [], readouts)

    def report(self, analysed: Analysed, video_name: str, details: ReportDetails) -> str:
        return render_gait_report(analysed.detail, video_name, details)

    def exports(
        self, analysed: Analysed, landmarks: pd.DataFrame, folder: Path, settings: AnalysisSettings
    ) -> dict[str, Path]:
        return {}

    def describe(self, summary: GaitSummary) -> list[str]:
        if summary.verdict == Verdict.NOT_ANALYSABLE:
            return [*summary.assessment.reasons, *summary.assessment.advice]
        return [*verdict_lines(summary), view_text(summary)]

    def console_lines(self, summary: GaitSummary) -> list[Line]:
        return walk_lines(summary)

    def trial_row(
        self, identity: dict[str, Any], summary: GaitSummary, times_s: pd.Series
    ) -> dict[str, Any]:
        return walk_trial_row(summary, times_s)

    def batch_rows(self, table: pd.DataFrame, identity: dict[str, Any], task: str) -> pd.DataFrame:
        return tidy_strides(table, identity, task)
