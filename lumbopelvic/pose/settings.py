"""Settings of the pose step: every one changes the landmark table, so all are in the cache key."""

from __future__ import annotations

from dataclasses import dataclass

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.settings import require_finite, setting
from lumbopelvic.pose.model_registry import DEFAULT_MODEL

# One more person than the subject, so a second person in view can be told apart instead of
# being mistaken for the subject.
DEFAULT_MAX_PEOPLE = 2
# Douglas-Peucker tolerance in pixels: keeps the back's curvature (well above 1 px over a
# lumbar span of ~100 px) while cutting the vertex count ~10x.
SIMPLIFY_TOLERANCE_PX = 1.0


@dataclass(frozen=True)
class PoseSettings:
    """Settings that change the landmark table (all part of the cache key).

    Attributes
    ----------
    model
        Model name (``lite``, ``full``, ``heavy``) or path to a PoseLandmarker ``.task``.
    max_people
        People MediaPipe may detect per frame; >1 lets the main subject be chosen and followed
        when several are in view.
    min_detection_confidence, min_presence_confidence, min_tracking_confidence
        MediaPipe thresholds in [0, 1].
    outline_tolerance_px
        Simplification tolerance of the stored silhouette outline, pixels.
    """

    model: str = setting(
        DEFAULT_MODEL, "Pose model: lite, full, heavy, or a path to a PoseLandmarker .task.",
        short="-m",
    )  # fmt: skip
    max_people: int = setting(
        DEFAULT_MAX_PEOPLE, "People to detect per frame; the main subject is followed."
    )
    min_detection_confidence: float = setting(0.5, "MediaPipe detection threshold.", option=False)
    min_presence_confidence: float = setting(0.5, "MediaPipe presence threshold.", option=False)
    min_tracking_confidence: float = setting(0.5, "MediaPipe tracking threshold.", option=False)
    outline_tolerance_px: float = setting(
        SIMPLIFY_TOLERANCE_PX, "Outline simplification tolerance, px.", option=False
    )

    def __post_init__(self) -> None:
        require_finite(self)
        if self.max_people < 1:
            raise LumbopelvicError("max_people must be at least 1")
        for name in (
            "min_detection_confidence",
            "min_presence_confidence",
            "min_tracking_confidence",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise LumbopelvicError(f"{name} must be between 0 and 1, got {value}")
