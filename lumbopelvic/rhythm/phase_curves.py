"""Angle curves aligned per repetition: each phase resampled to 0-100 % of its duration.

Two recordings of different speed, or with a different pause before the first bend, cannot be
compared on one clock. Resampled to 0-100 % of each phase (0 % = the phase's start, 100 % =
its end), every repetition lines up with every other, in one recording and across two, and a
mean with its spread over repetitions can be drawn.

The low-confidence gating of the summary holds here too: a phase whose pelvis/lumbar split
is uncertain (``low_confidence`` in ``reps.csv``) gives no pelvis or lumbar curve; the trunk,
which does not depend on the split, is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lumbopelvic.core.curves import CURVE_POINTS

# Angles whose curve depends on the pelvis/lumbar split (left out of an uncertain phase).
SPLIT_ANGLES = ("pelvis", "lumbar")


@dataclass(frozen=True)
class PhaseCurves:
    """One angle's curves over one phase, for every repetition kept.

    Attributes
    ----------
    percent
        ``(CURVE_POINTS,)`` position in the phase, % (0 = start, 100 = end).
    curves
        ``(n_kept, CURVE_POINTS)`` angle in degrees, one row per repetition kept.
    left_out
        Phases left out because the pelvis/lumbar split was uncertain (always 0 for the trunk).
    """

    percent: np.ndarray
    curves: np.ndarray
    left_out: int

    @property
    def mean(self) -> np.ndarray:
        """Mean over repetitions at each point, degrees (NaN where no repetition has a value)."""
        return _nan_stat(self.curves, np.nanmean)

    @property
    def spread(self) -> np.ndarray:
        """Standard deviation over repetitions at each point, degrees (0 with one repetition)."""
        if len(self.curves) == 1:
            return np.where(np.isfinite(self.curves[0]), 0.0, np.nan)
        return _nan_stat(self.curves, np.nanstd)


def resample_phase(
    times_s: np.ndarray,
    values: np.ndarray,
    start_s: float,
    end_s: float,
    n_points: int = CURVE_POINTS,
) -> np.ndarray:
    """One phase of a series resampled to ``n_points`` evenly spaced points of 0-100 %.

    Parameters
    ----------
    times_s
        Sample times, seconds (increasing).
    values
        The series at those times (any unit; NaN where missing).
    start_s, end_s
        The phase's first and last sample time, seconds.
    n_points
        Points of the result, from 0 % to 100 % of the phase.

    Returns
    -------
    numpy.ndarray
        ``(n_points,)`` linearly interpolated values; NaN outside the stretch that has values
        (gaps inside it are bridged) and everywhere when fewer than two samples have one.
    """
    inside = (times_s >= start_s) & (times_s <= end_s) & np.isfinite(values)
    out = np.full(n_points, np.nan)
    if end_s <= start_s or inside.sum() < 2:
        return out
    x = (times_s[inside] - start_s) / (end_s - start_s)
    grid = np.linspace(0.0, 1.0, n_points)
    out = np.interp(grid, x, values[inside])
    out[(grid < x[0] - 1e-9) | (grid > x[-1] + 1e-9)] = np.nan
    return out


def phase_curves(
    angles: pd.DataFrame,
    reps: pd.DataFrame,
    phase: str,
    angle: str,
    n_points: int = CURVE_POINTS,
) -> PhaseCurves:
    """Every complete repetition's ``phase`` of one angle, resampled to 0-100 % of the phase.

    Parameters
    ----------
    angles
        Angle table (``time_s`` and ``<angle>_deg``, degrees).
    reps
        Repetition rows (``reps.csv``: ``phase``, ``complete``, ``start_s``, ``end_s``,
        ``low_confidence``).
    phase
        The phase, e.g. ``"flexion"`` or ``"return"``.
    angle
        ``"trunk"``, ``"pelvis"`` or ``"lumbar"``.
    n_points
        Points per curve.

    Returns
    -------
    PhaseCurves
        The curves kept and how many phases were left out as uncertain.
    """
    rows = reps[(reps["phase"] == phase) & reps["complete"].astype(bool)] if len(reps) else reps
    uncertain = (
        rows["low_confidence"].astype(bool).to_numpy()
        if angle in SPLIT_ANGLES and "low_confidence" in rows
        else np.zeros(len(rows), bool)
    )
    times = angles["time_s"].to_numpy(float)
    values = angles[f"{angle}_deg"].to_numpy(float)
    kept = [
        resample_phase(times, values, float(row.start_s), float(row.end_s), n_points)
        for row, skip in zip(rows.itertuples(index=False), uncertain, strict=True)
        if not skip
    ]
    curves = np.array(kept) if kept else np.empty((0, n_points))
    return PhaseCurves(np.linspace(0.0, 100.0, n_points), curves, int(uncertain.sum()))


def _nan_stat(curves: np.ndarray, stat: object) -> np.ndarray:
    if not len(curves):
        return np.full(curves.shape[1], np.nan)
    out = np.full(curves.shape[1], np.nan)
    has = np.isfinite(curves).any(axis=0)
    out[has] = stat(curves[:, has], axis=0)  # type: ignore[operator]
    return out
