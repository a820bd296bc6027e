"""A batch's dataset tables: ``trials.csv`` (one row per trial) and ``reps.csv`` (one row per
repetition and phase), rebuilt from the finished video folders and the run's failures.

Every column of a measurement ends in its unit (:data:`UNITS`: ``_deg``, ``_deg_s``, ``_s``,
``_ms``, ``_pct``, ``_fraction`` for 0-1, ``_count``, ``_ratio`` for a unitless ratio, and for
walks ``_per_min``, ``_bh`` body heights and ``_bh_s`` body heights per second); no
column repeats another, and none is always empty. ``docs/batch_tables.md`` explains
every column.

- ``status``: ``analysed`` (at least one repetition found), ``no-repetitions`` (the video
  was read, but no movement of the task), ``failed`` (it could not be analysed: the reason
  is in ``reason``).
- ``verdict``: ``analysable``, ``trunk-only`` or ``not-analysable``
  (:mod:`lumbopelvic.rhythm.verdict`); a failed trial is ``not-analysable``.
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

import json
from pathlib import Path
from typing import Any

import pandas as pd

from lumbopelvic.io.layout import (
    ANGLES_CSV,
    BATCH_DONE_MARKER,
    BATCH_REPS_CSV,
    BATCH_TRIALS_CSV,
    GAIT_CSV,
    STRIDES_CSV,
)
from lumbopelvic.io.layout import BATCH_VIDEOS_DIR as VIDEOS
from lumbopelvic.io.result_files import load_reps, load_summary, write_table_csv
from lumbopelvic.rhythm.tasks import PHASE_NAMES, WALK
from lumbopelvic.workflows.gait_tables import tidy_strides, walk_trial_row

STATUSES = ("analysed", "no-repetitions", "failed")
UNITS = (
    "_deg",
    "_deg_s",
    "_s",
    "_ms",
    "_pct",
    "_fraction",
    "_count",
    "_ratio",
    "_per_min",
    "_bh",
    "_bh_s",
)
# reps.csv name -> batch name: values of a whole repetition.
PER_REPETITION = {
    "peak_trunk_deg": "trunk_peak_flexion_deg",
    "peak_pelvis_deg": "pelvis_peak_flexion_deg",
    "peak_lumbar_deg": "lumbar_peak_flexion_deg",
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


def trial_row(
    done: dict[str, Any], summary: dict[str, Any], trial: str, times_s: pd.Series
) -> dict[str, Any]:
    """One ``trials.csv`` row from a finished folder's ``done.json``, ``summary.json`` and the
    ``time_s`` column of its ``angles.csv``."""
    reps = summary["repetitions"]
    row: dict[str, Any] = {
        **_identity(trial, done["video"], done.get("metadata", {})),
        "task": summary["task"],
        "status": "analysed" if reps["found"] else "no-repetitions",
        "verdict": summary.get("verdict", ""),
        "reason": "; ".join(summary.get("verdict_reasons", [])),
        "repetitions_count": reps["found"],
        "complete_repetitions_count": reps["complete"],
        "confident_split_pct": _pct(summary.get("confident_share")),
        "analysed_from_s": float(times_s.min()) if len(times_s) else None,
        "analysed_to_s": float(times_s.max()) if len(times_s) else None,
    }
    going, _, back = PHASE_NAMES[summary["task"]]
    phases = summary.get("phases", {})
    for source, name in PER_REPETITION.items():
        stats = phases.get(going, {}).get(source, {})
        row[name] = stats.get("mean")
        row[_sd_name(name)] = stats.get("sd")
    coordination = summary.get("coordination", {})
    row["marp_deg"] = coordination.get("marp_deg")
    row["deviation_phase_deg"] = coordination.get("deviation_phase_deg")
    left_out = summary.get("phases_left_out_low_confidence", {})
    for phase in (going, back):
        prefix = phase_prefix(phase)
        for source, name in PER_PHASE.items():
            row[f"{prefix}_{name}"] = phases.get(phase, {}).get(source, {}).get("mean")
        row[f"{prefix}_low_confidence_phases_count"] = left_out.get(phase, 0)
    quality = summary.get("quality", {})
    row.update({name: quality.get(key) for key, name in QUALITY.items()})
    return row


def failed_row(failure: dict[str, Any]) -> dict[str, Any]:
    """One ``trials.csv`` row for a video that could not be analysed."""
    return {
        **_identity(failure["name"], failure["video"], failure.get("metadata", {})),
        "task": failure.get("task", ""),
        "status": "failed",
        "verdict": "not-analysable",
        "reason": failure["reason"],
    }


def tidy_reps(reps: pd.DataFrame, base: dict[str, Any]) -> pd.DataFrame:
    """A trial's ``reps.csv`` as rows of the batch's: one per repetition and phase, each value
    once (per-repetition values on the repetition's first row), units in every name."""
    table = pd.DataFrame({key: reps[key] for key in REP_KEYS})
    table["duration_s"] = reps["duration_s"]
    first = ~reps.duplicated("rep").to_numpy()
    for source, name in PER_REPETITION.items():
        table[name] = reps[source].where(first)
    table["marp_deg"] = reps["marp_deg"].where(first)
    for source, name in {**PER_PHASE, **REP_EXTRA}.items():
        if name not in table:
            table[name] = reps[source]
    for key, value in reversed(base.items()):
        table.insert(0, key, value)
    return table


def build_tables(
    out_dir: Path, failures: list[dict[str, Any]] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``trials.csv`` and ``reps.csv`` rebuilt from every finished video folder and this run's
    ``failures`` (atomic writes); returns both tables."""
    trials, reps, strides = [], [], []
    for marker in sorted((out_dir / VIDEOS).glob(f"*/{BATCH_DONE_MARKER}")):
        done = json.loads(marker.read_text(encoding="utf-8"))
        folder = marker.parent
        summary = load_summary(folder)
        walk = summary["task"] == WALK
        frames = folder / (GAIT_CSV if walk else ANGLES_CSV)
        times = pd.read_csv(frames, usecols=["time_s"])["time_s"]
        if walk:
            identity = _identity(folder.name, done["video"], done.get("metadata", {}))
            trials.append(walk_trial_row(identity, summary, times))
            stride_table = load_reps(folder, STRIDES_CSV)
            if len(stride_table):
                strides.append(tidy_strides(stride_table, identity, summary["task"]))
            continue
        trials.append(trial_row(done, summary, folder.name, times))
        rep_table = load_reps(folder)
        if len(rep_table):
            base = {
                **_identity(folder.name, done["video"], done.get("metadata", {})),
                "task": summary["task"],
            }
            reps.append(tidy_reps(rep_table, base))
    trials += [failed_row(failure) for failure in failures or []]
    trials_table = pd.DataFrame(trials)
    reps_table = pd.concat(reps, ignore_index=True) if reps else pd.DataFrame()
    write_table_csv(trials_table, out_dir / BATCH_TRIALS_CSV)
    write_table_csv(reps_table, out_dir / BATCH_REPS_CSV)
    if strides:
        write_table_csv(pd.concat(strides, ignore_index=True), out_dir / STRIDES_CSV)
    return trials_table, reps_table


def _identity(trial: str, video: str, metadata: dict[str, Any]) -> dict[str, Any]:
    return {"trial": trial, "video": video, **metadata}


def _sd_name(name: str) -> str:
    """``trunk_peak_flexion_deg`` -> ``trunk_peak_flexion_sd_deg``: the unit (one word: the
    per-repetition values are ``_deg``, ``_pct`` or ``_ratio``) stays last."""
    stem, unit = name.rsplit("_", 1)
    return f"{stem}_sd_{unit}"


def _pct(fraction: float | None) -> float | None:
    return None if fraction is None else round(100 * float(fraction), 1)
