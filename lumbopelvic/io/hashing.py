"""Content hashes of files: the identity of a video or a model in caches and provenance."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from lumbopelvic.io.atomic import write_text_atomic


def sha256_bytes(data: bytes) -> str:
    """SHA-256 hex digest of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | os.PathLike[str], chunk_size: int = 1 << 20) -> str:
    """SHA-256 hex digest of a file's content, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_file_remembered(path: str | os.PathLike[str], memo_dir: Path) -> str:
    """:func:`sha256_file`, remembered in ``memo_dir`` for the file as it is now.

    A phone video of a minute is 100 MB or more: hashing it on every re-analysis costs more
    than the re-analysis. The digest is kept under a name made of the file's path, size,
    modification and status-change times (nanoseconds) and inode; any write to the file
    changes its status-change time, so a changed file is hashed again.
    """
    stat = os.stat(path)
    identity = f"{os.path.realpath(path)}|{stat.st_size}|{stat.st_mtime_ns}|{stat.st_ctime_ns}|"
    memo = memo_dir / sha256_bytes(f"{identity}{stat.st_ino}".encode())[:32]
    try:
        remembered = memo.read_text(encoding="ascii").strip()
        if len(remembered) == 64:
            return remembered
    except (OSError, UnicodeDecodeError):
        pass
    digest = sha256_file(path)
    try:
        memo_dir.mkdir(parents=True, exist_ok=True)
        write_text_atomic(memo, digest)
    except OSError:  # a read-only cache only costs the next run the hashing
        pass
    return digest
