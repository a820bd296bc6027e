"""Reuse the annotated video and key frames of an earlier analysis when they would be the same.

Drawing and encoding the annotated video is most of the work after pose. Changing a rhythm
setting (or the client's name, or nothing at all) often leaves every drawn pixel as it was:
the same frames, landmarks, angles, labels and video settings. :func:`render_digest` names
all of these in one hash; when the analysis folder being replaced holds a render with the
same digest, its annotated video and key frames are taken over instead of drawn again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from lumbopelvic.core.provenance import table_metadata
from lumbopelvic.io.layout import ANNOTATED_VIDEO, KEY_FRAMES_DIR, SUMMARY_JSON

# Bump when the drawing changes, so that earlier renders are not reused.
RENDER_VERSION = 1


def render_digest(
    landmarks: pd.DataFrame,
    angles: pd.DataFrame,
    labels: list[str],
    still_rows: list[int],
    look: dict[str, object],
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
    digest.update(json.dumps(described, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def earlier_digest(out_dir: Path) -> str | None:
    """The render digest recorded in an earlier analysis folder (None: none readable)."""
    try:
        summary = json.loads((out_dir / SUMMARY_JSON).read_text(encoding="utf-8"))
        return summary["provenance"]["render"]["digest"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def take_over_render(out_dir: Path, staging: Path, digest: str, still_rows: list[int]) -> bool:
    """Link (or copy) the annotated video and key frames of ``out_dir`` into ``staging`` when
    they were drawn with ``digest``; False (nothing taken) otherwise."""
    if earlier_digest(out_dir) != digest:
        return False
    wanted = [ANNOTATED_VIDEO] + [f"{KEY_FRAMES_DIR}/{still_name(row)}" for row in still_rows]
    if not all((out_dir / name).is_file() for name in wanted):
        return False
    (staging / KEY_FRAMES_DIR).mkdir(exist_ok=True)
    for name in wanted:
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
