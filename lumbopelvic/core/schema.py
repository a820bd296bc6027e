"""What a landmark table and an angle table must hold, checked where tables enter.

Tables made by this package always pass; the checks are for tables from elsewhere (a CSV a
user exported from another pose tool, or angles from motion capture), so that a missing
column gets one clear line naming it instead of an internal error deep in the science.

Landmark table: ``frame``, ``time_s`` and, for every landmark the kinematics reads
(:data:`LANDMARKS_READ`), ``<name>_x_px``, ``<name>_y_px`` and ``<name>_visibility``.
Optional: ``n_people`` (taken as 1 where both hips are present), ``silhouette_px`` (without
it the back's outline is unknown, so pelvis and lumbar stay empty) and every other
landmark column (see :mod:`lumbopelvic.core.landmarks`).

Angle table: ``time_s``, ``trunk_deg``, ``pelvis_deg``, ``lumbar_deg`` (degrees, flexion
positive, changes from standing); ``knee_deg`` too for squat and sit-to-stand. Optional:
``frame`` (row number), ``hip_deg`` and ``knee_deg`` (empty), ``confidence`` (taken as 1:
the source's own accuracy is not known here).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from lumbopelvic.core.errors import LumbopelvicError

# Sagittal angles of the angle table, in column order.
ANGLE_NAMES = ("trunk", "pelvis", "lumbar", "hip", "knee")

# Landmarks the kinematics reads: trunk and legs, the feet and face for the facing direction.
LANDMARKS_READ = tuple(
    f"{side}_{part}"
    for part in ("shoulder", "hip", "knee", "ankle", "heel", "foot_index", "ear")
    for side in ("left", "right")
) + ("nose",)
REQUIRED_LANDMARK_COLUMNS = (
    "frame",
    "time_s",
    *(f"{name}_{field}" for name in LANDMARKS_READ for field in ("x_px", "y_px", "visibility")),
)
REQUIRED_ANGLE_COLUMNS = ("time_s", "trunk_deg", "pelvis_deg", "lumbar_deg")
SHOWN_MISSING = 6  # a long list of missing columns is cut after this many names


def missing_columns(table: pd.DataFrame, required: Iterable[str]) -> list[str]:
    """The names in ``required`` that are not columns of ``table``, in ``required`` order."""
    present = set(table.columns)
    return [column for column in required if column not in present]


def require_columns(table: pd.DataFrame, required: Iterable[str], what: str, source: str) -> None:
    """Raise a one-line :class:`LumbopelvicError` naming the columns ``table`` lacks.

    Parameters
    ----------
    table
        The table to check.
    required
        Column names it must have.
    what
        What the table should be, e.g. ``"a landmark table"``.
    source
        Where it came from (a file name), for the message.
    """
    missing = missing_columns(table, required)
    if not missing:
        return
    shown = ", ".join(missing[:SHOWN_MISSING])
    more = f" and {len(missing) - SHOWN_MISSING} more" if len(missing) > SHOWN_MISSING else ""
    raise LumbopelvicError(f"{source} is not {what}: missing column(s) {shown}{more}")


def _require_numeric_time(table: pd.DataFrame, source: str) -> None:
    times = pd.to_numeric(table["time_s"], errors="coerce").to_numpy(float)
    if len(times) == 0:
        raise LumbopelvicError(f"{source} has no rows")
    if np.isnan(times).any():
        raise LumbopelvicError(f"{source}: time_s must be a number (seconds) in every row")
    if np.any(np.diff(times) <= 0):
        raise LumbopelvicError(f"{source}: time_s must increase from row to row")


def _require_numeric(table: pd.DataFrame, columns: Iterable[str], source: str) -> None:
    for column in columns:
        if not pd.api.types.is_numeric_dtype(table[column]):
            converted = pd.to_numeric(table[column], errors="coerce")
            if converted.notna().sum() < table[column].notna().sum():
                raise LumbopelvicError(f"{source}: column {column} holds non-numbers")


def validate_landmark_table(table: pd.DataFrame, source: str) -> pd.DataFrame:
    """Check a landmark table from elsewhere and fill its optional columns.

    Returns
    -------
    pandas.DataFrame
        ``table`` itself when nothing was missing, else a copy with ``n_people`` and
        ``silhouette_px`` added (see the module docstring); provenance is kept.

    Raises
    ------
    LumbopelvicError
        Naming the missing columns, or a non-numeric or non-increasing ``time_s``.
    """
    require_columns(table, REQUIRED_LANDMARK_COLUMNS, "a landmark table", source)
    _require_numeric_time(table, source)
    _require_numeric(table, REQUIRED_LANDMARK_COLUMNS, source)
    if "n_people" in table.columns and "silhouette_px" in table.columns:
        return table
    filled = table.copy()
    filled.attrs = table.attrs
    if "n_people" not in filled.columns:
        hips = filled[["left_hip_x_px", "right_hip_x_px"]].notna().all(axis=1)
        filled.insert(2, "n_people", hips.astype(np.int64))
    if "silhouette_px" not in filled.columns:
        filled["silhouette_px"] = ""
    return filled


def validate_angle_table(
    table: pd.DataFrame, source: str, needs_knee: bool = False
) -> pd.DataFrame:
    """Check an angle table from elsewhere and fill its optional columns.

    Parameters
    ----------
    table
        Angles, one row per sample (see the module docstring).
    source
        File name, for messages.
    needs_knee
        The task's repetitions are found on the knee angle (squat, sit-to-stand).

    Returns
    -------
    pandas.DataFrame
        A copy with ``frame``, ``hip_deg``, ``knee_deg`` and ``confidence`` present.
    """
    required = (*REQUIRED_ANGLE_COLUMNS, "knee_deg") if needs_knee else REQUIRED_ANGLE_COLUMNS
    require_columns(table, required, "an angle table", source)
    _require_numeric_time(table, source)
    _require_numeric(table, required, source)
    filled = table.copy()
    filled.attrs = table.attrs
    if "frame" not in filled.columns:
        filled.insert(0, "frame", np.arange(len(filled), dtype=np.int64))
    for name in ("hip", "knee"):
        if f"{name}_deg" not in filled.columns:
            filled[f"{name}_deg"] = np.nan
    if "confidence" not in filled.columns:
        filled["confidence"] = 1.0
    return filled
