"""Pick and follow the main subject when several people are in view.

The first frame with people picks the person whose landmark box is largest and most central;
later frames follow that person by box overlap, so the table never jumps between people.
When nobody overlaps the followed person, the choice is made afresh.
"""

from __future__ import annotations

import numpy as np

# People MediaPipe may detect per frame by default: one more than the subject, so a second
# person in view can be told apart instead of being mistaken for the subject.
DEFAULT_MAX_PEOPLE = 2
# Boxes overlapping less than this (intersection over union) are taken as different people.
MIN_TRACK_IOU = 0.2


def landmark_box(xy: np.ndarray) -> np.ndarray:
    """Bounding box ``(x0, y0, x1, y1)`` of ``(n, 2)`` pixel landmarks, ignoring NaN."""
    return np.array(
        [np.nanmin(xy[:, 0]), np.nanmin(xy[:, 1]), np.nanmax(xy[:, 0]), np.nanmax(xy[:, 1])]
    )


def box_iou(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over union of two ``(x0, y0, x1, y1)`` boxes."""
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return float(inter / union) if union > 0 else 0.0


def prominence(box: np.ndarray, image_size: tuple[int, int]) -> float:
    """Score a person for being the main subject: box area times centrality, in [0, 1].

    Parameters
    ----------
    box
        ``(x0, y0, x1, y1)`` in pixels.
    image_size
        ``(width, height)`` in pixels.
    """
    width, height = image_size
    area = max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1]) / float(width * height)
    cx, cy = (box[0] + box[2]) / 2 / width, (box[1] + box[3]) / 2 / height
    off_centre = np.hypot(cx - 0.5, cy - 0.5) / np.hypot(0.5, 0.5)
    return float(min(area, 1.0) * (1.0 - off_centre))


class SubjectTracker:
    """Choose one person per frame, consistently.

    Parameters
    ----------
    image_size
        ``(width, height)`` of the upright frame in pixels.
    """

    def __init__(self, image_size: tuple[int, int]) -> None:
        self.image_size = image_size
        self._box: np.ndarray | None = None

    def choose(self, boxes: list[np.ndarray]) -> int | None:
        """Return the index of the main subject among this frame's people (None if none)."""
        if not boxes:
            return None
        if self._box is not None:
            overlaps = [box_iou(self._box, box) for box in boxes]
            best = int(np.argmax(overlaps))
            if overlaps[best] >= MIN_TRACK_IOU:
                self._box = boxes[best]
                return best
        best = int(np.argmax([prominence(box, self.image_size) for box in boxes]))
        self._box = boxes[best]
        return best


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


def main_track(labels: np.ndarray) -> int | None:
    """The label with the most frames (None when no frame has a person)."""
    valid = labels[labels >= 0]
    return int(np.bincount(valid).argmax()) if len(valid) else None
