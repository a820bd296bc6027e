"""Accuracy of the view-angle estimate on rendered cases with a known camera yaw.

Reproduce::

    .venv/bin/python bench/view_angle.py /tmp/bench14
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from lumbopelvic.kinematics.angles import compute_angles
from lumbopelvic.pose.extract import extract_pose
from lumbopelvic.pose.settings import PoseSettings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    errors = []
    for video in sorted(args.folder.glob("*.mp4")):
        params = json.loads(video.with_name(f"{video.stem}_params.json").read_text())
        true_yaw = abs(params["case"]["camera"]["yaw_deg"])
        angles = compute_angles(extract_pose(video, PoseSettings()).table)
        estimate = angles.attrs["lumbopelvic"]["quality"]["yaw_deg"]
        errors.append(estimate - true_yaw)
        print(
            f"{video.stem:28s} true {params['case']['camera']['yaw_deg']:6.1f}  "
            f"estimated {estimate:5.1f}"
        )
    errors = np.abs(errors)
    print(f"mean absolute error {errors.mean():.1f} deg, worst {errors.max():.1f} deg")


if __name__ == "__main__":
    main()
