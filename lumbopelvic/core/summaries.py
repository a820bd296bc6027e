"""The vocabulary every trial summary shares: a spread of values and what a summary offers
(the verdict is in :mod:`lumbopelvic.core.verdict`).

``summary.json`` is written from a typed summary (:class:`lumbopelvic.rhythm.summary.RhythmSummary`
for repetitions, :class:`lumbopelvic.gait.summary.GaitSummary` for a walk) and read back
into one; every reader (reports, command line, batch tables, compare) uses its attributes,
never string keys. Both follow :class:`TrialSummary`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from lumbopelvic.core.verdict import Assessment, Verdict

SCHEMA = "lumbopelvic.summary"
# The layout of summary.json; bump when a key changes meaning or moves.
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Spread:
    """Mean, standard deviation, coefficient of variation and count of some values (in the
    values' unit; ``cv_pct`` in percent). None where there are too few values."""

    mean: float | None = None
    sd: float | None = None
    cv_pct: float | None = None
    n: int = 0

    def to_json(self) -> dict[str, float | int | None]:
        return {"mean": self.mean, "sd": self.sd, "cv_pct": self.cv_pct, "n": self.n}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Spread:
        data = data or {}
        return cls(data.get("mean"), data.get("sd"), data.get("cv_pct"), int(data.get("n", 0)))


def spread_of(values: pd.Series | np.ndarray) -> Spread:
    """The :class:`Spread` of the values present (NaN left out), rounded to 3 decimals; the SD
    and CV need two values, and the CV a mean away from zero."""
    v = pd.Series(values, dtype=float).dropna().to_numpy(float)
    if not len(v):
        return Spread()
    mean = float(np.mean(v))
    sd = float(np.std(v, ddof=1)) if len(v) > 1 else None
    cv = 100 * sd / abs(mean) if sd is not None and abs(mean) > 1e-9 else None
    return Spread(round(mean, 3), rounded(sd), rounded(cv), len(v))


def rounded(value: float | None, decimals: int = 3) -> float | None:
    """``value`` rounded, or None when it is missing or not finite."""
    return None if value is None or not np.isfinite(value) else round(float(value), decimals)


class TrialSummary(Protocol):
    """What every trial summary offers, whatever the analysis.

    Attributes
    ----------
    task
        The task analysed (:mod:`lumbopelvic.core.tasks`).
    assessment
        The verdict with its reasons and advice.
    flags
        Plain statements about the trial.
    provenance
        Package version, input, models, every setting, processing history.
    unit
        What the analysis counts: ``repetition`` or ``step``.
    quality
        The angle step's capture quality, with its filming ``advice`` (empty for a walk).
    """

    task: str
    assessment: Assessment
    flags: tuple[str, ...]
    provenance: dict[str, Any]

    @property
    def unit(self) -> str: ...

    @property
    def quality(self) -> dict[str, Any]: ...

    @property
    def verdict(self) -> Verdict: ...

    @property
    def found(self) -> int:
        """How many of :attr:`unit` were found."""
        ...

    def with_provenance(self, **entries: Any) -> TrialSummary:
        """A copy whose provenance holds ``entries`` too."""
        ...

    def to_json(self) -> dict[str, Any]: ...
