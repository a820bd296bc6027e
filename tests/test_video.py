import subprocess

import imageio_ffmpeg
import numpy as np
import pytest
from conftest import faststart_copy, zero_frame_video

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.io.video import iter_frames, probe_video, rotation_turns, upright_size


def _marked_frames(n: int, height: int = 64, width: int = 96) -> list[np.ndarray]:
    """Frames with a red block in the top-left corner (to read orientation back)."""
    frames = []
    for i in range(n):
        rgb = np.full((height, width, 3), 40 + 5 * i, np.uint8)
        rgb[:16, :24] = (230, 20, 20)
        frames.append(rgb)
    return frames


def _red_centre(rgb: np.ndarray) -> tuple[float, float]:
    ys, xs = np.nonzero((rgb[..., 0] > 150) & (rgb[..., 1] < 90))
    return xs.mean() / rgb.shape[1], ys.mean() / rgb.shape[0]


def test_variable_frame_rate_timestamps_come_from_the_container(make_video):
    times = [0.0, 0.033, 0.050, 0.120, 0.121, 0.300, 0.333]
    path = make_video("vfr.mp4", _marked_frames(len(times)), times_s=times)
    got = [(f.index, f.time_s) for f in iter_frames(path)]
    assert [i for i, _ in got] == list(range(len(times)))
    np.testing.assert_allclose([t for _, t in got], times, atol=1e-4)


@pytest.mark.parametrize(
    ("rotation", "expected_centre"),
    [(90, (0.12, 0.87)), (-90, (0.88, 0.12)), (180, (0.87, 0.88))],
)
def test_rotation_metadata_is_honoured(make_video, tmp_path, rotation, expected_centre):
    source = make_video("src.mp4", _marked_frames(3))
    rotated = tmp_path / f"rot{rotation}.mp4"
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-y",
            "-loglevel",
            "error",
            "-display_rotation:v:0",
            str(rotation),
            "-i",
            str(source),
            "-c",
            "copy",
            str(rotated),
        ],
        check=True,
    )
    info = probe_video(rotated)
    assert (info.width, info.height) == upright_size(96, 64, rotation)
    frame = next(iter_frames(rotated))
    assert frame.rgb.shape[:2] == (info.height, info.width)
    assert frame.rgb.flags["C_CONTIGUOUS"]
    np.testing.assert_allclose(_red_centre(frame.rgb), expected_centre, atol=0.05)


def test_rotation_turns():
    assert [rotation_turns(r) for r in (0, 90, -90, 180, -180, 270)] == [0, 1, 3, 2, 2, 3]


def test_odd_width_frames_are_packed(make_video):
    path = make_video("odd.mp4", _marked_frames(2, height=50, width=90 + 2 * 7))
    frame = next(iter_frames(path))
    assert frame.rgb.flags["C_CONTIGUOUS"]


def test_missing_file(tmp_path):
    with pytest.raises(LumbopelvicError, match="video not found"):
        probe_video(tmp_path / "absent.mp4")


def test_directory(tmp_path):
    with pytest.raises(LumbopelvicError, match="directory"):
        list(iter_frames(tmp_path))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "clip.mp4 is empty"),
        (b"this is a text file, not a video\n" * 20, "not a readable video"),
    ],
)
def test_not_a_video(tmp_path, content, message):
    path = tmp_path / "clip.mp4"
    path.write_bytes(content)
    with pytest.raises(LumbopelvicError, match=message):
        probe_video(path)


def test_truncated_video_is_rejected(make_video, tmp_path):
    frames = [np.random.default_rng(i).integers(0, 255, (64, 96, 3), np.uint8) for i in range(40)]
    source = make_video("full.mp4", frames)
    faststart = faststart_copy(source, tmp_path / "faststart.mp4")
    data = faststart.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(LumbopelvicError, match="truncated"):
        list(iter_frames(cut))
    # Cut before the index: not even openable.
    head_only = tmp_path / "head.mp4"
    head_only.write_bytes(source.read_bytes()[: len(source.read_bytes()) // 2])
    with pytest.raises(LumbopelvicError):
        list(iter_frames(head_only))


def test_zero_frames(tmp_path):
    path = zero_frame_video(tmp_path / "zero.mp4")
    with pytest.raises(LumbopelvicError, match="no video (frames|stream)"):
        list(iter_frames(path))
