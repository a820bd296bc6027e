"""Sit-to-stand events per stand: seat-off and the pelvis's timing against the renderer's truth.

For every rendered sit-to-stand case in a folder (``NAME.mp4``, ``NAME_truth.csv``,
``NAME_params.json`` with the renderer's seat-offs), the video's angles (pose from the cache)
and the truth's angles go through the same sit-to-stand analysis. Each measured whole stand is
matched to the true seat-off nearest it (within 0.5 s); per stand: the seat-off error (ms),
the error of the pelvis's start after the trunk's lean (ms, against the same measure on the
true angles) and of the pelvis's tilt at seat-off (degrees). Prints the pooled table (median,
90th percentile, worst, and the share of stands whose seat-off is within one frame at 30 fps)
and writes the per-stand rows.

Reproduce::

    .venv/bin/lumbopelvic synth /tmp/bench/bench-sit-to-stand --preset benchmark-sit-to-stand \\
        --jobs 2 --fast
    .venv/bin/python bench/stand_accuracy.py /tmp/bench/bench-sit-to-stand -o stands.csv
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd

from lumbopelvic.kinematics.settings import AngleSettings
from lumbopelvic.pose.settings import PoseSettings
from lumbopelvic.rhythm.analysis import analyse_rhythm
from lumbopelvic.rhythm.settings import RhythmSettings
from lumbopelvic.rhythm.stands import MATCH_S
from lumbopelvic.workflows.progress import SILENT
from lumbopelvic.workflows.sources import angle_table, run_pose

ONE_FRAME_MS = 1000.0 / 30.0
MEASURES = (
    "seat_off_error_ms",
    "pelvis_start_after_lean_error_ms",
    "pelvis_start_before_seat_off_error_ms",
    "pelvis_at_seat_off_error_deg",
)


def whole_stands(reps: pd.DataFrame) -> pd.DataFrame:
    return reps[(reps["phase"] == "stand-up") & reps["complete"].astype(bool)]


def case_stands(video: Path) -> list[dict[str, object]]:
    """One row per measured whole stand of a rendered case, with its errors."""
    params = json.loads(video.with_name(f"{video.stem}_params.json").read_text())
    true_seat_off = np.asarray(params.get("events", {}).get("seat_off_s", []), float)
    truth = pd.read_csv(video.with_name(f"{video.stem}_truth.csv")).assign(confidence=1.0)
    pose = run_pose(video, PoseSettings(), True, SILENT).table
    angles = angle_table(pose, AngleSettings(), video)
    settings = RhythmSettings("sit-to-stand")
    measured = whole_stands(analyse_rhythm(angles, settings).reps)
    true = whole_stands(analyse_rhythm(truth, settings).reps)
    rows = []
    for stand in measured.itertuples():
        if not len(true_seat_off) or not np.isfinite(stand.seat_off_s):
            continue
        nearest = float(true_seat_off[np.argmin(np.abs(true_seat_off - stand.seat_off_s))])
        if abs(nearest - stand.seat_off_s) > MATCH_S:
            continue
        pair = true.iloc[(true["seat_off_s"] - nearest).abs().argsort()[:1]].iloc[0]
        rows.append(
            {
                "case": video.stem,
                "fps": params["case"]["camera"]["fps"],
                "seat_off_s": stand.seat_off_s,
                "true_seat_off_s": nearest,
                "seat_off_error_ms": 1000.0 * (stand.seat_off_s - nearest),
                "pelvis_start_after_lean_ms": stand.pelvis_start_after_lean_ms,
                "true_pelvis_start_after_lean_ms": pair["pelvis_start_after_lean_ms"],
                "pelvis_start_after_lean_error_ms": stand.pelvis_start_after_lean_ms
                - pair["pelvis_start_after_lean_ms"],
                "pelvis_start_before_seat_off_error_ms": stand.pelvis_start_before_seat_off_ms
                - pair["pelvis_start_before_seat_off_ms"],
                "pelvis_at_seat_off_error_deg": stand.pelvis_at_seat_off_deg
                - pair["pelvis_at_seat_off_deg"],
                "low_confidence": bool(stand.low_confidence),
            }
        )
    return rows


def pooled(stands: pd.DataFrame) -> pd.DataFrame:
    """Median, 90th percentile and worst absolute error of each measure over the stands."""
    table = stands[list(MEASURES)].abs()
    out = pd.DataFrame({"median": table.median(), "p90": table.quantile(0.9), "worst": table.max()})
    out["stands"] = table.notna().sum()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("-o", "--output", type=Path, default=Path("stands.csv"))
    args = parser.parse_args()
    videos = sorted(
        v for v in args.folder.glob("*.mp4") if v.with_name(f"{v.stem}_params.json").is_file()
    )
    stands = pd.DataFrame([row for video in videos for row in case_stands(video)])
    stands.to_csv(args.output, index=False, float_format="%.4f")
    within = 100.0 * float((stands["seat_off_error_ms"].abs() <= ONE_FRAME_MS).mean())
    print(f"{len(stands)} stands in {stands['case'].nunique()} cases -> {args.output}")
    print(pooled(stands).round(1).to_string())
    print(f"seat-off within one frame at 30 fps ({ONE_FRAME_MS:.1f} ms): {within:.0f} %")
    print(f"seat-off signed error: median {stands['seat_off_error_ms'].median():+.1f} ms")


if __name__ == "__main__":
    main()
