"""The wide synthetic world: movements, props, clothes and presets, each with exact truth."""

import dataclasses
import itertools

import numpy as np
import pytest

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.synth.case import case_from_dict, case_to_dict, validate_case
from lumbopelvic.synth.gait import GaitParams
from lumbopelvic.synth.motion import MotionParams, angle_series, keyframe_track
from lumbopelvic.synth.preset_render import apply_overrides
from lumbopelvic.synth.props import box_mesh, cylinder_mesh, orient_outward, sphere_mesh
from lumbopelvic.synth.world import (
    BENCHMARK_SEED_BASE,
    WORLD_PRESETS,
    cases_for,
    world_benchmark,
    world_case,
)


def test_keyframes_pass_through_every_key_smoothly():
    t = np.linspace(0, 3, 301)
    track = keyframe_track(t, [(0.5, 0.0), (1.0, 40.0), (2.0, -10.0), (2.5, 0.0)])
    for time, value in ((1.0, 40.0), (2.0, -10.0), (2.5, 0.0), (0.2, 0.0)):
        assert track[np.argmin(np.abs(t - time))] == pytest.approx(value, abs=0.5)
    assert np.abs(np.diff(track)).max() < 2.0  # no jumps


def test_each_movement_has_its_shape():
    squat = angle_series(MotionParams(movement="squat", knee_peak_deg=100, shank_share=0.4), 30)
    assert squat.knee.max() == pytest.approx(100, abs=3)
    assert squat.shank.max() == pytest.approx(40, abs=2)
    sts = angle_series(MotionParams(movement="sit-to-stand", seated_pelvis_deg=-15), 30)
    assert sts.pelvis.min() == pytest.approx(-15, abs=0.5)  # seated: pelvis tilted back
    assert sts.knee.max() == pytest.approx(95, abs=0.5)
    assert sts.pelvis[0] == 0 and sts.pelvis[-1] == pytest.approx(0, abs=0.5)
    lift = angle_series(MotionParams(movement="hinge", knee_peak_deg=25, start_at_bottom=True), 30)
    assert lift.knee[0] == pytest.approx(25, abs=1) and lift.pelvis[0] > 50
    assert lift.reps[0].lumbar_up[0] > 0  # the rep timings follow the cut


def test_walking_channels_alternate_and_ramp_in():
    params = MotionParams(movement="walk", reps=4, quiet_s=1.0, seed=3)
    walk = angle_series(params, 60, gait=GaitParams(stride_s=1.0, thorax_phase_deg=180))
    gait = walk.gait
    assert gait is not None and walk.reps == []
    standing = walk.time_s < 1.0
    assert np.abs(gait.thigh_l[standing]).max() == 0 and gait.envelope[standing].max() == 0
    steady = gait.envelope > 0.99
    # The legs swing in anti-phase; the thorax turns against the pelvis (180 deg).
    assert np.corrcoef(gait.thigh_l[steady], gait.thigh_r[steady])[0, 1] < -0.9
    assert np.corrcoef(gait.pelvis_rotation[steady], gait.thorax_rotation[steady])[0, 1] < -0.9
    assert gait.pelvis_rotation.max() == pytest.approx(4.0, abs=0.05)
    assert gait.knee_l.max() == pytest.approx(58.0, abs=1.0)


def test_props_face_outward():
    for verts, faces, centre in (
        (*box_mesh(np.zeros(3), np.ones(3)), np.full(3, 0.5)),
        (*sphere_mesh(), np.zeros(3)),
    ):
        faces = orient_outward(verts, faces, centre)
        normals = np.cross(
            verts[faces[:, 2]] - verts[faces[:, 0]], verts[faces[:, 3]] - verts[faces[:, 1]]
        )
        outward = np.einsum("ij,ij->i", normals, verts[faces].mean(1) - centre)
        assert (outward[np.linalg.norm(normals, axis=1) > 1e-9] > 0).all()
    verts, faces = cylinder_mesh()
    assert verts[:, 0].min() == -0.5 and verts[:, 0].max() == 0.5


@pytest.mark.parametrize("preset", WORLD_PRESETS)
def test_world_cases_are_reproducible_and_valid(preset):
    first, again = cases_for(preset, 7, 2), cases_for(preset, 7, 2)
    assert [case_to_dict(c) for c in first] == [case_to_dict(c) for c in again]
    assert case_to_dict(first[0]) != case_to_dict(first[1])
    for case in first:
        validate_case(case)
        assert case_from_dict(case_to_dict(case)) == case
        assert abs(case.camera.roll_deg) <= 5
        if preset == "oblique":
            assert 25 <= abs(case.camera.yaw_deg) <= 70
        elif preset != "walk":  # walks are also filmed from the front, back and obliquely
            assert abs(case.camera.yaw_deg) <= 25


def test_benchmarks_are_held_out():
    bench = world_benchmark("benchmark-squat")
    assert len(bench) == 10 and all(c.seed >= BENCHMARK_SEED_BASE for c in bench)
    with pytest.raises(LumbopelvicError, match="benchmark's"):
        cases_for("squat", BENCHMARK_SEED_BASE - 1, 2)


def test_the_world_covers_what_clients_bring():
    cases = [world_case(preset, seed) for preset in WORLD_PRESETS for seed in range(40)]
    assert {c.props.load for c in cases} == {"none", "kettlebell", "barbell"}
    assert {c.props.seat for c in cases} == {"none", "chair", "box"}
    assert {c.clothing.top for c in cases} == {"shirt", "longsleeve", "hoodie", "bare"}
    assert {c.motion.arms for c in cases} == {"hang", "load", "crossed", "thighs"}
    walks = [c for c in cases if c.motion.movement == "walk"]
    assert min(c.camera.yaw_deg for c in walks) < -60 and max(c.camera.yaw_deg for c in walks) > 60
    assert all(c.gait.in_place == (abs(c.camera.yaw_deg) > 25) for c in walks)
    assert {c.camera.fps for c in cases} == {30.0, 60.0}
    assert any(c.motion.start_at_bottom for c in cases)
    lifts = [c for c in cases if c.preset == "lift"]
    assert all(c.motion.start_at_bottom and c.motion.knee_peak_deg >= 40 for c in lifts)
    assert {c.props.load for c in lifts} == {"kettlebell", "barbell"}
    heights = [c.camera.height_m for c in cases]
    assert min(heights) < 0.7 and max(heights) > 1.3


def test_overrides_and_their_errors():
    case = world_case("hinge", 1)
    changed = apply_overrides(
        case, {"props": {"load": "barbell"}, "camera": {"fps": None}}, orientation="landscape"
    )
    assert changed.props.load == "barbell" and changed.camera.fps == case.camera.fps
    assert changed.camera.width > changed.camera.height
    sofa = dataclasses.replace(case, props=dataclasses.replace(case.props, seat="sofa"))
    with pytest.raises(LumbopelvicError, match="unknown seat 'sofa'"):
        validate_case(sofa)


@pytest.mark.slow
@pytest.mark.parametrize("preset", WORLD_PRESETS)
def test_a_tiny_render_of_each_preset_has_its_truth(preset):
    pytest.importorskip("body_models")
    from lumbopelvic.synth.generate import prepare_case, render_frames

    case = world_case(preset, 11)
    case.camera.width, case.camera.height, case.camera.fps = 180, 320, 10.0
    case.supersample, case.motion.reps = 1, 1
    try:
        prepared = prepare_case(case)
    except LumbopelvicError as error:
        pytest.skip(f"ANNY body unavailable: {error}")
    frames = list(render_frames(prepared))
    truth = prepared.truth
    assert len(frames) == len(truth) and frames[0].shape == (320, 180, 3)
    np.testing.assert_allclose(
        truth["lumbar_deg"], truth["trunk_deg"] - truth["pelvis_deg"], atol=1e-6
    )
    if preset == "squat":
        assert truth["knee_deg"].max() > 80
    if preset == "sit-to-stand":
        assert truth["pelvis_deg"].min() < -3 and truth["knee_deg"].max() > 80
    if preset == "hinge":  # this seed draws a hinge drill, knees soft
        assert 10 < truth["knee_deg"].max() < 40
    if preset == "lift":  # a deadlift from the floor: deep knees, at the bottom from the start
        assert truth["knee_deg"].max() > 35 and truth["trunk_deg"].iloc[0] > 30


@pytest.mark.slow
def test_a_posed_walk_measures_what_was_commanded():
    pytest.importorskip("body_models")
    from lumbopelvic.synth.body import make_rig
    from lumbopelvic.synth.gait import gait_truth
    from lumbopelvic.synth.posing import pose_frames

    try:
        rig = make_rig(world_case("walk", 2).body.phenotype())
    except (LumbopelvicError, OSError) as error:
        pytest.skip(f"ANNY body unavailable: {error}")
    gait = GaitParams(pelvis_rotation_deg=5, pelvis_obliquity_deg=3, thorax_phase_deg=180)
    walk = angle_series(MotionParams(movement="walk", reps=4, seed=1), 30, gait=gait)
    posed = pose_frames(
        rig, walk.pelvis, walk.lumbar, walk.thoracic, walk.knee, walk.shank, gait=walk.gait
    )
    truth = gait_truth(rig, posed.joints, walk.gait.envelope)
    steady = walk.gait.envelope > 0.99
    assert np.ptp(truth["pelvis_rotation_deg"][steady]) / 2 == pytest.approx(5, abs=0.5)
    assert np.ptp(truth["pelvis_obliquity_deg"][steady]) / 2 == pytest.approx(3, abs=0.5)
    assert np.abs(truth["trunk_lateral_deg"]).max() < 1.0  # the thorax stays upright
    # Heel strikes alternate between the feet, about one per foot per stride.
    strikes = sorted(
        [(t, "l") for t in np.nonzero(truth["heel_strike_l"])[0]]
        + [(t, "r") for t in np.nonzero(truth["heel_strike_r"])[0]]
    )
    sides = [s for _, s in strikes]
    assert 6 <= len(sides) <= 9 and all(a != b for a, b in itertools.pairwise(sides))
    # The body moves forward (-y) and the lower foot stays on the floor.
    hips = posed.joints[:, rig.index("upperleg01.L"), :3, 3]
    assert hips[-1, 1] - hips[0, 1] < -2.0
    ankles = posed.joints[:, [rig.index("foot.L"), rig.index("foot.R")], 2, 3]
    np.testing.assert_allclose(ankles.min(1), rig.rest_joints[rig.index("foot.L"), 2, 3], atol=0.01)


@pytest.mark.slow
def test_hands_rest_on_the_thighs_through_a_bend():
    pytest.importorskip("body_models")
    from lumbopelvic.synth.body import make_rig
    from lumbopelvic.synth.posing import pose_frames

    try:
        rig = make_rig(world_case("bend", 2).body.phenotype())
    except (LumbopelvicError, OSError) as error:
        pytest.skip(f"ANNY body unavailable: {error}")
    bend = angle_series(MotionParams(reps=1, pelvis_peak_deg=50, lumbar_peak_deg=40), 10)
    posed = pose_frames(rig, bend.pelvis, bend.lumbar, bend.thoracic, bend.knee, arms="thighs")
    pos = posed.joints[:, :, :3, 3]
    for side in "LR":
        wrist = pos[:, rig.index(f"wrist.{side}")]
        hip, knee = pos[:, rig.index(f"upperleg01.{side}")], pos[:, rig.index(f"lowerleg01.{side}")]
        along = np.einsum("ij,ij->i", wrist - hip, knee - hip) / np.sum((knee - hip) ** 2, 1)
        # Between hip and knee (standing, the wrist hangs about level with the hip joint).
        assert (along > 0.05).all() and (along < 1.0).all()
        off_axis = np.linalg.norm(wrist - hip - along[:, None] * (knee - hip), axis=1)
        assert off_axis.max() < 0.16  # resting on the thigh, not hanging away from it
        deepest = int(np.argmax(bend.pelvis))
        assert along[deepest] > along[0] + 0.5  # sliding toward the knee as the trunk bends
