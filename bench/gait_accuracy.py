"""Walking analysis against synthetic truth: step events, cadence, frontal and transverse
pelvis and trunk motion, and pelvis-thorax relative phase, by view.

For every rendered walk in a folder (``NAME.mp4`` with ``NAME_truth.csv`` and
``NAME_params.json``), the walking analysis runs on the pose landmarks and is compared with
the truth measured on the rendered body (:func:`lumbopelvic.synth.gait.gait_truth`):

- heel strikes and toe offs: share of true events with an estimate within one frame at
  30 fps (33 ms; the frame each event peaks in, as the truth marks it), and the true events
  with none within 250 ms (missed) and estimates with no true event within 250 ms (extra);
- cadence: relative error against the truth's mean step time;
- pelvic obliquity, trunk lateral lean (front and back views), pelvis and thorax rotation
  (all views but the side): RMSE over walking frames, both means removed, beside the RMSE of
  a flat line (the truth's SD) and the estimate's amplitude over the truth's;
- relative phase: mean absolute pelvis-thorax relative phase over the estimated strides,
  estimate minus truth (the truth computed the same way from its rotations).

Usage::

    .venv/bin/lumbopelvic synth /tmp/bench-gait --preset benchmark-gait --jobs 2
    .venv/bin/python bench/gait_accuracy.py /tmp/bench-gait
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd

from lumbopelvic.gait.analysis import analyse_gait
from lumbopelvic.gait.strides import relative_phase_series, stride_curve, stride_spans
from lumbopelvic.workflows.progress import SILENT
from lumbopelvic.workflows.sources import run_pose

FRAME_30FPS_S = 1 / 30
FAR_S = 0.25
# estimate column -> truth column
MOTION = {
    "pelvic_obliquity_deg": "pelvis_obliquity_deg",
    "trunk_lateral_deg": "trunk_lateral_deg",
    "pelvis_rotation_deg": "pelvis_rotation_deg",
    "thorax_rotation_deg": "thorax_rotation_deg",
}


def event_scores(estimated: np.ndarray, true: np.ndarray) -> dict[str, float]:
    """Within-a-frame share, missed and extra counts of one kind of event (times, s).

    Extra events are counted between the first and the last true event only: the renders
    start and end their walks with smaller steps that the truth leaves out (it counts events
    only once the walk is under way), and finding those is not an error."""
    if not len(true):
        return {"within_frame_pct": np.nan, "missed": 0, "extra": len(estimated), "n": 0}
    nearest = np.array([np.min(np.abs(estimated - t)) if len(estimated) else np.inf for t in true])
    inside = estimated[(estimated > true[0] - FAR_S) & (estimated < true[-1] + FAR_S)]
    extra = sum(np.min(np.abs(true - e)) > FAR_S for e in inside)
    return {
        "within_frame_pct": 100 * float(np.mean(nearest <= FRAME_30FPS_S + 1e-6)),
        "missed": int(np.sum(nearest > FAR_S)),
        "extra": int(extra),
        "n": len(true),
    }


def _rmse(a: np.ndarray, b: np.ndarray) -> float:
    ok = np.isfinite(a) & np.isfinite(b)
    return float(np.sqrt(np.mean((a[ok] - b[ok]) ** 2))) if ok.sum() > 10 else float("nan")


def _marp(series: np.ndarray, times: np.ndarray, spans: list) -> float:
    values = [np.nanmean(np.abs(stride_curve(times, series, s, e))) for s, e, *_ in spans]
    values = [v for v in values if np.isfinite(v)]
    return float(np.mean(values)) if values else float("nan")


def score_case(video: Path) -> dict[str, object]:
    """Every measure of one rendered walk against its truth."""
    table = run_pose(video, None, True, SILENT).table
    truth = pd.read_csv(video.with_name(f"{video.stem}_truth.csv"))
    params = json.loads(video.with_name(f"{video.stem}_params.json").read_text())
    case = params["case"]
    result = analyse_gait(table)
    times = table["time_s"].to_numpy(float)
    truth = truth.set_index("frame").reindex(table["frame"].to_numpy()).reset_index()
    row: dict[str, object] = {
        "case": video.stem,
        "view": video.stem.rsplit("_", 1)[-1],
        "yaw_deg": round(case["camera"]["yaw_deg"]),
        "fps": case["camera"]["fps"],
        "found_view": result.summary.view.label,
    }
    events = result.events
    for kind, columns in (
        ("heel strike", ("heel_strike_l", "heel_strike_r")),
        ("toe off", ("toe_off_l", "toe_off_r")),
    ):
        true = times[(truth[columns[0]].fillna(0) + truth[columns[1]].fillna(0)).to_numpy() > 0]
        # The frame each event peaks in, like the truth's (the refined time between frames,
        # which step and stride times use, is not what "within one frame" compares).
        frames = events.loc[events["event"] == kind, "frame"].to_numpy(int)
        estimated = times[np.searchsorted(table["frame"].to_numpy(), frames)]
        scores = event_scores(estimated, true)
        prefix = "hs" if kind == "heel strike" else "to"
        row.update({f"{prefix}_{k}": v for k, v in scores.items()})
        if kind == "heel strike":
            # Over the steps the truth counts (it leaves out the walk's first and last, smaller
            # steps); the product's cadence over all its steps is in the summary.
            true_cadence = 60 / float(np.mean(np.diff(true))) if len(true) > 1 else np.nan
            steps = result.steps
            inside = steps[
                (steps["start_s"] > true[0] - FAR_S) & (steps["end_s"] < true[-1] + FAR_S)
            ]
            found = 60 / float(inside["step_time_s"].mean()) if len(inside) else np.nan
            row["cadence_true"] = true_cadence
            row["cadence_error_pct"] = 100 * (found - true_cadence) / true_cadence
    walking = np.zeros(len(times), dtype=bool)
    hs = (
        row["hs_n"]
        and times[
            (truth["heel_strike_l"].fillna(0) + truth["heel_strike_r"].fillna(0)).to_numpy() > 0
        ]
    )
    if len(hs):
        walking = (times >= hs[0]) & (times <= hs[-1])
    for est, true_name in MOTION.items():
        e = result.series[est].to_numpy(float)[walking]
        t = truth[true_name].to_numpy(float)[walking]
        e, t = e - np.nanmean(e), t - np.nanmean(t)
        short = est.removesuffix("_deg")
        row[f"{short}_rmse"] = _rmse(e, t)
        row[f"{short}_flat"] = float(np.nanstd(t))
        row[f"{short}_gain"] = (
            float(np.nansum(e * t) / np.nansum(t * t)) if np.nansum(t * t) > 0 else np.nan
        )
    spans = stride_spans(result.steps)
    true_phase = relative_phase_series(
        truth["pelvis_rotation_deg"].to_numpy(float),
        truth["thorax_rotation_deg"].to_numpy(float),
        walking,
    )
    est_marp = _marp(result.series["relative_phase_deg"].to_numpy(float), times, spans)
    row["phase_true_deg"] = _marp(true_phase, times, spans)
    row["phase_error_deg"] = est_marp - row["phase_true_deg"]
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--csv", type=Path, help="also write the per-case table here")
    args = parser.parse_args()
    table = pd.DataFrame([score_case(v) for v in sorted(args.folder.glob("*.mp4"))])
    pd.set_option("display.width", 250)
    pd.set_option("display.max_columns", 60)
    print(table.round(2).to_string(index=False))
    hs_all = (table["hs_within_frame_pct"] * table["hs_n"]).sum() / table["hs_n"].sum()
    to_all = (table["to_within_frame_pct"] * table["to_n"]).sum() / table["to_n"].sum()
    print(f"\nall views: heel strikes within a frame {hs_all:.0f} %, toe offs {to_all:.0f} %")
    by_view = table.groupby("view").agg(
        cases=("case", "size"),
        hs_within_frame_pct=("hs_within_frame_pct", "mean"),
        hs_missed=("hs_missed", "sum"),
        hs_extra=("hs_extra", "sum"),
        to_within_frame_pct=("to_within_frame_pct", "mean"),
        cadence_abs_error_pct=("cadence_error_pct", lambda s: s.abs().median()),
        obliquity_rmse=("pelvic_obliquity_rmse", "median"),
        obliquity_flat=("pelvic_obliquity_flat", "median"),
        obliquity_gain=("pelvic_obliquity_gain", "median"),
        lean_rmse=("trunk_lateral_rmse", "median"),
        lean_flat=("trunk_lateral_flat", "median"),
        pelvis_rot_rmse=("pelvis_rotation_rmse", "median"),
        pelvis_rot_flat=("pelvis_rotation_flat", "median"),
        pelvis_rot_gain=("pelvis_rotation_gain", "median"),
        thorax_rot_rmse=("thorax_rotation_rmse", "median"),
        thorax_rot_flat=("thorax_rotation_flat", "median"),
        phase_abs_error=("phase_error_deg", lambda s: s.abs().median()),
    )
    # A walk filmed at an angle is read as from the side (see gait.analysis.view_label).
    expected = table["view"].replace({"oblique": "side"})
    table["view_right"] = table["found_view"] == expected
    by_view.insert(1, "view_found_pct", 100 * table.groupby("view")["view_right"].mean())
    print("\nby view (medians of cases; event shares are means):")
    print(by_view.round(2).to_string())
    if args.csv:
        table.to_csv(args.csv, index=False)


if __name__ == "__main__":
    main()
