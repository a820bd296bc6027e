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

import contextlib
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.io.layout import ANALYSIS_FILES

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


def _hidden(out_dir: Path, kind: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.{kind}-{_owner()}-", dir=out_dir.parent))


@contextlib.contextmanager
def _hidden_folder(out_dir: Path, kind: str) -> Iterator[Path]:
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(out_dir)
    folder = _hidden(out_dir, kind)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


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

    Raises
    ------
    LumbopelvicError
        If ``out_dir`` exists and is not a folder.
    """
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


def prepare_target(out_dir: Path, replace: bool = True) -> Path:
    """Check an output folder before any work, so bad locations fail in a second, not after
    the whole analysis; create its parent folders.

    Parameters
    ----------
    out_dir
        Where the outputs go.
    replace
        The folder will be replaced as a whole (:func:`swap_in`): it must then hold nothing
        but outputs of this package.

    Raises
    ------
    LumbopelvicError
        If ``out_dir`` is a file, holds other files (with ``replace``), or cannot be
        written (permissions, read-only disk, a name too long, a file in the way).
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise LumbopelvicError(f"the output {out_dir} is a file, not a folder")
    if replace and out_dir.is_dir():
        foreign = sorted(p.name for p in out_dir.iterdir() if p.name not in ANALYSIS_FILES)
        if foreign:
            raise LumbopelvicError(
                f"the output folder {out_dir} holds other files ({', '.join(foreign[:3])}"
                f"{', ...' if len(foreign) > 3 else ''}); give a new folder or an earlier "
                "analysis folder to replace"
            )
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        probe = _hidden(out_dir, STAGING)
        probe.rmdir()
    except OSError as error:
        reason = describe_os_error(error)
        raise LumbopelvicError(f"cannot write the output {out_dir}: {reason}") from None
    return out_dir


def describe_os_error(error: OSError) -> str:
    """The reason of a file-system error in a few words (no errno number, no traceback)."""
    return (error.strerror or str(error)).strip().rstrip(".") or type(error).__name__
