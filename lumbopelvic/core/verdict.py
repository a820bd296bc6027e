"""A trial's verdict: whether it can be read, why not, and how to film it better.

Kept apart from the summaries (:mod:`lumbopelvic.core.summaries`) and free of NumPy and pandas,
so the command line can colour a verdict without loading them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Verdict(StrEnum):
    """Whether a trial can be read, written as its value in ``summary.json``.

    ``analysable``: the task's movement was found and measured as far as the task goes (for
    repetitions: the pelvis/lumbar split is confident over most of it); ``trunk-only``: the
    movement was found but the split is not supported, so the trunk and knee stand and
    pelvis, lumbar and hip do not; ``not-analysable``: no person, a view that cannot show the
    movement, or no movement of the task.
    """

    ANALYSABLE = "analysable"
    TRUNK_ONLY = "trunk-only"
    NOT_ANALYSABLE = "not-analysable"


@dataclass(frozen=True)
class Assessment:
    """A trial's verdict with its reasons and advice, each a plain sentence.

    Attributes
    ----------
    verdict
        The :class:`Verdict`.
    reasons
        Why the trial is not fully analysable (empty when it is).
    advice
        How to film it better, one sentence each.
    confident_share
        Share (0-1) of the movement's frames whose pelvis/lumbar split is confident (None
        where the split does not apply, as for a walk).
    """

    verdict: Verdict
    reasons: tuple[str, ...] = ()
    advice: tuple[str, ...] = ()
    confident_share: float | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "verdict": self.verdict.value,
            "verdict_reasons": list(self.reasons),
            "verdict_advice": list(self.advice),
        }
        if self.confident_share is not None:
            out["confident_share"] = self.confident_share
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Assessment:
        return cls(
            Verdict(data.get("verdict", Verdict.ANALYSABLE)),
            tuple(data.get("verdict_reasons", ())),
            tuple(data.get("verdict_advice", ())),
            data.get("confident_share"),
        )
