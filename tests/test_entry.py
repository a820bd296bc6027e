"""The command line's one place for errors: environment problems are the user's, in one line."""

import errno
import sys

import pytest
from conftest import SAMPLE_VIDEOS, without_progress

import lumbopelvic
from lumbopelvic.cli import entry


def _run(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["lumbopelvic", *args])
    with pytest.raises(SystemExit) as stopped:
        entry.run()
    return stopped.value.code, capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.parametrize(
    ("code", "text"),
    [
        (errno.ENOSPC, "No space left on device"),
        (errno.EROFS, "Read-only file system"),
        (errno.EACCES, "Permission denied"),
    ],
)
def test_a_full_disk_or_a_locked_folder_is_one_line_exit_2(
    monkeypatch, capsys, tmp_path, code, text
):
    def failing(*args, **kwargs):
        raise OSError(code, text, str(tmp_path / "out" / "angles.csv"))

    monkeypatch.setattr("lumbopelvic.workflows.steps.save_angles", failing)
    status, err = _run(
        monkeypatch,
        capsys,
        "angles",
        str(SAMPLE_VIDEOS / "typical.mp4"),
        "-o",
        str(tmp_path / "out"),
    )
    assert status == 2
    # Progress lines may come first (stderr is not a terminal here); the error is one line.
    (last,) = without_progress(err)
    assert last.startswith("error: cannot use ") and text in last and "Traceback" not in err


def test_a_bug_is_one_line_asking_for_a_report(monkeypatch, capsys, tmp_path):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("oops")

    monkeypatch.setattr("lumbopelvic.workflows.steps.run_pose", broken)
    status, err = _run(
        monkeypatch, capsys, "pose", str(SAMPLE_VIDEOS / "typical.mp4"), "-o", str(tmp_path / "out")
    )
    assert status == 1 and "internal error (ZeroDivisionError: oops)" in err
    assert err.count("\n") == 1


@pytest.mark.slow
def test_a_failure_while_writing_outputs_keeps_the_earlier_results_whole(monkeypatch, tmp_path):
    out = tmp_path / "results"
    lumbopelvic.analyze(SAMPLE_VIDEOS / "typical.mp4", out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("lumbopelvic.outputs.pdf_print.print_pdf", full_disk)
    with pytest.raises(OSError, match="No space left"):
        lumbopelvic.analyze(SAMPLE_VIDEOS / "guarded.mp4", out)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before  # not a mix of two runs
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
