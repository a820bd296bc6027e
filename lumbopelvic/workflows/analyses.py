"""The analysis after the angles, as one seam: what every kind of analysis supplies.

A task (:mod:`lumbopelvic.core.tasks`) names its kind of analysis, ``repetitions`` or
``gait``; :func:`lumbopelvic.workflows.analysis_kinds.kind_of` makes that choice, once, and
every workflow after it (``analyze``, ``rhythm``, ``load``, ``batch``, the command line's
printing) asks the kind it got. Each kind supplies the science, how its summary is read back,
what the annotated video and report show, and its rows of a batch's tables
(:class:`AnalysisKind`). The writing sequence is the same for all
(:mod:`lumbopelvic.workflows.analysis_outputs`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd

from lumbopelvic.core.summaries import TrialSummary

if TYPE_CHECKING:
    from lumbopelvic.outputs.annotated_video import Readouts
    from lumbopelvic.outputs.key_frames import KeyFrame
    from lumbopelvic.outputs.report import ReportDetails
    from lumbopelvic.outputs.report_words import Line
    from lumbopelvic.workflows.settings import AnalysisSettings


@dataclass(frozen=True)
class Analysed:
    """What one analysis found in a recording.

    Attributes
    ----------
    angles
        The angle table as written (``angles.csv``; a task without the pelvis/lumbar split
        has those columns empty).
    summary
        The typed summary (``summary.json``).
    tables
        Table kind to table (:data:`lumbopelvic.io.layout.TABLE_FILES`): ``reps``; or a
        walk's ``events``, ``steps``, ``strides`` and ``series``.
    curves
        Curves over each cycle (``curves.csv``, :mod:`lumbopelvic.core.curves`).
    detail
        The science's whole result (:class:`lumbopelvic.rhythm.analysis.RhythmResult` or
        :class:`lumbopelvic.gait.analysis.GaitResult`), for the report and the video.
    """

    angles: pd.DataFrame
    summary: TrialSummary
    tables: dict[str, pd.DataFrame]
    curves: dict[str, np.ndarray]
    detail: Any = None

    def with_summary(self, summary: TrialSummary) -> Analysed:
        """A copy holding ``summary`` (e.g. with the outputs' provenance), in its detail too."""
        detail = self.detail
        if dataclasses.is_dataclass(detail) and hasattr(detail, "summary"):
            detail = dataclasses.replace(detail, summary=summary)
        return dataclasses.replace(self, summary=summary, detail=detail)


@dataclass(frozen=True)
class Drawing:
    """What the annotated video shows besides the skeleton.

    Attributes
    ----------
    labels
        One label per frame (the repetition and phase, or the step), for the record and the
        readouts.
    key_frames
        The report's key frames, drawn on the way (none for a walk).
    readouts
        Readouts and time plot in place of the forward-bend ones (a walk's; None: the bend's).
    """

    labels: list[str]
    key_frames: list[KeyFrame] = field(default_factory=list)
    readouts: Readouts | None = None


class AnalysisKind(Protocol):
    """One kind of analysis (a task's ``analysis``): what it supplies to every workflow."""

    name: str
    # The progress stage's words ("Angles, rhythm" or "Steps").
    stage: str
    # Why this kind cannot start from an angle table (empty: it can).
    needs_landmarks: str
    # The analysis' tables (kinds of :data:`lumbopelvic.io.layout.TABLE_FILES`), in order.
    tables: tuple[str, ...]
    # The table a batch gathers from every trial (``reps`` or ``strides``), and the table
    # whose ``time_s`` tells the stretch analysed (``angles`` or ``series``).
    batch_table: str
    frames_table: str

    def analyse(
        self, angles: pd.DataFrame, landmarks: pd.DataFrame | None, settings: AnalysisSettings
    ) -> Analysed:
        """The science on one recording's angles (and landmarks, when at hand)."""
        ...

    def summary_from_json(self, data: dict[str, Any]) -> TrialSummary:
        """A ``summary.json`` of this kind read back."""
        ...

    def drawing(self, analysed: Analysed, landmarks: pd.DataFrame) -> Drawing:
        """The labels, key frames and readouts of the annotated video."""
        ...

    def report(self, analysed: Analysed, video_name: str, details: ReportDetails) -> str:
        """The report page (HTML)."""
        ...

    def exports(
        self, analysed: Analysed, landmarks: pd.DataFrame, folder: Path, settings: AnalysisSettings
    ) -> dict[str, Path]:
        """Further files for other software (OpenSim), written into ``folder``."""
        ...

    def describe(self, summary: TrialSummary) -> list[str]:
        """The report's plain-language summary: sentences, no diagnosis."""
        ...

    def console_lines(self, summary: TrialSummary) -> list[Line]:
        """What the command line prints about the trial, line by line."""
        ...

    def trial_row(
        self, identity: dict[str, Any], summary: TrialSummary, times_s: pd.Series
    ) -> dict[str, Any]:
        """One row of a batch's ``trials.csv``."""
        ...

    def batch_rows(self, table: pd.DataFrame, identity: dict[str, Any], task: str) -> pd.DataFrame:
        """A trial's :attr:`batch_table` as rows of the batch's table of the same name."""
        ...
