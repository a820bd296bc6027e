"""Steps: heel strikes and toe offs from the foot landmarks, on the recording's timestamps.

Events are the kinematic ones of Zeni et al. (2008): a heel strike is the moment a heel is
furthest in front of the hips, a toe off the moment a toe is furthest behind them, along the
walking direction (:func:`lumbopelvic.gait.body_axes.walking_axis`). They are read off the
envelopes of both feet (the foremost and the rearmost foot at each moment), so that a left
and right label swapped by the pose model, which happens to the far leg in side views,
neither hides nor invents a step. Which foot stepped is read from the labels at the event.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.signal import find_peaks

from lumbopelvic.gait.body_axes import (
    ahead,
    body_height,
    coordinates,
    label_swaps,
    mid_hip,
    smoothed,
    swapped_back,
    walking_axis,
)
from lumbopelvic.gait.cleaning import DEFAULT_CLEANING, SeriesCleaning

# Walking, not standing: the feet's fore-aft spread (body heights, averaged over half a
# second) exceeds this share of its usual level while walking, and at least the floor. From
# the side steps spread the feet 0.3-0.45 body heights; from the front or back perspective
# shrinks that to a few hundredths; feet side by side stay below a hundredth.
WALKING_SHARE = 0.35
WALKING_FLOOR = 0.015
# A peak counts when it stands out by this share of the envelope's range.
PEAK_PROMINENCE = 0.15
# A step is at least this share of the typical step time after the one before.
MIN_STEP_SHARE = 0.6
FEET = ("left", "right")


@dataclass(frozen=True)
class FootTracks:
    """How far the feet are ahead of the hips, frame by frame.

    Attributes
    ----------
    front, rear
        ``(n,)`` the foremost heel's and the rearmost toe's distance in front of the mid-hip
        along the walking direction, body heights, each foot about its own running place
        (low-passed as the cleaning settings say). Left/right label swaps are undone first
        (:func:`lumbopelvic.gait.body_axes.label_swaps`).
    ahead
        ``{"left": (n,), "right": (n,)}`` each ankle's distance likewise, unfiltered (to name
        the foot that stepped and measure step length).
    walking
        ``(n,)`` True where the feet move apart as in walking.
    stride_s
        Typical stride time from the feet's periodicity, seconds (NaN when none).
    axis
        ``(n, 2)`` walking direction in the image (unit vectors, pixels' axes).
    height_px
        Stature in pixels (:func:`lumbopelvic.gait.body_axes.body_height`).
    """

    front: np.ndarray
    rear: np.ndarray
    ahead: dict[str, np.ndarray]
    walking: np.ndarray
    stride_s: float
    axis: np.ndarray
    height_px: float


def _typical_step_s(signal: np.ndarray, times_s: np.ndarray) -> float:
    """Lag of the strongest autocorrelation peak of a signal that repeats every step,
    between 0.3 and 1.0 s (60-200 steps a minute; NaN when none)."""
    if not np.isfinite(signal).any():
        return float("nan")
    dt = float(np.median(np.diff(times_s)))
    x = np.nan_to_num(signal - np.nanmean(signal))
    ac = np.correlate(x, x, "full")[len(x) - 1 :]
    lo, hi = int(0.3 / dt), min(len(ac) - 1, int(1.0 / dt) + 1)
    if hi <= lo + 2:
        return float("nan")
    peaks, _ = find_peaks(ac[lo:hi])
    if not len(peaks):
        return float("nan")
    return float((lo + peaks[np.argmax(ac[lo:hi][peaks])]) * dt)


def foot_tracks(table: pd.DataFrame, cleaning: SeriesCleaning = DEFAULT_CLEANING) -> FootTracks:
    """The feet's distances ahead of the hips, where the person walks, and the stride time.

    Parameters
    ----------
    table
        Landmark table (:mod:`lumbopelvic.core.landmarks`).
    cleaning
        Gap filling and low-pass of the feet (:mod:`lumbopelvic.gait.cleaning`).
    """
    times = table["time_s"].to_numpy(float)
    dt = float(np.median(np.diff(times))) if len(times) > 1 else 1 / 30
    height = body_height(table, "image")
    hips = mid_hip(table, "image")
    points = {
        part: _foot_points(table, part, times, cleaning) for part in ("ankle", "heel", "foot_index")
    }
    swaps = label_swaps(points["ankle"]["left"], points["ankle"]["right"])
    for feet in points.values():
        feet["left"], feet["right"] = swapped_back(feet["left"], feet["right"], swaps)
    axis = walking_axis(list(points["ankle"].values()), times)

    def swings(part: str) -> dict[str, np.ndarray]:
        # Each foot about its own running place relative to the hips: seen from the front or
        # back the leg itself points along the walking direction in the image, and seen
        # obliquely the feet's side-by-side spacing does; neither is a step. Seen from the
        # side, where labels swap, the feet's places nearly coincide.
        out = {}
        for foot in FEET:
            relative = points[part][foot] - hips
            moving = relative - smoothed(relative, 0.75 / dt)
            out[foot] = ahead(moving + hips, hips, axis, height)
        return out

    ankles, heels, toes = swings("ankle"), swings("heel"), swings("foot_index")
    half = cleaning.lowpass(np.abs(ankles["left"] - ankles["right"]) / 2, times)
    near = smoothed(2 * half, 0.25 / dt)
    level = np.nanpercentile(near, 95) if np.isfinite(near).any() else 0.0
    walking = np.nan_to_num(near) > max(WALKING_FLOOR, WALKING_SHARE * level)
    stride = 2 * _typical_step_s(np.where(walking, half, np.nan), times)
    front = np.fmax(*(cleaning.lowpass(heels[f], times) for f in FEET))
    rear = np.fmin(*(cleaning.lowpass(toes[f], times) for f in FEET))
    return FootTracks(front, rear, ankles, walking, stride, axis, height)


def _foot_points(
    table: pd.DataFrame, part: str, times: np.ndarray, cleaning: SeriesCleaning
) -> dict[str, np.ndarray]:
    """Each foot's ``part`` (``ankle``, ``heel``, ``foot_index``) in the image, short gaps
    filled."""
    out = {}
    for foot in FEET:
        xy = coordinates(table, f"{foot}_{part}", "image")
        out[foot] = np.column_stack([cleaning.filled(column, times) for column in xy.T])
    return out


def _peaks(signal: np.ndarray, times_s: np.ndarray, min_gap_s: float) -> np.ndarray:
    ok = np.isfinite(signal)
    if ok.sum() < 3:
        return np.array([], dtype=int)
    filled = np.where(ok, signal, np.nanmin(signal))
    span = np.nanpercentile(signal, 95) - np.nanpercentile(signal, 5)
    dt = float(np.median(np.diff(times_s)))
    peaks, _ = find_peaks(
        filled, distance=max(1, int(min_gap_s / dt)), prominence=PEAK_PROMINENCE * span
    )
    return peaks[ok[peaks]]


def _refined_time(signal: np.ndarray, times_s: np.ndarray, i: int) -> float:
    """Time of a peak at sample ``i`` refined by a parabola through its neighbours."""
    if i <= 0 or i >= len(signal) - 1 or not np.isfinite(signal[i - 1 : i + 2]).all():
        return float(times_s[i])
    a, b, c = signal[i - 1 : i + 2]
    denom = a - 2 * b + c
    shift = 0.5 * (a - c) / denom if denom < 0 else 0.0
    shift = float(np.clip(shift, -0.5, 0.5))
    side = i + 1 if shift > 0 else i - 1
    return float(times_s[i] + abs(shift) * (times_s[side] - times_s[i]))


def gait_events(table: pd.DataFrame, tracks: FootTracks | None = None) -> pd.DataFrame:
    """Heel strikes and toe offs while the person walks.

    Returns
    -------
    pandas.DataFrame
        One row per event, in time order: ``frame`` (nearest frame), ``time_s`` (refined
        between frames), ``event`` (``"heel strike"`` or ``"toe off"``), ``foot``
        (``"left"`` or ``"right"``, as the pose model labels it).
    """
    tracks = tracks or foot_tracks(table)
    times = table["time_s"].to_numpy(float)
    left, right = tracks.ahead["left"], tracks.ahead["right"]
    front, rear = tracks.front, tracks.rear
    step_s = tracks.stride_s / 2 if np.isfinite(tracks.stride_s) else 0.5
    rows = []
    for kind, envelope in (("heel strike", front), ("toe off", -rear)):
        signal = np.where(tracks.walking, envelope, np.nan)
        for i in _peaks(signal, times, MIN_STEP_SHARE * step_s):
            ahead_left = left[i] if kind == "heel strike" else -left[i]
            ahead_right = right[i] if kind == "heel strike" else -right[i]
            foot = "left" if np.nan_to_num(ahead_left) >= np.nan_to_num(ahead_right) else "right"
            rows.append(
                {
                    "frame": int(table["frame"].iloc[i]) if "frame" in table else int(i),
                    "time_s": _refined_time(signal, times, int(i)),
                    "event": kind,
                    "foot": foot,
                }
            )
    events = pd.DataFrame(rows, columns=["frame", "time_s", "event", "foot"])
    return events.sort_values("time_s", kind="stable").reset_index(drop=True)
