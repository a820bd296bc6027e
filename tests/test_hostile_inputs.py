"""Hostile and unusual inputs, as a user meets them: each gets what was promised.

A table of cases, each run through ``lumbopelvic analyze`` into a folder that already holds
an earlier analysis. For every case: the exit code; a fragment of what it says; no
traceback; no hidden staging folder left behind; on failure one line on stderr and the earlier
results untouched; on success the folder replaced whole by the new results.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import hostile_clips as clips
import pandas as pd
import pytest
from conftest import SAMPLE_VIDEOS, run_cli, start_cli, wait_for, without_progress

from lumbopelvic.io.ownership import mark_owned

EARLIER = {"summary.json": '{"earlier": true}\n', "reps.csv": "rep,phase\n1,flexion\n"}


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path], Path]
    code: int
    says: str
    needs: str | None = None  # an FFmpeg encoder the clip needs


CASES = [
    Case("missing file", lambda d: d / "nope.mp4", 2, "video not found"),
    Case("directory", lambda d: d, 2, "got a directory"),
    Case("empty file", clips.empty, 2, "is empty"),
    Case("text as .mp4", clips.text_as_video, 2, "not a readable video"),
    Case("truncated file", clips.truncated, 2, "is truncated"),
    Case("moov missing", clips.moov_missing, 2, "not a readable video"),
    Case("audio only", clips.audio_only, 2, "has no video stream"),
    Case("still image", clips.still_image, 2, "is a still image"),
    Case("FIFO", clips.fifo, 2, "not a regular file"),
    Case("1 frame", clips.frames(1), 2, "too short to measure a movement (1 frame "),
    Case("2 frames", clips.frames(2), 2, "too short to measure a movement (2 frames"),
    Case("no person", clips.no_person, 2, "no person was detected"),
    Case("half in frame", clips.half_in_frame, 0, "keep the whole body"),
    Case("two people", clips.two_people, 0, "followed the main subject"),
    Case("frontal view", clips.frontal_view, 0, "off a true side view"),
    Case("rotated", clips.rotated, 0, "2 repetitions, 2 complete"),
    Case("variable frame rate", clips.variable_frame_rate, 0, "repetitions"),
    Case("60 fps with edit list", clips.sixty_fps_edit_list, 0, "2 repetitions"),
    Case("timestamps from 10 s", clips.late_timestamps, 0, "2 repetitions, 2 complete"),
    Case("120 fps slow motion", clips.high_speed, 0, "frames with a person"),
    Case("HEVC .mov", clips.hevc_mov, 0, "2 repetitions, 2 complete", needs="libx265"),
    Case("4K", clips.four_k, 0, "frames with a person"),
    Case("odd width", clips.odd_width, 0, "2 repetitions, 2 complete"),
    Case("hostile file name", clips.hostile_name, 0, "2 repetitions, 2 complete"),
]


def _earlier_results(out: Path) -> dict[str, str]:
    """An earlier analysis's folder (its files and the marker ``analyze`` writes)."""
    out.mkdir(parents=True)
    for name, text in EARLIER.items():
        (out / name).write_text(text)
    mark_owned(out, "analyze")
    return EARLIER


def _visible(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in folder.iterdir() if not p.name.startswith(".")}


def _hidden(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".")]


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_input(case: Case, tmp_path: Path):
    if case.needs and not clips.has_encoder(case.needs):
        pytest.skip(f"this FFmpeg has no {case.needs} encoder to make the clip")
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    source = case.build(inputs)
    out = tmp_path / "results"
    earlier = _earlier_results(out)
    result = run_cli("analyze", str(source), "-o", str(out))
    said = result.stdout + result.stderr
    assert result.returncode == case.code, said
    assert case.says in said, said
    assert "Traceback" not in said
    assert not _hidden(tmp_path), "a staging folder was left behind"
    if case.code:
        lines = without_progress(result.stderr)
        assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
        assert _visible(out) == earlier
    else:
        assert without_progress(result.stderr) == [], result.stderr  # no warnings
        assert json.loads((out / "summary.json").read_text())["schema"] == "lumbopelvic.summary"
        assert (out / "report.html").is_file() and (out / "annotated.mp4").is_file()
        assert str(out / "report.html") in result.stdout  # the path, printed as it is


@pytest.mark.slow
def test_an_edit_list_clip_analyses_every_presented_frame(tmp_path):
    import av

    source = clips.sixty_fps_edit_list(tmp_path)
    with av.open(str(source)) as container:
        stream = container.streams.video[0]
        indexed = stream.frames
        presented = [f.time for f in container.decode(stream)]
    assert indexed > len(presented)  # the container indexes frames its edit list hides
    result = run_cli("analyze", str(source), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    angles = pd.read_csv(tmp_path / "out" / "angles.csv")
    assert len(angles) == len(presented)
    assert angles["time_s"].iloc[0] == pytest.approx(presented[0], abs=1e-3)


# --------------------------------------------------------------------------- output locations


def _one_line(result, fragment: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    lines = without_progress(result.stderr)
    assert len(lines) == 1 and lines[0].startswith("error: ") and fragment in lines[0], lines


@pytest.mark.slow
def test_output_path_that_is_a_file_is_refused_before_any_work(tmp_path):
    target = tmp_path / "results"
    target.write_text("my notes\n")
    started = time.monotonic()
    result = run_cli("analyze", str(SAMPLE_VIDEOS / "typical.mp4"), "-o", str(target))
    _one_line(result, "is a file, not a folder")
    assert time.monotonic() - started < 30  # no pose inference was run first
    assert target.read_text() == "my notes\n"


@pytest.mark.slow
def test_output_folder_with_other_files_is_not_replaced(tmp_path):
    (tmp_path / "thesis.docx").write_text("do not delete")
    result = run_cli("analyze", str(SAMPLE_VIDEOS / "typical.mp4"), "-o", str(tmp_path))
    _one_line(result, "holds files lumbopelvic did not write there (thesis.docx)")
    assert (tmp_path / "thesis.docx").read_text() == "do not delete"


@pytest.mark.slow
def test_unwritable_output_is_one_line(tmp_path):
    if os.geteuid() == 0:  # root writes anywhere but where the kernel forbids it
        if not Path("/sys").is_dir():
            pytest.skip("no read-only location to write into here")
        target = Path("/sys/lumbopelvic-test/out")
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        target = locked / "out"
    result = run_cli("pose", str(SAMPLE_VIDEOS / "typical.mp4"), "-o", str(target))
    _one_line(result, "cannot write the output")


@pytest.mark.slow
def test_name_too_long_is_one_line(tmp_path):
    result = run_cli(
        "analyze", str(SAMPLE_VIDEOS / "typical.mp4"), "-o", str(tmp_path / ("x" * 300))
    )
    _one_line(result, "name too long")


@pytest.mark.slow
def test_markup_characters_in_paths_are_printed_as_they_are(tmp_path):
    out = tmp_path / "out[/]x [bold]"
    result = run_cli("pose", str(SAMPLE_VIDEOS / "typical.mp4"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert str(out / "landmarks.parquet") in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        (["--cutoff-hz", "nan"], "cutoff_hz (--cutoff-hz) must be a finite number"),
        (["--slow-motion", "inf"], "slow_motion (--slow-motion) must be a finite number"),
        (["--subject-height-m", "-1.7"], "subject_height_m must be a height in metres"),
        (["--cutoff-hz", "fast"], "Invalid value for '--cutoff-hz'"),
        (["--no-such-flag"], "No such option"),
    ],
)
def test_bad_values_are_one_line_naming_the_flag(tmp_path, options, fragment):
    result = run_cli(
        "analyze", str(SAMPLE_VIDEOS / "typical.mp4"), "-o", str(tmp_path / "o"), *options
    )
    _one_line(result, fragment)
    assert not (tmp_path / "o").exists()


def test_a_wrong_type_in_a_settings_file_names_the_key(tmp_path):
    settings = tmp_path / "study.toml"
    settings.write_text('cutoff_hz = "fast"\n')
    result = run_cli("analyze", str(SAMPLE_VIDEOS / "typical.mp4"), "--config", str(settings))
    _one_line(result, "study.toml: cutoff_hz must be a number, got 'fast'")


def test_negative_jobs_are_refused(tmp_path):
    result = run_cli("batch", str(SAMPLE_VIDEOS), "-o", str(tmp_path / "b"), "--jobs", "-3")
    _one_line(result, "--jobs")


# --------------------------------------------------------------------------- stopping runs


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_analysis_leaves_nothing_behind_and_keeps_earlier_results(tmp_path, signum):
    out = tmp_path / "results"
    earlier = _earlier_results(out)
    process = start_cli("analyze", str(SAMPLE_VIDEOS / "guarded.mp4"), "-o", str(out), "--no-cache")
    wait_for(lambda: any(".staging-" in name for name in _hidden(tmp_path)))
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == (143 if signum == signal.SIGTERM else 130)
    lines = without_progress(stderr)
    assert len(lines) == 1 and lines[0].startswith("error: "), repr(stderr)
    assert not _hidden(tmp_path)
    assert _visible(out) == earlier


@pytest.mark.slow
def test_a_killed_analysis_is_cleaned_up_by_the_next_run(tmp_path):
    out = tmp_path / "results"
    process = start_cli("analyze", str(SAMPLE_VIDEOS / "guarded.mp4"), "-o", str(out))
    wait_for(lambda: any(".staging-" in name for name in _hidden(tmp_path)))
    process.kill()
    process.communicate()
    assert _hidden(tmp_path)  # SIGKILL leaves the staging folder...
    result = run_cli("analyze", str(SAMPLE_VIDEOS / "guarded.mp4"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert not _hidden(tmp_path)  # ...and the next run removes it
    assert (out / "report.html").is_file()


@pytest.mark.slow
def test_one_batch_at_a_time_and_a_stopped_batch_resumes_clean(tmp_path):
    out = tmp_path / "study"
    video = str(SAMPLE_VIDEOS / "guarded.mp4")
    first = start_cli("batch", video, "-o", str(out), "--jobs", "1")
    wait_for(lambda: (out / ".lumbopelvic-batch.lock").is_file())
    second = run_cli("batch", video, "-o", str(out), "--jobs", "1")
    _one_line(second, "another batch is writing to")
    first.send_signal(signal.SIGTERM)
    first.communicate(timeout=60)
    assert first.returncode == 143
    again = run_cli("batch", video, "-o", str(out), "--jobs", "1")
    assert again.returncode == 0, again.stderr
    assert not [p for p in out.rglob(".*") if p.is_dir()]  # no staging folder anywhere
