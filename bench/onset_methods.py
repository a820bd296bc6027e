"""Onset detection compared on rendered bends: where does the pelvis start, against the lumbar?

For every case of a rendered set, the flexion phases found on the measured angles are read by
three onset methods, on the measured angles and on the truth angles alike, and the pelvis lag
(pelvis onset minus lumbar onset, ms) is compared:

- ``velocity``: the shipped rule (``lumbopelvic.rhythm.metrics.onset_time``: 10 % of the peak
  speed on the filtered angle);
- ``noise_floor``: the first time the raw angle leaves its quiet-standing level by more than
  4 standard deviations of that level's noise, and stays out for 0.1 s;
- ``hinge_fit``: a flat-then-linear model fitted by least squares to the raw angle from the
  phase's search window start to the time the segment covers half its excursion; the onset
  is the model's knee.

Usage::

    .venv/bin/python bench/onset_methods.py /tmp/bench14
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
from lumbopelvic.rhythm.metrics import onset_time
from lumbopelvic.rhythm.timing import time_to_progress

NOISE_SD = 4.0
SUSTAIN_S = 0.1
SEARCH_BEFORE_S = 1.0


def noise_floor_onset(raw: np.ndarray, t: np.ndarray, quiet: np.ndarray, start: int) -> float:
    """First time from ``start`` the angle leaves its quiet level by NOISE_SD x its noise."""
    level = np.nanmedian(raw[quiet])
    spread = max(float(np.nanstd(raw[quiet])), 0.2)
    out = np.abs(raw - level) > NOISE_SD * spread
    for i in range(start, len(t)):
        stop = np.searchsorted(t, t[i] + SUSTAIN_S)
        if np.isfinite(raw[i]) and out[i:stop].all():
            return float(t[i])
    return float("nan")


def hinge_onset(raw: np.ndarray, t: np.ndarray, start: int, stop: int) -> float:
    """Knee of the least-squares flat-then-linear fit over frames ``start:stop``."""
    y, x = raw[start:stop], t[start:stop]
    ok = np.isfinite(y)
    y, x = y[ok], x[ok]
    if len(y) < 6:
        return float("nan")
    best, knee = np.inf, float("nan")
    for t0 in x[1:-2]:
        ramp = np.maximum(0.0, x - t0)
        design = np.column_stack([np.ones_like(x), ramp])
        coef, *_ = np.linalg.lstsq(design, y, rcond=None)
        err = float(np.sum((design @ coef - y) ** 2))
        if err < best and coef[1] > 0:
            best, knee = err, float(t0)
    return knee


def phase_lags(angles: pd.DataFrame, rows: pd.DataFrame) -> list[dict[str, float]]:
    """Pelvis lag (ms) by each method for every flexion phase in ``rows``."""
    t = angles["time_s"].to_numpy(float)
    quiet = angles["standing"].to_numpy(bool) if "standing" in angles else t < 0.5
    lags = []
    for row in rows[rows["phase"] == "flexion"].itertuples():
        start = int(np.searchsorted(t, row.start_s - SEARCH_BEFORE_S))
        end = int(np.searchsorted(t, row.end_s)) + 1
        lag: dict[str, float] = {}
        onsets: dict[str, dict[str, float]] = {}
        for name in ("pelvis", "lumbar"):
            filtered = angles[f"{name}_deg"].to_numpy(float)
            raw = angles.get(f"{name}_raw_deg", angles[f"{name}_deg"]).to_numpy(float)
            half = time_to_progress(filtered[start:end], t[start:end], 0.5)
            half_i = int(np.searchsorted(t, half)) if np.isfinite(half) else end
            onsets[name] = {
                "velocity": onset_time(filtered[start:end], t[start:end], 1),
                "noise_floor": noise_floor_onset(raw, t, quiet, start),
                "hinge_fit": hinge_onset(raw, t, start, half_i),
            }
        for method in onsets["pelvis"]:
            lag[method] = 1000 * (onsets["pelvis"][method] - onsets["lumbar"][method])
        lags.append(lag)
    return lags


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    errors: dict[str, list[float]] = {}
    signs: dict[str, list[bool]] = {}
    for video in sorted(args.folder.glob("*.mp4")):
        truth = pd.read_csv(video.with_name(f"{video.stem}_truth.csv"))
        truth["confidence"] = 1.0
        measured = compute_angles(extract_pose(video, PoseSettings()).table)
        rows = analyse_rhythm(measured).reps
        true_rows = analyse_rhythm(truth).reps
        if rows["rep"].nunique() != true_rows["rep"].nunique():
            continue
        for got, want in zip(
            phase_lags(measured, rows), phase_lags(truth, true_rows), strict=False
        ):
            for method in got:
                errors.setdefault(method, []).append(abs(got[method] - want[method]))
                if abs(want[method]) > 100:
                    signs.setdefault(method, []).append(
                        np.sign(got[method]) == np.sign(want[method])
                    )
    print("| onset method | median abs lag error (ms) | worst (ms) | sign right (true > 100 ms) |")
    print("|---|---|---|---|")
    for method, values in errors.items():
        v = np.asarray(values, float)
        sign = np.mean(signs.get(method, [np.nan]))
        print(f"| {method} | {np.nanmedian(v):.0f} | {np.nanmax(v):.0f} | {100 * sign:.0f} % |")


if __name__ == "__main__":
    main()
