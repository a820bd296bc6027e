"""Raw (uncleaned) per-frame kinematics: facing, standing baseline, angles and their inputs.

Shared by :func:`lumbopelvic.kinematics.angles.compute_angles` and by the training of the
split network (``bench/train_split_model.py``), so both read the same inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.outline_codec import decode_outline
from lumbopelvic.kinematics.back_outline import PROFILE_LEVELS, back_profiles
from lumbopelvic.kinematics.sagittal import (
    facing_direction,
    inclination_deg,
    midpoint,
    points,
    visibility,
)
from lumbopelvic.kinematics.settings import AngleSettings
from lumbopelvic.kinematics.split_estimators import NetworkSplit, SplitEstimate, SplitEstimator
from lumbopelvic.kinematics.split_model import SplitInputs, change_from_standing
from lumbopelvic.kinematics.standing import MIN_STANDING_S, Standing, find_standing

# Shortest recording that can hold a standing baseline and some movement: a few frames over
# at least a second of real time.
MIN_FRAMES = 5
MIN_DURATION_S = max(1.0, 2 * MIN_STANDING_S)


@dataclass
class RawKinematics:
    """Per-frame raw quantities, before cleaning (used by the angles and by model fitting).

    ``inputs`` are what every split estimator reads; ``estimate`` is the chosen estimator's
    split of them (:mod:`lumbopelvic.kinematics.split_estimators`)."""

    times_s: np.ndarray
    facing: int
    facing_agreement: float
    standing: Standing
    trunk_abs_deg: np.ndarray
    raw: dict[str, np.ndarray]
    inputs: SplitInputs
    estimate: SplitEstimate
    coverage: np.ndarray
    landmark_visibility: np.ndarray
    leg_split_deg: np.ndarray


def _gated(table: pd.DataFrame, name: str, min_visibility: float) -> np.ndarray:
    xy = points(table, name)
    xy[visibility(table, name) < min_visibility] = np.nan
    return xy


def _pair_mean(table: pd.DataFrame, pair: str, min_visibility: float) -> np.ndarray:
    """Mean of the left and right landmark where both are seen, else the one that is."""
    both = np.stack([_gated(table, f"{side}_{pair}", min_visibility) for side in ("left", "right")])
    count = np.sum(~np.isnan(both), axis=0)
    total = np.nansum(both, axis=0)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _inclinations(
    table: pd.DataFrame, settings: AngleSettings, facing: int, stretch: float = 1.0
) -> dict[str, np.ndarray]:
    """Absolute inclinations (degrees) of the trunk line, thigh and shank, and the points and
    visibility they rest on; ``stretch`` deprojects an oblique view
    (:func:`~lumbopelvic.kinematics.sagittal.deprojection_stretch`)."""
    vis = settings.min_visibility
    hip = midpoint(table, "hip")
    shoulder = midpoint(table, "shoulder")
    key_vis = np.min(
        [visibility(table, f"{s}_{p}") for s in ("left", "right") for p in ("hip", "shoulder")],
        axis=0,
    )
    seen = key_vis >= vis
    hip[~seen], shoulder[~seen] = np.nan, np.nan
    knee, ankle = _pair_mean(table, "knee", vis), _pair_mean(table, "ankle", vis)
    return {
        "hip": hip,
        "shoulder": shoulder,
        "visibility": key_vis,
        "trunk": inclination_deg(hip, shoulder, facing, stretch),
        "thigh": inclination_deg(knee, hip, facing, stretch),
        "shank": inclination_deg(ankle, knee, facing, stretch),
    }


def deprojected_line_and_knee(
    table: pd.DataFrame, settings: AngleSettings, facing: int, standing: Standing, stretch: float
) -> dict[str, np.ndarray]:
    """The hip-to-shoulder line and knee flexion (changes from ``standing``, degrees) of an
    oblique view, deprojected by ``stretch``. Only these are read deprojected: the split
    model was trained on the image as it is."""
    seg = _inclinations(table, settings, facing, stretch)
    base = slice(standing.start, standing.stop)
    return {
        "hip_shoulder": change_from_standing(seg["trunk"], base),
        "knee": change_from_standing(seg["shank"] - seg["thigh"], base),
    }


def raw_kinematics(
    table: pd.DataFrame, settings: AngleSettings, estimator: SplitEstimator | None = None
) -> RawKinematics:
    """Facing, standing baseline and raw (uncleaned) angles of every frame, the pelvis/lumbar
    split by ``estimator`` (the packaged network when None).

    Raises
    ------
    LumbopelvicError
        If no frame has a person, or the recording is too short to hold a movement.
    """
    person = (table["n_people"] > 0).to_numpy()
    if not person.any():
        raise LumbopelvicError("no person in any frame: nothing to measure")
    times = table["time_s"].to_numpy(float) / settings.slow_motion
    span = float(times[person][-1] - times[person][0])
    if person.sum() < MIN_FRAMES or span < MIN_DURATION_S:
        frames = int(person.sum())
        raise LumbopelvicError(
            f"the recording is too short to measure a movement ({frames} "
            f"frame{'s' if frames != 1 else ''} with a person over {span:.2f} s); "
            f"record at least {MIN_DURATION_S:.0f} s"
        )
    facing, agreement = facing_direction(table)
    seg = _inclinations(table, settings, facing)
    hip, shoulder, key_vis = seg["hip"], seg["shoulder"], seg["visibility"]
    trunk_abs, thigh_abs, shank_abs = seg["trunk"], seg["thigh"], seg["shank"]
    # MediaPipe's guess for the hidden far leg is used here on purpose: in a side view that
    # leg is usually occluded, and its predicted position still shows a stride.
    thighs = [
        inclination_deg(points(table, f"{s}_knee"), points(table, f"{s}_hip"), facing)
        for s in ("left", "right")
    ]
    leg_split = np.abs(thighs[0] - thighs[1])
    try:
        standing = find_standing(times, trunk_abs, shank_abs - thigh_abs)
    except ValueError:
        raise LumbopelvicError("hips and shoulders are never clearly visible") from None
    base = slice(standing.start, standing.stop)

    def change(series: np.ndarray) -> np.ndarray:
        return change_from_standing(series, base)

    line = change(trunk_abs)
    thigh = change(thigh_abs)
    knee_flexion = change(shank_abs - thigh_abs)
    outlines = [decode_outline(text) for text in table["silhouette_px"]]
    profiles = back_profiles(outlines, hip, shoulder, facing, PROFILE_LEVELS)
    inputs = SplitInputs(times, line, profiles, thigh, change(shank_abs), knee_flexion, base)
    estimate = (estimator or NetworkSplit()).estimate(inputs)
    # Where the back's outline is not seen, the trunk falls back to the hip-to-shoulder line
    # (it cannot be split from the upper back there) and the pelvis stays unknown.
    trunk = np.where(np.isfinite(estimate.trunk_deg), estimate.trunk_deg, line)
    pelvis = estimate.pelvis_deg
    raw = {
        "trunk": trunk,
        "pelvis": pelvis,
        "lumbar": trunk - pelvis,
        "hip": pelvis - thigh,
        "knee": knee_flexion,
        "hip_shoulder": line,
        "thoracic": line - trunk,
    }
    return RawKinematics(
        times_s=times,
        facing=facing,
        facing_agreement=agreement,
        standing=standing,
        trunk_abs_deg=trunk_abs,
        raw=raw,
        inputs=inputs,
        estimate=estimate,
        coverage=1.0 - np.isnan(profiles).mean(axis=1),
        landmark_visibility=key_vis,
        leg_split_deg=leg_split,
    )
