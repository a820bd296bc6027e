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
from lumbopelvic.rhythm.timing import TIMING_KEYS

TIMED = ("pelvis_lag_ms", *TIMING_KEYS)
SIGN_MS = 100.0  # the sign of a lag must be right when the true lag is beyond this


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
        for key in TIMED:
            # Per repetition, then the case's mean error (signed) and its worst repetition.
            error = (m[key] - t[key]).to_numpy(float)
            out[f"{phase}_{key}_true"] = float(np.nanmean(t[key]))
            out[f"{phase}_{key}_error"] = float(np.nanmean(error))
            clear = t[key].abs() > SIGN_MS
            out[f"{phase}_{key}_sign_ok"] = bool(
                np.all(np.sign(m[key][clear]) == np.sign(t[key][clear]))
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    table = pd.DataFrame([case_errors(v) for v in sorted(args.folder.glob("*.mp4"))])
    exact = (table["reps_true"] == table["reps_found"]).mean()
    print(f"repetition count exact in {100 * exact:.0f} % of cases")
    print("| phase | measure | median abs error | worst | sign right (true lag > 100 ms) |")
    print("|---|---|---|---|---|")
    for phase in ("flexion", "return"):
        for key in TIMED:
            values = table[f"{phase}_{key}_error"].abs()
            sign = table[f"{phase}_{key}_sign_ok"].mean() if key.endswith("_ms") else float("nan")
            print(
                f"| {phase} | {key} | {values.median():.1f} | {values.max():.1f} | "
                f"{'' if np.isnan(sign) else f'{100 * sign:.0f} %'} |"
            )


if __name__ == "__main__":
    main()
