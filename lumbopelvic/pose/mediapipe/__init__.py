"""The MediaPipe pose backend: PoseLandmarker (Tasks API) over a video's frames, and its
model bundles (:mod:`~lumbopelvic.pose.mediapipe.model_registry`, built by
:mod:`~lumbopelvic.pose.mediapipe.model_install`).

The only part of the package that imports ``mediapipe``. The rest of the package reaches it
through the backend registry (:mod:`lumbopelvic.pose.backends`), except the ``--model``
default and the ``models`` commands, which name its bundles. See
:mod:`lumbopelvic.pose.backend` for what a backend supplies.
"""
