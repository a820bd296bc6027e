"""Batch analysis of many videos: resumable, failure-tolerant, local processes or Dask.

Layout of the output folder ``OUT``::

    OUT/videos/<name>/...       one ``analyze`` output folder per video, plus ``done.json``
    OUT/trials.csv              one row per video: status, verdict and its reason, metrics
    OUT/reps.csv                one row per repetition and phase of every video
    OUT/batch.html              every trial with its verdict, key metrics and its report
    OUT/failures.csv            videos that failed in the last run, with a one-line reason

The tables' columns are in :mod:`.batch_tables` (and ``docs/batch_tables.md``).

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
    BATCH,
    BATCH_FAILURES_CSV,
    BATCH_LOCK,
    BATCH_PAGE_HTML,
    BATCH_RECORD_JSON,
    BATCH_TRIALS_CSV,
    BATCH_VIDEOS_DIR,
    DEFAULT_BATCH_DIR,
    TABLE_FILES,
)
from lumbopelvic.io.lock import exclusive_lock
from lumbopelvic.io.ownership import mark_owned
from lumbopelvic.io.staging import clean_stale, prepare_target
from lumbopelvic.outputs.batch_page import batch_page
from lumbopelvic.workflows.batch_jobs import Job, collect_jobs, is_done
from lumbopelvic.workflows.batch_runners import run_dask, run_local
from lumbopelvic.workflows.batch_tables import build_tables
from lumbopelvic.workflows.settings import AnalysisSettings

# The batch's own files, rewritten in place by every run.
BATCH_TABLES = (
    BATCH_TRIALS_CSV,
    BATCH_FAILURES_CSV,
    BATCH_PAGE_HTML,
    BATCH_RECORD_JSON,
    BATCH_TRIALS_CSV,
    *TABLE_FILES.values(),
)


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
        Counts: ``total``, ``skipped``, ``done`` (``analysed`` + ``no_repetitions``),
        ``analysed``, ``no_repetitions``, ``failed``, plus ``failures``.
    """
    out_dir = prepare_target(out_dir, BATCH)
    out_dir.mkdir(exist_ok=True)
    with exclusive_lock(out_dir / BATCH_LOCK, f"another batch is writing to {out_dir}"):
        # Its tables are rebuilt in place as trials finish: whatever a stopped run left in
        # them is the batch's own; each video's folder carries its analysis's marker.
        mark_owned(out_dir, BATCH, pending=BATCH_TABLES)
        try:
            return _run_unlocked(jobs, out_dir, workers, dask_address, on_result)
        finally:
            for job in jobs:  # the hidden folders of workers stopped mid-analysis
                clean_stale(out_dir / BATCH_VIDEOS_DIR / job.name)


def _run_unlocked(
    jobs: list[Job],
    out_dir: Path,
    workers: int,
    dask_address: str | None,
    on_result: Callable[[dict[str, Any]], None] | None,
) -> dict[str, Any]:
    todo = [job for job in jobs if not is_done(job, out_dir)]
    by_name = {job.name: job for job in jobs}
    failures: list[dict[str, Any]] = []
    statuses = {"analysed": 0, "no-repetitions": 0}
    runner = (
        run_dask(todo, out_dir, dask_address) if dask_address else run_local(todo, out_dir, workers)
    )
    try:
        for result in runner:
            if result["ok"]:
                statuses[result["status"]] += 1
            else:
                job = by_name[result["name"]]
                failures.append(
                    {
                        "video": result["video"],
                        "reason": result["reason"],
                        "name": job.name,
                        "metadata": job.metadata,
                        "task": job.settings.get("task", ""),
                    }
                )
            if on_result is not None:
                on_result(result)
    finally:
        write_failures(out_dir, failures)
        trials, _ = build_tables(out_dir, failures)
        write_text_atomic(out_dir / BATCH_PAGE_HTML, batch_page(trials, out_dir.name))
        record = {"package_version": __version__, "jobs": [asdict(j) for j in jobs]}
        write_text_atomic(out_dir / BATCH_RECORD_JSON, json.dumps(record, indent=2))
    done = sum(statuses.values())
    return {
        "total": len(jobs),
        "skipped": len(jobs) - len(todo),
        "done": done,
        "analysed": statuses["analysed"],
        "no_repetitions": statuses["no-repetitions"],
        "failed": len(failures),
        "failures": failures,
    }


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
        Analysis settings for every video (manifest columns override ``task``, ``model``,
        ``subject_height_m``, ``start`` and ``end`` per video).
    on_start
        Called with the number of videos once they are collected.
    on_result
        Called with each video's result as it finishes.

    Returns
    -------
    dict
        Counts ``total``, ``skipped``, ``done``, ``analysed``, ``no_repetitions``,
        ``failed`` and the ``failures``.
    """
    if workers < 0:
        raise LumbopelvicError(f"workers must be 0 (one per core) or more, got {workers}")
    defaults = AnalysisSettings.from_options(settings, **options).as_options()
    jobs = collect_jobs(inputs, Path(manifest) if manifest else None, defaults)
    if on_start is not None:
        on_start(len(jobs))
    return run_batch(jobs, Path(output), workers or default_workers(), dask_address, on_result)
