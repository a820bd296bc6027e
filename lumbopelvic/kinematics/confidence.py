"""Per-frame confidence of the angles, from what the software can see and what a body can do.

The pelvis/lumbar split's confidence (0-1, per frame) is the product of:

- **landmarks**: how well MediaPipe sees hips and shoulders (visibility 0.3 -> 0, 0.9 -> 1);
- **outline**: how much of the back's outline was found (coverage 0.5 -> 0, 1 -> 1);
- **view**: the camera's angle off the side view (:func:`.view_quality.view_factor`);
- **stance**: legs together under the body, not striding (:func:`stance_factor`);
- **familiarity**: how close the split model's input features lie to those it was trained
  on (:func:`familiarity_factor`); an unfamiliar posture, prop or garment scores low;
- **agreement**: how closely the split model's networks, trained on different clips, agree
  on the frame (:func:`agreement_factor`); where they part, neither is to be trusted;
- **plausibility**: pelvis and lumbar angles inside what a body can do, moving no faster
  than a body moves (:func:`plausibility_factor`).

The trunk's confidence is landmark visibility times :func:`trunk_view_factor`: the 2D
trunk inclination shrinks as the camera turns away from the side view. Each factor is
reported in ``angles.csv`` (``<factor>_factor``) so a low confidence can be explained.
How confidence maps to error is measured in ``bench/ACCURACY.md`` (reliability table).
"""

from __future__ import annotations

from typing import Any

import numpy as np

# The factors, in the order they are computed, with a few words for each when it fails.
FACTOR_LABELS = {
    "landmark": "body poorly seen",
    "outline": "back outline hidden",
    "view": "camera off the side view",
    "stance": "legs apart",
    "familiarity": "unfamiliar posture or clothing",
    "agreement": "split estimates disagree",
    "plausibility": "implausible reading",
}
FACTOR_NAMES = tuple(FACTOR_LABELS)
# Pelvis relative to standing: sitting slumped reaches about -30 deg, the deepest bends 90.
PELVIS_RANGE_DEG = (-45.0, 110.0)
# Lumbar flexion relative to standing: extension to about -30, full flexion about 60-70.
LUMBAR_RANGE_DEG = (-40.0, 80.0)
# A pose fit is implausible when the hip-to-shoulder line or the knee (changes from standing)
# leave what a body does: upside down, or a knee bent backward. Such frames are mis-fits of
# the pose model (a person entering the frame, a passer-by) and are dropped.
HIP_SHOULDER_RANGE_DEG = (-50.0, 160.0)
KNEE_RANGE_DEG = (-25.0, 170.0)
# Fast forward bends reach 150-250 deg/s at the trunk; a segment turning faster than this is a
# misreading, not a movement.
MAX_SEGMENT_SPEED_DEG_S = 400.0
# Agreement factor: 1 while the ensemble's networks agree within this many degrees, 0 from the
# next. Chosen on held-out renders with each world (bend, hinge, lift, squat, sit-to-stand) left
# out in turn (bench/ACCURACY.md, "Shipped: the agreement factor").
AGREEMENT_FULL_DEG, AGREEMENT_ZERO_DEG = 5.0, 15.0
# Stance factor: 1 up to this angle between the thighs, 0 from the next.
STRIDE_FULL_DEG, STRIDE_ZERO_DEG = 10.0, 25.0
# The 2D trunk is trusted fully up to this view angle and not at all beyond the next.
TRUNK_GOOD_YAW_DEG, TRUNK_MAX_YAW_DEG = 30.0, 60.0


def ramp_down(values: np.ndarray, full: float, zero: float) -> np.ndarray:
    """1 at or below ``full``, 0 at or above ``zero``, linear between (NaN counts as 1)."""
    factor = np.clip((zero - np.asarray(values, float)) / (zero - full), 0.0, 1.0)
    return np.where(np.isnan(values), 1.0, factor)


def landmark_factor(visibility: np.ndarray) -> np.ndarray:
    """0 below a MediaPipe visibility of 0.3, 1 from 0.9."""
    return np.clip((np.nan_to_num(visibility, nan=0.0) - 0.3) / 0.6, 0.0, 1.0)


def outline_factor(coverage: np.ndarray) -> np.ndarray:
    """0 with half the back's outline missing or more, 1 with all of it found."""
    return np.clip((np.nan_to_num(coverage, nan=0.0) - 0.5) / 0.5, 0.0, 1.0)


def stance_factor(leg_split_deg: np.ndarray) -> np.ndarray:
    """Legs standing together under the body (1) vs striding (0).

    The outline below the waist is read as the back of the pelvis; with the legs apart (a
    stride, a lunge) the buttocks and thighs change shape and the reading is unsupported.
    1 up to 10 degrees between the thighs, 0 from 25 degrees; unknown counts as 1, since the
    other factors already cover frames without landmarks.
    """
    return ramp_down(leg_split_deg, STRIDE_FULL_DEG, STRIDE_ZERO_DEG)


def familiarity_factor(novelty: np.ndarray, quantiles: dict[str, Any] | None) -> np.ndarray:
    """1 for features as typical as 95 % of the training frames, 0 at twice the novelty of the
    training frames' 99th percentile (see :meth:`.split_model.SplitModel.novelty`).

    A model without recorded training quantiles gives 1 (nothing to compare with)."""
    if not quantiles or "p95" not in quantiles or "p99" not in quantiles:
        return np.ones(len(novelty))
    return ramp_down(novelty, float(quantiles["p95"]), 2.0 * float(quantiles["p99"]))


def agreement_factor(spread_deg: np.ndarray) -> np.ndarray:
    """1 while independently trained estimates of the split agree within 5 degrees, 0 where
    they differ by 15 or more (``spread_deg``: the largest difference per frame, degrees;
    unknown counts as 1, a single estimate has nothing to disagree with)."""
    return ramp_down(spread_deg, AGREEMENT_FULL_DEG, AGREEMENT_ZERO_DEG)


def plausibility_factor(
    pelvis_deg: np.ndarray, lumbar_deg: np.ndarray, times_s: np.ndarray
) -> np.ndarray:
    """0 where pelvis or lumbar lie outside what a body can do (:data:`PELVIS_RANGE_DEG`,
    :data:`LUMBAR_RANGE_DEG`) or turn faster than :data:`MAX_SEGMENT_SPEED_DEG_S`, else 1.
    Unknown values count as plausible (they are reported as missing, not as wrong)."""
    ok = np.ones(len(times_s), dtype=bool)
    for values, (lo, hi) in ((pelvis_deg, PELVIS_RANGE_DEG), (lumbar_deg, LUMBAR_RANGE_DEG)):
        v = np.asarray(values, float)
        ok &= ~((v < lo) | (v > hi))
        if len(v) > 1:
            # A frame is as fast as the faster of its steps in and out.
            step = np.abs(np.diff(v)) / np.maximum(np.diff(np.asarray(times_s, float)), 1e-6)
            speed = np.fmax(np.r_[np.nan, step], np.r_[step, np.nan])
            ok &= ~(speed > MAX_SEGMENT_SPEED_DEG_S)
    return ok.astype(float)


def pose_plausible(hip_shoulder_deg: np.ndarray, knee_deg: np.ndarray) -> np.ndarray:
    """False where the raw hip-to-shoulder line or knee leave :data:`HIP_SHOULDER_RANGE_DEG`
    or :data:`KNEE_RANGE_DEG` (unknown values count as plausible)."""
    ok = np.ones(len(hip_shoulder_deg), dtype=bool)
    limits = ((hip_shoulder_deg, HIP_SHOULDER_RANGE_DEG), (knee_deg, KNEE_RANGE_DEG))
    for values, (lo, hi) in limits:
        # Judged modulo a turn: a whole-turn offset is an unwrapping slip, not a pose.
        v = (np.asarray(values, float) + 180.0) % 360.0 - 180.0
        ok &= ~((v < lo) | (v > hi))
    return ok


def trunk_view_factor(yaw_deg: float) -> float:
    """1 up to 30 degrees off the side view, 0 from 60 (NaN: unknown view, 1)."""
    if not np.isfinite(yaw_deg):
        return 1.0
    return float(ramp_down(np.array([yaw_deg]), TRUNK_GOOD_YAW_DEG, TRUNK_MAX_YAW_DEG)[0])


def weakest_factor(factors: dict[str, float]) -> str | None:
    """The name of the lowest factor of one frame (``{name: value}``), None if none is known."""
    known = {k: v for k, v in factors.items() if k in FACTOR_LABELS and np.isfinite(v)}
    return min(known, key=lambda k: known[k]) if known else None
