"""Per-frame pelvis and trunk motion while walking, in the planes the view shows.

Angles are degrees; lengths body heights. Signs follow the synthetic truth
(:mod:`lumbopelvic.synth.gait`):

``pelvic_obliquity_deg``
    Tilt of the hip line in the image, positive when the left hip is higher (front or back
    view). The walk's mean is removed: a rolled camera and a standing tilt look alike.
``trunk_lateral_deg``
    Lean of the hip-to-shoulder line from vertical in the image, positive toward the
    person's left (front or back view); mean removed likewise.
``lateral_shift_bh``
    Side-to-side position of the mid-hip about its running mean (over a stride), positive
    to the left (front or back view).
``pelvis_rotation_deg``, ``thorax_rotation_deg``
    Turning of the hip line and the shoulder line about the vertical, relative to their
    common running mean direction, positive when the left side is forward. From MediaPipe's
    3D world landmarks: the depth they carry is inferred by the model, so these are the
    least certain measures.
``trunk_lean_deg``
    Sagittal lean of the hip-to-shoulder line from vertical, forward positive (side view).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lumbopelvic.gait.body_axes import body_height, coordinates, mid_hip, nan_mean, smoothed
from lumbopelvic.gait.cleaning import DEFAULT_CLEANING, SeriesCleaning


def _demeaned(values: np.ndarray, walking: np.ndarray) -> np.ndarray:
    inside = values[walking & np.isfinite(values)]
    return values - (np.median(inside) if len(inside) else np.nanmedian(values))


def left_is_image_right(table: pd.DataFrame) -> bool:
    """Whether the person's left appears on the image's right (they face the camera)."""
    spread = (
        coordinates(table, "left_hip", "image")[:, 0]
        - coordinates(table, "right_hip", "image")[:, 0]
    )
    spread = spread[np.isfinite(spread)]
    return bool(len(spread) and np.median(spread) > 0)


def _line_angle_deg(table: pd.DataFrame, part: str) -> np.ndarray:
    """Angle of the left-minus-right line of ``part`` in the world's horizontal plane."""
    vector = coordinates(table, f"left_{part}", "world") - coordinates(
        table, f"right_{part}", "world"
    )
    return np.degrees(np.arctan2(vector[:, 1], vector[:, 0]))


def _wrapped_half_turn(deg: np.ndarray) -> np.ndarray:
    """Wrap to [-90, 90): a left-right label swap turns a line by 180 deg, not the body."""
    return (deg + 90.0) % 180.0 - 90.0


def transverse_rotations(
    table: pd.DataFrame, stride_s: float, cleaning: SeriesCleaning = DEFAULT_CLEANING
) -> tuple[np.ndarray, np.ndarray]:
    """Pelvis and thorax rotation about the vertical (degrees, left side forward positive),
    relative to the running mean direction of both lines over ``stride_s`` seconds, cleaned
    (:mod:`lumbopelvic.gait.cleaning`)."""
    times = table["time_s"].to_numpy(float)
    dt = float(np.median(np.diff(times))) if len(times) > 1 else 1 / 30
    hips, shoulders = _line_angle_deg(table, "hip"), _line_angle_deg(table, "shoulder")
    # The common reference: the circular mean of both lines over a stride, on doubled angles
    # (lines have no direction).
    doubled = np.radians(2 * np.column_stack([hips, shoulders]))
    sigma = max(stride_s, 0.5) / dt / 2
    cos = smoothed(nan_mean(np.cos(doubled), axis=1), sigma)
    sin = smoothed(nan_mean(np.sin(doubled), axis=1), sigma)
    reference = np.degrees(np.arctan2(sin, cos)) / 2
    # The horizontal plane's angle grows from x toward z (away from the camera); a left side
    # turned forward turns the left-minus-right line the other way.
    pelvis = -_wrapped_half_turn(hips - reference)
    thorax = -_wrapped_half_turn(shoulders - reference)
    return cleaning.clean(pelvis, times), cleaning.clean(thorax, times)


def gait_series(
    table: pd.DataFrame,
    walking: np.ndarray,
    axis: np.ndarray,
    stride_s: float,
    cleaning: SeriesCleaning = DEFAULT_CLEANING,
) -> pd.DataFrame:
    """Per-frame walking measures (see the module notes for each column).

    Parameters
    ----------
    table
        Landmark table.
    walking
        ``(n,)`` frames where the person walks (:class:`lumbopelvic.gait.events.FootTracks`).
    axis
        ``(n, 2)`` walking direction in the image.
    stride_s
        Typical stride time, seconds.
    cleaning
        Gap filling and low-pass of every series (:mod:`lumbopelvic.gait.cleaning`).
    """
    times = table["time_s"].to_numpy(float)
    dt = float(np.median(np.diff(times))) if len(times) > 1 else 1 / 30
    height = body_height(table, "image")
    left_sign = 1.0 if left_is_image_right(table) else -1.0
    hips = mid_hip(table, "image")
    shoulders = (
        coordinates(table, "left_shoulder", "image") + coordinates(table, "right_shoulder", "image")
    ) / 2
    lh, rh = coordinates(table, "left_hip", "image"), coordinates(table, "right_hip", "image")
    obliquity = np.degrees(np.arctan2(rh[:, 1] - lh[:, 1], np.abs(lh[:, 0] - rh[:, 0])))
    up = hips[:, 1] - shoulders[:, 1]
    lateral = np.degrees(np.arctan2(left_sign * (shoulders[:, 0] - hips[:, 0]), up))
    forward = np.sign(np.nan_to_num(axis[:, 0]))
    lean = np.degrees(np.arctan2(forward * (shoulders[:, 0] - hips[:, 0]), up))
    hip_x = cleaning.clean(hips[:, 0], times)
    shift = left_sign * (hip_x - smoothed(hip_x, max(stride_s, 0.5) / dt / 2)) / height
    pelvis_rotation, thorax_rotation = transverse_rotations(table, stride_s, cleaning)
    frame = table["frame"].to_numpy() if "frame" in table else np.arange(len(table))
    return pd.DataFrame(
        {
            "frame": frame,
            "time_s": times,
            "walking": walking,
            "pelvic_obliquity_deg": _demeaned(cleaning.clean(obliquity, times), walking),
            "trunk_lateral_deg": _demeaned(cleaning.clean(lateral, times), walking),
            "lateral_shift_bh": shift,
            "pelvis_rotation_deg": pelvis_rotation,
            "thorax_rotation_deg": thorax_rotation,
            "trunk_lean_deg": cleaning.clean(lean, times),
        }
    )
