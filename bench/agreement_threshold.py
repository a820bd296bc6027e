"""Issue 29: does the disagreement of the split's networks tell when the split is wrong?

The shipped split model averages two networks trained on different clips. Where they part,
the frame lies outside what either learned. For every frame of movement (true trunk flexed
20 degrees or more) of the held-out renders this records the networks' spread (the larger
difference over pelvis and L1 trunk, degrees), the frame's confidence without the agreement
factor, and the pelvis and lumbar errors of the cleaned angles.

The agreement factor's ramp (1 up to ``full`` degrees, 0 from ``zero``) is then chosen leaving
each world (bend, hinge, lift, squat, sit-to-stand) out in turn: the ramp that, on the other
worlds, drops the most frames wrong by more than 10 degrees for the fewest right within 5 is
scored on the world left out. Reported per world: the share of frames reported (confidence
>= 0.5), the share of reported frames more than 10 degrees wrong, and the reported frames'
median and 90th-percentile pelvis error, before and after.

Reproduce (renders as in ``bench/ACCURACY.md``)::

    .venv/bin/python bench/agreement_threshold.py /tmp/bench/all
    .venv/bin/python bench/agreement_threshold.py sample_videos --per-case
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from lumbopelvic.io.result_files import read_table_csv
from lumbopelvic.kinematics.confidence import FACTOR_NAMES, ramp_down
from lumbopelvic.kinematics.raw_angles import raw_kinematics
from lumbopelvic.kinematics.settings import LOW_CONFIDENCE, AngleSettings
from lumbopelvic.kinematics.split_model import load_split_model, split_features
from lumbopelvic.workflows.progress import SILENT
from lumbopelvic.workflows.sources import angle_table, run_pose
from lumbopelvic.workflows.validate import truth_pairs

sys.path.insert(0, str(Path(__file__).parent))
from validation_by_set import set_name

RAMPS = [(full, full * ratio) for full in (2, 3, 4, 5, 6, 8) for ratio in (1.5, 2, 3)]
WRONG_DEG, RIGHT_DEG = 10.0, 5.0


def true_change(
    truth: pd.DataFrame, column: str, times: np.ndarray, standing: np.ndarray
) -> np.ndarray:
    """The truth's ``column`` at ``times``, change from its median over ``standing``."""
    values = np.interp(times, truth["time_s"], truth[column])
    return values - np.median(values[standing])


def movement_frames(set_dir: Path) -> pd.DataFrame:
    """One row per frame of movement: world, spread, confidence without agreement, errors."""
    model = load_split_model()
    frames = []
    for video, truth_path in truth_pairs(set_dir):
        table = run_pose(video, None, True, SILENT).table
        kin = raw_kinematics(table, AngleSettings())
        spread = model.member_spread(split_features(kin.inputs)[0])
        angles = angle_table(table, AngleSettings(), video)
        times = angles["time_s"].to_numpy()
        standing = angles["standing"].to_numpy(bool)
        truth = read_table_csv(truth_path, "truth table")
        pelvis, lumbar = (
            true_change(truth, column, times, standing) for column in ("pelvis_deg", "lumbar_deg")
        )
        others = [f"{name}_factor" for name in FACTOR_NAMES if name != "agreement"]
        confidence = angles[others].prod(axis=1).where(angles["pelvis_deg"].notna(), 0.0)
        world = set_name(video.stem).replace("benchmark-", "")
        frames.append(
            pd.DataFrame(
                {
                    "case": video.stem,
                    "world": "bend" if world == "benchmark" else world,
                    "spread": np.interp(times, kin.times_s, np.nan_to_num(spread, nan=0.0)),
                    "confidence": confidence.to_numpy(),
                    "pelvis_error": np.abs(angles["pelvis_deg"].to_numpy() - pelvis),
                    "lumbar_error": np.abs(angles["lumbar_deg"].to_numpy() - lumbar),
                    "trunk": pelvis + lumbar,
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    return out[(out["trunk"] >= 20) & out["pelvis_error"].notna()]


def with_ramp(frames: pd.DataFrame, ramp: tuple[float, float]) -> np.ndarray:
    """Each frame's confidence with the agreement factor of ``ramp`` applied."""
    return frames["confidence"].to_numpy() * ramp_down(frames["spread"].to_numpy(), *ramp)


def net_gain(frames: pd.DataFrame, ramp: tuple[float, float]) -> int:
    """Wrong frames the ramp drops minus right frames it drops."""
    was = frames["confidence"].to_numpy() >= LOW_CONFIDENCE
    dropped = was & (with_ramp(frames, ramp) < LOW_CONFIDENCE)
    worst = np.fmax(frames["pelvis_error"], frames["lumbar_error"]).to_numpy()
    return int((dropped & (worst > WRONG_DEG)).sum() - (dropped & (worst <= RIGHT_DEG)).sum())


def scores(frames: pd.DataFrame, confidence: np.ndarray) -> dict[str, float]:
    reported = confidence >= LOW_CONFIDENCE
    wrong = (np.fmax(frames["pelvis_error"], frames["lumbar_error"]) > WRONG_DEG).to_numpy()
    pelvis = frames["pelvis_error"].to_numpy()[reported]
    return {
        "reported": reported.mean(),
        "wrong_reported": (wrong & reported).sum() / max(reported.sum(), 1),
        "pelvis_median": float(np.median(pelvis)) if len(pelvis) else np.nan,
        "pelvis_p90": float(np.percentile(pelvis, 90)) if len(pelvis) else np.nan,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("set_dir", type=Path)
    parser.add_argument("--per-case", action="store_true", help="each case's spread and error")
    args = parser.parse_args()
    frames = movement_frames(args.set_dir)
    if args.per_case:
        per_case = frames.groupby("case").agg(
            spread_median=("spread", "median"),
            pelvis_error_median=("pelvis_error", "median"),
            pelvis_error_max=("pelvis_error", "max"),
        )
        print(per_case.round(1).to_string())
        return
    rows = []
    for world in sorted(frames["world"].unique()):
        others, held = frames[frames["world"] != world], frames[frames["world"] == world]
        ramp = max(RAMPS, key=lambda r: net_gain(others, r))
        before = scores(held, held["confidence"].to_numpy())
        after = scores(held, with_ramp(held, ramp))
        rows.append(
            {
                "world left out": world,
                "frames": len(held),
                "ramp chosen on the others": f"{ramp[0]:g}-{ramp[1]:g}",
                **{f"{k} before": v for k, v in before.items()},
                **{f"{k} after": v for k, v in after.items()},
            }
        )
    print(pd.DataFrame(rows).round(3).to_string(index=False))
    overall = max(RAMPS, key=lambda r: net_gain(frames, r))
    print(f"ramp chosen on every world: {overall[0]:g}-{overall[1]:g} degrees")
    spread_rank = frames[["spread", "pelvis_error"]].corr(method="spearman").iloc[0, 1]
    print(f"rank correlation of spread and pelvis error, frames of movement: {spread_rank:.2f}")


if __name__ == "__main__":
    main()
