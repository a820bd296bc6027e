"""Provenance that travels with the data: where a table came from and every step applied.

A table (landmarks, angles) carries a dictionary in ``DataFrame.attrs[META_KEY]``: the input
video and its SHA-256, the pose model, settings, and a ``history`` list with one entry per
transformation, in order. Each step appends its entry (the habit of the ``movement``
package's ``log_to_attrs``), so the summary of an analysis shows the whole chain from the
video to the numbers. On disk the dictionary goes into the Parquet schema metadata and into
JSON sidecars (``landmarks.json``, ``angles.json``, ``summary.json``).
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pandas as pd

# The key of lumbopelvic's dictionary in ``DataFrame.attrs`` and in Parquet schema metadata.
META_KEY = "lumbopelvic"


def table_metadata(table: pd.DataFrame) -> dict[str, Any]:
    """A deep copy of the provenance dictionary carried by ``table`` (empty if none)."""
    return copy.deepcopy(dict(table.attrs.get(META_KEY, {})))


def set_metadata(table: pd.DataFrame, metadata: dict[str, Any]) -> pd.DataFrame:
    """Attach ``metadata`` as ``table``'s provenance (in place) and return ``table``."""
    table.attrs = {**table.attrs, META_KEY: metadata}
    return table


def now_utc() -> str:
    """The current time as ISO 8601 UTC, to the second (for history entries)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def step_record(step: str, **parameters: Any) -> dict[str, Any]:
    """One history entry: the step's name, its parameters and the time it ran.

    Parameters
    ----------
    step
        Name of the transformation, e.g. ``"angles"``.
    **parameters
        JSON-serialisable settings and facts of this step (``None`` values are dropped).
    """
    from lumbopelvic.core.version import __version__

    record: dict[str, Any] = {"step": step}
    record.update({key: value for key, value in parameters.items() if value is not None})
    record["package_version"] = __version__
    record["at"] = now_utc()
    return record


def log_step(metadata: dict[str, Any], step: str, **parameters: Any) -> dict[str, Any]:
    """Append a :func:`step_record` to ``metadata["history"]`` (in place); return ``metadata``."""
    metadata.setdefault("history", []).append(step_record(step, **parameters))
    return metadata


def history(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The processing history of ``table``, oldest step first (empty if none)."""
    return list(table_metadata(table).get("history", []))
