"""The person's outline from a segmentation mask, stored as a compact polyline.

Full masks are large and mostly empty; the later pelvis estimate only needs the outline of
the back. An outline is kept as integer pixel vertices of the upright frame, simplified with
the Douglas-Peucker algorithm, and serialised as ``"x,y x,y ..."`` so it fits a CSV cell
(:mod:`lumbopelvic.core.outline_codec`).
"""

from __future__ import annotations

import cv2
import numpy as np

from lumbopelvic.core.landmarks import LANDMARK_INDEX
from lumbopelvic.pose.settings import SIMPLIFY_TOLERANCE_PX
from lumbopelvic.pose.subject import landmark_box

MASK_THRESHOLD = 0.5
# The outline is searched in the subject's landmark box grown by this fraction on each side:
# the body surface lies outside the joint centres a pose model reports.
OUTLINE_BOX_MARGIN = 0.25
HIP_ROWS = [LANDMARK_INDEX["left_hip"], LANDMARK_INDEX["right_hip"]]


def mask_outline(
    mask: np.ndarray,
    roi: tuple[int, int, int, int] | None = None,
    anchor: tuple[float, float] | None = None,
    tolerance_px: float = SIMPLIFY_TOLERANCE_PX,
) -> np.ndarray:
    """Return the outer outline of the person in a segmentation mask.

    Parameters
    ----------
    mask
        ``(height, width)`` person probability in [0, 1] (or a boolean mask).
    roi
        Optional ``(x0, y0, x1, y1)`` pixel box to search in (clipped to the image); speeds
        things up and keeps other people out.
    anchor
        Optional ``(x, y)`` pixel point on the person (e.g. the mid-hip). Among several blobs
        the one containing, or else nearest to, the anchor is returned; without an anchor, the
        largest.
    tolerance_px
        Simplification tolerance in pixels.

    Returns
    -------
    numpy.ndarray
        ``(n, 2)`` int32 vertices ``(x, y)`` in full-image pixels, in contour order; empty
        ``(0, 2)`` when the mask holds no person.
    """
    height, width = mask.shape[:2]
    x0, y0, x1, y1 = 0, 0, width, height
    if roi is not None:
        x0, y0 = max(0, int(roi[0])), max(0, int(roi[1]))
        x1, y1 = min(width, int(np.ceil(roi[2]))), min(height, int(np.ceil(roi[3])))
        if x1 <= x0 or y1 <= y0:
            return np.empty((0, 2), np.int32)
    crop = mask[y0:y1, x0:x1]
    if crop.dtype == np.uint8 or crop.dtype == bool:
        binary = (crop > 0).astype(np.uint8)
    else:  # one vectorised pass straight to 0/255 (this runs on every frame)
        binary = cv2.compare(np.ascontiguousarray(crop, np.float32), MASK_THRESHOLD, cv2.CMP_GT)
    contours, _ = cv2.findContours(binary, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return np.empty((0, 2), np.int32)
    chosen = _choose_contour(contours, None if anchor is None else (anchor[0] - x0, anchor[1] - y0))
    simplified = cv2.approxPolyDP(chosen, tolerance_px, closed=True)
    return (simplified.reshape(-1, 2) + np.array([x0, y0])).astype(np.int32)


def _choose_contour(
    contours: tuple[np.ndarray, ...], anchor: tuple[float, float] | None
) -> np.ndarray:
    if anchor is None or len(contours) == 1:
        return max(contours, key=cv2.contourArea)
    point = (float(anchor[0]), float(anchor[1]))
    # pointPolygonTest: positive inside, negative outside (signed distance).
    return max(contours, key=lambda c: cv2.pointPolygonTest(c, point, True))


def subject_outline(
    mask: np.ndarray, landmarks: np.ndarray, tolerance_px: float = SIMPLIFY_TOLERANCE_PX
) -> np.ndarray:
    """The outline of the person whose landmarks are given, from a segmentation mask.

    Searched near their landmarks (the box of their landmarks grown by
    :data:`OUTLINE_BOX_MARGIN`), the blob at their mid-hip preferred, so that other people in
    the mask are left out.

    Parameters
    ----------
    mask
        ``(height, width)`` person probability in [0, 1] (or a boolean mask) of the upright
        frame.
    landmarks
        The person's ``(33, 8)`` landmarks (:mod:`lumbopelvic.core.landmarks`); x and y in
        pixels of the same frame.
    tolerance_px
        Simplification tolerance in pixels.

    Returns
    -------
    numpy.ndarray
        As :func:`mask_outline`: ``(n, 2)`` int32 pixel vertices, ``(0, 2)`` when none.
    """
    box = landmark_box(landmarks[:, :2])
    margin = OUTLINE_BOX_MARGIN * max(box[2] - box[0], box[3] - box[1])
    roi = (box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin)
    hips = landmarks[HIP_ROWS, :2].mean(axis=0)
    return mask_outline(mask, roi, tuple(hips), tolerance_px)
