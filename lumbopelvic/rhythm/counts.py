"""How many repetitions a recording holds, how many are whole, and what is counted.

A repetition is whole when the recording holds all its phases; the recording may cut one and
still hold some of its phases whole (a lift from the floor to lock-out in a clip that starts
with the bar on the floor: :mod:`lumbopelvic.rhythm.repetitions`). Tasks counted as people
count them (:attr:`lumbopelvic.core.tasks.Task.unit`: lifts, stands) count returning phases.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from lumbopelvic.core.tasks import task_named
from lumbopelvic.core.wording import plural


@dataclass(frozen=True)
class RepetitionCounts:
    """Repetitions found, how many are whole in the recording, why none when none, the
    whole phases of the repetitions the recording cuts (``(repetition, phase)``), and the
    returning phases that moved and those of them that are whole."""

    found: int
    complete: int
    message: str | None = None
    whole_phases_of_cut: tuple[tuple[int, str], ...] = ()
    returning_phases: int = 0
    whole_returning_phases: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "found": self.found,
            "complete": self.complete,
            "message": self.message,
            "returning_phases": self.returning_phases,
            "whole_returning_phases": self.whole_returning_phases,
            "whole_phases_of_cut": [
                {"rep": rep, "phase": phase} for rep, phase in self.whole_phases_of_cut
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RepetitionCounts:
        return cls(
            int(data.get("found", 0)),
            int(data.get("complete", 0)),
            data.get("message"),
            tuple((int(p["rep"]), str(p["phase"])) for p in data.get("whole_phases_of_cut", [])),
            int(data.get("returning_phases", 0)),
            int(data.get("whole_returning_phases", 0)),
        )


def count_repetitions(rows: pd.DataFrame, task: str) -> RepetitionCounts:
    """The :class:`RepetitionCounts` of a trial's ``reps.csv`` rows (``rep``, ``phase``,
    ``complete``, ``duration_s``)."""
    definition = task_named(task)
    if not len(rows):
        return RepetitionCounts(0, 0, f"no {task} repetition was found in this recording")
    found = int(rows["rep"].nunique())
    whole_reps = rows.groupby("rep")["complete"].all()
    cut = rows[~rows["rep"].isin(whole_reps[whole_reps].index)]
    kept = cut[cut["complete"].astype(bool) & cut["phase"].isin(definition.directional_phases)]
    # A returning phase that moved: one the recording ends in before it leaves the bottom
    # lasts no time.
    returns = rows[(rows["phase"] == definition.returning) & (rows["duration_s"] > 0)]
    return RepetitionCounts(
        found,
        int(whole_reps.sum()),
        None,
        tuple((int(r.rep), str(r.phase)) for r in kept.itertuples()),
        len(returns),
        int(returns["complete"].astype(bool).sum()),
    )


def cut_flag(counts: RepetitionCounts) -> str | None:
    """The flag saying how many repetitions the recording cuts and which of their phases are
    analysed (None when it cuts none)."""
    if counts.complete == counts.found:
        return None
    kept = ", ".join(f"rep {rep} {phase}" for rep, phase in counts.whole_phases_of_cut)
    return (
        f"{plural(counts.found - counts.complete, 'repetition')} cut off by the start or end of "
        "the recording" + (f"; their whole phases are analysed ({kept})" if kept else "")
    )
