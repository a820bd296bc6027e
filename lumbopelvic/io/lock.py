"""An exclusive lock on a file, so two runs never write the same output folder at once."""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator
from pathlib import Path

from lumbopelvic.core.errors import LumbopelvicError


@contextlib.contextmanager
def exclusive_lock(path: Path, busy_message: str, remove: bool = False) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if needed) for the duration of the block.

    The lock belongs to the open file, so the operating system releases it when the process
    ends, however it ends: a killed run never leaves a stale lock. Where the platform has no
    ``fcntl`` (Windows) the block runs unlocked.

    Parameters
    ----------
    path
        The lock file.
    busy_message
        What the error says when another process holds the lock.
    remove
        Remove the lock file when the block ends (it is hidden clutter beside a user's
        folder). Safe: a process that locked a file already removed sees it and locks the new
        one instead.

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
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise LumbopelvicError(
                f"{busy_message} (process {holder}); wait for it to finish or choose another folder"
            ) from None
        if _same_file(path, fd):
            break
        os.close(fd)  # the previous holder removed it between our open and our lock
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} on {socket.gethostname()}".encode(), 0)
        yield
    finally:
        if remove:
            with contextlib.suppress(OSError):
                os.unlink(path)
        os.close(fd)


def _same_file(path: Path, fd: int) -> bool:
    try:
        on_disk = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (on_disk.st_dev, on_disk.st_ino) == (held.st_dev, held.st_ino)
