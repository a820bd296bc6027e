"""Follow one person at the cost of one, and notice when others come into view.

PoseLandmarker in VIDEO mode tracks the people it found and runs its person detector only
when it holds fewer than ``num_poses`` of them. Asked for two people while one is in view, it
runs the detector on every frame: about 1.4x the cost of following one person. So the
landmarker follows one person, and every ``people_check_s`` seconds one frame also goes to
a landmarker in IMAGE mode that looks for everyone. When it sees several people, frames go
to a landmarker that follows up to ``max_people`` (the subject is then chosen among them,
:mod:`lumbopelvic.pose.subject`), until only one person has been seen for
``SINGLE_AGAIN_S`` seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lumbopelvic.pose.settings import PoseSettings

# Seconds with at most one person in view before following one person again.
SINGLE_AGAIN_S = 3.0


class PeopleWatch:
    """The landmarker to use for each frame: one person, or several once several are seen.

    Parameters
    ----------
    create
        ``create(people, video)``: a PoseLandmarker that finds up to ``people`` people, in
        VIDEO mode (``video=True``, with ``detect_for_video``) or IMAGE mode (``detect``);
        each is closed with ``close()``.
    settings
        ``max_people`` (1: never look for others) and ``people_check_s`` (seconds between
        looks; 0: look for everyone in every frame, the slower way of earlier versions).

    Attributes
    ----------
    switches
        ``(time_s, people)`` of each change of mode: 1 (following one person) or
        ``max_people`` (following several).
    checks
        Frames sent to the IMAGE-mode check.
    """

    def __init__(self, create: Callable[[int, bool], Any], settings: PoseSettings) -> None:
        self.create = create
        self.settings = settings
        self.switches: list[tuple[float, int]] = []
        self.checks = 0
        self._tracking: Any = None
        self._people = 0
        self._checker: Any = None
        self._next_check_s = float("-inf")
        self._single_since_s: float | None = None

    def __enter__(self) -> PeopleWatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self._close_tracking()
        if self._checker is not None:
            self._checker.close()
            self._checker = None

    @property
    def watching(self) -> bool:
        """Whether other people are looked for now and then (else every frame or never)."""
        return self.settings.max_people > 1 and self.settings.people_check_s > 0

    def detect(self, image: Any, timestamp_ms: int, time_s: float) -> Any:
        """The PoseLandmarker result of one frame (VIDEO-mode timestamps, strictly rising)."""
        wanted = self._people or self._first_mode()
        if self.watching and wanted == 1 and time_s >= self._next_check_s:
            self._next_check_s = time_s + self.settings.people_check_s
            self.checks += 1
            if len(self._check(image).pose_landmarks) > 1:
                wanted = self.settings.max_people
        if wanted != self._people:
            self._switch(wanted, time_s)
        result = self._tracking.detect_for_video(image, timestamp_ms)
        if self.watching and self._people > 1:
            self._maybe_single_again(len(result.pose_landmarks), time_s)
        return result

    def _first_mode(self) -> int:
        return 1 if self.watching or self.settings.max_people == 1 else self.settings.max_people

    def _maybe_single_again(self, seen: int, time_s: float) -> None:
        if seen > 1:
            self._single_since_s = None
            return
        if self._single_since_s is None:
            self._single_since_s = time_s
        elif time_s - self._single_since_s >= SINGLE_AGAIN_S:
            self._single_since_s = None
            self._people = 0  # the next frame starts following one person
            self._next_check_s = time_s + self.settings.people_check_s

    def _switch(self, people: int, time_s: float) -> None:
        self._close_tracking()
        self._tracking = self.create(people, True)
        self._people = people
        self.switches.append((round(time_s, 3), people))

    def _check(self, image: Any) -> Any:
        if self._checker is None:
            self._checker = self.create(self.settings.max_people, False)
        return self._checker.detect(image)

    def _close_tracking(self) -> None:
        if self._tracking is not None:
            self._tracking.close()
            self._tracking = None
