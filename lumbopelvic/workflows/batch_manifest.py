"""A batch's manifest: one row per trial, read as the spreadsheet the researcher keeps it in.

The manifest is a CSV (any encoding and separator a spreadsheet saves:
:mod:`lumbopelvic.io.spreadsheet_csv`) with a ``video`` column; its ``task``, ``model``,
``subject_height_m``, ``start`` and ``end`` columns set that trial's settings, every other
column is metadata copied into the tables. The known column names are read whatever their
case (``Video``), numbers with a decimal point or comma. Every error names the row as the
spreadsheet numbers it (the header is row 1) and the column.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.time_range import parse_time_s
from lumbopelvic.io.spreadsheet_csv import read_sheet

VIDEO_COLUMN = "video"
# Manifest columns that set a setting per video. A ``subject`` column stays metadata (the
# participant, as manifests use it): --subject applies to the whole batch.
OVERRIDABLE = ("task", "model", "subject_height_m", "start", "end")
# How each per-video setting's text is read, and what it must be (for the message).
READERS: dict[str, tuple[Callable[[str], Any], str]] = {
    "subject_height_m": (float, "a number of metres"),
    "start": (parse_time_s, "a time (seconds or mm:ss)"),
    "end": (parse_time_s, "a time (seconds or mm:ss)"),
}


@dataclass(frozen=True)
class ManifestRow:
    """One trial of the manifest.

    Attributes
    ----------
    number
        Its row in the spreadsheet (the header is row 1).
    video
        The video (a relative path is read from the manifest's folder).
    metadata
        The other columns' values (subject, session, condition, ...).
    overrides
        The per-video settings this row gives (only the non-empty cells).
    """

    number: int
    video: Path
    metadata: dict[str, str]
    overrides: dict[str, Any]

    @property
    def settings_digest(self) -> str:
        """A short hash of :attr:`overrides`: tells apart trials of one video."""
        text = json.dumps(self.overrides, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:6]


def read_manifest(path: Path) -> list[ManifestRow]:
    """Every non-empty row of the manifest ``path`` (see the module docstring).

    Raises
    ------
    LumbopelvicError
        For a missing or unreadable file, no ``video`` column, an empty video cell or a
        per-video setting that cannot be read: one line naming the row and column.
    """
    if not path.is_file():
        raise LumbopelvicError(f"manifest not found: {path}")
    sheet = read_sheet(path)
    known = {name: name for name in (VIDEO_COLUMN, *OVERRIDABLE)}
    names = {column: known.get(column.lower(), column) for column in sheet.header}
    if VIDEO_COLUMN not in names.values():
        columns = ", ".join(column for column in sheet.header if column) or "none"
        raise LumbopelvicError(
            f"{path.name} needs a 'video' column in row 1 (its columns: {columns})"
        )
    rows = []
    for row in sheet.rows:
        cells = {names[column]: value for column, value in row.cells.items()}
        video = cells.pop(VIDEO_COLUMN)
        if not video:
            raise LumbopelvicError(f"{path.name} row {row.number}: video is empty")
        overrides = {
            key: manifest_value(key, value, f"{path.name} row {row.number}")
            for key in OVERRIDABLE
            if (value := cells.pop(key, ""))
        }
        model = overrides.get("model")
        if isinstance(model, str) and model.endswith(".task") and not Path(model).is_absolute():
            overrides["model"] = str(path.parent / model)  # like the video: beside the manifest
        video_path = Path(video)
        rows.append(
            ManifestRow(
                row.number,
                video_path if video_path.is_absolute() else path.parent / video_path,
                cells,
                overrides,
            )
        )
    return rows


def manifest_value(key: str, value: str, where: str) -> Any:
    """The per-video setting ``key`` read from its cell's text ``value``.

    Raises
    ------
    LumbopelvicError
        ``"<where>: <key> must be ..., got ..."`` when the text cannot be read.
    """
    if key not in READERS:
        return value
    read, what = READERS[key]
    try:
        return read(decimal_point(value))
    except ValueError as error:
        raise LumbopelvicError(f"{where}: {key} must be {what}, got {value!r} ({error})") from None


def decimal_point(text: str) -> str:
    """``text`` with a decimal comma read as a point (``1,72`` -> ``1.72``), as spreadsheets
    of locales that separate cells with semicolons write numbers."""
    return text.replace(",", ".") if "," in text and "." not in text else text


def same_video_clash(rows: list[ManifestRow]) -> tuple[ManifestRow, ManifestRow] | None:
    """The first two rows that list one video with the same settings (None: no such pair).

    Rows of one video with different settings (task, model, start, end, height) are
    different trials; rows with the same settings would be one trial with two sets of
    metadata, which a batch cannot tell apart.
    """
    seen: dict[tuple[Path, str], ManifestRow] = {}
    for row in rows:
        key = (row.video.resolve(), json.dumps(row.overrides, sort_keys=True))
        if key in seen:
            return seen[key], row
        seen[key] = row
    return None
