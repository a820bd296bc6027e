"""Oblique views: deprojected trunk line and legs, and the real squat with motion capture."""

import numpy as np
import pytest

from lumbopelvic.kinematics.sagittal import (
    DEPROJECT_FROM_YAW_DEG,
    deprojection_stretch,
    inclination_deg,
)


def test_deprojection_recovers_a_sagittal_inclination_seen_obliquely():
    true_deg = np.array([0.0, 20.0, 45.0, 80.0])
    for yaw in (30.0, 45.0, 60.0):
        # A unit segment in the sagittal plane, filmed yaw off the side view (orthographic):
        # its forward extent shrinks by cos(yaw) in the image, its height stays.
        forward = np.sin(np.radians(true_deg)) * np.cos(np.radians(yaw))
        up = np.cos(np.radians(true_deg))
        hip = np.zeros((4, 2))
        shoulder = np.column_stack([forward, -up])  # image y points down
        seen = inclination_deg(hip, shoulder, facing=1)
        assert (seen < true_deg + 1e-9).all() and seen[2] < 45 - 3  # reads too small
        fixed = inclination_deg(hip, shoulder, facing=1, stretch=deprojection_stretch(yaw))
        np.testing.assert_allclose(fixed, true_deg, atol=1e-6)


def test_side_views_and_unknown_views_are_left_as_the_image_shows_them():
    assert deprojection_stretch(DEPROJECT_FROM_YAW_DEG - 1) == 1.0
    assert deprojection_stretch(float("nan")) == 1.0
    assert deprojection_stretch(89.0) == pytest.approx(2.0)  # capped at a 60 degree view


@pytest.mark.slow
def test_the_real_oblique_squat_against_motion_capture(tmp_path):
    import sys

    from conftest import REAL_DATA, REPO

    folder = REAL_DATA / "opencap_squat"
    if not (folder / "angles_mocap.csv").exists():
        pytest.skip(f"{folder} is not on this machine")
    sys.path.insert(0, str(REPO / "bench"))
    from score_opencap import score

    ours = score(folder, tmp_path / "out").set_index("source").loc["lumbopelvic"]
    assert ours["repetitions"] == 5
    # Image-only measures read trunk 13.4 and knee 23.3 deg RMSE here, deprojected 5.5 and
    # 10.2: a clear gain, though the targets (3 and 5 deg) are not met (bench/ACCURACY.md).
    assert ours["trunk"] < 7.5 and ours["knee"] < 13.0
    assert ours["verdict"] == "trunk-only"  # 40+ deg off the side: no pelvis/lumbar split


def test_the_view_angle_that_keeps_segment_lengths_constant():
    import pandas as pd

    from lumbopelvic.kinematics.view_quality import fit_view_from_lengths_deg

    yaw = 50.0
    squash = np.cos(np.radians(yaw))
    n = 60
    bend = np.radians(np.linspace(0, 90, n))  # thighs and trunk swing through 90 degrees
    columns = {}

    def put(name: str, x: np.ndarray, y: np.ndarray) -> None:
        columns[f"{name}_x_px"], columns[f"{name}_y_px"] = x, y

    for side in ("left", "right"):
        put(f"{side}_hip", np.zeros(n), np.zeros(n))
        put(f"{side}_knee", 40 * np.sin(bend) * squash, 40 * np.cos(bend))
        put(f"{side}_ankle", 40 * np.sin(bend) * squash, 40 * np.cos(bend) + 40)
        put(f"{side}_shoulder", 50 * np.sin(bend) * squash, -50 * np.cos(bend))
    assert fit_view_from_lengths_deg(pd.DataFrame(columns)) == pytest.approx(yaw, abs=1)
