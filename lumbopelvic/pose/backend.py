"""What a pose backend supplies: the seam between a pose runtime and the landmark table.

A backend turns a video into the main subject's pose in each analysed frame;
:mod:`lumbopelvic.pose.extract` does the rest (probing, hashing, cache, provenance, the table
of :mod:`lumbopelvic.pose.landmark_table`). Backends are registered by name in
:mod:`lumbopelvic.pose.backends`. Backend-neutral helpers a backend may use:

- :func:`lumbopelvic.pose.frames.analysed_frames`: the frames to analyse;
- :class:`lumbopelvic.pose.subject.SubjectTracker`: which person is the subject;
- :func:`lumbopelvic.pose.silhouette.subject_outline`: their outline from a segmentation mask.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from lumbopelvic.core.landmarks import LANDMARK_FIELDS, N_LANDMARKS
from lumbopelvic.io.video import Frame
from lumbopelvic.pose.settings import PoseSettings

# Called after each analysed frame with (frames_done, time_s).
ProgressCallback = Callable[[int, float], None]
# Given each analysed frame (upright RGB) before inference.
FrameSink = Callable[[Frame], None]


@dataclass
class FramePose:
    """Pose of the main subject in one frame (landmarks NaN when nobody was found).

    Attributes
    ----------
    index, time_s
        The recording's own frame number (0-based, decode order) and time, seconds.
    landmarks
        ``(33, 8)``: rows in :data:`~lumbopelvic.core.landmarks.LANDMARK_NAMES` order, columns
        in :data:`~lumbopelvic.core.landmarks.LANDMARK_FIELDS` order, with the units and
        conventions of :mod:`lumbopelvic.core.landmarks` (pixels of the upright frame, origin
        top-left, y down; world coordinates in metres, NaN when the backend has none).
    n_people
        People found in the frame (0: landmarks all NaN).
    outline
        ``(n, 2)`` int32 vertices ``(x, y)`` of the subject's silhouette, pixels of the
        upright frame; ``(0, 2)`` when there is none.
    """

    index: int
    time_s: float
    landmarks: np.ndarray
    n_people: int
    outline: np.ndarray = field(default_factory=lambda: np.empty((0, 2), np.int32))


def empty_landmarks() -> np.ndarray:
    """The ``(33, 8)`` landmark array of a frame without a person: all NaN."""
    return np.full((N_LANDMARKS, len(LANDMARK_FIELDS)), np.nan)


@dataclass
class BackendRun:
    """What a backend found in a video.

    Attributes
    ----------
    poses
        The subject's pose in every analysed frame, in decode order.
    provenance
        How the backend ran, JSON-serialisable; its entries join the table's provenance
        (``attrs["lumbopelvic"]``) as top-level keys, e.g. MediaPipe's ``people_watch``.
    """

    poses: list[FramePose]
    provenance: dict[str, Any] = field(default_factory=dict)


class PoseBackend(Protocol):
    """A pose runtime behind the landmark table.

    Attributes
    ----------
    name
        The name it is registered under in :data:`lumbopelvic.pose.backends.BACKENDS`.
    """

    name: str

    def model_file(self, model: str) -> Path:
        """The file holding the model that ``model`` (``PoseSettings.model``: a name or a
        path) selects.

        Its SHA-256 names the model in the pose cache key and the table's provenance, so it
        must hold everything that changes the landmarks besides the settings.

        Raises
        ------
        LumbopelvicError
            For an unknown or missing model, in one line that says what to do.
        """
        ...

    def run(
        self,
        video: Path,
        model_path: Path,
        settings: PoseSettings,
        progress: ProgressCallback | None = None,
        frame_sink: FrameSink | None = None,
    ) -> BackendRun:
        """Find the subject's pose in every frame from ``settings.start`` to ``settings.end``
        (seconds of the recording; None: its beginning, its end).

        ``frame_sink`` is given each analysed frame before inference
        (:func:`lumbopelvic.pose.frames.analysed_frames` does that); ``progress`` is called
        after each frame's inference with ``(frames_done, time_s)``.
        """
        ...
