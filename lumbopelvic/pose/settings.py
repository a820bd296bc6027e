"""Settings of the pose step: every one changes the landmark table, so all are in the cache key."""

from __future__ import annotations

from dataclasses import dataclass

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.settings import require_finite, setting
from lumbopelvic.core.time_range import check_range_order, parse_time_s
from lumbopelvic.pose.mediapipe.model_registry import DEFAULT_MODEL
from lumbopelvic.pose.subject import SUBJECT_AUTO, SUBJECT_METAVAR, parse_subject

# One more person than the subject, so a second person in view can be told apart instead of
# being mistaken for the subject.
DEFAULT_MAX_PEOPLE = 2
# Between looks for other people the model follows one person
# (lumbopelvic.pose.mediapipe.people_watch): a look costs about one frame's inference, so once
# a second adds about 3 % at 30 fps.
DEFAULT_PEOPLE_CHECK_S = 1.0
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
    people_check_s
        Seconds between looks for other people in view; between looks the model follows one
        person (:mod:`lumbopelvic.pose.mediapipe.people_watch`). 0: look for everyone in
        every frame.
    min_detection_confidence, min_presence_confidence, min_tracking_confidence
        MediaPipe thresholds in [0, 1].
    outline_tolerance_px
        Simplification tolerance of the stored silhouette outline, pixels.
    start, end
        The part of the recording to analyse, seconds of the recording's own clock (None:
        from its beginning, to its end); text such as ``"1:05.5"`` is read as minutes and
        seconds (:mod:`lumbopelvic.core.time_range`). Outputs keep the recording's times.
    subject
        Who to follow when several people are in view (:mod:`lumbopelvic.pose.subject`):
        ``auto``, ``largest``, ``central``, ``left``, ``right`` or a point ``"x,y"`` of the
        first frame (pixels, or fractions 0-1 of its width and height).
    """

    # MediaPipe is the only pose backend, so the default is its default bundle.
    model: str = setting(
        DEFAULT_MODEL,
        "Pose model: lite, full, heavy, or a path to a PoseLandmarker .task.",
        short="-m",
    )
    max_people: int = setting(
        DEFAULT_MAX_PEOPLE, "People to detect per frame; the main subject is followed."
    )
    people_check_s: float = setting(
        DEFAULT_PEOPLE_CHECK_S,
        "Seconds between looks for other people in view (the model "
        "follows one person in between; 0: look in every frame, slower).",
        metavar="SECONDS",
    )
    min_detection_confidence: float = setting(0.5, "MediaPipe detection threshold.", option=False)
    min_presence_confidence: float = setting(0.5, "MediaPipe presence threshold.", option=False)
    min_tracking_confidence: float = setting(0.5, "MediaPipe tracking threshold.", option=False)
    outline_tolerance_px: float = setting(
        SIMPLIFY_TOLERANCE_PX, "Outline simplification tolerance, px.", option=False
    )
    start: float | None = setting(
        None,
        "Analyse from this time of the recording: seconds (65.5) or mm:ss (1:05.5); "
        "outputs keep the recording's own times.",
        parse=parse_time_s,
        metavar="TIME",
    )
    end: float | None = setting(
        None,
        "Analyse up to this time of the recording (seconds or mm:ss).",
        parse=parse_time_s,
        metavar="TIME",
    )
    subject: str = setting(
        SUBJECT_AUTO,
        "Who to follow when several people are in view: auto (largest and most "
        "central), largest, central, left, right, or X,Y: the person at that point of the "
        "first frame, in pixels or as fractions 0-1 of width and height.",
        metavar=SUBJECT_METAVAR,
    )

    def __post_init__(self) -> None:
        for name in ("start", "end"):  # the Python API and settings files may give text
            value = getattr(self, name)
            if isinstance(value, str):
                try:
                    object.__setattr__(self, name, parse_time_s(value))
                except ValueError as error:
                    raise LumbopelvicError(f"--{name}: {error}") from None
            elif value is not None:
                object.__setattr__(self, name, float(value))
        require_finite(self)
        check_range_order(self.start, self.end)
        rule = parse_subject(self.subject)  # kept in one spelling (the cache key has it)
        spelled = rule if isinstance(rule, str) else "{:g},{:g}".format(*rule)
        object.__setattr__(self, "subject", spelled)
        if self.max_people < 1:
            raise LumbopelvicError("max_people must be at least 1")
        if self.people_check_s < 0:
            raise LumbopelvicError(f"people_check_s must be 0 or more, got {self.people_check_s}")
        for name in (
            "min_detection_confidence",
            "min_presence_confidence",
            "min_tracking_confidence",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise LumbopelvicError(f"{name} must be between 0 and 1, got {value}")
