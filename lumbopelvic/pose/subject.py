"""Pick and follow the main subject when several people are in view.

The first frame with people picks the person whose landmark box is largest and most central;
later frames follow that person by box overlap, so the table never jumps between people.
When nobody overlaps the followed person, the choice is made afresh.
"""

from __future__ import annotations

import numpy as np

from lumbopelvic.kinematics.person_tracks import MIN_TRACK_IOU, box_iou


def landmark_box(xy: np.ndarray) -> np.ndarray:
    """Bounding box ``(x0, y0, x1, y1)`` of ``(n, 2)`` pixel landmarks, ignoring NaN."""
    return np.array(
        [np.nanmin(xy[:, 0]), np.nanmin(xy[:, 1]), np.nanmax(xy[:, 0]), np.nanmax(xy[:, 1])]
    )


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
