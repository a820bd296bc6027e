"""Timing of pelvis against lumbar spine without an onset: angles at trunk levels, times to a
share of each segment's own excursion, and the lag that best aligns the two curves.

An onset (the first moment a segment moves) is the hardest point of a movement to measure:
the signal is smallest there and the noise largest. The measures here read the movement
where it is well under way. All take one phase in its natural time order (a flexion from
standing to the bottom, a return from the bottom to standing); angles in degrees, times in
seconds, lags in milliseconds, positive when the pelvis is later than the lumbar spine.

- ``pelvis_at_trunk_<L>_deg``: the pelvic angle when the trunk passes ``L`` degrees of
  flexion (Laird et al. 2016's early pelvic contribution; on the return, when the trunk comes
  back through ``L``); ``pelvis_share_at_trunk_<L>_pct``: that angle as a share of ``L``.
- ``pelvis_lag_<P>pct_ms``: the time the pelvis takes to cover ``P`` % of its own excursion
  in the phase, minus the lumbar spine's.
- ``pelvis_xcorr_lag_ms``: the shift of the lumbar spine's normalised progress curve that
  best matches the pelvis's over the first half of the phase (least squares, +-0.5 s).
"""

from __future__ import annotations

import numpy as np

TRUNK_LEVELS_DEG = (20.0, 30.0)
PROGRESS_FRACTIONS = (0.1, 0.5)
MAX_XCORR_LAG_S = 0.5
XCORR_STEP_S = 0.002
# A segment moving less than this in a phase has no meaningful timing.
MIN_PHASE_EXCURSION_DEG = 3.0


def angle_at_trunk(
    trunk: np.ndarray, other: np.ndarray, level_deg: float, returning: bool = False
) -> float:
    """``other`` when ``trunk`` first passes ``level_deg`` (flexing), or last passes it on the
    way back (``returning``); linear interpolation between frames; NaN if it never does."""
    t, o = np.asarray(trunk, float), np.asarray(other, float)
    if returning:
        t, o = t[::-1], o[::-1]
    return first_crossing(t, o, level_deg)


def first_crossing(driver: np.ndarray, other: np.ndarray, level: float) -> float:
    """``other`` where ``driver`` first reaches ``level`` (linear between samples; NaN if it
    never does, or already has at the first finite sample)."""
    ok = np.isfinite(driver) & np.isfinite(other)
    d, o = driver[ok], other[ok]
    above = np.flatnonzero(d >= level)
    if not len(above) or above[0] == 0:
        return float("nan")
    i = int(above[0])
    w = (level - d[i - 1]) / (d[i] - d[i - 1]) if d[i] != d[i - 1] else 1.0
    return float(o[i - 1] + w * (o[i] - o[i - 1]))


def progress(angle: np.ndarray) -> np.ndarray:
    """The phase's progress of one segment: 0 at its first value, 1 at its last (NaN when it
    moves less than :data:`MIN_PHASE_EXCURSION_DEG`)."""
    a = np.asarray(angle, float)
    ok = np.flatnonzero(np.isfinite(a))
    if len(ok) < 3:
        return np.full(len(a), np.nan)
    start, end = a[ok[0]], a[ok[-1]]
    if abs(end - start) < MIN_PHASE_EXCURSION_DEG:
        return np.full(len(a), np.nan)
    return (a - start) / (end - start)


def time_to_progress(angle: np.ndarray, times_s: np.ndarray, fraction: float) -> float:
    """First time (s) the segment covers ``fraction`` of its excursion in the phase."""
    return first_crossing(progress(angle), np.asarray(times_s, float), fraction)


def xcorr_lag_ms(pelvis: np.ndarray, lumbar: np.ndarray, times_s: np.ndarray) -> float:
    """Shift (ms) of the lumbar progress curve that best matches the pelvis's over the first
    half of the phase; positive when the pelvis is later."""
    pp, lp, t = progress(pelvis), progress(lumbar), np.asarray(times_s, float)
    ok = np.isfinite(pp) & np.isfinite(lp)
    if ok.sum() < 5:
        return float("nan")
    t, pp, lp = t[ok], pp[ok], lp[ok]
    half = t <= t[0] + (t[-1] - t[0]) / 2
    best, best_lag = np.inf, float("nan")
    for lag in np.arange(-MAX_XCORR_LAG_S, MAX_XCORR_LAG_S + 1e-9, XCORR_STEP_S):
        shifted = np.interp(t[half] - lag, t, lp, left=0.0, right=1.0)
        err = float(np.mean((pp[half] - shifted) ** 2))
        if err < best:
            best, best_lag = err, float(lag)
    return 1000.0 * best_lag


def timing_measures(
    trunk: np.ndarray,
    pelvis: np.ndarray,
    lumbar: np.ndarray,
    times_s: np.ndarray,
    returning: bool = False,
) -> dict[str, float]:
    """Every measure of the module docstring for one phase."""
    out: dict[str, float] = {}
    for level in TRUNK_LEVELS_DEG:
        at = angle_at_trunk(trunk, pelvis, level, returning)
        out[f"pelvis_at_trunk_{level:.0f}_deg"] = at
        out[f"pelvis_share_at_trunk_{level:.0f}_pct"] = 100.0 * at / level
    for fraction in PROGRESS_FRACTIONS:
        lag = time_to_progress(pelvis, times_s, fraction) - time_to_progress(
            lumbar, times_s, fraction
        )
        out[f"pelvis_lag_{100 * fraction:.0f}pct_ms"] = 1000.0 * lag
    out["pelvis_xcorr_lag_ms"] = xcorr_lag_ms(pelvis, lumbar, times_s)
    return out


TIMING_KEYS = [
    *(f"pelvis_at_trunk_{level:.0f}_deg" for level in TRUNK_LEVELS_DEG),
    *(f"pelvis_share_at_trunk_{level:.0f}_pct" for level in TRUNK_LEVELS_DEG),
    *(f"pelvis_lag_{100 * f:.0f}pct_ms" for f in PROGRESS_FRACTIONS),
    "pelvis_xcorr_lag_ms",
]
