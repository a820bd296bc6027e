"""The MediaPipe edge: run PoseLandmarker (Tasks API, VIDEO mode) over a video's frames.

For each frame the main subject is chosen (:mod:`lumbopelvic.pose.subject`) and their
silhouette outline traced from the segmentation mask (:mod:`lumbopelvic.pose.silhouette`).
MediaPipe's native logging is kept off the terminal.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.landmarks import LANDMARK_FIELDS, LANDMARK_INDEX, N_LANDMARKS
from lumbopelvic.io.background import prefetched
from lumbopelvic.io.video import Frame, iter_frames, probe_video
from lumbopelvic.pose.mediapipe.people_watch import PeopleWatch
from lumbopelvic.pose.settings import PoseSettings
from lumbopelvic.pose.silhouette import mask_outline
from lumbopelvic.pose.subject import SubjectTracker, landmark_box

# The outline is searched in the subject's landmark box grown by this fraction on each side:
# the body surface lies outside the joint centres MediaPipe reports.
OUTLINE_BOX_MARGIN = 0.25
# Frames go to MediaPipe with widths that are a multiple of this (see padded_to_width_multiple).
MASK_WIDTH_MULTIPLE = 4
HIP_ROWS = [LANDMARK_INDEX["left_hip"], LANDMARK_INDEX["right_hip"]]

ProgressCallback = Callable[[int, float], None]


@dataclass
class FramePose:
    """Pose of the main subject in one frame (landmarks NaN when nobody was found)."""

    index: int
    time_s: float
    landmarks: np.ndarray  # (33, 8) in LANDMARK_FIELDS order
    n_people: int
    outline: np.ndarray = field(default_factory=lambda: np.empty((0, 2), np.int32))


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
):
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


def to_mp_image(rgb: np.ndarray):
    import mediapipe as mp

    return mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb)


def _landmark_array(pose: list, world: list, width: int, height: int) -> np.ndarray:
    arr = np.array(
        [
            (p.x, p.y, p.z, p.visibility, p.presence, w.x, w.y, w.z)
            for p, w in zip(pose, world, strict=True)
        ],
        dtype=np.float64,
    )
    arr[:, 0] *= width
    arr[:, 1] *= height
    arr[:, 2] *= width
    return arr


def frame_pose(
    result: Any, frame: Frame, tracker: SubjectTracker, settings: PoseSettings
) -> FramePose:
    """Pick the main subject from one PoseLandmarker result and outline their silhouette."""
    height, width = frame.rgb.shape[:2]
    people = [
        _landmark_array(pose, world, width, height)
        for pose, world in zip(result.pose_landmarks, result.pose_world_landmarks, strict=True)
    ]
    boxes = [landmark_box(p[:, :2]) for p in people]
    chosen = tracker.choose(boxes)
    if chosen is None:
        return FramePose(frame.index, frame.time_s, empty_landmarks(), 0)
    outline = np.empty((0, 2), np.int32)
    masks = result.segmentation_masks or []
    if chosen < len(masks):
        box = boxes[chosen]
        margin = OUTLINE_BOX_MARGIN * max(box[2] - box[0], box[3] - box[1])
        roi = (box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin)
        hips = people[chosen][HIP_ROWS, :2].mean(axis=0)
        outline = mask_outline(
            masks[chosen].numpy_view(), roi, tuple(hips), settings.outline_tolerance_px
        )
    return FramePose(frame.index, frame.time_s, people[chosen], len(people), outline)


def empty_landmarks() -> np.ndarray:
    """The ``(33, 8)`` landmark array of a frame without a person: all NaN."""
    return np.full((N_LANDMARKS, len(LANDMARK_FIELDS)), np.nan)


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


@dataclass
class LandmarkerRun:
    """What :func:`run_landmarker` found: the subject's pose in each frame, and how people
    were looked for (:class:`lumbopelvic.pose.mediapipe.people_watch.PeopleWatch`)."""

    poses: list[FramePose]
    people_checks: int = 0
    people_switches: list[tuple[float, int]] = field(default_factory=list)


def run_landmarker(
    video: Path,
    model_path: Path,
    settings: PoseSettings,
    progress: ProgressCallback | None = None,
    frame_sink: Callable[[Frame], None] | None = None,
) -> LandmarkerRun:
    """Run PoseLandmarker (VIDEO mode) over every frame from ``settings.start`` to
    ``settings.end`` (seconds; the whole video when None) and return the main subject's poses,
    with the recording's own frame numbers and times.

    ``frame_sink`` is given each analysed frame (upright RGB, before inference) so that a
    caller can keep what it needs of the frames without decoding the video again.
    """
    info = probe_video(video)
    tracker = SubjectTracker((info.width, info.height), settings.subject)
    poses: list[FramePose] = []
    last_ms = -1
    start = settings.start if settings.start is not None else -np.inf
    end = settings.end if settings.end is not None else np.inf

    def create(people: int, video_mode: bool) -> Any:
        return create_landmarker(model_path, settings, people, video_mode)

    with quiet_native_stderr(), PeopleWatch(create, settings) as watch:
        # One decoder thread: the decoder has its own thread beside inference already.
        for decoded in prefetched(iter_frames(video, threads=1)):
            if decoded.time_s < start:
                continue
            if decoded.time_s > end:
                break
            if frame_sink is not None:
                frame_sink(decoded)
            frame = padded_to_width_multiple(decoded)
            # VIDEO mode needs strictly increasing integer milliseconds.
            timestamp_ms = max(round(frame.time_s * 1000), last_ms + 1)
            last_ms = timestamp_ms
            result = watch.detect(to_mp_image(frame.rgb), timestamp_ms, frame.time_s)
            poses.append(frame_pose(result, frame, tracker, settings))
            if progress is not None:
                progress(len(poses), frame.time_s)
    return LandmarkerRun(poses, watch.checks, watch.switches)
