"""End-to-end: `lumbopelvic pose` on a clip with a person, the cache, and every bad input."""

import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLE_VIDEOS, faststart_copy, run_cli, without_progress, zero_frame_video

from lumbopelvic.core.landmarks import landmark_columns
from lumbopelvic.core.outline_codec import decode_outline
from lumbopelvic.io.landmark_files import load_landmark_table
from lumbopelvic.io.ownership import mark_owned
from lumbopelvic.io.video import probe_video
from lumbopelvic.pose.backend import FramePose, empty_landmarks
from lumbopelvic.pose.backends import BACKENDS, DEFAULT_BACKEND
from lumbopelvic.pose.extract import extract_pose
from lumbopelvic.pose.landmark_table import pose_table
from lumbopelvic.pose.settings import PoseSettings

SAMPLE = SAMPLE_VIDEOS / "typical.mp4"


@pytest.fixture(scope="module")
def pose_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("pose")
    result = run_cli("pose", str(SAMPLE), "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out, result


@pytest.mark.slow
def test_pose_writes_a_complete_landmark_table(pose_run):
    out, result = pose_run
    table = load_landmark_table(out / "landmarks.parquet")
    info = probe_video(SAMPLE)
    assert list(table.columns[:3]) == ["frame", "time_s", "n_people"]
    assert set(landmark_columns()) <= set(table.columns)
    assert len(table) == info.n_frames_indexed
    assert np.all(np.diff(table["time_s"]) > 0)
    person = table["n_people"] > 0
    assert person.mean() > 0.95
    for name in ("left_hip", "right_hip", "left_shoulder", "right_shoulder"):
        xs, ys = table.loc[person, f"{name}_x_px"], table.loc[person, f"{name}_y_px"]
        assert xs.between(0, info.width).all() and ys.between(0, info.height).all()
    # The outline encloses the hips in every frame with a person.
    import cv2

    for _, row in table[person].iloc[::10].iterrows():
        outline = decode_outline(row["silhouette_px"]).reshape(-1, 1, 2)
        hip = (
            (row["left_hip_x_px"] + row["right_hip_x_px"]) / 2,
            (row["left_hip_y_px"] + row["right_hip_y_px"]) / 2,
        )
        assert cv2.pointPolygonTest(outline, hip, False) >= 0
    meta = table.attrs["lumbopelvic"]
    assert meta["video"]["sha256"] and meta["model"]["sha256"]
    assert meta["settings"]["max_people"] == 2
    csv = load_landmark_table(out / "landmarks.csv")
    pd.testing.assert_series_equal(csv["left_hip_x_px"], table["left_hip_x_px"], atol=1e-3)
    assert csv.attrs["lumbopelvic"]["video"]["sha256"] == meta["video"]["sha256"]
    assert "frames with a person" in result.stdout


@pytest.mark.slow
def test_second_run_reads_the_cache(pose_run, tmp_path, monkeypatch):
    out, _ = pose_run

    def no_inference(*args, **kwargs):
        raise AssertionError("inference ran despite a cached result")

    monkeypatch.setattr(BACKENDS[DEFAULT_BACKEND], "run", no_inference)
    run = extract_pose(SAMPLE, PoseSettings())
    assert run.from_cache
    first = load_landmark_table(out / "landmarks.parquet")
    pd.testing.assert_frame_equal(run.table, first)
    with pytest.raises(AssertionError, match="inference ran"):
        extract_pose(SAMPLE, PoseSettings(min_detection_confidence=0.6))


# --------------------------------------------------------------------------- bad input


def _assert_one_line_error(result, pattern):
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    # Progress lines may come first (stderr is not a terminal here); the error is one line.
    lines = without_progress(result.stderr)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert pattern in lines[0]


@pytest.mark.slow
def test_missing_file(tmp_path):
    _assert_one_line_error(run_cli("pose", str(tmp_path / "nope.mp4")), "video not found")


@pytest.mark.slow
def test_not_a_video(tmp_path):
    fake = tmp_path / "notes.mp4"
    fake.write_text("session notes\n")
    _assert_one_line_error(run_cli("pose", str(fake)), "not a readable video")


@pytest.mark.slow
def test_truncated_video(tmp_path):
    faststart = faststart_copy(SAMPLE, tmp_path / "fs.mp4")
    data = faststart.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) * 2 // 3])
    out = tmp_path / "out"
    _assert_one_line_error(run_cli("pose", str(cut), "-o", str(out)), "truncated")
    assert not out.exists()


@pytest.mark.slow
def test_zero_frames(tmp_path):
    path = zero_frame_video(tmp_path / "zero.mp4")
    _assert_one_line_error(run_cli("pose", str(path)), "no video")


@pytest.mark.slow
def test_no_person_anywhere_keeps_earlier_results(make_video, tmp_path):
    frames = [np.full((128, 128, 3), 90 + i, np.uint8) for i in range(8)]
    empty = make_video("empty_room.mp4", frames)
    out = tmp_path / "out"
    out.mkdir()
    earlier = out / "landmarks.csv"
    earlier.write_text("earlier results\n")
    mark_owned(out, "pose")
    _assert_one_line_error(run_cli("pose", str(empty), "-o", str(out)), "no person")
    assert earlier.read_text() == "earlier results\n"


@pytest.mark.slow
def test_unknown_model(tmp_path):
    _assert_one_line_error(run_cli("pose", str(SAMPLE), "--model", "giant"), "unknown model")


def test_frames_without_a_person_give_empty_rows():
    frame = FramePose(3, 0.1, empty_landmarks(), 0)
    table = pose_table([frame], {})
    assert table.loc[0, "n_people"] == 0
    assert table[landmark_columns()].isna().all(axis=None)
    assert table.loc[0, "silhouette_px"] == ""
