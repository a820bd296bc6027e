"""Find repetitions and their phases in an angle time series (pure functions).

A repetition is an excursion of a *driver* angle away from the standing baseline: the trunk
for a forward bend, the knee for a squat or a sit-to-stand. Each excursion is split into
three phases: going (flexion), holding near the deepest point, and coming back (return).

Robustness: small sway while standing never reaches the excursion threshold; a pause on the
way down stays inside one repetition (a repetition ends only when the angle is back near
standing); a recording that starts mid-bend or stops before the return is kept and flagged
incomplete; a recording with no excursion gives no repetition.

A movement may start or end at the bottom: a deadlift starts with the bar on the floor, a
sit-to-stand clip often starts seated. A repetition cut by the recording still has a whole
phase when the recording holds its deepest point: the returning phase (a lift from the floor
to lock-out, the stand-up of a clip that starts seated) is whole when the recording starts
at the bottom, either resting there for at least :data:`MIN_BOTTOM_REST_S` or going deeper
before it turns back up (a lifter's last dip before the pull); the going phase likewise when
the recording ends at the bottom. Such a phase is analysed like any whole phase
(:attr:`Repetition.return_complete`, :attr:`Repetition.going_complete`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass

import numpy as np

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.tasks import RepetitionRule, task_named
from lumbopelvic.kinematics.signal_cleaning import contiguous_runs

# An excursion counts as a repetition when the driver angle goes at least the task's
# ``min_excursion_deg`` from standing (lumbopelvic.core.tasks); its ends are where the angle
# is back within REST_FRACTION of its peak (and within REST_MAX_DEG); the hold is where it
# stays within HOLD_FRACTION of its peak.
REST_FRACTION = 0.1
REST_MAX_DEG = 10.0
HOLD_FRACTION = 0.95
# Resting at the bottom this long at the start (end) of a recording shows the bottom of the
# movement, so the phase leaving (reaching) it is whole.
MIN_BOTTOM_REST_S = 0.25
NOMINAL_FPS = 30.0  # frame times assumed when none are given
# A whole movement from standing to the bottom and back faster than this is a jerk, a jump
# or a misreading, not a repetition of these tasks.
MIN_REPETITION_S = 0.8


@dataclass(frozen=True)
class Repetition:
    """One repetition, as frame indices into the series (``stop`` exclusive).

    Attributes
    ----------
    number
        1-based repetition number.
    start, peak_start, peak_stop, stop
        First frame of the going phase; first and one-past-last frame of the hold; one past
        the last frame of the return phase.
    complete_start, complete_end
        False when the recording starts after the repetition began or stops before it ended.
    going_complete, return_complete
        Whether the going (return) phase is whole in the recording: it starts from standing
        (ends at standing) and reaches (leaves) the bottom inside the recording, which a rest
        at the bottom where the recording is cut also shows.
    """

    number: int
    start: int
    peak_start: int
    peak_stop: int
    stop: int
    complete_start: bool
    complete_end: bool
    going_complete: bool = True
    return_complete: bool = True

    @property
    def complete(self) -> bool:
        """The whole repetition is in the recording."""
        return self.complete_start and self.complete_end

    def phases(self) -> tuple[slice, slice, slice]:
        """Going, hold and return phases as slices."""
        return (
            slice(self.start, self.peak_start + 1),
            slice(self.peak_start, self.peak_stop),
            slice(self.peak_stop - 1, self.stop),
        )

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "complete": self.complete}


def find_repetitions(
    angle_deg: np.ndarray, task: str = "forward-bend", times_s: np.ndarray | None = None
) -> list[Repetition]:
    """Repetitions of the driver angle (degrees, change from standing, flexion positive).

    Parameters
    ----------
    angle_deg
        Driver angle per frame (trunk for a forward bend, knee for squat and sit-to-stand);
        NaN where missing (gaps inside a repetition are bridged).
    task
        A task of repetitions (:data:`lumbopelvic.core.tasks.TASKS`): its rule gives the
        smallest excursion that counts.
    times_s
        Frame times (s), to tell a rest at the bottom from a passing moment; frames at
        :data:`NOMINAL_FPS` when None.

    Returns
    -------
    list of Repetition
        In time order; empty when the angle never moves far enough from standing.
    """
    threshold = counting_rule(task).min_excursion_deg
    angle = np.asarray(angle_deg, dtype=float)
    n = len(angle)
    valid = ~np.isnan(angle)
    if not valid.any():
        return []
    filled = np.interp(np.arange(n), np.flatnonzero(valid), angle[valid])
    times = np.arange(n) / NOMINAL_FPS if times_s is None else np.asarray(times_s, float)
    # Excursions bounded where the angle is back within the rest level; two excursions with no
    # return to rest between them (a pause on the way) are one repetition.
    spans: list[tuple[int, int]] = []
    for start, stop in contiguous_runs(filled >= threshold):
        rest = min(REST_FRACTION * float(np.max(filled[start:stop])), REST_MAX_DEG)
        lo, hi = start, stop
        while lo > 0 and filled[lo - 1] > rest:
            lo -= 1
        while hi < n and filled[hi] > rest:
            hi += 1
        if spans and lo < spans[-1][1]:
            lo = spans.pop()[0]
        spans.append((lo, hi))
    reps: list[Repetition] = []
    for k, (rest_lo, rest_hi) in enumerate(spans):
        # The movement starts (ends) at the lowest point next to the excursion, not where it
        # crosses the rest level; never into the neighbouring repetition.
        floor = reps[-1].stop if reps else 0
        ceiling = spans[k + 1][0] if k + 1 < len(spans) else n
        lo, hi = rest_lo, rest_hi
        while lo > floor and filled[lo - 1] < filled[lo]:
            lo -= 1
        while hi < ceiling and filled[hi] < filled[hi - 1]:
            hi += 1
        segment = filled[lo:hi]
        deep = np.flatnonzero(segment >= HOLD_FRACTION * np.max(segment))
        peak_start, peak_stop = lo + int(deep[0]), lo + int(deep[-1]) + 1
        complete_start, complete_end = rest_lo > 0, rest_hi < n
        # Cut at the bottom: the recording holds the deepest point when it turns there (the
        # angle at the cut is shallower than the deepest) or rests there long enough; a
        # recording that starts (ends) moving away from its deepest frame does not.
        rests_at_start = peak_start > lo or (times[peak_stop - 1] - times[lo] >= MIN_BOTTOM_REST_S)
        rests_at_end = peak_stop < hi or times[hi - 1] - times[peak_start] >= MIN_BOTTOM_REST_S
        reps.append(
            Repetition(
                number=len(reps) + 1,
                start=lo,
                peak_start=peak_start,
                peak_stop=peak_stop,
                stop=hi,
                complete_start=complete_start,
                complete_end=complete_end,
                going_complete=complete_start and (complete_end or rests_at_end),
                return_complete=complete_end and (complete_start or rests_at_start),
            )
        )
    return _plausible(reps, times)


def _plausible(reps: list[Repetition], times: np.ndarray) -> list[Repetition]:
    """Drop whole repetitions shorter than :data:`MIN_REPETITION_S`; renumber the rest."""
    kept = [
        r
        for r in reps
        if not (r.complete_start and r.complete_end)
        or times[r.stop - 1] - times[r.start] >= MIN_REPETITION_S
    ]
    return [dataclasses.replace(r, number=k + 1) for k, r in enumerate(kept)]


def counting_rule(task: str) -> RepetitionRule:
    """How repetitions of ``task`` are found.

    Raises
    ------
    LumbopelvicError
        For an unknown task, or one not analysed by repetitions (a walk).
    """
    rule = task_named(task).counting
    if rule is None:
        raise LumbopelvicError(f"the {task} task is not analysed by repetitions")
    return rule


def other_movements(reps: list[Repetition], knee_deg: np.ndarray, task: str) -> list[int]:
    """Numbers of the repetitions that are another movement than ``task``: those whose knees
    bend more than the task allows (``max_knee_deg`` of its rule; a forward bend with the knees
    bent like a squat or a crouch)."""
    limit = counting_rule(task).max_knee_deg
    if limit is None:
        return []
    knee = np.asarray(knee_deg, float)
    return [
        r.number
        for r in reps
        if np.isfinite(knee[r.start : r.stop]).any() and np.nanmax(knee[r.start : r.stop]) > limit
    ]
