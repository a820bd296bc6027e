"""Skin stickers on the back: found by colour and size in the first frames, then tracked.

Marker mode (see the README's protocol): two or three round, matte, high-contrast stickers on
the back midline over S2, (optionally) L3 and T12/L1. In each frame the search is confined to
the region behind the hip-to-shoulder line (body coordinates of
:mod:`lumbopelvic.kinematics.back_outline`: level ``u`` from below the hips to the shoulders,
depth ``v`` behind the line), so clothing or objects elsewhere in the image cannot be taken
for a sticker.

- **Colour**: unless given, the hue of the saturated, bright pixels in the back region that
  form two or three small blobs in most of the first frames.
- **Tracking**: each sticker takes the nearest blob of that colour to where it was; when no
  blob is near (an arm passes, motion blur), pyramidal Lucas-Kanade optical flow carries it
  (or, on a surface without texture to follow, its last velocity) for at most
  :data:`MAX_FLOW_S`, with decaying confidence; then it is lost until found again.
- **Names** by level: the lowest is S2, the highest L1, a third between them L3.

Positions are image pixels (x right, y down); confidence 1 for a detected blob, less when
carried by flow, 0 when lost.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import cv2
import numpy as np
import pandas as pd

from lumbopelvic.kinematics.back_outline import from_body_coords, to_body_coords

# The back region searched, in units of the hip-shoulder length.
REGION_U = (-0.45, 1.0)
REGION_V = (-0.08, 0.6)
# Saturated, bright pixels (OpenCV HSV: S and V 0-255, H 0-179 = degrees / 2).
MIN_SATURATION = 90
MIN_VALUE = 40
HUE_HALF_WIDTH_DEG = 22.0
# Blob sizes relative to the hip-shoulder length L (a 2.5 cm sticker is about 0.05 L across).
MIN_BLOB_PX = 3
# A 2.5 cm sticker seen from 25 degrees behind the side view covers about 0.0008 L^2; specks a
# quarter of that size are compression's colour fringes at edges, or a sticker's fragments.
MIN_BLOB_AREA_FRACTION = 0.0002
MAX_BLOB_FRACTION = 0.15  # a blob wider than this share of L is clothing, not a sticker
# A sticker sits on the person: its centre at most this share of L outside the silhouette.
EDGE_FRACTION = 0.04
# A sticker stands alone: at most this share of the ring around it has a similar colour.
MAX_SIMILAR_AROUND = 0.25
GATE_FRACTION = 0.15  # a sticker moves at most this share of L between frames
# The distance between neighbouring stickers changes by at most this share of its standing
# value (skin stretch over a full bend and foreshortening); a larger change is a mistake.
MAX_SPACING_CHANGE = 0.4
DISTRUSTED = 0.2  # the confidence of positions that contradict each other
MAX_FLOW_S = 0.5
FLOW_DECAY = 0.85
# Colour search: the first frames with a person, and how often the stickers must show there.
SEARCH_FRAMES = 45
MIN_FOUND_SHARE = 0.5


@dataclass(frozen=True)
class BackFrame:
    """Where the back is in one frame: mid-hip and mid-shoulder pixels, the facing, and the
    person's silhouette outline (``(m, 2)`` pixels; empty when not known)."""

    hip: np.ndarray
    shoulder: np.ndarray
    facing: int
    outline: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))

    @property
    def length(self) -> float:
        return float(np.hypot(*(self.shoulder - self.hip)))

    @property
    def valid(self) -> bool:
        return bool(np.isfinite(self.hip).all() and np.isfinite(self.shoulder).all()) and (
            self.length > 4
        )


def back_region(frame: BackFrame, shape: tuple[int, int]) -> np.ndarray:
    """Boolean ``(h, w)`` mask of the region behind the hip-shoulder line."""
    mask = np.zeros(shape, dtype=np.uint8)
    if not frame.valid:
        return mask.astype(bool)
    corners = np.array(
        [[REGION_U[0], REGION_V[0]], [REGION_U[1], REGION_V[0]],
         [REGION_U[1], REGION_V[1]], [REGION_U[0], REGION_V[1]]]
    )  # fmt: skip
    polygon = from_body_coords(corners, frame.hip, frame.shoulder, frame.facing)
    cv2.fillConvexPoly(mask, np.round(polygon).astype(np.int32), 1)
    return mask.astype(bool)


def vivid_pixels(hsv: np.ndarray) -> np.ndarray:
    """Boolean mask of saturated, bright pixels (candidates for a neon sticker)."""
    return (hsv[..., 1] >= MIN_SATURATION) & (hsv[..., 2] >= MIN_VALUE)


def hue_mask(
    hsv: np.ndarray,
    hue_deg: float,
    half_width_deg: float = HUE_HALF_WIDTH_DEG,
    min_saturation: int = MIN_SATURATION,
) -> np.ndarray:
    """Pixels of at least ``min_saturation`` and :data:`MIN_VALUE` within ``half_width_deg``
    of ``hue_deg`` (hue wraps at 360)."""
    hue = hsv[..., 0].astype(float) * 2.0
    distance = np.abs((hue - hue_deg + 180.0) % 360.0 - 180.0)
    bright = (hsv[..., 1] >= min_saturation) & (hsv[..., 2] >= MIN_VALUE)
    return bright & (distance <= half_width_deg)


def blobs(hsv: np.ndarray, hue_deg: float, back: BackFrame) -> np.ndarray:
    """``(k, 2)`` centroids (pixels) of the sticker-like spots of ``hue_deg`` on the back.

    A spot counts when it is sticker-sized (:data:`MIN_BLOB_PX` to :data:`MAX_BLOB_FRACTION`
    of L), stands alone (little of a similar colour around it: not a patch of a garment of
    that colour) and lies on the person: inside the silhouette or within
    :data:`EDGE_FRACTION` of L outside it (the outline is a little inside the skin).
    """
    mask = hue_mask(hsv, hue_deg) & back_region(back, hsv.shape[:2])
    n, labels, stats, centroids = cv2.connectedComponentsWithStats(mask.astype(np.uint8), 8)
    if n <= 1:
        return np.zeros((0, 2))
    widest = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT])
    least = max(MIN_BLOB_PX, MIN_BLOB_AREA_FRACTION * back.length**2)
    keep = (stats[:, cv2.CC_STAT_AREA] >= least) & (widest <= MAX_BLOB_FRACTION * back.length)
    keep[0] = False
    # Same hue, paler: a garment of the stickers' colour (a neighbouring hue, such as red
    # fabric around pink stickers, is not similar: it is the contrast the protocol asks for).
    similar = hue_mask(hsv, hue_deg, HUE_HALF_WIDTH_DEG, MIN_SATURATION // 2)
    polygon = back.outline.astype(np.float32).reshape(-1, 1, 2) if len(back.outline) >= 3 else None
    for i in np.nonzero(keep)[0]:
        x, y, w, h = stats[i, :4]
        pad = max(w, h)
        box = (slice(max(y - pad, 0), y + h + pad), slice(max(x - pad, 0), x + w + pad))
        ring = labels[box] != i
        keep[i] = similar[box][ring].mean() <= MAX_SIMILAR_AROUND
        if keep[i] and polygon is not None:
            inside = cv2.pointPolygonTest(polygon, tuple(map(float, centroids[i])), True)
            keep[i] = inside >= -EDGE_FRACTION * back.length
    return centroids[keep]


def find_sticker_hue(samples: Iterable[tuple[np.ndarray, BackFrame]]) -> float | None:
    """The stickers' hue (degrees), or None when no colour shows two or three blobs.

    Parameters
    ----------
    samples
        ``(hsv image, back frame)`` pairs from the first frames with a person.
    """
    frames = [(hsv, back) for hsv, back in samples if back.valid]
    if not frames:
        return None
    hues = []
    for hsv, back in frames:
        vivid = vivid_pixels(hsv) & back_region(back, hsv.shape[:2])
        hues.append(hsv[..., 0][vivid].astype(float) * 2.0)
    counts, edges = np.histogram(np.concatenate(hues), bins=30, range=(0.0, 360.0))
    # Every hue with enough vivid pixels is tried (a garment's colour can outnumber the
    # stickers' by far): the one showing two or three spots in most frames wins.
    tried = edges[:-1][counts >= MIN_BLOB_PX * len(frames) / 2] + 6.0
    return _best_hue(frames, tried, lambda n: 2 <= n <= 3)


def count_stickers(samples: Iterable[tuple[np.ndarray, BackFrame]], hue_deg: float) -> int:
    """The commonest number of sticker blobs of ``hue_deg`` over the sample frames with any
    (0 when none shows)."""
    counts = [
        len(blobs(hsv, hue_deg, back))
        for hsv, back in samples
        if back.valid
    ]
    counts = [c for c in counts if c > 0]
    return int(np.bincount(counts).argmax()) if counts else 0


def find_sticker_hue_of_any_count(
    samples: Iterable[tuple[np.ndarray, BackFrame]],
) -> float | None:
    """The hue of vivid, sticker-sized spots on the back's edge in most sample frames, however
    many (to say what is wrong when there are not two or three)."""
    frames = [(hsv, back) for hsv, back in samples if back.valid]
    return _best_hue(frames, np.arange(6.0, 360.0, 12.0), lambda n: n > 0)


def _best_hue(
    frames: list[tuple[np.ndarray, BackFrame]],
    hues: np.ndarray,
    accept: Callable[[int], bool],
) -> float | None:
    """Of ``hues``, the one whose spot count ``accept``s in most frames, and of those the one
    showing the most spots (a hue at the edge of the stickers' colour misses some); None when
    none is accepted in at least :data:`MIN_FOUND_SHARE` of the frames."""
    if not frames:
        return None
    best_hue, best_score = None, (0.0, 0.0)
    for hue in hues:
        counts = np.array([len(blobs(hsv, hue, back)) for hsv, back in frames])
        accepted = np.array([accept(int(n)) for n in counts])
        score = (float(accepted.mean()), float(counts[accepted].mean()) if accepted.any() else 0.0)
        if score > best_score:
            best_hue, best_score = float(hue), score
    return best_hue if best_score[0] >= MIN_FOUND_SHARE else None


def by_level(centroids: np.ndarray, back: BackFrame) -> np.ndarray:
    """``centroids`` sorted from the lowest level (nearest the hips) to the highest."""
    levels = to_body_coords(centroids, back.hip, back.shoulder, back.facing)[:, 0]
    return centroids[np.argsort(levels)]


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


def to_hsv(rgb: np.ndarray) -> np.ndarray:
    """OpenCV HSV (H 0-179, S and V 0-255) of an RGB image."""
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)


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
    """Check the detected stickers against their spacing along the back, and rename or
    distrust them when it does not fit (changes arrays in place).

    Skin between the stickers stretches and the view foreshortens, but far less than
    :data:`MAX_SPACING_CHANGE`: a detected pair whose distance does not fit the spacing of the
    names they carry was mistaken (a sticker took its neighbour's spot while that one was
    hidden). The detections keep their order; of the ways to give them names in that order,
    the one whose spacings fit is taken, the others lost. When none fits, all are distrusted.
    """
    seen = np.nonzero(fresh)[0]
    if len(seen) < 2:
        return
    chain = np.concatenate([[0.0], np.cumsum(spacing)])
    points = position[seen]
    gaps = np.hypot(*np.diff(points, axis=0).T)

    def misfit(names: tuple[int, ...]) -> float:
        expected = np.diff(chain[list(names)])
        return float(np.max(np.abs(gaps / expected - 1.0)))

    if misfit(tuple(seen)) <= MAX_SPACING_CHANGE:
        return
    options = itertools.combinations(range(len(position)), len(seen))
    best = min(options, key=misfit)
    if misfit(best) > MAX_SPACING_CHANGE:
        confidence[seen] = np.minimum(confidence[seen], DISTRUSTED)
        return
    position[:], confidence[:], fresh[:] = np.nan, 0.0, False
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


# Where the protocol's stickers sit, as levels u (0 at the hips, 1 at the shoulders), generous.
EXPECTED_LEVELS = {"s2": (-0.35, 0.35), "l3": (-0.1, 0.6), "l1": (0.15, 0.8)}


def placement_problem(
    stickers: pd.DataFrame, backs: list[BackFrame], names: tuple[str, ...]
) -> str | None:
    """A sentence saying which sticker is not where the protocol puts it (None when all are).

    Each sticker's median level over the frames where it was detected is checked against
    :data:`EXPECTED_LEVELS`.
    """
    for name in names:
        levels = [
            to_body_coords(np.array([[row[f"{name}_x_px"], row[f"{name}_y_px"]]]),
                           back.hip, back.shoulder, back.facing)[0, 0]
            for row, back in zip(stickers.to_dict("records"), backs, strict=False)
            if row[f"{name}_confidence"] >= 1.0 and back.valid
        ]  # fmt: skip
        if not levels:
            return f"the {name.upper()} sticker was never seen clearly"
        low, high = EXPECTED_LEVELS[name]
        level = float(np.median(levels))
        if not low <= level <= high:
            where = "low" if level < low else "high"
            return (
                f"the sticker taken for {name.upper()} sits too {where} on the back "
                f"({100 * level:.0f} % of the way from the hips to the shoulders)"
            )
    return None
