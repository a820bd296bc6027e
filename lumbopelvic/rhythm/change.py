"""Pre/post change of each metric against the smallest real difference: is it more than noise?

Two sources of noise stand between two visits' numbers, and both are counted:

1. **This instrument's own error.** Its median per-clip error on held-out renders with known
   angles (``measurement_accuracy`` in ``summary.json``, from ``bench/ACCURACY.md``: trunk
   1.9°, pelvis 3.0°, lumbar 3.8°, lumbar share 5.2 percentage points) is taken as the
   standard error of one measurement, SEM. The difference of two independent measurements has
   the error SEM·√2, so the smallest difference that is real with 95 % confidence is
   ``SRD_instrument = 1.96 · √2 · SEM``.
2. **The person's own day-to-day variation** (test-retest), from the literature: the minimal
   detectable change of Laird et al. 2016 (MDC90: lumbar contribution 8-15 percentage
   points, range of motion 5-15°). Its lower bound is used: the published MDC already holds
   the error of the study's own sensors, which this software replaces with its own (1.), so
   the lower end, the least sensor-laden figure, stands for the movement's own variation.

The two are independent, so their variances add and the threshold is
``smallest real difference = √(SRD_instrument² + MDC_literature²)``. Taking only the larger
of the two would ignore the other source; adding them outright would count their
independent errors as if they always struck in the same direction. A change smaller than the
threshold is "within measurement noise"; one at least as large is "larger than measurement
noise", a real difference.

Phases whose pelvis/lumbar split is uncertain are already left out of the summary's means
(:mod:`lumbopelvic.rhythm.summary`); a metric with no confident phase is "not measured".
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from lumbopelvic.rhythm.references import CHANGE_LABELS, MDC, MEASUREMENT_ACCURACY
from lumbopelvic.rhythm.summary import RhythmSummary

# Two-sided 95 % point of the normal distribution.
Z_95 = 1.96
# Metric compared -> its key in ``measurement_accuracy`` (the instrument's SEM, same unit).
ACCURACY_KEYS = {
    "peak_trunk_deg": "trunk_rmse_deg",
    "peak_pelvis_deg": "pelvis_rmse_deg",
    "peak_lumbar_deg": "lumbar_rmse_deg",
    "lumbar_contribution_pct": "lumbar_contribution_error_pp",
}
NOT_MEASURED = "not measured"
NOT_MEASURED_UNCERTAIN = "not measured: the split was uncertain"
COMPARISON_COLUMNS = [
    "metric",
    "before",
    "after",
    "change",
    "unit",
    "n_before",
    "n_after",
    "instrument_error",
    "instrument_srd",
    "literature_mdc",
    "threshold",
    "label",
]


def instrument_srd(sem: float) -> float:
    """Smallest real difference of two independent measurements, ``1.96 · √2 · sem``.

    Parameters
    ----------
    sem
        Standard error of one measurement (degrees or percentage points).

    Returns
    -------
    float
        The difference, same unit, that one instrument's error alone exceeds only 5 % of the
        time.
    """
    return Z_95 * math.sqrt(2.0) * sem


def smallest_real_difference(sem: float, literature_mdc: float) -> float:
    """``√((1.96 · √2 · sem)² + literature_mdc²)``: instrument error and the person's
    test-retest variation combined (see the module docstring). Same unit as the inputs."""
    return math.hypot(instrument_srd(sem), literature_mdc)


def change_label(change: float, threshold: float) -> str:
    """ "within measurement noise" below ``threshold``, else "larger than measurement noise"."""
    return CHANGE_LABELS[1] if abs(change) >= threshold else CHANGE_LABELS[0]


def instrument_error(before: RhythmSummary, after: RhythmSummary, metric: str) -> float:
    """The instrument's error (SEM) of ``metric``: the larger of the two summaries'
    ``measurement_accuracy`` figures, or the packaged one when they carry none."""
    key = ACCURACY_KEYS[metric]
    found = [s.measurement_accuracy.get(key) for s in (before, after)]
    values = [float(v) for v in found if isinstance(v, int | float) and math.isfinite(v)]
    return max(values) if values else float(MEASUREMENT_ACCURACY[key])


def compare_summaries(before: RhythmSummary, after: RhythmSummary) -> pd.DataFrame:
    """One row per metric (flexion-phase means over confident repetitions).

    Returns
    -------
    pandas.DataFrame
        ``metric, before, after, change`` (the metric's unit: degrees or percentage points),
        ``unit`` (``deg``/``pp``), ``n_before, n_after`` (phases averaged),
        ``instrument_error`` (SEM), ``instrument_srd`` (1.96·√2·SEM), ``literature_mdc``,
        ``threshold`` (the smallest real difference) and ``label``.
    """
    rows = []
    for metric, (mdc_low, _mdc_high) in MDC.items():
        (b, n_b), (a, n_a) = _flexion_mean(before, metric), _flexion_mean(after, metric)
        change = a - b if b is not None and a is not None else np.nan
        sem = instrument_error(before, after, metric)
        threshold = smallest_real_difference(sem, mdc_low)
        if np.isfinite(change):
            label = change_label(change, threshold)
        else:
            label = NOT_MEASURED_UNCERTAIN if _left_out(before, after) else NOT_MEASURED
        rows.append(
            {
                "metric": metric,
                "before": b,
                "after": a,
                "change": change,
                "unit": "pp" if metric.endswith("_pct") else "deg",
                "n_before": n_b,
                "n_after": n_a,
                "instrument_error": sem,
                "instrument_srd": instrument_srd(sem),
                "literature_mdc": mdc_low,
                "threshold": threshold,
                "label": label,
            }
        )
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)


def _flexion_mean(summary: RhythmSummary, metric: str) -> tuple[float | None, int]:
    stats = summary.headline(metric)[1]
    return stats.mean, int(stats.n or (0 if stats.mean is None else 1))


def _left_out(*summaries: RhythmSummary) -> bool:
    return any(sum(s.left_out.values()) > 0 for s in summaries)
