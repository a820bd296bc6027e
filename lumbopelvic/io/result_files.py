"""Write and read an analysis' files: angles, the analysis' tables, the summary and curves.

``angles.csv`` with ``angles.json`` (its provenance), ``reps.csv`` (or a walk's tables),
``summary.json`` and ``curves.csv``.

Every file is written atomically. Readers check what they read: an angle table from
elsewhere is validated (:func:`lumbopelvic.core.schema.validate_angle_table`), and a folder
that is not an analysis gets a one-line error.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lumbopelvic.core.curves import curves_from_table, curves_table
from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.provenance import set_metadata, table_metadata
from lumbopelvic.core.schema import validate_angle_table
from lumbopelvic.io.atomic import atomic_path, write_text_atomic
from lumbopelvic.io.csv_precision import rounded_for_csv
from lumbopelvic.io.landmark_files import read_table_csv
from lumbopelvic.io.layout import (
    ANGLES_CSV,
    ANGLES_JSON,
    CURVES_CSV,
    REPS_CSV,
    SUMMARY_JSON,
    TABLE_FILES,
)


def write_table_csv(table: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a table as CSV atomically, each float column at the precision its unit needs
    (:func:`lumbopelvic.io.csv_precision.rounded_for_csv`)."""
    with atomic_path(path) as tmp:
        rounded_for_csv(table).to_csv(tmp, index=False)
    return Path(path)


def write_json(data: dict[str, Any], path: str | os.PathLike[str]) -> Path:
    """Write ``data`` as indented JSON atomically (NumPy scalars become plain numbers)."""
    write_text_atomic(path, json.dumps(data, indent=2, default=_json_default) + "\n")
    return Path(path)


def _json_default(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def save_angles(angles: pd.DataFrame, out_dir: str | os.PathLike[str]) -> dict[str, Path]:
    """Write ``angles.csv`` and ``angles.json`` (its provenance) atomically into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return {
        "angles": write_table_csv(angles, out / ANGLES_CSV),
        "angles_meta": write_json(table_metadata(angles), out / ANGLES_JSON),
    }


def load_angles(path: str | os.PathLike[str], needs_knee: bool = False) -> pd.DataFrame:
    """Load and check an angle table: ``angles.csv`` (or its folder), provenance included.

    Parameters
    ----------
    path
        An ``angles.csv`` written by this package or a CSV of angles from elsewhere (see
        :mod:`lumbopelvic.core.schema` for the columns), or a folder holding ``angles.csv``.
    needs_knee
        Require ``knee_deg`` (the task finds repetitions on the knee).
    """
    path = Path(path)
    if path.is_dir():
        path = path / ANGLES_CSV
    if not path.is_file():
        raise LumbopelvicError(f"angle table not found: {path}")
    table = read_table_csv(path, "angle table")
    sidecar = path.with_name(ANGLES_JSON)
    if sidecar.is_file():
        set_metadata(table, json.loads(sidecar.read_text(encoding="utf-8")))
    return validate_angle_table(table, path.name, needs_knee)


def save_results(
    tables: dict[str, pd.DataFrame],
    summary: dict[str, Any],
    curves: dict[str, np.ndarray],
    out_dir: str | os.PathLike[str],
) -> dict[str, Path]:
    """Write an analysis' results atomically into ``out_dir``: each table under its file name
    (:data:`lumbopelvic.io.layout.TABLE_FILES`: ``reps`` -> ``reps.csv``, a walk's
    ``events``, ``steps``, ``strides``, ``series``), ``summary.json`` and ``curves.csv``
    (:mod:`lumbopelvic.core.curves`)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        kind: write_table_csv(table, out / TABLE_FILES[kind]) for kind, table in tables.items()
    }
    paths["summary"] = write_json(summary, out / SUMMARY_JSON)
    paths["curves"] = write_table_csv(curves_table(curves), out / CURVES_CSV)
    return paths


def load_summary(folder: str | os.PathLike[str]) -> dict[str, Any]:
    """``summary.json`` of an analysis folder.

    Raises
    ------
    LumbopelvicError
        If the folder holds no ``summary.json`` or it is not JSON.
    """
    path = Path(folder) / SUMMARY_JSON
    if not path.is_file():
        raise LumbopelvicError(f"{folder} is not an analyze output folder (no {SUMMARY_JSON})")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise LumbopelvicError(f"{path} is not valid JSON: {exc}") from exc


def load_table(
    folder: str | os.PathLike[str], kind: str = "reps", columns: list[str] | None = None
) -> pd.DataFrame:
    """One of an analysis folder's tables by kind (:data:`~lumbopelvic.io.layout.TABLE_FILES`;
    ``reps.csv`` is an empty table when no repetition was found), only ``columns`` when given.

    Raises
    ------
    LumbopelvicError
        If the folder lacks the table or it is unreadable.
    """
    name = TABLE_FILES[kind]
    path = Path(folder) / name
    if not path.is_file():
        raise LumbopelvicError(f"{folder} has no {name}")
    return read_table_csv(path, "repetition table" if name == REPS_CSV else name, columns)


def load_curves(folder: str | os.PathLike[str]) -> dict[str, np.ndarray]:
    """The curves of an analysis folder (``curves.csv``, :mod:`lumbopelvic.core.curves`).

    Raises
    ------
    LumbopelvicError
        If the folder has none or it is unreadable.
    """
    path = Path(folder) / CURVES_CSV
    if not path.is_file():
        raise LumbopelvicError(f"{folder} has no {CURVES_CSV}")
    try:
        return curves_from_table(read_table_csv(path, CURVES_CSV))
    except ValueError as error:
        raise LumbopelvicError(f"{path} is not a curve table: {error}") from None
