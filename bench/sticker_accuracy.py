"""Marker mode against the truth, side by side with the markerless split on the same clips.

For each rendered case with stickers: were the stickers found, the pelvis/lumbar RMSE and the
lumbar-share error with stickers and without (the ``*_markerless_deg`` columns of the same
angle table), and the pelvis-onset lag error of both (the truth's angles through the same
rhythm code, as in ``bench/rhythm_accuracy.py``).

Reproduce (held-out seeds: the benchmark presets, rendered with stickers)::

    for p in benchmark-bend benchmark-hinge; do
        .venv/bin/lumbopelvic synth /tmp/stickers_bench --preset $p --stickers --jobs 2
    done
    .venv/bin/python bench/sticker_accuracy.py /tmp/stickers_bench
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from lumbopelvic.core.provenance import table_metadata
from lumbopelvic.kinematics.accuracy import compare_with_truth
from lumbopelvic.kinematics.settings import AngleSettings
from lumbopelvic.pose.extract import extract_pose
from lumbopelvic.pose.settings import PoseSettings
from lumbopelvic.rhythm.analysis import analyse_rhythm
from lumbopelvic.workflows.sources import angle_table

MEASURES = ("pelvis_lag_ms", "pelvis_lag_10pct_ms")
SPLIT = ("pelvis", "trunk", "lumbar", "hip")


def markerless(angles: pd.DataFrame) -> pd.DataFrame:
    """The same table with the markerless split in the angle columns."""
    return angles.assign(**{f"{n}_deg": angles[f"{n}_markerless_deg"] for n in SPLIT})


def lag_errors(angles: pd.DataFrame, truth: pd.DataFrame) -> dict[str, float]:
    """Mean signed error per flexion-phase timing measure (NaN when reps differ)."""
    true_rows = analyse_rhythm(truth.assign(confidence=1.0)).reps
    rows = analyse_rhythm(angles).reps
    out = {}
    for key in MEASURES:
        t = true_rows.loc[true_rows.phase == "flexion", key].to_numpy(float)
        m = rows.loc[rows.phase == "flexion", key].to_numpy(float)
        out[key] = float(np.nanmean(m - t)) if len(t) == len(m) and len(t) else float("nan")
    return out


def case_row(video: Path) -> dict[str, object]:
    truth = pd.read_csv(video.with_name(f"{video.stem}_truth.csv"))
    table = extract_pose(video, PoseSettings()).table
    angles = angle_table(table, AngleSettings(stickers="on"), video)
    row: dict[str, object] = {"case": video.stem}
    used = "pelvis_markerless_deg" in angles and (angles["pelvis_source"] == "stickers").any()
    row["stickers_found"] = bool(used)
    row["note"] = table_metadata(angles).get("stickers", {}).get("note", "")
    if not used:
        return row
    row["sticker_share"] = float((angles["pelvis_source"] == "stickers").mean())
    for label, table_ in (("stickers", angles), ("markerless", markerless(angles))):
        scores = compare_with_truth(table_, truth)
        for key in (
            "pelvis_rmse_deg",
            "lumbar_rmse_deg",
            "trunk_rmse_deg",
            "lumbar_share_error_pp",
        ):
            row[f"{label}_{key}"] = scores[key]
        for key, value in lag_errors(table_, truth).items():
            row[f"{label}_{key}_error"] = value
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--out", type=Path, default=None, help="per-case CSV")
    args = parser.parse_args()
    table = pd.DataFrame([case_row(v) for v in sorted(args.folder.glob("*.mp4"))])
    if args.out:
        table.to_csv(args.out, index=False)
    print(f"stickers found in {int(table.stickers_found.sum())} of {len(table)} cases")
    found = table[table.stickers_found]
    for _, row in table[~table.stickers_found].iterrows():
        print(f"  {row['case']}: {row['note']}")
    if found.empty:
        return
    print("| measure | stickers median | stickers worst | markerless median | markerless worst |")
    print("|---|---|---|---|---|")
    keys = [
        "pelvis_rmse_deg",
        "lumbar_rmse_deg",
        "trunk_rmse_deg",
        "lumbar_share_error_pp",
        *(f"{k}_error" for k in MEASURES),
    ]
    for key in keys:
        s, m = found[f"stickers_{key}"].abs(), found[f"markerless_{key}"].abs()
        print(f"| {key} | {s.median():.1f} | {s.max():.1f} | {m.median():.1f} | {m.max():.1f} |")


if __name__ == "__main__":
    main()
