"""Who walks, and whether they move forward: the person track analysed as the walker, and
the hips' progression against the steps' length.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lumbopelvic.gait.body_axes import mid_hip
from lumbopelvic.gait.cleaning import DEFAULT_CLEANING, SeriesCleaning
from lumbopelvic.gait.events import FootTracks, foot_tracks, gait_events
from lumbopelvic.gait.strides import steps_table
from lumbopelvic.kinematics.person_tracks import (
    blank_frames,
    person_track_labels,
    subject_chosen,
)

# Walking across a side view, the hips move about one step length per step (0.95-1.5 on
# renders and real clips); on the spot or on a treadmill, not at all (0.0 on renders).
IN_PLACE_RATIO = 0.3


def progression_ratio(landmarks: pd.DataFrame, steps: pd.DataFrame, tracks: FootTracks) -> float:
    """How far the hips moved along the walking direction over the steps of each bout,
    over the sum of those steps' lengths (side views; NaN without step lengths).

    About 1 when the person walks across the view; about 0 on the spot or on a treadmill,
    and for feet moving without walking (shifting weight, dancing), which the feet alone
    cannot tell from a treadmill.
    """
    if not len(steps) or not steps["step_length_bh"].notna().any():
        return float("nan")
    times = landmarks["time_s"].to_numpy(float)
    hips = mid_hip(landmarks, "image")
    moved = 0.0
    for _, bout in steps.groupby("bout"):
        i0 = int(np.argmin(np.abs(times - bout["start_s"].min())))
        i1 = int(np.argmin(np.abs(times - bout["end_s"].max())))
        axis = np.nanmean(tracks.axis[i0 : i1 + 1], axis=0)
        shift = float(np.dot(hips[i1] - hips[i0], axis)) / tracks.height_px
        moved += shift if np.isfinite(shift) else 0.0
    return moved / float(steps["step_length_bh"].sum())


def _walk_score(table: pd.DataFrame, cleaning: SeriesCleaning) -> tuple[bool, int]:
    """(moves forward, heel strikes) of a table's walk, to choose the walker by."""
    tracks = foot_tracks(table, cleaning)
    events = gait_events(table, tracks)
    heel = events[events["event"] == "heel strike"]
    steps = steps_table(heel, table["time_s"].to_numpy(float), tracks.ahead)
    ratio = progression_ratio(table, steps, tracks)
    return bool(np.isfinite(ratio) and ratio >= IN_PLACE_RATIO), len(heel)


def walker_track(
    landmarks: pd.DataFrame, cleaning: SeriesCleaning = DEFAULT_CLEANING
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The landmark table of the one person track analysed as the walker, the others' frames
    emptied, and what was left out.

    When the followed person leaves the view and somebody else is picked up, the table holds
    two people (:mod:`lumbopelvic.kinematics.person_tracks`); their feet must not make one
    walk. The track analysed is the first when the subject was chosen explicitly, otherwise
    the one that walks forward, then the one with the most heel strikes, then the longest.

    Returns
    -------
    table
        The table with only the walker's frames.
    info
        ``tracks`` (continuous person tracks), ``frames_left_out`` (frames of the others) and
        ``analysed_from_s``, ``analysed_to_s`` (the walker's first and last frame).
    """
    labels = person_track_labels(landmarks)
    found = [int(k) for k in np.unique(labels[labels >= 0])]
    if len(found) <= 1:
        chosen = found[0] if found else -1
    elif subject_chosen(landmarks):
        chosen = found[0]
    else:

        def score(k: int) -> tuple[bool, int, int]:
            table = blank_frames(landmarks, (labels >= 0) & (labels != k))
            return (*_walk_score(table, cleaning), int((labels == k).sum()))

        chosen = max(found, key=score)
    others = (labels >= 0) & (labels != chosen)
    times = landmarks["time_s"].to_numpy(float)[labels == chosen]
    info = {
        "tracks": len(found),
        "frames_left_out": int(others.sum()),
        "analysed_from_s": float(times[0]) if len(times) else None,
        "analysed_to_s": float(times[-1]) if len(times) else None,
    }
    return blank_frames(landmarks, others), info
