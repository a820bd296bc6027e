"""Sit-to-stand as clinicians count it: stands, seat-off, and the pelvis's timing in a rise.

A stand is a whole stand-up phase (seated to upright); a sit a whole sit-down phase. Rising
from a seat has phases (Schenkman et al. 1990): the trunk leans forward with the thighs still
on the seat (flexion momentum), the buttocks leave the seat (seat-off, close to the deepest
lean), then knees, hips and trunk extend. "Delayed pelvic motion" means the pelvis starts
its forward tilt late against the trunk's lean, so the lean comes from the spine and
seat-off comes later or with more effort.

Each moment here is the start of a movement read by fitting it, not by a threshold on its
speed (Botzer & Karniel 2009; a velocity threshold fires late by a noise-dependent amount):
the times the movement covers 20, 50 and 80 % of its excursion fix a minimum-jerk profile,
whose start is the onset (:func:`movement_start`).

Per stand (seconds of the recording; degrees, changes over the rise; ms):

- ``lean_start_s``: the trunk starts leaning forward for the rise;
- ``seat_off_s``: the buttocks leave the seat: the hips start to rise (the knees start to
  extend, in an angle table without the hips' height);
- ``upright_s``: the stand ends (the stand-up phase's end);
- ``stand_s``: ``upright_s - lean_start_s``, the time of the stand;
- ``lean_to_seat_off_s``: ``seat_off_s - lean_start_s``, the flexion-momentum phase;
- ``pelvis_start_after_lean_ms``: the pelvis's own start of forward tilt after the trunk's
  (positive: the pelvis is later);
- ``pelvis_start_before_seat_off_ms``: how long before seat-off the pelvis started tilting
  forward (small or negative: the pelvis moved late, close to or after seat-off);
- ``trunk_at_seat_off_deg``, ``pelvis_at_seat_off_deg``: how far the trunk leaned and the
  pelvis tilted forward from the start of the lean to seat-off;
- ``pelvis_share_at_seat_off_pct``: the pelvis's part of the trunk's lean at seat-off.

The five-times sit-to-stand time runs from the first stand's lean start to the fifth's
upright (Bohannon 2006: from the seated start to standing at the end of the fifth stand).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lumbopelvic.core.summaries import Spread, rounded, spread_of
from lumbopelvic.rhythm.repetitions import Repetition

# Progress levels whose crossing times fix the minimum-jerk fit, and where a minimum-jerk
# movement crosses them (fraction of its duration). Levels away from the ends keep the fit
# off the noise of the still posture before and after.
FIT_LEVELS = (0.2, 0.5, 0.8)
_TAU = np.linspace(0.0, 1.0, 10001)
_MIN_JERK = _TAU**3 * (10.0 - 15.0 * _TAU + 6.0 * _TAU**2)
FIT_TAUS = tuple(float(np.interp(level, _MIN_JERK, _TAU)) for level in FIT_LEVELS)
# A rise whose trunk or pelvis moves less than this (degrees) has no start to read.
MIN_MOVE_DEG = 3.0
# A rise of the hips smaller than this (standing leg lengths) is no rise from a seat.
MIN_RISE_LEG = 0.05
STANDS_FOR_TEST = 5
STAND_COLUMNS = [
    "lean_start_s",
    "seat_off_s",
    "upright_s",
    "stand_s",
    "lean_to_seat_off_s",
    "pelvis_start_after_lean_ms",
    "pelvis_start_before_seat_off_ms",
    "trunk_at_seat_off_deg",
    "pelvis_at_seat_off_deg",
    "pelvis_share_at_seat_off_pct",
]
# Stand measures that rest on the pelvis/lumbar split (left out where it is not confident).
SPLIT_STAND_MEASURES = (
    "pelvis_start_after_lean_ms",
    "pelvis_start_before_seat_off_ms",
    "pelvis_at_seat_off_deg",
    "pelvis_share_at_seat_off_pct",
)


def movement_start(
    values: np.ndarray,
    times_s: np.ndarray,
    start_level: float | None = None,
    min_move: float = MIN_MOVE_DEG,
) -> float:
    """When a movement from ``start_level`` (``values[0]`` when None) to ``values[-1]``
    began (seconds): the start of the minimum-jerk profile through the times it covers 20,
    50 and 80 % of the way (first crossings, linear between samples). NaN when it moves less
    than ``min_move`` (the values' unit) or a level is never crossed."""
    v, t = np.asarray(values, float), np.asarray(times_s, float)
    ok = np.isfinite(v) & np.isfinite(t)
    v, t = v[ok], t[ok]
    first = v[0] if start_level is None or not np.isfinite(start_level) else start_level
    if len(v) < 4 or abs(v[-1] - first) < min_move:
        return float("nan")
    progress = (v - first) / (v[-1] - first)
    crossings = [_first_crossing(progress, t, level) for level in FIT_LEVELS]
    if not np.isfinite(crossings).all() or crossings[2] <= crossings[0]:
        return float("nan")
    duration = (crossings[2] - crossings[0]) / (FIT_TAUS[2] - FIT_TAUS[0])
    return float(crossings[1] - FIT_TAUS[1] * duration)


def _first_crossing(progress: np.ndarray, times_s: np.ndarray, level: float) -> float:
    above = np.flatnonzero(progress >= level)
    if not len(above) or above[0] == 0:
        return float("nan")
    i = int(above[0])
    p0, p1 = progress[i - 1], progress[i]
    w = (level - p0) / (p1 - p0) if p1 != p0 else 1.0
    return float(times_s[i - 1] + w * (times_s[i] - times_s[i - 1]))


def stand_measures(angles: pd.DataFrame, rep: Repetition) -> dict[str, float]:
    """The measures of the module docstring for the rise of one repetition (the seated hold
    and the stand-up phase); NaN where one cannot be read."""
    t = angles["time_s"].to_numpy(float)
    trunk, pelvis, knee = (angles[f"{n}_deg"].to_numpy(float) for n in ("trunk", "pelvis", "knee"))
    seated, stop = rep.peak_start, rep.stop
    if not np.isfinite(knee[seated:stop]).any() or not np.isfinite(trunk[seated:stop]).any():
        return dict.fromkeys(STAND_COLUMNS, float("nan"))
    seat_off = seat_off_time(angles, seated, stop)
    # The trunk (and the pelvis) lean from the seated posture to their deepest before upright.
    lean_start = _lean_start(trunk, t, seated, stop)
    pelvis_start = _lean_start(pelvis, t, seated, stop)
    upright = float(t[stop - 1])
    out = dict.fromkeys(STAND_COLUMNS, float("nan"))
    out.update(
        lean_start_s=lean_start,
        seat_off_s=seat_off,
        upright_s=upright,
        stand_s=upright - lean_start,
        lean_to_seat_off_s=seat_off - lean_start,
        pelvis_start_after_lean_ms=1000.0 * (pelvis_start - lean_start),
        pelvis_start_before_seat_off_ms=1000.0 * (seat_off - pelvis_start),
    )
    if np.isfinite(seat_off) and np.isfinite(lean_start):
        trunk_change = _at(trunk, t, seat_off) - _at(trunk, t, lean_start)
        pelvis_change = _at(pelvis, t, seat_off) - _at(pelvis, t, lean_start)
        out["trunk_at_seat_off_deg"] = trunk_change
        out["pelvis_at_seat_off_deg"] = pelvis_change
        if abs(trunk_change) >= MIN_MOVE_DEG:
            out["pelvis_share_at_seat_off_pct"] = 100.0 * pelvis_change / trunk_change
    return out


def seat_off_time(angles: pd.DataFrame, seated: int, stop: int) -> float:
    """When the buttocks leave the seat in a rise (seconds): the start of the hips' rise
    (``hip_rise_leg``) from their seated height to standing, or, in an angle table without
    it (one measured elsewhere), of the knees' extension. The seated level is the median
    until the deepest lean: the points read from the image shift while the trunk leans over
    the thighs, and the rise comes after."""
    t = angles["time_s"].to_numpy(float)
    trunk = angles["trunk_deg"].to_numpy(float)
    lean_peak = seated + int(np.nanargmax(trunk[seated:stop]))
    for column, rising, least in (
        ("hip_rise_leg", 1.0, MIN_RISE_LEG),
        ("knee_deg", -1.0, MIN_MOVE_DEG),
    ):
        if column not in angles:
            continue
        values = rising * angles[column].to_numpy(float)
        if not np.isfinite(values[seated:stop]).sum() >= 4:
            continue
        seated_level = float(np.nanmedian(values[seated : lean_peak + 1]))
        lowest = seated + int(np.nanargmin(values[seated:stop]))
        return movement_start(values[lowest:stop], t[lowest:stop], seated_level, least)
    return float("nan")


def _lean_start(values: np.ndarray, t: np.ndarray, start: int, stop: int) -> float:
    """Start of the forward lean of ``values`` to its deepest point between ``start`` and
    ``stop``, from its lowest (most upright) point before that: settling into the seat after
    sitting down is not part of the rise."""
    segment = values[start:stop]
    if not np.isfinite(segment).any():
        return float("nan")
    deepest = start + int(np.nanargmax(segment))
    before = values[start : deepest + 1]
    lowest = start + int(np.nanargmin(before))
    return movement_start(values[lowest : deepest + 1], t[lowest : deepest + 1])


def _at(values: np.ndarray, t: np.ndarray, time_s: float) -> float:
    ok = np.isfinite(values)
    return float(np.interp(time_s, t[ok], values[ok])) if ok.sum() >= 2 else float("nan")


@dataclass(frozen=True)
class StandSummary:
    """A sit-to-stand trial as clinicians count it (see the module docstring).

    Attributes
    ----------
    stands, sits
        Whole stand-up and sit-down phases.
    five_stand_time_s
        The first five stands, from the first one's lean start to the fifth's upright
        (None with fewer than five).
    stand_s
        Time of each stand.
    seat_off_s
        Seat-off of each stand, seconds of the recording.
    lean_to_seat_off_s, pelvis_start_after_lean_ms, pelvis_start_before_seat_off_ms,
    pelvis_at_seat_off_deg, pelvis_share_at_seat_off_pct
        Their spread over the stands (the pelvis measures over stands whose split is
        confident).
    """

    stands: int
    sits: int
    five_stand_time_s: float | None
    stand_s: Spread
    seat_off_s: tuple[float, ...]
    lean_to_seat_off_s: Spread
    pelvis_start_after_lean_ms: Spread
    pelvis_start_before_seat_off_ms: Spread
    pelvis_at_seat_off_deg: Spread
    pelvis_share_at_seat_off_pct: Spread

    SPREADS = (
        "stand_s",
        "lean_to_seat_off_s",
        "pelvis_start_after_lean_ms",
        "pelvis_start_before_seat_off_ms",
        "pelvis_at_seat_off_deg",
        "pelvis_share_at_seat_off_pct",
    )

    def to_json(self) -> dict[str, object]:
        return {
            "stands": self.stands,
            "sits": self.sits,
            "five_stand_time_s": self.five_stand_time_s,
            "seat_off_s": list(self.seat_off_s),
            **{name: getattr(self, name).to_json() for name in self.SPREADS},
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> StandSummary:
        return cls(
            stands=int(data.get("stands", 0)),  # type: ignore[arg-type]
            sits=int(data.get("sits", 0)),  # type: ignore[arg-type]
            five_stand_time_s=data.get("five_stand_time_s"),  # type: ignore[arg-type]
            seat_off_s=tuple(data.get("seat_off_s", ())),  # type: ignore[arg-type]
            **{name: Spread.from_json(data.get(name)) for name in cls.SPREADS},  # type: ignore[arg-type]
        )


def stand_summary(rows: pd.DataFrame, going: str, returning: str) -> StandSummary:
    """The :class:`StandSummary` of ``reps.csv`` rows (``going``: the sit-down phase name,
    ``returning``: the stand-up's)."""
    whole = rows[rows["complete"].astype(bool)] if len(rows) else rows
    stands = whole[whole["phase"] == returning] if len(whole) else whole
    sits = whole[whole["phase"] == going] if len(whole) else whole
    confident = stands[~stands["low_confidence"].astype(bool)] if len(stands) else stands
    five = None
    if len(stands) >= STANDS_FOR_TEST:
        first = stands.iloc[:STANDS_FOR_TEST]
        five = rounded(float(first["upright_s"].iloc[-1] - first["lean_start_s"].iloc[0]))
    return StandSummary(
        stands=len(stands),
        sits=len(sits),
        five_stand_time_s=five,
        stand_s=spread_of(stands["stand_s"] if len(stands) else []),
        seat_off_s=tuple(
            rounded(float(v))
            for v in (stands["seat_off_s"] if len(stands) else [])
            if np.isfinite(v)
        ),
        lean_to_seat_off_s=spread_of(stands["lean_to_seat_off_s"] if len(stands) else []),
        **{
            name: spread_of(confident[name] if len(confident) else [])
            for name in SPLIT_STAND_MEASURES
        },
    )


def stand_errors(
    measured: pd.DataFrame, truth: pd.DataFrame, true_seat_off_s: list[float]
) -> dict[str, float]:
    """How the stands of ``measured`` ``reps.csv`` rows compare with those of the truth's
    (the same analysis on the true angles) and with the true seat-off times (seconds):
    ``stands_found``/``stands_true``, the median absolute seat-off error (ms), and the median
    absolute error of the pelvis's start after the lean (ms) and of its tilt at seat-off
    (degrees), over the stands matched by seat-off (within :data:`MATCH_S`)."""

    def whole_stands(rows: pd.DataFrame) -> pd.DataFrame:
        if not len(rows) or "seat_off_s" not in rows:
            return rows.iloc[0:0]
        rising = rows["phase"] == rows["phase"].unique()[2]
        return rows[rising & rows["complete"].astype(bool)]

    found, true = whole_stands(measured), whole_stands(truth)
    seat_off, start, before, tilt = [], [], [], []
    for _, stand in found.iterrows():
        if not np.isfinite(stand["seat_off_s"]) or not len(true_seat_off_s):
            continue
        nearest = min(true_seat_off_s, key=lambda t: abs(t - stand["seat_off_s"]))
        if abs(nearest - stand["seat_off_s"]) > MATCH_S:
            continue
        seat_off.append(1000.0 * abs(stand["seat_off_s"] - nearest))
        pair = true.iloc[(true["seat_off_s"] - nearest).abs().argsort()[:1]]
        if len(pair):
            other = pair.iloc[0]
            start.append(
                abs(stand["pelvis_start_after_lean_ms"] - other["pelvis_start_after_lean_ms"])
            )
            before.append(
                abs(
                    stand["pelvis_start_before_seat_off_ms"]
                    - other["pelvis_start_before_seat_off_ms"]
                )
            )
            tilt.append(abs(stand["pelvis_at_seat_off_deg"] - other["pelvis_at_seat_off_deg"]))
    return {
        "stands_found": len(found),
        # The renderer's own seat-offs where it gives them (each a stand), else the truth's.
        "stands_true": len(true_seat_off_s) if true_seat_off_s else len(true),
        "seat_off_error_ms": _median(seat_off),
        "pelvis_start_after_lean_error_ms": _median(start),
        "pelvis_start_before_seat_off_error_ms": _median(before),
        "pelvis_at_seat_off_error_deg": _median(tilt),
    }


# A measured seat-off further than this from every true one matches none (seconds).
MATCH_S = 0.5


def _median(values: list[float]) -> float:
    finite = [v for v in values if np.isfinite(v)]
    return float(np.median(finite)) if finite else float("nan")
