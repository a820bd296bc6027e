"""A batch's walking rows: one ``trials.csv`` row per walk and ``strides.csv`` (one row per
stride of every walk), beside the forward-bend tables of :mod:`.batch_tables`."""

from __future__ import annotations

from typing import Any

import pandas as pd

from lumbopelvic.core.summaries import Spread
from lumbopelvic.gait.summary import GaitSummary

# The walk summary's step measure -> trials.csv column.
STEP_VALUES = {
    "cadence_steps_per_min": "cadence_per_min",
    "speed_bh_per_s": "speed_bh_s",
}
# The walk summary's step spread -> trials.csv columns (mean in the unit, coefficient of variation).
STEP_SPREADS = {
    "step_time_s": ("step_time_mean_s", "step_time_cv_pct"),
    "stride_time_s": ("stride_time_mean_s", "stride_time_cv_pct"),
    "step_length_bh": ("step_length_mean_bh", "step_length_cv_pct"),
}
STRIDE_MEANS = (
    "pelvic_obliquity_range_deg",
    "trunk_lateral_range_deg",
    "lateral_shift_bh",
    "sway_smoothness_fraction",
    "pelvis_rotation_range_deg",
    "thorax_rotation_range_deg",
    "trunk_lean_mean_deg",
    "trunk_lean_range_deg",
)


def walk_trial_row(summary: GaitSummary, times_s: pd.Series) -> dict[str, Any]:
    """A walk's columns of its ``trials.csv`` row (after the identity, task, status, verdict
    and reason), from its summary and the ``time_s`` of its ``gait.csv``."""
    steps = summary.steps
    row: dict[str, Any] = {
        "view": summary.view.label,
        "steps_count": steps.steps,
        "strides_count": steps.strides,
        "bouts_count": steps.bouts,
        "analysed_from_s": float(times_s.min()) if len(times_s) else None,
        "analysed_to_s": float(times_s.max()) if len(times_s) else None,
    }
    row.update({name: getattr(steps, key) for key, name in STEP_VALUES.items()})
    for key, (mean, cv) in STEP_SPREADS.items():
        spread = getattr(steps, key)
        row[mean], row[cv] = spread.mean, spread.cv_pct
    for name in STRIDE_MEANS:
        row[name] = summary.strides.get(name, Spread()).mean
    row["relative_phase_deg"] = summary.coordination.relative_phase_deg
    row["deviation_phase_deg"] = summary.coordination.deviation_phase_deg
    for group, level in summary.confidence.items():
        row[f"{group}_confidence"] = level.level
    return row


def tidy_strides(strides: pd.DataFrame, identity: dict[str, Any], task: str) -> pd.DataFrame:
    """A walk's ``strides.csv`` as rows of the batch's, led by the trial's identity."""
    lead = pd.DataFrame([{**identity, "task": task}] * len(strides), index=strides.index)
    return pd.concat([lead, strides], axis=1)
