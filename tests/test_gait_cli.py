"""``--task walk`` from the command line and in batches: files, tables, one-line errors."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from conftest import REAL_DATA, REPO, run_cli
from test_gait import walking_table

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.io.landmark_files import save_landmark_table
from lumbopelvic.io.layout import BATCH_DONE_MARKER
from lumbopelvic.workflows.batch_tables import UNITS, build_tables
from lumbopelvic.workflows.compare import compare
from lumbopelvic.workflows.settings import AnalysisSettings
from lumbopelvic.workflows.steps import measure_rhythm


@pytest.fixture
def real_walk():
    video = REAL_DATA / "walk_side.mp4"
    if not video.is_file():
        pytest.skip("the real walking clip is not on this machine")
    return video


@pytest.fixture(scope="module")
def walk_landmarks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("walk")
    table, _ = walking_table()
    return save_landmark_table(table, folder)["csv"]


@pytest.mark.slow
def test_rhythm_task_walk_writes_the_gait_tables_and_says_the_cadence(walk_landmarks, tmp_path):
    result = run_cli("rhythm", str(walk_landmarks), "--task", "walk", "-o", str(tmp_path / "o"))
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "Filmed from the side" in text
    cadence = int(re.search(r"cadence (\d+) steps/min", text).group(1))
    assert abs(cadence - 120 / 1.1) <= 2
    for name in ("steps.csv", "strides.csv", "gait.csv", "gait_events.csv", "summary.json"):
        assert (tmp_path / "o" / name).is_file(), name
    summary = json.loads((tmp_path / "o" / "summary.json").read_text())
    assert summary["task"] == "walk" and summary["steps"]["strides"] >= 5
    events = pd.read_csv(tmp_path / "o" / "gait_events.csv")
    assert set(events["event"]) == {"heel strike", "toe off"}


@pytest.mark.slow
def test_a_walk_from_an_angle_table_is_refused_in_one_line(tmp_path):
    angles = tmp_path / "angles.csv"
    pd.DataFrame({"time_s": [0.0, 0.1], "trunk_deg": [0.0, 1.0]}).to_csv(angles, index=False)
    result = run_cli("rhythm", str(angles), "--task", "walk", "-o", str(tmp_path / "o"))
    assert result.returncode != 0
    assert "a walk is measured from the feet" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_walks_are_not_compared_and_say_why(tmp_path):
    with pytest.raises(LumbopelvicError, match="walks are not compared yet"):
        compare(tmp_path / "a", tmp_path / "b", tmp_path / "c", task="walk")


def test_batch_tables_give_walks_their_own_columns_and_strides(walk_landmarks, tmp_path):
    folder = tmp_path / "study" / "videos" / "walk_1"
    measure_rhythm(walk_landmarks, folder, AnalysisSettings.from_options(task="walk"))
    done = {
        "key": "k",
        "video": "/data/walk.mp4",
        "metadata": {"condition": "pre"},
        "settings": {"task": "walk"},
    }
    (folder / BATCH_DONE_MARKER).write_text(json.dumps(done))
    trials, _ = build_tables(tmp_path / "study")
    row = trials.iloc[0]
    assert (row["task"], row["status"], row["view"]) == ("walk", "analysed", "side")
    assert row["cadence_per_min"] == pytest.approx(109, abs=2)
    assert row["stride_time_cv_pct"] < 3
    strides = pd.read_csv(tmp_path / "study" / "strides.csv")
    assert len(strides) == row["strides_count"]
    assert list(strides.columns[:4]) == ["trial", "video", "condition", "task"]
    words = {
        "trial",
        "video",
        "condition",
        "task",
        "status",
        "verdict",
        "reason",
        "view",
        "foot",
        "bout",
        "stride",
    }
    for table in (trials, strides):
        unitless = [
            c
            for c in table
            if c not in words and not c.endswith(UNITS) and not c.endswith("_confidence")
        ]
        assert not unitless
    documented = (REPO / "docs" / "batch_tables.md").read_text()
    missing = [
        c
        for c in [*trials.columns, *strides.columns]
        if f"`{c}`" not in documented and c not in ("condition",) and not c.endswith("_confidence")
    ]
    assert not missing


@pytest.mark.slow
def test_analyze_a_real_walk_counts_its_steps(real_walk, tmp_path):
    video = real_walk
    out = tmp_path / "out"
    result = run_cli("analyze", str(video), "--task", "walk", "-o", str(out))
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text())
    steps = summary["steps"]
    # Counted by eye: 8 heel strikes walking left, 10 walking back, a turn between.
    assert 16 <= steps["heel_strikes"] <= 20 and steps["bouts"] == 2
    assert 100 <= steps["cadence_steps_per_min"] <= 125
    assert summary["view"]["label"] == "side"
    page = (out / "report.html").read_text()
    assert "Walking report" in page and "annotated.mp4" in page
    assert "task = walk" in page  # the settings in the provenance table
    assert (out / "annotated.mp4").stat().st_size > 10_000
    again = run_cli("analyze", str(video), "--task", "walk", "-o", str(out))
    assert again.returncode == 0, again.stderr
    render = json.loads((out / "summary.json").read_text())["provenance"]["render"]
    assert render["reused"]  # the same walk again: the annotated video is taken over


def test_a_walk_read_back_describes_itself_and_refuses_bend_plots(walk_landmarks, tmp_path):
    import lumbopelvic

    folder = tmp_path / "walk"
    measure_rhythm(walk_landmarks, folder, AnalysisSettings.from_options(task="walk"))
    result = lumbopelvic.load(folder)
    assert repr(result).startswith("Result(walk, ")
    assert len(result.strides) == result.summary.steps.strides
    with pytest.raises(LumbopelvicError, match="has no reps table"):
        result.table("reps")
    assert any("steps per minute" in line for line in result.describe())
    with pytest.raises(LumbopelvicError, match="no pelvis/lumbar split"):
        result.plot_pelvis_vs_lumbar()
    with pytest.raises(LumbopelvicError, match="not phases"):
        result.plot_share_curves()


def test_the_batch_page_gives_walks_their_own_table(walk_landmarks, tmp_path):
    from lumbopelvic.outputs.batch_page import batch_page

    folder = tmp_path / "study" / "videos" / "walk_1"
    measure_rhythm(walk_landmarks, folder, AnalysisSettings.from_options(task="walk"))
    done = {"key": "k", "video": "/data/walk.mp4", "metadata": {}, "settings": {}}
    (folder / BATCH_DONE_MARKER).write_text(json.dumps(done))
    trials, _ = build_tables(tmp_path / "study")
    page = batch_page(trials, "study")
    assert "<h2>Walks</h2>" in page and "Cadence (steps per minute)" in page
    cadence = f"{trials['cadence_per_min'].iloc[0]:.1f}"
    assert f"<td class='num'>{cadence}</td>" in page
    assert "Peak trunk flexion" not in page  # no bend in this batch


@pytest.mark.slow
def test_batch_of_a_real_walk_counts_its_steps(real_walk, tmp_path):
    video = real_walk
    out = tmp_path / "study"
    result = run_cli("batch", str(video), "-o", str(out), "--task", "walk", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "walk_side.mp4: analysed, analysable, 16 steps" in result.stderr
    trial = pd.read_csv(out / "trials.csv").iloc[0]
    assert (trial["task"], trial["status"], trial["steps_count"]) == ("walk", "analysed", 16)
    assert len(pd.read_csv(out / "strides.csv")) == trial["strides_count"]
