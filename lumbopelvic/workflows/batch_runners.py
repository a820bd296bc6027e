"""Where a batch's videos run: worker processes on this machine, or a Dask cluster."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.stopping import Interrupted
from lumbopelvic.workflows.batch_jobs import Job, run_job


class _WorkerState:
    """What a worker process is doing when a stop arrives."""

    in_job = False
    stopping = False


def _on_stop_in_worker(signum: int, _frame: FrameType | None) -> None:
    """A worker stopped (the pool's SIGTERM, a Ctrl-C on the terminal): mid-analysis, unwind
    it (Chromium killed, its hidden folders removed) and exit; idle, exit at once. A second
    signal never cuts that cleanup short."""
    if _WorkerState.stopping:
        return
    _WorkerState.stopping = True
    if _WorkerState.in_job:
        raise Interrupted(signum)
    os._exit(128 + signum)


def _pin_to_one_core(cores: Any) -> None:
    """Worker initialiser: one CPU and one thread per worker, so workers don't fight; a stop
    unwinds the analysis running in it (:func:`_on_stop_in_worker`)."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _on_stop_in_worker)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    try:
        core = cores.get_nowait()
        os.sched_setaffinity(0, {core})
    except Exception:  # no affinity control on this platform, or more workers than cores
        return


def run_local(jobs: list[Job], out_dir: Path, workers: int) -> Iterator[dict[str, Any]]:
    """Run jobs in ``workers`` local processes, yielding results as they finish.

    When the run is stopped (Ctrl-C, SIGTERM, an error), the worker processes are terminated
    at once; their half-written analyses are cleaned up by the next run.
    """
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield run_job(job, str(out_dir))
        return
    context = mp.get_context("spawn")
    cores = context.Queue()
    available = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    for i in range(workers):
        if available:
            cores.put(available[i % len(available)])
    with context.Pool(workers, initializer=_pin_to_one_core, initargs=(cores,)) as pool:
        # Leaving the block (normally or not) terminates the workers.
        yield from pool.imap_unordered(_run_job_in_worker, [(job, str(out_dir)) for job in jobs])


def _run_job_in_worker(packed: tuple[Job, str]) -> dict[str, Any]:
    _WorkerState.in_job = True
    try:
        return run_job(*packed)
    except Interrupted as stop:  # cleaned up on the way here: leave without a traceback
        os._exit(128 + stop.signum)
    finally:
        _WorkerState.in_job = False


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
