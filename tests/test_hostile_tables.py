"""Hostile tables, settings and options (issue 28): manifests as spreadsheets save them,
settings files with a byte-order mark, values out of range, a wrong model bundle, the debug
switch, and a comparison of two different movements.

The rule everywhere: bad input is one clear line on stderr and exit code 2, never a
traceback. Most checks run in-process; the command-line ones fail before any pose work.
"""

from __future__ import annotations

import codecs
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE_VIDEOS, bending_table, run_cli, tiny_tflite, trunk_track

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.io.settings_file import load_settings_file
from lumbopelvic.io.spreadsheet_csv import column_letter, pick_delimiter
from lumbopelvic.kinematics.settings import MAX_CUTOFF_HZ, MAX_GAP_LIMIT_S, AngleSettings
from lumbopelvic.pose.mediapipe import model_registry as reg
from lumbopelvic.workflows.batch_jobs import collect_jobs
from lumbopelvic.workflows.settings import TEXT_LIMITS, OutputSettings


def _one_line(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    """Exit 2, one line on stderr holding ``fragment``, no traceback."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1, result.stderr
    assert fragment in lines[0], lines[0]
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr


def _manifest(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "trials.csv"
    path.write_bytes(text.encode(encoding))
    return path


# --------------------------------------------------------------------------- manifests


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("cp1252", "video,subject\na.mp4,Zoë\nb.mp4,José\n"),  # Excel's plain "CSV"
        ("utf-8-sig", "video,subject\na.mp4,Zoë\nb.mp4,José\n"),  # Excel's "CSV UTF-8"
        ("utf-8", "video,subject\r\na.mp4,Zoë\r\nb.mp4,José\r\n"),
        ("cp1252", "Video;Subject\na.mp4;Zoë\nb.mp4;José\n"),  # a semicolon locale
        ("utf-16", "video\tsubject\na.mp4\tZoë\nb.mp4\tJosé\n"),  # "Unicode text", with its mark
    ],
)
def test_a_manifest_reads_as_any_spreadsheet_saves_it(tmp_path, encoding, text):
    jobs = collect_jobs([], _manifest(tmp_path, text, encoding), {})
    names = [next(iter(job.metadata.values())) for job in jobs]
    assert names == ["Zoë", "José"]
    assert [Path(job.video).name for job in jobs] == ["a.mp4", "b.mp4"]


def test_a_semicolon_manifest_reads_decimal_commas(tmp_path):
    text = "video;subject_height_m;start\na.mp4;1,72;0:01,5\n"
    job = collect_jobs([], _manifest(tmp_path, text, "cp1252"), {})[0]
    assert (job.settings["subject_height_m"], job.settings["start"]) == (1.72, 1.5)


def test_the_separator_is_the_headers_most_frequent():
    assert pick_delimiter("video,subject") == ","
    assert pick_delimiter("video;subject;session") == ";"
    assert pick_delimiter("video\tsubject") == "\t"
    assert pick_delimiter("video") == ","
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 701, 702)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("video,subject_height_m\na.mp4,1.7\nb.mp4,tall\n", "trials.csv row 3: subject_height_m"),
        ("video,task\na.mp4,squat\n\nb.mp4,jumping\n", "trials.csv row 4: unknown task 'jumping'"),
        ("video,subject_height_m\na.mp4,3.5\n", "trials.csv row 2: subject_height_m must be a"),
        ("video,start\na.mp4,1:99\n", "trials.csv row 2: start must be a time"),
        ("video,subject\na.mp4,s1\n,s2\n", "trials.csv row 3: video is empty"),
        ("video,subject\na.mp4,s1,oops\n", "trials.csv row 2, column C: 'oops' is under no column"),
        (
            "subject,file\ns1,a.mp4\n",
            "needs a 'video' column in row 1 (its columns: subject, file)",
        ),
        ("video,Subject,subject\na.mp4,1,2\n", "'subject' is named twice (columns B and C)"),
        ("", "trials.csv has no header row"),
    ],
)
def test_a_bad_manifest_row_is_named_by_its_spreadsheet_row_and_column(tmp_path, text, message):
    with pytest.raises(LumbopelvicError) as refused:
        collect_jobs([], _manifest(tmp_path, text), {})
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00rest of a workbook", "is a spreadsheet workbook, not a CSV"),
        (b"video\x00\x81\x8d\x00", "is not a text file of UTF-8 or Windows-1252"),
    ],
)
def test_a_workbook_or_binary_manifest_is_one_line(tmp_path, data, message):
    path = tmp_path / "trials.csv"
    path.write_bytes(data)
    with pytest.raises(LumbopelvicError, match=message):
        collect_jobs([], path, {})


def test_one_video_with_the_same_settings_in_two_rows_is_refused_naming_both(tmp_path):
    text = (
        "video,subject,task\na.mp4,s01,squat\nb.mp4,s02,squat\nA.mp4,s03,hinge\na.mp4,s04,squat\n"
    )
    with pytest.raises(LumbopelvicError, match="rows 2 and 5 list the same video"):
        collect_jobs([], _manifest(tmp_path, text), {})


def test_one_video_with_different_settings_is_one_trial_per_row(tmp_path):
    text = (
        "video,subject,task,start,end\n"
        "long.mp4,s01,forward-bend,0,30\n"
        "long.mp4,s01,forward-bend,30,60\n"
        "long.mp4,s01,squat,,\n"
        "other.mp4,s02,,,\n"
    )
    (tmp_path / "other.mp4").write_bytes(b"")
    jobs = collect_jobs([], _manifest(tmp_path, text), {})
    assert len(jobs) == 4 and len({job.name for job in jobs}) == 4
    plain = collect_jobs([str(tmp_path / "other.mp4")], None, {})[0].name
    assert jobs[3].name == plain  # a video listed once keeps its usual trial name
    assert all(re.fullmatch(r"long_[0-9a-f]{8}_[0-9a-f]{6}", job.name) for job in jobs[:3])
    again = collect_jobs([], _manifest(tmp_path, text), {})
    assert [job.name for job in again] == [job.name for job in jobs]  # a re-run finds them


def test_a_video_on_the_command_line_and_in_the_manifest_is_analysed_once(tmp_path):
    (tmp_path / "a.mp4").write_bytes(b"")
    manifest = _manifest(tmp_path, "video,subject\na.mp4,s01\n")
    jobs = collect_jobs([str(tmp_path), str(tmp_path / "*.mp4")], manifest, {})
    assert len(jobs) == 1 and jobs[0].metadata == {"subject": "s01"}


def test_a_cp1252_manifest_with_a_bad_row_is_one_line_from_the_command_line(tmp_path):
    manifest = _manifest(
        tmp_path, "video,subject,task\na.mp4,Zoë,squat\nb.mp4,José,bend\n", "cp1252"
    )
    result = run_cli("batch", "--manifest", str(manifest), "-o", str(tmp_path / "out"))
    _one_line(result, "trials.csv row 3: unknown task 'bend'")
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- settings files


def test_a_settings_file_with_a_byte_order_mark_reads(tmp_path):
    path = tmp_path / "study.toml"
    path.write_bytes(codecs.BOM_UTF8 + 'cutoff_hz = 4.0\nclient = "Zoë"\n'.encode())
    assert load_settings_file(path, {"cutoff_hz", "client"}) == {"cutoff_hz": 4.0, "client": "Zoë"}


def test_a_settings_file_that_is_not_utf8_is_one_line(tmp_path):
    path = tmp_path / "study.toml"
    path.write_bytes('client = "Zoë"\n'.encode("cp1252"))
    with pytest.raises(LumbopelvicError, match=r"study.toml is not UTF-8 text \(byte 13 .*UTF-8$"):
        load_settings_file(path, {"client"})


def test_a_bom_settings_file_is_read_and_its_values_checked_from_the_command_line(tmp_path):
    path = tmp_path / "study.toml"
    path.write_bytes(codecs.BOM_UTF8 + b"max_gap_s = 5\n")
    result = run_cli("analyze", str(SAMPLE_VIDEOS / "typical.mp4"), "--config", str(path))
    _one_line(result, "max_gap_s (--max-gap-s) must be 0 to 2 seconds, got 5")


# --------------------------------------------------------------------------- bounds


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"cutoff_hz": 1000.0}, "cutoff_hz (--cutoff-hz) must be above 0 and at most 20 Hz"),
        ({"cutoff_hz": 0.0}, "cutoff_hz (--cutoff-hz) must be above 0"),
        ({"cutoff_hz": -6.0}, "cutoff_hz (--cutoff-hz) must be above 0"),
        ({"max_gap_s": 1e308}, "max_gap_s (--max-gap-s) must be 0 to 2 seconds, got 1e+308"),
        ({"max_gap_s": -0.1}, "max_gap_s (--max-gap-s) must be 0 to 2 seconds"),
    ],
)
def test_cleaning_settings_out_of_range_are_refused_naming_the_flag(values, message):
    with pytest.raises(LumbopelvicError, match=re.escape(message)):
        AngleSettings(**values)


def test_the_ranges_ends_are_accepted():
    assert AngleSettings(cutoff_hz=MAX_CUTOFF_HZ, max_gap_s=MAX_GAP_LIMIT_S).cutoff_hz == 20
    assert AngleSettings(cutoff_hz=0.5, max_gap_s=0).max_gap_s == 0
    limits = TEXT_LIMITS
    assert OutputSettings(client="c" * limits["client"], notes="n" * limits["notes"]).client


@pytest.mark.parametrize("name", ["client", "notes"])
def test_client_and_notes_have_a_length_limit_naming_the_flag(name):
    too_long = "x" * (TEXT_LIMITS[name] + 1)
    with pytest.raises(LumbopelvicError, match=rf"{name} \(--{name}\) may be at most"):
        OutputSettings(**{name: too_long})


@pytest.mark.slow
@pytest.mark.parametrize(
    ("command", "options", "fragment"),
    [
        ("analyze", ["--cutoff-hz", "1000"], "cutoff_hz (--cutoff-hz) must be above 0"),
        ("rhythm", ["--max-gap-s", "1e308"], "max_gap_s (--max-gap-s) must be 0 to 2 seconds"),
        ("compare", ["--cutoff-hz", "25"], "cutoff_hz (--cutoff-hz) must be above 0"),
        ("batch", ["--max-gap-s", "-1"], "max_gap_s (--max-gap-s) must be 0 to 2 seconds"),
        ("batch", ["--jobs", "0"], "Invalid value for '--jobs': '0' is not a number of workers"),
        ("analyze", ["--client", "x" * 88_000], "client (--client) may be at most 200"),
        ("compare", ["--notes", "x" * 2001], "notes (--notes) may be at most 2000"),
    ],
)
def test_out_of_range_options_are_one_line_for_every_command(tmp_path, command, options, fragment):
    video = str(SAMPLE_VIDEOS / "typical.mp4")
    inputs = [video, video] if command == "compare" else [video]
    result = run_cli(command, *inputs, "-o", str(tmp_path / "o"), *options)
    _one_line(result, fragment)
    assert not (tmp_path / "o").exists()


def test_zero_jobs_in_a_settings_file_is_refused(tmp_path):
    path = tmp_path / "study.toml"
    path.write_text("jobs = 0\n")
    result = run_cli("batch", str(SAMPLE_VIDEOS), "-o", str(tmp_path / "b"), "--config", str(path))
    _one_line(result, "--jobs")


# --------------------------------------------------------------------------- debug switch

CRASH = "import lumbopelvic.cli.app as app; app.app = lambda **_: 1 / 0; "
CRASH += "from lumbopelvic.cli.entry import run; run()"


@pytest.mark.parametrize(
    ("value", "traceback"),
    [("0", False), ("false", False), ("", False), ("no", False), ("1", True), ("TRUE", True)],
)
def test_only_1_true_or_yes_turn_the_debug_traceback_on(value, traceback):
    env = {**os.environ, "LUMBOPELVIC_DEBUG": value}
    result = subprocess.run(
        [sys.executable, "-c", CRASH], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 1
    assert ("Traceback" in result.stderr) is traceback, result.stderr
    if not traceback:
        assert result.stderr.startswith("error: internal error (ZeroDivisionError")


# --------------------------------------------------------------------------- model bundles


def _bundle(path: Path, detector: bytes, landmarker: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr(reg.DETECTOR_MEMBER, detector)
        zf.writestr(reg.LANDMARKER_MEMBER, landmarker)
    return path


def test_a_bundle_with_the_models_of_mediapipes_pose_graphs_is_accepted(tmp_path):
    good = _bundle(tmp_path / "good.task", tiny_tflite(2), tiny_tflite(5))
    assert reg.resolve_model(str(good)) == good
    more = _bundle(tmp_path / "more.task", tiny_tflite(2), tiny_tflite(6))
    reg.check_bundle(more)  # outputs the landmark graph does not read do no harm


@pytest.mark.parametrize(
    ("detector", "landmarker", "message"),
    [
        (tiny_tflite(5), tiny_tflite(2), "has 5 outputs where a pose detector has 2\\): the "),
        (tiny_tflite(2), tiny_tflite(2), "landmarks_detector.tflite has 2 outputs where a pose "),
        (b"not a model at all", tiny_tflite(5), "its pose_detector.tflite is not a TFLite model"),
        (tiny_tflite(2), tiny_tflite(5)[:40], "its pose_landmarks_detector.tflite is not a"),
    ],
)
def test_a_bundle_with_wrong_models_is_refused_before_any_pose_work(
    tmp_path, detector, landmarker, message
):
    bad = _bundle(tmp_path / "bad.task", detector, landmarker)
    with pytest.raises(LumbopelvicError, match=message):
        reg.resolve_model(str(bad))


def test_a_swapped_real_bundle_is_one_line_from_the_command_line(tmp_path):
    real = REPO / "models" / "pose_landmarker_full.task"
    if not real.is_file():
        pytest.skip("the full pose model is not installed (make setup)")
    with zipfile.ZipFile(real) as zf:
        detector, landmarker = zf.read(reg.DETECTOR_MEMBER), zf.read(reg.LANDMARKER_MEMBER)
    swapped = _bundle(tmp_path / "swapped.task", landmarker, detector)
    result = run_cli(
        "pose",
        str(SAMPLE_VIDEOS / "typical.mp4"),
        "-o",
        str(tmp_path / "o"),
        "--model",
        str(swapped),
    )
    _one_line(result, "the detector and the landmark model are swapped")


# --------------------------------------------------------------------------- compare


@pytest.fixture(scope="module")
def analysed(tmp_path_factory) -> dict[str, Path]:
    """Analysis folders made from landmark tables (no pose work): a forward bend, a walk, and
    the same walk analysed as a forward bend (no repetition in it)."""
    from test_gait import walking_table

    from lumbopelvic.io.landmark_files import save_landmark_table
    from lumbopelvic.workflows.settings import AnalysisSettings
    from lumbopelvic.workflows.steps import measure_rhythm

    work = tmp_path_factory.mktemp("compare")
    t, trunk = trunk_track()
    bend = save_landmark_table(bending_table(trunk, t, 1), work / "bend_landmarks")["csv"]
    walk = save_landmark_table(walking_table()[0], work / "walk_landmarks")["csv"]
    folders = {"bend": work / "bend", "walk": work / "walk", "walk_as_bend": work / "walk_as_bend"}
    for name, source, task in (
        ("bend", bend, "forward-bend"),
        ("walk", walk, "walk"),
        ("walk_as_bend", walk, "forward-bend"),
    ):
        measure_rhythm(source, folders[name], AnalysisSettings.from_options(task=task))
    return folders


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ("bend", "walk", "different movements (before: forward-bend, after: walk)"),
        ("walk", "bend", "different movements (before: walk, after: forward-bend)"),
        ("bend", "walk_as_bend", "the after recording (walk_as_bend) holds no forward bend"),
        ("walk_as_bend", "bend", "the before recording (walk_as_bend) holds no forward bend"),
    ],
)
def test_recordings_of_different_movements_are_not_compared(
    analysed, tmp_path, before, after, message
):
    from lumbopelvic.workflows.compare import compare

    with pytest.raises(LumbopelvicError) as refused:
        compare(analysed[before], analysed[after], tmp_path / "cmp")
    assert message in str(refused.value)
    assert not (tmp_path / "cmp" / "comparison.html").exists()


def test_a_bend_against_a_walk_is_one_line_from_the_command_line(analysed, tmp_path):
    result = run_cli(
        "compare", str(analysed["bend"]), str(analysed["walk"]), "-o", str(tmp_path / "cmp")
    )
    _one_line(result, "different movements (before: forward-bend, after: walk)")


def test_a_relative_model_bundle_is_read_from_the_manifests_folder(tmp_path):
    text = "video,model\na.mp4,bundles/mine.task\nb.mp4,heavy\n"
    custom, named = collect_jobs([], _manifest(tmp_path, text), {})
    assert custom.settings["model"] == str(tmp_path / "bundles" / "mine.task")
    assert named.settings["model"] == "heavy"
