"""Confidence factors, the trial verdict, and gating of uncertain values out of the figures."""

import numpy as np
import pandas as pd
import pytest

from lumbopelvic.kinematics.confidence import (
    FACTOR_LABELS,
    agreement_factor,
    familiarity_factor,
    plausibility_factor,
    ramp_down,
    trunk_view_factor,
    weakest_factor,
)
from lumbopelvic.kinematics.split_model import novelty_score
from lumbopelvic.outputs.report_text import plain_summary
from lumbopelvic.rhythm.analysis import analyse_rhythm
from lumbopelvic.rhythm.repetitions import find_repetitions
from lumbopelvic.rhythm.verdict import trial_verdict

FPS = 30.0


def test_ramps_and_view_factors():
    np.testing.assert_allclose(
        ramp_down(np.array([0, 10, 15, 20, np.nan]), 10, 20), [1, 1, 0.5, 0, 1]
    )
    assert trunk_view_factor(10) == 1 and trunk_view_factor(45) == pytest.approx(0.5)
    assert trunk_view_factor(70) == 0 and trunk_view_factor(float("nan")) == 1


def test_agreement_falls_as_independent_estimates_part():
    factor = agreement_factor(np.array([0.0, 5.0, 10.0, 15.0, 40.0, np.nan]))
    np.testing.assert_allclose(factor, [1, 1, 0.5, 0, 0, 1])


def test_familiarity_falls_with_distance_from_the_training_frames():
    z = np.array([[0.5, -0.5, 1.0], [3.0, -4.0, 5.0], [np.nan, np.nan, np.nan]])
    novelty = novelty_score(z)
    assert novelty[0] == pytest.approx(np.sqrt(0.5)) and np.isnan(novelty[2])
    factor = familiarity_factor(novelty, {"p95": 1.5, "p99": 2.0})
    assert factor[0] == 1 and factor[1] == 0 and factor[2] == 1
    # A model trained before novelty was recorded cannot judge: every frame counts as familiar.
    assert (familiarity_factor(novelty, None) == 1).all()


def test_implausible_angles_and_jumps_get_no_confidence():
    t = np.arange(60) / FPS
    pelvis = np.linspace(0, 40, 60)
    lumbar = np.linspace(0, 30, 60)
    assert plausibility_factor(pelvis, lumbar, t).all()
    pelvis[30] = 130  # beyond any pelvis tilt
    lumbar[10] = lumbar[9] + 25  # a 25 degree jump in one frame: 750 deg/s
    factor = plausibility_factor(pelvis, lumbar, t)
    assert factor[30] == 0 and factor[10] == 0 and factor[50] == 1


def test_the_weakest_factor_names_the_reason():
    assert weakest_factor({"outline": 0.2, "stance": 0.9, "view": np.nan}) == "outline"
    assert weakest_factor({}) is None


def _bend_table(confidence: float = 1.0, knee_peak: float = 0.0, down_s: float = 1.5):
    t = np.arange(0, 9, 1 / FPS)
    shape = np.interp(t, [0, 1.5, 1.5 + down_s, 3.5 + down_s, 5 + down_s, 9], [0, 0, 1, 1, 0, 0])
    trunk = 80 * shape
    n = len(t)
    table = pd.DataFrame(
        {
            "frame": np.arange(n),
            "time_s": t,
            "trunk_deg": trunk,
            "pelvis_deg": 0.5 * trunk,
            "lumbar_deg": 0.5 * trunk,
            "hip_deg": 0.5 * trunk + 5 * shape,  # the thighs lean back 5 degrees
            "knee_deg": knee_peak * shape,
            "confidence": np.full(n, confidence),
        }
    )
    table["low_confidence"] = table["confidence"] < 0.5
    for name in FACTOR_LABELS:
        table[f"{name}_factor"] = 1.0
    return table


def _verdict(table, quality=None, task="forward-bend"):
    reps = find_repetitions(table["trunk_deg"].to_numpy(), task, table["time_s"].to_numpy())
    quality = quality or {"yaw_deg": 10.0, "split_supported": True}
    return trial_verdict(table, reps, quality, task).to_json()


def test_verdicts():
    good = _verdict(_bend_table())
    assert good["verdict"] == "analysable" and good["confident_share"] == 1.0
    assert not good["verdict_reasons"]

    frontal = _verdict(_bend_table(), {"yaw_deg": 80.0, "split_supported": False})
    assert frontal["verdict"] == "not-analysable"
    assert "faces the person" in frontal["verdict_reasons"][0] and frontal["verdict_advice"]

    oblique = _verdict(_bend_table(), {"yaw_deg": 45.0, "split_supported": False})
    assert oblique["verdict"] == "trunk-only" and "45°" in oblique["verdict_reasons"][0]

    hidden = _bend_table(confidence=0.2)
    hidden["outline_factor"] = 0.3
    covered = _verdict(hidden)
    assert covered["verdict"] == "trunk-only"
    assert "outline is hidden" in covered["verdict_reasons"][0]
    assert any("fitted clothing" in a for a in covered["verdict_advice"])

    still = _bend_table()
    still[["trunk_deg", "pelvis_deg", "lumbar_deg"]] = 2.0
    nothing = _verdict(still)
    assert nothing["verdict"] == "not-analysable"
    assert nothing["verdict_reasons"] == ["no forward-bend movement was found in this recording"]

    empty = _bend_table()
    empty["trunk_deg"] = np.nan
    assert "a person was seen in only 0 %" in _verdict(empty)["verdict_reasons"][0]


def test_jerks_and_crouches_are_not_forward_bends():
    t = np.arange(0, 4, 1 / FPS)
    jerk = np.interp(t, [0, 1.5, 1.7, 1.9, 4], [0, 0, 50, 0, 0])  # 50 degrees and back in 0.4 s
    assert find_repetitions(jerk, "forward-bend", t) == []
    slow = np.interp(t, [0, 1.0, 1.5, 2.0, 4], [0, 0, 50, 0, 0])  # the same in 1 s: a bend
    assert len(find_repetitions(slow, "forward-bend", t)) == 1
    crouch = analyse_rhythm(_bend_table(knee_peak=90.0))
    assert crouch.summary.to_json()["repetitions"]["found"] == 0
    assert crouch.summary.to_json()["verdict"] == "not-analysable"
    assert any("knees bent past 60°" in flag for flag in crouch.summary.to_json()["flags"])


def test_uncertain_phases_stay_out_of_the_pelvis_and_lumbar_figures():
    table = _bend_table()
    # The second half of the clip (the return) is uncertain and reads far too much lumbar.
    late = table["time_s"] > 4.0
    table.loc[late, "confidence"] = 0.1
    table.loc[late, "lumbar_deg"] = 0.9 * table.loc[late, "trunk_deg"]
    table.loc[late, "pelvis_deg"] = 0.1 * table.loc[late, "trunk_deg"]
    table["low_confidence"] = table["confidence"] < 0.5
    found = analyse_rhythm(table)
    summary = found.summary.to_json()
    assert summary["phases_left_out_low_confidence"] == {"flexion": 0, "return": 1}
    assert summary["phases"]["return"]["peak_lumbar_deg"]["n"] == 0
    # Hip flexion is the pelvis against the thigh: measured with it, left out with it.
    assert summary["phases"]["flexion"]["peak_hip_deg"]["mean"] == pytest.approx(45, abs=0.5)
    assert summary["phases"]["return"]["peak_hip_deg"]["n"] == 0
    assert summary["phases"]["return"]["peak_trunk_deg"]["n"] == 1  # the trunk still stands
    share = summary["phases"]["flexion"]["lumbar_contribution_pct"]["mean"]
    assert share == pytest.approx(50, abs=1)
    assert any("left out" in flag for flag in summary["flags"])


def test_plain_summary_follows_the_verdict():
    still = _bend_table()
    still[["trunk_deg", "pelvis_deg", "lumbar_deg"]] = 2.0
    sentences = plain_summary(analyse_rhythm(still).summary)
    assert sentences[0].startswith("This recording cannot be analysed: no forward-bend movement")
    assert not any("%" in s for s in sentences)
    good = plain_summary(analyse_rhythm(_bend_table()).summary)
    assert not any("lag" in s for s in good)  # the unvalidated lag is never a headline


@pytest.mark.slow
@pytest.mark.parametrize(
    ("clip", "reason"),
    [
        ("walk_side.mp4", "no forward-bend movement was found"),
        # The person followed longest jumps on a box facing the camera; the walker crosses later.
        ("walk_and_jumps.mp4", "the camera faces the person"),
    ],
)
def test_real_walking_clips_give_no_confident_nonsense(clip, reason, tmp_path):
    from conftest import REAL_DATA

    from lumbopelvic.workflows.analyze import analyze

    video = REAL_DATA / clip
    if not video.exists():
        pytest.skip(f"{video} is not on this machine")
    result = analyze(video, tmp_path / "out")
    angles = result.angles
    confident = ~angles["low_confidence"]
    wild = (angles["pelvis_deg"].abs() > 12) | (angles["lumbar_deg"].abs() > 12)
    assert (confident & wild).mean() <= 0.02
    assert result.summary.to_json()["verdict"] == "not-analysable"
    assert reason in " ".join(result.summary.to_json()["verdict_reasons"])


def test_reliability_table_bins_errors_of_the_movement_by_confidence():
    from lumbopelvic.kinematics.accuracy import frame_errors, reliability_table

    n = 200
    rng = np.random.default_rng(0)
    confidence = np.linspace(0, 1, n)
    truth = pd.DataFrame(
        {
            "frame": np.arange(n),
            "trunk_deg": np.full(n, 60.0),
            "pelvis_deg": np.full(n, 30.0),
            "lumbar_deg": np.full(n, 30.0),
        }
    )
    error = (1.0 - confidence) * 20 * rng.choice([-1, 1], n)  # error grows as confidence falls
    angles = truth.assign(pelvis_deg=30 + error, lumbar_deg=30 - error, confidence=confidence)
    angles.loc[:9, "trunk_deg"] = np.nan
    table = reliability_table(frame_errors(angles, truth))
    medians = table["pelvis_median_deg"].to_numpy()[:-1]
    assert (np.diff(medians) < 0).all()  # falls bin after bin as confidence rises
    assert table["frames"].iloc[:-1].sum() == n and table["confidence"].iloc[-1] == ">=0.5"
    standing = truth.assign(trunk_deg=5.0)  # no movement: nothing to judge
    assert reliability_table(frame_errors(angles, standing))["frames"].sum() == 0


@pytest.mark.slow
def test_seated_at_start_and_end_reads_the_same_when_confident(tmp_path):
    """Sit, stand, sit: the same seated posture at both ends must not read two ways."""
    pytest.importorskip("body_models")
    import dataclasses

    from lumbopelvic.core.errors import LumbopelvicError
    from lumbopelvic.synth.generate import render_case
    from lumbopelvic.synth.preset_render import fast_variant
    from lumbopelvic.synth.world import world_case
    from lumbopelvic.workflows.analyze import analyze

    case = world_case("sit-to-stand", 3)
    motion = dataclasses.replace(
        case.motion, start_at_bottom=True, reps=2, variability=0.0, quiet_s=1.0, hold_s=1.5
    )
    case = dataclasses.replace(case, motion=motion, name="sit_stand_sit")
    case.camera.yaw_deg, case.camera.fps = 5.0, 30.0
    from lumbopelvic.synth.motion import angle_series

    # Cut the clip 1 s into the second seated hold.
    knee = angle_series(motion, 30.0).knee
    seated = knee >= knee.max() - 1.0
    stood = np.flatnonzero(knee < 5.0)[0]
    second_seat = stood + int(np.flatnonzero(seated[stood:])[0])
    case = dataclasses.replace(case, duration_s=second_seat / 30.0 + 1.0)
    try:
        paths = render_case(fast_variant(case), tmp_path)
    except LumbopelvicError as error:
        pytest.skip(f"ANNY body unavailable: {error}")
    angles = analyze(paths.video, tmp_path / "out", blur_face=False).angles
    t = angles["time_s"].to_numpy()
    confident = ~angles["low_confidence"].to_numpy(bool)
    start, end = (t < 0.8) & confident, (t > t[-1] - 0.8) & confident
    if start.sum() > 5 and end.sum() > 5:
        for name in ("pelvis", "lumbar"):
            values = angles[f"{name}_deg"].to_numpy()
            assert abs(np.median(values[start]) - np.median(values[end])) <= 5.0, name


def test_mis_fitted_poses_are_dropped():
    from lumbopelvic.kinematics.confidence import pose_plausible

    hip_shoulder = np.array([5.0, 90.0, 170.0, np.nan, 370.0])  # 370: a whole-turn slip
    knee = np.array([0.0, 10.0, 0.0, 0.0, -60.0])  # upside down; a knee bent backward
    assert pose_plausible(hip_shoulder, knee).tolist() == [True, True, False, True, False]


def test_only_cut_off_movement_is_not_analysable():
    t = np.arange(0, 4, 1 / FPS)
    trunk = np.interp(t, [0, 2, 4], [0, 0, 70])  # still bending when the recording stops
    table = (
        _bend_table()
        .iloc[: len(t)]
        .assign(time_s=t, trunk_deg=trunk, pelvis_deg=trunk / 2, lumbar_deg=trunk / 2)
    )
    verdict = _verdict(table)
    assert verdict["verdict"] == "not-analysable"
    assert "only parts cut off" in verdict["verdict_reasons"][0]


def test_a_front_view_is_told_by_the_world_landmarks():
    from lumbopelvic.kinematics.view_quality import estimate_world_yaw_deg

    n = 20
    rows = {}
    # Front view: left and right apart across the image, level in depth; side view: in depth.
    for name, (dx, dz) in {"front": (0.35, 0.02), "side": (0.03, 0.35)}.items():
        table = pd.DataFrame(
            {
                f"{side}_{part}_world_{axis}_m": np.full(n, sign * (dx if axis == "x" else dz) / 2)
                for side, sign in (("left", 1), ("right", -1))
                for part in ("shoulder", "hip")
                for axis in "xz"
            }
        )
        rows[name] = estimate_world_yaw_deg(table, slice(0, n))
    assert rows["front"] > 80 and rows["side"] < 10
    assert np.isnan(estimate_world_yaw_deg(pd.DataFrame({"x": [1.0]}), slice(0, 1)))
    frontal = _verdict(
        _bend_table(), {"yaw_deg": 52.0, "world_yaw_deg": 86.0, "split_supported": False}
    )
    assert frontal["verdict"] == "not-analysable" and "86°" in frontal["verdict_reasons"][0]
