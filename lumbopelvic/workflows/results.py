"""The result of an analysis in memory, and reading one back from its folder.

>>> import lumbopelvic
>>> result = lumbopelvic.analyze("clip.mp4")            # doctest: +SKIP
>>> result.reps[["rep", "phase", "lumbar_contribution_pct"]]  # doctest: +SKIP
>>> again = lumbopelvic.load(result.folder)              # doctest: +SKIP
>>> walk = lumbopelvic.analyze("walk.mp4", task="walk")  # doctest: +SKIP
>>> walk.strides, walk.summary.steps.cadence_steps_per_min  # doctest: +SKIP
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.summaries import TrialSummary
from lumbopelvic.core.tasks import task_named
from lumbopelvic.core.wording import plural
from lumbopelvic.io.landmark_files import load_landmark_table
from lumbopelvic.io.layout import CURVES_CSV, LANDMARKS_PARQUET
from lumbopelvic.io.result_files import load_angles, load_curves, load_table


@dataclass
class Result:
    """One analysed recording.

    Attributes
    ----------
    folder
        The output folder.
    angles
        Angle table, one row per frame (:mod:`lumbopelvic.kinematics.angles`), provenance in
        ``attrs``.
    summary
        The typed summary (``summary.json``): a
        :class:`~lumbopelvic.rhythm.summary.RhythmSummary` for a task of repetitions, a
        :class:`~lumbopelvic.gait.summary.GaitSummary` for a walk.
    tables
        The analysis' tables by kind: ``reps`` (one row per repetition and phase), or a
        walk's ``events``, ``steps``, ``strides`` and ``series``; also as :attr:`reps`,
        :attr:`strides`...
    curves
        Curves over each repetition's phases (lumbar share, relative phase) or each stride
        (every walking series), ``(n, 101)`` each (:mod:`lumbopelvic.core.curves`).
    paths
        Output kind to file (``"video"``, ``"report"``, ``"angles"``, ...).
    landmarks
        The landmark table, when it is at hand (None when the folder has none).
    notes
        One line per output that could not be made, and why (e.g. no PDF without Chromium).
    """

    folder: Path
    angles: pd.DataFrame
    summary: TrialSummary
    tables: dict[str, pd.DataFrame]
    curves: dict[str, np.ndarray]
    paths: dict[str, Path]
    landmarks: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def task(self) -> str:
        """The movement analysed (``forward-bend``, ``squat``, ``sit-to-stand`` or ``walk``)."""
        return self.summary.task

    def table(self, kind: str) -> pd.DataFrame:
        """One of the analysis' tables (:attr:`tables`).

        Raises
        ------
        LumbopelvicError
            When this kind of analysis has no such table (a walk has no ``reps``; a forward
            bend no ``strides``).
        """
        if kind not in self.tables:
            held = ", ".join(self.tables) or "none"
            raise LumbopelvicError(f"a {self.task} analysis has no {kind} table (it has {held})")
        return self.tables[kind]

    @property
    def reps(self) -> pd.DataFrame:
        """One row per repetition and phase (``reps.csv``, :mod:`lumbopelvic.rhythm.metrics`)."""
        return self.table("reps")

    @property
    def strides(self) -> pd.DataFrame:
        """A walk's strides (``strides.csv``, :mod:`lumbopelvic.gait.strides`)."""
        return self.table("strides")

    @property
    def steps(self) -> pd.DataFrame:
        """A walk's steps (``steps.csv``)."""
        return self.table("steps")

    @property
    def phases(self) -> tuple[str, str]:
        """The going and returning phase names (e.g. ``("flexion", "return")``)."""
        task = task_named(self.task)
        if not task.phases:
            raise LumbopelvicError("a walk has steps and strides, not phases")
        return task.going, task.returning

    def describe(self) -> list[str]:
        """The report's plain-language summary: sentences about the movement, no diagnosis."""
        from lumbopelvic.workflows.analysis_kinds import summary_kind

        return summary_kind(self.summary).describe(self.summary)

    def plot_angles(self, ax: Any | None = None) -> Any:
        """Trunk, pelvis and lumbar flexion over time (see :mod:`lumbopelvic.outputs.figures`)."""
        from lumbopelvic.outputs.figures import plot_angles

        return plot_angles(self.angles, ax)

    def plot_pelvis_vs_lumbar(self, ax: Any | None = None) -> Any:
        """Lumbar against pelvis flexion, one line per repetition."""
        if not task_named(self.task).split:
            raise LumbopelvicError("a walk has no pelvis/lumbar split: see its strides")
        from lumbopelvic.outputs.figures import plot_pelvis_vs_lumbar

        return plot_pelvis_vs_lumbar(self.angles, self.reps, ax)

    def plot_share_curves(self, ax: Any | None = None) -> Any:
        """Lumbar share of trunk flexion over each phase, beside the literature band."""
        from lumbopelvic.outputs.figures import plot_share_curves

        phases = self.phases  # a walk has none: it says so before looking for curves
        return plot_share_curves(self.curves, phases, ax)

    def __repr__(self) -> str:
        found = plural(self.summary.found, self.summary.unit)
        return f"Result({self.task}, {found}, folder={str(self.folder)!r})"


def load(folder: str | os.PathLike[str]) -> Result:
    """Read an ``analyze`` output folder back (angles, the analysis' tables and curves, the
    summary, landmarks): nothing is analysed again.

    A folder made before curves were stored reads back without them, and ``notes`` says so.

    Raises
    ------
    LumbopelvicError
        If the folder is not an analysis (no ``summary.json``) or a table is unreadable.
    """
    from lumbopelvic.workflows.analysis_kinds import load_summary_of, summary_kind

    folder = Path(folder)
    summary = load_summary_of(folder)
    angles = load_angles(folder)
    landmarks = load_landmark_table(folder) if (folder / LANDMARKS_PARQUET).is_file() else None
    paths = {path.name: path for path in sorted(folder.iterdir()) if path.is_file()}
    tables = {kind: load_table(folder, kind) for kind in summary_kind(summary).tables}
    notes, curves = [], {}
    if (folder / CURVES_CSV).is_file():
        curves = load_curves(folder)
    else:
        notes.append(f"no {CURVES_CSV} (made by an earlier version): run analyze again for them")
    return Result(folder, angles, summary, tables, curves, paths, landmarks, notes)
