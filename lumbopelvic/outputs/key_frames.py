"""The report's key frames: quiet standing and the deepest point of each repetition.

Each is the video frame drawn as in the annotated video (skeleton, the pelvis and lumbar
segments, the readouts; face blurred, an uncertain split greyed), without the time-plot
inset, scaled down and embedded as a JPEG. :func:`key_frame_indices` is pure;
:func:`key_frame_images` is the I/O edge that decodes the video.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass

import cv2
import numpy as np
import pandas as pd

from lumbopelvic.core.provenance import table_metadata
from lumbopelvic.io.video import iter_frames
from lumbopelvic.outputs.annotated_video import draw_frame, segment_geometry
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


def encode_jpeg(rgb: np.ndarray, max_side_px: int = STILL_MAX_SIDE_PX) -> str:
    """An RGB image scaled to fit ``max_side_px`` (pixels) as a base64 JPEG."""
    scale = min(1.0, max_side_px / max(rgb.shape[:2]))
    if scale < 1.0:
        size = (round(rgb.shape[1] * scale), round(rgb.shape[0] * scale))
        rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(
        ".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY]
    )
    if not ok:  # pragma: no cover - OpenCV always encodes a valid uint8 image
        raise ValueError("could not encode a key frame")
    return base64.b64encode(data.tobytes()).decode()


def key_frame_images(
    video: str | os.PathLike[str],
    landmarks: pd.DataFrame,
    angles: pd.DataFrame,
    labels: list[str],
    frames: list[KeyFrame],
    blur: bool = True,
) -> list[KeyFrame]:
    """Decode ``video`` up to the last key frame and draw each key frame (segments, readouts).

    Parameters
    ----------
    video
        The source video (the frames of ``landmarks`` and ``angles``).
    landmarks, angles
        Landmark and angle tables, one row per frame.
    labels
        Repetition and phase label per frame (shown in the readout).
    frames
        The key frames to draw (:func:`key_frame_indices`).
    blur
        Blur the face, as in the annotated video.
    """
    if not frames:
        return []
    wanted = {frame.index: frame for frame in frames}
    geometry = segment_geometry(landmarks, angles)
    drawn: dict[int, str] = {}
    for frame in iter_frames(video):
        if frame.index in wanted:
            still = draw_frame(frame.rgb, landmarks.iloc[frame.index], angles.iloc[frame.index],
                               geometry, labels[frame.index], None, blur)  # fmt: skip
            drawn[frame.index] = encode_jpeg(still)
        if frame.index >= max(wanted):
            break
    return [
        KeyFrame(f.index, f.time_s, f.caption, f.detail, drawn[f.index])
        for f in frames
        if f.index in drawn
    ]
