"""The movement tasks, how each one's repetitions are found and named, and the rhythm settings."""

from __future__ import annotations

from dataclasses import dataclass

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.settings import require_finite, setting

WALK = "walk"
# Tasks of repetitions (a driver angle going and coming back); walking is analysed by
# :mod:`lumbopelvic.gait` instead.
REPETITION_TASKS = ("forward-bend", "squat", "sit-to-stand")
TASKS = (*REPETITION_TASKS, WALK)
DRIVER = {"forward-bend": "trunk", "squat": "knee", "sit-to-stand": "knee"}
PHASE_NAMES = {
    "forward-bend": ("flexion", "hold", "return"),
    "squat": ("descent", "hold", "ascent"),
    "sit-to-stand": ("sit-down", "seated", "stand-up"),
}


@dataclass(frozen=True)
class RhythmSettings:
    """Settings of the rhythm analysis (recorded in ``summary.json``).

    Attributes
    ----------
    task
        The movement recorded: one of :data:`TASKS`. For repetitions it chooses the driver
        angle they are found on (:data:`DRIVER`) and the phase names (:data:`PHASE_NAMES`);
        ``walk`` is analysed step by step (:mod:`lumbopelvic.gait`).
    """

    task: str = setting("forward-bend", "The movement recorded.", choices=TASKS)

    def __post_init__(self) -> None:
        require_finite(self)
        if self.task not in TASKS:
            raise LumbopelvicError(f"unknown task {self.task!r}; choose one of {', '.join(TASKS)}")

    @property
    def driver_angle(self) -> str:
        """The angle whose excursions are the repetitions (``trunk`` or ``knee``; none for
        a walk)."""
        return DRIVER.get(self.task, "")
