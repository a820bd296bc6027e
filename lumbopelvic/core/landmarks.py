"""The 33 MediaPipe pose landmarks and the landmark table's column layout.

Table conventions
-----------------
- One row per decoded video frame, in decode order (``frame`` is 0-based).
- ``time_s``: presentation time from the container, seconds from the stream start.
- ``<name>_x_px``, ``<name>_y_px``: image position in pixels of the *upright* frame, origin at
  the top-left corner, x to the right, y downward.
- ``<name>_z_px``: MediaPipe's relative depth (hip-centred, smaller is nearer the camera),
  scaled to pixels like x. Rough; do not use for angles.
- ``<name>_visibility``, ``<name>_presence``: MediaPipe scores in [0, 1].
- ``<name>_world_{x,y,z}_m``: MediaPipe world landmarks in metres, origin between the hips,
  y downward (MediaPipe's convention).
- Frames where no person was found have every landmark value empty (NaN).
"""

from __future__ import annotations

LANDMARK_NAMES: tuple[str, ...] = (
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)
N_LANDMARKS = len(LANDMARK_NAMES)
LANDMARK_INDEX = {name: i for i, name in enumerate(LANDMARK_NAMES)}

# Per-landmark fields, in the order of the (33, 8) array a frame's landmarks are stored in.
LANDMARK_FIELDS: tuple[str, ...] = (
    "x_px",
    "y_px",
    "z_px",
    "visibility",
    "presence",
    "world_x_m",
    "world_y_m",
    "world_z_m",
)


def landmark_columns() -> list[str]:
    """Column names for all landmark fields, landmark-major (``nose_x_px``, ``nose_y_px``, ...)."""
    return [f"{name}_{field}" for name in LANDMARK_NAMES for field in LANDMARK_FIELDS]
