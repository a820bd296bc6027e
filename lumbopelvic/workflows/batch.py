"""Batch analysis of many videos: resumable, failure-tolerant, local processes or Dask.

Layout of the output folder ``OUT``::

    OUT/videos/<name>/...       one ``analyze`` output folder per video, plus ``done.json``
    OUT/trials.csv              one row per video (summary metrics + manifest metadata)
    OUT/reps.csv                every repetition of every video (+ manifest metadata)
    OUT/failures.csv            videos that failed in the last run, with a one-line reason

A video is skipped on a re-run when its ``done.json`` records the same content hash and
settings (:mod:`.batch_jobs`). Every table is written atomically and rebuilt from the
finished folders, so an interrupted run (Ctrl-C, SIGTERM, a killed process) loses at most the
videos in progress. One batch at a time may write to a folder: a second is refused.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.version import __version__
from lumbopelvic.io.atomic import atomic_path, write_text_atomic
from lumbopelvic.io.layout import (
    BATCH_DONE_MARKER,
    BATCH_FAILURES_CSV,
    BATCH_LOCK,
    BATCH_RECORD_JSON,
    BATCH_REPS_CSV,
    BATCH_TRIALS_CSV,
    BATCH_VIDEOS_DIR,
    DEFAULT_BATCH_DIR,
)
from lumbopelvic.io.lock import exclusive_lock
from lumbopelvic.io.result_files import load_reps, load_summary, write_table_csv
from lumbopelvic.io.staging import prepare_target
from lumbopelvic.workflows.batch_jobs import Job, collect_jobs, is_done
from lumbopelvic.workflows.batch_runners import run_dask, run_local
from lumbopelvic.workflows.settings import AnalysisSettings


def build_tables(out_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Dataset tables rebuilt from every finished video folder (atomic writes)."""
    trials, reps = [], []
    for marker in sorted((out_dir / BATCH_VIDEOS_DIR).glob(f"*/{BATCH_DONE_MARKER}")):
        done = json.loads(marker.read_text(encoding="utf-8"))
        folder = marker.parent
        summary = load_summary(folder)
        base = {"video": done["video"], "folder": folder.name, **done.get("metadata", {})}
        row = {**base, "task": summary["task"], "repetitions": summary["repetitions"]["found"],
               "complete_repetitions": summary["repetitions"]["complete"],
               "verdict": summary.get("verdict"),
               "verdict_reasons": " | ".join(summary.get("verdict_reasons", [])),
               "confident_share": summary.get("confident_share")}  # fmt: skip
        for phase, left_out in summary.get("phases_left_out_low_confidence", {}).items():
            row[f"{phase}_phases_left_out_low_confidence"] = left_out
        for phase, metrics in summary["phases"].items():
            for metric, stats in metrics.items():
                row[f"{phase}_{metric}_mean"] = stats["mean"]
                row[f"{phase}_{metric}_sd"] = stats["sd"]
        quality = summary.get("quality", {})
        row.update({f"quality_{k}": v for k, v in quality.items() if not isinstance(v, list)})
        trials.append(row)
        rep_table = load_reps(folder)
        if len(rep_table):
            for key, value in reversed(base.items()):
                rep_table.insert(0, key, value)
            reps.append(rep_table)
    trials_table = pd.DataFrame(trials)
    reps_table = pd.concat(reps, ignore_index=True) if reps else pd.DataFrame()
    write_table_csv(trials_table, out_dir / BATCH_TRIALS_CSV)
    write_table_csv(reps_table, out_dir / BATCH_REPS_CSV)
    return trials_table, reps_table


def write_failures(out_dir: Path, failures: list[dict[str, Any]]) -> None:
    with atomic_path(out_dir / BATCH_FAILURES_CSV) as tmp:
        pd.DataFrame(failures, columns=["video", "reason"]).to_csv(tmp, index=False)


def run_batch(
    jobs: list[Job],
    out_dir: Path,
    workers: int = 1,
    dask_address: str | None = None,
    on_result: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Analyse every job not already done; rebuild the tables; record failures.

    Returns
    -------
    dict
        Counts: ``total``, ``skipped``, ``done``, ``failed``, plus ``failures``.
    """
    prepare_target(out_dir, replace=False)
    out_dir.mkdir(exist_ok=True)
    with exclusive_lock(out_dir / BATCH_LOCK, f"another batch is writing to {out_dir}"):
        return _run_unlocked(jobs, out_dir, workers, dask_address, on_result)


def _run_unlocked(
    jobs: list[Job],
    out_dir: Path,
    workers: int,
    dask_address: str | None,
    on_result: Callable[[dict[str, Any]], None] | None,
) -> dict[str, Any]:
    todo = [job for job in jobs if not is_done(job, out_dir)]
    failures: list[dict[str, Any]] = []
    done = 0
    runner = (
        run_dask(todo, out_dir, dask_address) if dask_address else run_local(todo, out_dir, workers)
    )
    try:
        for result in runner:
            if result["ok"]:
                done += 1
            else:
                failures.append({"video": result["video"], "reason": result["reason"]})
            if on_result is not None:
                on_result(result)
    finally:
        write_failures(out_dir, failures)
        build_tables(out_dir)
        record = {"package_version": __version__, "jobs": [asdict(j) for j in jobs]}
        write_text_atomic(out_dir / BATCH_RECORD_JSON, json.dumps(record, indent=2))
    return {"total": len(jobs), "skipped": len(jobs) - len(todo), "done": done,
            "failed": len(failures), "failures": failures}  # fmt: skip


def default_workers() -> int:
    """One worker process per core this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def batch(
    inputs: Iterable[str],
    output: str | os.PathLike[str] = DEFAULT_BATCH_DIR,
    manifest: str | os.PathLike[str] | None = None,
    workers: int = 0,
    dask_address: str | None = None,
    settings: AnalysisSettings | None = None,
    on_start: Callable[[int], None] | None = None,
    on_result: Callable[[dict[str, Any]], None] | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Analyse many videos into ``output`` (see the module docstring for the layout).

    Parameters
    ----------
    inputs
        Folders, video files or glob patterns.
    output
        The batch folder.
    manifest
        CSV with a ``video`` column, metadata columns and per-video overrides.
    workers
        Local worker processes; 0 for one per core.
    dask_address
        Address of a Dask scheduler to run the videos on instead.
    settings, **options
        Analysis settings for every video (manifest columns override ``task``, ``model``
        and ``subject_height_m`` per video).
    on_start
        Called with the number of videos once they are collected.
    on_result
        Called with each video's result as it finishes.

    Returns
    -------
    dict
        Counts ``total``, ``skipped``, ``done``, ``failed`` and the ``failures``.
    """
    if workers < 0:
        raise LumbopelvicError(f"workers must be 0 (one per core) or more, got {workers}")
    defaults = AnalysisSettings.from_options(settings, **options).as_options()
    jobs = collect_jobs(inputs, Path(manifest) if manifest else None, defaults)
    if on_start is not None:
        on_start(len(jobs))
    return run_batch(jobs, Path(output), workers or default_workers(), dask_address, on_result)
