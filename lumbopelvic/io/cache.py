"""A local cache of pose results keyed by (video content, model, settings).

Pose extraction is the slow step; a second run on the same video with the same model and
settings reads the table from here instead. The cache holds landmark data derived from
client videos, so it stays on this machine (``$LUMBOPELVIC_CACHE_DIR``, else
``$XDG_CACHE_HOME/lumbopelvic``, else ``~/.cache/lumbopelvic``) and ``--no-cache`` bypasses it.

The cache is optional: where it cannot be kept (a read-only home, a home folder that does not
exist, a full disk) :func:`usable_cache_dir` says so before any work and the run goes on
without it. No folder is ever made above the folder the cache belongs in (the home folder, or
the parent of the folder the environment names): a missing home is no reason to make folders
at the root of the file system.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lumbopelvic.core.errors import describe_os_error


def cache_dir() -> Path:
    """Root directory of lumbopelvic's local cache (see :func:`usable_cache_dir` before
    writing there)."""
    return _locate()[0]


def _locate() -> tuple[Path, Path]:
    """The cache's root and the existing folder it belongs in (made by nobody here)."""
    env = os.environ.get("LUMBOPELVIC_CACHE_DIR")
    if env:
        root = Path(env).expanduser()
        return root, root.parent
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and Path(xdg).is_absolute():  # a relative value is to be ignored (XDG spec)
        return Path(xdg) / "lumbopelvic", Path(xdg).parent
    home = Path.home()
    return home / ".cache" / "lumbopelvic", home


@dataclass(frozen=True)
class CacheCheck:
    """Whether the local cache can be used now.

    Attributes
    ----------
    path
        The cache's root, existing and writable; None when there is no usable cache.
    problem
        Why not (one line, naming the folder); None when ``path`` is set.
    """

    path: Path | None
    problem: str | None = None


def usable_cache_dir() -> CacheCheck:
    """The cache's root, made (0700: it holds data derived from client videos) and checked
    writable now; or why the cache cannot be used.

    The folder the cache belongs in (the home folder, ``$XDG_CACHE_HOME``'s parent or
    ``$LUMBOPELVIC_CACHE_DIR``'s parent) must already exist; only folders below it are made.
    """
    try:
        root, base = _locate()
    except RuntimeError as error:  # Path.home() without HOME or a passwd entry
        return CacheCheck(None, f"no home folder to keep it in ({error})")
    if not base.is_dir():
        return CacheCheck(None, f"{base} does not exist")
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        _probe_write(root)
    except OSError as error:
        where = error.filename or root
        return CacheCheck(None, f"cannot write {where} ({describe_os_error(error)})")
    return CacheCheck(root)


def _probe_write(folder: Path) -> None:
    """Create and remove a file in ``folder``; raises the OSError of a folder that cannot be
    written."""
    fd, probe = tempfile.mkstemp(prefix=".lumbopelvic-write-test-", dir=folder)
    os.close(fd)
    os.unlink(probe)


def private_matplotlib_folder() -> Path | None:
    """Point matplotlib at a temporary folder of this process when the home folder it would
    use does not exist or cannot be written; call before matplotlib is imported (MediaPipe
    imports it).

    Matplotlib keeps its settings and font list under the home folder and makes that folder,
    parents and all, when it is missing (``HOME=/nonexistent/x`` would get folders at the
    root of the file system); where it cannot write it falls back to a temporary folder but
    says so in two lines on stderr. This does the fallback quietly instead; the folder is
    removed at exit. Nothing changes when ``$MPLCONFIGDIR`` is set or matplotlib is loaded.

    Returns
    -------
    Path or None
        The temporary folder, or None when matplotlib keeps its own.
    """
    if os.environ.get("MPLCONFIGDIR") or "matplotlib" in sys.modules:
        return None
    try:
        home = Path.home()
    except RuntimeError:
        return None  # matplotlib copes with no home at all
    if home.is_dir():
        try:
            _probe_write(home)
            return None
        except OSError:
            pass
    folder = tempfile.mkdtemp(prefix="matplotlib-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    os.environ["MPLCONFIGDIR"] = folder
    return Path(folder)


def cache_key(**parts: Any) -> str:
    """A stable hex key for JSON-serialisable parts (order of keywords does not matter)."""
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]
