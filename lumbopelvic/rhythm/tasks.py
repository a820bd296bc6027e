"""The movement tasks, how each one's repetitions are found and named, and the rhythm settings."""

from __future__ import annotations

from dataclasses import dataclass

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.settings import require_finite, setting

TASKS = ("forward-bend", "squat", "sit-to-stand")
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
        The movement recorded: one of :data:`TASKS`. It chooses the driver angle that
        repetitions are found on (:data:`DRIVER`) and the phase names (:data:`PHASE_NAMES`).
    """

    task: str = setting("forward-bend", "The movement recorded.", choices=TASKS)

    def __post_init__(self) -> None:
        require_finite(self)
        if self.task not in TASKS:
            raise LumbopelvicError(f"unknown task {self.task!r}; choose one of {', '.join(TASKS)}")

    @property
    def driver_angle(self) -> str:
        """The angle whose excursions are the repetitions (``trunk`` or ``knee``)."""
        return DRIVER[self.task]
