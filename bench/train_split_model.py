"""Train the pelvis/trunk split network (lumbopelvic/data/split_model.json) on synthetic renders.

Only training seeds are used: never a ``bench*`` or ``benchmark-*`` case, whose seeds are
held out for ``lumbopelvic validate``. Network size and weight decay are chosen by grouped
cross-validation (whole clips held out); the chosen network is then fitted on every clip.
Training is deterministic (fixed seeds, full-batch L-BFGS).

Reproduce (about two hours on 2 cores, most of it rendering and pose)::

    for p in bend hinge; do
        .venv/bin/lumbopelvic synth /tmp/train/world --preset $p --seed 1000 --cases 86 \\
            --jobs 2 --fast
    done
    .venv/bin/lumbopelvic synth /tmp/train/world --preset squat --seed 1000 --cases 30 \\
        --jobs 2 --fast
    .venv/bin/lumbopelvic synth /tmp/train/world --preset sit-to-stand --seed 1000 --cases 45 \\
        --jobs 2 --fast
    .venv/bin/lumbopelvic synth /tmp/train/world --preset walk --seed 1000 --cases 16 \\
        --jobs 2 --fast
    for p in typical lumbar-dominant hip-dominant delayed-pelvis bent-knees variable; do
        .venv/bin/lumbopelvic synth /tmp/train/dev --preset $p --seed 500 --cases 1 --jobs 2 --fast
        .venv/bin/lumbopelvic synth /tmp/train/dev --preset $p --seed 600 --cases 2 --jobs 2 --fast
    done
    for p in lumbar-dominant hip-dominant; do
        .venv/bin/lumbopelvic synth /tmp/train/dev --preset $p --seed 602 --cases 8 --jobs 2 --fast
    done
    # the shipped model averages this network with the first one (commit 957347a)
    git show 957347a:lumbopelvic/data/split_model.json > split_model_2026-11-25a.json
    .venv/bin/python bench/train_split_model.py /tmp/train/world /tmp/train/dev \\
        --ensemble-with split_model_2026-11-25a.json

The training folder of the shipped model grew over a day: bend and hinge seeds 1010-1069
were rendered before hands resting on the thighs joined the world (re-rendering them today
puts about a third of their hanging-arm cases' hands on the thighs); the list of clips used
is in the model's provenance (``training_clips``).
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from lumbopelvic.io.atomic import write_text_atomic
from lumbopelvic.kinematics.raw_angles import raw_kinematics
from lumbopelvic.kinematics.settings import AngleSettings
from lumbopelvic.kinematics.split_estimators import NetworkSplit
from lumbopelvic.kinematics.split_model import (
    MODEL_FILE,
    OUTPUTS,
    SplitModel,
    model_from_json,
    novelty_score,
    split_features,
)
from lumbopelvic.pose.extract import extract_pose
from lumbopelvic.pose.settings import PoseSettings

OUT = Path(__file__).resolve().parent.parent / "lumbopelvic" / "data" / MODEL_FILE
CANDIDATES = (((64, 32), 1e-1), ((128, 64), 3e-1))
FOLDS = 3
SEED = 7
MAX_ITERATIONS = 500
MAX_YAW_DEG = 30.0


def clip_data(video: Path, pose_model: str, probe: SplitModel) -> tuple[np.ndarray, np.ndarray]:
    """Features ``(n, f)`` and targets ``(n, 2)`` (pelvis, L1 trunk) of one rendered clip."""
    table = extract_pose(video, PoseSettings(model=pose_model)).table
    kin = raw_kinematics(table, AngleSettings(), NetworkSplit(probe))
    features, _ = split_features(kin.inputs)
    truth = pd.read_csv(video.with_name(f"{video.stem}_truth.csv"))
    y = truth[["pelvis_deg", "trunk_deg"]].to_numpy(float)
    return features, y[: len(features)]


def _unpack(theta: np.ndarray, sizes: list[int]) -> list[tuple[np.ndarray, np.ndarray]]:
    layers, k = [], 0
    for n_in, n_out in itertools.pairwise(sizes):
        w = theta[k : k + n_in * n_out].reshape(n_in, n_out)
        k += n_in * n_out
        layers.append((w, theta[k : k + n_out]))
        k += n_out
    return layers


def fit(x: np.ndarray, y: np.ndarray, hidden: tuple[int, ...], decay: float) -> list:
    """Full-batch L-BFGS on mean squared error plus ``decay`` x squared weights."""
    sizes = [x.shape[1], *hidden, y.shape[1]]
    rng = np.random.default_rng(SEED)
    theta0 = np.concatenate(
        [
            np.concatenate([rng.normal(0, 1 / np.sqrt(a), a * b), np.zeros(b)])
            for a, b in itertools.pairwise(sizes)
        ]
    )
    scale = y.std(axis=0)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        layers = _unpack(theta, sizes)
        acts = [x]
        for i, (w, b) in enumerate(layers):
            z = acts[-1] @ w + b
            acts.append(np.tanh(z) if i < len(layers) - 1 else z)
        err = (acts[-1] - y) / scale
        value = float(np.mean(err**2))
        grad_out = 2 * err / scale / err.size
        grads = []
        for i in range(len(layers) - 1, -1, -1):
            w, _ = layers[i]
            grads.append((acts[i].T @ grad_out + 2 * decay * w / x.shape[0], grad_out.sum(0)))
            if i:
                grad_out = (grad_out @ w.T) * (1 - acts[i] ** 2)
        value += decay * sum(float((w**2).sum()) for w, _ in layers) / x.shape[0]
        flat = np.concatenate([np.concatenate([g.ravel(), gb]) for g, gb in reversed(grads)])
        return value, flat

    options = {"maxiter": MAX_ITERATIONS}
    result = minimize(loss, theta0, jac=True, method="L-BFGS-B", options=options)
    return _unpack(result.x, sizes)


def predict(layers: list, x: np.ndarray) -> np.ndarray:
    z = x
    for i, (w, b) in enumerate(layers):
        z = z @ w + b
        if i < len(layers) - 1:
            z = np.tanh(z)
    return z


def standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mean = np.nanmean(x, axis=0)
    scale = np.nanstd(x, axis=0)
    scale[~(scale > 1e-6)] = 1.0
    z = (x - mean) / scale
    return np.where(np.isfinite(z), z, 0.0), mean, scale


def flat_networks(model: SplitModel) -> list[SplitModel]:
    """The networks of a model, an ensemble's each on its own: averaged with a new network,
    each then weighs as much as the new one."""
    return [replace(model, members=()), *(n for m in model.members for n in flat_networks(m))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--pose-model", default="full")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--ensemble-with",
        type=Path,
        action="append",
        default=[],
        help="a trained model file to average with the new network (repeatable; an "
        "ensemble's networks each count once)",
    )
    args = parser.parse_args()
    videos = sorted(v for f in args.folders for v in f.glob("*.mp4"))
    if any(v.stem.startswith(("bench", "benchmark")) for v in videos):
        raise SystemExit("benchmark cases must not be used for training")
    n_features = 73
    probe = SplitModel(
        ((np.zeros((n_features, 2)), np.zeros(2)),), np.zeros(n_features), np.ones(n_features), {}
    )
    clips, used = [], []
    for video in videos:
        params = json.loads(video.with_name(f"{video.stem}_params.json").read_text())
        if abs(params["case"]["camera"]["yaw_deg"]) > MAX_YAW_DEG:
            continue  # walks filmed from the front or back: no back outline to learn from
        try:
            clips.append(clip_data(video, args.pose_model, probe))
            used.append(video.stem)
        except Exception as error:  # a render MediaPipe cannot read is left out, and said
            print(f"skipped {video.name}: {error}")
    rows = [np.isfinite(x[:, 0]) & (x[:, -1] > 0) & np.isfinite(y).all(1) for x, y in clips]
    groups = np.concatenate([np.full(r.sum(), i % FOLDS) for i, r in enumerate(rows)])
    x_all = np.concatenate([x[r] for (x, _), r in zip(clips, rows, strict=True)])
    y_all = np.concatenate([y[r] for (_, y), r in zip(clips, rows, strict=True)])
    z_all, mean, scale = standardise(x_all)
    print(f"{len(used)} clips, {len(x_all)} frames, {x_all.shape[1]} features")
    scores = {}
    for hidden, decay in CANDIDATES:
        errors = []
        for fold in range(FOLDS):
            train, test = groups != fold, groups == fold
            layers = fit(z_all[train], y_all[train], hidden, decay)
            err = predict(layers, z_all[test]) - y_all[test]
            errors.append(np.sqrt(np.mean(err**2, axis=0)))
        scores[(hidden, decay)] = np.mean(errors, axis=0)
        print(
            f"hidden {hidden} decay {decay:g}: CV RMSE pelvis {scores[(hidden, decay)][0]:.2f}"
            f" trunk {scores[(hidden, decay)][1]:.2f}"
        )
    hidden, decay = min(scores, key=lambda k: float(scores[k].sum()))
    layers = fit(z_all, y_all, hidden, decay)
    provenance = {
        "fitted": time.strftime("%Y-%m-%d"),
        "pose_model": args.pose_model,
        "outputs": list(OUTPUTS),
        "hidden": list(hidden),
        "weight_decay": decay,
        "training_clips": used,
        "frames": len(x_all),
        "cv_rmse_deg": {
            name: round(float(value), 2)
            for name, value in zip(OUTPUTS, scores[(hidden, decay)], strict=True)
        },
        "command": "python bench/train_split_model.py " + " ".join(map(str, args.folders)),
        "note": "synthetic ANNY renders of training seeds only (never a benchmark seed)",
    }
    # Novelty of the training frames themselves: the scale that tells a new frame's features
    # are unlike anything trained on (see SplitModel.novelty).
    seen = novelty_score((x_all - mean) / scale)
    provenance["novelty_quantiles"] = {
        f"p{q}": round(float(np.nanpercentile(seen, q)), 3) for q in (50, 90, 95, 99)
    }
    members = tuple(
        network
        for p in args.ensemble_with
        for network in flat_networks(model_from_json(json.loads(p.read_text())))
    )
    if members:
        provenance["ensemble"] = (
            f"mean of this network and {len(members)} earlier one(s), weighted equally (each "
            "member keeps its own provenance): averaging networks trained on different renders "
            "measured better on the held-out sets than any alone (bench/ACCURACY.md)"
        )
        provenance["command"] += "".join(f" --ensemble-with {p}" for p in args.ensemble_with)
    model = SplitModel(tuple((w, b) for w, b in layers), mean, scale, provenance, members)
    write_text_atomic(args.out, json.dumps(model.to_json()) + "\n")
    print(f"hidden {hidden}, decay {decay:g} -> {args.out}")


if __name__ == "__main__":
    main()
