"""Part of a recording to analyse: ``--start``/``--end`` times, read and checked in one place.

Times are seconds of the recording's own clock (the time a player shows, from the start of
the video stream), given as seconds (``65.5``) or minutes and seconds (``1:05.5``, also
``h:mm:ss``). Outputs keep the recording's own times and frame numbers: a row at 65.5 s in
``angles.csv`` is the frame a player shows at 1:05.5, whatever the range.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.provenance import log_step, set_metadata, table_metadata

_CLOCK = re.compile(r"^(?:(\d+):)?(\d+):(\d+(?:\.\d*)?)$")
# A range end this far past the last frame (s) still counts as "to the end": encoders round.
END_SLACK_S = 0.1
TIME_HELP = "seconds (65.5) or minutes:seconds (1:05.5)"


def parse_time_s(text: str) -> float:
    """Seconds from ``"65.5"``, ``"1:05.5"`` or ``"1:02:03"``.

    Raises
    ------
    ValueError
        For anything else (negative, not finite, seconds of 60 or more after a colon), with
        a message that says what is expected.
    """
    value = str(text).strip()
    clock = _CLOCK.match(value)
    if clock:
        hours, minutes, seconds = clock.groups()
        if float(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
            raise ValueError(f"{value!r} is not a time: give {TIME_HELP}")
        return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    try:
        seconds = float(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a time: give {TIME_HELP}") from None
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"{value!r} is not a time: give {TIME_HELP}")
    return seconds


def format_time(seconds: float) -> str:
    """``65.5`` -> ``"65.5 s (1:05.5)"``; under a minute just ``"12.3 s"``."""
    if seconds < 60:
        return f"{seconds:g} s"
    minutes, rest = divmod(seconds, 60)
    return f"{seconds:g} s ({int(minutes)}:{rest:04.1f})"


def check_range_order(start: float | None, end: float | None) -> None:
    """A one-line error unless ``0 <= start < end`` (either may be None: open)."""
    for name, value in (("start", start), ("end", end)):
        if value is not None and (not math.isfinite(value) or value < 0):
            raise LumbopelvicError(f"--{name} must be a time of 0 s or more, got {value}")
    if start is not None and end is not None and end <= start:
        raise LumbopelvicError(
            f"--end ({format_time(end)}) must be after --start ({format_time(start)})"
        )


def check_range_within(start: float | None, end: float | None, length_s: float, name: str) -> None:
    """A one-line error when the range begins at or after the end of a recording
    ``length_s`` seconds long, or ends beyond it (unknown length: 0, nothing checked)."""
    if length_s <= 0:
        return
    if start is not None and start >= length_s:
        raise LumbopelvicError(
            f"--start {format_time(start)} is beyond the end of {name} ({length_s:.2f} s long)"
        )
    if end is not None and end > length_s + END_SLACK_S:
        raise LumbopelvicError(
            f"--end {format_time(end)} is beyond the end of {name} ({length_s:.2f} s long)"
        )


def select_time_range(
    table: pd.DataFrame, start: float | None, end: float | None, name: str
) -> pd.DataFrame:
    """The rows of a table (with ``time_s``) from ``start`` to ``end`` inclusive, attrs kept.

    Raises
    ------
    LumbopelvicError
        When the range lies outside the table's times or holds no row.
    """
    if start is None and end is None:
        return table
    times = table["time_s"].to_numpy(float)
    if len(times):
        step = float(pd.Series(times).diff().median()) if len(times) > 1 else 0.0
        length = float(times[-1]) + (step if math.isfinite(step) else 0.0)
        check_range_within(start, end, length, name)
    keep = (times >= (start if start is not None else -math.inf)) & (
        times <= (end if end is not None else math.inf)
    )
    if not keep.any():
        raise LumbopelvicError(f"no frame of {name} lies between --start and --end")
    chosen = table.loc[keep].reset_index(drop=True)
    meta = log_step(table_metadata(table), "time range", start_s=start, end_s=end)
    return set_metadata(chosen, meta)
