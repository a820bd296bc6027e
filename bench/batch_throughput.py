"""Batch throughput with 1 and 2 worker processes, measured side by side in one run.

Eight sample-sized videos (the three sample clips re-encoded at different qualities, so each
has its own content hash), a fresh pose cache for every run (nothing is reused), runs
alternating 1 job / 2 jobs. Reports videos per minute and the speed-up.

Reproduce::

    .venv/bin/python bench/batch_throughput.py --repeats 2
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import imageio_ffmpeg

REPO = Path(__file__).resolve().parent.parent


def make_videos(folder: Path, count: int = 8) -> list[Path]:
    sources = sorted((REPO / "sample_videos").glob("*.mp4"))
    videos = []
    for i in range(count):
        target = folder / f"clip{i}.mp4"
        subprocess.run(
            [
                imageio_ffmpeg.get_ffmpeg_exe(),
                "-loglevel",
                "error",
                "-y",
                "-i",
                str(sources[i % len(sources)]),
                "-c:v",
                "libx264",
                "-crf",
                str(20 + i),
                str(target),
            ],
            check=True,
        )
        videos.append(target)
    return videos


def timed_batch(videos_dir: Path, jobs: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "LUMBOPELVIC_CACHE_DIR": str(Path(tmp) / "cache")}
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "lumbopelvic",
                "batch",
                str(videos_dir),
                "-o",
                str(Path(tmp) / "out"),
                "--jobs",
                str(jobs),
            ],
            check=True,
            env=env,
            capture_output=True,
        )
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        videos = make_videos(Path(tmp))
        one, two = [], []
        for _ in range(args.repeats):
            one.append(timed_batch(Path(tmp), 1))
            two.append(timed_batch(Path(tmp), 2))
            print(f"1 job {one[-1]:.1f} s, 2 jobs {two[-1]:.1f} s, ratio {one[-1] / two[-1]:.2f}")
    best1, best2 = min(one), min(two)
    ratios = ", ".join(f"{a / b:.2f}" for a, b in zip(one, two, strict=True))
    print(
        f"{len(videos)} videos: 1 job {60 * len(videos) / best1:.1f} videos/min, "
        f"2 jobs {60 * len(videos) / best2:.1f} videos/min, speed-up {best1 / best2:.2f}x "
        f"(per-pair ratios {ratios})"
    )


if __name__ == "__main__":
    main()
