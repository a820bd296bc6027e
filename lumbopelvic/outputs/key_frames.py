"""The report's key frames: quiet standing and the deepest point of each repetition.

Each is the video frame drawn as in the annotated video (skeleton, the pelvis and lumbar
segments, the readouts; face blurred, an uncertain split greyed), without the time-plot
inset, scaled down, saved as a JPEG in the analysis folder (``key_frames/``) and embedded
in the report. :func:`key_frame_indices` is pure; the drawings
are made while the annotated video is written (one decode of the video for both).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pandas as pd

from lumbopelvic.core.provenance import table_metadata
from lumbopelvic.outputs.render_reuse import still_name
from lumbopelvic.outputs.report_words import number

STILL_MAX_SIDE_PX = 520
JPEG_QUALITY = 82


@dataclass(frozen=True)
class KeyFrame:
    """One key frame: its frame index, time (s), caption, a line of angles (degrees) and,
    once drawn, a base64 JPEG."""

    index: int
    time_s: float
    caption: str
    detail: str = ""
    jpeg_base64: str = ""


def key_frame_indices(
    angles: pd.DataFrame, reps: pd.DataFrame, split: bool = True
) -> list[KeyFrame]:
    """Quiet standing (the middle of the standing stretch) and each repetition's deepest frame.

    Parameters
    ----------
    angles
        Angle table (``time_s``, ``trunk_deg``; the standing stretch in its metadata).
    reps
        One row per repetition and phase (``rep``, ``start_s``, ``end_s``).
    split
        Name the pelvis and lumbar angles in the captions (False: a trial whose split is not
        supported gets the trunk alone).
    """
    t = angles["time_s"].to_numpy(float)
    trunk = angles["trunk_deg"].to_numpy(float)
    frames = []
    standing = table_metadata(angles).get("standing", {})
    if "start_frame" in standing and len(t):
        middle = (int(standing["start_frame"]) + int(standing.get("stop_frame", 0))) // 2
        middle = min(max(middle, 0), len(t) - 1)
        caption = "Most upright moment" if standing.get("fallback") else "Quiet standing"
        detail = "the reference: every angle 0°" + (
            " (no quiet standing was found)" if standing.get("fallback") else ""
        )
        frames.append(KeyFrame(middle, float(t[middle]), caption, detail))
    for rep, group in reps.groupby("rep") if len(reps) else ():
        inside = (t >= group["start_s"].min()) & (t <= group["end_s"].max()) & np.isfinite(trunk)
        if inside.any():
            deepest = int(np.flatnonzero(inside)[np.argmax(trunk[inside])])
            caption = f"Repetition {rep}, deepest point"
            detail = angle_line(angles.iloc[deepest], split)
            frames.append(KeyFrame(deepest, float(t[deepest]), caption, detail))
    return frames


def angle_line(row: pd.Series, split: bool = True) -> str:
    """``trunk 107°, pelvis 59°, lower back 49°`` for one frame; an uncertain split is said."""
    trunk = f"trunk {number(row['trunk_deg'])}°"
    if not split:
        return trunk
    if bool(row.get("low_confidence", False)) or not np.isfinite(row.get("pelvis_deg", np.nan)):
        return f"{trunk}; pelvis and lower back uncertain"
    return f"{trunk}, pelvis {number(row['pelvis_deg'])}°, lower back {number(row['lumbar_deg'])}°"


def jpeg_bytes(rgb: np.ndarray, max_side_px: int = STILL_MAX_SIDE_PX) -> bytes:
    """An RGB image scaled to fit ``max_side_px`` (pixels), as JPEG file bytes."""
    scale = min(1.0, max_side_px / max(rgb.shape[:2]))
    if scale < 1.0:
        size = (round(rgb.shape[1] * scale), round(rgb.shape[0] * scale))
        rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(
        ".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY]
    )
    if not ok:  # pragma: no cover - OpenCV always encodes a valid uint8 image
        raise ValueError("could not encode a key frame")
    return data.tobytes()


def write_key_frames(folder: Path, stills: dict[int, np.ndarray]) -> None:
    """Each drawn key frame (table row to RGB) as ``folder/frame_<row>.jpg``."""
    folder.mkdir(parents=True, exist_ok=True)
    for row, rgb in stills.items():
        (folder / still_name(row)).write_bytes(jpeg_bytes(rgb))


def key_frame_images(frames: list[KeyFrame], folder: Path) -> list[KeyFrame]:
    """The key frames with their pictures from ``folder`` (:func:`write_key_frames`); a key
    frame without a picture is left out."""
    found = []
    for f in frames:
        path = folder / still_name(f.index)
        if path.is_file():
            picture = base64.b64encode(path.read_bytes()).decode()
            found.append(KeyFrame(f.index, f.time_s, f.caption, f.detail, picture))
    return found
