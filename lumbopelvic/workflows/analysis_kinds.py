"""Which analysis a task gets: the choice between repetitions and a walk, made here once.

Every workflow that needs the analysis after the angles (``analyze``, ``rhythm``, ``load``,
``batch``) and the command line's printing ask :func:`kind_of` (or :func:`summary_kind` for a
summary read back); nothing else tests which task it holds. A new kind of analysis is one
class following :class:`lumbopelvic.workflows.analyses.AnalysisKind` and one entry in
:data:`KINDS`.
"""

from __future__ import annotations

import os
from typing import Any

import pandas as pd

from lumbopelvic.core.summaries import TrialSummary
from lumbopelvic.core.tasks import DEFAULT_TASK, Task, task_named
from lumbopelvic.io.result_files import load_summary
from lumbopelvic.kinematics.angles import without_split
from lumbopelvic.workflows.analyses import Analysed, AnalysisKind
from lumbopelvic.workflows.repetition_analysis import RepetitionAnalysis
from lumbopelvic.workflows.settings import AnalysisSettings
from lumbopelvic.workflows.walk_analysis import WalkAnalysis

# A task's ``analysis`` -> the kind that does it.
KINDS: dict[str, AnalysisKind] = {"repetitions": RepetitionAnalysis(), "gait": WalkAnalysis()}


def kind_of(task: str | Task) -> AnalysisKind:
    """The kind of analysis of ``task`` (its id or its definition)."""
    definition = task_named(task) if isinstance(task, str) else task
    return KINDS[definition.analysis]


def summary_kind(summary: TrialSummary) -> AnalysisKind:
    """The kind of analysis a summary came from."""
    return kind_of(summary.task)


def summary_from_json(data: dict[str, Any]) -> TrialSummary:
    """A ``summary.json`` dictionary read into the summary of its task's kind."""
    return kind_of(data.get("task", DEFAULT_TASK)).summary_from_json(data)


def load_summary_of(folder: str | os.PathLike[str]) -> TrialSummary:
    """The typed summary of an analysis folder (:func:`summary_from_json`)."""
    return summary_from_json(load_summary(folder))


def analyse(
    angles: pd.DataFrame, landmarks: pd.DataFrame | None, settings: AnalysisSettings
) -> tuple[AnalysisKind, Analysed]:
    """The analysis the task asks for, on one recording's angles (and landmarks when at
    hand); the angle table keeps the pelvis/lumbar split only where the task has one."""
    task = settings.rhythm.movement
    kind = kind_of(task)
    shown = angles if task.split else without_split(angles)
    return kind, kind.analyse(shown, landmarks, settings)
