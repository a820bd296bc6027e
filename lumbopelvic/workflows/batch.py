"""Batch analysis of many videos: resumable, failure-tolerant, local processes or Dask.

Layout of the output folder ``OUT``::

    OUT/videos/<name>/...       one ``analyze`` output folder per video, plus ``done.json``
    OUT/trials.csv              one row per video (summary metrics + manifest metadata)
    OUT/reps.csv                every repetition of every video (+ manifest metadata)
    OUT/failures.csv            videos that failed in the last run, with a one-line reason

A video is skipped on a re-run when its ``done.json`` records the same content hash and
settings. Every table is written atomically and rebuilt from the finished folders, so an
interrupted run (Ctrl-C, a killed process) loses at most the videos in progress.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.provenance import table_metadata
from lumbopelvic.core.version import __version__
from lumbopelvic.io.atomic import atomic_path, write_text_atomic
from lumbopelvic.io.hashing import sha256_file
from lumbopelvic.io.layout import (
    BATCH_DONE_MARKER,
    BATCH_FAILURES_CSV,
    BATCH_RECORD_JSON,
    BATCH_REPS_CSV,
    BATCH_TRIALS_CSV,
    BATCH_VIDEOS_DIR,
    DEFAULT_BATCH_DIR,
)
from lumbopelvic.io.result_files import load_reps, load_summary, write_table_csv
from lumbopelvic.workflows.settings import AnalysisSettings

VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm")
OVERRIDABLE = ("task", "model", "subject_height_m")


@dataclass(frozen=True)
class Job:
    """One video to analyse, its manifest metadata and per-video setting overrides."""

    video: str
    name: str
    metadata: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)


def _slug(path: Path) -> str:
    digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:8]
    return f"{path.stem}_{digest}"


def collect_jobs(
    inputs: Iterable[str], manifest: Path | None, defaults: dict[str, Any]
) -> list[Job]:
    """Jobs from folders, files, globs and an optional manifest CSV.

    The manifest has a ``video`` column (paths relative to the manifest's folder allowed);
    the optional columns ``task``, ``model`` and ``subject_height_m`` override the batch
    settings for that video, every other column (subject, session, condition, side, ...) is
    metadata copied into the tables.
    """
    videos: list[tuple[Path, dict[str, str], dict[str, Any]]] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in VIDEO_SUFFIXES)
        elif path.exists():
            found = [path]
        else:
            found = sorted(Path(p) for p in glob.glob(item) if Path(p).is_file())
            if not found:
                raise LumbopelvicError(f"no video matches {item}")
        videos += [(p, {}, {}) for p in found]
    if manifest is not None:
        videos += _manifest_rows(manifest)
    if not videos:
        raise LumbopelvicError("no input videos: give folders, files, globs or --manifest")
    jobs = []
    for path, metadata, overrides in videos:
        settings = {**defaults, **overrides}
        AnalysisSettings.from_options(**settings)  # an unknown task stops the batch up front
        jobs.append(Job(str(path), _slug(path), metadata, settings))
    return jobs


def _manifest_rows(manifest: Path) -> list[tuple[Path, dict[str, str], dict[str, Any]]]:
    if not manifest.is_file():
        raise LumbopelvicError(f"manifest not found: {manifest}")
    with manifest.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if not rows or "video" not in rows[0]:
        raise LumbopelvicError(f"{manifest.name} needs a 'video' column")
    out = []
    for row in rows:
        video = Path(row.pop("video"))
        video = video if video.is_absolute() else manifest.parent / video
        overrides: dict[str, Any] = {}
        for key in OVERRIDABLE:
            value = (row.pop(key, "") or "").strip()
            if value:
                overrides[key] = _manifest_value(manifest, key, value)
        out.append((video, {k: v for k, v in row.items() if k}, overrides))
    return out


def _manifest_value(manifest: Path, key: str, value: str) -> Any:
    if key != "subject_height_m":
        return value
    try:
        return float(value)
    except ValueError:
        raise LumbopelvicError(
            f"{manifest.name}: subject_height_m must be a number of metres, got {value!r}"
        ) from None


def settings_key(video_sha: str, settings: dict[str, Any]) -> str:
    text = json.dumps({"video": video_sha, "settings": settings, "v": __version__}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def is_done(job: Job, out_dir: Path) -> bool:
    """Whether the video was already analysed with the same content and settings."""
    marker = out_dir / BATCH_VIDEOS_DIR / job.name / BATCH_DONE_MARKER
    if not marker.is_file():
        return False
    try:
        done = json.loads(marker.read_text(encoding="utf-8"))
        return done.get("key") == settings_key(sha256_file(job.video), job.settings)
    except (OSError, ValueError):
        return False


def run_job(job: Job, out_dir: str) -> dict[str, Any]:
    """Analyse one video (in a worker process or on a Dask worker); never raises.

    Returns
    -------
    dict
        ``{"name", "video", "ok", "reason", "frames"}``.
    """
    from lumbopelvic.workflows.analyze import analyze

    target = Path(out_dir) / BATCH_VIDEOS_DIR / job.name
    try:
        settings = job.settings
        result = analyze(job.video, target, AnalysisSettings.from_options(**settings))
        video_sha = table_metadata(result.angles)["source"]["video"]["sha256"]
        done = {
            # The pose step already hashed the video (it is in the provenance): no second read.
            "key": settings_key(video_sha, settings),
            "video": job.video,
            "metadata": job.metadata,
            "settings": settings,
        }
        write_text_atomic(target / BATCH_DONE_MARKER, json.dumps(done, indent=2))
        return {"name": job.name, "video": job.video, "ok": True, "reason": "",
                "frames": len(result.angles)}  # fmt: skip
    except LumbopelvicError as error:
        return {
            "name": job.name,
            "video": job.video,
            "ok": False,
            "reason": str(error),
            "frames": 0,
        }
    except Exception as error:  # one bad video must not stop the batch
        reason = f"internal error: {type(error).__name__}: {error}"
        return {"name": job.name, "video": job.video, "ok": False, "reason": reason, "frames": 0}


def _pin_to_one_core(cores: Any) -> None:
    """Worker initialiser: one CPU and one thread per worker, so workers don't fight."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    try:
        core = cores.get_nowait()
        os.sched_setaffinity(0, {core})
    except Exception:  # no affinity control on this platform, or more workers than cores
        return


def run_local(jobs: list[Job], out_dir: Path, workers: int) -> Iterator[dict[str, Any]]:
    """Run jobs in ``workers`` local processes, yielding results as they finish."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield run_job(job, str(out_dir))
        return
    context = mp.get_context("spawn")
    cores = context.Manager().Queue()
    available = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    for i in range(workers):
        if available:
            cores.put(available[i % len(available)])
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_pin_to_one_core,
                             initargs=(cores,)) as pool:  # fmt: skip
        futures = [pool.submit(run_job, job, str(out_dir)) for job in jobs]
        for future in as_completed(futures):
            yield future.result()


def run_dask(jobs: list[Job], out_dir: Path, address: str) -> Iterator[dict[str, Any]]:
    """Run jobs on an existing Dask distributed scheduler, yielding results as they finish."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise LumbopelvicError(
            "--dask needs the cluster extra: pip install 'lumbopelvic[cluster]'"
        ) from None
    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError) as error:
        raise LumbopelvicError(f"cannot reach the Dask scheduler at {address}: {error}") from None
    try:
        futures = [client.submit(run_job, job, str(out_dir), pure=False) for job in jobs]
        for future in as_completed(futures):
            yield future.result()
    finally:
        client.close()


def build_tables(out_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Dataset tables rebuilt from every finished video folder (atomic writes)."""
    trials, reps = [], []
    for marker in sorted((out_dir / BATCH_VIDEOS_DIR).glob(f"*/{BATCH_DONE_MARKER}")):
        done = json.loads(marker.read_text(encoding="utf-8"))
        folder = marker.parent
        summary = load_summary(folder)
        base = {"video": done["video"], "folder": folder.name, **done.get("metadata", {})}
        row = {**base, "task": summary["task"], "repetitions": summary["repetitions"]["found"],
               "complete_repetitions": summary["repetitions"]["complete"]}  # fmt: skip
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
    out_dir.mkdir(parents=True, exist_ok=True)
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
    defaults = AnalysisSettings.from_options(settings, **options).as_options()
    jobs = collect_jobs(inputs, Path(manifest) if manifest else None, defaults)
    if on_start is not None:
        on_start(len(jobs))
    return run_batch(jobs, Path(output), workers or default_workers(), dask_address, on_result)
