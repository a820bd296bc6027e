"""Trunk line and knee on oblique renders: as the image shows them against deprojected.

For every rendered case in a folder (``NAME.mp4`` with ``NAME_truth.csv`` and
``NAME_params.json``), the angles are computed twice, once with deprojection switched off and
once as the package does it, and the RMSE of the hip-to-shoulder line and the knee against
the truth is printed per case with the medians.

Usage::

    .venv/bin/lumbopelvic synth /tmp/bench-oblique --preset benchmark-oblique --jobs 2 --fast
    .venv/bin/python bench/oblique_accuracy.py /tmp/bench-oblique
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd

import lumbopelvic.kinematics.sagittal as sagittal
from lumbopelvic.kinematics.angles import compute_angles
from lumbopelvic.workflows.progress import SILENT
from lumbopelvic.workflows.sources import run_pose


def _rmse(a: np.ndarray, b: np.ndarray) -> float:
    ok = np.isfinite(a) & np.isfinite(b)
    return float(np.sqrt(np.mean((a[ok] - b[ok]) ** 2))) if ok.any() else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    shipped = sagittal.DEPROJECT_FROM_YAW_DEG
    rows = []
    for video in sorted(args.folder.glob("*.mp4")):
        table = run_pose(video, None, True, SILENT).table
        truth = pd.read_csv(video.with_name(f"{video.stem}_truth.csv"))
        params = json.loads(video.with_name(f"{video.stem}_params.json").read_text())
        row: dict[str, object] = {
            "case": video.stem,
            "view_deg": abs(params["case"]["camera"]["yaw_deg"]),
        }
        for label, start in (("image", np.inf), ("deprojected", shipped)):
            sagittal.DEPROJECT_FROM_YAW_DEG = start
            merged = truth.merge(compute_angles(table), on="frame", suffixes=("_true", ""))
            for name in ("hip_shoulder", "knee"):
                measured = merged[f"{name}_deg"].to_numpy(float)
                row[f"{name}_{label}"] = _rmse(measured, merged[f"{name}_deg_true"].to_numpy(float))
        sagittal.DEPROJECT_FROM_YAW_DEG = shipped
        rows.append(row)
    table = pd.DataFrame(rows)
    print(table.round(1).to_string(index=False))
    print("median:", table.drop(columns="case").median().round(1).to_dict())


if __name__ == "__main__":
    main()
