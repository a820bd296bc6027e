"""A repetition task's rows of a batch's tables: its ``trials.csv`` columns and its
``reps.csv`` rows (:mod:`.batch_tables` gathers them; ``docs/batch_tables.md`` explains every
column).

- Per-repetition values (peaks, the lumbar share and ratio at the deepest point, MARP) are
  the same for every phase of a repetition: ``reps.csv`` gives them once, on the
  repetition's first row, and ``trials.csv`` their mean and SD across repetitions.
- Per-phase values are prefixed in ``trials.csv`` by the task's phase (``flexion_``,
  ``return_``; ``descent_``/``ascent_``; ``sit_down_``/``stand_up_``): means across
  repetitions. The 90-120° trunk bin, which a bend measured at L1 rarely reaches, is left out (it
  stays in each trial's own ``reps.csv``), as are the pelvic shares at trunk 20° and 30°
  (the pelvic angle there divided by 20 or 30).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from lumbopelvic.core.tasks import task_named
from lumbopelvic.rhythm.stands import STAND_COLUMNS, StandSummary
from lumbopelvic.rhythm.summary import RhythmSummary

# reps.csv name -> batch name: values of a whole repetition.
PER_REPETITION = {
    "peak_trunk_deg": "trunk_peak_flexion_deg",
    "peak_pelvis_deg": "pelvis_peak_flexion_deg",
    "peak_lumbar_deg": "lumbar_peak_flexion_deg",
    "peak_hip_deg": "hip_peak_flexion_deg",
    "peak_knee_deg": "knee_peak_flexion_deg",
    "lumbar_contribution_pct": "lumbar_share_at_deepest_pct",
    "lumbar_pelvis_ratio": "lumbar_to_pelvis_at_deepest_ratio",
}
# reps.csv name -> batch name: values of one phase.
PER_PHASE = {
    "duration_s": "duration_s",
    "peak_trunk_velocity_deg_s": "trunk_peak_velocity_deg_s",
    **{
        f"lumbar_contribution_{lo}_{hi}_pct": f"lumbar_share_trunk_{lo}_{hi}deg_pct"
        for lo, hi in ((0, 30), (30, 60), (60, 90))
    },
    **{
        f"lumbar_pelvis_ratio_{lo}_{hi}": f"lumbar_to_pelvis_trunk_{lo}_{hi}deg_ratio"
        for lo, hi in ((0, 30), (30, 60), (60, 90))
    },
    "pelvis_at_trunk_20_deg": "pelvis_at_trunk_20deg_deg",
    "pelvis_at_trunk_30_deg": "pelvis_at_trunk_30deg_deg",
    "pelvis_lag_ms": "pelvis_onset_lag_ms",
    "pelvis_lag_10pct_ms": "pelvis_lag_10pct_ms",
    "pelvis_lag_50pct_ms": "pelvis_lag_50pct_ms",
    "pelvis_xcorr_lag_ms": "pelvis_xcorr_lag_ms",
}
# reps.csv columns kept as they are (phase bounds, onsets, confidence), and renamed ones.
REP_KEYS = ["rep", "phase", "complete", "start_s", "end_s"]
REP_EXTRA = {
    "pelvis_onset_s": "pelvis_onset_s",
    "lumbar_onset_s": "lumbar_onset_s",
    "mean_confidence": "split_confidence_fraction",
    "mean_trunk_confidence": "trunk_confidence_fraction",
    "low_confidence": "low_confidence",
}
# summary.json quality key -> trials.csv name.
QUALITY = {
    "yaw_deg": "view_off_side_deg",
    "world_yaw_deg": "view_off_side_3d_deg",
    "roll_deg": "camera_roll_deg",
    "in_frame_fraction": "in_frame_fraction",
    "median_visibility": "median_visibility_fraction",
    "split_supported": "split_supported",
    "frames_with_trunk": "frames_with_trunk_count",
    "frames_with_split": "frames_with_split_count",
    "frames_pose_implausible": "frames_pose_implausible_count",
    "median_confidence": "median_confidence_fraction",
    "low_confidence_fraction": "low_confidence_fraction",
}


def phase_prefix(phase: str) -> str:
    """A phase name as a column prefix: ``"sit-down"`` -> ``"sit_down"``."""
    return phase.replace("-", "_")


def repetition_trial_row(summary: RhythmSummary, times_s: pd.Series) -> dict[str, Any]:
    """A repetition task's columns of its ``trials.csv`` row (after the identity, task,
    status, verdict and reason), from its summary and the ``time_s`` of its ``angles.csv``."""
    reps = summary.repetitions
    row: dict[str, Any] = {
        "repetitions_count": reps.found,
        "complete_repetitions_count": reps.complete,
        "confident_split_pct": _pct(summary.assessment.confident_share),
        "analysed_from_s": float(times_s.min()) if len(times_s) else None,
        "analysed_to_s": float(times_s.max()) if len(times_s) else None,
    }
    going, back = task_named(summary.task).directional_phases
    for source, name in PER_REPETITION.items():
        stats = summary.headline(source)[1]
        row[name] = stats.mean
        row[_sd_name(name)] = stats.sd
    row["marp_deg"] = summary.coordination.marp_deg
    row["deviation_phase_deg"] = summary.coordination.deviation_phase_deg
    for phase in (going, back):
        prefix = phase_prefix(phase)
        for source, name in PER_PHASE.items():
            row[f"{prefix}_{name}"] = summary.mean(phase, source)
        row[f"{prefix}_low_confidence_phases_count"] = summary.left_out.get(phase, 0)
    row.update({name: summary.quality.get(key) for key, name in QUALITY.items()})
    if task_named(summary.task).counts_returns:
        row[f"{summary.unit}s_count"] = summary.found
        row[f"whole_{summary.unit}s_count"] = summary.whole
    if summary.stands is not None:
        row.update(stand_columns(summary.stands))
    return row


def stand_columns(stands: StandSummary) -> dict[str, Any]:
    """A task counted in stands: its ``trials.csv`` columns (counts, the five-stand time, and
    means over the stands)."""
    row: dict[str, Any] = {
        "sits_count": stands.sits,
        "five_stand_time_s": stands.five_stand_time_s,
    }
    for name in StandSummary.SPREADS:
        stem, unit = name.rsplit("_", 1)
        row[f"{stem}_mean_{unit}"] = getattr(stands, name).mean
    return row


def tidy_reps(reps: pd.DataFrame, identity: dict[str, Any], task: str) -> pd.DataFrame:
    """A trial's ``reps.csv`` as rows of the batch's: led by the trial's identity and task,
    one per repetition and phase, each value once (per-repetition values on the repetition's
    first row), units in every name."""
    table = pd.DataFrame({key: reps[key] for key in REP_KEYS})
    table["duration_s"] = reps["duration_s"]
    first = ~reps.duplicated("rep").to_numpy()
    for source, name in PER_REPETITION.items():
        table[name] = reps[source].where(first)
    table["marp_deg"] = reps["marp_deg"].where(first)
    for source, name in {**PER_PHASE, **REP_EXTRA}.items():
        if name not in table:
            table[name] = reps[source]
    for name in STAND_COLUMNS:  # a task counted in stands: each stand's timing
        if name in reps:
            table[name] = reps[name]
    for key, value in reversed({**identity, "task": task}.items()):
        table.insert(0, key, value)
    return table


def _sd_name(name: str) -> str:
    """``trunk_peak_flexion_deg`` -> ``trunk_peak_flexion_sd_deg``: the unit (one word: the
    per-repetition values are ``_deg``, ``_pct`` or ``_ratio``) stays last."""
    stem, unit = name.rsplit("_", 1)
    return f"{stem}_sd_{unit}"


def _pct(fraction: float | None) -> float | None:
    return None if fraction is None else round(100 * float(fraction), 1)
