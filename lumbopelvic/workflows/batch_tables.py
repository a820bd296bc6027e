"""A batch's dataset tables: ``trials.csv`` (one row per trial), ``reps.csv`` (one row per
repetition and phase) and, with walks, ``strides.csv`` (one row per stride), rebuilt from the
finished video folders and the run's failures.

Every column of a measurement ends in its unit (:data:`UNITS`: ``_deg``, ``_deg_s``, ``_s``,
``_ms``, ``_pct``, ``_fraction`` for 0-1, ``_count``, ``_ratio`` for a unitless ratio, and for
walks ``_per_min``, ``_bh`` body heights and ``_bh_s`` body heights per second); no
column repeats another, and none is always empty. ``docs/batch_tables.md`` explains
every column. Each trial's own columns come from its kind of analysis
(:mod:`.repetition_tables`, :mod:`.gait_tables`).

- ``status``: ``analysed`` (at least one repetition or step found), ``no-repetitions`` (the
  video was read, but no movement of the task), ``failed`` (it could not be analysed: the
  reason is in ``reason``).
- ``verdict``: ``analysable``, ``trunk-only`` or ``not-analysable``
  (:class:`lumbopelvic.core.summaries.Verdict`); a failed trial is ``not-analysable``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from lumbopelvic.core.verdict import Verdict
from lumbopelvic.io.layout import BATCH_DONE_MARKER, BATCH_TRIALS_CSV, TABLE_FILES
from lumbopelvic.io.layout import BATCH_VIDEOS_DIR as VIDEOS
from lumbopelvic.io.result_files import load_table, write_table_csv
from lumbopelvic.workflows.analysis_kinds import load_summary_of, summary_kind

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


def failed_row(failure: dict[str, Any]) -> dict[str, Any]:
    """One ``trials.csv`` row for a video that could not be analysed."""
    return {
        **_identity(failure["name"], failure["video"], failure.get("metadata", {})),
        "task": failure.get("task", ""),
        "status": "failed",
        "verdict": Verdict.NOT_ANALYSABLE.value,
        "reason": failure["reason"],
    }


def build_tables(
    out_dir: Path, failures: list[dict[str, Any]] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``trials.csv``, ``reps.csv`` and (with walks) ``strides.csv`` rebuilt from every
    finished video folder and this run's ``failures`` (atomic writes); returns the trials and
    the repetitions."""
    trials: list[dict[str, Any]] = []
    gathered: dict[str, list[pd.DataFrame]] = {"reps": []}
    for marker in sorted((out_dir / VIDEOS).glob(f"*/{BATCH_DONE_MARKER}")):
        done = json.loads(marker.read_text(encoding="utf-8"))
        folder = marker.parent
        summary = load_summary_of(folder)
        kind = summary_kind(summary)
        identity = _identity(folder.name, done["video"], done.get("metadata", {}))
        times = load_table(folder, kind.frames_table, columns=["time_s"])["time_s"]
        trials.append(
            {
                **identity,
                "task": summary.task,
                "status": "analysed" if summary.has_movement else "no-repetitions",
                "verdict": summary.verdict.value,
                "reason": "; ".join(summary.assessment.reasons),
                **kind.trial_row(identity, summary, times),
            }
        )
        table = load_table(folder, kind.batch_table)
        if len(table):
            rows = kind.batch_rows(table, identity, summary.task)
            gathered.setdefault(kind.batch_table, []).append(rows)
    trials += [failed_row(failure) for failure in failures or []]
    trials_table = pd.DataFrame(trials)
    write_table_csv(trials_table, out_dir / BATCH_TRIALS_CSV)
    tables = {
        name: pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        for name, parts in gathered.items()
    }
    for name, table in tables.items():
        if len(table) or name == "reps":
            write_table_csv(table, out_dir / TABLE_FILES[name])
    return trials_table, tables["reps"]


def _identity(trial: str, video: str, metadata: dict[str, Any]) -> dict[str, Any]:
    return {"trial": trial, "video": video, **metadata}
