"""A stop asked for by the user (Ctrl-C, SIGTERM), remembered until the run has obeyed it.

Python runs a signal handler in the main thread between two bytecodes. An exception raised
there is lost when the main thread is inside a finaliser at that moment ("Exception ignored
in ..."): the run would go on and replace the earlier results as if nothing had been asked.
So the handler also records the stop, and the one step that makes a result visible (swapping
a folder in, :func:`lumbopelvic.io.staging.swap_in`) checks it first: a stop is obeyed even
when its exception was swallowed. A second signal while the run unwinds only records itself,
so cleanup is never cut short.
"""

from __future__ import annotations

import signal
from types import FrameType


class Interrupted(BaseException):
    """Raised in the main thread by SIGINT or SIGTERM.

    A ``BaseException`` of its own, so neither ``except Exception`` (which keeps a batch
    going past one bad video) nor the command-line framework's Ctrl-C handling catches it:
    cleanup in ``finally`` blocks runs, then the command line reports it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_requested: list[int] = []


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    first = not _requested
    _requested.append(signum)
    if first:
        raise Interrupted(signum)


def obey_stops() -> None:
    """Turn SIGINT and SIGTERM into :class:`Interrupted` (once) in this process."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _on_signal)


def stop_requested() -> int | None:
    """The signal number of the first stop asked for, or None."""
    return _requested[0] if _requested else None


def raise_if_stopped() -> None:
    """Raise :class:`Interrupted` when a stop was asked for (even one whose exception was
    swallowed); call it before anything that makes a result visible."""
    signum = stop_requested()
    if signum is not None:
        raise Interrupted(signum)
