"""The task registry: every layer asks it, an unknown task is one clear error, and a new task
is one entry."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
from test_summary import _angles as bend_angles

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.schema import ANGLE_NAMES
from lumbopelvic.core.tasks import TASK_IDS, TASKS, RepetitionRule, Task, task_named
from lumbopelvic.rhythm.analysis import analyse_rhythm
from lumbopelvic.rhythm.settings import RhythmSettings
from lumbopelvic.workflows.settings import AnalysisSettings


def test_every_repetition_task_is_complete():
    for task in TASKS.values():
        assert task.words and task.id == task.id.lower()
        if task.analysis == "repetitions":
            assert len(task.phases) == 3 and len(set(task.phases)) == 3
            assert task.driver in ANGLE_NAMES
            assert task.counting.min_excursion_deg > 0
            if task.counting.max_knee_deg is not None:
                # A movement turned away for its knees is sent to a task that counts it.
                assert all(
                    task_named(t).analysis == "repetitions" for t in task.counting.knee_tasks
                )
        else:
            assert task.phases == () and task.counting is None and task.driver == ""


def test_an_unknown_task_is_one_clear_error_everywhere():
    with pytest.raises(LumbopelvicError, match="unknown task 'cartwheel'; choose one of"):
        task_named("cartwheel")
    with pytest.raises(LumbopelvicError, match="unknown task"):
        RhythmSettings("cartwheel")
    with pytest.raises(LumbopelvicError, match="unknown task"):
        AnalysisSettings.from_options(task="cartwheel")
    with pytest.raises(LumbopelvicError) as refused:
        task_named("x")
    assert all(name in str(refused.value) for name in TASK_IDS)


def test_a_task_without_three_phases_and_a_rule_is_refused():
    with pytest.raises(ValueError, match="three phases"):
        Task("lunge", "lunge", "repetitions", ("down", "up"), RepetitionRule("knee", True, 20))


def test_walking_has_no_repetitions():
    with pytest.raises(LumbopelvicError, match="not analysed by repetitions"):
        analyse_rhythm(_angles(np.zeros(90)), RhythmSettings("walk"))


def _angles(trunk: np.ndarray) -> pd.DataFrame:
    return bend_angles(np.zeros(len(trunk)), trunk)


def test_a_new_task_is_one_registry_entry(monkeypatch):
    """A hinge drill added as one entry: found on the trunk, with its own phase names and
    words, with no other change anywhere."""
    drill = Task(
        "hinge-drill",
        "hinge drill",
        "repetitions",
        ("lowering", "bottom", "lifting"),
        RepetitionRule("trunk", False, 20.0),
    )
    monkeypatch.setitem(TASKS, drill.id, drill)
    t = np.arange(0, 8, 1 / 30)
    # Two 25° dips: under the forward bend's 30° threshold, over the drill's 20°.
    trunk = np.interp(t, [0, 1, 2, 3, 4, 5, 6, 7, 8], [0, 0, 25, 25, 0, 25, 25, 0, 0])
    assert analyse_rhythm(_angles(trunk)).summary.repetitions.found == 0
    found = analyse_rhythm(_angles(trunk), RhythmSettings("hinge-drill"))
    assert found.summary.repetitions.found == 2
    assert set(found.reps["phase"]) == {"lowering", "bottom", "lifting"}
    assert set(found.summary.phases) == {"lowering", "lifting"}
    assert found.summary.task == "hinge-drill" and found.summary.verdict == "analysable"
    changed = dataclasses.replace(drill, words="hip hinge drill")
    monkeypatch.setitem(TASKS, drill.id, changed)
    assert task_named("hinge-drill").words == "hip hinge drill"
