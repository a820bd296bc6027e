"""Pelvis and lumbar angles measured at skin stickers (marker mode).

The SpinalMouse and dual-inclinometer principle on the back's outline: the inclination of the
back surface where the S2 sticker sits follows the pelvis (the skin over the sacrum moves with
it); the inclination where the T12/L1 sticker sits is the trunk at L1; lumbar flexion is
their difference. With an L3 sticker, upper (L1 to L3) and lower (L3 to S2) lumbar flexion
are read separately. The stickers say *where* on the outline to read, so the reading does
not depend on a learned model of where the sacrum and L1 are.

Surface inclination at a sticker
    The outline's back profile (:mod:`.back_outline`) is read at the sticker's level ``u``
    and :data:`HALF_WIDTH` either side; the least-squares slope ``dv/du`` of those depths
    gives the surface's tilt against the hip-shoulder line, and the surface's inclination
    from vertical is the line's inclination minus that tilt (degrees, flexion positive).

All angles are changes from quiet standing, as everywhere in the package.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lumbopelvic.core.outline_codec import decode_outline
from lumbopelvic.core.provenance import log_step, set_metadata, table_metadata
from lumbopelvic.kinematics.angles import clean
from lumbopelvic.kinematics.back_outline import back_profile, to_body_coords
from lumbopelvic.kinematics.sagittal import inclination_deg, midpoint
from lumbopelvic.kinematics.settings import LOW_CONFIDENCE, AngleSettings
from lumbopelvic.kinematics.split_model import change_from_standing

# Profile read this far either side of a sticker's level (units of hip-shoulder length).
HALF_WIDTH = 0.07
PROFILE_POINTS = 7
# A sticker position below this confidence is not used.
MIN_STICKER_CONFIDENCE = 0.3
# Frames with stickers below this share of the movement: the markerless split is kept.
MIN_STICKER_SHARE = 0.5


def surface_inclination_deg(
    outline_px: np.ndarray,
    hip: np.ndarray,
    shoulder: np.ndarray,
    facing: int,
    point_px: np.ndarray,
) -> float:
    """Inclination from vertical of the back surface at ``point_px``'s level, degrees.

    Parameters
    ----------
    outline_px
        ``(m, 2)`` silhouette polygon, pixels.
    hip, shoulder
        ``(2,)`` mid-hip and mid-shoulder pixels.
    facing
        +1 or -1 (:func:`~lumbopelvic.kinematics.sagittal.facing_direction`).
    point_px
        ``(2,)`` the sticker's pixel position.

    Returns
    -------
    float
        Degrees, positive toward the facing direction (NaN when the outline is not seen
        there).
    """
    if len(outline_px) < 3 or not np.isfinite(point_px).all():
        return float("nan")
    u = to_body_coords(point_px[None], hip, shoulder, facing)[0, 0]
    levels = np.linspace(u - HALF_WIDTH, u + HALF_WIDTH, PROFILE_POINTS)
    depth = back_profile(to_body_coords(outline_px, hip, shoulder, facing), levels)
    ok = np.isfinite(depth)
    if ok.sum() < PROFILE_POINTS - 2:
        return float("nan")
    slope = np.polyfit(levels[ok], depth[ok], 1)[0]
    line = inclination_deg(hip[None], shoulder[None], facing)[0]
    return float(line - np.degrees(np.arctan(slope)))


def sticker_inclinations(
    table: pd.DataFrame, stickers: pd.DataFrame, facing: int, names: tuple[str, ...]
) -> dict[str, np.ndarray]:
    """Per sticker, the absolute surface inclination ``(n,)`` at it in every frame (degrees;
    NaN where the sticker or the outline is not seen)."""
    hips, shoulders = midpoint(table, "hip"), midpoint(table, "shoulder")
    outlines = [decode_outline(text) for text in table["silhouette_px"]]
    out = {}
    for name in names:
        xy = stickers[[f"{name}_x_px", f"{name}_y_px"]].to_numpy(float)
        usable = stickers[f"{name}_confidence"].to_numpy(float) >= MIN_STICKER_CONFIDENCE
        values = np.full(len(table), np.nan)
        for i in np.nonzero(usable)[0]:
            if np.isfinite(hips[i]).all() and np.isfinite(shoulders[i]).all():
                values[i] = surface_inclination_deg(
                    outlines[i], hips[i], shoulders[i], facing, xy[i]
                )
        out[name] = values
    return out


def sticker_split(
    inclinations: dict[str, np.ndarray], standing: slice
) -> dict[str, np.ndarray]:
    """Pelvis, trunk at L1 and lumbar flexion (and, with L3, upper and lower lumbar) from the
    stickers' surface inclinations, as changes from ``standing`` (degrees)."""
    pelvis = change_from_standing(inclinations["s2"], standing)
    trunk = change_from_standing(inclinations["l1"], standing)
    out = {"pelvis": pelvis, "trunk": trunk, "lumbar": trunk - pelvis}
    if "l3" in inclinations:
        middle = change_from_standing(inclinations["l3"], standing)
        out["lumbar_upper"] = trunk - middle
        out["lumbar_lower"] = middle - pelvis
    return out


def sticker_confidence(stickers: pd.DataFrame, names: tuple[str, ...]) -> np.ndarray:
    """Per frame, the least confident of the stickers the split needs (S2 and L1)."""
    needed = [n for n in names if n in ("s2", "l1")]
    return np.min([stickers[f"{n}_confidence"].to_numpy(float) for n in needed], axis=0)


def summary_of_stickers(
    names: tuple[str, ...], hue_deg: float, used: np.ndarray, during: np.ndarray
) -> dict[str, Any]:
    """What marker mode found, for the angle table's provenance and the report."""
    share = float(used[during].mean()) if during.any() else 0.0
    return {
        "found": True,
        "names": list(names),
        "hue_deg": round(hue_deg, 1),
        "frames_with_stickers": int(used.sum()),
        "share_of_movement": round(share, 3),
        "used": share >= MIN_STICKER_SHARE,
    }


def apply_stickers(
    angles: pd.DataFrame,
    table: pd.DataFrame,
    stickers: pd.DataFrame,
    names: tuple[str, ...],
    hue_deg: float,
    settings: AngleSettings,
) -> pd.DataFrame:
    """The angle table with pelvis, trunk, lumbar and hip measured at the stickers where they
    are seen (``pelvis_source`` = ``"stickers"``), the markerless split elsewhere
    (``"outline"``) and kept beside them (``<name>_markerless_deg``).

    Parameters
    ----------
    angles
        The markerless angle table (:func:`~lumbopelvic.kinematics.angles.compute_angles`).
    table
        The landmark table it was computed from (main person track).
    stickers
        Sticker positions and confidences per frame (:mod:`lumbopelvic.pose.stickers`),
        aligned with ``table``.
    names, hue_deg
        The stickers found, bottom to top, and their hue.
    settings
        The angle settings (cleaning).

    Returns
    -------
    pandas.DataFrame
        A new table; its provenance gains a ``stickers`` entry. When the stickers are seen in
        less than :data:`MIN_STICKER_SHARE` of the movement, the markerless split is kept
        everywhere and the entry says so.
    """
    meta = table_metadata(angles)
    facing = 1 if meta.get("facing", "right") == "right" else -1
    standing = angles["standing"].to_numpy(bool)
    base = slice(int(np.argmax(standing)), int(len(standing) - np.argmax(standing[::-1])))
    times = angles["time_s"].to_numpy(float)
    split = sticker_split(sticker_inclinations(table, stickers, facing, names), base)
    cleaned = {k: clean(v, times, settings) for k, v in split.items()}
    confidence = sticker_confidence(stickers, names)
    used = np.isfinite(cleaned["pelvis"]) & np.isfinite(cleaned["trunk"])
    used &= confidence >= MIN_STICKER_CONFIDENCE
    moving = np.abs(np.nan_to_num(angles["trunk_deg"].to_numpy(float))) >= 10.0
    info = summary_of_stickers(names, hue_deg, used, moving if moving.any() else ~moving)
    out = angles.copy()
    for name in ("pelvis", "trunk", "lumbar", "hip"):
        out[f"{name}_markerless_deg"] = angles[f"{name}_deg"]
    out["pelvis_source"] = "outline"
    if info["used"]:
        thigh = angles["pelvis_deg"] - angles["hip_deg"]
        out.loc[used, "pelvis_deg"] = cleaned["pelvis"][used]
        out.loc[used, "trunk_deg"] = cleaned["trunk"][used]
        out.loc[used, "lumbar_deg"] = cleaned["lumbar"][used]
        out.loc[used, "hip_deg"] = (out["pelvis_deg"] - thigh)[used]
        out.loc[used, "pelvis_source"] = "stickers"
        sticker_conf = confidence * angles["landmark_factor"].to_numpy(float)
        out.loc[used, "confidence"] = np.round(sticker_conf[used], 3)
        out["low_confidence"] = out["confidence"] < LOW_CONFIDENCE
    for part in ("lumbar_upper", "lumbar_lower"):
        if part in cleaned and info["used"]:
            out[f"{part}_deg"] = np.where(used, cleaned[part], np.nan)
    info["note"] = (
        "pelvis, trunk at L1 and lumbar read from the back outline's inclination at the S2 "
        "and L1 stickers where they are seen; the markerless split elsewhere and in the "
        "*_markerless_deg columns"
        if info["used"]
        else "stickers seen in too little of the movement: the markerless split is kept"
    )
    log_step(meta, "stickers", **{k: v for k, v in info.items() if k != "note"})
    quality = meta.setdefault("quality", {})
    if info["used"]:
        quality["pelvis_lumbar_source"] = (
            f"skin stickers {', '.join(n.upper() for n in names)} "
            f"({100 * info['share_of_movement']:.0f} % of the movement)"
        )
    else:
        quality["advice"] = [*quality.get("advice", []), info["note"]]
    return set_metadata(out, {**meta, "stickers": info})
