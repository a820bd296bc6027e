"""Rhythm metrics measured from rendered videos against the same metrics on the truth angles.

For each case the truth table's angles go through the same repetition and rhythm code as
the measured angles, so the comparison isolates the measurement error.

Reproduce::

    .venv/bin/lumbopelvic synth /tmp/bench14 --preset benchmark --jobs 2
    .venv/bin/python bench/rhythm_accuracy.py /tmp/bench14
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from lumbopelvic.kinematics.angles import compute_angles
from lumbopelvic.pose.extract import extract_pose
from lumbopelvic.pose.settings import PoseSettings
from lumbopelvic.rhythm.analysis import analyse_rhythm


def case_errors(video: Path) -> dict[str, float]:
    truth = pd.read_csv(video.with_name(f"{video.stem}_truth.csv"))
    truth["confidence"] = 1.0
    measured = compute_angles(extract_pose(video, PoseSettings()).table)
    true_rows = analyse_rhythm(truth).reps
    rows = analyse_rhythm(measured).reps
    out = {
        "case": video.stem,
        "reps_true": int(true_rows["rep"].nunique()),
        "reps_found": int(rows["rep"].nunique()) if len(rows) else 0,
    }
    if out["reps_true"] != out["reps_found"]:
        return out
    for phase in ("flexion", "return"):
        t = true_rows[true_rows.phase == phase].reset_index(drop=True)
        m = rows[rows.phase == phase].reset_index(drop=True)
        out[f"{phase}_share_error_pp"] = float(
            np.nanmean(m["lumbar_contribution_pct"] - t["lumbar_contribution_pct"])
        )
        out[f"{phase}_lag_true_ms"] = float(np.nanmean(t["pelvis_lag_ms"]))
        out[f"{phase}_lag_error_ms"] = float(np.nanmean(m["pelvis_lag_ms"] - t["pelvis_lag_ms"]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    table = pd.DataFrame([case_errors(v) for v in sorted(args.folder.glob("*.mp4"))])
    print(table.to_string(index=False, float_format=lambda v: f"{v:.1f}"))
    exact = (table["reps_true"] == table["reps_found"]).mean()
    print(f"\nrepetition count exact in {100 * exact:.0f} % of cases")
    for col in [c for c in table.columns if c.endswith(("error_pp", "error_ms"))]:
        values = table[col].abs()
        print(f"{col}: median |error| {values.median():.1f}, worst {values.max():.1f}")


if __name__ == "__main__":
    main()
