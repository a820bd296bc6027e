"""The batch's tidy tables and page, built from analysis folders without running pose."""

import json
import shutil

import pandas as pd
import pytest
from conftest import SAMPLE_VIDEOS

from lumbopelvic.io.layout import ANGLES_CSV, BATCH_DONE_MARKER
from lumbopelvic.outputs.batch_page import batch_page
from lumbopelvic.workflows.batch_tables import UNITS, build_tables
from lumbopelvic.workflows.repetition_tables import QUALITY
from lumbopelvic.workflows.steps import measure_rhythm

NOT_MEASUREMENTS = {
    "trial",
    "video",
    "task",
    "status",
    "verdict",
    "reason",
    "rep",
    "phase",
    "complete",
    "low_confidence",
    "split_supported",
    "condition",
}


def _finished(out, name, truth, condition, **settings):
    """A finished batch folder for a truth table read as an angle table (no pose needed)."""
    folder = out / "videos" / name
    measure_rhythm(SAMPLE_VIDEOS / truth, folder, **settings)
    shutil.copy(SAMPLE_VIDEOS / truth, folder / ANGLES_CSV)
    done = {
        "key": "k",
        "video": str(SAMPLE_VIDEOS / truth.replace("_truth.csv", ".mp4")),
        "metadata": {"condition": condition},
        "settings": {},
    }
    (folder / BATCH_DONE_MARKER).write_text(json.dumps(done))


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    out = tmp_path_factory.mktemp("batch")
    _finished(out, "typical_1", "typical_truth.csv", "pre")
    _finished(out, "guarded_2", "guarded_truth.csv", "post")
    failure = {
        "video": "/data/broken.mp4",
        "reason": "broken.mp4 is not a readable video",
        "name": "broken_3",
        "metadata": {"condition": "pre"},
        "task": "forward-bend",
    }
    trials, reps = build_tables(out, [failure])
    return out, trials, reps


def test_trials_are_one_row_each_with_status_verdict_and_reason(tables):
    out, trials, _ = tables
    assert list(trials["trial"]) == ["guarded_2", "typical_1", "broken_3"]
    assert list(trials["status"]) == ["analysed", "analysed", "failed"]
    assert list(trials["verdict"][:2]) == ["analysable"] * 2
    assert trials["verdict"].iloc[2] == "not-analysable"
    assert "not a readable video" in trials["reason"].iloc[2]
    assert trials["video"].str.startswith("/").all()  # absolute, whatever the working folder
    assert list(trials.columns[:4]) == ["trial", "video", "condition", "task"]
    read = pd.read_csv(out / "trials.csv")
    assert len(read) == 3 and list(read.columns) == list(trials.columns)


def test_every_measurement_column_carries_its_unit_and_none_repeats(tables):
    _, trials, reps = tables
    for table in (trials, reps):
        unitless = [c for c in table if c not in NOT_MEASUREMENTS and not c.endswith(UNITS)]
        assert not unitless
        assert not [c for c in table if "90_120" in c or "share_at_trunk" in c]
    assert "trunk_peak_flexion_deg" in trials and "trunk_peak_flexion_sd_deg" in trials
    assert not [c for c in trials if c.startswith("return_") and "peak_flexion" in c]
    assert "flexion_lumbar_share_trunk_0_30deg_pct" in trials
    # Angle tables carry no capture quality (videos do); every other column has values.
    empty = [c for c in trials if trials[c].isna().all() and c not in QUALITY.values()]
    assert not empty


def test_reps_are_one_row_per_repetition_and_phase_with_peaks_given_once(tables):
    _, _, reps = tables
    assert not reps.duplicated(["trial", "rep", "phase"]).any()
    first = ~reps.duplicated(["trial", "rep"])
    assert reps.loc[first, "trunk_peak_flexion_deg"].notna().all()
    assert reps.loc[~first, "trunk_peak_flexion_deg"].isna().all()
    assert set(reps["condition"]) == {"pre", "post"}
    assert reps.groupby("trial")["trunk_peak_flexion_deg"].count().min() >= 1


def test_the_batch_page_lists_every_trial_with_a_relative_link(tables):
    _, trials, _ = tables
    page = batch_page(trials, "study")
    assert page.count("<tr>") == 4  # a header and three trials
    assert "href='videos/typical_1/report.html'" in page
    assert "videos/broken_3" not in page  # a failed trial has no report
    assert "Lumbar share of the bend at its deepest (%)" in page and "not analysable" in page
    assert "http" not in page and "<script" not in page and "src=" not in page
