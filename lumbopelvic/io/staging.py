"""Write a whole output folder or nothing: files go to a staging folder, moved in at the end."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def staging_folder(out_dir: Path) -> Iterator[Path]:
    """Yield a hidden temporary folder beside ``out_dir`` and remove it afterwards.

    Write every output into it, then :func:`move_into` the target only when all succeeded:
    bad input never leaves a half-written output folder and never replaces earlier results.
    """
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def move_into(paths: dict[str, Path], out_dir: Path) -> dict[str, Path]:
    """Move staged files into ``out_dir`` (each move atomic); return their final paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    final = {}
    for kind, path in paths.items():
        target = out_dir / path.name
        path.replace(target)
        final[kind] = target
    return final
