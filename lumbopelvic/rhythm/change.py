"""Pre/post change of each metric set against the minimal detectable change (MDC).

A change smaller than the MDC is within measurement noise and is reported as such. MDC90
values from Laird et al. 2016 (:mod:`lumbopelvic.rhythm.references`): 8-15 percentage points
for the lumbar contribution and 5-15 degrees for ranges of motion; below the lower bound a
change is "within measurement noise", from the upper bound on it is "larger than measurement
noise", and in between it is "at the edge of measurement noise".
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lumbopelvic.rhythm.references import CHANGE_LABELS, MDC


def change_label(change: float, low: float, high: float) -> str:
    """Plain label of a change against an MDC range."""
    size = abs(change)
    if size < low:
        return CHANGE_LABELS[0]
    return CHANGE_LABELS[2] if size >= high else CHANGE_LABELS[1]


def compare_summaries(before: dict[str, Any], after: dict[str, Any]) -> pd.DataFrame:
    """One row per metric (flexion phase means): before, after, change, MDC and label."""
    rows = []
    for metric, (low, high) in MDC.items():
        b = _flexion_mean(before, metric)
        a = _flexion_mean(after, metric)
        change = a - b if b is not None and a is not None else np.nan
        unit = "pp" if metric.endswith("_pct") else "deg"
        rows.append({
            "metric": metric, "before": b, "after": a, "change": change,
            "mdc_low": low, "mdc_high": high, "unit": unit,
            "label": change_label(change, low, high) if np.isfinite(change) else "not measured",
        })  # fmt: skip
    return pd.DataFrame(rows)


def _flexion_mean(summary: dict[str, Any], metric: str) -> float | None:
    phases = summary.get("phases", {})
    if not phases:
        return None
    going = next(iter(phases.values()))
    return going.get(metric, {}).get("mean")
