"""How good the recording is for a sagittal analysis: view angle, roll, framing, visibility.

A true side view (camera perpendicular to the sagittal plane, level, whole body in frame)
matters more than the model. These measures are estimated from the landmarks themselves and
reported in degrees so a practitioner knows how to film better.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from lumbopelvic.kinematics.sagittal import midpoint, points, visibility
from lumbopelvic.kinematics.standing import Standing

# Off the perfect side view by up to this yaw, the split is trusted fully; it fades to zero
# confidence at MAX_YAW_DEG, beyond which pelvis and lumbar are left empty.
GOOD_YAW_DEG = 20.0
MAX_YAW_DEG = 40.0
ROLL_WARN_DEG = 5.0
# Left-right spacing of shoulders and of hip joints, in hip-to-shoulder lengths, seen square on.
APPARENT_WIDTH_PER_SIN_YAW = 0.69
FRAMING_KEYPOINTS = tuple(
    f"{side}_{part}" for side in ("left", "right") for part in ("shoulder", "hip", "knee", "ankle")
)


# How the view-angle advice starts (marker mode, filmed from behind on purpose, drops it).
YAW_ADVICE_START = "the camera is about"


@dataclass(frozen=True)
class ViewQuality:
    """Trial-level capture quality.

    Attributes
    ----------
    yaw_deg
        Estimated angle between the camera's line of sight and the perpendicular to the
        person's sagittal plane (0 = true side view, 90 = facing the camera), from the
        apparent left-right spacing of shoulders and hips while standing
        (:func:`estimate_yaw_deg`). It reads low when the camera sees the person's back
        (see bench/ACCURACY.md).
    roll_deg
        Tilt of the ankle-to-shoulder line from image vertical during standing, degrees
        (a tilted camera, or a person leaning); positive clockwise in the image.
    in_frame_fraction
        Fraction of frames with a person in which shoulders, hips, knees and ankles are all
        inside the image.
    median_visibility
        Median MediaPipe visibility of hips and shoulders over frames with a person.
    split_supported
        False when the view is too far from a side view for a pelvis/lumbar split.
    world_yaw_deg
        The view angle from MediaPipe's 3D world landmarks (:func:`estimate_world_yaw_deg`):
        rougher near the side view, but it tells a front or back view (85-90) where the
        image-based estimate saturates near 55.
    advice
        Plain-language suggestions for filming better (empty when nothing to improve).
    """

    yaw_deg: float
    roll_deg: float
    in_frame_fraction: float
    median_visibility: float
    split_supported: bool
    advice: list[str] = field(default_factory=list)
    world_yaw_deg: float = float("nan")

    def to_dict(self) -> dict[str, object]:
        return {k: (round(v, 2) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def view_factor(yaw_deg: float) -> float:
    """Confidence factor for a view ``yaw_deg`` off the side view: 1 up to 20°, 0 at 40°."""
    if np.isnan(yaw_deg):
        return 0.5
    return float(np.clip((MAX_YAW_DEG - yaw_deg) / (MAX_YAW_DEG - GOOD_YAW_DEG), 0.0, 1.0))


def estimate_yaw_deg(table: pd.DataFrame, frames: slice | np.ndarray) -> float:
    """View angle off the side view from how far apart left and right appear in the image.

    In a true side view the two shoulders (and the two hips) line up along the line of
    sight; turning the camera by ``yaw`` separates them in the image by about
    ``sin(yaw) x`` their true spacing. Spacing is expressed in hip-to-shoulder lengths
    (:data:`APPARENT_WIDTH_PER_SIN_YAW`, read off rendered bodies of varied build), and the
    median over ``frames`` (a slice or a boolean mask; upright frames) is taken.

    Returns
    -------
    float
        Degrees in [0, 90]; NaN when shoulders or hips are not seen while standing.
    """
    rows = table.iloc[frames]
    torso = np.hypot(*(midpoint(rows, "shoulder") - midpoint(rows, "hip")).T)
    spread = [
        np.abs(points(rows, f"left_{part}")[:, 0] - points(rows, f"right_{part}")[:, 0]) / torso
        for part in ("shoulder", "hip")
    ]
    ratio = np.stack(spread).mean(axis=0) / APPARENT_WIDTH_PER_SIN_YAW
    valid = ratio[~np.isnan(ratio)]
    if not len(valid):
        return float("nan")
    return float(np.degrees(np.arcsin(np.clip(np.median(valid), 0.0, 1.0))))


def estimate_world_yaw_deg(table: pd.DataFrame, frames: slice | np.ndarray) -> float:
    """View angle off the side view from the 3D world landmarks: the angle of the shoulder
    and hip lines between the camera's depth axis (a side view) and its image plane (a front
    or back view), median over ``frames``. NaN without world landmarks."""
    rows = table.iloc[frames]
    est = []
    for part in ("shoulder", "hip"):
        columns = [f"{side}_{part}_world_{axis}_m" for side in ("left", "right") for axis in "xz"]
        if not set(columns) <= set(rows.columns):
            return float("nan")
        dx = rows[columns[0]].to_numpy(float) - rows[columns[2]].to_numpy(float)
        dz = rows[columns[1]].to_numpy(float) - rows[columns[3]].to_numpy(float)
        est.append(np.degrees(np.arctan2(np.abs(dx), np.abs(dz))))
    both = np.stack(est)
    seen = np.isfinite(both)
    per_frame = np.where(seen, both, 0.0).sum(0) / np.maximum(seen.sum(0), 1)
    valid = per_frame[seen.any(axis=0)]
    return float(np.median(valid)) if len(valid) else float("nan")


# Segments whose image length, once deprojected, should stay constant through a movement.
LENGTH_SEGMENTS = (
    ("left_hip", "left_knee"),
    ("right_hip", "right_knee"),
    ("left_knee", "left_ankle"),
    ("right_knee", "right_ankle"),
)


def fit_view_from_lengths_deg(table: pd.DataFrame, max_deg: float = 75.0) -> float:
    """View angle off the side view at which the deprojected thigh, shank and trunk lengths
    vary least over the recording (degrees, whole-degree grid; NaN without landmarks).

    A segment moving in the sagittal plane, filmed ``yaw`` off the side view, shows an image
    length that changes with its inclination unless its forward component is stretched by
    exactly ``1 / cos(yaw)``. The more the segments turn (a squat, a deep bend), the sharper
    the fit; near the side view other length changes (noise, knees moving out) dominate, so
    this is only used for views already estimated oblique.
    """
    vectors = [points(table, b) - points(table, a) for a, b in LENGTH_SEGMENTS]
    vectors.append(midpoint(table, "shoulder") - midpoint(table, "hip"))
    if not any(np.isfinite(v).all(axis=1).any() for v in vectors):
        return float("nan")
    best, best_deg = np.inf, float("nan")
    for deg in range(int(max_deg) + 1):
        stretch = 1.0 / np.cos(np.radians(deg))
        spread = []
        for v in vectors:
            length = np.hypot(v[:, 0] * stretch, v[:, 1])
            length = length[np.isfinite(length)]
            if len(length) > 2:
                spread.append(np.std(length) / np.mean(length))
        if spread and float(np.mean(spread)) < best:
            best, best_deg = float(np.mean(spread)), float(deg)
    return best_deg


def assess_view(
    table: pd.DataFrame, standing: Standing, upright: np.ndarray, frame_size: tuple[int, int]
) -> ViewQuality:
    """Capture quality of a trial (see :class:`ViewQuality`).

    Parameters
    ----------
    table
        Landmark table.
    standing
        The standing baseline (roll is read there).
    upright
        Boolean mask of frames with the trunk near upright (the view angle is read there:
        more frames than the baseline alone, and meaningful for walking clips too).
    frame_size
        ``(width, height)`` of the upright frame, pixels.
    """
    base = slice(standing.start, standing.stop)
    yaw = estimate_yaw_deg(table, upright if upright.any() else base)
    ankles = (points(table, "left_ankle") + points(table, "right_ankle")) / 2
    shoulders = (points(table, "left_shoulder") + points(table, "right_shoulder")) / 2
    d = (shoulders - ankles)[base]
    with np.errstate(all="ignore"):
        roll = float(np.nanmedian(np.degrees(np.arctan2(d[:, 0], -d[:, 1]))))
    person = (table["n_people"] > 0).to_numpy()
    width, height = frame_size
    inside = np.ones(len(table), bool)
    for name in FRAMING_KEYPOINTS:
        xy = points(table, name)
        inside &= (xy[:, 0] >= 0) & (xy[:, 0] < width) & (xy[:, 1] >= 0) & (xy[:, 1] < height)
    in_frame = float(inside[person].mean()) if person.any() else 0.0
    vis = np.min(
        [visibility(table, f"{s}_{p}") for s in ("left", "right") for p in ("hip", "shoulder")],
        axis=0,
    )
    median_vis = float(np.median(vis[person])) if person.any() else 0.0
    supported = not (yaw > MAX_YAW_DEG)
    advice = []
    if yaw > GOOD_YAW_DEG or np.isnan(yaw):
        advice.append(
            f"{YAW_ADVICE_START} {yaw:.0f}° off a true side view: place it square to the "
            "person's side, level with the hips"
        )
    if abs(roll) > ROLL_WARN_DEG:
        advice.append(
            f"the standing body line is tilted {abs(roll):.0f}° in the image: level the camera "
            "(or the person was leaning)"
        )
    if in_frame < 0.95:
        advice.append("keep the whole body, head to feet, in the frame throughout the bend")
    if median_vis < 0.8:
        advice.append("hips and shoulders are often hard to see: use fitted clothing, good light")
    world_yaw = estimate_world_yaw_deg(table, upright if upright.any() else base)
    return ViewQuality(yaw, roll, in_frame, median_vis, supported, advice, world_yaw)
