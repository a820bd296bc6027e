"""Skin stickers on the back: found by colour and size (tracked by :mod:`.sticker_tracking`).

Marker mode (see the README's protocol): two or three round, matte, high-contrast stickers on
the back midline over S2, (optionally) L3 and T12/L1. In each frame the search is confined to
the region behind the hip-to-shoulder line (body coordinates of
:mod:`lumbopelvic.kinematics.back_outline`: level ``u`` from below the hips to the shoulders,
depth ``v`` behind the line), so clothing or objects elsewhere in the image cannot be taken
for a sticker.

- **Colour**: unless given, the hue of the saturated, bright pixels in the back region that
  form two or three small blobs in most of the first frames (of hues that do equally well,
  the one with the most saturated spots).
- **Names** by level: the lowest is S2, the highest L1, a third between them L3.

Positions are image pixels (x right, y down).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
# tenth of that size are compression's colour fringes at edges, or a sticker's fragments.
MIN_BLOB_AREA_FRACTION = 0.0001
MAX_BLOB_FRACTION = 0.15  # a blob wider than this share of L is clothing, not a sticker
# A sticker sits on the person: its centre at most this share of L outside the silhouette.
EDGE_FRACTION = 0.04
# A sticker stands alone: at most this share of the ring around it has a similar colour.
MAX_SIMILAR_AROUND = 0.25
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
        [
            [REGION_U[0], REGION_V[0]],
            [REGION_U[1], REGION_V[0]],
            [REGION_U[1], REGION_V[1]],
            [REGION_U[0], REGION_V[1]],
        ]
    )
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

    def accept(n: int) -> bool:
        return 2 <= n <= 3

    hue = _best_hue(frames, tried, accept)
    if hue is None:
        return None
    # The centred hue, unless it fails to show them (it drifted toward a garment).
    centred = _centred_hue(frames, hue)
    return centred if _hue_score(frames, centred, accept)[0] >= MIN_FOUND_SHARE else hue


def _centred_hue(frames: list[tuple[np.ndarray, BackFrame]], hue_deg: float) -> float:
    """The circular mean hue (degrees) at the centres of the spots found with ``hue_deg``.

    The search tries hues on a coarse grid, so the one that found the stickers may sit at
    the edge of their colour, and a sticker on a garment of another colour (S2 on the
    trousers, L1 on the top) can fall outside its window: centring it keeps them all in.
    """
    angles = []
    for hsv, back in frames:
        for x, y in np.round(blobs(hsv, hue_deg, back)).astype(int):
            angles.append(float(hsv[y, x, 0]) * 2.0)
    if not angles:
        return hue_deg
    radians = np.deg2rad(angles)
    return float(np.rad2deg(np.arctan2(np.sin(radians).mean(), np.cos(radians).mean())) % 360)


def count_stickers(samples: Iterable[tuple[np.ndarray, BackFrame]], hue_deg: float) -> int:
    """The commonest number of sticker blobs of ``hue_deg`` over the sample frames with any
    (0 when none shows)."""
    counts = [len(blobs(hsv, hue_deg, back)) for hsv, back in samples if back.valid]
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
    best_hue, best_score = None, (0.0, 0.0, 0.0)
    for hue in hues:
        score = _hue_score(frames, float(hue), accept)
        if score > best_score:
            best_hue, best_score = float(hue), score
    return best_hue if best_score[0] >= MIN_FOUND_SHARE else None


def _hue_score(
    frames: list[tuple[np.ndarray, BackFrame]], hue: float, accept: Callable[[int], bool]
) -> tuple[float, float, float]:
    """How well ``hue`` shows the stickers: the share of frames whose spot count is
    accepted (to one decimal), the mean accepted count, and the spots' mean saturation.

    Ties go to the most saturated spots: compression smears a sticker's rim into the hues
    between it and the garment, paler than the sticker itself.
    """
    found = [(hsv, blobs(hsv, hue, back)) for hsv, back in frames]
    counts = np.array([len(spots) for _, spots in found])
    accepted = np.array([accept(int(n)) for n in counts])
    if not accepted.any():
        return (0.0, 0.0, 0.0)
    saturation = np.mean([_saturation_at(hsv, spots) for hsv, spots in found if len(spots)])
    return (round(float(accepted.mean()), 1), float(counts[accepted].mean()), float(saturation))


def _saturation_at(hsv: np.ndarray, points: np.ndarray) -> float:
    """Mean saturation (0-255) of ``hsv`` at the pixels nearest ``points``."""
    rows = np.clip(np.round(points[:, 1]).astype(int), 0, hsv.shape[0] - 1)
    cols = np.clip(np.round(points[:, 0]).astype(int), 0, hsv.shape[1] - 1)
    return float(hsv[rows, cols, 1].mean())


def by_level(centroids: np.ndarray, back: BackFrame) -> np.ndarray:
    """``centroids`` sorted from the lowest level (nearest the hips) to the highest."""
    levels = to_body_coords(centroids, back.hip, back.shoulder, back.facing)[:, 0]
    return centroids[np.argsort(levels)]


def to_hsv(rgb: np.ndarray) -> np.ndarray:
    """OpenCV HSV (H 0-179, S and V 0-255) of an RGB image."""
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)


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
            to_body_coords(
                np.array([[row[f"{name}_x_px"], row[f"{name}_y_px"]]]),
                back.hip,
                back.shoulder,
                back.facing,
            )[0, 0]
            for row, back in zip(stickers.to_dict("records"), backs, strict=False)
            if row[f"{name}_confidence"] >= 1.0 and back.valid
        ]
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
