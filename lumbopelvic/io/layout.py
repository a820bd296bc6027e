"""File names of an analysis folder, default output folders, and what kind of input a path is.

One place decides these, so every command and the Python API agree on them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

LANDMARKS_PARQUET = "landmarks.parquet"
LANDMARKS_CSV = "landmarks.csv"
LANDMARKS_JSON = "landmarks.json"
ANGLES_CSV = "angles.csv"
ANGLES_JSON = "angles.json"
REPS_CSV = "reps.csv"
# Walking (``--task walk``): heel strikes and toe offs, steps, strides, per-frame motion.
GAIT_EVENTS_CSV = "gait_events.csv"
STEPS_CSV = "steps.csv"
STRIDES_CSV = "strides.csv"
GAIT_CSV = "gait.csv"
SUMMARY_JSON = "summary.json"
# Each repetition's (stride's) curves over 0-100 % of its phase (stride), long and tidy.
CURVES_CSV = "curves.csv"
# An analysis' tables by kind (as the Python API and the printed paths name them).
TABLE_FILES = {
    "angles": ANGLES_CSV,
    "reps": REPS_CSV,
    "events": GAIT_EVENTS_CSV,
    "steps": STEPS_CSV,
    "strides": STRIDES_CSV,
    "series": GAIT_CSV,
}
ANNOTATED_VIDEO = "annotated.mp4"
REPORT_HTML = "report.html"
REPORT_PDF = "report.pdf"
KEY_FRAMES_DIR = "key_frames"
OPENSIM_MOT = "angles.mot"
OPENSIM_TRC = "landmarks.trc"
COMPARISON_CSV = "comparison.csv"
COMPARISON_HTML = "comparison.html"
COMPARISON_PDF = "comparison.pdf"
SIDE_BY_SIDE_VIDEO = "side_by_side.mp4"
VALIDATION_CSV = "validation.csv"
VALIDATION_SUMMARY_CSV = "validation_summary.csv"
VALIDATION_RELIABILITY_CSV = "validation_reliability.csv"

# A batch folder: one analysis folder per video under videos/, each with a done marker.
BATCH_VIDEOS_DIR = "videos"
BATCH_DONE_MARKER = "done.json"
BATCH_TRIALS_CSV = "trials.csv"
BATCH_REPS_CSV = REPS_CSV
BATCH_FAILURES_CSV = "failures.csv"
BATCH_PAGE_HTML = "batch.html"
BATCH_RECORD_JSON = "batch.json"
BATCH_LOCK = ".lumbopelvic-batch.lock"
# The commands that write output folders, as their markers name them
# (:mod:`lumbopelvic.io.ownership`): each writes only a new folder or its own earlier result.
ANALYZE = "analyze"
COMPARE = "compare"
BATCH = "batch"
VALIDATE = "validate"
POSE = "pose"
ANGLES = "angles"
RHYTHM = "rhythm"

OUTPUT_SUFFIX = "_lumbopelvic"
DEFAULT_COMPARE_DIR = Path("comparison")
DEFAULT_BATCH_DIR = Path("batch_output")
DEFAULT_VALIDATION_DIR = Path("validation")

InputKind = Literal["video", "landmarks", "angles", "analysis"]


def input_name(source: str | os.PathLike[str]) -> str:
    """The name an input is known by: a file's stem, a folder's name."""
    path = Path(source)
    return path.name if path.is_dir() else path.stem


def default_output_dir(source: str | os.PathLike[str], cwd: Path | None = None) -> Path:
    """``./<input name>_lumbopelvic``: where a command writes when no folder is given."""
    return (cwd or Path.cwd()) / f"{input_name(source)}{OUTPUT_SUFFIX}"


def input_kind(source: str | os.PathLike[str]) -> InputKind:
    """What a path holds, judged by its name and the files in it (nothing is decoded).

    - a folder with ``summary.json``: an ``analyze`` output (``"analysis"``);
    - a folder with ``landmarks.parquet``, or a ``.parquet`` file: ``"landmarks"``;
    - a folder with ``angles.csv``, or a ``.csv`` file whose header names ``trunk_deg``:
      ``"angles"``; any other ``.csv``: ``"landmarks"``;
    - anything else: ``"video"`` (decoding it reports what is wrong with it).
    """
    path = Path(source)
    if path.is_dir():
        if (path / SUMMARY_JSON).is_file():
            return "analysis"
        if (path / LANDMARKS_PARQUET).is_file():
            return "landmarks"
        if (path / ANGLES_CSV).is_file():
            return "angles"
        return "video"
    if path.suffix == ".parquet":
        return "landmarks"
    if path.suffix == ".csv":
        return "angles" if "trunk_deg" in _csv_header(path) else "landmarks"
    return "video"


def _csv_header(path: Path) -> list[str]:
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return handle.readline().strip().split(",")
    except OSError:
        return []
