"""Pick and follow the main subject when several people are in view.

The first frame with people picks a person by the ``subject`` rule (``--subject``):

- ``auto`` (the default): the largest and most central person (box area times centrality);
- ``largest``: the largest landmark box; ``central``: the box centre nearest the frame's;
- ``left`` / ``right``: the leftmost / rightmost box centre;
- ``X,Y``: the person at that point: a box containing it (the nearest centre if several),
  else the box centre nearest it. Pixels of the upright frame (origin top-left), or
  fractions of its width and height when both numbers are between 0 and 1.

Later frames follow that person by box overlap, so the table never jumps between people.
When nobody overlaps the followed person, the choice is made afresh by the same rule.
"""

from __future__ import annotations

import numpy as np

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.kinematics.person_tracks import MIN_TRACK_IOU, SUBJECT_AUTO, box_iou

SUBJECT_RULES = (SUBJECT_AUTO, "largest", "central", "left", "right")
SUBJECT_METAVAR = "auto|largest|central|left|right|X,Y"
Subject = str | tuple[float, float]


def parse_subject(text: str) -> Subject:
    """A subject rule name, or the point ``(x, y)`` of ``"x,y"``.

    Raises
    ------
    LumbopelvicError
        For anything else, naming what is allowed.
    """
    value = str(text).strip().lower()
    if value in SUBJECT_RULES:
        return value
    parts = value.replace(" ", "").split(",")
    try:
        x, y = (float(part) for part in parts)
    except ValueError:
        x = y = float("nan")
    if len(parts) != 2 or not (np.isfinite(x) and np.isfinite(y)) or min(x, y) < 0:
        raise LumbopelvicError(
            f"unknown subject {text!r}: give {', '.join(SUBJECT_RULES)}, or a point X,Y of the "
            "first frame (pixels, or fractions 0-1 of its width and height)"
        )
    return (x, y)


def describe_subject(subject: str) -> str:
    """How the subject was chosen, in words (for the landmark table's provenance)."""
    rule = parse_subject(subject)
    chosen = (
        {
            SUBJECT_AUTO: "largest and most central person",
            "largest": "largest person",
            "central": "person nearest the centre of the frame",
            "left": "leftmost person",
            "right": "rightmost person",
        }.get(rule, f"person at the point {subject}")
        if isinstance(rule, str)
        else (f"person at the point {subject} of the first frame")
    )
    return f"{chosen}, then followed by box overlap"


def subject_point_px(point: tuple[float, float], image_size: tuple[int, int]) -> np.ndarray:
    """A point in pixels: fractions of the width and height when both are in [0, 1]."""
    x, y = point
    if x <= 1.0 and y <= 1.0:
        return np.array([x * image_size[0], y * image_size[1]])
    return np.array([x, y])


def subject_score(box: np.ndarray, image_size: tuple[int, int], subject: Subject) -> float:
    """How well a person's box fits the subject rule: the highest score is chosen."""
    width, height = image_size
    centre = np.array([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2])
    if subject == SUBJECT_AUTO:
        return prominence(box, image_size)
    if subject == "largest":
        return float(max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1]))
    if subject == "central":
        return -float(np.hypot(*(centre - np.array([width / 2, height / 2]))))
    if subject in ("left", "right"):
        return float(centre[0]) * (1.0 if subject == "right" else -1.0)
    point = subject_point_px(subject, image_size)  # type: ignore[arg-type]
    inside = box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]
    return float(inside) * 1e9 - float(np.hypot(*(centre - point)))


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
    subject
        The rule for the first choice (see the module docstring), e.g. ``"left"`` or
        ``"0.3,0.5"``.
    """

    def __init__(self, image_size: tuple[int, int], subject: str = SUBJECT_AUTO) -> None:
        self.image_size = image_size
        self.rule = parse_subject(subject)
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
        best = int(np.argmax([subject_score(box, self.image_size, self.rule) for box in boxes]))
        self._box = boxes[best]
        return best
