"""Read and write the landmark table (Parquet, plus CSV for spreadsheets).

The table's provenance (video hash, model, settings, processing history) travels with it:
in ``DataFrame.attrs["lumbopelvic"]`` in memory, in the Parquet schema metadata on disk,
and in a ``landmarks.json`` sidecar beside the CSV.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from lumbopelvic.atomic import atomic_path, write_text_atomic
from lumbopelvic.errors import LumbopelvicError

META_KEY = "lumbopelvic"
PARQUET_NAME = "landmarks.parquet"
CSV_NAME = "landmarks.csv"
META_NAME = "landmarks.json"


def table_metadata(table: pd.DataFrame) -> dict[str, Any]:
    """The provenance dictionary carried by a landmark table (empty if none)."""
    return dict(table.attrs.get(META_KEY, {}))


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
    """Read a landmark table written by :func:`write_parquet`, provenance included."""
    try:
        arrow = pq.read_table(path)
    except (OSError, pa.ArrowException) as exc:
        raise LumbopelvicError(f"cannot read landmark table {path}: {exc}") from exc
    table = arrow.to_pandas()
    raw = (arrow.schema.metadata or {}).get(META_KEY.encode())
    table.attrs = {META_KEY: json.loads(raw)} if raw else {}
    return table


def save_landmark_table(table: pd.DataFrame, out_dir: str | os.PathLike[str]) -> dict[str, Path]:
    """Write ``landmarks.parquet``, ``landmarks.csv`` and ``landmarks.json`` into ``out_dir``.

    Each file is written atomically; an interrupted run leaves earlier files intact.

    Returns
    -------
    dict
        ``{"parquet": path, "csv": path, "json": path}``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"parquet": out / PARQUET_NAME, "csv": out / CSV_NAME, "json": out / META_NAME}
    write_parquet(table, paths["parquet"])
    with atomic_path(paths["csv"]) as tmp:
        table.to_csv(tmp, index=False, float_format="%.6g")
    write_text_atomic(paths["json"], json.dumps(table_metadata(table), indent=2) + "\n")
    return paths


def load_landmark_table(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Load a landmark table from a ``.parquet`` file, a ``.csv`` file, or their folder."""
    path = Path(path)
    if path.is_dir():
        path = path / PARQUET_NAME
    if not path.is_file():
        raise LumbopelvicError(f"landmark table not found: {path}")
    if path.suffix == ".parquet":
        return read_parquet(path)
    try:
        table = pd.read_csv(path, keep_default_na=True)
    except (OSError, ValueError) as exc:
        raise LumbopelvicError(f"cannot read landmark table {path}: {exc}") from exc
    sidecar = path.with_name(META_NAME)
    if sidecar.is_file():
        table.attrs = {META_KEY: json.loads(sidecar.read_text(encoding="utf-8"))}
    return table
