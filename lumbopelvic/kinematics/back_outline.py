"""The back's outline in body coordinates, read from the silhouette polygon.

Body frame of one video frame
-----------------------------
- origin ``H``: the mid-point of the two hip-joint centres (pixels);
- axis ``a``: unit vector from ``H`` to the mid-shoulder point ``S``; ``L = |S - H|``;
- posterior normal ``n``: ``a`` turned 90 degrees toward the person's back (away from the
  facing direction);
- a point ``p`` has level ``u = (p - H)·a / L`` (0 at the hips, 1 at the shoulders) and
  depth ``v = (p - H)·n / L`` (positive behind the hip-shoulder line).

The back profile ``v(u)`` is, for each level, the most posterior crossing of the silhouette
outline. Because the frame turns with the trunk, the profile never flips when the back passes
horizontal.
"""

from __future__ import annotations

import numpy as np

# Levels (fractions of the hip-shoulder length) at which the back profile is read, and the
# surface inclinations derived from it.
PROFILE_LEVELS = np.round(np.linspace(-0.15, 1.0, 24), 6)
SLOPE_HALF_WIDTH = 2  # tangent from the profile 2 levels (0.1 L) either side
N_SURFACE_FEATURES = 14  # surface levels -0.05 ... 0.60 of the hip-shoulder length


def body_frame(
    hip: np.ndarray, shoulder: np.ndarray, facing: int
) -> tuple[np.ndarray, np.ndarray, float]:
    """Axis ``a``, posterior normal ``n`` (unit vectors, image pixels) and length ``L`` (px)."""
    d = np.asarray(shoulder, float) - np.asarray(hip, float)
    length = float(np.hypot(*d))
    a = d / length
    # Standing (a = up = (0, -1)) the back is at -facing * x: n = facing * (a_y, -a_x).
    n = facing * np.array([a[1], -a[0]])
    return a, n, length


def to_body_coords(
    xy: np.ndarray, hip: np.ndarray, shoulder: np.ndarray, facing: int
) -> np.ndarray:
    """``(m, 2)`` pixel points to ``(m, 2)`` body coordinates ``(u, v)`` (units of ``L``)."""
    a, n, length = body_frame(hip, shoulder, facing)
    rel = np.asarray(xy, float) - np.asarray(hip, float)
    return np.stack([rel @ a, rel @ n], axis=1) / length


def from_body_coords(
    uv: np.ndarray, hip: np.ndarray, shoulder: np.ndarray, facing: int
) -> np.ndarray:
    """Inverse of :func:`to_body_coords`: body coordinates back to image pixels."""
    a, n, length = body_frame(hip, shoulder, facing)
    uv = np.asarray(uv, float) * length
    return np.asarray(hip, float) + uv[:, :1] * a + uv[:, 1:2] * n


def back_profile(outline_uv: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Depth of the back surface at each level: the most posterior outline crossing.

    Parameters
    ----------
    outline_uv
        ``(m, 2)`` closed polygon in body coordinates (last vertex joins the first).
    levels
        ``(k,)`` levels ``u`` to sample.

    Returns
    -------
    numpy.ndarray
        ``(k,)`` depths ``v`` (units of ``L``); NaN where the outline does not reach a level
        or has no crossing behind the hip-shoulder line.
    """
    outline_uv = np.asarray(outline_uv, float)
    if len(outline_uv) < 3:
        return np.full(len(levels), np.nan)
    u0, v0 = outline_uv[:, 0], outline_uv[:, 1]
    u1, v1 = np.roll(u0, -1), np.roll(v0, -1)
    s = np.asarray(levels, float)[:, None]
    du = u1 - u0
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = (s - u0) / du
    crosses = (du != 0) & (frac >= 0) & (frac <= 1)
    depth = np.where(crosses, v0 + frac * (v1 - v0), -np.inf)
    best = depth.max(axis=1)
    best[~np.isfinite(best) | (best <= 0)] = np.nan
    return best


def back_profiles(
    outlines: list[np.ndarray],
    hips: np.ndarray,
    shoulders: np.ndarray,
    facing: int,
    levels: np.ndarray,
) -> np.ndarray:
    """Back profiles of every frame.

    Parameters
    ----------
    outlines
        Per frame, the ``(m, 2)`` silhouette outline in pixels (empty when none).
    hips, shoulders
        ``(n, 2)`` mid-hip and mid-shoulder pixel positions (NaN where missing).
    facing
        +1 or -1 for the whole trial.
    levels
        ``(k,)`` levels ``u`` to sample.

    Returns
    -------
    numpy.ndarray
        ``(n, k)`` depths ``v`` in units of the hip-shoulder length; NaN rows where the frame
        has no outline or no hips/shoulders.
    """
    out = np.full((len(outlines), len(levels)), np.nan)
    for i, outline in enumerate(outlines):
        if len(outline) < 3 or np.isnan(hips[i]).any() or np.isnan(shoulders[i]).any():
            continue
        if np.allclose(hips[i], shoulders[i]):
            continue
        out[i] = back_profile(to_body_coords(outline, hips[i], shoulders[i], facing), levels)
    return out


def surface_levels() -> np.ndarray:
    """Levels (fractions of hip-shoulder length) at which surface inclinations are read."""
    h = SLOPE_HALF_WIDTH
    return PROFILE_LEVELS[h:-h][:N_SURFACE_FEATURES]


def surface_tilt_deg(profiles: np.ndarray) -> np.ndarray:
    """Angle of the back surface relative to the hip-shoulder axis at each level, degrees.

    Positive when the surface leans backward going up the body (depth grows with level).
    """
    h = SLOPE_HALF_WIDTH
    slope = (profiles[:, 2 * h :] - profiles[:, : -2 * h]) / (
        PROFILE_LEVELS[2 * h :] - PROFILE_LEVELS[: -2 * h]
    )
    return np.degrees(np.arctan(slope))[:, :N_SURFACE_FEATURES]
