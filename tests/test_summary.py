import json

import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLE_VIDEOS, run_cli

from lumbopelvic.outputs.report import render_report
from lumbopelvic.rhythm.analysis import analyse_rhythm
from lumbopelvic.rhythm.settings import RhythmSettings


def _angles(knee: np.ndarray, trunk: np.ndarray) -> pd.DataFrame:
    t = np.arange(len(knee)) / 30
    return pd.DataFrame(
        {
            "frame": np.arange(len(t)),
            "time_s": t,
            "trunk_deg": trunk,
            "pelvis_deg": 0.6 * trunk,
            "lumbar_deg": 0.4 * trunk,
            "knee_deg": knee,
            "confidence": np.ones(len(t)),
        }
    )


def test_sit_to_stand_recording_that_starts_seated():
    t = np.arange(0, 8, 1 / 30)
    # Seated (knee 90) until 1 s, stands up by 2.5 s, sits again 4-5.5 s, stands 6-7.5 s.
    knee = np.interp(t, [0, 1, 2.5, 4, 5.5, 6, 7.5, 8], [90, 90, 0, 0, 90, 90, 0, 0])
    knee = knee - 90  # a baseline taken while seated: standing reads -90
    trunk = np.interp(t, [0, 1, 1.7, 2.5, 8], [5, 5, 40, 0, 0])
    found = analyse_rhythm(_angles(knee, trunk), RhythmSettings("sit-to-stand"))
    rows, summary = found.reps, found.summary.to_json()
    assert summary["repetitions"]["found"] == 2
    assert summary["repetitions"]["complete"] == 1
    assert set(rows["phase"]) == {"sit-down", "seated", "stand-up"}
    # The clip starts seated: the first stand-up is whole and analysed; its sit-down is not.
    first = rows[rows.rep == 1].set_index("phase")["complete"]
    assert first.to_dict() == {"sit-down": False, "seated": False, "stand-up": True}
    assert summary["phases"]["stand-up"]["peak_trunk_deg"]["n"] == 2
    assert summary["phases"]["sit-down"]["peak_trunk_deg"]["n"] == 1
    assert any("rep 1 stand-up" in flag for flag in summary["flags"])


def test_a_lift_that_starts_and_ends_at_the_bottom():
    """A deadlift from the floor: up, down, up, and the clip ends with the bar on the floor."""
    t = np.arange(0, 7, 1 / 30)
    trunk = np.interp(t, [0, 0.6, 2, 2.6, 4, 4.6, 6, 7], [80, 80, 0, 0, 80, 80, 0, 0])
    knee = np.zeros(len(t))
    found = analyse_rhythm(_angles(knee, trunk))
    rows = found.reps.set_index(["rep", "phase"])["complete"]
    assert rows[(1, "return")] and not rows[(1, "flexion")]
    assert rows[(2, "flexion")] and rows[(2, "return")]
    assert found.summary.to_json()["phases"]["return"]["peak_trunk_deg"]["n"] == 2


def test_a_recording_cut_while_moving_has_no_whole_phase_at_the_cut():
    t = np.arange(0, 3, 1 / 30)
    trunk = np.interp(t, [0, 1, 3], [0, 0, 90])  # still bending when the recording stops
    rows = analyse_rhythm(_angles(np.zeros(len(t)), trunk)).reps
    assert len(rows) and not rows["complete"].any()


def test_summary_for_a_recording_without_a_bend():
    t = np.arange(0, 5, 1 / 30)
    angles = _angles(np.zeros(len(t)), 5 * np.sin(t))
    angles["low_confidence"] = False
    found = analyse_rhythm(angles)
    rows, summary, curves = found.reps, found.summary, found.curves
    assert len(rows) == 0 and "pelvis_lag_ms" in rows.columns
    assert summary.repetitions.found == 0
    assert "no forward-bend repetition" in summary.repetitions.message
    json.dumps(summary.to_json())
    page = render_report(angles, rows, summary, curves, "walking.mp4")
    assert "Verdict: This recording cannot be analysed" in page
    assert 'class="verdict not-analysable"' in page
    assert "cannot be analysed: no forward-bend movement was found" in page
    assert "pelvis vs lumbar" not in page and "lumbar share curves" not in page


@pytest.fixture(scope="module")
def rhythm_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("rhythm")
    result = run_cli("rhythm", str(SAMPLE_VIDEOS / "typical.mp4"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out, result


@pytest.mark.slow
def test_rhythm_on_a_rendered_clip_matches_its_truth(rhythm_run):
    out, result = rhythm_run
    reps = pd.read_csv(out / "reps.csv")
    summary = json.loads((out / "summary.json").read_text())
    truth = pd.read_csv(SAMPLE_VIDEOS / "typical_truth.csv")
    truth["confidence"] = 1.0
    true_rows = analyse_rhythm(truth).reps
    assert reps["rep"].nunique() == true_rows["rep"].nunique() == 2
    measured = reps[reps.phase == "flexion"]["lumbar_contribution_pct"].mean()
    expected = true_rows[true_rows.phase == "flexion"]["lumbar_contribution_pct"].mean()
    assert abs(measured - expected) < 10  # the angle accuracy of bench/ACCURACY.md
    assert summary["schema"] == "lumbopelvic.summary" and summary["repetitions"]["complete"] == 2
    assert summary["provenance"]["input"]["sha256"]
    assert all("source" in band for band in summary["reference_bands"])
    assert {"mean", "sd", "cv_pct", "n"} <= set(summary["phases"]["flexion"]["pelvis_lag_ms"])
    assert "repetitions" in result.stdout
