"""Hostile output folders and stops: no user file is ever removed, a stop at any stage leaves
the earlier result intact and no process or scratch behind, two runs never share a folder.

The folder rules are tested on the library's functions (fast); each command's refusal and the
stops through the command line, as a user meets them.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLE_VIDEOS, run_cli, start_cli, wait_for, without_progress

from lumbopelvic.core import stopping
from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.stopping import Interrupted
from lumbopelvic.io import staging
from lumbopelvic.io.ownership import OWNER_MARKER, check_owned, mark_owned
from lumbopelvic.io.staging import prepare_target, staging_folder, swap_in
from lumbopelvic.workflows import steps

VIDEO = SAMPLE_VIDEOS / "guarded.mp4"


def _result(folder: Path, command: str = "analyze") -> Path:
    """An earlier result of ``command``: a table, a key frame, and the marker."""
    (folder / "key_frames").mkdir(parents=True)
    (folder / "summary.json").write_text('{"earlier": true}\n')
    (folder / "key_frames" / "rep1.png").write_bytes(b"png")
    mark_owned(folder, command)
    return folder


def _refused(folder: Path, command: str, fragment: str) -> None:
    with pytest.raises(LumbopelvicError, match="lumbopelvic never removes them") as refusal:
        check_owned(folder, command)
    assert fragment in str(refusal.value), str(refusal.value)


# ------------------------------------------------------------------ whose folder it is


def test_a_new_an_empty_and_an_own_earlier_folder_are_written(tmp_path):
    check_owned(tmp_path / "new", "analyze")
    (tmp_path / "empty").mkdir()
    check_owned(tmp_path / "empty", "analyze")
    check_owned(_result(tmp_path / "earlier"), "analyze")


def test_a_users_own_report_in_an_unmarked_folder_is_refused(tmp_path):
    (tmp_path / "report.pdf").write_bytes(b"%PDF- my own report")
    _refused(tmp_path, "analyze", "did not write there (report.pdf)")


def test_a_picture_added_inside_key_frames_is_refused(tmp_path):
    folder = _result(tmp_path / "out")
    (folder / "key_frames" / "my_photo.jpg").write_bytes(b"jpg")
    _refused(folder, "analyze", "key_frames/my_photo.jpg")


def test_a_result_file_changed_by_the_user_is_refused_but_a_touched_one_is_not(tmp_path):
    folder = _result(tmp_path / "out")
    summary = folder / "summary.json"
    os.utime(summary, ns=(0, 12_345))  # copied without its times: same content, still ours
    check_owned(folder, "analyze")
    summary.write_text('{"my": "edits"}\n')
    _refused(folder, "analyze", "changed since lumbopelvic wrote them (summary.json)")


def test_another_commands_result_is_refused(tmp_path):
    folder = _result(tmp_path / "study", "batch")
    _refused(folder, "rhythm", "holds a 'batch' result, not an 'rhythm' one")


def test_pending_files_and_own_subfolders(tmp_path):
    batch = tmp_path / "study"
    trial = _result(batch / "videos" / "clip")
    mark_owned(batch, "batch", pending=["trials.csv"])
    (batch / "trials.csv").write_text("rewritten in place\n")
    (batch / ".lumbopelvic-batch.lock").write_text("1 on host")
    (batch / "videos" / ".clip.staging-host-1-abc").mkdir()  # a stopped worker's
    check_owned(batch, "batch")
    (trial / "notes.txt").write_text("mine")
    _refused(batch, "batch", "videos/clip/notes.txt")


def test_a_folder_marked_with_garbage_is_not_trusted(tmp_path):
    folder = _result(tmp_path / "out")
    (folder / OWNER_MARKER).write_text("not json")
    _refused(folder, "analyze", "did not write there")


def test_prepare_target_follows_a_link_to_the_folder_it_names(tmp_path):
    real = _result(tmp_path / "real")
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    assert prepare_target(link, "analyze") == real


# ------------------------------------------------------------------ stops and failures


def test_a_stop_whose_exception_was_swallowed_still_stops_the_swap(tmp_path, monkeypatch):
    earlier = _result(tmp_path / "out")
    staging = tmp_path / ".out.staging-x"
    staging.mkdir()
    monkeypatch.setattr(stopping, "_requested", [signal.SIGTERM])
    with pytest.raises(Interrupted):
        swap_in(staging, earlier, {})
    assert (earlier / "summary.json").read_text() == '{"earlier": true}\n'


def test_a_stop_landing_as_the_staging_folder_is_made_leaves_no_folder(tmp_path, monkeypatch):
    made = tempfile.mkdtemp

    def made_then_stopped(**kwargs: str) -> str:
        made(**kwargs)  # the folder exists, but its name never reaches the caller
        raise Interrupted(signal.SIGINT)

    monkeypatch.setattr(tempfile, "mkdtemp", made_then_stopped)
    with pytest.raises(Interrupted), staging_folder(tmp_path / "out"):
        pass
    assert list(tmp_path.iterdir()) == []
    # And a folder still open when the run leaves (a stop inside the ``with``'s own entry) is
    # removed by the exit hooks the command line runs on a stop.
    monkeypatch.setattr(tempfile, "mkdtemp", made)
    entered = staging_folder(tmp_path / "out")
    folder = entered.__enter__()
    assert folder.is_dir()
    staging._remove_live_folders()
    assert not folder.exists()


def test_a_full_disk_while_writing_a_step_leaves_no_folder(tmp_path, monkeypatch):
    angles = tmp_path / "angles.csv"
    time_s = np.arange(0, 6, 1 / 30)
    trunk = 60 * np.sin(np.pi * time_s / 3) ** 2
    pd.DataFrame(
        {"time_s": time_s, "trunk_deg": trunk, "pelvis_deg": trunk / 2, "lumbar_deg": trunk / 2}
    ).to_csv(angles, index=False)

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(steps, "save_results", full)
    target = tmp_path / "rhythm"
    with pytest.raises(OSError):
        steps.measure_rhythm(angles, target)
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["angles.csv"]


# ------------------------------------------------------------------ through the command line


def _one_line(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    lines = without_progress(result.stderr)
    assert len(lines) == 1 and lines[0].startswith("error: ") and fragment in lines[0], lines


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [
        ["analyze", str(VIDEO)],
        ["pose", str(VIDEO)],
        ["rhythm", str(VIDEO)],
        ["compare", str(VIDEO), str(VIDEO)],
        ["batch", str(VIDEO)],
    ],
    ids=lambda command: command[0],
)
def test_every_command_refuses_a_folder_holding_a_users_files(tmp_path, command):
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.json").write_text("my own summary")
    started = time.monotonic()
    result = run_cli(*command, "-o", str(out))
    _one_line(result, "did not write there (summary.json)")
    assert time.monotonic() - started < 30  # refused before any pose inference
    assert [p.name for p in out.iterdir()] == ["summary.json"]


@pytest.mark.slow
def test_rhythm_refuses_a_batch_folder(tmp_path):
    study = _result(tmp_path / "study", "batch")
    result = run_cli("rhythm", str(VIDEO), "-o", str(study))
    _one_line(result, "holds a 'batch' result")


def _chromium_profiles(folder: Path) -> list[Path]:
    return list(folder.rglob(".lumbopelvic-chromium-*"))


def _processes_naming(text: str) -> list[str]:
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in cmdline:
            found.append(cmdline)
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_while_the_pdf_prints_leaves_no_chromium_and_no_scratch(tmp_path, signum):
    from lumbopelvic.outputs.pdf_print import find_chromium

    if find_chromium() is None:
        pytest.skip("no Chromium to print the PDF")
    out = _result(tmp_path / "out")
    process = start_cli("analyze", str(VIDEO), "-o", str(out))
    wait_for(lambda: bool(_chromium_profiles(tmp_path)))
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == (143 if signum == signal.SIGTERM else 130), stderr
    lines = without_progress(stderr)
    assert len(lines) == 1 and lines[0].startswith("error: "), repr(stderr)
    assert "Exception ignored" not in stderr and "Traceback" not in stderr
    time.sleep(0.5)
    assert not _processes_naming(str(tmp_path)), "a Chromium outlived the run"
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert (out / "summary.json").read_text() == '{"earlier": true}\n'


@pytest.mark.slow
def test_two_analyses_into_one_folder_the_second_is_refused(tmp_path):
    out = tmp_path / "out"
    first = start_cli("analyze", str(VIDEO), "-o", str(out))
    wait_for(lambda: (tmp_path / ".out.lock").is_file())
    second = run_cli("analyze", str(VIDEO), "-o", str(out))
    _one_line(second, "another run is writing to")
    _, stderr = first.communicate(timeout=600)
    assert first.returncode == 0, stderr
    assert (out / "report.html").is_file()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.slow
def test_an_output_that_is_a_link_is_written_through(tmp_path):
    real = _result(tmp_path / "real")
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    result = run_cli("analyze", str(VIDEO), "-o", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and (real / "report.html").is_file()
    assert json.loads((real / "summary.json").read_text())["schema"] == "lumbopelvic.summary"
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.slow
def test_a_stopped_batch_of_workers_leaves_no_hidden_folder(tmp_path):
    out = tmp_path / "study"
    videos = [str(SAMPLE_VIDEOS / name) for name in ("guarded.mp4", "typical.mp4")]
    process = start_cli("batch", *videos, "-o", str(out), "--jobs", "2")
    wait_for(lambda: any(".staging-" in p.name for p in out.rglob(".*")))
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 143, stderr
    assert "Traceback" not in stderr
    assert not [p for p in out.rglob(".*") if p.is_dir()], "a worker's hidden folder is left"
    assert not _processes_naming(str(tmp_path)), "a worker or a Chromium outlived the batch"


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads processes from /proc")
def test_a_worker_killed_mid_analysis_does_not_hang_the_batch(tmp_path):
    out = tmp_path / "study"
    videos = [str(SAMPLE_VIDEOS / name) for name in ("guarded.mp4", "typical.mp4")]
    process = start_cli("batch", *videos, "-o", str(out), "--jobs", "2")
    wait_for(lambda: any(".staging-" in p.name for p in out.rglob(".*")))
    workers = [
        pid
        for pid in _children(process.pid)
        if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    ]
    assert workers
    os.kill(workers[0], signal.SIGKILL)  # as the system's memory killer would
    _, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr  # the job it took down ran again
    trials = pd.read_csv(out / "trials.csv")
    assert sorted(trials["status"]) == ["analysed", "analysed"]


def test_a_folder_holding_only_a_stopped_runs_lock_is_taken(tmp_path):
    (tmp_path / ".lumbopelvic-batch.lock").write_text("1 on host")
    check_owned(tmp_path, "batch")
