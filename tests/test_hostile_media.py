"""Hostile media and environments (issue 28): what phones, editors and odd machines hand us.

- A display matrix is applied the way a player applies it: turned, and mirrored when it
  mirrors (a mirrored side view is still a side view, never upside down); a turn that is not
  a quarter turn is refused in one line; a file with two video streams is read from the one
  flagged default, by the probe and the decoder alike.
- A file name that is not UTF-8 is refused in one line before any work (hashing it works).
- The pose cache is optional: a read-only or missing home folder turns it off with one
  warning line before pose inference, and no folder is made where the home should be.
- A remembered SHA-256 is trusted only for the file it was computed from: a memo that is
  garbage, of another format or of another file is ignored and the content hashed again, so
  the provenance's digest is always the file's.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import av
import hostile_clips as clips
import numpy as np
import pandas as pd
import pytest
from conftest import REPO, SAMPLE_VIDEOS, run_cli, without_progress, write_video

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.io import hashing
from lumbopelvic.io.cache import private_matplotlib_folder, usable_cache_dir
from lumbopelvic.io.display_matrix import UPRIGHT, Orientation, orientation_from_matrix
from lumbopelvic.io.video import iter_frames, probe_video

RED = (230, 20, 20)


def _marked(folder: Path, name: str = "src.mp4", height: int = 64, width: int = 96) -> Path:
    """Three frames with a red block in the top-left corner: its place tells the orientation
    (with the frame's shape, one corner for each of the eight turns and mirrors)."""
    frames = []
    for i in range(3):
        rgb = np.full((height, width, 3), 40 + 5 * i, np.uint8)
        rgb[:16, :24] = RED
        frames.append(rgb)
    return write_video(folder / name, frames)


def _red_centre(rgb: np.ndarray) -> tuple[float, float]:
    ys, xs = np.nonzero((rgb[..., 0] > 150) & (rgb[..., 1] < 90))
    return xs.mean() / rgb.shape[1], ys.mean() / rgb.shape[0]


def _tagged(source: Path, target: Path, rotation: float, hflip: bool, vflip: bool = False) -> Path:
    """``source`` stream-copied with a display matrix, as FFmpeg's options write it."""
    flags = ["-display_hflip"] * hflip + ["-display_vflip"] * vflip
    clips.ffmpeg("-display_rotation", str(rotation), *flags, "-i", source, "-c", "copy", target)
    return target


def _as_ffmpeg_shows(tagged: Path, target: Path) -> np.ndarray:
    """The first frame of ``tagged`` as FFmpeg itself shows it (it applies the display matrix
    when it re-encodes: the reference for "the way a player shows it")."""
    clips.ffmpeg("-i", tagged, "-c:v", "libx264", "-crf", "10", target)
    with av.open(str(target)) as container:
        return next(container.decode(video=0)).to_ndarray(format="rgb24")


# --------------------------------------------------------------------------- display matrix


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
@pytest.mark.parametrize(("hflip", "vflip"), [(False, False), (True, False), (False, True)])
def test_the_display_matrix_is_applied_as_a_player_shows_it(tmp_path, rotation, hflip, vflip):
    tagged = _tagged(_marked(tmp_path), tmp_path / "tagged.mp4", rotation, hflip, vflip)
    shown = _as_ffmpeg_shows(tagged, tmp_path / "shown.mp4")
    info = probe_video(tagged)
    frames = list(iter_frames(tagged))
    assert len(frames) == 3
    for frame in frames:  # every frame, not only the first the probe looks at
        assert frame.rgb.shape == shown.shape == (info.height, info.width, 3)
        assert frame.rgb.flags["C_CONTIGUOUS"]
        np.testing.assert_allclose(_red_centre(frame.rgb), _red_centre(shown), atol=0.05)
    assert info.mirrored == (hflip != vflip)  # both flips together are a half turn


def test_a_mirrored_side_view_is_mirrored_not_upside_down(tmp_path):
    """The bug: a horizontal flip (matrix determinant < 0) was read as a 180° turn."""
    mirrored = _tagged(_marked(tmp_path), tmp_path / "mirrored.mp4", 0, hflip=True)
    info = probe_video(mirrored)
    assert (info.mirrored, info.rotation_deg, info.width, info.height) == (True, 0, 96, 64)
    x, y = _red_centre(next(iter_frames(mirrored)).rgb)
    assert x > 0.8 and y < 0.2  # top right: mirrored, still the right way up


def test_orientation_from_matrix_reads_turns_and_mirrors():
    one = 1 << 16

    def matrix(a: int, b: int, c: int, d: int) -> list[int]:
        return [a, b, 0, c, d, 0, 0, 0, 1 << 30]

    assert orientation_from_matrix(matrix(one, 0, 0, one)) == UPRIGHT
    assert orientation_from_matrix(matrix(-one, 0, 0, one)) == Orientation(0, mirrored=True)
    assert orientation_from_matrix(matrix(-one, 0, 0, -one)) == Orientation(2)
    assert orientation_from_matrix(matrix(0, -one, one, 0)) == Orientation(1)
    assert orientation_from_matrix(matrix(0, 0, 0, 0)) == UPRIGHT  # degenerate: ignored
    # Half a degree off a quarter turn is that quarter turn (as FFmpeg rounds it).
    c, s = round(one * np.cos(np.radians(90.5))), round(one * np.sin(np.radians(90.5)))
    assert orientation_from_matrix(matrix(c, -s, s, c)) == Orientation(1)


@pytest.mark.parametrize("rotation", [45, -30])
def test_a_turn_that_is_not_a_quarter_turn_is_refused(tmp_path, rotation):
    tilted = _tagged(_marked(tmp_path), tmp_path / "tilted.mp4", rotation, hflip=False)
    message = rf"tilted\.mp4 is tagged to be shown turned by {rotation}° \(not a multiple of 90°\)"
    with pytest.raises(LumbopelvicError, match=message):
        probe_video(tilted)
    with pytest.raises(LumbopelvicError, match=message):
        next(iter_frames(tilted))


def test_a_small_rounding_off_a_quarter_turn_is_that_quarter_turn(tmp_path):
    tagged = _tagged(_marked(tmp_path), tmp_path / "nearly.mp4", 90.4, hflip=False)
    info = probe_video(tagged)
    assert (info.rotation_deg, info.width, info.height) == (90, 64, 96)


# --------------------------------------------------------------------------- several streams


def _two_streams(folder: Path, name: str, *dispositions: str) -> Path:
    """A red-marked 96x64 stream then a green 80x48 one, with the dispositions given."""
    marked = _marked(folder)
    green = write_video(folder / "green.mp4", [np.full((48, 80, 3), (20, 200, 20), np.uint8)] * 4)
    flags = [arg for i, d in enumerate(dispositions) for arg in (f"-disposition:v:{i}", d)]
    path = folder / name
    clips.ffmpeg(
        "-i", marked, "-i", green, "-map", "0:v", "-map", "1:v", "-c", "copy", *flags, path
    )
    return path


def _is_green(rgb: np.ndarray) -> bool:
    return bool(rgb[..., 1].mean() > 150 and rgb[..., 0].mean() < 80)


@pytest.mark.parametrize("name", ["two.mov", "two.mp4"])
def test_the_stream_flagged_default_is_read_not_stream_zero(tmp_path, name):
    path = _two_streams(tmp_path, name, "0", "default")
    info = probe_video(path)
    assert (info.width, info.height, info.stream_index) == (80, 48, 1)
    frames = list(iter_frames(path))
    assert len(frames) == 4 and all(_is_green(f.rgb) for f in frames)
    assert all(f.rgb.shape == (info.height, info.width, 3) for f in frames)


def test_without_a_default_flag_the_first_stream_is_read(tmp_path):
    path = _two_streams(tmp_path, "none.mkv", "0", "0")
    with av.open(str(path)) as container:  # the file really flags neither
        assert not any(s.disposition & av.stream.Disposition.default for s in container.streams)
    info = probe_video(path)
    assert (info.width, info.height, info.stream_index) == (96, 64, 0)
    assert not _is_green(next(iter_frames(path)).rgb)


def test_no_code_picks_the_first_video_stream_blindly():
    """Probe, decoder and whatever comes later choose the stream in one place."""
    offenders = [
        str(path.relative_to(REPO))
        for path in (REPO / "lumbopelvic").rglob("*.py")
        if "streams.video[0]" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


# --------------------------------------------------------------------------- file names


def _latin1_named(folder: Path) -> Path:
    """A copy of a clip named ``caf\\xe9.mp4`` (Latin-1 bytes, not UTF-8)."""
    raw = os.fsencode(folder) + b"/caf\xe9.mp4"
    try:
        with open(raw, "wb") as handle:
            handle.write((SAMPLE_VIDEOS / "typical.mp4").read_bytes())
    except OSError as error:
        pytest.skip(f"this file system refuses names that are not UTF-8 ({error})")
    return Path(os.fsdecode(raw))


def test_a_name_that_is_not_utf8_is_refused_before_any_work(tmp_path):
    path = _latin1_named(tmp_path)
    with pytest.raises(LumbopelvicError, match=r"the file name caf\\xe9\.mp4 is not UTF-8") as err:
        probe_video(path)
    str(err.value).encode("utf-8")  # the message itself prints anywhere


def test_a_name_that_is_not_utf8_can_be_hashed(tmp_path):
    path = _latin1_named(tmp_path)
    expected = hashlib.sha256(path.read_bytes()).hexdigest()
    assert hashing.sha256_file_remembered(path, tmp_path / "hashes") == expected
    assert hashing.sha256_file_remembered(path, tmp_path / "hashes") == expected  # remembered


# --------------------------------------------------------------------------- cache location


@pytest.fixture
def home_only(monkeypatch):
    """The cache where a user's would be: under ``$HOME`` (no override, no XDG)."""
    monkeypatch.delenv("LUMBOPELVIC_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def set_home(home: Path) -> None:
        monkeypatch.setenv("HOME", str(home))

    return set_home


def _read_only_folder(tmp_path: Path) -> Path:
    """A folder nobody may write in: a locked one, or for root (who writes anywhere but where
    the kernel forbids it) ``/sys``."""
    if os.geteuid() != 0:
        locked = tmp_path / "locked_home"
        locked.mkdir(mode=0o500)
        return locked
    probe = Path("/sys") / ".lumbopelvic-probe"
    try:
        probe.mkdir()
    except OSError:
        return Path("/sys")
    probe.rmdir()
    pytest.skip("no read-only folder to use as a home here")


def test_a_missing_home_means_no_cache_and_no_folders(tmp_path, home_only):
    home_only(tmp_path / "nonexistent" / "x")
    check = usable_cache_dir()
    assert check.path is None
    assert check.problem == f"{tmp_path / 'nonexistent' / 'x'} does not exist"
    assert list(tmp_path.iterdir()) == []  # nothing made where the home should be


def test_a_cache_folder_named_under_a_missing_folder_is_not_made(tmp_path, monkeypatch):
    monkeypatch.setenv("LUMBOPELVIC_CACHE_DIR", str(tmp_path / "gone" / "cache"))
    assert usable_cache_dir().path is None
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_home_is_found_before_any_work(tmp_path, home_only):
    home = _read_only_folder(tmp_path)
    home_only(home)
    check = usable_cache_dir()
    assert check.path is None and check.problem.startswith(f"cannot write {home / '.cache'}")


def test_a_writable_home_gets_a_private_cache(tmp_path, home_only):
    home_only(tmp_path)
    check = usable_cache_dir()
    assert check.path == tmp_path / ".cache" / "lumbopelvic" and check.problem is None
    assert check.path.stat().st_mode & 0o077 == 0  # it holds data derived from client videos
    assert list(check.path.iterdir()) == []  # the write test left nothing behind


def test_matplotlib_gets_a_private_folder_when_the_home_is_missing(
    tmp_path, home_only, monkeypatch
):
    """MediaPipe loads matplotlib, which makes its folders (parents and all) under the home."""
    monkeypatch.delitem(sys.modules, "matplotlib", raising=False)
    monkeypatch.setenv("MPLCONFIGDIR", "")  # unset for the call; restored afterwards
    home_only(tmp_path / "nonexistent" / "x")
    folder = private_matplotlib_folder()
    assert folder is not None and folder.is_dir() and os.environ["MPLCONFIGDIR"] == str(folder)
    folder.rmdir()
    assert list(tmp_path.iterdir()) == []
    home_only(tmp_path)  # a home that can be written: matplotlib keeps its own folder
    monkeypatch.setenv("MPLCONFIGDIR", "")
    assert private_matplotlib_folder() is None and list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- hash memos


def _memo(video: Path, memo_dir: Path) -> Path:
    """The one memo ``video`` has in ``memo_dir`` (made now if missing)."""
    before = set(memo_dir.iterdir()) if memo_dir.is_dir() else set()
    hashing.sha256_file_remembered(video, memo_dir)
    made = set(memo_dir.iterdir()) - before
    return made.pop() if made else _memo_of(video, memo_dir)


def _memo_of(video: Path, memo_dir: Path) -> Path:
    size = video.stat().st_size
    for memo in memo_dir.iterdir():
        if json.loads(memo.read_text())["identity"]["size"] == size:
            return memo
    raise AssertionError("no memo")


def _hashed_again(monkeypatch) -> list[Path]:
    calls: list[Path] = []
    real = hashing.sha256_file

    def counting(path, *args):
        calls.append(Path(path))
        return real(path, *args)

    monkeypatch.setattr(hashing, "sha256_file", counting)
    return calls


@pytest.mark.parametrize(
    "lie",
    [
        "another file's memo",  # copied over this one's
        "another file's digest, bare",  # the earlier format: a digest and nothing else
        "a size that is not the file's",
        "a modification time that is not the file's",
        "garbage",
        "empty",
        "a digest that is not hex",
    ],
)
def test_a_memo_that_lies_is_ignored_and_rewritten(tmp_path, monkeypatch, lie):
    memo_dir = tmp_path / "hashes"
    video, other = tmp_path / "visit1.mp4", tmp_path / "visit2.mp4"
    video.write_bytes(b"first visit" * 100)
    other.write_bytes(b"second visit, longer" * 100)
    memo, other_memo = _memo(video, memo_dir), _memo(other, memo_dir)
    record = json.loads(memo.read_text())
    other_digest = hashlib.sha256(other.read_bytes()).hexdigest()
    if lie == "another file's memo":
        memo.write_text(other_memo.read_text())
    elif lie == "another file's digest, bare":
        memo.write_text(other_digest)
    elif lie in ("a size that is not the file's", "a modification time that is not the file's"):
        field = "size" if "size" in lie else "mtime_ns"
        record["identity"][field] += 1
        record["sha256"] = other_digest
        memo.write_text(json.dumps(record))
    elif lie == "garbage":
        memo.write_bytes(os.urandom(300))
    elif lie == "empty":
        memo.write_text("")
    else:
        memo.write_text(json.dumps({**record, "sha256": "z" * 64}))
    calls = _hashed_again(monkeypatch)
    right = hashlib.sha256(video.read_bytes()).hexdigest()
    assert hashing.sha256_file_remembered(video, memo_dir) == right
    assert calls == [video]  # from the content
    assert hashing.sha256_file_remembered(video, memo_dir) == right
    assert calls == [video]  # the memo was rewritten, and is trusted again


def test_a_memo_records_what_it_was_computed_from_and_no_file_name(tmp_path):
    video = tmp_path / "J. Doe, second visit.mp4"
    video.write_bytes(b"frames")
    memo = _memo(video, tmp_path / "hashes")
    record = json.loads(memo.read_text())
    stat = video.stat()
    assert record["sha256"] == hashlib.sha256(b"frames").hexdigest()
    assert record["identity"]["size"] == stat.st_size
    assert record["identity"]["mtime_ns"] == stat.st_mtime_ns
    assert record["identity"]["inode"] == stat.st_ino
    assert "Doe" not in memo.read_text()  # the cache keeps no client's name


# --------------------------------------------------------------------------- whole runs


@pytest.mark.slow
def test_a_mirrored_recording_is_analysed_the_right_way_up(tmp_path):
    """The sample filmed facing left, mirrored by its display matrix: a person facing right,
    bending twice; read as a half turn it was a person upside down."""
    mirrored = _tagged(SAMPLE_VIDEOS / "typical.mp4", tmp_path / "mirrored.mp4", 0, hflip=True)
    out = tmp_path / "out"
    result = run_cli("analyze", str(mirrored), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "2 repetitions, 2 complete" in result.stdout, result.stdout
    assert without_progress(result.stderr) == [], result.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert json.loads((out / "angles.json").read_text())["facing"] == "right"  # sample: left
    assert summary["schema"] == "lumbopelvic.summary"


@pytest.mark.slow
@pytest.mark.parametrize("case", ["tilted 45°", "name not UTF-8"], ids=["tilted", "latin1-name"])
def test_refused_files_are_one_line_before_any_work(tmp_path, case):
    if case == "tilted 45°":
        video = _tagged(_marked(tmp_path), tmp_path / "tilted.mp4", 45, hflip=False)
        says = "tilted.mp4 is tagged to be shown turned by 45°"
    else:
        video = _latin1_named(tmp_path)
        says = "the file name caf\\xe9.mp4 is not UTF-8 text"
    out = tmp_path / "out"
    result = run_cli("analyze", str(video), "-o", str(out))
    assert result.returncode == 2, result.stdout + result.stderr
    lines = without_progress(result.stderr)
    assert len(lines) == 1 and lines[0].startswith("error: ") and says in lines[0], lines
    assert "Traceback" not in result.stderr and not out.exists()


@pytest.mark.slow
@pytest.mark.parametrize("home", ["read-only", "missing"])
def test_no_usable_cache_is_one_warning_line_before_pose_and_the_run_goes_on(tmp_path, home):
    video = clips.frames(12)(tmp_path)
    if home == "read-only":
        folder = _read_only_folder(tmp_path)
        problem = f"cannot write {folder / '.cache'}"
    else:
        folder = tmp_path / "nonexistent" / "x"
        problem = f"{folder} does not exist"
    unset = ("LUMBOPELVIC_CACHE_DIR", "XDG_CACHE_HOME")
    env = {k: v for k, v in os.environ.items() if k not in unset} | {"HOME": str(folder)}
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "lumbopelvic", "pose", str(video), "-o", str(out)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (out / "landmarks.parquet").is_file()
    lines = without_progress(result.stderr)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"warning: pose cache off, nothing is cached this run: {problem}")
    said = result.stderr.splitlines()
    first_progress = next(i for i, line in enumerate(said) if line.startswith("pose"))
    assert said.index(lines[0]) < first_progress  # said before the work
    if home == "missing":
        assert not (tmp_path / "nonexistent").exists()


@pytest.mark.slow
def test_a_lying_memo_never_lends_another_videos_landmarks(tmp_path, monkeypatch):
    """A memo copied from another video's, and one forged with this file's identity but the
    other video's digest (which leads to that video's cache entry): neither is used; the
    landmarks are this video's and the provenance's digest is the file's own."""
    from lumbopelvic.core.provenance import history, table_metadata
    from lumbopelvic.pose.extract import extract_pose
    from lumbopelvic.pose.settings import PoseSettings

    monkeypatch.setenv("LUMBOPELVIC_CACHE_DIR", str(tmp_path / "cache"))
    memo_dir = tmp_path / "cache" / "hashes"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = clips.frames(12)(tmp_path / "a")  # another video (12 frames)...
    video = clips.frames(16)(tmp_path / "b")  # ...and this one (16)
    settings = PoseSettings()
    right = extract_pose(video, settings, use_cache=False).table
    digest = hashlib.sha256(video.read_bytes()).hexdigest()
    first_digest = hashlib.sha256(first.read_bytes()).hexdigest()
    assert table_metadata(right)["video"]["sha256"] == digest

    extract_pose(first, settings)  # the other video's entry and memo are in the cache
    first_memo, memo = _memo_of(first, memo_dir), _memo(video, memo_dir)
    forged = json.loads(memo.read_text())
    forged["sha256"] = first_digest
    for lie in (first_memo.read_text(), json.dumps(forged)):
        assert extract_pose(first, settings).from_cache  # the other video's entry is there
        memo.write_text(lie)
        run = extract_pose(video, settings)
        assert not run.from_cache
        assert table_metadata(run.table)["video"]["sha256"] == digest
        pd.testing.assert_frame_equal(run.table, right)
    assert "another video" in history(run.table)[-1]["cache_discarded"]
