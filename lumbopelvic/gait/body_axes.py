"""Where the person walks: body size, the walking (fore-aft) axis and how far each foot is
ahead of the hips, in the image or in MediaPipe's world landmarks.

Conventions
-----------
- Image coordinates are pixels, x right, y down (:mod:`lumbopelvic.core.landmarks`); world
  coordinates are MediaPipe's metres, origin between the hips, y down, z away from the camera.
- Lengths are returned in body heights, so that image and world measures compare.
- ``ahead``: distance of a foot in front of the mid-hip along the walking axis (negative
  behind it), body heights.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from scipy.ndimage import gaussian_filter1d

Space = Literal["image", "world"]

# Shoulder, hip, knee and ankle heights as fractions of stature (Drillis and Contini 1966,
# as tabulated by Winter 2009): hip-to-shoulder 0.288, thigh 0.245, shank 0.246 of it.
SEGMENTS_PER_HEIGHT = 0.779
# Gaussian width (s) of the window the walking axis is found in: about a stride, short enough
# to follow a turn.
AXIS_WINDOW_S = 0.75


def coordinates(table: pd.DataFrame, name: str, space: Space) -> np.ndarray:
    """``(n, 2)`` positions of a landmark: image ``(x, y)`` pixels or world ``(x, z)`` metres
    (the horizontal plane when the camera is level)."""
    if space == "image":
        columns = [f"{name}_x_px", f"{name}_y_px"]
    else:
        columns = [f"{name}_world_x_m", f"{name}_world_z_m"]
    return table[columns].to_numpy(dtype=float, copy=True)


def _vertical(table: pd.DataFrame, name: str, space: Space) -> np.ndarray:
    column = f"{name}_y_px" if space == "image" else f"{name}_world_y_m"
    return table[column].to_numpy(dtype=float)


def body_height(table: pd.DataFrame, space: Space) -> float:
    """Stature in the units of ``space`` (pixels or metres), from the median lengths of the
    trunk (hip to shoulder), thighs and shanks (:data:`SEGMENTS_PER_HEIGHT`). NaN when those
    landmarks are never seen. In the image this holds for a side view, where the legs move in
    the image plane; from the front the thighs and shanks foreshorten a little as they swing.
    """

    def point(name: str) -> np.ndarray:
        xy = coordinates(table, name, space)
        return np.column_stack([xy[:, 0], _vertical(table, name, space), xy[:, 1]])

    def length(a: str, b: str) -> float:
        pa, pb = point(a), point(b)
        if space == "image":
            pa, pb = pa[:, :2], pb[:, :2]
        d = np.linalg.norm(pa - pb, axis=1)
        d = d[np.isfinite(d)]
        return float(np.median(d)) if len(d) else float("nan")

    total = 0.0
    for side in ("left", "right"):
        total += length(f"{side}_hip", f"{side}_shoulder")
        total += length(f"{side}_hip", f"{side}_knee") + length(f"{side}_knee", f"{side}_ankle")
    return total / 2 / SEGMENTS_PER_HEIGHT


def mid_hip(table: pd.DataFrame, space: Space) -> np.ndarray:
    """``(n, 2)`` midpoint of the hip joint centres."""
    return (coordinates(table, "left_hip", space) + coordinates(table, "right_hip", space)) / 2


def nan_mean(values: np.ndarray, axis: int) -> np.ndarray:
    """Mean over ``axis`` ignoring NaN; NaN where every value is (without a warning)."""
    count = np.isfinite(values).sum(axis=axis)
    total = np.nansum(values, axis=axis)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def smoothed(values: np.ndarray, sigma_frames: float) -> np.ndarray:
    """Gaussian smoothing along axis 0 that ignores NaN (NaN where nothing is near)."""
    ok = np.isfinite(values)
    weight = gaussian_filter1d(ok.astype(float), sigma_frames, axis=0, mode="nearest")
    total = gaussian_filter1d(np.where(ok, values, 0.0), sigma_frames, axis=0, mode="nearest")
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weight > 0.2, total / weight, np.nan)


def label_swaps(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """``(n,)`` True where the pose model swapped a foot's left and right labels, from two
    tracks ``(n, 2)`` of it: each frame keeps the pairing nearer to where each foot was
    heading (its last position plus its last step). The first frame's labels are kept."""
    a, b = left.copy(), right.copy()
    swaps = np.zeros(len(a), dtype=bool)
    for i in range(2, len(a)):
        if not np.isfinite(np.concatenate([a[i - 2 : i + 1], b[i - 2 : i + 1]])).all():
            continue
        pa, pb = 2 * a[i - 1] - a[i - 2], 2 * b[i - 1] - b[i - 2]
        kept = np.linalg.norm(a[i] - pa) + np.linalg.norm(b[i] - pb)
        crossed = np.linalg.norm(b[i] - pa) + np.linalg.norm(a[i] - pb)
        if crossed < kept:
            a[i], b[i] = b[i].copy(), a[i].copy()
            swaps[i] = True
    return swaps


def swapped_back(
    left: np.ndarray, right: np.ndarray, swaps: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``left`` and ``right`` (``(n, 2)``) exchanged where ``swaps``."""
    mask = swaps[:, None]
    return np.where(mask, right, left), np.where(mask, left, right)


def walking_axis(
    feet: list[np.ndarray], times_s: np.ndarray, window_s: float = AXIS_WINDOW_S
) -> np.ndarray:
    """Per-frame unit vector ``(n, 2)`` of the walking direction, from the feet's motion.

    While walking, the feet move back and forth along the walking direction far more than
    across it: the axis is the principal direction of each foot's position about its own
    running mean (``feet``: ``(n, 2)`` each, labels already untangled: :func:`label_swaps`)
    in a Gaussian window of ``window_s`` seconds. Its sign comes from the gait itself: a
    foot moves forward fast (swing, about 40 % of the cycle) and back slowly (stance), so
    its velocity along the axis is skewed toward forward. No face is needed. NaN where the
    feet are not seen.
    """
    dt = float(np.nanmedian(np.diff(times_s))) if len(times_s) > 1 else 1 / 30
    sigma = max(window_s / dt, 1.0)
    stacked = np.stack(feet)  # (feet, n, 2)
    # Each foot about its own mean: the feet's side-by-side spacing is not walking.
    centred = np.stack([foot - smoothed(foot, sigma) for foot in stacked])
    moments = [centred[..., 0] ** 2, centred[..., 0] * centred[..., 1], centred[..., 1] ** 2]
    sxx, sxy, syy = (smoothed(nan_mean(m, axis=0), sigma) for m in moments)
    angle = 0.5 * np.arctan2(2 * sxy, sxx - syy)
    axis = np.column_stack([np.cos(angle), np.sin(angle)])
    speed = np.gradient(stacked, times_s, axis=1)
    along = np.einsum("fnk,nk->fn", speed, axis)
    skew = smoothed(nan_mean(along**3, axis=0), sigma)
    return axis * np.where(skew < 0, -1.0, 1.0)[:, None]


def ahead(point: np.ndarray, hips: np.ndarray, axis: np.ndarray, height: float) -> np.ndarray:
    """Distance of ``point`` in front of the mid-hip along ``axis``, body heights."""
    return np.einsum("nk,nk->n", point - hips, axis) / height
