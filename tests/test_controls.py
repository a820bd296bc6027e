"""Everyday controls: --start/--end, --subject, progress in logs, help that lists choices, -h."""

import re

import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLE_VIDEOS, bending_table, run_cli, trunk_track

from lumbopelvic.cli.progress import LogLines
from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.provenance import set_metadata
from lumbopelvic.core.time_range import parse_time_s, select_time_range
from lumbopelvic.kinematics.person_tracks import keep_main_track
from lumbopelvic.pose.settings import PoseSettings
from lumbopelvic.pose.subject import SubjectTracker, parse_subject


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("65.5", 65.5), ("1:05.5", 65.5), ("0:07", 7.0), ("1:02:03", 3723.0), (" 12 ", 12.0)],
)
def test_times_are_seconds_or_minutes_and_seconds(text, seconds):
    assert parse_time_s(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["1:75", "abc", "-3", "1:2:3:4", "nan", "", "1:60:00"])
def test_a_time_that_is_not_one_is_refused(text):
    with pytest.raises(ValueError, match="is not a time"):
        parse_time_s(text)


def test_the_range_is_checked_where_the_settings_are_made():
    assert PoseSettings(start="1:05.5", end=70).start == 65.5
    with pytest.raises(LumbopelvicError, match="must be after --start"):
        PoseSettings(start=5, end=5)
    with pytest.raises(LumbopelvicError, match="is not a time"):
        PoseSettings(start="soon")


def test_a_table_is_cut_to_the_range_and_keeps_its_own_times():
    table = pd.DataFrame({"frame": range(100), "time_s": np.arange(100) / 10})
    part = select_time_range(table, 2.0, 3.5, "clip")
    assert part["time_s"].iloc[0] == 2.0 and part["time_s"].iloc[-1] == 3.5
    assert part["frame"].iloc[0] == 20  # the recording's own frame numbers
    with pytest.raises(LumbopelvicError, match="beyond the end of clip"):
        select_time_range(table, 12.0, None, "clip")
    with pytest.raises(LumbopelvicError, match="beyond the end of clip"):
        select_time_range(table, None, 30.0, "clip")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--start", "1:75"], "Invalid value for '--start'"),
        (["--start", "4", "--end", "2"], "--end (2 s) must be after --start (4 s)"),
        (["--start", "50"], "--start 50 s is beyond the end of typical.mp4"),
        (["--end", "1:00"], "--end 60 s (1:00.0) is beyond the end of typical.mp4"),
        (["--subject", "top"], "unknown subject 'top'"),
        (["--task", "jumping"], "Invalid value for '--task'"),
    ],
)
def test_bad_controls_are_one_line_and_exit_2(tmp_path, args, message):
    result = run_cli(
        "analyze", str(SAMPLE_VIDEOS / "typical.mp4"), "-o", str(tmp_path / "o"), *args
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert not (tmp_path / "o").exists()


def test_subject_rules_pick_the_person_asked_for():
    size = (1000, 800)
    left_small = np.array([50, 300, 250, 700.0])
    centre_big = np.array([400, 100, 700, 790.0])
    right = np.array([800, 200, 990, 780.0])
    people = [left_small, centre_big, right]
    expected = {
        "auto": 1,
        "largest": 1,
        "central": 1,
        "left": 0,
        "right": 2,
        "100,500": 0,
        "0.9,0.5": 2,
        "0.55,0.5": 1,
    }
    for rule, index in expected.items():
        assert SubjectTracker(size, rule).choose(people) == index, rule


def test_subject_spellings():
    assert parse_subject("Left") == "left"
    assert parse_subject("0.3, 0.6") == (0.3, 0.6)
    assert PoseSettings(subject="RIGHT").subject == "right"
    assert PoseSettings(subject="320,240").subject == "320,240"
    for bad in ("top", "1,2,3", "-1,5", "x,y"):
        with pytest.raises(LumbopelvicError, match="unknown subject"):
            parse_subject(bad)


def _two_people(subject: str) -> pd.DataFrame:
    """A landmark table: person A (left) in frames 0-29, then person B (right) until the end."""
    t, trunk = trunk_track()
    a = bending_table(trunk, t, facing=1)
    b = bending_table(trunk, t, facing=1)
    b[[c for c in b.columns if c.endswith("_x_px")]] += 1200
    table = pd.concat([a.iloc[:30], b.iloc[30:]], ignore_index=True)
    return set_metadata(table, {"settings": {"subject": subject}})


def test_an_explicit_subject_keeps_the_person_chosen_first_not_the_longest_track():
    kept, info = keep_main_track(_two_people("auto"))
    assert info["tracks"] == 2 and kept.loc[:29, "n_people"].eq(0).all()  # longest: B
    kept, info = keep_main_track(_two_people("left"))
    assert kept.loc[:29, "n_people"].eq(1).all() and kept.loc[30:, "n_people"].eq(0).all()


def test_log_lines_come_every_tenth_or_every_few_seconds():
    now = [0.0]
    log = LogLines("pose", 300, "frames", clock=lambda: now[0])
    lines = []
    for done in range(1, 301):
        now[0] = done / 30  # 30 frames a second: a tenth every second
        lines.append(log.update(done))
    shown = [line for line in lines if line]
    assert len(shown) == 10 and shown[3] == "pose 40 % (120/300 frames)"
    quick = LogLines("pose", 300, "frames", clock=lambda: 0.5)
    assert not any(quick.update(done) for done in range(1, 301))  # a short run stays quiet
    now[0] = 0.0
    slow = LogLines("pose", 0, "frames", clock=lambda: now[0])  # total unknown: every 5 s
    assert slow.update(5) is None
    now[0] = 6.0
    assert slow.update(9) == "pose: 9 frames"
    assert slow.finished().startswith("pose done: 9 frames in 6 s")


@pytest.mark.slow
def test_help_lists_the_choices_and_h_is_help():
    short = run_cli("analyze", "-h")
    assert short.returncode == 0 and short.stdout == run_cli("analyze", "--help").stdout
    text = " ".join(short.stdout.split())
    assert "<forward-bend|hinge|squat|sit-to-stand|walk>" in text and "<off|auto|on>" in text
    assert "--start TIME" in text and "auto|largest|central|left|right|X,Y" in text
    batch = " ".join(run_cli("batch", "-h").stdout.split())
    assert "--jobs N|auto" in batch and "default: 0]" not in batch
    assert run_cli("models", "install", "-h").returncode == 0
    assert "--start" not in run_cli("compare", "-h").stdout  # two whole recordings


@pytest.mark.slow
def test_a_range_on_an_angle_table_and_whole_paths_in_piped_output(tmp_path):
    deep = tmp_path / ("a_rather_long_folder_name_" * 4) / "out"
    result = run_cli(
        "rhythm",
        str(SAMPLE_VIDEOS / "typical_truth.csv"),
        "-o",
        str(deep),
        "--start",
        "0:01",
        "--end",
        "4",
    )
    assert result.returncode == 0, result.stderr
    assert f"  reps: {deep / 'reps.csv'}" in result.stdout.splitlines()  # not wrapped at 80
    reps = pd.read_csv(deep / "reps.csv")
    assert reps["start_s"].min() >= 1.0 and reps["end_s"].max() <= 4.0


def test_a_batch_in_a_log_writes_a_line_per_video_and_a_heartbeat():
    import io
    import time

    from rich.console import Console

    from lumbopelvic.cli.batch_progress import BatchProgress

    log = io.StringIO()
    with BatchProgress(Console(file=log, force_terminal=False), heartbeat_s=0.2) as progress:
        progress.on_start(2)
        time.sleep(1.3)  # a long first video: the log still hears from the batch
        progress.on_result(
            {
                "video": "/v/a.mp4",
                "ok": True,
                "frames": 90,
                "repetitions": 0,
                "status": "no-repetitions",
                "verdict": "not-analysable",
            }
        )
        progress.on_result(
            {"video": "/v/b.mp4", "ok": False, "frames": 0, "reason": "b.mp4 is empty"}
        )
    lines = log.getvalue().splitlines()
    assert lines[0] == "batch: 2 videos"
    assert any(line.startswith("batch: 0 of 2 videos finished") for line in lines)
    assert "batch 1/2 (50 %): a.mp4: no repetitions found, not-analysable, 0 repetitions" in lines
    assert lines[-1] == "batch 2/2 (100 %): b.mp4: failed: b.mp4 is empty"


@pytest.mark.slow
def test_analysing_part_of_a_recording_keeps_its_times_and_reports_progress_in_a_log(tmp_path):
    from lumbopelvic.io.video import iter_frames

    out = tmp_path / "part"
    result = run_cli(
        "analyze",
        str(SAMPLE_VIDEOS / "typical.mp4"),
        "-o",
        str(out),
        "--start",
        "0:01",
        "--end",
        "4.5",
        "--subject",
        "central",
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"^pose \d+ % \(\d+/\d+ frames\)$", result.stderr, re.MULTILINE)
    assert "Angles, rhythm" in result.stderr
    angles = pd.read_csv(out / "angles.csv")
    assert angles["time_s"].iloc[0] == pytest.approx(1.0, abs=0.02)
    assert angles["time_s"].iloc[-1] <= 4.5 and angles["frame"].iloc[0] == 30
    assert len(list(iter_frames(out / "annotated.mp4"))) == len(angles)
    summary = (out / "summary.json").read_text()
    assert '"start": 1.0' in summary and '"subject": "central"' in summary
