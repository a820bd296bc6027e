"""Compare the pose models on rendered clips with known joint positions: accuracy and speed.

For each installed model and each clip, runs `lumbopelvic pose` (no cache) and compares the
mid-hip and mid-shoulder landmarks with the rendered body's true hip-joint centres and
shoulders (error as a fraction of the true hip-to-shoulder length), and the hip-to-shoulder
line's inclination change with the truth's ``hip_shoulder_deg`` (RMSE, degrees). Timing is
wall-clock for the whole extraction, per frame, all models measured in one run.

Reproduce::

    .venv/bin/python bench/model_choice.py sample_videos/*.mp4
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from lumbopelvic.kinematics.sagittal import facing_direction, inclination_deg, midpoint
from lumbopelvic.pose.extract import extract_pose
from lumbopelvic.pose.mediapipe.model_registry import MODELS, installed_models
from lumbopelvic.pose.settings import PoseSettings


def clip_errors(video: Path, model: str) -> dict[str, float]:
    truth = pd.read_csv(video.with_name(f"{video.stem}_truth.csv"))
    start = time.perf_counter()
    table = extract_pose(video, PoseSettings(model=model), use_cache=False).table
    seconds = time.perf_counter() - start
    hip_true = (
        truth[["hip_l_x", "hip_l_y"]].to_numpy() + truth[["hip_r_x", "hip_r_y"]].to_numpy()
    ) / 2
    sh_true = (
        truth[["shoulder_l_x", "shoulder_l_y"]].to_numpy()
        + truth[["shoulder_r_x", "shoulder_r_y"]].to_numpy()
    ) / 2
    length = np.hypot(*(sh_true - hip_true).T)
    hip, shoulder = midpoint(table, "hip"), midpoint(table, "shoulder")
    facing, _ = facing_direction(table)
    incl = inclination_deg(hip, shoulder, facing)
    incl = incl - np.nanmedian(incl[:5])
    angle_err = incl - truth["hip_shoulder_deg"].to_numpy()
    return {
        "detected_pct": 100 * float((table["n_people"] > 0).mean()),
        "hip_err": float(np.nanmedian(np.hypot(*(hip - hip_true).T) / length)),
        "shoulder_err": float(np.nanmedian(np.hypot(*(shoulder - sh_true).T) / length)),
        "line_rmse_deg": float(np.sqrt(np.nanmean(angle_err**2))),
        "ms_per_frame": 1000 * seconds / len(table),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("videos", nargs="+", type=Path)
    args = parser.parse_args()
    installed = installed_models()
    rows = []
    for model in [m for m in MODELS if m in installed]:
        for video in args.videos:
            rows.append({"model": model, "clip": video.stem, **clip_errors(video, model)})
    results = pd.DataFrame(rows)
    print(results.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print()
    means = results.drop(columns="clip").groupby("model", sort=False).mean()
    print("| model | " + " | ".join(means.columns) + " |")
    print("|---" * (len(means.columns) + 1) + "|")
    for model, row in means.iterrows():
        print(f"| {model} | " + " | ".join(f"{v:.3f}" for v in row) + " |")


if __name__ == "__main__":
    main()
