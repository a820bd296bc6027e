"""Fit the pelvis model (lumbopelvic/data/pelvis_model.json) on synthetic development renders.

The training clips must never include the benchmark preset's cases, which are reserved for
`lumbopelvic validate`. Ridge strength is chosen by leave-one-clip-out cross-validation on the
training clips alone; the chosen model is then fitted on all of them.

Reproduce (about 15 minutes on 2 cores)::

    for p in typical lumbar-dominant hip-dominant delayed-pelvis bent-knees variable; do
        .venv/bin/lumbopelvic synth /tmp/dev --preset $p --seed 500 --cases 2 --jobs 2
        .venv/bin/lumbopelvic synth /tmp/dev --preset $p --seed 600 --cases 4 --jobs 2
    done
    .venv/bin/python bench/train_pelvis_model.py /tmp/dev
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

from lumbopelvic.io.atomic import write_text_atomic
from lumbopelvic.kinematics.pelvis_estimate import MODEL_FILE, PelvisModel, fit_pelvis_model
from lumbopelvic.kinematics.raw_angles import raw_kinematics
from lumbopelvic.kinematics.settings import AngleSettings
from lumbopelvic.pose.extract import extract_pose
from lumbopelvic.pose.settings import PoseSettings

OUT = Path(__file__).resolve().parent.parent / "lumbopelvic" / "data" / MODEL_FILE
RIDGES = (1e2, 1e3, 1e4, 3e4, 1e5)


def clip_features(video: Path, model_name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    table = extract_pose(video, PoseSettings(model=model_name)).table
    probe = PelvisModel(np.zeros(15), {})
    kin = raw_kinematics(table, AngleSettings(), probe)
    truth = pd.read_csv(video.with_name(f"{video.stem}_truth.csv"))
    return kin.features, truth["pelvis_deg"].to_numpy(), kin.raw["trunk"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--model", default="full", help="pose model the features come from")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the model JSON")
    args = parser.parse_args()
    videos = sorted(v for f in args.folders for v in f.glob("*.mp4"))
    if any(v.stem.startswith("bench") for v in videos):
        raise SystemExit("benchmark cases must not be used for training")
    clips = [clip_features(v, args.model) for v in videos]
    cv = {}
    for ridge in RIDGES:
        errors = []
        for k in range(len(clips)):
            x = np.concatenate([c[0] for i, c in enumerate(clips) if i != k])
            y = np.concatenate([c[1] for i, c in enumerate(clips) if i != k])
            w = fit_pelvis_model(x, y, ridge)
            pred = PelvisModel(w, {}).predict(clips[k][0])
            errors.append(float(np.sqrt(np.nanmean((pred - clips[k][1]) ** 2))))
        cv[ridge] = errors
        print(f"ridge {ridge:g}: pelvis RMSE median {np.median(errors):.2f} max {max(errors):.2f}")
    best = min(RIDGES, key=lambda r: np.median(cv[r]))
    weights = fit_pelvis_model(
        np.concatenate([c[0] for c in clips]), np.concatenate([c[1] for c in clips]), best
    )
    provenance = {
        "fitted": time.strftime("%Y-%m-%d"),
        "pose_model": args.model,
        "training_clips": [v.stem for v in videos],
        "frames": int(sum(len(c[1]) for c in clips)),
        "ridge": best,
        "cv_pelvis_rmse_deg_median": round(float(np.median(cv[best])), 2),
        "cv_pelvis_rmse_deg_max": round(float(max(cv[best])), 2),
        "command": "python bench/train_pelvis_model.py " + " ".join(map(str, args.folders)),
        "note": "fitted on synthetic ANNY renders (development seeds, never the benchmark)",
    }
    payload = {"weights": [round(float(w), 6) for w in weights], "provenance": provenance}
    write_text_atomic(args.out, json.dumps(payload, indent=2) + "\n")
    print(f"ridge {best:g} -> {args.out}")


if __name__ == "__main__":
    main()
