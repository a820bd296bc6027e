"""Settings of the rhythm step: the movement recorded (recorded in ``summary.json``)."""

from __future__ import annotations

from dataclasses import dataclass

from lumbopelvic.core.settings import require_finite, setting
from lumbopelvic.core.tasks import DEFAULT_TASK, TASK_IDS, Task, task_named


@dataclass(frozen=True)
class RhythmSettings:
    """Settings of the analysis after the angles.

    Attributes
    ----------
    task
        The movement recorded: one of :data:`lumbopelvic.core.tasks.TASKS`. It chooses how
        the recording is analysed (repetitions, or a walk's steps), the angle repetitions
        are found on and the phase names.
    """

    task: str = setting(
        DEFAULT_TASK,
        "The movement recorded: forward-bend (from standing, knees nearly straight), hinge "
        "(deadlifts, kettlebell deadlifts, Romanian deadlifts, good mornings: knees free, a "
        "load in the hands), squat, sit-to-stand (counted in stands) or walk.",
        choices=TASK_IDS,
    )

    def __post_init__(self) -> None:
        require_finite(self)
        task_named(self.task)  # an unknown task is one clear error, here, before any work

    @property
    def movement(self) -> Task:
        """The task's definition (:class:`lumbopelvic.core.tasks.Task`)."""
        return task_named(self.task)
