"""Sagittal angles from a landmark table: trunk, pelvis, lumbar, hip and knee, with confidence.

Output conventions (``angles.csv``)
-----------------------------------
One row per video frame. All angles in degrees, sagittal plane, flexion positive, as changes
from the person's own quiet standing (see :mod:`lumbopelvic.standing`), continuous through
and beyond horizontal, facing direction decided once per trial:

- ``trunk_deg``: thorax inclination from vertical (the hip-to-shoulder line);
- ``pelvis_deg``: pelvic rotation, anterior positive (from the back's outline,
  :mod:`lumbopelvic.pelvis_estimate`);
- ``lumbar_deg``: lumbar flexion = ``trunk_deg - pelvis_deg``;
- ``hip_deg``: hip flexion = pelvis relative to the thigh (``pelvis_deg`` minus the thigh's
  inclination change);
- ``knee_deg``: knee flexion (shank relative to thigh);
- ``confidence``: 0-1 confidence of the pelvis/lumbar split in that frame (the product of
  landmark visibility, back-outline coverage, view-angle and stance factors, the last low
  when the legs are apart as in walking); ``low_confidence`` is
  true below 0.5. The trunk angle is reported whenever hips and shoulders are seen;
  ``trunk_confidence`` is their visibility.

Further columns: ``<angle>_raw_deg`` (before outlier rejection, gap filling and low-pass
filtering), ``standing`` (frame is part of the standing baseline), ``outline_coverage``.
The primary columns are the filtered ones.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from lumbopelvic import __version__
from lumbopelvic.back_outline import back_profiles
from lumbopelvic.errors import LumbopelvicError
from lumbopelvic.landmark_table import META_KEY, table_metadata
from lumbopelvic.pelvis_estimate import PROFILE_LEVELS, PelvisModel, features, load_pelvis_model
from lumbopelvic.sagittal import facing_direction, inclination_deg, midpoint, points, visibility
from lumbopelvic.signal_cleaning import hampel, interpolate_short_gaps, lowpass_zero_lag
from lumbopelvic.silhouette import decode_outline
from lumbopelvic.standing import Standing, find_standing
from lumbopelvic.subject import main_track, track_labels
from lumbopelvic.view_quality import ViewQuality, assess_view, view_factor

ANGLE_NAMES = ("trunk", "pelvis", "lumbar", "hip", "knee")
LOW_CONFIDENCE = 0.5
UPRIGHT_FOR_VIEW_DEG = 20.0  # the view angle is read on frames this close to standing


@dataclass(frozen=True)
class AngleSettings:
    """Settings of the angle computation (all recorded in the output's provenance).

    Attributes
    ----------
    min_visibility
        Landmarks seen with lower MediaPipe visibility are treated as missing.
    hampel_window_s, hampel_sigma, hampel_min_spread_deg
        Outlier rejection window half-width (s), threshold (robust SDs) and the floor on the
        robust SD (degrees) below which ordinary noise on a still stretch is not an outlier.
    max_gap_s
        Gaps up to this long (s, real time) are interpolated; longer ones stay empty.
    cutoff_hz
        Zero-lag Butterworth low-pass cut-off, Hz of real time.
    slow_motion
        Playback slow-down of the footage: 4 for a 120 fps clip exported to play at 30 fps.
        Container times are divided by it to get real time, so the filter's cut-off and every
        duration refer to the real movement.
    """

    min_visibility: float = 0.5
    hampel_window_s: float = 0.25
    hampel_sigma: float = 3.0
    hampel_min_spread_deg: float = 1.0
    max_gap_s: float = 0.25
    cutoff_hz: float = 6.0
    slow_motion: float = 1.0

    def __post_init__(self) -> None:
        if self.slow_motion <= 0:
            raise LumbopelvicError("slow_motion must be positive (1 for ordinary footage)")
        if self.cutoff_hz <= 0 or self.max_gap_s < 0:
            raise LumbopelvicError("cutoff_hz must be positive and max_gap_s not negative")


@dataclass
class RawKinematics:
    """Per-frame raw quantities, before cleaning (used by the angles and by model fitting)."""

    times_s: np.ndarray
    facing: int
    facing_agreement: float
    standing: Standing
    trunk_abs_deg: np.ndarray
    raw: dict[str, np.ndarray]
    features: np.ndarray
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


def keep_main_track(table: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """Blank every frame that is not on the longest continuous person track.

    Protects the angle series from mixing two people when the followed subject left the
    view and somebody else was picked up.
    """
    xs = table.filter(regex=r"_x_px$").to_numpy(float)
    ys = table.filter(regex=r"_y_px$").to_numpy(float)
    person = (table["n_people"] > 0).to_numpy()
    boxes = np.full((len(table), 4), np.nan)
    boxes[person] = np.column_stack(
        [np.nanmin(xs[person], 1), np.nanmin(ys[person], 1),
         np.nanmax(xs[person], 1), np.nanmax(ys[person], 1)]
    )  # fmt: skip
    labels = track_labels(boxes, table["time_s"].to_numpy(float))
    main = main_track(labels)
    other = (labels >= 0) & (labels != main)
    info = {"tracks": int(labels.max() + 1), "frames_of_other_tracks": int(other.sum())}
    if not other.any():
        return table, info
    kept = table.copy()
    value_columns = [c for c in kept.columns if c.endswith(LANDMARK_SUFFIXES)]
    kept.loc[other, value_columns] = np.nan
    kept.loc[other, "n_people"] = 0
    kept.loc[other, "silhouette_px"] = ""
    return kept, info


LANDMARK_SUFFIXES = ("_px", "_visibility", "_presence", "_m")


def raw_kinematics(
    table: pd.DataFrame, settings: AngleSettings, model: PelvisModel | None = None
) -> RawKinematics:
    """Facing, standing baseline and raw (uncleaned) angles of every frame."""
    if not (table["n_people"] > 0).any():
        raise LumbopelvicError("no person in any frame: nothing to measure")
    times = table["time_s"].to_numpy(float) / settings.slow_motion
    facing, agreement = facing_direction(table)
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

    trunk_abs = inclination_deg(hip, shoulder, facing)
    # MediaPipe's guess for the hidden far leg is used here on purpose: in a side view that
    # leg is usually occluded, and its predicted position still shows a stride.
    thighs = [
        inclination_deg(points(table, f"{s}_knee"), points(table, f"{s}_hip"), facing)
        for s in ("left", "right")
    ]
    leg_split = np.abs(thighs[0] - thighs[1])
    thigh_abs = inclination_deg(knee, hip, facing)
    shank_abs = inclination_deg(ankle, knee, facing)
    try:
        standing = find_standing(times, trunk_abs)
    except ValueError:
        raise LumbopelvicError("hips and shoulders are never clearly visible") from None
    base = slice(standing.start, standing.stop)

    def change(series: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return series - np.nanmedian(series[base])

    trunk = change(trunk_abs)
    thigh = change(thigh_abs)
    knee_flexion = change(shank_abs - thigh_abs)
    outlines = [decode_outline(text) for text in table["silhouette_px"]]
    profiles = back_profiles(outlines, hip, shoulder, facing, PROFILE_LEVELS)
    x = features(profiles, trunk, base)
    pelvis = (model or load_pelvis_model()).predict(x)
    raw = {
        "trunk": trunk,
        "pelvis": pelvis,
        "lumbar": trunk - pelvis,
        "hip": pelvis - thigh,
        "knee": knee_flexion,
    }
    return RawKinematics(
        times_s=times,
        facing=facing,
        facing_agreement=agreement,
        standing=standing,
        trunk_abs_deg=trunk_abs,
        raw=raw,
        features=x,
        coverage=1.0 - np.isnan(profiles).mean(axis=1),
        landmark_visibility=key_vis,
        leg_split_deg=leg_split,
    )


def stance_factor(leg_split_deg: np.ndarray) -> np.ndarray:
    """Confidence factor for the legs standing together under the body (1) vs striding (0).

    The outline below the waist is read as the back of the pelvis; with the legs apart (a
    stride, a lunge) the buttocks and thighs change shape and the reading is unsupported.
    1 up to 10 degrees between the thighs, 0 from 25 degrees; unknown (NaN) counts as 1, since
    the other factors already cover frames without landmarks.
    """
    factor = np.clip((STRIDE_ZERO_DEG - leg_split_deg) / (STRIDE_ZERO_DEG - STRIDE_FULL_DEG), 0, 1)
    return np.where(np.isnan(leg_split_deg), 1.0, factor)


STRIDE_FULL_DEG, STRIDE_ZERO_DEG = 10.0, 25.0


def clean(values: np.ndarray, times_s: np.ndarray, settings: AngleSettings) -> np.ndarray:
    """Outlier rejection, short-gap interpolation and zero-lag low-pass, in that order."""
    values = hampel(
        values,
        times_s,
        settings.hampel_window_s,
        settings.hampel_sigma,
        settings.hampel_min_spread_deg,
    )
    values = interpolate_short_gaps(values, times_s, settings.max_gap_s)
    return lowpass_zero_lag(values, times_s, settings.cutoff_hz)


def compute_angles(
    table: pd.DataFrame,
    settings: AngleSettings | None = None,
    model: PelvisModel | None = None,
) -> pd.DataFrame:
    """The angle table (see the module docstring) with provenance in ``attrs``.

    Parameters
    ----------
    table
        Landmark table from :func:`lumbopelvic.pose.extract_pose`.
    settings
        Cleaning and timing settings.
    model
        Pelvis model; the packaged one by default.

    Raises
    ------
    LumbopelvicError
        If no frame has a person, or the facing direction cannot be decided.
    """
    settings = settings or AngleSettings()
    model = model or load_pelvis_model()
    table, tracks = keep_main_track(table)
    kin = raw_kinematics(table, settings, model)
    frame_width = _frame_size(table)
    upright = np.abs(np.nan_to_num(kin.raw["trunk"], nan=np.inf)) < UPRIGHT_FOR_VIEW_DEG
    view = assess_view(table, kin.standing, upright, frame_width)
    clean_trunk = clean(kin.raw["trunk"], kin.times_s, settings)
    split_conf = (
        np.clip((kin.landmark_visibility - 0.3) / 0.6, 0, 1)
        * np.clip((kin.coverage - 0.5) / 0.5, 0, 1)
        * view_factor(view.yaw_deg)
        * stance_factor(kin.leg_split_deg)
    )
    out = pd.DataFrame({"frame": table["frame"].to_numpy(), "time_s": table["time_s"].to_numpy()})
    cleaned = {name: clean(kin.raw[name], kin.times_s, settings) for name in ANGLE_NAMES}
    cleaned["trunk"] = clean_trunk
    cleaned["lumbar"] = cleaned["trunk"] - cleaned["pelvis"]
    if not view.split_supported:
        for name in ("pelvis", "lumbar", "hip"):
            cleaned[name] = np.full(len(out), np.nan)
    for name in ANGLE_NAMES:
        out[f"{name}_deg"] = cleaned[name]
    out["confidence"] = np.where(np.isnan(out["pelvis_deg"]), 0.0, split_conf)
    out["low_confidence"] = out["confidence"] < LOW_CONFIDENCE
    out["trunk_confidence"] = np.where(np.isnan(out["trunk_deg"]), 0.0, kin.landmark_visibility)
    for name in ANGLE_NAMES:
        out[f"{name}_raw_deg"] = kin.raw[name]
    out["outline_coverage"] = kin.coverage
    out["standing"] = False
    out.loc[kin.standing.start : kin.standing.stop - 1, "standing"] = True
    out.attrs = {META_KEY: _provenance(table, settings, model, kin, view, out)}
    out.attrs[META_KEY]["subject_tracks"] = tracks
    return out


def _frame_size(table: pd.DataFrame) -> tuple[int, int]:
    video = table_metadata(table).get("video", {})
    width, height = video.get("width"), video.get("height")
    if not width or not height:  # a table without provenance: bound by the landmarks seen
        xs = table.filter(like="_x_px").to_numpy(float)
        ys = table.filter(like="_y_px").to_numpy(float)
        width, height = int(np.nanmax(xs)) + 1, int(np.nanmax(ys)) + 1
    return int(width), int(height)


def _provenance(
    table: pd.DataFrame,
    settings: AngleSettings,
    model: PelvisModel,
    kin: RawKinematics,
    view: ViewQuality,
    out: pd.DataFrame,
) -> dict[str, Any]:
    meta = table_metadata(table)
    history = [*meta.get("history", []), {"step": "angles", "package_version": __version__}]
    split = out["pelvis_deg"].notna()
    return {
        "format": "lumbopelvic.angles",
        "format_version": 1,
        "package_version": __version__,
        "source": {k: meta[k] for k in ("video", "model", "settings") if k in meta},
        "settings": asdict(settings),
        "conventions": (
            "degrees, sagittal plane, flexion positive, changes from quiet standing; "
            "trunk = pelvis + lumbar; facing decided once per trial; no 0/360 wrap"
        ),
        "facing": "right" if kin.facing > 0 else "left",
        "facing_agreement": round(kin.facing_agreement, 3),
        "standing": {
            "trunk_inclination_deg": float(
                np.nanmedian(kin.trunk_abs_deg[kin.standing.start : kin.standing.stop])
            ),
            "start_frame": kin.standing.start,
            "stop_frame": kin.standing.stop,
            "method": kin.standing.method,
            "fallback": kin.standing.is_fallback,
        },
        "quality": {
            **view.to_dict(),
            "frames_with_trunk": int(out["trunk_deg"].notna().sum()),
            "frames_with_split": int(split.sum()),
            "median_confidence": float(out.loc[split, "confidence"].median())
            if split.any()
            else 0.0,
            "low_confidence_fraction": float(out["low_confidence"].mean()),
        },
        "pelvis_model": model.provenance,
        "history": history,
    }
