"""The yardstick of the speed benchmarks: decode a video and run PoseLandmarker on each frame.

Nothing else: no subject choice, no outline, no table, no file written. One person, VIDEO
mode, segmentation masks on (the product needs them for the back's outline), decoding and
inference one after the other in one thread. ``lumbopelvic pose`` and ``analyze`` are
measured as ratios to this whole process on the same clip (``bench/SPEED.md``).

Reproduce::

    .venv/bin/python bench/bare_pose_loop.py VIDEO [--model full]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

# The same quiet start-up as the product's command line.
os.environ.setdefault("GLOG_minloglevel", "2")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import av
import mediapipe as mp
import numpy as np
from mediapipe.tasks.python import BaseOptions, vision

MODELS = Path(__file__).resolve().parent.parent / "models"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("video", type=Path)
    parser.add_argument("--model", default="full", help="lite, full or heavy")
    parser.add_argument("--people", type=int, default=1)
    args = parser.parse_args()
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(
            model_asset_path=str(MODELS / f"pose_landmarker_{args.model}.task")
        ),
        running_mode=vision.RunningMode.VIDEO,
        num_poses=args.people,
        output_segmentation_masks=True,
    )
    frames = 0
    with (
        vision.PoseLandmarker.create_from_options(options) as landmarker,
        av.open(str(args.video)) as container,
    ):
        for frame in container.decode(video=0):
            # MediaPipe copies the pixels as packed rows: decoded rows come padded.
            rgb = np.ascontiguousarray(frame.to_ndarray(format="rgb24"))
            image = mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb)
            landmarker.detect_for_video(image, round(float(frame.time) * 1000))
            frames += 1
    print(f"{frames} frames")


if __name__ == "__main__":
    main()
