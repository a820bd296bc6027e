"""The MediaPipe pose backend: PoseLandmarker (Tasks API, VIDEO mode) over a video's frames.

For each frame the main subject is chosen (:mod:`lumbopelvic.pose.subject`) and their
silhouette outline traced from the segmentation mask (:mod:`lumbopelvic.pose.silhouette`).
MediaPipe's native logging is kept off the terminal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from lumbopelvic.io.video import Frame, probe_video
from lumbopelvic.pose.backend import (
    BackendRun,
    FramePose,
    FrameSink,
    ProgressCallback,
    empty_landmarks,
)
from lumbopelvic.pose.frames import analysed_frames
from lumbopelvic.pose.mediapipe.model_registry import resolve_model
from lumbopelvic.pose.mediapipe.people_watch import PeopleWatch
from lumbopelvic.pose.mediapipe.runtime import (
    create_landmarker,
    padded_to_width_multiple,
    quiet_native_stderr,
    to_mp_image,
)
from lumbopelvic.pose.settings import PoseSettings
from lumbopelvic.pose.silhouette import subject_outline
from lumbopelvic.pose.subject import SubjectTracker, landmark_box


class MediaPipeBackend:
    """The :class:`~lumbopelvic.pose.backend.PoseBackend` of PoseLandmarker with a ``.task``
    bundle (:mod:`lumbopelvic.pose.mediapipe.model_registry`)."""

    name = "mediapipe"

    def model_file(self, model: str) -> Path:
        """The bundle of a model name (``lite``/``full``/``heavy``) or a ``.task`` path."""
        return resolve_model(model)

    def run(
        self,
        video: Path,
        model_path: Path,
        settings: PoseSettings,
        progress: ProgressCallback | None = None,
        frame_sink: FrameSink | None = None,
    ) -> BackendRun:
        """The main subject's pose in every frame from ``settings.start`` to ``settings.end``.

        The provenance is ``people_watch``: how many frames went to the IMAGE-mode look for
        other people, and each switch of the number of people followed (``time_s``,
        ``people_followed``), see :mod:`lumbopelvic.pose.mediapipe.people_watch`.
        """
        info = probe_video(video)
        tracker = SubjectTracker((info.width, info.height), settings.subject)
        poses: list[FramePose] = []
        last_ms = -1

        def create(people: int, video_mode: bool) -> Any:
            return create_landmarker(model_path, settings, people, video_mode)

        with quiet_native_stderr(), PeopleWatch(create, settings) as watch:
            for decoded in analysed_frames(video, settings, frame_sink):
                frame = padded_to_width_multiple(decoded)
                # VIDEO mode needs strictly increasing integer milliseconds.
                timestamp_ms = max(round(frame.time_s * 1000), last_ms + 1)
                last_ms = timestamp_ms
                result = watch.detect(to_mp_image(frame.rgb), timestamp_ms, frame.time_s)
                poses.append(frame_pose(result, frame, tracker, settings))
                if progress is not None:
                    progress(len(poses), frame.time_s)
        people_watch = {
            "checks": watch.checks,
            "switches": [
                {"time_s": time_s, "people_followed": people} for time_s, people in watch.switches
            ],
        }
        return BackendRun(poses, {"people_watch": people_watch})


def frame_pose(
    result: Any, frame: Frame, tracker: SubjectTracker, settings: PoseSettings
) -> FramePose:
    """Pick the main subject from one PoseLandmarker result and outline their silhouette."""
    height, width = frame.rgb.shape[:2]
    people = [
        _landmark_array(pose, world, width, height)
        for pose, world in zip(result.pose_landmarks, result.pose_world_landmarks, strict=True)
    ]
    chosen = tracker.choose([landmark_box(p[:, :2]) for p in people])
    if chosen is None:
        return FramePose(frame.index, frame.time_s, empty_landmarks(), 0)
    pose = FramePose(frame.index, frame.time_s, people[chosen], len(people))
    masks = result.segmentation_masks or []
    if chosen < len(masks):
        pose.outline = subject_outline(
            masks[chosen].numpy_view(), people[chosen], settings.outline_tolerance_px
        )
    return pose


def _landmark_array(pose: list, world: list, width: int, height: int) -> np.ndarray:
    """``(33, 8)`` landmarks of one person: MediaPipe's normalised image coordinates scaled to
    pixels (z like x), visibility, presence, and world coordinates in metres."""
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
