"""The single-step commands `angles` and `validate` as a user runs them."""

import pandas as pd
import pytest
from conftest import SAMPLE_VIDEOS, run_cli

from lumbopelvic.io.ownership import OWNER_MARKER


@pytest.mark.slow
def test_angles_from_a_video_then_from_its_landmark_table(tmp_path):
    out = tmp_path / "typical"
    result = run_cli("angles", str(SAMPLE_VIDEOS / "typical.mp4"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "Peak flexion: trunk" in result.stdout and "View ~" in result.stdout
    names = {p.name for p in out.iterdir()}
    assert {"landmarks.parquet", "landmarks.csv", "angles.csv", "angles.json"} <= names
    first = pd.read_csv(out / "angles.csv")
    assert first["trunk_deg"].max() > 60

    again = tmp_path / "again"
    result = run_cli("angles", str(out / "landmarks.csv"), "-o", str(again), "--cutoff-hz", "4")
    assert result.returncode == 0, result.stderr
    assert {p.name for p in again.iterdir()} == {OWNER_MARKER, "angles.csv", "angles.json"}
    second = pd.read_csv(again / "angles.csv")
    assert len(second) == len(first)
    assert abs(second["trunk_deg"].max() - first["trunk_deg"].max()) < 3


@pytest.mark.slow
def test_validate_measures_the_sample_clips_against_their_truth(tmp_path):
    out = tmp_path / "validation"
    result = run_cli("validate", str(SAMPLE_VIDEOS), "-o", str(out))
    assert result.returncode == 0, result.stderr
    per_case = pd.read_csv(out / "validation.csv")
    assert sorted(per_case["case"]) == ["delayed_pelvis", "guarded", "typical"]
    assert (per_case["trunk_rmse_deg"] < 5).all()
    assert (per_case["coverage"] > 0.5).all()
    summary = pd.read_csv(out / "validation_summary.csv", index_col=0)
    assert summary.loc["trunk_rmse_deg", "worst"] == pytest.approx(
        per_case["trunk_rmse_deg"].max(), abs=1e-3
    )
    assert "median" in result.stdout and "worst" in result.stdout


@pytest.mark.slow
def test_validate_needs_exactly_one_source_of_cases(tmp_path):
    result = run_cli("validate", "-o", str(tmp_path / "v"))
    assert result.returncode == 2 and "give either a SET_DIR or --preset" in result.stderr
    result = run_cli("validate", str(tmp_path), "-o", str(tmp_path / "v"))
    assert result.returncode == 2 and "no NAME.mp4 with NAME_truth.csv" in result.stderr
    result = run_cli("validate", "--preset", "nope", "-o", str(tmp_path / "v"))
    assert result.returncode == 2 and "unknown preset 'nope'" in result.stderr
