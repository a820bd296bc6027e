"""Recordings that go wrong in the field, made from the bundled sample clip with FFmpeg.

Each builder writes one file into a folder and returns its path; the FFmpeg that
``imageio-ffmpeg`` ships does the work (edit lists with ``-ss`` on stream copy, HEVC with
libx265 when present, display rotation with ``-display_rotation``).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import cv2
import imageio_ffmpeg
import numpy as np
from conftest import SAMPLE_VIDEOS, write_video

SOURCE = SAMPLE_VIDEOS / "typical.mp4"  # 720x1280, 30 fps, 5.8 s, two forward bends
QUICK = ("-c:v", "libx264", "-preset", "ultrafast", "-crf", "28")


def ffmpeg(*args: str | Path) -> None:
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-loglevel", "error", *map(str, args)], check=True
    )


def has_encoder(name: str) -> bool:
    result = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-encoders"],
        capture_output=True,
        text=True,
        check=False,
    )
    return f" {name} " in result.stdout


def empty(folder: Path) -> Path:
    path = folder / "empty.mp4"
    path.write_bytes(b"")
    return path


def text_as_video(folder: Path) -> Path:
    path = folder / "notes.mp4"
    path.write_text("session notes, not a video\n" * 20)
    return path


def truncated(folder: Path) -> Path:
    """Index first (faststart), then cut at two thirds: opens, then runs out of frames."""
    whole = folder / "whole.mp4"
    ffmpeg("-i", SOURCE, "-c", "copy", "-movflags", "+faststart", whole)
    path = folder / "truncated.mp4"
    data = whole.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    return path


def moov_missing(folder: Path) -> Path:
    """Index last (as cameras write it), cut in half: the index is gone."""
    whole = folder / "index_last.mp4"
    ffmpeg("-i", SOURCE, "-c", "copy", "-movflags", "-faststart", whole)
    path = folder / "moov_missing.mp4"
    data = whole.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def audio_only(folder: Path) -> Path:
    path = folder / "voice_memo.mp4"
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "aac", path)
    return path


def still_image(folder: Path) -> Path:
    """A photo renamed to .mp4."""
    path = folder / "photo.mp4"
    ok, png = cv2.imencode(".png", np.full((64, 48, 3), 120, np.uint8))
    assert ok
    path.write_bytes(png.tobytes())
    return path


def frames(count: int) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / f"{count}_frames.mp4"
        ffmpeg("-i", SOURCE, "-frames:v", str(count), *QUICK, path)
        return path

    return build


def no_person(folder: Path) -> Path:
    return write_video(
        folder / "empty_room.mp4", [np.full((128, 128, 3), 90 + i, np.uint8) for i in range(40)]
    )


def half_in_frame(folder: Path) -> Path:
    """Only the top 60 % of the picture: the legs are cut off."""
    path = folder / "half.mp4"
    ffmpeg("-i", SOURCE, "-vf", "crop=720:760:0:0", *QUICK, path)
    return path


def two_people(folder: Path) -> Path:
    """The clip beside its mirror image: two people bending side by side."""
    path = folder / "two_people.mp4"
    ffmpeg(
        "-i", SOURCE, "-filter_complex", "[0:v]split[a][b];[b]hflip[c];[a][c]hstack", *QUICK, path
    )
    return path


def rotated(folder: Path) -> Path:
    """As a phone stores portrait video: landscape pixels plus a display-rotation tag."""
    lying = folder / "lying.mp4"
    ffmpeg("-i", SOURCE, "-vf", "transpose=2", *QUICK, lying)
    path = folder / "rotated.mp4"
    ffmpeg("-display_rotation", "-90", "-i", lying, "-c", "copy", path)
    return path


def variable_frame_rate(folder: Path) -> Path:
    """Every frame of the clip, shown at irregular times (as phones record)."""
    import av

    with av.open(str(SOURCE)) as container:
        rgb = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    steps = np.where(np.arange(len(rgb)) % 3 == 0, 1 / 20, 1 / 40)
    times = np.concatenate([[0.0], np.cumsum(steps[:-1])])
    return write_video(folder / "vfr.mp4", rgb, times_s=times)


def sixty_fps_edit_list(folder: Path) -> Path:
    """60 fps, cut by stream copy: the container indexes samples its edit list hides."""
    full = folder / "sixty.mp4"
    ffmpeg("-i", SOURCE, "-vf", "fps=60", *QUICK, full)
    path = folder / "sixty_edit_list.mp4"
    ffmpeg("-ss", "0.4", "-i", full, "-c", "copy", path)
    return path


def hevc_mov(folder: Path) -> Path:
    path = folder / "iphone.mov"
    ffmpeg(
        "-i",
        SOURCE,
        "-c:v",
        "libx265",
        "-preset",
        "ultrafast",
        "-crf",
        "30",
        "-tag:v",
        "hvc1",
        "-x265-params",
        "log-level=error",
        path,
    )
    return path


def four_k(folder: Path) -> Path:
    path = folder / "4k.mp4"
    ffmpeg("-i", SOURCE, "-t", "1.5", "-vf", "scale=2160:3840", *QUICK, path)
    return path


def odd_width(folder: Path) -> Path:
    path = folder / "odd_width.mp4"
    ffmpeg("-i", SOURCE, "-vf", "scale=719:1279", *QUICK, "-pix_fmt", "yuv444p", path)
    return path


def hostile_name(folder: Path) -> Path:
    path = folder / "client [red]x[bold] «ü» 'q' $HOME; &.mp4"
    path.write_bytes(SOURCE.read_bytes())
    return path


def frontal_view(folder: Path) -> Path:
    """A rendered person filmed nearly from the front (needs the synth extra)."""
    import pytest
    from conftest import run_cli

    result = run_cli(
        "synth",
        str(folder),
        "--preset",
        "typical",
        "--yaw",
        "85",
        "--duration",
        "2.5",
        "--width",
        "360",
        "--height",
        "640",
        "--fps",
        "15",
        "--seed",
        "1",
    )
    if result.returncode != 0:
        pytest.skip(f"cannot render a synthetic person here: {result.stderr.strip()}")
    return folder / "typical_s1.mp4"


def fifo(folder: Path) -> Path:
    import os

    path = folder / "stream.mp4"
    os.mkfifo(path)
    return path


def late_timestamps(folder: Path) -> Path:
    """Timestamps that start at 10 s, as in a clip cut out of a longer recording."""
    path = folder / "late_start.mp4"
    ffmpeg("-i", SOURCE, "-c", "copy", "-output_ts_offset", "10", path)
    return path


def high_speed(folder: Path) -> Path:
    """120 fps capture (the first 2.5 s), as phones record slow motion."""
    path = folder / "slomo_120fps.mov"
    ffmpeg("-i", SOURCE, "-t", "2.5", "-vf", "fps=120", *QUICK, path)
    return path
