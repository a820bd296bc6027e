import numpy as np
import pytest

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.rhythm.repetitions import find_repetitions

FPS = 30


def _bends(
    t: np.ndarray,
    starts: list[float],
    peak: float = 100.0,
    down: float = 1.5,
    hold: float = 0.5,
    up: float = 1.5,
) -> np.ndarray:
    out = np.zeros_like(t)
    for s in starts:
        going = np.clip((t - s) / down, 0, 1)
        back = np.clip((t - s - down - hold) / up, 0, 1)
        out += peak * (np.sin(np.pi / 2 * going) ** 2 - np.sin(np.pi / 2 * back) ** 2)
    return out


def test_three_bends_with_sway_are_found_with_phases():
    t = np.arange(0, 14, 1 / FPS)
    rng = np.random.default_rng(0)
    angle = (
        _bends(t, [1.0, 5.5, 10.0])
        + 2 * np.sin(2 * np.pi * 0.3 * t)
        + 0.5 * rng.standard_normal(len(t))
    )
    reps = find_repetitions(angle)
    assert [r.number for r in reps] == [1, 2, 3]
    assert all(r.complete for r in reps)
    first = reps[0]
    assert abs(t[first.start] - 1.1) < 0.35
    assert abs(t[first.peak_start] - 2.3) < 0.3 and abs(t[first.peak_stop - 1] - 3.2) < 0.3
    assert abs(t[first.stop - 1] - 4.4) < 0.35
    going, hold, back = first.phases()
    assert going.stop - 1 == hold.start and back.start == hold.stop - 1


def test_a_pause_on_the_way_down_stays_in_one_repetition():
    t = np.arange(0, 8, 1 / FPS)
    angle = np.interp(t, [0, 1, 2, 3.5, 4.5, 5.0, 6.5, 8], [0, 0, 45, 45, 100, 100, 0, 0])
    assert len(find_repetitions(angle)) == 1


def test_partial_last_bend_and_start_mid_bend_are_flagged():
    t = np.arange(0, 8, 1 / FPS)
    angle = _bends(t, [-2.5, 3.0, 6.5])  # in a bend at t=0; last bend cut at 8 s
    reps = find_repetitions(angle)
    assert len(reps) == 3
    assert not reps[0].complete_start and reps[0].complete_end
    assert reps[1].complete
    assert reps[2].complete_start and not reps[2].complete_end


def test_no_bend_gives_no_repetition():
    t = np.arange(0, 6, 1 / FPS)
    walking = 8 * np.sin(2 * np.pi * 1.0 * t)
    assert find_repetitions(walking) == []
    assert find_repetitions(np.full(10, np.nan)) == []


def test_gaps_inside_a_bend_are_bridged():
    t = np.arange(0, 6, 1 / FPS)
    angle = _bends(t, [1.0])
    angle[50:60] = np.nan
    assert len(find_repetitions(angle)) == 1


def test_unknown_task():
    with pytest.raises(LumbopelvicError, match="unknown task"):
        find_repetitions(np.zeros(5), "cartwheel")


def test_a_lift_from_the_floor_is_whole_from_the_floor_to_lock_out():
    """A barbell lift filmed from the bar on the floor: setting up at the bottom, a last dip
    before the pull, up to lock-out, down again and the clip stops at the bottom."""
    t = np.arange(0, 5, 1 / FPS)
    angle = np.interp(t, [0, 1.8, 2.3, 3.2, 3.6, 4.3, 5.0], [75, 77, 88, 0, 0, 78, 80])
    first, second = find_repetitions(angle, "hinge", t)
    assert first.return_complete and not first.going_complete  # the lift is whole
    assert second.going_complete and not second.return_complete  # down, then resting
    # The same lift filmed from half way up: the lift began before the recording.
    later = t >= 2.75
    cut = find_repetitions(angle[later], "hinge", t[later])[0]
    assert not cut.return_complete and not cut.going_complete


def test_a_deep_knee_lift_is_a_hinge_and_a_forward_bend_says_so():
    from test_summary import _angles

    from lumbopelvic.rhythm.analysis import analyse_rhythm
    from lumbopelvic.rhythm.settings import RhythmSettings

    t = np.arange(0, 12, 1 / FPS)
    trunk = _bends(t, [1.0, 5.5], peak=70.0)
    knee = _bends(t, [1.0, 5.5], peak=75.0)  # a kettlebell deadlift bends the knees 50-80°
    lift = analyse_rhythm(_angles(knee, trunk), RhythmSettings("hinge"))
    assert lift.summary.repetitions.found == 2 and lift.summary.repetitions.complete == 2
    assert set(lift.summary.phases) == {"lowering", "lifting"}
    assert not any("knees" in flag for flag in lift.summary.flags)
    bend = analyse_rhythm(_angles(knee, trunk))
    assert bend.summary.repetitions.found == 0
    (flag,) = [f for f in bend.summary.flags if "knees bent past 60°" in f]
    assert "try --task hinge" in flag and "--task squat" in flag


def test_one_deadlift_from_the_floor_is_one_lift_with_figures():
    """Floor, lock-out, floor: parts of two repetitions, but one lift, and its lifting phase
    gives the trial's figures (nothing is left unanalysed for want of a whole repetition)."""
    from test_summary import _angles

    from lumbopelvic.outputs.report_text import found_sentence
    from lumbopelvic.rhythm.analysis import analyse_rhythm
    from lumbopelvic.rhythm.settings import RhythmSettings

    t = np.arange(0, 5, 1 / FPS)
    trunk = np.interp(t, [0, 1.8, 2.3, 3.2, 3.6, 4.3, 5.0], [75, 77, 88, 0, 0, 78, 80])
    knee = np.interp(t, [0, 1.8, 2.3, 3.2, 3.6, 4.3, 5.0], [70, 70, 75, 0, 0, 70, 72])
    summary = analyse_rhythm(_angles(knee, trunk), RhythmSettings("hinge")).summary
    assert (summary.found, summary.whole, summary.unit) == (1, 1, "lift")
    assert summary.repetitions.found == 2 and summary.repetitions.complete == 0
    # Both whole phases are analysed: the lift and the lowering back to the floor after it.
    assert summary.phase("lifting")["peak_trunk_deg"].mean == pytest.approx(88, abs=2)
    assert summary.phase("lowering")["peak_trunk_deg"].n == 1
    sentence = found_sentence(summary)
    assert sentence.startswith("1 lift was found (1 whole)") and "repetition 1 lifting" in sentence
