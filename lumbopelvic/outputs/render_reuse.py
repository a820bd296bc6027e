"""Reuse the annotated video, key frames and report of an earlier analysis when they would be
the same.

Drawing and encoding the annotated video is most of the work after pose. Changing a rhythm
setting (or the client's name, or nothing at all) often leaves every drawn pixel as it was:
the same frames, landmarks, angles, labels and video settings. :func:`render_digest` names
all of these in one hash; when the analysis folder being replaced holds a render with the
same digest, its annotated video and key frames are taken over instead of drawn again.
The report (HTML and PDF) is taken over the same way when nothing it shows changed
(:func:`report_digest`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from lumbopelvic.core.provenance import table_metadata
from lumbopelvic.io.layout import ANNOTATED_VIDEO, KEY_FRAMES_DIR, SUMMARY_JSON

if TYPE_CHECKING:
    from lumbopelvic.outputs.annotated_video import Readouts

# Bump when the drawing changes, so that earlier renders are not reused.
RENDER_VERSION = 2


def render_digest(
    landmarks: pd.DataFrame,
    angles: pd.DataFrame,
    labels: list[str],
    still_rows: list[int],
    look: dict[str, object],
    readouts: str | None = None,
) -> str:
    """A hash of everything the annotated video and the key frames show.

    Parameters
    ----------
    landmarks, angles
        The tables drawn (every numeric column, the frames' numbers and times, the
        recording's hash and the angles' standing reference and facing).
    labels
        Repetition and phase label per frame.
    still_rows
        Rows drawn as key frames.
    look
        The video settings (face blur, size, quality).
    readouts
        :func:`readouts_digest` of the readouts shown in place of the bend's (a walk's).
    """
    digest = hashlib.sha256()
    for table in (landmarks, angles):
        numeric = table.select_dtypes(include=["number", "bool"])
        digest.update(",".join(numeric.columns).encode())
        digest.update(np.ascontiguousarray(numeric.to_numpy(np.float64)).tobytes())
    meta = table_metadata(angles)
    described = {
        "version": RENDER_VERSION,
        "video": table_metadata(landmarks).get("video", {}).get("sha256"),
        "facing": meta.get("facing"),
        "standing": meta.get("standing", {}).get("trunk_inclination_deg"),
        "labels": labels,
        "stills": still_rows,
        "look": look,
    }
    if readouts is not None:
        described["readouts"] = readouts
    digest.update(json.dumps(described, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def readouts_digest(readouts: Readouts) -> str:
    """A hash of the readouts and time plot a walk's video shows
    (:class:`~lumbopelvic.outputs.annotated_video.Readouts`)."""
    digest = hashlib.sha256(json.dumps(readouts.texts).encode())
    for name, (values, colour) in sorted(readouts.series.items()):
        digest.update(f"{name}:{colour}".encode())
        digest.update(np.ascontiguousarray(values, np.float64).tobytes())
    digest.update(readouts.unit.encode())
    digest.update(np.ascontiguousarray(readouts.marks_s, np.float64).tobytes())
    digest.update(np.ascontiguousarray(readouts.skeleton, bool).tobytes())
    return digest.hexdigest()


def report_digest(
    render: str, summary: dict[str, Any], tables: dict[str, pd.DataFrame], page: dict[str, object]
) -> str:
    """A hash of everything the report shows: the render (:func:`render_digest`, which
    covers the angles and landmarks), the results and settings in ``summary`` (``summary.json``
    as a dictionary; not its history, whose times change on every run), the analysis' tables
    (``reps``, or a walk's), and ``page`` (client, notes, the recording's name, the package
    version)."""
    provenance = summary.get("provenance", {})
    shown = {
        "render": render,
        "results": {k: v for k, v in summary.items() if k != "provenance"},
        "settings": provenance.get("settings"),
        "analyze_settings": provenance.get("analyze_settings"),
        **{name: table.to_dict(orient="list") for name, table in tables.items()},
        "page": page,
        "version": RENDER_VERSION,
    }
    return hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()


def earlier_digest(out_dir: Path, kind: str = "render") -> str | None:
    """The digest of ``kind`` (``render``, ``report``) recorded in an earlier analysis
    folder (None: none readable)."""
    try:
        summary = json.loads((out_dir / SUMMARY_JSON).read_text(encoding="utf-8"))
        return summary["provenance"][kind]["digest"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def take_over_render(out_dir: Path, staging: Path, digest: str, still_rows: list[int]) -> bool:
    """Link (or copy) the annotated video and key frames of ``out_dir`` into ``staging`` when
    they were drawn with ``digest``; False (nothing taken) otherwise."""
    names = [ANNOTATED_VIDEO] + [f"{KEY_FRAMES_DIR}/{still_name(row)}" for row in still_rows]
    return _take_over(out_dir, staging, "render", digest, names)


def take_over_report(out_dir: Path, staging: Path, digest: str, names: list[str]) -> bool:
    """Link (or copy) the report files ``names`` of ``out_dir`` into ``staging`` when they
    were made with ``digest`` (:func:`report_digest`); False otherwise. A report taken over
    keeps the date it was first made."""
    return _take_over(out_dir, staging, "report", digest, names)


def _take_over(out_dir: Path, staging: Path, kind: str, digest: str, names: list[str]) -> bool:
    if earlier_digest(out_dir, kind) != digest:
        return False
    if not all((out_dir / name).is_file() for name in names):
        return False
    for name in names:
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        _link_or_copy(out_dir / name, staging / name)
    return True


def still_name(row: int) -> str:
    """File name of the key frame of a table row."""
    return f"frame_{row:06d}.jpg"


def _link_or_copy(source: Path, target: Path) -> None:
    # The earlier folder is replaced as a whole afterwards: a hard link keeps the file.
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
