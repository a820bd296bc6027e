"""Continuous person tracks in a landmark table, and keeping only the main one.

If the followed subject leaves the view and somebody else is picked up, the table holds two
people; the angle series must not mix them. Frames are labelled by continuous track (box
overlap between consecutive frames) and every frame off the main track is blanked: the
longest track, or, when the subject was chosen explicitly (``--subject`` other than
``auto``, read from the table's provenance), the track of the person chosen first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lumbopelvic.core.provenance import log_step, set_metadata, table_metadata

# Boxes overlapping less than this (intersection over union) are taken as different people.
MIN_TRACK_IOU = 0.2
# Columns holding a landmark value (blanked on frames of other tracks).
LANDMARK_SUFFIXES = ("_px", "_visibility", "_presence", "_m")
# The subject rule that lets the longest track win (see lumbopelvic.pose.subject).
SUBJECT_AUTO = "auto"


def box_iou(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over union of two ``(x0, y0, x1, y1)`` boxes."""
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return float(inter / union) if union > 0 else 0.0


def track_labels(boxes: np.ndarray, times_s: np.ndarray, max_gap_s: float = 0.5) -> np.ndarray:
    """Label frames by continuous person track.

    A new track starts when the person's box no longer overlaps the previous frame's
    (:data:`MIN_TRACK_IOU`) or after more than ``max_gap_s`` seconds without a person: the
    followed person was lost and somebody (possibly somebody else) was picked up.

    Parameters
    ----------
    boxes
        ``(n, 4)`` person boxes ``(x0, y0, x1, y1)`` per frame, NaN rows where nobody.
    times_s
        ``(n,)`` frame times in seconds.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` int labels 0, 1, ... per track; -1 where nobody.
    """
    labels = np.full(len(boxes), -1, dtype=np.int64)
    current, previous, previous_t = -1, None, -np.inf
    for i, box in enumerate(boxes):
        if np.isnan(box).any():
            continue
        lost = previous is None or times_s[i] - previous_t > max_gap_s
        if lost or box_iou(previous, box) < MIN_TRACK_IOU:
            current += 1
        labels[i] = current
        previous, previous_t = box, times_s[i]
    return labels


def main_track(labels: np.ndarray, first: bool = False) -> int | None:
    """The label with the most frames, or (``first``) the first one seen; None when no frame
    has a person."""
    valid = labels[labels >= 0]
    if not len(valid):
        return None
    return int(valid[0]) if first else int(np.bincount(valid).argmax())


def person_track_labels(table: pd.DataFrame) -> np.ndarray:
    """``(n,)`` continuous person track of each frame of a landmark table (see
    :func:`track_labels`; -1 where nobody)."""
    xs = table.filter(regex=r"_x_px$").to_numpy(float)
    ys = table.filter(regex=r"_y_px$").to_numpy(float)
    person = np.isfinite(xs).any(axis=1)
    if "n_people" in table:
        person &= (table["n_people"] > 0).to_numpy()
    boxes = np.full((len(table), 4), np.nan)
    boxes[person] = np.column_stack(
        [
            np.nanmin(xs[person], 1),
            np.nanmin(ys[person], 1),
            np.nanmax(xs[person], 1),
            np.nanmax(ys[person], 1),
        ]
    )
    return track_labels(boxes, table["time_s"].to_numpy(float))


def blank_frames(table: pd.DataFrame, frames: np.ndarray) -> pd.DataFrame:
    """A copy of ``table`` with nobody in ``frames`` (a boolean mask): landmarks, outline and
    the person count emptied."""
    kept = table.copy(deep=bool(frames.any()))
    if frames.any():
        value_columns = [c for c in kept.columns if c.endswith(LANDMARK_SUFFIXES)]
        kept.loc[frames, value_columns] = np.nan
        if "n_people" in kept:
            kept.loc[frames, "n_people"] = 0
        if "silhouette_px" in kept:
            kept.loc[frames, "silhouette_px"] = ""
    return kept


def subject_chosen(table: pd.DataFrame) -> bool:
    """Whether the subject was chosen explicitly (``--subject`` other than ``auto``)."""
    return table_metadata(table).get("settings", {}).get("subject", SUBJECT_AUTO) != SUBJECT_AUTO


def keep_main_track(table: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """Blank every frame that is not on the main continuous person track (see the module
    docstring: the longest, or the first when the subject was chosen explicitly).

    Protects the angle series from mixing two people when the followed subject left the
    view and somebody else was picked up.

    Returns
    -------
    table
        A new table (the input is not changed) with this step in its history.
    info
        ``tracks`` (number of tracks) and ``frames_of_other_tracks`` (frames blanked).
    """
    labels = person_track_labels(table)
    main = main_track(labels, first=subject_chosen(table))
    other = (labels >= 0) & (labels != main)
    info = {"tracks": int(labels.max() + 1), "frames_of_other_tracks": int(other.sum())}
    kept = blank_frames(table, other)
    meta = log_step(table_metadata(table), "main person track", **info)
    return set_metadata(kept, meta), info
