"""Which folders a command may write: a new one, or one holding exactly its own earlier result.

Every output folder a command writes carries a marker, ``.lumbopelvic-output.json``: the
command that wrote it and every file it put there (path, size, modification time and
SHA-256). Before writing into an existing folder, a command checks it recursively against the
marker: a file the marker does not list (a user's own ``report.pdf``, a picture added to
``key_frames/``), a listed file changed since (same name, other content), another command's
result, or no marker at all, and the folder is refused in one line. A subfolder with a marker
of its own (each video's analysis inside a batch) is checked against its own marker. Files a
command is still writing in place (a batch's tables, rebuilt as trials finish) are listed as
pending: any content is theirs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.io.atomic import write_text_atomic
from lumbopelvic.io.hashing import sha256_file

OWNER_MARKER = ".lumbopelvic-output.json"
# The package's own hidden work beside a result (the marker, a run's lock, staging, scratch
# and set-aside folders, see :mod:`lumbopelvic.io.staging`): never listed, never foreign.
OWN_HIDDEN = re.compile(r"^\.(lumbopelvic-.*|.+\.(staging|previous|scratch)-.+|.+\.lock)$")
PENDING = "pending"


def _files(folder: Path) -> Iterator[Path]:
    """Files under ``folder``, recursively, skipping subfolders that carry their own marker
    and the package's own hidden files."""
    for entry in sorted(folder.iterdir()):
        if OWN_HIDDEN.match(entry.name):
            continue
        if entry.is_dir() and not entry.is_symlink():
            if not (entry / OWNER_MARKER).is_file():
                yield from _files(entry)
        else:
            yield entry


def _owned_subfolders(folder: Path) -> Iterator[Path]:
    for entry in sorted(folder.iterdir()):
        if entry.is_dir() and not entry.is_symlink():
            if (entry / OWNER_MARKER).is_file():
                yield entry
            else:
                yield from _owned_subfolders(entry)


def _stamp(path: Path) -> dict[str, Any]:
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": sha256_file(path)}


def mark_owned(folder: Path, command: str, pending: Iterable[str] = ()) -> None:
    """Record that ``command`` wrote ``folder`` and every file in it now.

    Parameters
    ----------
    folder
        The output folder (a staging folder about to be swapped in, or one written in place).
    command
        The command's name (``analyze``, ``batch``...).
    pending
        Relative paths the command goes on writing in place: any content at them is its own
        (a path ending in ``/``: everything under that folder).
    """
    files = {path.relative_to(folder).as_posix(): _stamp(path) for path in _files(folder)}
    for name in pending:
        files[name] = PENDING
    record = {"command": command, "files": files}
    write_text_atomic(folder / OWNER_MARKER, json.dumps(record, indent=1, sort_keys=True))


def _read_marker(folder: Path) -> dict[str, Any] | None:
    try:
        record = json.loads((folder / OWNER_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("files"), dict):
        return None
    return record


def _changed(path: Path, stamp: Any) -> bool:
    if stamp == PENDING:
        return False
    if not isinstance(stamp, dict):
        return True
    stat = path.stat()
    if stat.st_size != stamp.get("size"):
        return True
    if stat.st_mtime_ns == stamp.get("mtime_ns"):
        return False
    return sha256_file(path) != stamp.get("sha256")  # copied or touched: judge the content


def _listing(names: list[str]) -> str:
    return ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")


def foreign_files(folder: Path, command: str | None) -> tuple[str, list[str]]:
    """Why ``folder`` is not an earlier result of ``command`` (None: of whichever command its
    marker names) and the files concerned; ``("", [])`` when it is one (or is empty)."""
    record = _read_marker(folder)
    if record is None:
        names = [path.relative_to(folder).as_posix() for path in _files(folder)]
        subfolders = [path.relative_to(folder).as_posix() for path in _owned_subfolders(folder)]
        if not names + subfolders:  # only the package's own work (a lock of a run stopped early)
            return "", []
        return "holds files lumbopelvic did not write there", names + subfolders
    if command is not None and record.get("command") != command:
        return f"holds a '{record.get('command')}' result, not an '{command}' one", []
    listed = record["files"]
    pending = tuple(name for name, stamp in listed.items() if stamp == PENDING and name[-1:] == "/")
    unknown, changed = [], []
    for path in _files(folder):
        name = path.relative_to(folder).as_posix()
        if name.startswith(pending):
            continue
        if name not in listed:
            unknown.append(name)
        elif _changed(path, listed[name]):
            changed.append(name)
    if unknown:
        return "holds files lumbopelvic did not write there", unknown
    if changed:
        return "holds files changed since lumbopelvic wrote them", changed
    for sub in _owned_subfolders(folder):
        why, names = foreign_files(sub, None)
        if why:
            inner = sub.relative_to(folder).as_posix()
            return why, [f"{inner}/{name}" for name in names] or [inner]
    return "", []


def check_owned(folder: Path, command: str) -> None:
    """Refuse ``folder`` unless it is missing, empty, or holds exactly an earlier result of
    ``command`` (checked recursively against the markers).

    Raises
    ------
    LumbopelvicError
        Naming what is in the way, and what to do.
    """
    if not folder.is_dir():
        return
    why, names = foreign_files(folder, command)
    if why:
        files = f" ({_listing(names)})" if names else ""
        raise LumbopelvicError(
            f"the output folder {folder} {why}{files}; lumbopelvic never removes them: give a "
            f"new folder or an earlier '{command}' folder to replace"
        )
