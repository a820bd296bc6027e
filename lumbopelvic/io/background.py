"""Overlap I/O with computation: produce or consume items in a background thread.

Decoding, encoding and MediaPipe release the GIL, so a decoder or an encoder in its own thread
runs on the second core while the main thread infers or draws. Both helpers hand an error
raised in the background thread to the main thread, and never let a queue grow without bound
(frames are large: a few buffered frames, never the video).
"""

from __future__ import annotations

import contextlib
import importlib
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")
_DONE = object()


def prefetched(items: Iterator[T], depth: int = 4) -> Iterator[T]:
    """``items``, produced in a background thread up to ``depth`` ahead of the consumer."""
    buffer: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                buffer.put(item)
        except BaseException as exc:  # handed to the consumer, re-raised there
            buffer.put(exc)
            return
        buffer.put(_DONE)

    worker = threading.Thread(target=produce, daemon=True)
    worker.start()
    try:
        while (item := buffer.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        with contextlib.suppress(queue.Empty):
            while True:
                buffer.get_nowait()


class BackgroundConsumer(Generic[T]):
    """Call ``consume(item)`` for each submitted item in a background thread, in order.

    Use as a context manager: leaving it waits for every item to be consumed and re-raises
    the first error of the background thread (after which later items are dropped).

    Parameters
    ----------
    consume
        Called in the background thread.
    depth
        Items waiting at most; :meth:`submit` blocks beyond that.
    """

    def __init__(self, consume: Callable[[T], None], depth: int = 4) -> None:
        self._consume = consume
        self._queue: queue.Queue[object] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (item := self._queue.get()) is not _DONE:
            if self._error is None:
                try:
                    self._consume(item)  # type: ignore[arg-type]
                except BaseException as exc:  # re-raised in the submitting thread
                    self._error = exc

    def submit(self, item: T) -> None:
        """Queue one item; raises at once if the background thread has failed."""
        if self._error is not None:
            raise self._error
        self._queue.put(item)

    def close(self) -> None:
        """Wait for every item, then re-raise a background error."""
        if self._thread.is_alive():
            self._queue.put(_DONE)
            self._thread.join()
        if self._error is not None:
            raise self._error

    def __enter__(self) -> BackgroundConsumer[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def import_in_background(*modules: str) -> threading.Thread:
    """Start importing ``modules`` in a background thread and return it.

    Loading SciPy, matplotlib and the like takes a second or more of pure start-up; imported
    while pose inference runs (which releases the GIL), it costs no wall time. A later
    ``import`` of the same module in another thread waits for this one to finish (Python's
    per-module import lock), so it is always safe; an import error is left for that later
    import to raise.
    """

    def load() -> None:
        for name in modules:
            with contextlib.suppress(Exception):
                importlib.import_module(name)

    worker = threading.Thread(target=load, name="lumbopelvic-imports", daemon=True)
    worker.start()
    return worker
