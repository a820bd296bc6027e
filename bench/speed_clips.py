"""Phone-sized clips for the speed benchmarks: the sample recordings looped to a duration.

The three sample clips (forward bends, 720x1280) are joined in turn until the duration is
reached, scaled to the requested size and encoded as H.264 the way a phone stores it
(yuv420p, 30 fps). The content is real bending movement, so every step of the analysis does
its ordinary work; only the length and the resolution change.

Reproduce::

    .venv/bin/python bench/speed_clips.py /tmp/speed --seconds 33 60 600
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

import imageio_ffmpeg

REPO = Path(__file__).resolve().parent.parent
SAMPLES = ("typical.mp4", "guarded.mp4", "delayed_pelvis.mp4")


def make_clip(target: Path, seconds: float, width: int = 1080, height: int = 1920) -> Path:
    """Write ``target``: the sample clips in turn, looped to ``seconds``, at ``width`` x
    ``height`` pixels, 30 fps, H.264 (CRF 20)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "list.txt"
        # Each sample is about 6 s; enough entries to cover the duration.
        entries = [REPO / "sample_videos" / SAMPLES[i % 3] for i in range(int(seconds // 5) + 2)]
        listing.write_text("".join(f"file '{path}'\n" for path in entries))
        subprocess.run(
            [
                imageio_ffmpeg.get_ffmpeg_exe(),
                "-loglevel",
                "error",
                "-y",
                "-f",
                "concat",
                "-safe",
                "0",
                "-i",
                str(listing),
                "-t",
                f"{seconds:g}",
                "-vf",
                f"scale={width}:{height}:flags=bicubic,fps=30",
                "-c:v",
                "libx264",
                "-preset",
                "fast",
                "-crf",
                "20",
                "-pix_fmt",
                "yuv420p",
                "-an",
                str(target),
            ],
            check=True,
        )
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seconds", type=float, nargs="+", default=[33.0])
    parser.add_argument("--width", type=int, default=1080)
    parser.add_argument("--height", type=int, default=1920)
    args = parser.parse_args()
    for seconds in args.seconds:
        path = make_clip(
            args.folder / f"bend_{seconds:g}s_{args.width}x{args.height}.mp4",
            seconds,
            args.width,
            args.height,
        )
        print(path)


if __name__ == "__main__":
    main()
