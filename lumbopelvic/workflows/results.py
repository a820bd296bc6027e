"""The result of an analysis in memory, and reading one back from its folder.

>>> import lumbopelvic
>>> result = lumbopelvic.analyze("clip.mp4")            # doctest: +SKIP
>>> result.reps[["rep", "phase", "lumbar_contribution_pct"]]  # doctest: +SKIP
>>> again = lumbopelvic.load(result.folder)              # doctest: +SKIP
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.wording import plural
from lumbopelvic.io.landmark_files import load_landmark_table
from lumbopelvic.io.layout import LANDMARKS_PARQUET, REPS_CSV, STRIDES_CSV
from lumbopelvic.io.result_files import load_angles, load_reps, load_summary


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
    reps
        One row per repetition and phase (``reps.csv``, :mod:`lumbopelvic.rhythm.metrics`);
        for a walk, one row per stride (``strides.csv``, :mod:`lumbopelvic.gait.strides`).
    summary
        ``summary.json``: variability, coordination, flags, quality, references, provenance.
    paths
        Output kind to file (``"video"``, ``"report"``, ``"angles"``, ...).
    landmarks
        The landmark table, when it is at hand (None when the folder has none).
    notes
        One line per output that could not be made, and why (e.g. no PDF without Chromium).
    """

    folder: Path
    angles: pd.DataFrame
    reps: pd.DataFrame
    summary: dict[str, Any]
    paths: dict[str, Path]
    landmarks: pd.DataFrame | None = None
    _curves: dict[str, np.ndarray] | None = field(default=None, repr=False)
    notes: list[str] = field(default_factory=list)

    @property
    def task(self) -> str:
        """The movement analysed (``forward-bend``, ``squat``, ``sit-to-stand`` or ``walk``)."""
        return str(self.summary.get("task", "forward-bend"))

    @property
    def phases(self) -> tuple[str, str]:
        """The going and returning phase names (e.g. ``("flexion", "return")``)."""
        from lumbopelvic.rhythm.tasks import PHASE_NAMES

        if self.task not in PHASE_NAMES:
            raise LumbopelvicError("a walk has steps and strides, not phases")
        names = PHASE_NAMES[self.task]
        return names[0], names[2]

    @cached_property
    def curves(self) -> dict[str, np.ndarray]:
        """Lumbar share and relative phase curves per repetition (101 points each)."""
        if self._curves is not None:
            return self._curves
        if self.task == "walk":
            from lumbopelvic.gait.analysis import analyse_gait

            if self.landmarks is None:
                raise LumbopelvicError("the walk's curves need its landmark table")
            return analyse_gait(self.landmarks).curves
        from lumbopelvic.rhythm.analysis import analyse_rhythm
        from lumbopelvic.rhythm.tasks import RhythmSettings

        return analyse_rhythm(self.angles, RhythmSettings(self.task)).curves

    def describe(self) -> list[str]:
        """The report's plain-language summary: sentences about the movement, no diagnosis."""
        if self.task == "walk":
            from lumbopelvic.outputs.gait_words import verdict_lines, view_text

            if self.summary.get("verdict") == "not-analysable":
                return [*self.summary["verdict_reasons"], *self.summary["verdict_advice"]]
            return [*verdict_lines(self.summary), view_text(self.summary)]
        from lumbopelvic.outputs.report_text import plain_summary

        return plain_summary(self.summary)

    def plot_angles(self, ax: Any | None = None) -> Any:
        """Trunk, pelvis and lumbar flexion over time (see :mod:`lumbopelvic.outputs.figures`)."""
        from lumbopelvic.outputs.figures import plot_angles

        return plot_angles(self.angles, ax)

    def plot_pelvis_vs_lumbar(self, ax: Any | None = None) -> Any:
        """Lumbar against pelvis flexion, one line per repetition."""
        if self.task == "walk":
            raise LumbopelvicError("a walk has no pelvis/lumbar split: see its strides (reps)")
        from lumbopelvic.outputs.figures import plot_pelvis_vs_lumbar

        return plot_pelvis_vs_lumbar(self.angles, self.reps, ax)

    def plot_share_curves(self, ax: Any | None = None) -> Any:
        """Lumbar share of trunk flexion over each phase, beside the literature band."""
        from lumbopelvic.outputs.figures import plot_share_curves

        phases = self.phases  # a walk has none: it says so before looking for curves
        return plot_share_curves(self.curves, phases, ax)

    def __repr__(self) -> str:
        if self.task == "walk":
            found, unit = self.summary.get("steps", {}).get("steps", 0), "step"
        else:
            found, unit = self.summary.get("repetitions", {}).get("found", 0), "repetition"
        return f"Result({self.task}, {plural(found, unit)}, folder={str(self.folder)!r})"


def load(folder: str | os.PathLike[str]) -> Result:
    """Read an ``analyze`` output folder back (angles, repetitions, summary, landmarks).

    Raises
    ------
    LumbopelvicError
        If the folder is not an analysis (no ``summary.json``) or a table is unreadable.
    """
    folder = Path(folder)
    summary = load_summary(folder)
    angles = load_angles(folder)
    landmarks = load_landmark_table(folder) if (folder / LANDMARKS_PARQUET).is_file() else None
    paths = {path.name: path for path in sorted(folder.iterdir()) if path.is_file()}
    table = load_reps(folder, STRIDES_CSV if summary.get("task") == "walk" else REPS_CSV)
    return Result(folder, angles, table, summary, paths, landmarks)
