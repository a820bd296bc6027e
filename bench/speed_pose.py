"""Time `lumbopelvic` pose extraction against a bare MediaPipe loop, per model.

The bare loop decodes the video and runs PoseLandmarker on each frame, one after the other
(VIDEO mode, segmentation masks, following one person); the pipeline does
everything `lumbopelvic pose` does (probe, hash, decode, inference, the looks for other
people, subject choice, outline, table) except writing files. Both run side by side in one
process, interleaved, and the ratio of medians is reported, so machine noise affects both alike.

Reproduce::

    .venv/bin/python bench/speed_pose.py --video sample_videos/typical.mp4 --repeats 5
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from pathlib import Path

from lumbopelvic.io.atomic import write_text_atomic
from lumbopelvic.io.video import iter_frames, probe_video
from lumbopelvic.pose.extract import extract_pose
from lumbopelvic.pose.mediapipe.model_registry import MODELS, installed_models
from lumbopelvic.pose.mediapipe.runtime import create_landmarker, quiet_native_stderr, to_mp_image
from lumbopelvic.pose.settings import PoseSettings

SPEED_MD = Path(__file__).resolve().parent / "SPEED.md"
BEGIN, END = "<!-- pose-speed:begin -->", "<!-- pose-speed:end -->"


def bare_loop(model_path: Path, video: Path, settings: PoseSettings) -> float:
    """Decode (one thread, rows packed) and infer, one after the other: the yardstick."""
    start = time.perf_counter()
    with create_landmarker(model_path, settings, people=1) as landmarker:
        for frame in iter_frames(video, threads=1):
            landmarker.detect_for_video(to_mp_image(frame.rgb), round(frame.time_s * 1000))
    return time.perf_counter() - start


def pipeline(video: Path, settings: PoseSettings) -> float:
    start = time.perf_counter()
    extract_pose(video, settings, use_cache=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--video", type=Path, default=Path("sample_videos/typical.mp4"))
    parser.add_argument("--models", nargs="*", default=None, help="default: all installed")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()

    info = probe_video(args.video)
    frames = sum(1 for _ in iter_frames(args.video))
    installed = installed_models()
    names = args.models or [n for n in MODELS if n in installed]
    rows = []
    for name in names:
        settings = PoseSettings(model=name)
        bare, piped = [], []
        with quiet_native_stderr():
            for _ in range(args.repeats):
                bare.append(bare_loop(installed[name], args.video, settings))
                piped.append(pipeline(args.video, settings))
        b, p = statistics.median(bare), statistics.median(piped)
        rows.append((name, frames, 1000 * b / frames, 1000 * p / frames, p / b))
        print(
            f"{name}: bare {rows[-1][2]:.1f} ms/frame, pipeline {rows[-1][3]:.1f} ms/frame, "
            f"ratio {p / b:.3f}"
        )

    lines = [
        BEGIN,
        f"Clip `{args.video}` ({info.width}x{info.height}, {frames} frames), "
        f"median of {args.repeats} interleaved runs, {platform.processor() or platform.machine()}, "
        f"{time.strftime('%Y-%m-%d')}.",
        "",
        "| model | bare MediaPipe (ms/frame) | lumbopelvic pose (ms/frame) | ratio | overhead |",
        "|---|---|---|---|---|",
        *[
            f"| {n} | {b:.1f} | {p:.1f} | {r:.3f} | {100 * (r - 1):+.1f} % |"
            for n, _, b, p, r in rows
        ],
        END,
    ]
    if args.no_write:
        return
    text = SPEED_MD.read_text() if SPEED_MD.exists() else "# Speed\n\n" + BEGIN + "\n" + END + "\n"
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    write_text_atomic(SPEED_MD, head + "\n".join(lines) + tail)


if __name__ == "__main__":
    main()
