"""CSV files as spreadsheets save them, read with rows and columns named as the user sees them.

Excel and LibreOffice save "CSV" in several ways; all of these read the same:

- text in UTF-8 with or without a byte-order mark ("CSV UTF-8"), in Windows-1252 (Excel's
  plain "CSV" on Western European Windows: ``Zoë``, ``José``), or UTF-16 with its mark
  ("Unicode text");
- cells separated by commas, semicolons (locales whose decimal mark is a comma) or tabs: the
  header row's most frequent of the three decides;
- empty rows and empty trailing cells, which are skipped.

Rows are numbered as the spreadsheet shows them (the header is row 1) and columns by their
header name, or by letter (A, B, ..., AA) when they have none, so every error names a cell
the user can find. A workbook (``.xlsx``/``.xls``) given as a CSV is refused in one line.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from lumbopelvic.core.errors import LumbopelvicError

DELIMITERS = (",", ";", "\t")
# File signatures of spreadsheet workbooks: a ZIP (.xlsx, .ods) and an OLE2 file (.xls).
WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
SAVE_AS_CSV = "save it from the spreadsheet as CSV UTF-8"


@dataclass(frozen=True)
class SheetRow:
    """One non-empty row below the header.

    Attributes
    ----------
    number
        The row's number in the spreadsheet (the header is row 1; empty rows count).
    cells
        Column name to the cell's text (whitespace stripped; ``""`` for an empty cell).
    """

    number: int
    cells: dict[str, str]


@dataclass(frozen=True)
class Sheet:
    """A CSV file's header and its non-empty rows."""

    header: tuple[str, ...]
    rows: tuple[SheetRow, ...]


def column_letter(index: int) -> str:
    """The spreadsheet letter of the 0-based column ``index``: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def decode_text(data: bytes, name: str) -> str:
    """The text of a spreadsheet's CSV file, whatever encoding it was saved in.

    UTF-16 when it starts with its byte-order mark; else UTF-8 (a byte-order mark is
    dropped); else Windows-1252.

    Raises
    ------
    LumbopelvicError
        For a workbook, or bytes that are none of these encodings (a binary file).
    """
    if data.startswith(WORKBOOK_MAGIC):
        raise LumbopelvicError(f"{name} is a spreadsheet workbook, not a CSV: {SAVE_AS_CSV}")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text:
                return text
    raise LumbopelvicError(f"{name} is not a text file of UTF-8 or Windows-1252: {SAVE_AS_CSV}")


def pick_delimiter(header_line: str) -> str:
    """The separator the header row uses most: ``,`` (ties and none), ``;`` or a tab."""
    return max(DELIMITERS, key=header_line.count)


def read_sheet(path: Path) -> Sheet:
    """Read a CSV file as a spreadsheet saved it (see the module docstring).

    Raises
    ------
    LumbopelvicError
        In one line naming the file and, where it applies, the row and column: a file that is
        missing, empty, a workbook or not text; a header that names a column twice; a row
        with a value under a column without a name (a separator inside an unquoted cell);
        a row the CSV reader cannot read.
    """
    if not path.is_file():
        raise LumbopelvicError(f"{path} not found")
    text = decode_text(path.read_bytes(), path.name)
    lines = text.splitlines()
    delimiter = pick_delimiter(lines[0] if lines else "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    try:
        for number, record in enumerate(reader, start=1):
            records.append((number, [cell.strip() for cell in record]))
    except csv.Error as error:
        raise LumbopelvicError(f"{path.name} row {len(records) + 1}: {error}") from None
    if not records or not any(records[0][1]):
        raise LumbopelvicError(f"{path.name} has no header row (row 1 names the columns)")
    header = _header(records[0][1], path.name)
    rows = [_row(number, cells, header, path.name) for number, cells in records[1:] if any(cells)]
    return Sheet(tuple(header), tuple(rows))


def _header(cells: list[str], name: str) -> list[str]:
    """The header's names; trailing unnamed columns dropped, a name given twice refused."""
    while cells and not cells[-1]:
        cells = cells[:-1]
    seen: dict[str, int] = {}
    for index, column in enumerate(cells):
        if not column:
            continue
        earlier = seen.setdefault(column.lower(), index)
        if earlier != index:
            raise LumbopelvicError(
                f"{name} row 1: the column {column!r} is named twice (columns "
                f"{column_letter(earlier)} and {column_letter(index)})"
            )
    return cells


def _row(number: int, cells: list[str], header: list[str], name: str) -> SheetRow:
    """One row as ``{column: text}``; a value where the header names no column is refused."""
    for index, cell in enumerate(cells):
        if cell and (index >= len(header) or not header[index]):
            raise LumbopelvicError(
                f"{name} row {number}, column {column_letter(index)}: {cell!r} is under no "
                "column name in row 1 (a separator inside a cell? put the cell in quotes)"
            )
    padded = cells + [""] * (len(header) - len(cells))
    return SheetRow(number, {column: padded[i] for i, column in enumerate(header) if column})
