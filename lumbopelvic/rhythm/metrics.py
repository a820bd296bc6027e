"""Lumbopelvic rhythm per repetition and phase: contribution, timing, coordination, variability.

Pure functions on the angle table (:mod:`lumbopelvic.kinematics.angles`) and the repetitions
(:mod:`lumbopelvic.rhythm.repetitions`). Units are in every column name: degrees (``_deg``), degrees
per second (``_deg_s``), seconds (``_s``), milliseconds (``_ms``), percent (``_pct``).

Definitions (shared/docs domain definitions):

- peak angles are per repetition (repeated on each phase row);
- lumbar contribution = lumbar / trunk and lumbar:pelvis ratio = lumbar / pelvis, at the
  repetition's deepest trunk flexion (angles are changes from standing), and as changes
  across each 30° bin of trunk flexion (0-30, 30-60, 60-90, 90-120) within the phase;
- onset of a segment = first sample whose speed in the phase's direction exceeds 10 % of its
  peak speed (at least 5°/s), searched from the quiet time before the phase; pelvis lag =
  pelvis onset - lumbar onset, ms, positive when the pelvis starts later;
- continuous relative phase (CRP) = pelvis minus lumbar Hilbert phase angle of the centred,
  normalised signals over the repetition; MARP = mean |CRP|; deviation phase = SD of CRP
  across repetitions, averaged over the normalised repetition;
- onset-free timing (:mod:`lumbopelvic.rhythm.timing`): the pelvic angle and share when the
  trunk passes 20 and 30 degrees, the pelvis's lag at 10 % and 50 % of each segment's own
  excursion, and the lag that best aligns the two curves over the first half of the phase;
- ``mean_confidence`` and ``mean_trunk_confidence``: the phase's mean pelvis/lumbar split
  confidence and trunk confidence (:mod:`lumbopelvic.kinematics.confidence`);
  ``low_confidence``: the split's is below 0.5 or a pelvis value is missing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.signal import hilbert

from lumbopelvic.core.curves import CURVE_POINTS, empty_curves
from lumbopelvic.core.tasks import task_named
from lumbopelvic.kinematics.settings import LOW_CONFIDENCE
from lumbopelvic.rhythm.repetitions import Repetition
from lumbopelvic.rhythm.stands import STAND_COLUMNS, stand_measures
from lumbopelvic.rhythm.timing import TIMING_KEYS, timing_measures

TRUNK_BINS_DEG = ((0, 30), (30, 60), (60, 90), (90, 120))
# Onset: the first sample whose speed in the phase's direction exceeds this fraction of the
# phase's peak speed for that angle (and at least ONSET_MIN_SPEED_DEG_S).
ONSET_FRACTION = 0.1
ONSET_MIN_SPEED_DEG_S = 5.0
MIN_RATIO_DENOMINATOR_DEG = 2.0  # a ratio over a smaller pelvis change is not reported
_BIN_KEYS = [
    key
    for lo, hi in TRUNK_BINS_DEG
    for key in (f"lumbar_contribution_{lo}_{hi}_pct", f"lumbar_pelvis_ratio_{lo}_{hi}")
]
# reps.csv columns, in order; a recording without repetitions gives an empty table with them.
REP_COLUMNS = [
    "rep",
    "phase",
    "complete",
    "start_s",
    "end_s",
    "duration_s",
    "peak_trunk_deg",
    "peak_pelvis_deg",
    "peak_lumbar_deg",
    "peak_hip_deg",
    "peak_knee_deg",
    "peak_trunk_velocity_deg_s",
    "mean_confidence",
    "mean_trunk_confidence",
    "lumbar_contribution_pct",
    "lumbar_pelvis_ratio",
    *_BIN_KEYS,
    "pelvis_onset_s",
    "lumbar_onset_s",
    "pelvis_lag_ms",
    *TIMING_KEYS,
    "marp_deg",
    "low_confidence",
]
MIN_SHARE_TRUNK_DEG = 5.0  # the lumbar share is undefined this close to standing


def onset_time(angle: np.ndarray, times_s: np.ndarray, direction: int) -> float:
    """Time (s) when an angle starts moving in ``direction`` (+1 flexing, -1 returning).

    NaN when the angle does not move (peak speed below the minimum) or has gaps only.
    """
    ok = ~np.isnan(angle)
    if ok.sum() < 3:
        return float("nan")
    speed = direction * np.gradient(angle[ok], times_s[ok])
    peak = float(np.max(speed))
    threshold = max(ONSET_FRACTION * peak, ONSET_MIN_SPEED_DEG_S)
    if peak < threshold:
        return float("nan")
    return float(times_s[ok][np.argmax(speed >= threshold)])


def _monotone(x: np.ndarray) -> np.ndarray:
    return np.maximum.accumulate(np.nan_to_num(x, nan=-np.inf))


def binned_rhythm(trunk: np.ndarray, pelvis: np.ndarray, lumbar: np.ndarray) -> dict[str, float]:
    """Lumbar contribution (%) and lumbar:pelvis ratio over 30° trunk bins of one phase.

    The phase is ordered from standing toward the deepest point (reverse a return phase
    before calling). A bin the trunk does not span completely gives NaN.
    """
    out: dict[str, float] = {}
    ok = ~(np.isnan(trunk) | np.isnan(pelvis) | np.isnan(lumbar))
    t, p, lu = trunk[ok], pelvis[ok], lumbar[ok]
    reach = _monotone(t) if len(t) else t
    for lo, hi in TRUNK_BINS_DEG:
        key = f"{lo}_{hi}"
        out[f"lumbar_contribution_{key}_pct"] = np.nan
        out[f"lumbar_pelvis_ratio_{key}"] = np.nan
        if not len(t) or t[0] > lo + 5 or reach[-1] < hi:
            continue
        i0 = int(np.argmax(reach >= lo))
        i1 = int(np.argmax(reach >= hi))
        d_trunk, d_pelvis, d_lumbar = t[i1] - t[i0], p[i1] - p[i0], lu[i1] - lu[i0]
        if d_trunk <= 0:
            continue
        out[f"lumbar_contribution_{key}_pct"] = 100 * d_lumbar / d_trunk
        if abs(d_pelvis) >= MIN_RATIO_DENOMINATOR_DEG:
            out[f"lumbar_pelvis_ratio_{key}"] = d_lumbar / d_pelvis
    return out


def share_curve(trunk: np.ndarray, lumbar: np.ndarray) -> np.ndarray:
    """Lumbar share (% of trunk flexion) at 101 points over 0-100 % of a phase."""
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(np.abs(trunk) >= MIN_SHARE_TRUNK_DEG, 100 * lumbar / trunk, np.nan)
    if len(share) < 2:
        return np.full(CURVE_POINTS, np.nan)
    x = np.linspace(0, 1, len(share))
    ok = ~np.isnan(share)
    if ok.sum() < 2:
        return np.full(CURVE_POINTS, np.nan)
    grid = np.linspace(0, 1, CURVE_POINTS)
    curve = np.interp(grid, x[ok], share[ok])
    curve[(grid < x[ok][0]) | (grid > x[ok][-1])] = np.nan
    return curve


def phase_angle_deg(signal: np.ndarray) -> np.ndarray:
    """Hilbert phase angle (degrees) of a signal centred and normalised to [-1, 1]."""
    lo, hi = np.nanmin(signal), np.nanmax(signal)
    if not np.isfinite(hi - lo) or hi - lo < 1e-9:
        return np.full(len(signal), np.nan)
    centred = 2 * (signal - lo) / (hi - lo) - 1
    centred = centred - np.mean(centred)
    analytic = hilbert(centred)
    return np.degrees(np.unwrap(np.angle(analytic)))


def relative_phase_deg(pelvis: np.ndarray, lumbar: np.ndarray) -> np.ndarray:
    """Continuous relative phase pelvis - lumbar (degrees, wrapped to [-180, 180]) at 101 points."""
    ok = ~(np.isnan(pelvis) | np.isnan(lumbar))
    if ok.sum() < 8:
        return np.full(CURVE_POINTS, np.nan)
    crp = phase_angle_deg(pelvis[ok]) - phase_angle_deg(lumbar[ok])
    crp = (crp + 180) % 360 - 180
    x = np.linspace(0, 1, len(crp))
    return np.interp(np.linspace(0, 1, CURVE_POINTS), x, crp)


def repetition_rows(
    angles: pd.DataFrame, reps: list[Repetition], task: str
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """One row per repetition and phase, and per-repetition curves.

    Returns
    -------
    rows
        Tidy table (see the module docstring for units).
    curves
        ``"share_<phase>"`` -> ``(n_reps, 101)`` lumbar share curves and ``"crp"`` ->
        ``(n_reps, 101)`` relative phase, for plots and variability.
    """
    t = angles["time_s"].to_numpy(float)
    trunk, pelvis, lumbar = (
        angles[f"{n}_deg"].to_numpy(float) for n in ("trunk", "pelvis", "lumbar")
    )
    knee = angles["knee_deg"].to_numpy(float)
    hip = angles["hip_deg"].to_numpy(float) if "hip_deg" in angles else np.full(len(t), np.nan)
    conf = angles["confidence"].to_numpy(float)
    trunk_conf = (
        angles["trunk_confidence"].to_numpy(float) if "trunk_confidence" in angles else conf
    )
    definition = task_named(task)
    names = definition.phases
    rows = []
    curves: dict[str, list[np.ndarray]] = {
        f"share_{names[0]}": [],
        f"share_{names[2]}": [],
        "crp": [],
    }
    for index, rep in enumerate(reps):
        # Onsets are searched from the quiet time around the phase: a repetition's start is
        # where the trunk has already left standing, after both segments began to move.
        quiet_before = reps[index - 1].stop if index else 0
        quiet_after = reps[index + 1].start if index + 1 < len(reps) else len(t)
        onset_windows = {
            names[0]: slice(quiet_before, rep.peak_stop),
            names[2]: slice(rep.peak_start, quiet_after),
        }
        whole = slice(rep.start, rep.stop)
        deepest = _at_deepest(trunk[whole], pelvis[whole], lumbar[whole])
        crp = relative_phase_deg(pelvis[whole], lumbar[whole])
        curves["crp"].append(crp)
        marp = float(np.nanmean(np.abs(crp))) if np.isfinite(crp).any() else np.nan
        for name, phase in zip(names, rep.phases(), strict=True):
            direction = {names[0]: 1, names[2]: -1}.get(name, 0)
            seg = slice(phase.start, phase.stop)
            ts = t[seg]
            row: dict[str, object] = {
                "rep": rep.number,
                "phase": name,
                "complete": {names[0]: rep.going_complete, names[2]: rep.return_complete}.get(
                    name, rep.complete
                ),
                "start_s": float(ts[0]),
                "end_s": float(ts[-1]),
                "duration_s": float(ts[-1] - ts[0]),
                # Peaks belong to the repetition (the deepest point lies between phases).
                "peak_trunk_deg": _max(trunk[whole]),
                "peak_pelvis_deg": _max(pelvis[whole]),
                "peak_lumbar_deg": _max(lumbar[whole]),
                "peak_hip_deg": _max(hip[whole]),
                "peak_knee_deg": _max(knee[whole]),
                "peak_trunk_velocity_deg_s": _peak_speed(trunk[seg], ts),
                "mean_confidence": float(np.nanmean(conf[seg])),
                "mean_trunk_confidence": float(np.nanmean(trunk_conf[seg])),
            }
            if direction:
                order = slice(None) if direction > 0 else slice(None, None, -1)
                tr, pe, lu = trunk[seg][order], pelvis[seg][order], lumbar[seg][order]
                row["lumbar_contribution_pct"] = deepest["contribution"]
                row["lumbar_pelvis_ratio"] = deepest["ratio"]
                row.update(binned_rhythm(tr, pe, lu))
                window = onset_windows[name]
                pelvis_onset = onset_time(pelvis[window], t[window], direction)
                lumbar_onset = onset_time(lumbar[window], t[window], direction)
                row["pelvis_onset_s"] = pelvis_onset
                row["lumbar_onset_s"] = lumbar_onset
                row["pelvis_lag_ms"] = 1000 * (pelvis_onset - lumbar_onset)
                row.update(
                    timing_measures(
                        trunk[seg], pelvis[seg], lumbar[seg], ts, returning=direction < 0
                    )
                )
                # A phase the recording cuts has no curve (as it has no summary figures).
                curves[f"share_{name}"].append(
                    share_curve(tr, lu) if row["complete"] else np.full(CURVE_POINTS, np.nan)
                )
            row["marp_deg"] = marp
            row["low_confidence"] = bool(
                row["mean_confidence"] < LOW_CONFIDENCE or np.isnan(pelvis[seg]).any()
            )
            if definition.counts_stands and name == names[2]:
                row.update(stand_measures(angles, rep))
            rows.append(row)
    stacked = {k: np.array(v) if v else empty_curves() for k, v in curves.items()}
    columns = [*REP_COLUMNS, *(STAND_COLUMNS if definition.counts_stands else [])]
    return pd.DataFrame(rows, columns=columns), stacked


def _at_deepest(trunk: np.ndarray, pelvis: np.ndarray, lumbar: np.ndarray) -> dict[str, float]:
    """Lumbar contribution (%) and lumbar:pelvis ratio at the repetition's deepest trunk flexion.

    Angles are changes from standing, so these are the shares of the whole movement so far.
    """
    if not np.isfinite(trunk).any():
        return {"contribution": np.nan, "ratio": np.nan}
    i = int(np.nanargmax(trunk))
    contribution = 100 * lumbar[i] / trunk[i] if trunk[i] > MIN_SHARE_TRUNK_DEG else np.nan
    ratio = lumbar[i] / pelvis[i] if abs(pelvis[i]) >= MIN_RATIO_DENOMINATOR_DEG else np.nan
    return {"contribution": float(contribution), "ratio": float(ratio)}


def _max(x: np.ndarray) -> float:
    return float(np.nanmax(x)) if np.isfinite(x).any() else float("nan")


def _peak_speed(x: np.ndarray, ts: np.ndarray) -> float:
    ok = ~np.isnan(x)
    if ok.sum() < 3:
        return float("nan")
    return float(np.max(np.abs(np.gradient(x[ok], ts[ok]))))


def deviation_phase_deg(crp: np.ndarray) -> float:
    """Deviation phase: mean over the normalised repetition of the SD of CRP across reps."""
    valid = np.isfinite(crp).sum(axis=0) >= 2
    if len(crp) < 2 or not valid.any():
        return float("nan")
    return float(np.mean(np.nanstd(crp[:, valid], axis=0, ddof=1)))
