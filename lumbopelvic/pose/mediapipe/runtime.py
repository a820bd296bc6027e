"""MediaPipe's Tasks API at the edge: landmarkers, images, frame widths and native logging."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.io.video import Frame
from lumbopelvic.pose.settings import PoseSettings

# Frames go to MediaPipe with widths that are a multiple of this (see padded_to_width_multiple).
MASK_WIDTH_MULTIPLE = 4


@contextlib.contextmanager
def quiet_native_stderr() -> Iterator[None]:
    """Silence MediaPipe's native logging (written straight to file descriptor 2).

    Python-level writes to ``sys.stderr`` made inside still appear: they are sent to a
    duplicate of the original descriptor.
    """
    import sys

    if os.environ.get("LUMBOPELVIC_NATIVE_LOGS"):
        yield
        return
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    python_stderr = sys.stderr
    try:
        sys.stderr = os.fdopen(os.dup(saved), "w", buffering=1, closefd=True)
        os.dup2(devnull, 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        sys.stderr.close()
        sys.stderr = python_stderr
        os.close(saved)
        os.close(devnull)


def create_landmarker(
    model_path: Path, settings: PoseSettings, people: int | None = None, video: bool = True
) -> Any:
    """Create a PoseLandmarker that finds up to ``people`` people (``settings.max_people``
    when None): in VIDEO mode with segmentation masks, or in IMAGE mode without (a look for
    other people, :mod:`lumbopelvic.pose.mediapipe.people_watch`)."""
    from mediapipe.tasks.python import BaseOptions, vision

    mode = vision.RunningMode.VIDEO if video else vision.RunningMode.IMAGE
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model_path)),
        running_mode=mode,
        num_poses=people or settings.max_people,
        min_pose_detection_confidence=settings.min_detection_confidence,
        min_pose_presence_confidence=settings.min_presence_confidence,
        min_tracking_confidence=settings.min_tracking_confidence,
        output_segmentation_masks=video,
    )
    try:
        return vision.PoseLandmarker.create_from_options(options)
    except (RuntimeError, ValueError) as exc:
        raise LumbopelvicError(f"cannot load pose model {model_path}: {exc}") from exc


def to_mp_image(rgb: np.ndarray) -> Any:
    """A ``mediapipe.Image`` of an ``(height, width, 3)`` uint8 RGB frame."""
    import mediapipe as mp

    return mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb)


def padded_to_width_multiple(frame: Frame, multiple: int = MASK_WIDTH_MULTIPLE) -> Frame:
    """The frame with black columns added on the right up to a width that is a multiple.

    MediaPipe aborts the whole process when it copies out a segmentation mask whose float
    rows are padded (frame widths that are not a multiple of 4, e.g. 718 or 1079 px: phone
    exports and cropped clips). Columns added on the right leave every pixel coordinate of the
    original frame unchanged.
    """
    width = frame.rgb.shape[1]
    extra = -width % multiple
    if not extra:
        return frame
    rgb = np.pad(frame.rgb, ((0, 0), (0, extra), (0, 0)))
    return Frame(frame.index, frame.time_s, rgb)
