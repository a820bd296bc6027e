"""Skin stickers tracked through a clip, once their colour is known (:mod:`.stickers`).

Each sticker takes the nearest blob of that colour to where it was; when no blob is near (an
arm passes, motion blur), pyramidal Lucas-Kanade optical flow carries it (or, on a surface
without texture to follow, its last velocity) for at most :data:`MAX_FLOW_S`, with decaying
confidence; then it is lost until found again. The stickers' spacing along the back, taken
when all are first seen, checks every frame's naming: a sticker that took a hidden
neighbour's spot is renamed, and positions that contradict each other are distrusted.

Positions are image pixels (x right, y down); confidence 1 for a detected blob, less when
carried by flow, 0 when lost.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import cv2
import numpy as np
import pandas as pd

from lumbopelvic.kinematics.back_outline import to_body_coords
from lumbopelvic.pose.stickers import BackFrame, blobs, by_level, to_hsv

GATE_FRACTION = 0.15  # a sticker moves at most this share of L between frames
# The distance between neighbouring stickers stays within this range of its standing value
# (skin stretch over a full bend, foreshortening); outside it, a sticker was mistaken (one
# that took a hidden neighbour's spot is about twice as far).
SPACING_RANGE = (0.65, 1.6)
# Lumbar flexion turns the upper chord from the lower by half its angle (the arc model of
# kinematics.sticker_angles): at most about 35 degrees in a full bend.
MAX_CHORD_TURN_DEG = 50.0
DISTRUSTED = 0.2  # the confidence of positions that contradict each other
MAX_FLOW_S = 0.5
FLOW_DECAY = 0.85


def track_stickers(
    frames: Iterator[tuple[float, np.ndarray]],
    backs: list[BackFrame],
    hue_deg: float,
    names: tuple[str, ...],
) -> pd.DataFrame:
    """Track the stickers through a clip.

    Parameters
    ----------
    frames
        ``(time_s, rgb image)`` per frame, in order, aligned with ``backs``.
    backs
        Per frame, where the back is (from the pose landmarks).
    hue_deg
        The stickers' hue.
    names
        Sticker names bottom to top (e.g. :data:`~lumbopelvic.kinematics.sticker_angles.NEEDED`).

    Returns
    -------
    pandas.DataFrame
        ``time_s`` and per sticker ``<name>_x_px``, ``<name>_y_px``, ``<name>_confidence``.
    """
    k = len(names)
    rows = []
    position = np.full((k, 2), np.nan)
    confidence = np.zeros(k)
    last_seen = np.full(k, -np.inf)
    velocity = np.zeros((k, 2))  # pixels per frame
    spacing = None  # distances between neighbouring stickers when first all found, pixels
    previous_gray = None
    for (time_s, rgb), back in zip(frames, backs, strict=False):
        gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        hsv = to_hsv(rgb)
        found = np.zeros((0, 2))
        if back.valid:
            found = by_level(blobs(hsv, hue_deg, back), back)
        gate = GATE_FRACTION * back.length if back.valid else np.inf
        taken = np.zeros(len(found), dtype=bool)
        fresh = np.zeros(k, dtype=bool)
        # (Re)start, naming by level, only when none is tracked: a tracked sticker keeps its
        # name, and lost ones come back through _reacquire.
        if len(found) == k and not np.isfinite(position).any():
            position, confidence, fresh[:] = found.copy(), np.ones(k), True
            taken[:] = True
            if spacing is None:
                spacing = np.hypot(*np.diff(found, axis=0).T)
        before = position.copy()
        for i in range(k):
            if fresh[i] or not np.isfinite(position[i]).all() or not len(found):
                continue
            distance = np.hypot(*(found - position[i]).T)
            distance[taken] = np.inf
            j = int(np.argmin(distance))
            if distance[j] <= gate:
                position[i], confidence[i], fresh[i], taken[j] = found[j], 1.0, True, True
        _reacquire(position, confidence, fresh, found, taken, back)
        if spacing is not None:
            _relabel(position, confidence, fresh, spacing)
        for i in range(k):
            if fresh[i]:
                last_seen[i] = time_s
                continue
            flowed = _flow(previous_gray, gray, position[i])
            if flowed is None:  # no texture to follow: keep its last velocity
                flowed = position[i] + velocity[i]
            if (
                time_s - last_seen[i] > MAX_FLOW_S
                or not np.isfinite(flowed).all()
                or np.hypot(*(flowed - position[i])) > gate
            ):
                position[i], confidence[i] = np.nan, 0.0
            else:
                position[i], confidence[i] = flowed, confidence[i] * FLOW_DECAY
        moved = position - before
        velocity = np.where(np.isfinite(moved), moved, velocity)
        if k >= 2 and np.isfinite(position).all() and back.valid:
            levels = to_body_coords(position, back.hip, back.shoulder, back.facing)[:, 0]
            if np.any(np.diff(levels) <= 0):  # out of order: a sticker was mistaken
                confidence[:] = np.minimum(confidence, DISTRUSTED)
        previous_gray = gray
        row: dict[str, float] = {"time_s": float(time_s)}
        for i, name in enumerate(names):
            row[f"{name}_x_px"], row[f"{name}_y_px"] = position[i]
            row[f"{name}_confidence"] = round(float(confidence[i]), 3)
        rows.append(row)
    return pd.DataFrame(rows)


def _reacquire(
    position: np.ndarray,
    confidence: np.ndarray,
    fresh: np.ndarray,
    found: np.ndarray,
    taken: np.ndarray,
    back: BackFrame,
) -> None:
    """Give lost stickers the unclaimed blobs when, together with the tracked ones, there are
    exactly as many as stickers: each takes its place by level (changes arrays in place)."""
    lost = ~fresh
    spare = found[~taken]
    if not lost.any() or len(spare) != lost.sum() or not back.valid:
        return
    candidates = np.concatenate([position[fresh], spare])
    order = np.argsort(to_body_coords(candidates, back.hip, back.shoulder, back.facing)[:, 0])
    ranked = candidates[order]
    if not np.allclose(ranked[fresh], position[fresh]):  # the tracked ones must keep their rank
        return
    position[lost], confidence[lost], fresh[lost] = ranked[lost], 1.0, True


def _relabel(
    position: np.ndarray, confidence: np.ndarray, fresh: np.ndarray, spacing: np.ndarray
) -> None:
    """Check the detected stickers against their spacing and their bend along the back, and
    rename or drop them when they do not fit (changes arrays in place).

    Skin between the stickers stretches and the view foreshortens, but within
    :data:`SPACING_RANGE`, and the lumbar curve turns the chord L3-L1 at most
    :data:`MAX_CHORD_TURN_DEG` from the chord S2-L3. Detections that break either were
    mistaken (a sticker took its neighbour's spot while that one was hidden, or a spot
    elsewhere on the body). The detections keep their order; of the ways to give them names
    in that order, the one that fits is taken, the others lost. When none fits, all are
    lost, to be found afresh.
    """
    seen = np.nonzero(fresh)[0]
    if len(seen) < 2:
        return
    chain = np.concatenate([[0.0], np.cumsum(spacing)])
    points = position[seen]
    chords = np.diff(points, axis=0)
    gaps = np.hypot(*chords.T)
    turn = 0.0
    if len(chords) == 2:
        cross = chords[0, 0] * chords[1, 1] - chords[0, 1] * chords[1, 0]
        turn = abs(float(np.degrees(np.arctan2(cross, np.dot(chords[0], chords[1])))))
    low, high = np.log(SPACING_RANGE)

    def misfit(names: tuple[int, ...]) -> float:
        """How far the worst gap's log ratio to the expected one lies outside the range (and,
        for three neighbours, the turn beyond its limit, as a share of it); <= 0 fits."""
        ratio = np.log(gaps / np.diff(chain[list(names)]))
        worst = float(np.max(np.maximum(ratio - high, low - ratio)))
        neighbours = len(names) == 3 and names[2] - names[0] == 2
        return max(worst, turn / MAX_CHORD_TURN_DEG - 1.0) if neighbours else worst

    if misfit(tuple(seen)) <= 0.0:
        return
    options = itertools.combinations(range(len(position)), len(seen))
    best = min(options, key=misfit)
    position[:], confidence[:], fresh[:] = np.nan, 0.0, False
    if misfit(best) <= 0.0:
        position[list(best)], confidence[list(best)], fresh[list(best)] = points, 1.0, True


def _flow(previous: np.ndarray | None, current: np.ndarray, point: np.ndarray) -> np.ndarray | None:
    """``point`` carried from ``previous`` to ``current`` by optical flow (None if lost)."""
    if previous is None or not np.isfinite(point).all():
        return None
    start = point.reshape(1, 1, 2).astype(np.float32)
    moved, status, _ = cv2.calcOpticalFlowPyrLK(
        previous, current, start, None, winSize=(15, 15), maxLevel=2
    )
    return moved.reshape(2).astype(float) if status is not None and status[0, 0] else None
