"""Sagittal-plane geometry on image points: facing direction and segment inclinations.

Conventions
-----------
- Image pixels: x to the right, y downward (as in the landmark table).
- ``facing`` is +1 when the person faces the image's +x direction (to the right) and -1 when
  facing left. It is decided once per trial; every angle is then mirrored so that flexion
  (leaning toward the facing direction) is positive whichever way the person faces.
- A segment's inclination is the angle in degrees of its *distal-to-proximal* vector (the
  vector pointing up the body in standing) from image-vertical-up, positive toward the facing
  direction. It is continuous through and beyond horizontal (unwrapped over time, no
  0/360 wrap).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lumbopelvic.core.errors import LumbopelvicError


def points(table: pd.DataFrame, name: str) -> np.ndarray:
    """``(n, 2)`` pixel positions of one landmark (NaN where absent)."""
    return table[[f"{name}_x_px", f"{name}_y_px"]].to_numpy(dtype=float, copy=True)


def visibility(table: pd.DataFrame, name: str) -> np.ndarray:
    """``(n,)`` MediaPipe visibility of one landmark (0 where absent)."""
    return np.nan_to_num(table[f"{name}_visibility"].to_numpy(dtype=float))


def midpoint(table: pd.DataFrame, pair: str) -> np.ndarray:
    """Midpoint of the left and right landmark of a pair, e.g. ``"hip"`` or ``"shoulder"``."""
    return (points(table, f"left_{pair}") + points(table, f"right_{pair}")) / 2.0


def facing_direction(table: pd.DataFrame) -> tuple[int, float]:
    """Decide once per trial which way the person faces in the image.

    Votes, over frames with a person: the feet point forward (toe ahead of heel), and the
    nose is ahead of the ears. Each vote is weighted by the landmarks' visibility.

    Returns
    -------
    facing
        +1 (facing right, image +x) or -1 (facing left).
    agreement
        Weighted fraction of votes that agree with the decision, in [0.5, 1].

    Raises
    ------
    LumbopelvicError
        If no frame has the landmarks needed.
    """
    votes, weights = [], []
    for side in ("left", "right"):
        toe, heel = points(table, f"{side}_foot_index"), points(table, f"{side}_heel")
        w = np.minimum(visibility(table, f"{side}_foot_index"), visibility(table, f"{side}_heel"))
        votes.append(np.sign(toe[:, 0] - heel[:, 0]))
        weights.append(w)
    ears = (points(table, "left_ear") + points(table, "right_ear")) / 2
    nose = points(table, "nose")
    votes.append(np.sign(nose[:, 0] - ears[:, 0]))
    weights.append(visibility(table, "nose"))
    v, w = np.concatenate(votes), np.concatenate(weights)
    ok = ~np.isnan(v) & (w > 0)
    if not ok.any():
        raise LumbopelvicError("cannot tell which way the person faces: no feet or face found")
    score = float(np.sum(v[ok] * w[ok]))
    facing = 1 if score >= 0 else -1
    agreement = float(np.sum(w[ok] * (v[ok] == facing)) / np.sum(w[ok]))
    return facing, agreement


def inclination_deg(
    distal: np.ndarray, proximal: np.ndarray, facing: int, stretch: float = 1.0
) -> np.ndarray:
    """Inclination of the distal-to-proximal vector from vertical-up, degrees.

    Parameters
    ----------
    distal, proximal
        ``(n, 2)`` pixel positions (e.g. hip and shoulder for the trunk).
    facing
        +1 or -1, see :func:`facing_direction`.
    stretch
        Multiplies the forward (image-horizontal) component before the angle is taken:
        ``1 / cos(yaw)`` undoes the foreshortening of a sagittal-plane segment filmed ``yaw``
        degrees off the side view (:func:`deprojection_stretch`); 1 for a side view.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` degrees, positive toward the facing direction, unwrapped over time
        (NaN where a point is missing).
    """
    d = np.asarray(proximal, float) - np.asarray(distal, float)
    forward = facing * d[:, 0] * stretch
    up = -d[:, 1]
    return unwrap_deg(np.degrees(np.arctan2(forward, up)))


# Deprojection is used from this view angle on (nearer the side view the image is the better
# measure, bench/ACCURACY.md) and never stretches more than a 60 degree view would.
DEPROJECT_FROM_YAW_DEG = 25.0
MAX_DEPROJECT_YAW_DEG = 60.0


def deprojection_stretch(yaw_deg: float) -> float:
    """``1 / cos(yaw)`` for views :data:`DEPROJECT_FROM_YAW_DEG` or more off the side view
    (capped at :data:`MAX_DEPROJECT_YAW_DEG`), else 1 (an unknown view: 1).

    A segment moving in the person's sagittal plane, filmed ``yaw`` off the side view, keeps
    its vertical extent in the image while its forward extent shrinks by ``cos(yaw)``
    (orthographic approximation); stretching the image-horizontal component back recovers
    its inclination."""
    if not np.isfinite(yaw_deg) or yaw_deg < DEPROJECT_FROM_YAW_DEG:
        return 1.0
    return float(1.0 / np.cos(np.radians(min(yaw_deg, MAX_DEPROJECT_YAW_DEG))))


def unwrap_deg(angles: np.ndarray) -> np.ndarray:
    """Remove 360-degree jumps between consecutive valid samples (NaN kept)."""
    angles = np.asarray(angles, dtype=float).copy()
    valid = ~np.isnan(angles)
    if valid.sum() > 1:
        angles[valid] = np.degrees(np.unwrap(np.radians(angles[valid])))
    return angles


def hip_rise(table: pd.DataFrame, standing: slice) -> np.ndarray:
    """``(n,)`` the mid-hip's rise above its height while standing, in standing leg lengths
    (mid-hip to mid-ankle): 0 standing, negative seated or crouched, rising as the hips
    leave a seat. Read on the image's vertical, which a side view shows undistorted; NaN
    where the hips are not seen or the standing frames give no leg length."""
    hip_y = midpoint(table, "hip")[:, 1]
    leg = np.hypot(*(midpoint(table, "ankle") - midpoint(table, "hip")).T)
    with np.errstate(all="ignore"):
        base_y, length = np.nanmedian(hip_y[standing]), np.nanmedian(leg[standing])
    if not np.isfinite(base_y) or not np.isfinite(length) or length <= 0:
        return np.full(len(hip_y), np.nan)
    return (base_y - hip_y) / length
