"""Replace a whole output folder or nothing, and clean up after runs that were killed.

An analysis is written into a hidden staging folder beside its target. When every file is
there, the target is swapped: the old folder is renamed aside, the staging folder renamed in,
then the old one deleted, so a reader sees the old results or the new ones, never a mix.

Hidden folders carry the host name and process id of the run that made them
(``.<name>.staging-<host>-<pid>-<random>``, ``.<name>.previous-...``, and
``.<name>.scratch-...`` for a run's temporary files). A run that was killed
(SIGKILL, power loss) leaves them behind; the next run on the same target removes those
whose process is gone, and puts back an old folder that was renamed aside but not replaced.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

from lumbopelvic.core.errors import LumbopelvicError, describe_os_error
from lumbopelvic.core.stopping import raise_if_stopped
from lumbopelvic.io.lock import exclusive_lock
from lumbopelvic.io.ownership import check_owned, mark_owned

STAGING = "staging"
PREVIOUS = "previous"
SCRATCH = "scratch"


def _owner() -> str:
    host = socket.gethostname().replace("-", "_").replace(".", "_") or "host"
    return f"{host}-{os.getpid()}"


def _parse_owner(name: str) -> tuple[str, str, int] | None:
    """``(kind, host, pid)`` of a hidden folder name made here, or None."""
    tail = name.rsplit(".", 1)[-1]
    parts = tail.split("-")
    if len(parts) != 4 or parts[0] not in (STAGING, PREVIOUS, SCRATCH) or not parts[2].isdigit():
        return None
    return parts[0], parts[1], int(parts[2])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def clean_stale(out_dir: Path) -> list[Path]:
    """Remove hidden staging folders of dead runs on this host beside ``out_dir``.

    An old folder renamed aside by a run that died before swapping the new one in is put
    back when ``out_dir`` is missing. Returns the folders removed or restored.
    """
    if not out_dir.parent.is_dir():
        return []
    this_host = _owner().split("-")[0]
    handled = []
    for hidden in sorted(out_dir.parent.glob(f".{out_dir.name}.*")):
        owner = _parse_owner(hidden.name)
        if owner is None or not hidden.is_dir():
            continue
        kind, host, pid = owner
        if host != this_host or _alive(pid):
            continue
        if kind == PREVIOUS and not out_dir.exists():
            hidden.rename(out_dir)
        else:
            shutil.rmtree(hidden, ignore_errors=True)
        handled.append(hidden)
    return handled


def _prefix(out_dir: Path, kind: str) -> str:
    """The name start of this run's hidden folders of ``kind`` beside ``out_dir``."""
    return f".{out_dir.name}.{kind}-{_owner()}-"


def _hidden(out_dir: Path, kind: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=_prefix(out_dir, kind), dir=out_dir.parent))


# This process's hidden folders in use, as (folder beside, name start): removed by name, so a
# stop that lands before a folder's name is known (inside ``mkdtemp``) still removes it, and
# removed at exit, which a stopped run reaches even when the stop lands inside
# ``with staging_folder(...)``'s own entry (the folder's generator then never resumes). The
# process id is in the name: no other run's folders go.
_LIVE: set[tuple[Path, str]] = set()


def _remove_own(place: tuple[Path, str]) -> None:
    parent, prefix = place
    for folder in parent.glob(f"{glob.escape(prefix)}*"):
        shutil.rmtree(folder, ignore_errors=True)
    _LIVE.discard(place)


@atexit.register
def _remove_live_folders() -> None:
    for place in list(_LIVE):
        _remove_own(place)


@contextlib.contextmanager
def _hidden_folder(out_dir: Path, kind: str) -> Iterator[Path]:
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(out_dir)
    place = (out_dir.parent, _prefix(out_dir, kind))
    _LIVE.add(place)
    try:
        yield _hidden(out_dir, kind)
    finally:
        _remove_own(place)


def staging_folder(out_dir: Path) -> contextlib.AbstractContextManager[Path]:
    """A hidden staging folder beside ``out_dir``, removed afterwards if not swapped in.

    Write every output into it, then :func:`swap_in`. Stale folders of killed runs on this
    target are cleaned first.
    """
    return _hidden_folder(out_dir, STAGING)


def scratch_folder(out_dir: Path) -> contextlib.AbstractContextManager[Path]:
    """A hidden folder beside ``out_dir`` for a run's temporary files (the frames kept while
    pose runs), removed afterwards; a killed run's is removed by the next run."""
    return _hidden_folder(out_dir, SCRATCH)


def swap_in(staging: Path, out_dir: Path, paths: dict[str, Path]) -> dict[str, Path]:
    """Replace ``out_dir`` by ``staging`` as a whole; return ``paths`` as they are now.

    Nothing is swapped once a stop was asked for (:mod:`lumbopelvic.core.stopping`), even
    one whose exception was swallowed: the earlier result stays.

    Raises
    ------
    LumbopelvicError
        If ``out_dir`` exists and is not a folder.
    Interrupted
        When a stop was asked for.
    """
    raise_if_stopped()
    aside = None
    if out_dir.exists():
        if not out_dir.is_dir():
            raise LumbopelvicError(f"the output {out_dir} is a file, not a folder")
        aside = _hidden(out_dir, PREVIOUS)
        aside.rmdir()
        out_dir.rename(aside)
    try:
        staging.rename(out_dir)
    except BaseException:
        if aside is not None and not out_dir.exists():
            aside.rename(out_dir)
        raise
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)
    return {kind: out_dir / path.relative_to(staging) for kind, path in paths.items()}


def publish(staging: Path, out_dir: Path, command: str, paths: dict[str, Path]) -> dict[str, Path]:
    """Mark ``staging`` as ``command``'s result (:func:`lumbopelvic.io.ownership.mark_owned`)
    and swap it in (:func:`swap_in`); return ``paths`` as they are now."""
    mark_owned(staging, command)
    return swap_in(staging, out_dir, paths)


def resolve_target(out_dir: Path) -> Path:
    """``out_dir`` with a symbolic link followed: a link to a folder is written through (the
    folder it points to holds the result; the link stays)."""
    return out_dir.resolve() if out_dir.is_symlink() else out_dir


def prepare_target(out_dir: Path, command: str) -> Path:
    """Check an output folder before any work, so bad locations fail in a second, not after
    the whole analysis; create its parent folders.

    Parameters
    ----------
    out_dir
        Where the outputs go (a link is followed: see :func:`resolve_target`).
    command
        The command writing it: an existing folder must hold exactly an earlier result of
        the same command (:func:`lumbopelvic.io.ownership.check_owned`).

    Returns
    -------
    Path
        The folder to write (the link's target where ``out_dir`` is a link).

    Raises
    ------
    LumbopelvicError
        If ``out_dir`` is a file, holds anything but an earlier result of ``command``, or
        cannot be written (permissions, read-only disk, a name too long, a file in the way).
    """
    out_dir = resolve_target(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise LumbopelvicError(f"the output {out_dir} is a file, not a folder")
    try:
        check_owned(out_dir, command)
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        probe = _hidden(out_dir, STAGING)
        probe.rmdir()
    except OSError as error:
        reason = describe_os_error(error)
        raise LumbopelvicError(f"cannot write the output {out_dir}: {reason}") from None
    return out_dir


@contextlib.contextmanager
def target_lock(out_dir: Path) -> Iterator[None]:
    """Hold the output folder for this run: a second run into the same folder is refused in
    one line while this one writes (the lock is a hidden file beside the folder, since the
    folder itself is swapped; the operating system releases it however the run ends)."""
    lock = out_dir.parent / f".{out_dir.name}.lock"
    with exclusive_lock(lock, f"another run is writing to {out_dir}", remove=True):
        yield
