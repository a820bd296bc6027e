"""The walking analysis of a landmark table: steps, strides, pelvis and trunk motion, and
their coordination, with what the view lets the camera see (``--task walk``).

The pieces: the walker (:mod:`.walker`), the feet and their events (:mod:`.events`), the
per-frame motion (:mod:`.series`), steps and strides (:mod:`.strides`), what each view can
be trusted for (:mod:`.confidence`) and the summary (:mod:`.summary`, the schema of a walk's
``summary.json``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from lumbopelvic.gait.cleaning import SeriesCleaning
from lumbopelvic.gait.confidence import view_measures
from lumbopelvic.gait.events import FootTracks, foot_tracks, gait_events
from lumbopelvic.gait.series import gait_series, left_is_image_right
from lumbopelvic.gait.strides import relative_phase_series, steps_table, strides_table
from lumbopelvic.gait.summary import GaitSummary, WalkFound, gait_summary
from lumbopelvic.gait.walker import progression_ratio, walker_track
from lumbopelvic.kinematics.settings import AngleSettings
from lumbopelvic.kinematics.view_quality import estimate_yaw_deg

# Steps seen moving up and down the image more than across it (the walking direction steeper
# than 45° in the image) are filmed from the front or back.
FRONT_AXIS_MIN_DEG = 45.0
STRIDE_MEASURES = (
    "stride_time_s",
    "pelvic_obliquity_range_deg",
    "trunk_lateral_range_deg",
    "lateral_shift_bh",
    "sway_smoothness_fraction",
    "pelvis_rotation_range_deg",
    "thorax_rotation_range_deg",
    "relative_phase_deg",
    "trunk_lean_mean_deg",
    "trunk_lean_range_deg",
)


@dataclass(frozen=True)
class GaitResult:
    """What the walking analysis finds in one recording.

    Attributes
    ----------
    events
        Heel strikes and toe offs (:func:`lumbopelvic.gait.events.gait_events`).
    steps
        ``steps.csv`` (:func:`lumbopelvic.gait.strides.steps_table`).
    strides
        ``strides.csv`` (:func:`lumbopelvic.gait.strides.strides_table`).
    series
        ``gait.csv``: per-frame measures (:mod:`lumbopelvic.gait.series`) and
        ``relative_phase_deg``.
    curves
        Each series column over 0-100 % of each stride, ``(n_strides, 101)``.
    summary
        The walk's summary (``summary.json``, :class:`lumbopelvic.gait.summary.GaitSummary`).
    walker
        The landmark table analysed: other people's frames emptied (:func:`walker_track`).
    """

    events: pd.DataFrame
    steps: pd.DataFrame
    strides: pd.DataFrame
    series: pd.DataFrame
    curves: dict[str, np.ndarray]
    summary: GaitSummary
    walker: pd.DataFrame


def view_label(axis_deg: float, faces_camera: bool) -> str:
    """``side``, ``front`` or ``back`` from the walking direction's angle from the image
    horizontal (``axis_deg``: steps seen moving up and down the image more than across it
    are filmed from the front or back).

    A walk filmed at an angle is labelled ``side``: on renders walking across the view, the
    apparent hip and shoulder widths (the view angle's cue for bends) came out as wide at
    1-14° as at 32-55° off the side view, because the line of sight turns as the person
    crosses the frame, so the two cannot be told apart. ``yaw_off_side_deg`` in the summary
    still says how far off the side view the recording looks.
    """
    if np.isfinite(axis_deg) and axis_deg >= FRONT_AXIS_MIN_DEG:
        return "front" if faces_camera else "back"
    return "side"


def _axis_deg(tracks: FootTracks) -> float:
    axis = tracks.axis[tracks.walking]
    angle = np.degrees(np.arctan2(np.abs(axis[:, 1]), np.abs(axis[:, 0])))
    angle = angle[np.isfinite(angle)]
    return float(np.median(angle)) if len(angle) else float("nan")


def analyse_gait(landmarks: pd.DataFrame, cleaning: AngleSettings | None = None) -> GaitResult:
    """Steps, strides, per-stride pelvis and trunk motion and their coordination.

    Parameters
    ----------
    landmarks
        Landmark table (:mod:`lumbopelvic.core.landmarks`) of a person walking (when it
        holds several people one after the other, the walker is chosen:
        :func:`walker_track`).
    cleaning
        The signal cleaning of the angle step, applied to the walk's series and feet too:
        gaps up to ``max_gap_s`` filled, low-passed at ``cutoff_hz``, both in real time
        (container times divided by ``slow_motion``). The outlier rejection (``hampel_*``)
        and ``min_visibility`` of the angle step do not apply to a walk.
    """
    cleaning = cleaning or AngleSettings()
    filters = SeriesCleaning.of(cleaning)
    landmarks, people = walker_track(landmarks, filters)
    times = landmarks["time_s"].to_numpy(float)
    tracks = foot_tracks(landmarks, filters)
    events = gait_events(landmarks, tracks)
    walking = tracks.walking
    yaw = estimate_yaw_deg(landmarks, walking) if walking.any() else float("nan")
    view = view_label(_axis_deg(tracks), left_is_image_right(landmarks))
    stride_s = tracks.stride_s if np.isfinite(tracks.stride_s) else 1.1
    series = gait_series(landmarks, walking, tracks.axis, stride_s, filters)
    series["relative_phase_deg"] = relative_phase_series(
        series["pelvis_rotation_deg"].to_numpy(float),
        series["thorax_rotation_deg"].to_numpy(float),
        walking,
    )
    heel = events[events["event"] == "heel strike"]
    steps = steps_table(heel, times, tracks.ahead if view == "side" else None)
    strides, curves = strides_table(steps, series)
    for measure in STRIDE_MEASURES[1:]:
        if measure in strides and measure not in view_measures(view):
            strides[measure] = np.nan
    ratio = progression_ratio(landmarks, steps, tracks) if view == "side" else float("nan")
    found = WalkFound(events, steps, strides, curves, view, yaw, tracks.stride_s, ratio, people)
    summary = gait_summary(found, landmarks, STRIDE_MEASURES, asdict(filters))
    return GaitResult(events, steps, strides, series, curves, summary, landmarks)
