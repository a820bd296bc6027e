"""Angles from landmark tracks and silhouettes with known geometry, and from a rendered clip."""

import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLE_VIDEOS, bending_table, trunk_track

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.kinematics.angles import compute_angles
from lumbopelvic.kinematics.settings import AngleSettings
from lumbopelvic.kinematics.split_estimators import NetworkSplit
from lumbopelvic.kinematics.split_model import SplitModel


# A rigid box back carries no pelvis information: a model reading only the trunk input
# (pelvis = 0.4 x trunk) makes the expected split exact.
def _linear(pelvis_share: float, n_features: int = 73) -> SplitModel:
    """pelvis = share x the hip-to-shoulder line, trunk = the line: an exact split."""
    weights = np.zeros((n_features, 2))
    weights[0] = (pelvis_share, 1.0)
    return SplitModel(
        ((weights, np.zeros(2)),), np.zeros(n_features), np.ones(n_features), {"note": "test"}
    )


TRUNK_SHARE = NetworkSplit(_linear(0.4))


@pytest.mark.parametrize("facing", [1, -1])
def test_angles_from_known_tracks_beyond_horizontal(facing):
    t, trunk = trunk_track()
    result = compute_angles(bending_table(trunk, t, facing), estimator=TRUNK_SHARE)
    meta = result.attrs["lumbopelvic"]
    assert meta["facing"] == ("right" if facing > 0 else "left")
    assert not meta["standing"]["fallback"]
    inner = slice(5, -5)
    np.testing.assert_allclose(result["trunk_deg"][inner], trunk[inner], atol=0.5)
    np.testing.assert_allclose(result["pelvis_deg"][inner], 0.4 * trunk[inner], atol=0.5)
    np.testing.assert_allclose(
        result["lumbar_deg"], result["trunk_deg"] - result["pelvis_deg"], atol=1e-9
    )
    assert result["trunk_deg"].max() > 115  # continuous past horizontal, no flip
    np.testing.assert_allclose(result["knee_deg"], 0, atol=1e-6)
    assert (result["confidence"] > 0.9).all() and not result["low_confidence"].any()
    assert result["standing"].iloc[:20].all()


def test_output_contract_columns():
    t, trunk = trunk_track(3.0, 60.0)
    result = compute_angles(bending_table(trunk, t, 1), estimator=TRUNK_SHARE)
    assert list(result.columns[:8]) == [
        "frame",
        "time_s",
        "trunk_deg",
        "pelvis_deg",
        "lumbar_deg",
        "hip_deg",
        "knee_deg",
        "confidence",
    ]
    assert len(result) == len(t)


def test_oblique_view_leaves_the_split_empty_but_reports_the_trunk():
    t, trunk = trunk_track()
    oblique = bending_table(trunk, t, 1, left_right_px=180)  # 0.6 torso lengths: ~60 deg off side
    result = compute_angles(oblique, estimator=TRUNK_SHARE)
    quality = result.attrs["lumbopelvic"]["quality"]
    assert quality["yaw_deg"] > 40 and not quality["split_supported"]
    assert result["pelvis_deg"].isna().all() and result["lumbar_deg"].isna().all()
    assert result["low_confidence"].all()
    assert result["trunk_deg"].notna().all()
    assert any("side view" in advice for advice in quality["advice"])


def test_frames_without_a_person_stay_empty_and_short_gaps_are_filled():
    t, trunk = trunk_track()
    table = bending_table(trunk, t, 1)
    landmark_cols = [c for c in table.columns if c.endswith(("_px", "_visibility"))]
    table.loc[60:63, landmark_cols] = np.nan  # 0.13 s gap: filled
    table.loc[100:130, landmark_cols] = np.nan  # 1 s gap: stays empty
    table.loc[list(range(60, 64)) + list(range(100, 131)), "n_people"] = 0
    result = compute_angles(table, AngleSettings(max_gap_s=0.25), estimator=TRUNK_SHARE)
    assert result.loc[60:63, "trunk_deg"].notna().all()
    assert result.loc[101:129, "trunk_deg"].isna().all()
    assert np.isnan(result.loc[110, "trunk_raw_deg"])


def test_slow_motion_footage_uses_real_time():
    t, trunk = trunk_track()
    slowed = bending_table(trunk, t * 4, 1)  # a 4x slow-motion export of the same bend
    result = compute_angles(slowed, AngleSettings(slow_motion=4.0), estimator=TRUNK_SHARE)
    np.testing.assert_allclose(result["trunk_deg"][5:-5], trunk[5:-5], atol=0.5)
    assert result.attrs["lumbopelvic"]["settings"]["slow_motion"] == 4.0


def test_no_person_is_a_clear_error():
    t, trunk = trunk_track(2.0)
    table = bending_table(trunk, t, 1)
    table["n_people"] = 0
    with pytest.raises(LumbopelvicError, match="no person"):
        compute_angles(table, estimator=TRUNK_SHARE)


@pytest.mark.slow
def test_rendered_clip_against_its_truth():
    """End to end on a sample video: the packaged model, tolerances wider than the targets."""
    from lumbopelvic.kinematics.accuracy import compare_with_truth
    from lumbopelvic.pose.extract import extract_pose
    from lumbopelvic.pose.settings import PoseSettings

    video = SAMPLE_VIDEOS / "typical.mp4"
    angles = compute_angles(extract_pose(video, PoseSettings()).table)
    truth = pd.read_csv(SAMPLE_VIDEOS / "typical_truth.csv")
    errors = compare_with_truth(angles, truth)
    assert errors["trunk_rmse_deg"] < 4
    assert errors["pelvis_rmse_deg"] < 8
    assert errors["lumbar_rmse_deg"] < 8
    assert abs(errors["lumbar_share_error_pp"]) < 10
    assert errors["coverage"] > 0.95
