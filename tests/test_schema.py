"""Tables from elsewhere are checked where they enter: one clear line naming what is missing."""

import numpy as np
import pandas as pd
import pytest
from conftest import bending_table, run_cli, trunk_track, without_progress

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.schema import (
    REQUIRED_LANDMARK_COLUMNS,
    validate_angle_table,
    validate_landmark_table,
)
from lumbopelvic.io.landmark_files import load_landmark_table
from lumbopelvic.io.result_files import load_angles


def _one_line_error(result, *fragments):
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = without_progress(result.stderr)
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_missing_landmark_columns_are_named():
    table = bending_table(*trunk_track(2.0)[::-1], facing=1).drop(
        columns=["left_hip_x_px", "time_s"]
    )
    with pytest.raises(
        LumbopelvicError,
        match=r"poses\.csv is not a landmark table: missing "
        r"column\(s\) time_s, left_hip_x_px$",
    ):
        validate_landmark_table(table, "poses.csv")


def test_a_long_list_of_missing_columns_is_cut_short():
    table = pd.DataFrame({"frame": [0, 1], "time_s": [0.0, 0.1]})
    with pytest.raises(LumbopelvicError, match=r"and \d+ more$"):
        validate_landmark_table(table, "x.csv")
    assert len(REQUIRED_LANDMARK_COLUMNS) > 10


def test_optional_landmark_columns_are_filled():
    t, trunk = trunk_track(2.0)
    table = bending_table(trunk, t, 1).drop(columns=["n_people", "silhouette_px"])
    table.loc[5, ["left_hip_x_px", "right_hip_x_px"]] = np.nan
    checked = validate_landmark_table(table, "x.csv")
    assert checked["n_people"].tolist()[4:7] == [1, 0, 1]
    assert (checked["silhouette_px"] == "").all()
    assert "n_people" not in table  # the caller's table is left alone


@pytest.mark.parametrize(
    ("times", "message"),
    [([0.0, "noon", 0.2], "must be a number"), ([0.0, 0.2, 0.1], "must increase")],
)
def test_time_must_be_numeric_and_increasing(times, message):
    table = pd.DataFrame({"time_s": times, "trunk_deg": 1.0, "pelvis_deg": 0.5, "lumbar_deg": 0.5})
    with pytest.raises(LumbopelvicError, match=message):
        validate_angle_table(table, "a.csv")


def test_angle_table_fills_optional_columns_and_needs_the_knee_for_squats():
    table = pd.DataFrame(
        {
            "time_s": [0.0, 0.1],
            "trunk_deg": [0.0, 1.0],
            "pelvis_deg": [0.0, 0.4],
            "lumbar_deg": [0.0, 0.6],
        }
    )
    checked = validate_angle_table(table, "a.csv")
    assert checked["frame"].tolist() == [0, 1] and (checked["confidence"] == 1.0).all()
    assert checked["knee_deg"].isna().all()
    with pytest.raises(LumbopelvicError, match="missing column.s. knee_deg"):
        validate_angle_table(table, "a.csv", needs_knee=True)


def test_unreadable_csv_is_one_line(tmp_path):
    path = tmp_path / "landmarks.csv"
    path.write_bytes(b"")
    with pytest.raises(LumbopelvicError, match="cannot read landmark table landmarks.csv"):
        load_landmark_table(path)
    with pytest.raises(LumbopelvicError, match="angle table not found"):
        load_angles(tmp_path / "nothing.csv")


@pytest.mark.slow
def test_cli_names_the_missing_columns_of_a_user_landmark_csv(tmp_path):
    t, trunk = trunk_track(2.0)
    path = tmp_path / "my_tool_export.csv"
    bending_table(trunk, t, 1).drop(columns=["right_shoulder_visibility"]).to_csv(path)
    result = run_cli("angles", str(path), "-o", str(tmp_path / "out"))
    _one_line_error(
        result, "my_tool_export.csv is not a landmark table", "right_shoulder_visibility"
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_cli_names_the_missing_columns_of_a_user_angle_csv(tmp_path):
    path = tmp_path / "mocap.csv"
    pd.DataFrame({"time_s": [0.0, 0.1], "trunk_deg": [0, 1], "pelvis": [0, 1]}).to_csv(path)
    result = run_cli("rhythm", str(path), "-o", str(tmp_path / "out"))
    _one_line_error(result, "mocap.csv is not an angle table", "pelvis_deg, lumbar_deg")


@pytest.mark.slow
def test_rhythm_from_angles_measured_elsewhere(tmp_path):
    """A researcher's own angles (e.g. motion capture) go straight to the rhythm analysis."""
    t, trunk = trunk_track()
    pelvis = 0.4 * trunk
    path = tmp_path / "mocap.csv"
    pd.DataFrame(
        {"time_s": t, "trunk_deg": trunk, "pelvis_deg": pelvis, "lumbar_deg": trunk - pelvis}
    ).to_csv(path, index=False)
    out = tmp_path / "out"
    result = run_cli("rhythm", str(path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    reps = pd.read_csv(out / "reps.csv")
    flexion = reps[reps["phase"] == "flexion"]
    assert len(flexion) == 1
    assert flexion["lumbar_contribution_pct"].iloc[0] == pytest.approx(60, abs=0.5)
    assert sorted(p.name for p in out.iterdir()) == [
        ".lumbopelvic-output.json",
        "curves.csv",
        "reps.csv",
        "summary.json",
    ]
