"""Where a batch's videos run: worker processes on this machine, or a Dask cluster."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import FrameType
from typing import Any

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.stopping import Interrupted
from lumbopelvic.workflows.batch_jobs import Job, failed_job, run_job


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

    A worker that dies (a crash in a native library, the system killing it for memory)
    never hangs the batch: the jobs it took down run again in fresh workers, and a job that
    kills a worker of its own, alone, is recorded as failed. When the run is stopped
    (Ctrl-C, SIGTERM, an error), the workers are stopped at once and unwind their analyses.
    """
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield run_job(job, str(out_dir))
        return
    # A dead worker breaks the whole pool: every unfinished job comes back, not only the one
    # that killed it. They run again in a fresh pool; what comes back twice runs alone, where
    # a crash names its job exactly.
    taken_down = list(jobs)
    for _ in range(POOL_ROUNDS):
        if not taken_down:
            return
        round_jobs, taken_down = taken_down, []
        for job, result in _run_in_pool(round_jobs, out_dir, workers):
            if result is None:
                taken_down.append(job)
            else:
                yield result
    for job in taken_down:
        ((_, result),) = _run_in_pool([job], out_dir, 1)
        yield result or failed_job(job, "the process analysing it stopped unexpectedly")


# Pools a batch's jobs get before the ones a dead worker keeps taking down run alone.
POOL_ROUNDS = 2


def _run_in_pool(
    jobs: list[Job], out_dir: Path, workers: int
) -> Iterator[tuple[Job, dict[str, Any] | None]]:
    """``(job, result)`` as jobs finish in a pool of ``workers`` processes; ``result`` is None
    for a job whose worker died (the pool is then broken: every unfinished job gets None)."""
    context = mp.get_context("spawn")
    cores = context.Queue()
    available = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    for i in range(workers):
        if available:
            cores.put(available[i % len(available)])
    pool = ProcessPoolExecutor(
        min(workers, len(jobs)), context, initializer=_pin_to_one_core, initargs=(cores,)
    )
    finished = False
    try:
        futures = {pool.submit(_run_job_in_worker, (job, str(out_dir))): job for job in jobs}
        for future in as_completed(futures):
            try:
                yield futures[future], future.result()
            except BrokenProcessPool:
                yield futures[future], None
        finished = True
    finally:
        if not finished:  # stopped or failed: the workers unwind their analyses and exit
            for process in list(getattr(pool, "_processes", {}).values()):
                process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)


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
