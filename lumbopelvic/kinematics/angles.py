"""Sagittal angles from a landmark table: trunk, pelvis, lumbar, hip and knee, with confidence.

Output conventions (``angles.csv``)
-----------------------------------
One row per video frame. All angles in degrees, sagittal plane, flexion positive, as changes
from the person's own quiet standing (see :mod:`lumbopelvic.kinematics.standing`),
continuous through and beyond horizontal, facing direction decided once per trial:

- ``trunk_deg``: trunk inclination from vertical at the thoracolumbar junction (L1), as in
  the lumbopelvic-rhythm literature, read with the pelvis from the back's outline
  by the estimator the ``split_method`` setting chooses
  (:mod:`lumbopelvic.kinematics.split_estimators`); where the outline is not seen, the
  hip-to-shoulder line;
- ``pelvis_deg``: pelvic rotation, anterior positive (from the back's outline);
- ``lumbar_deg``: lumbar flexion = ``trunk_deg - pelvis_deg``;
- ``hip_deg``: hip flexion = pelvis relative to the thigh (``pelvis_deg`` minus the thigh's
  inclination change);
- ``knee_deg``: knee flexion (shank relative to thigh);
- ``confidence``: 0-1 confidence of the pelvis/lumbar split in that frame, the product of
  the ``<name>_factor`` columns (landmark, outline, view, stance, familiarity, agreement,
  plausibility; see :mod:`lumbopelvic.kinematics.confidence`); ``low_confidence`` is true
  below :data:`~lumbopelvic.kinematics.settings.LOW_CONFIDENCE`. The trunk angle is
  reported whenever hips and shoulders are seen; ``trunk_confidence`` is their visibility
  times the trunk's view factor.

Further columns: ``hip_rise_leg`` (the mid-hip's rise above its standing height, in
standing leg lengths: negative seated, rising at seat-off; see
:func:`~lumbopelvic.kinematics.sagittal.hip_rise`), ``hip_shoulder_deg`` (the
hip-to-shoulder line a camera sees, which also carries the upper back's flexion;
deprojected in an oblique view) and ``thoracic_deg`` (the
line as the image shows it minus ``trunk_deg``, which the split reads from the image too:
what the upper back adds; equal to ``hip_shoulder_deg - trunk_deg`` in a side view),
``<angle>_raw_deg`` (before outlier rejection, gap filling and low-pass filtering),
``standing`` (frame is part of the standing baseline), ``outline_coverage``,
``view_method`` (``image``, or ``deprojected`` when the view is oblique: the trunk line and
the legs are then corrected for foreshortening, see ``angle_method`` in ``angles.json``),
``pose_plausible`` (False where the pose fit bends the body in ways no body bends: those
frames are dropped, see :func:`lumbopelvic.kinematics.confidence.pose_plausible`) and the
confidence factors ``<name>_factor``.
The primary columns are the filtered ones.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import numpy as np
import pandas as pd

from lumbopelvic.core.provenance import log_step, set_metadata, table_metadata
from lumbopelvic.core.schema import ANGLE_NAMES
from lumbopelvic.core.version import __version__
from lumbopelvic.kinematics.confidence import (
    landmark_factor,
    outline_factor,
    plausibility_factor,
    pose_plausible,
    stance_factor,
    trunk_view_factor,
)
from lumbopelvic.kinematics.person_tracks import keep_main_track
from lumbopelvic.kinematics.raw_angles import (
    RawKinematics,
    deprojected_line_and_knee,
    raw_kinematics,
)
from lumbopelvic.kinematics.sagittal import (
    DEPROJECT_FROM_YAW_DEG,
    MAX_DEPROJECT_YAW_DEG,
    deprojection_stretch,
    hip_rise,
)
from lumbopelvic.kinematics.settings import LOW_CONFIDENCE, AngleSettings
from lumbopelvic.kinematics.signal_cleaning import (
    hampel,
    interpolate_short_gaps,
    lowpass_zero_lag,
)
from lumbopelvic.kinematics.split_estimators import SplitEstimator, split_estimator
from lumbopelvic.kinematics.view_quality import (
    ViewQuality,
    assess_view,
    fit_view_from_lengths_deg,
    view_factor,
)

UPRIGHT_FOR_VIEW_DEG = 20.0  # the view angle is read on frames this close to standing


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
    estimator: SplitEstimator | None = None,
) -> pd.DataFrame:
    """The angle table (see the module docstring) with provenance in ``attrs``.

    Parameters
    ----------
    table
        Landmark table (:mod:`lumbopelvic.core.landmarks`), e.g. from
        :func:`lumbopelvic.pose.extract.extract_pose`.
    settings
        Cleaning and timing settings.
    estimator
        What splits the pelvis from the lumbar spine; the one ``settings.split_method``
        names when None (:mod:`lumbopelvic.kinematics.split_estimators`).

    Raises
    ------
    LumbopelvicError
        If no frame has a person, or the facing direction cannot be decided.
    """
    settings = settings or AngleSettings()
    estimator = estimator or split_estimator(settings.split_method)
    table, tracks = keep_main_track(table)
    kin = raw_kinematics(table, settings, estimator)
    frame_width = _frame_size(table)
    upright = np.abs(np.nan_to_num(kin.raw["hip_shoulder"], nan=np.inf)) < UPRIGHT_FOR_VIEW_DEG
    view = assess_view(table, kin.standing, upright, frame_width)
    # An oblique view is deprojected by the mean of two estimates that err on opposite
    # sides: the shoulder and hip widths (read low at large angles) and the angle that keeps
    # the leg and trunk lengths constant (read high).
    oblique_yaw = view.yaw_deg
    if deprojection_stretch(view.yaw_deg) > 1.0:
        oblique_yaw = float(np.nanmean([view.yaw_deg, fit_view_from_lengths_deg(table)]))
    stretch = deprojection_stretch(oblique_yaw)
    # The line as the image shows it: the upper back's share is read against the split's
    # trunk, which reads the image too.
    image_line = kin.raw["hip_shoulder"].copy()
    if stretch > 1.0:  # an oblique view: the trunk line and the legs, deprojected
        kin.raw.update(
            deprojected_line_and_knee(table, settings, kin.facing, kin.standing, stretch)
        )
    plausible = pose_plausible(kin.raw["hip_shoulder"], kin.raw["knee"])
    for values in (*kin.raw.values(), image_line):  # mis-fitted poses are dropped
        values[~plausible] = np.nan
    clean_trunk = clean(kin.raw["trunk"], kin.times_s, settings)
    factors = {
        "landmark": landmark_factor(kin.landmark_visibility),
        "outline": outline_factor(kin.coverage),
        "view": np.full(len(kin.times_s), view_factor(view.yaw_deg)),
        "stance": stance_factor(kin.leg_split_deg),
        **kin.estimate.factors,
    }
    out = pd.DataFrame({"frame": table["frame"].to_numpy(), "time_s": table["time_s"].to_numpy()})
    cleaned = {
        name: clean(kin.raw[name], kin.times_s, settings) for name in (*ANGLE_NAMES, "hip_shoulder")
    }
    cleaned["trunk"] = clean_trunk
    if not view.split_supported:  # too far off the side view: no split, the line is the trunk
        cleaned["trunk"] = cleaned["hip_shoulder"]
        for name in ("pelvis", "hip"):
            cleaned[name] = np.full(len(out), np.nan)
    cleaned["lumbar"] = cleaned["trunk"] - cleaned["pelvis"]
    cleaned["thoracic"] = clean(image_line, kin.times_s, settings) - cleaned["trunk"]
    for name in ANGLE_NAMES:
        out[f"{name}_deg"] = cleaned[name]
    factors["plausibility"] = plausibility_factor(
        out["pelvis_deg"].to_numpy(), out["lumbar_deg"].to_numpy(), kin.times_s
    )
    split_conf = np.prod(np.stack(list(factors.values())), axis=0)
    out["confidence"] = np.where(np.isnan(out["pelvis_deg"]), 0.0, split_conf)
    out["low_confidence"] = out["confidence"] < LOW_CONFIDENCE
    trunk_conf = kin.landmark_visibility * trunk_view_factor(view.yaw_deg) * plausible
    out["trunk_confidence"] = np.where(np.isnan(out["trunk_deg"]), 0.0, trunk_conf)
    out["hip_shoulder_deg"] = cleaned["hip_shoulder"]
    out["thoracic_deg"] = np.where(view.split_supported, cleaned["thoracic"], np.nan)
    rise = hip_rise(table, slice(kin.standing.start, kin.standing.stop))
    rise[~plausible] = np.nan
    # Cleaned as the angles are (the outlier floor, in degrees there, rejects nothing here).
    out["hip_rise_leg"] = clean(rise, kin.times_s, settings)
    for name in ANGLE_NAMES:
        out[f"{name}_raw_deg"] = kin.raw[name]
    out["outline_coverage"] = kin.coverage
    out["pose_plausible"] = plausible
    out["view_method"] = "deprojected" if stretch > 1.0 else "image"
    for name, values in factors.items():
        out[f"{name}_factor"] = np.round(values, 3)
    out["standing"] = False
    out.loc[kin.standing.start : kin.standing.stop - 1, "standing"] = True
    out.attrs = {}
    used = oblique_yaw if stretch > 1.0 else None
    provenance = _provenance(table, settings, estimator.name, kin, view, out, used)
    return set_metadata(out, {**provenance, "subject_tracks": tracks})


# What a task without the pelvis/lumbar split (a walk) leaves empty in its angle table.
SPLIT_COLUMNS = ("pelvis_deg", "lumbar_deg", "thoracic_deg")


def without_split(angles: pd.DataFrame) -> pd.DataFrame:
    """The angle table with the pelvis/lumbar split left empty (:data:`SPLIT_COLUMNS`), for a
    task the split does not apply to: a walk tilts the pelvis 3-5°, below what it resolves."""
    shown = angles.copy()
    for column in SPLIT_COLUMNS:
        if column in shown:
            shown[column] = np.nan
    return shown


def facing_and_standing(angles: pd.DataFrame) -> tuple[int, slice]:
    """The trial's facing (+1 right, -1 left) and its quiet-standing frames, as recorded in
    the angle table's provenance by :func:`compute_angles` (right and the first frame when
    a table carries none)."""
    meta = table_metadata(angles)
    standing = meta.get("standing", {})
    facing = 1 if meta.get("facing", "right") == "right" else -1
    return facing, slice(standing.get("start_frame", 0), standing.get("stop_frame", 1))


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
    split_method: str,
    kin: RawKinematics,
    view: ViewQuality,
    out: pd.DataFrame,
    deprojection_deg: float | None = None,
) -> dict[str, Any]:
    meta = table_metadata(table)
    log_step(
        meta,
        "angles",
        settings=asdict(settings),
        pelvis_model_fitted=kin.estimate.provenance.get("fitted"),
        facing="right" if kin.facing > 0 else "left",
        standing=kin.standing.method,
    )
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
        "angle_method": {
            "trunk_line_and_legs": str(out["view_method"].iloc[0]) if len(out) else "image",
            "deprojection_view_deg": None
            if deprojection_deg is None
            else round(deprojection_deg, 1),
            "note": "image: inclinations as the image shows them (a side view); deprojected: "
            "the image-horizontal component stretched by 1/cos(view angle) for a view "
            f"{DEPROJECT_FROM_YAW_DEG:.0f} deg or more off the side (capped at "
            f"{MAX_DEPROJECT_YAW_DEG:.0f} deg), the angle the mean of the shoulder-and-hip-width "
            "estimate and the one that keeps leg and trunk lengths constant; the "
            "pelvis/lumbar split always reads the image",
        },
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
            "frames_pose_implausible": int((~out["pose_plausible"]).sum()),
            "frames_with_split": int(split.sum()),
            "median_confidence": float(out.loc[split, "confidence"].median())
            if split.any()
            else 0.0,
            "low_confidence_fraction": float(out["low_confidence"].mean()),
        },
        "split_method": split_method,
        "pelvis_model": kin.estimate.provenance,
        "history": meta["history"],
    }
