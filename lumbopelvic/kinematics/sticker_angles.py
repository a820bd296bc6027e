"""Pelvis and lumbar angles measured at three skin stickers (marker mode).

Stickers over S2, L3 and T12/L1 on the back mark three points of the lumbar curve. Taking
that curve as a circular arc between S2 and L1 (the skin's curvature spread evenly over the
lumbar spine), the tangent at S2 follows the pelvis, the tangent at L1 is the trunk at L1,
and the two chords S2-L3 and L3-L1 point along the mean tangent of their halves:

    chord S2-L3 = pelvis + lumbar / 4,    chord L3-L1 = pelvis + 3 lumbar / 4,

so, from the chords' inclinations ``c1`` and ``c2`` (degrees, changes from standing,
flexion positive):

    pelvis = (3 c1 - c2) / 2,    trunk at L1 = (3 c2 - c1) / 2,    lumbar = 2 (c2 - c1).

Lower (S2 to L3) and upper (L3 to L1) lumbar flexion are read as ``lumbar / 2`` each under the
same model only, so they are not reported separately. On the held-out renders with exact
sticker positions the model itself errs by about 1-3 degrees (``bench/ACCURACY.md``); what a
camera adds is the error of finding the stickers.

All angles are changes from quiet standing, as everywhere in the package. The stickers'
split is a :class:`~lumbopelvic.kinematics.split_estimators.SplitEstimate` like any
estimator's (:func:`sticker_estimate`), laid over the markerless one where the stickers are
seen (:func:`apply_stickers`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lumbopelvic.core.provenance import log_step, set_metadata, table_metadata
from lumbopelvic.kinematics.angles import clean
from lumbopelvic.kinematics.sagittal import inclination_deg
from lumbopelvic.kinematics.settings import LOW_CONFIDENCE, AngleSettings
from lumbopelvic.kinematics.split_estimators import SplitEstimate
from lumbopelvic.kinematics.split_model import change_from_standing
from lumbopelvic.kinematics.view_quality import YAW_ADVICE_START

NEEDED = ("s2", "l3", "l1")
# A sticker position below this confidence is not used.
MIN_STICKER_CONFIDENCE = 0.3
# Frames with stickers below this share of the movement: the markerless split is kept.
MIN_STICKER_SHARE = 0.3


def sticker_split(stickers: pd.DataFrame, facing: int, standing: slice) -> dict[str, np.ndarray]:
    """Pelvis, trunk at L1 and lumbar flexion (degrees, changes from ``standing``) from the
    three stickers' pixel positions (``<name>_x_px``, ``<name>_y_px``; see the module
    docstring). NaN where a sticker is missing or below :data:`MIN_STICKER_CONFIDENCE`."""
    xy = {}
    for name in NEEDED:
        points = stickers[[f"{name}_x_px", f"{name}_y_px"]].to_numpy(float, copy=True)
        points[stickers[f"{name}_confidence"].to_numpy(float) < MIN_STICKER_CONFIDENCE] = np.nan
        xy[name] = points
    lower = change_from_standing(inclination_deg(xy["s2"], xy["l3"], facing), standing)
    upper = change_from_standing(inclination_deg(xy["l3"], xy["l1"], facing), standing)
    pelvis = (3.0 * lower - upper) / 2.0
    trunk = (3.0 * upper - lower) / 2.0
    return {"pelvis": pelvis, "trunk": trunk, "lumbar": trunk - pelvis}


def sticker_confidence(stickers: pd.DataFrame, names: tuple[str, ...]) -> np.ndarray:
    """Per frame, the least confident of the three stickers."""
    return np.min([stickers[f"{n}_confidence"].to_numpy(float) for n in names], axis=0)


def sticker_estimate(
    stickers: pd.DataFrame, names: tuple[str, ...], hue_deg: float, facing: int, standing: slice
) -> SplitEstimate:
    """The stickers' split of every frame (:func:`sticker_split`) as an estimate: its factor
    ``stickers`` is the least confident sticker's confidence, its provenance the stickers
    used and their hue."""
    split = sticker_split(stickers, facing, standing)
    return SplitEstimate(
        split["pelvis"],
        split["trunk"],
        {"stickers": sticker_confidence(stickers, names)},
        {"method": "stickers", "names": list(names), "hue_deg": round(hue_deg, 1)},
    )


def bridged(
    measured: np.ndarray, markerless: pd.Series, used: np.ndarray, times: np.ndarray
) -> np.ndarray:
    """``measured`` where ``used``; elsewhere the markerless value shifted by the
    sticker-minus-markerless offset interpolated in time from the nearest measured frames.

    Stickers turn out of view near the bottom of a deep bend; the markerless split is off by
    a slowly changing amount, so its offset at the edges of a gap carries the measured curve
    through it without a jump (degrees; NaN where the markerless value is NaN).
    """
    fallback = markerless.to_numpy(float)
    offset = measured - fallback
    known = used & np.isfinite(offset)
    out = np.where(used, measured, np.nan)
    if known.any():
        shift = np.interp(times, times[known], offset[known])
        out = np.where(used, measured, fallback + shift)
    return out


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
    angles: pd.DataFrame, estimate: SplitEstimate, settings: AngleSettings
) -> pd.DataFrame:
    """The angle table with pelvis, trunk, lumbar and hip measured at the stickers where they
    are seen (``pelvis_source`` = ``"stickers"``), the markerless split elsewhere
    (``"outline"``, shifted to meet the sticker values at the gap's edges: :func:`bridged`)
    and kept unchanged beside them (``<name>_markerless_deg``).

    Parameters
    ----------
    angles
        The markerless angle table (:func:`~lumbopelvic.kinematics.angles.compute_angles`).
    estimate
        The stickers' split (:func:`sticker_estimate`), aligned with ``angles``.
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
    times = angles["time_s"].to_numpy(float)
    split = {
        "pelvis": estimate.pelvis_deg,
        "trunk": estimate.trunk_deg,
        "lumbar": estimate.trunk_deg - estimate.pelvis_deg,
    }
    cleaned = {k: clean(v, times, settings) for k, v in split.items()}
    confidence = estimate.factors["stickers"]
    names = tuple(estimate.provenance["names"])
    used = np.isfinite(cleaned["pelvis"]) & np.isfinite(cleaned["trunk"])
    used &= confidence >= MIN_STICKER_CONFIDENCE
    moving = np.abs(np.nan_to_num(angles["trunk_deg"].to_numpy(float))) >= 10.0
    during = moving if moving.any() else ~moving
    info = summary_of_stickers(names, estimate.provenance["hue_deg"], used, during)
    out = angles.copy()
    for name in ("pelvis", "trunk", "lumbar", "hip"):
        out[f"{name}_markerless_deg"] = angles[f"{name}_deg"]
    out["pelvis_source"] = "outline"
    if info["used"]:
        thigh = angles["pelvis_deg"] - angles["hip_deg"]
        for name in ("pelvis", "trunk", "lumbar"):
            out[f"{name}_deg"] = bridged(cleaned[name], angles[f"{name}_deg"], used, times)
        out["hip_deg"] = out["pelvis_deg"] - thigh
        out.loc[used, "pelvis_source"] = "stickers"
        sticker_conf = confidence * angles["landmark_factor"].to_numpy(float)
        out.loc[used, "confidence"] = np.round(sticker_conf[used], 3)
        out["low_confidence"] = out["confidence"] < LOW_CONFIDENCE
    info["note"] = (
        "pelvis, trunk at L1 and lumbar read from the arc through the S2, L3 and L1 stickers "
        "where all three are seen; elsewhere the markerless split, shifted to meet them; the "
        "markerless split unchanged in the *_markerless_deg columns"
        if info["used"]
        else "stickers seen in too little of the movement: the markerless split is kept"
    )
    log_step(meta, "stickers", **{k: v for k, v in info.items() if k != "note"})
    quality = meta.setdefault("quality", {})
    if info["used"]:  # filmed from behind the side view on purpose: no advice to turn it
        quality["advice"] = [
            a for a in quality.get("advice", []) if not a.startswith(YAW_ADVICE_START)
        ]
        quality["pelvis_lumbar_source"] = (
            f"skin stickers {', '.join(n.upper() for n in names)} "
            f"({100 * info['share_of_movement']:.0f} % of the movement)"
        )
    else:
        quality["advice"] = [*quality.get("advice", []), info["note"]]
    return set_metadata(out, {**meta, "stickers": info})


def sticker_vs_markerless(angles: pd.DataFrame) -> pd.DataFrame:
    """Per angle (pelvis, lumbar, trunk), its peak with the stickers and with the markerless
    split and their root-mean-square difference over the frames the stickers measured
    (degrees); empty when the stickers measured nothing."""
    if "pelvis_source" not in angles or not (angles["pelvis_source"] == "stickers").any():
        return pd.DataFrame(columns=["angle", "stickers peak", "markerless peak", "RMS gap"])
    used = (angles["pelvis_source"] == "stickers").to_numpy()
    rows = []
    for name in ("pelvis", "lumbar", "trunk"):
        with_stickers = angles[f"{name}_deg"].to_numpy(float)[used]
        markerless = angles[f"{name}_markerless_deg"].to_numpy(float)[used]
        both = np.isfinite(with_stickers) & np.isfinite(markerless)
        difference = (with_stickers - markerless)[both]
        gap = float(np.sqrt(np.mean(difference**2))) if both.any() else np.nan
        rows.append(
            {
                "angle": name,
                "stickers peak": np.nanmax(with_stickers),
                "markerless peak": np.nanmax(markerless)
                if np.isfinite(markerless).any()
                else np.nan,
                "RMS gap": gap,
            }
        )
    return pd.DataFrame(rows).round(1)
