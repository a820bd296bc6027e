"""An exclusive lock on a file, so two runs never write the same output folder at once."""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator
from pathlib import Path

from lumbopelvic.core.errors import LumbopelvicError


@contextlib.contextmanager
def exclusive_lock(path: Path, busy_message: str) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if needed) for the duration of the block.

    The lock belongs to the open file, so the operating system releases it when the process
    ends, however it ends: a killed run never leaves a stale lock. Where the platform has no
    ``fcntl`` (Windows) the block runs unlocked.

    Raises
    ------
    LumbopelvicError
        ``busy_message`` and who holds the lock, when another process does.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "unknown"
            raise LumbopelvicError(
                f"{busy_message} (process {holder}); wait for it to finish or choose another folder"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} on {socket.gethostname()}".encode(), 0)
        yield
    finally:
        os.close(fd)
