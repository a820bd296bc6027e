"""Content hashes of files: the identity of a video or a model in caches and provenance."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from lumbopelvic.io.atomic import write_text_atomic

MEMO_FORMAT = "lumbopelvic.sha256-memo"
_HEX64 = re.compile(r"[0-9a-f]{64}")


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


def _file_identity(path: str | os.PathLike[str]) -> dict[str, object]:
    """What changes when a file is replaced or written: its real path (as bytes, so any name
    the file system holds will do), size, modification and status-change times (ns), inode
    and device."""
    stat = os.stat(path)
    return {
        "path": sha256_bytes(os.fsencode(os.path.realpath(path))),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "ctime_ns": stat.st_ctime_ns,
        "inode": stat.st_ino,
        "device": stat.st_dev,
    }


def sha256_file_remembered(
    path: str | os.PathLike[str], memo_dir: Path | None, refresh: bool = False
) -> str:
    """:func:`sha256_file`, remembered in ``memo_dir`` for the file as it is now.

    A phone video of a minute is 100 MB or more: hashing it on every re-analysis costs more
    than the re-analysis. The memo is named after the file's identity (its real path, size,
    modification and status-change times in nanoseconds, inode and device) and records that
    identity beside the digest; any write to the file changes its status-change time, so a
    changed file is hashed again.

    The digest names the video in the pose cache and in the provenance, so a memo is trusted
    only when it is well formed and the identity it records is the file's now: a memo of
    another file (copied over this one's, or restored from elsewhere), one from an older
    format holding a bare digest, or a damaged one is ignored, the file is hashed from its
    content and the memo rewritten.

    Parameters
    ----------
    path
        The file.
    memo_dir
        Folder of the memos; None (no usable cache) hashes every time.
    refresh
        Hash the content whatever the memo says, and rewrite the memo (when something that
        relied on it turned out to belong to another file).
    """
    if memo_dir is None:
        return sha256_file(path)
    identity = _file_identity(path)
    key = sha256_bytes(json.dumps(identity, sort_keys=True).encode())
    memo = memo_dir / key[:32]
    remembered = None if refresh else _read_memo(memo, identity)
    if remembered is not None:
        return remembered
    digest = sha256_file(path)
    if _file_identity(path) != identity:  # written while being read: remember nothing
        return digest
    record = {"format": MEMO_FORMAT, "identity": identity, "sha256": digest}
    try:
        memo_dir.mkdir(parents=True, exist_ok=True)
        write_text_atomic(memo, json.dumps(record, sort_keys=True))
    except OSError:  # a read-only cache only costs the next run the hashing
        pass
    return digest


def _read_memo(memo: Path, identity: dict[str, object]) -> str | None:
    """The digest a memo holds for a file of this identity, or None when it holds none that
    can be trusted (missing, unreadable, another format, another file's)."""
    try:
        record = json.loads(memo.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("format") != MEMO_FORMAT:
        return None
    digest = record.get("sha256")
    if record.get("identity") != identity or not isinstance(digest, str):
        return None
    return digest if _HEX64.fullmatch(digest) else None
