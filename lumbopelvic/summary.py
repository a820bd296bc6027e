"""Trial-level rhythm summary (``summary.json``): what a researcher reads first.

Schema (version 1; every number carries its unit in its key)
-----------------------------------------------------------
- ``schema``: ``"lumbopelvic.summary"``, ``schema_version``: 1.
- ``task``; ``repetitions``: count found, ``complete`` count, and a ``message`` when none.
- ``phases``: for each phase with a direction (e.g. ``flexion``, ``return``), the mean, SD
  and coefficient of variation across complete repetitions of every per-phase metric in
  ``reps.csv`` (``<metric>: {"mean": .., "sd": .., "cv_pct": .., "n": ..}``).
- ``coordination``: ``marp_deg`` (mean absolute relative phase, mean over repetitions) and
  ``deviation_phase_deg`` (SD of CRP across repetitions, averaged over the normalised
  repetition).
- ``flags``: plain statements about the trial (bent knees, low confidence, fallback baseline,
  incomplete repetitions).
- ``measurement_accuracy``: median errors of this software measured on synthetic truth.
- ``reference_bands``: the literature values shown beside results, each with its citation;
  context, never targets.
- ``quality``: capture quality and confidence from the angle step.
- ``provenance``: package version, input file name and SHA-256, pose model, every setting of
  every step, processing history.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lumbopelvic import __version__
from lumbopelvic.atomic import atomic_path, write_text_atomic
from lumbopelvic.repetitions import PHASE_NAMES
from lumbopelvic.rhythm import BENT_KNEE_DEG, deviation_phase_deg

REFERENCE_BANDS: list[dict[str, Any]] = [
    {
        "source": "Esola et al. 1996 (optoelectronic, n=41)",
        "peak_trunk_deg": 111, "peak_lumbar_deg": 41.6, "peak_hip_deg": 69.4,
        "lumbar_hip_ratio": {"0_30": 1.9, "30_60": 0.9, "60_90": 0.4},
    },
    {
        "source": "Tafazzol et al. 2014 (IMU, 8 healthy men)",
        "peak_trunk_deg": 121, "peak_lumbar_deg": 60.2, "peak_pelvis_deg": 53.0,
        "lumbar_pelvis_ratio": {"flexion_early": 2.51, "flexion_90_120": 1.34,
                                "return_early": 1.23, "return_late": 2.86},
    },
    {
        "source": "Laird et al. 2019 (IMU, 126 without / 140 with chronic low back pain)",
        "peak_trunk_deg": {"no_lbp": 111, "lbp": 93},
        "peak_lumbar_deg": {"no_lbp": 52, "lbp": 46},
        "peak_pelvis_deg": {"no_lbp": 59, "lbp": 48},
    },
    {
        "source": "Laird et al. 2016 (IMU, n=63)",
        "lumbar_contribution_pct": {"no_lbp": 51.3, "lbp": 45.8},
        "minimal_detectable_change_90": {
            "lumbar_contribution_pp": [8, 15], "range_of_motion_deg": [5, 15],
        },
    },
    {
        "source": "Thomas & Gibson 2007 (reaching)",
        "pelvis_lag_ms": {"flexion": 49, "return": -63},
        "note": "spine onset leads the hip by ~49 ms going down; the hip leads by ~63 ms coming up",
    },
]  # fmt: skip

# Median absolute errors measured on the 14-case synthetic benchmark with the packaged pose
# and pelvis models (bench/ACCURACY.md, 2026-11-24); shown so no figure is read more precisely
# than it was measured. Re-measure and update together with the models.
MEASUREMENT_ACCURACY = {
    "source": "bench/ACCURACY.md, 14 rendered benchmark cases, pose model full, 2026-11-24",
    "trunk_rmse_deg": 1.6,
    "pelvis_rmse_deg": 4.8,
    "lumbar_rmse_deg": 6.7,
    "lumbar_contribution_error_pp": 7.9,
    "pelvis_lag_error_ms": 244,
    "repetition_count_exact_pct": 100,
}
LAG_NOTE = (
    "pelvis lag is not reliably measured yet (median error ~240 ms on rendered bends): "
    "treat it as low confidence"
)

DIRECTIONAL_METRICS = (
    "duration_s", "peak_trunk_deg", "peak_pelvis_deg", "peak_lumbar_deg", "peak_knee_deg",
    "peak_trunk_velocity_deg_s", "lumbar_contribution_pct", "lumbar_pelvis_ratio",
    "lumbar_contribution_0_30_pct", "lumbar_contribution_30_60_pct",
    "lumbar_contribution_60_90_pct", "lumbar_contribution_90_120_pct",
    "lumbar_pelvis_ratio_0_30", "lumbar_pelvis_ratio_30_60", "lumbar_pelvis_ratio_60_90",
    "lumbar_pelvis_ratio_90_120", "pelvis_lag_ms",
)  # fmt: skip


def _spread(values: pd.Series) -> dict[str, float | int | None]:
    v = values.dropna().to_numpy(float)
    if not len(v):
        return {"mean": None, "sd": None, "cv_pct": None, "n": 0}
    mean = float(np.mean(v))
    sd = float(np.std(v, ddof=1)) if len(v) > 1 else None
    cv = 100 * sd / abs(mean) if sd is not None and abs(mean) > 1e-9 else None
    return {"mean": round(mean, 3), "sd": _r(sd), "cv_pct": _r(cv), "n": len(v)}


def _r(x: float | None) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), 3)


def build_summary(
    rows: pd.DataFrame,
    crp: np.ndarray,
    task: str,
    angle_meta: dict[str, Any],
    rhythm_settings: dict[str, Any],
) -> dict[str, Any]:
    """Assemble ``summary.json`` (see the module docstring for the schema)."""
    names = PHASE_NAMES[task]
    n_reps = int(rows["rep"].nunique()) if len(rows) else 0
    complete = rows[rows["complete"]] if len(rows) else rows
    n_complete = int(complete["rep"].nunique()) if len(complete) else 0
    phases = {}
    for name in (names[0], names[2]):
        phase_rows = complete[complete["phase"] == name] if len(complete) else complete
        phases[name] = {m: _spread(phase_rows[m]) for m in DIRECTIONAL_METRICS if m in phase_rows}
    flags = []
    if n_reps == 0:
        flags.append(f"no {task} repetition was found in this recording")
    if n_reps and n_complete < n_reps:
        flags.append(
            f"{n_reps - n_complete} repetition(s) cut off by the start or end of the recording"
        )
    if len(rows) and (rows["peak_knee_deg"] > BENT_KNEE_DEG).any() and task == "forward-bend":
        flags.append(
            f"knees bent more than {BENT_KNEE_DEG:.0f}° during a bend: "
            "the pelvis/hip picture changes"
        )
    if len(rows) and rows["low_confidence"].any():
        flags.append(
            "some phases rest on low-confidence pelvis/lumbar angles (see reps.csv low_confidence)"
        )
    if n_reps:
        flags.append(LAG_NOTE)
    standing = angle_meta.get("standing", {})
    if standing.get("fallback"):
        flags.append(f"no quiet standing before the first bend; baseline: {standing.get('method')}")
    marp = rows.groupby("rep")["marp_deg"].first() if len(rows) else pd.Series(dtype=float)
    return {
        "schema": "lumbopelvic.summary",
        "schema_version": 1,
        "task": task,
        "repetitions": {
            "found": n_reps,
            "complete": n_complete,
            "message": flags[0] if n_reps == 0 else None,
        },
        "phases": phases,
        "coordination": {
            "marp_deg": _r(float(marp.mean())) if marp.notna().any() else None,
            "deviation_phase_deg": _r(deviation_phase_deg(crp)),
        },
        "flags": flags,
        "units": "degrees, seconds, milliseconds, percent: named in every key",
        "conventions": angle_meta.get("conventions"),
        "measurement_accuracy": MEASUREMENT_ACCURACY,
        "reference_bands": REFERENCE_BANDS,
        "quality": angle_meta.get("quality", {}),
        "provenance": {
            "package_version": __version__,
            "input": angle_meta.get("source", {}).get("video", {}),
            "pose_model": angle_meta.get("source", {}).get("model", {}),
            "pose_settings": angle_meta.get("source", {}).get("settings", {}),
            "angle_settings": angle_meta.get("settings", {}),
            "rhythm_settings": rhythm_settings,
            "pelvis_model": angle_meta.get("pelvis_model", {}),
            "history": [*angle_meta.get("history", []), {"step": "rhythm", "task": task}],
        },
    }


def analyse_rhythm(
    angles: pd.DataFrame, task: str = "forward-bend"
) -> tuple[pd.DataFrame, dict[str, Any], dict[str, np.ndarray]]:
    """Repetitions, per-phase metrics and the trial summary from an angle table.

    Returns
    -------
    rows
        ``reps.csv``: one row per repetition and phase.
    summary
        ``summary.json`` content.
    curves
        Lumbar share and relative phase curves per repetition (101 points each).
    """
    from lumbopelvic.repetitions import DRIVER, find_repetitions
    from lumbopelvic.rhythm import repetition_rows

    driver = angles[f"{DRIVER[task]}_deg"].to_numpy(float)
    if DRIVER[task] == "knee" and np.isfinite(driver).any():
        # A squat or sit-to-stand recording may start seated or crouched, so the standing
        # baseline can be bent knees: measure knee excursions from the straightest knee.
        driver = driver - np.nanpercentile(driver, 2)
    reps = find_repetitions(driver, task)
    rows, curves = repetition_rows(angles, reps, task)
    meta = angles.attrs.get("lumbopelvic", {})
    settings = {"task": task, "driver_angle": DRIVER[task]}
    return rows, build_summary(rows, curves["crp"], task, meta, settings), curves


def save_rhythm(
    rows: pd.DataFrame, summary: dict[str, Any], out_dir: str | os.PathLike[str]
) -> dict[str, Path]:
    """Write ``reps.csv`` and ``summary.json`` atomically into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"reps": out / "reps.csv", "summary": out / "summary.json"}
    with atomic_path(paths["reps"]) as tmp:
        rows.to_csv(tmp, index=False, float_format="%.4g")
    write_text_atomic(paths["summary"], json.dumps(summary, indent=2, default=_json_default) + "\n")
    return paths


def _json_default(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
