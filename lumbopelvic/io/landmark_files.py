"""Read and write the landmark table (Parquet, plus CSV for spreadsheets).

The table's provenance (video hash, model, settings, processing history) travels with it:
in ``DataFrame.attrs`` in memory (:mod:`lumbopelvic.core.provenance`), in the Parquet schema
metadata on disk, and in a ``landmarks.json`` sidecar beside the CSV. Tables read from files
are checked (:func:`lumbopelvic.core.schema.validate_landmark_table`), so a table made
elsewhere gets a clear message naming what it lacks.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.provenance import META_KEY, set_metadata, table_metadata
from lumbopelvic.core.schema import validate_landmark_table
from lumbopelvic.io.atomic import atomic_path, write_text_atomic
from lumbopelvic.io.csv_precision import rounded_for_csv
from lumbopelvic.io.layout import LANDMARKS_CSV, LANDMARKS_JSON, LANDMARKS_PARQUET


def write_parquet(table: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    """Write ``table`` to Parquet atomically, with its provenance in the schema metadata."""
    arrow = pa.Table.from_pandas(table, preserve_index=False)
    meta = dict(arrow.schema.metadata or {})
    meta[META_KEY.encode()] = json.dumps(table_metadata(table)).encode()
    meta.pop(b"PANDAS_ATTRS", None)
    arrow = arrow.replace_schema_metadata(meta)
    with atomic_path(path) as tmp:
        pq.write_table(arrow, tmp, compression="zstd")


def read_parquet(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a table written by :func:`write_parquet`, provenance included (not validated)."""
    try:
        arrow = pq.read_table(path)
    except (OSError, pa.ArrowException) as exc:
        raise LumbopelvicError(f"cannot read landmark table {path}: {exc}") from exc
    table = arrow.to_pandas()
    raw = (arrow.schema.metadata or {}).get(META_KEY.encode())
    table.attrs = {}
    return set_metadata(table, json.loads(raw)) if raw else table


def save_landmark_table(
    table: pd.DataFrame, out_dir: str | os.PathLike[str], earlier: Path | None = None
) -> dict[str, Path]:
    """Write ``landmarks.parquet``, ``landmarks.csv`` and ``landmarks.json`` into ``out_dir``.

    Each file is written atomically; an interrupted run leaves earlier files intact. With
    ``earlier`` (an analysis folder about to be replaced), its ``landmarks.csv`` is linked
    instead of written again when it holds the same table: the same video, model, pose
    settings and table format (a 10-minute recording's CSV is some 75 MB).

    Returns
    -------
    dict
        ``{"parquet": path, "csv": path, "json": path}``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "parquet": out / LANDMARKS_PARQUET,
        "csv": out / LANDMARKS_CSV,
        "json": out / LANDMARKS_JSON,
    }
    write_parquet(table, paths["parquet"])
    if earlier is None or not _same_table_in(earlier, table, paths["csv"]):
        with atomic_path(paths["csv"]) as tmp:
            rounded_for_csv(table).to_csv(tmp, index=False)
    write_text_atomic(paths["json"], json.dumps(table_metadata(table), indent=2) + "\n")
    return paths


def _same_table_in(earlier: Path, table: pd.DataFrame, target: Path) -> bool:
    """Link ``earlier``'s CSV to ``target`` when it holds ``table``; False when it may not."""
    try:
        old = json.loads((earlier / LANDMARKS_JSON).read_text(encoding="utf-8"))
        new = table_metadata(table)
        if _identity(new)[0] is None or _identity(old) != _identity(new):
            return False
        os.link(earlier / LANDMARKS_CSV, target)
    except (OSError, ValueError, AttributeError):
        return False
    return True


def _identity(meta: dict) -> list[object]:
    """What makes a landmark table: video, model, settings, format and version, frames."""
    return [
        meta.get("video", {}).get("sha256"),
        meta.get("model", {}).get("sha256"),
        meta.get("settings"),
        meta.get("format_version"),
        meta.get("package_version"),
        meta.get("frames"),
    ]


def load_landmark_table(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Load and check a landmark table: a ``.parquet`` or ``.csv`` file, or their folder.

    Raises
    ------
    LumbopelvicError
        If the file is missing or unreadable, or lacks columns the analysis needs.
    """
    path = Path(path)
    if path.is_dir():
        path = path / LANDMARKS_PARQUET
    if not path.is_file():
        raise LumbopelvicError(f"landmark table not found: {path}")
    if path.suffix == ".parquet":
        table = read_parquet(path)
    else:
        table = read_table_csv(path, "landmark table")
        sidecar = path.with_name(LANDMARKS_JSON)
        if sidecar.is_file():
            set_metadata(table, json.loads(sidecar.read_text(encoding="utf-8")))
    return validate_landmark_table(table, path.name)


def read_table_csv(path: Path, what: str, columns: list[str] | None = None) -> pd.DataFrame:
    """Read a CSV table (only ``columns`` when given); an unreadable or empty file, or one
    without those columns, is a one-line :class:`LumbopelvicError`."""
    try:
        return pd.read_csv(path, keep_default_na=True, usecols=columns)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise LumbopelvicError(f"cannot read {what} {path.name}: {reason}") from exc
