"""Cleaning of angle and landmark time series sampled at (possibly irregular) real timestamps.

Every function takes plain arrays and returns new arrays; NaN marks a missing sample. The
order a pipeline applies them in: visibility gating (by the caller), :func:`hampel` outlier
rejection, :func:`interpolate_short_gaps`, then :func:`lowpass_zero_lag`. Their settings
(and defaults) are those of :class:`lumbopelvic.kinematics.angles.AngleSettings`.
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy.signal import butter, sosfiltfilt

FILTER_ORDER = 4  # applied forward and backward: zero lag, effective order 8


def hampel(
    values: np.ndarray,
    times_s: np.ndarray,
    window_s: float,
    n_sigma: float,
    min_spread: float = 0.0,
) -> np.ndarray:
    """Replace outliers with NaN using a Hampel filter on a time window.

    A sample is an outlier when it differs from the median of the samples within
    ``window_s`` seconds on either side by more than ``n_sigma`` scaled median absolute
    deviations (scale 1.4826, consistent with a standard deviation for normal noise).

    Parameters
    ----------
    values
        Samples, NaN where missing.
    times_s
        Sample times in seconds, increasing.
    window_s
        Half-width of the window in seconds.
    n_sigma
        Threshold in robust standard deviations.
    min_spread
        Floor on the robust standard deviation, in the values' units: on a still stretch the
        spread is near zero and ordinary measurement noise would otherwise count as outliers.

    Returns
    -------
    numpy.ndarray
        Copy of ``values`` with outliers set to NaN.
    """
    values = np.asarray(values, dtype=float)
    times_s = np.asarray(times_s, dtype=float)
    out = values.copy()
    lo = np.searchsorted(times_s, times_s - window_s, side="left")
    hi = np.searchsorted(times_s, times_s + window_s, side="right")
    for i in range(len(values)):
        if np.isnan(values[i]):
            continue
        window = values[lo[i] : hi[i]]
        window = window[~np.isnan(window)]
        if len(window) < 3:
            continue
        median = np.median(window)
        mad = 1.4826 * np.median(np.abs(window - median))
        spread = max(mad, min_spread, 1e-6 * max(1.0, abs(median)))
        if abs(values[i] - median) > n_sigma * spread:
            out[i] = np.nan
    return out


def interpolate_short_gaps(values: np.ndarray, times_s: np.ndarray, max_gap_s: float) -> np.ndarray:
    """Fill runs of NaN by linear interpolation when the gap is at most ``max_gap_s`` long.

    The gap length is the time between the valid samples on either side. Leading and
    trailing gaps, and longer gaps, stay NaN.
    """
    values = np.asarray(values, dtype=float)
    times_s = np.asarray(times_s, dtype=float)
    out = values.copy()
    valid = np.flatnonzero(~np.isnan(values))
    if len(valid) < 2:
        return out
    for left, right in itertools.pairwise(valid):
        if right - left > 1 and times_s[right] - times_s[left] <= max_gap_s + 1e-9:
            inside = slice(left + 1, right)
            out[inside] = np.interp(times_s[inside], times_s[[left, right]], values[[left, right]])
    return out


def contiguous_runs(valid: np.ndarray) -> list[tuple[int, int]]:
    """``(start, stop)`` index pairs of the runs where ``valid`` is True (stop exclusive)."""
    valid = np.asarray(valid, dtype=bool)
    edges = np.diff(np.concatenate([[0], valid.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True))


def effective_cutoff_hz(cutoff_hz: float, sample_rate_hz: float) -> float:
    """The cutoff actually usable at a sample rate: at most 80 % of the Nyquist frequency."""
    return min(cutoff_hz, 0.4 * sample_rate_hz)


def lowpass_zero_lag(values: np.ndarray, times_s: np.ndarray, cutoff_hz: float) -> np.ndarray:
    """Zero-lag Butterworth low-pass on real timestamps; NaN gaps are kept as gaps.

    Each run of valid samples is resampled to a uniform grid at the run's median sample
    rate, filtered forward and backward (4th order each way, so no phase lag), and read back
    at the original times. Runs too short to filter (fewer than 15 samples) are returned
    unfiltered.

    Parameters
    ----------
    values
        Samples, NaN where missing.
    times_s
        Real sample times in seconds, increasing (may be irregular).
    cutoff_hz
        Cut-off frequency in hertz (reduced to 80 % of Nyquist when the frame rate is low;
        see :func:`effective_cutoff_hz`).
    """
    values = np.asarray(values, dtype=float)
    times_s = np.asarray(times_s, dtype=float)
    out = np.full_like(values, np.nan)
    for start, stop in contiguous_runs(~np.isnan(values)):
        t, v = times_s[start:stop], values[start:stop]
        if stop - start < 15:
            out[start:stop] = v
            continue
        dt = float(np.median(np.diff(t)))
        grid = np.arange(t[0], t[-1] + dt / 2, dt)
        uniform = np.interp(grid, t, v)
        cutoff = effective_cutoff_hz(cutoff_hz, 1.0 / dt)
        sos = butter(FILTER_ORDER, cutoff, btype="low", fs=1.0 / dt, output="sos")
        pad = min(len(uniform) - 1, 3 * round(1.0 / (cutoff * dt)))
        filtered = sosfiltfilt(sos, uniform, padtype="odd", padlen=pad)
        out[start:stop] = np.interp(t, grid, filtered)
    return out
