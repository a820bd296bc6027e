"""The pose backends by name: the one place that knows which backends exist.

MediaPipe is the only backend and the default; see :mod:`lumbopelvic.pose.backend` for what
another must supply. There is no setting to choose one yet: a field added to
:class:`~lumbopelvic.pose.settings.PoseSettings` would change the pose cache key of every
existing setting and so discard every cached landmark table.
"""

from __future__ import annotations

from lumbopelvic.pose.backend import PoseBackend
from lumbopelvic.pose.mediapipe.landmarker import MediaPipeBackend

BACKENDS: dict[str, PoseBackend] = {backend.name: backend for backend in (MediaPipeBackend(),)}
DEFAULT_BACKEND = MediaPipeBackend.name
