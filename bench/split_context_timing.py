"""Does the split network's temporal context blur timing? Same recipe, three context widths.

The shipped split network reads the trunk line and back-surface inclinations 0.25 s before
and after each frame. Context steadies the angles but lets the pelvis estimate "see" the
trunk's coming motion, which can pull the pelvis onset toward the trunk's and read a lag too
small. This trains one network per context width on the same training clips (the recipe of
``bench/train_split_model.py``: 128-64 hidden units, weight decay 0.3, no ensemble) and
measures angles and timing on held-out renders with each, side by side.

Reproduce (training renders as in ``bench/train_split_model.py``; the 14-case benchmark)::

    .venv/bin/python bench/split_context_timing.py /tmp/train/world /tmp/train/dev \\
        --bench /tmp/bench14 --contexts 0.25 0.1 0
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

import lumbopelvic.kinematics.split_model as split_model
from lumbopelvic.kinematics.back_outline import PROFILE_LEVELS
from lumbopelvic.kinematics.split_model import N_WITH_CONTEXT, SplitModel, _shifted

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rhythm_accuracy
import train_split_model as trainer

HIDDEN, DECAY = (128, 64), 0.3
CORE = slice(0, N_WITH_CONTEXT)
# Feature order of split_features: core, depth per profile level, 3 leg angles, before, after.
BEFORE_START = N_WITH_CONTEXT + len(PROFILE_LEVELS) + 3


def training_set(folders: list[Path], cache: Path) -> list[tuple[np.ndarray, ...]]:
    """Per clip: features (shipped context), targets and times (cached in ``cache``)."""
    if cache.exists():
        data = np.load(cache, allow_pickle=True)
        return list(data["clips"])
    probe = SplitModel(((np.zeros((73, 2)), np.zeros(2)),), np.zeros(73), np.ones(73), {})
    clips = []
    for video in sorted(v for f in folders for v in f.glob("*.mp4")):
        params = json.loads(video.with_name(f"{video.stem}_params.json").read_text())
        if abs(params["case"]["camera"]["yaw_deg"]) > trainer.MAX_YAW_DEG:
            continue
        try:
            x, y = trainer.clip_data(video, "full", probe)
        except Exception as error:
            print(f"skipped {video.name}: {error}")
            continue
        fps = float(params["case"]["camera"]["fps"])
        clips.append((x, y, np.arange(len(x)) / fps))
    np.savez(cache, clips=np.array(clips, dtype=object))
    return clips


def with_context(x: np.ndarray, times: np.ndarray, context_s: float) -> np.ndarray:
    """``x`` with its before/after columns recomputed for ``context_s`` (zero when 0)."""
    out = x.copy()
    core = x[:, CORE]
    n = N_WITH_CONTEXT
    start = BEFORE_START
    if context_s > 0:
        out[:, start : start + n] = _shifted(core, times, -context_s) - core
        out[:, start + n : start + 2 * n] = _shifted(core, times, context_s) - core
    else:
        out[:, start : start + 2 * n] = 0.0
    return out


def train(clips: list, context_s: float) -> SplitModel:
    xs, ys = [], []
    for x, y, times in clips:
        xc = with_context(x, times, context_s)
        rows = np.isfinite(xc[:, 0]) & (xc[:, -1] > 0) & np.isfinite(y).all(1)
        xs.append(xc[rows])
        ys.append(y[rows])
    x_all, y_all = np.concatenate(xs), np.concatenate(ys)
    z, mean, scale = trainer.standardise(x_all)
    layers = trainer.fit(z, y_all, HIDDEN, DECAY)
    return SplitModel(tuple(layers), mean, scale, {"context_s": context_s})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--bench", type=Path, required=True)
    parser.add_argument("--contexts", type=float, nargs="+", default=[0.25, 0.1, 0.0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/split_context_clips.npz"))
    args = parser.parse_args()
    clips = training_set(args.folders, args.cache)
    print(f"{len(clips)} training clips")
    videos = sorted(args.bench.glob("*.mp4"))
    rows = []
    for context_s in args.contexts:
        model = train(clips, context_s)
        split_model.CONTEXT_S = context_s  # the features the network was trained on
        original = rhythm_accuracy.compute_angles
        rhythm_accuracy.compute_angles = lambda t, m=model, f=original: f(t, model=m)
        try:
            table = pd.DataFrame([rhythm_accuracy.case_errors(v) for v in videos])
        finally:
            rhythm_accuracy.compute_angles = original
        for phase in ("flexion", "return"):
            for key in ("pelvis_lag_ms", "pelvis_lag_10pct_ms", "pelvis_lag_50pct_ms"):
                err = table[f"{phase}_{key}_error"].abs()
                rows.append(
                    {
                        "context_s": context_s,
                        "phase": phase,
                        "measure": key,
                        "median_ms": round(float(err.median()), 1),
                        "worst_ms": round(float(err.max()), 1),
                        "sign_right": round(float(table[f"{phase}_{key}_sign_ok"].mean()), 2),
                        "share_err_pp": round(
                            float(table[f"{phase}_share_error_pp"].abs().median()), 1
                        ),
                        "reps_exact": round(float((table.reps_true == table.reps_found).mean()), 2),
                    }
                )
        print(pd.DataFrame(rows).to_string(index=False), flush=True)


if __name__ == "__main__":
    main()
