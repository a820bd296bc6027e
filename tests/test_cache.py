"""The pose cache never breaks a video: unreadable or foreign entries are discarded and redone."""

import shutil

import pandas as pd
import pytest
from conftest import SAMPLE_VIDEOS

from lumbopelvic.core.provenance import history
from lumbopelvic.io.cache import cache_dir
from lumbopelvic.pose.extract import extract_pose
from lumbopelvic.pose.settings import PoseSettings


def _entry(video) -> tuple:
    run = extract_pose(video, PoseSettings())
    assert run.cache_path is not None and run.cache_path.is_file()
    return run, run.cache_path


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["garbage", "empty", "half"])
def test_an_unreadable_entry_is_recomputed(damage):
    video = SAMPLE_VIDEOS / "typical.mp4"
    first, path = _entry(video)
    data = path.read_bytes()
    path.write_bytes(
        {"garbage": b"not parquet" * 100, "empty": b"", "half": data[: len(data) // 2]}[damage]
    )
    again = extract_pose(video, PoseSettings())
    assert not again.from_cache
    pd.testing.assert_frame_equal(again.table, first.table)
    assert "unreadable" in history(again.table)[-1]["cache_discarded"]
    assert extract_pose(video, PoseSettings()).from_cache  # the entry was rewritten, whole


@pytest.mark.slow
def test_an_entry_of_another_video_is_never_used():
    typical, guarded = SAMPLE_VIDEOS / "typical.mp4", SAMPLE_VIDEOS / "guarded.mp4"
    _, typical_entry = _entry(typical)
    right, guarded_entry = _entry(guarded)
    shutil.copy(typical_entry, guarded_entry)  # the entry now holds the other video's poses
    again = extract_pose(guarded, PoseSettings())
    assert not again.from_cache
    assert "another video" in history(again.table)[-1]["cache_discarded"]
    pd.testing.assert_frame_equal(again.table, right.table)


def test_the_cache_lives_where_the_user_said(monkeypatch, tmp_path):
    monkeypatch.setenv("LUMBOPELVIC_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"


def test_a_file_hash_is_remembered_until_the_file_changes(tmp_path, monkeypatch):
    from lumbopelvic.io import hashing

    video = tmp_path / "clip.mp4"
    video.write_bytes(b"take one")
    memo = tmp_path / "hashes"
    first = hashing.sha256_file_remembered(video, memo)
    assert first == hashing.sha256_file(video) and len(list(memo.iterdir())) == 1

    def no_hashing(path):
        raise AssertionError("hashed again")

    monkeypatch.setattr(hashing, "sha256_file", no_hashing)
    assert hashing.sha256_file_remembered(video, memo) == first
    monkeypatch.undo()
    video.write_bytes(b"take two")  # same size: the status-change time tells it apart
    assert hashing.sha256_file_remembered(video, memo) == hashing.sha256_file(video) != first
