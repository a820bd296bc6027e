"""Was the camera set up alike for two recordings? View angle, tilt, distance and framing.

A follow-up is only comparable when the camera saw the person the same way: the same angle
off the side view, the camera as level, as near (the person's size in the frame) and the
person in the same place in the frame. Each is read from the recording itself: the view
angle and tilt from the capture-quality block (:mod:`lumbopelvic.kinematics.view_quality`),
size and place from the landmarks during quiet standing. The camera's height is not
measured.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from lumbopelvic.kinematics.sagittal import midpoint

# Differences beyond which a set-up differs. View angle: half the 20° up to which the split is
# fully trusted (view_quality.GOOD_YAW_DEG). Tilt: the tilt that draws capture advice
# (view_quality.ROLL_WARN_DEG). Size: a quarter larger or smaller, about a quarter nearer
# or farther. Place: a sixth of the frame's width or height.
VIEW_TOLERANCE_DEG = 10.0
TILT_TOLERANCE_DEG = 5.0
SIZE_TOLERANCE_RATIO = 1.25
PLACE_TOLERANCE_FRACTION = 1 / 6


@dataclass(frozen=True)
class CameraSetup:
    """How the camera saw the person (NaN where not measured).

    Attributes
    ----------
    view_deg
        Angle of the camera off the true side view, degrees (0 = side on).
    tilt_deg
        Tilt of the standing body from image vertical, degrees (a tilted camera).
    body_size
        Shoulder-to-ankle length while standing, as a fraction of the frame height (the
        nearer or more zoomed the camera, the larger).
    hip_x, hip_y
        Mid-hip position while standing, fractions of the frame width (0 = left edge) and
        height (0 = top edge).
    facing
        Which way the person faced in the image (``"left"``/``"right"``; empty: unknown).
    """

    view_deg: float
    tilt_deg: float
    body_size: float
    hip_x: float
    hip_y: float
    facing: str = ""

    def to_dict(self) -> dict[str, float | str]:
        """Rounded values, for ``comparison.json``-like records."""
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in asdict(self).items()}


def camera_setup(
    landmarks: pd.DataFrame | None,
    standing: np.ndarray,
    frame_size: tuple[int, int],
    quality: dict[str, object],
    facing: str = "",
) -> CameraSetup:
    """Measure the set-up of one recording.

    Parameters
    ----------
    landmarks
        Landmark table (pixels); None when not at hand (size and place are then NaN).
    standing
        ``(n_frames,)`` bool: the quiet-standing frames (all frames count when none is).
    frame_size
        ``(width, height)`` of the video, pixels.
    quality
        The capture-quality block (``yaw_deg``, ``roll_deg``, degrees).
    facing
        ``"left"`` or ``"right"``.
    """
    view, tilt = (_number(quality.get(key)) for key in ("yaw_deg", "roll_deg"))
    width, height = frame_size
    if landmarks is None or not len(landmarks) or width <= 0 or height <= 0:
        return CameraSetup(view, tilt, math.nan, math.nan, math.nan, facing)
    rows = standing if len(standing) == len(landmarks) and standing.any() else slice(None)
    hip = midpoint(landmarks, "hip")[rows]
    shoulder = midpoint(landmarks, "shoulder")[rows]
    ankle = midpoint(landmarks, "ankle")[rows]
    size = _median(np.hypot(*(shoulder - ankle).T)) / height
    return CameraSetup(
        view, tilt, size, _median(hip[:, 0]) / width, _median(hip[:, 1]) / height, facing
    )


def setup_differences(before: CameraSetup, after: CameraSetup) -> list[str]:
    """Plain sentences, one per way the two set-ups differ beyond its tolerance.

    Empty when they are alike (or a measure is missing from one of them).
    """
    found = []
    if abs(before.view_deg - after.view_deg) > VIEW_TOLERANCE_DEG:
        found.append(
            f"The camera's angle off the side view differs: {before.view_deg:.0f}° before, "
            f"{after.view_deg:.0f}° after."
        )
    if abs(before.tilt_deg - after.tilt_deg) > TILT_TOLERANCE_DEG:
        found.append(
            f"The camera was tilted differently: {before.tilt_deg:+.0f}° before, "
            f"{after.tilt_deg:+.0f}° after (from level)."
        )
    ratio = after.body_size / before.body_size if before.body_size > 0 else math.nan
    if ratio > SIZE_TOLERANCE_RATIO or ratio < 1 / SIZE_TOLERANCE_RATIO:
        nearer = "nearer (or zoomed in)" if ratio > 1 else "farther away (or zoomed out)"
        found.append(
            f"The camera was {nearer} after: the body filled {100 * before.body_size:.0f} % "
            f"of the frame height before and {100 * after.body_size:.0f} % after."
        )
    moved = max(abs(before.hip_x - after.hip_x), abs(before.hip_y - after.hip_y))
    if moved > PLACE_TOLERANCE_FRACTION:
        found.append(
            "The person stood in a different part of the frame (hips at "
            f"{_place(before)} before, {_place(after)} after)."
        )
    if before.facing and after.facing and before.facing != after.facing:
        found.append(
            f"The person faced {before.facing} before and {after.facing} after: "
            "filmed from opposite sides."
        )
    return found


def _place(setup: CameraSetup) -> str:
    return f"{100 * setup.hip_x:.0f} % across, {100 * setup.hip_y:.0f} % down"


def _median(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return float(np.median(finite)) if len(finite) else math.nan


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else math.nan
