"""The movement tasks: what each one is called, how it is analysed, and what applies to it.

``forward-bend`` (a bend from standing, knees nearly straight), ``hinge`` (deadlifts,
kettlebell deadlifts, Romanian deadlifts, good mornings, hinge drills: knees free, a load in
the hands), ``squat``, ``sit-to-stand`` (counted in stands, with seat-off) and ``walk``.

One registry (:data:`TASKS`) that every layer asks: the repetition finder, the summary and
its flags, the reports, the command line, batch and compare. Adding a task is one
:class:`Task` entry here plus its tests (the README's contributor notes show how).

Two kinds of analysis exist (:data:`ANALYSES`):

``repetitions``  a driver angle leaves its resting level and comes back, once per
                 repetition; each repetition has a going phase, a hold at the deepest point
                 and a returning phase (:mod:`lumbopelvic.rhythm`);
``gait``         steps and strides of a walk (:mod:`lumbopelvic.gait`).
"""

from __future__ import annotations

from dataclasses import dataclass

from lumbopelvic.core.errors import LumbopelvicError

ANALYSES = ("repetitions", "gait")


@dataclass(frozen=True)
class RepetitionRule:
    """How the repetitions of a task are found and counted.

    Attributes
    ----------
    driver
        The angle whose excursions are the repetitions: ``trunk`` or ``knee`` (a column
        ``<driver>_deg`` of the angle table).
    from_straightest
        Measure the driver from its straightest level in the recording, not from quiet
        standing (a squat or sit-to-stand clip may start seated or crouched, so its
        standing baseline can hold bent knees).
    min_excursion_deg
        A repetition takes the driver at least this far (degrees) from its resting level.
    max_knee_deg
        Movements whose knees bend further than this (degrees) are another task and are not
        counted (None: the knees are free).
    knee_tasks
        The tasks that fit a movement turned away for its knees, both named in the flag that
        says so: the one for a lift with bent knees, and the one for a squat or a crouch.
        Required with ``max_knee_deg``.
    """

    driver: str
    from_straightest: bool
    min_excursion_deg: float
    max_knee_deg: float | None = None
    knee_tasks: tuple[str, str] | None = None


@dataclass(frozen=True)
class Task:
    """One movement the product analyses.

    Attributes
    ----------
    id
        The name users type (``--task forward-bend``) and ``summary.json`` records.
    words
        The task in everyday words, as pages and messages write it (``forward bend``).
    analysis
        ``repetitions`` or ``gait`` (:data:`ANALYSES`).
    phases
        The going, holding and returning phase names of a repetition (empty for gait).
    counting
        How repetitions are found (None for gait).
    bent_knee_flag_deg
        Flag knees bent more than this during a repetition (degrees; None: never), for
        tasks whose pelvis/hip picture changes when the knees bend.
    split
        Whether the pelvis/lumbar split applies to the movement (a walk tilts the pelvis only
        3-5°, below what the split resolves: its angle table keeps trunk, hip and knee).
    compared
        Whether ``compare`` compares two recordings of it.
    load_expected
        A load in the hands (a kettlebell, a bar) belongs to the movement: the advice on
        filming does not ask to leave it out.
    counts_stands
        Repetitions are counted as clinicians count a sit-to-stand test: stands (seat-off to
        upright) and sits, with seat-off, the time per stand and for five stands.
    unit
        What the trial counts: ``repetition`` (a whole movement down and back), or, where
        people count the returning phase, its name (``lift``: from the bottom to lock-out,
        however the recording starts; ``stand``: from the seat to upright). A recording of
        one deadlift from the floor (bottom, lock-out, bottom) holds one lift but parts of
        two repetitions.
    """

    id: str
    words: str
    analysis: str
    phases: tuple[str, str, str] | tuple[()] = ()
    counting: RepetitionRule | None = None
    bent_knee_flag_deg: float | None = None
    split: bool = True
    compared: bool = True
    load_expected: bool = False
    counts_stands: bool = False
    unit: str = "repetition"

    def __post_init__(self) -> None:
        if self.analysis not in ANALYSES:
            raise ValueError(f"task {self.id}: unknown analysis {self.analysis!r}")
        if (self.analysis == "repetitions") != (
            self.counting is not None and len(self.phases) == 3
        ):
            raise ValueError(f"task {self.id}: a repetition task has three phases and a rule")

    @property
    def going(self) -> str:
        """The going phase (``flexion``, ``descent``, ``sit-down``)."""
        return self.phases[0] if self.phases else ""

    @property
    def returning(self) -> str:
        """The returning phase (``return``, ``ascent``, ``stand-up``)."""
        return self.phases[2] if self.phases else ""

    @property
    def directional_phases(self) -> tuple[str, ...]:
        """The going and returning phases (not the hold): those with a direction."""
        return (self.going, self.returning) if self.phases else ()

    @property
    def counts_returns(self) -> bool:
        """Whether the trial counts returning phases (lifts, stands), not repetitions."""
        return self.unit != "repetition"

    @property
    def driver(self) -> str:
        """The angle that drives repetitions (``trunk``, ``knee``; empty for gait)."""
        return self.counting.driver if self.counting else ""


TASKS: dict[str, Task] = {
    task.id: task
    for task in (
        Task(
            "forward-bend",
            "forward bend",
            "repetitions",
            ("flexion", "hold", "return"),
            RepetitionRule("trunk", False, 30.0, 60.0, ("hinge", "squat")),
            bent_knee_flag_deg=15.0,
        ),
        Task(
            "hinge",
            "hip hinge",
            "repetitions",
            ("lowering", "bottom", "lifting"),
            RepetitionRule("trunk", False, 30.0),
            load_expected=True,
            unit="lift",
        ),
        Task(
            "squat",
            "squat",
            "repetitions",
            ("descent", "hold", "ascent"),
            RepetitionRule("knee", True, 30.0),
        ),
        Task(
            "sit-to-stand",
            "sit to stand",
            "repetitions",
            ("sit-down", "seated", "stand-up"),
            RepetitionRule("knee", True, 45.0),
            counts_stands=True,
            unit="stand",
        ),
        Task("walk", "walk", "gait", split=False, compared=False),
    )
}
TASK_IDS = tuple(TASKS)
DEFAULT_TASK = "forward-bend"


def task_named(name: str) -> Task:
    """The registered task called ``name``.

    Raises
    ------
    LumbopelvicError
        For a name that is not a task, naming the tasks there are.
    """
    try:
        return TASKS[name]
    except (KeyError, TypeError):
        raise LumbopelvicError(
            f"unknown task {name!r}; choose one of {', '.join(TASK_IDS)}"
        ) from None
