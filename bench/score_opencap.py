"""Score trunk, hip and knee on a real recording with motion-capture truth (OpenCap format).

The folder holds ``video.mp4``, ``angles_mocap.csv`` (marker-based motion capture fitted in
OpenSim, the truth) and optionally ``angles_mono.csv`` / ``angles_wham.csv`` (other
video-based tools, scored the same way beside ours). Scoring follows the folder's README:
every angle as a change from the quiet standing of the first 0.5 s, interpolated onto the
mocap clock, the best alignment within +-0.1 s, RMSE in degrees; hip and knee are the mean
of both sides. Our trunk is ``trunk_deg`` (the trunk line, in 3D where the view calls for
it); motion capture's is the torso's long axis against the vertical.

Usage::

    .venv/bin/python bench/score_opencap.py ../shared/data/real/opencap_squat [-o OUT]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

BASELINE_S = 0.5
MAX_SHIFT_S = 0.1
TRUTH_COLUMNS = {
    "trunk": ["trunk_flexion_from_vertical"],
    "hip": ["hip_flexion_r", "hip_flexion_l"],
    "knee": ["knee_flexion_r", "knee_flexion_l"],
}
OURS = {"trunk": "trunk_deg", "hip": "hip_deg", "knee": "knee_deg"}


def reference_series(table: pd.DataFrame) -> dict[str, np.ndarray]:
    """Trunk, hip and knee of an OpenCap-format table (hip and knee: mean of both sides)."""
    return {
        name: table[columns].to_numpy(float).mean(axis=1)
        for name, columns in TRUTH_COLUMNS.items()
        if set(columns) <= set(table.columns)
    }


def rmse_aligned(
    time_s: np.ndarray, values: np.ndarray, truth_time_s: np.ndarray, truth: np.ndarray
) -> float:
    """RMSE (deg) of changes from the first 0.5 s, best shift within +-0.1 s."""
    ok = np.isfinite(values)
    if ok.sum() < 10:
        return float("nan")
    est = values - np.nanmean(values[time_s < BASELINE_S])
    ref = truth - np.nanmean(truth[truth_time_s < BASELINE_S])
    best = float("inf")
    for shift in np.arange(-MAX_SHIFT_S, MAX_SHIFT_S + 1e-9, 0.01):
        on_truth = np.interp(truth_time_s, time_s[ok] + shift, est[ok], left=np.nan, right=np.nan)
        both = np.isfinite(on_truth) & np.isfinite(ref)
        if both.sum() > 10:
            best = min(best, float(np.sqrt(np.mean((on_truth[both] - ref[both]) ** 2))))
    return best


def score(folder: Path, out: Path) -> pd.DataFrame:
    """One row per source (ours, and each reference tool present): RMSE per angle."""
    from lumbopelvic.workflows.analyze import analyze

    truth = pd.read_csv(folder / "angles_mocap.csv")
    t_true = truth["time_s"].to_numpy(float)
    ref = reference_series(truth)
    result = analyze(folder / "video.mp4", out, task="squat", blur_face=False)
    angles = result.angles
    rows = [
        {
            "source": "lumbopelvic",
            **{
                name: rmse_aligned(
                    angles["time_s"].to_numpy(float),
                    angles[column].to_numpy(float),
                    t_true,
                    ref[name],
                )
                for name, column in OURS.items()
            },
            "repetitions": result.summary.found,
            "verdict": result.summary.verdict.value,
        }
    ]
    for tool in ("mono", "wham"):
        path = folder / f"angles_{tool}.csv"
        if path.exists():
            other = pd.read_csv(path)
            series = reference_series(other)
            t = other["time_s"].to_numpy(float)
            rows.append(
                {
                    "source": tool,
                    **{name: rmse_aligned(t, series[name], t_true, ref[name]) for name in series},
                }
            )
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("-o", "--out", type=Path, default=Path("opencap_score"))
    args = parser.parse_args()
    table = score(args.folder, args.out).round(1)
    print("| " + " | ".join(table.columns) + " |")
    print("|" + "---|" * len(table.columns))
    for row in table.itertuples(index=False):
        print("| " + " | ".join("" if pd.isna(v) else str(v) for v in row) + " |")


if __name__ == "__main__":
    main()
