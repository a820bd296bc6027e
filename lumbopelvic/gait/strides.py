"""Steps and strides from heel strikes, and the per-stride pelvis and trunk measures.

A step runs from one heel strike to the next (either foot), a stride from a heel strike to
the next heel strike of the same foot (two steps). Steps are grouped into bouts of
continuous walking: a gap longer than :data:`MAX_STEP_RATIO` typical steps (a stop, a turn
out of view, a missed heel strike) ends a bout, and no step or stride spans it.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from lumbopelvic.core.curves import CURVE_POINTS
from lumbopelvic.kinematics.signal_cleaning import contiguous_runs
from lumbopelvic.rhythm.metrics import phase_angle_deg

MAX_STEP_RATIO = 1.6
MIN_STEP_RATIO = 0.5
HARMONICS = 10


def steps_table(
    heel_strikes: pd.DataFrame,
    times_s: np.ndarray | None = None,
    ahead: dict[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """One row per step: ``step``, ``bout``, ``foot`` (the one that struck at its end),
    ``start_s``, ``end_s``, ``step_time_s`` and ``step_length_bh`` (how far apart the feet
    were at that heel strike along the walking direction, body heights; NaN without the
    frames' ``times_s`` and each foot's distance ``ahead`` of the hips)."""
    hs = heel_strikes.sort_values("time_s").reset_index(drop=True)
    columns = ["step", "bout", "foot", "start_s", "end_s", "step_time_s", "step_length_bh"]
    if len(hs) < 2:
        return pd.DataFrame(columns=columns)
    times = hs["time_s"].to_numpy(float)
    gaps = np.diff(times)
    typical = float(np.median(gaps))
    usable = (gaps <= MAX_STEP_RATIO * typical) & (gaps >= MIN_STEP_RATIO * typical)
    bout, rows = 0, []
    for k, ok in enumerate(usable):
        if not ok:
            bout += 1
            continue
        length = float("nan")
        if ahead is not None and times_s is not None:
            i = int(np.argmin(np.abs(times_s - times[k + 1])))
            length = float(abs(ahead["left"][i] - ahead["right"][i]))
        rows.append(
            {
                "bout": bout + 1,
                "foot": hs["foot"].iloc[k + 1],
                "start_s": times[k],
                "end_s": times[k + 1],
                "step_time_s": gaps[k],
                "step_length_bh": length,
            }
        )
    table = pd.DataFrame(rows, columns=columns[1:])
    bouts = {b: k + 1 for k, b in enumerate(dict.fromkeys(table["bout"]))}
    table["bout"] = table["bout"].map(bouts)
    table.insert(0, "step", np.arange(1, len(table) + 1))
    return table


def stride_spans(steps: pd.DataFrame) -> list[tuple[float, float, str, int]]:
    """``(start_s, end_s, foot, bout)`` of each stride: two consecutive steps of one bout."""
    spans = []
    rows = list(steps.itertuples(index=False))
    for a, b in itertools.pairwise(rows):
        if a.bout == b.bout and np.isclose(a.end_s, b.start_s):
            spans.append((float(a.start_s), float(b.end_s), str(b.foot), int(a.bout)))
    return spans


def stride_curve(times_s: np.ndarray, values: np.ndarray, start: float, end: float) -> np.ndarray:
    """``values`` over one stride resampled to :data:`CURVE_POINTS` points of 0-100 %."""
    inside = (times_s >= start) & (times_s <= end) & np.isfinite(values)
    if inside.sum() < 4:
        return np.full(CURVE_POINTS, np.nan)
    grid = np.linspace(start, end, CURVE_POINTS)
    return np.interp(grid, times_s[inside], values[inside])


def sway_fundamental_share(curve: np.ndarray) -> float:
    """How much of one stride's side-to-side motion is a single smooth sway (0-1).

    The stride's displacement (made periodic by removing its end-to-end drift) is a Fourier
    series of the stride frequency; a smooth weight transfer, once to each foot, is its first
    harmonic. Returns the first harmonic's share of the power of the first
    :data:`HARMONICS`. The acceleration harmonic ratio of accelerometry (Menz et al. 2003)
    weighs harmonic ``k`` by ``k^4`` in power, which at video rates and landmark noise reads
    noise: on renders whose sway is a pure sine it came out 1.0-1.6 where it should be large.
    NaN for a curve with gaps.
    """
    if not np.isfinite(curve).all():
        return float("nan")
    periodic = curve[:-1] - np.linspace(0, curve[-1] - curve[0], len(curve) - 1, endpoint=False)
    power = np.abs(np.fft.rfft(periodic - periodic.mean()))[1 : HARMONICS + 1] ** 2
    total = power.sum()
    return float(power[0] / total) if total > 0 else float("nan")


def relative_phase_series(
    pelvis: np.ndarray, thorax: np.ndarray, walking: np.ndarray
) -> np.ndarray:
    """Continuous relative phase thorax - pelvis (degrees, wrapped to [-180, 180]) from the
    Hilbert phase of each rotation over each run of walking frames; NaN elsewhere."""
    out = np.full(len(pelvis), np.nan)
    for start, stop in contiguous_runs(walking):
        p, t = pelvis[start:stop], thorax[start:stop]
        ok = np.isfinite(p) & np.isfinite(t)
        if ok.sum() < 16 or not ok.all():
            continue
        crp = phase_angle_deg(t) - phase_angle_deg(p)
        out[start:stop] = (crp + 180) % 360 - 180
    return out


def _range(curve: np.ndarray) -> float:
    finite = curve[np.isfinite(curve)]
    return float(np.ptp(finite)) if len(finite) > CURVE_POINTS // 2 else float("nan")


def strides_table(
    steps: pd.DataFrame, series: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """One row per stride with its measures, and the stride-normalised curves.

    Returns
    -------
    strides
        ``stride``, ``bout``, ``foot``, ``start_s``, ``end_s``, ``stride_time_s`` and, per
        stride, the range (peak to peak) of ``pelvic_obliquity``, ``trunk_lateral``,
        ``pelvis_rotation`` and ``thorax_rotation`` (``*_range_deg``), the lateral shift
        (``lateral_shift_bh``, peak to peak), its ``sway_smoothness_fraction``
        (:func:`sway_fundamental_share`), the mean and range of ``trunk_lean`` and the mean
        absolute relative phase ``relative_phase_deg`` (0 in phase, 180 anti-phase).
    curves
        Each series column (and ``relative_phase_deg``) as ``(n_strides, 101)``.
    """
    times = series["time_s"].to_numpy(float)
    names = [c for c in series.columns if c not in ("frame", "time_s", "walking")]
    curves: dict[str, list[np.ndarray]] = {name: [] for name in names}
    rows = []
    for k, (start, end, foot, bout) in enumerate(stride_spans(steps)):
        row: dict[str, object] = {
            "stride": k + 1,
            "bout": bout,
            "foot": foot,
            "start_s": start,
            "end_s": end,
            "stride_time_s": end - start,
        }
        for name in names:
            curve = stride_curve(times, series[name].to_numpy(float), start, end)
            curves[name].append(curve)
        for name in ("pelvic_obliquity", "trunk_lateral", "pelvis_rotation", "thorax_rotation"):
            row[f"{name}_range_deg"] = _range(curves[f"{name}_deg"][-1])
        row["lateral_shift_bh"] = _range(curves["lateral_shift_bh"][-1])
        row["sway_smoothness_fraction"] = sway_fundamental_share(curves["lateral_shift_bh"][-1])
        lean = curves["trunk_lean_deg"][-1]
        row["trunk_lean_mean_deg"] = float(np.nanmean(lean)) if np.isfinite(lean).any() else np.nan
        row["trunk_lean_range_deg"] = _range(lean)
        phase = curves.get("relative_phase_deg", [np.full(CURVE_POINTS, np.nan)])[-1]
        row["relative_phase_deg"] = (
            float(np.nanmean(np.abs(phase)))
            if np.isfinite(phase).sum() > CURVE_POINTS // 2
            else np.nan
        )
        rows.append(row)
    stacked = {name: np.array(c).reshape(-1, CURVE_POINTS) for name, c in curves.items()}
    return pd.DataFrame(rows), stacked
