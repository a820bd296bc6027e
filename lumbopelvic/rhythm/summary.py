"""Trial-level rhythm summary (``summary.json``): what a researcher reads first.

Schema (version 1; every number carries its unit in its key)
-----------------------------------------------------------
- ``schema``: ``"lumbopelvic.summary"``, ``schema_version``: 1.
- ``task``; ``repetitions``: count found, ``complete`` count, and a ``message`` when none.
- ``phases``: for each phase with a direction (e.g. ``flexion``, ``return``), the mean, SD
  and coefficient of variation across the whole phases (the ``complete`` rows of
  ``reps.csv``: also the stand-up of a clip that starts seated) of every per-phase metric in
  ``reps.csv`` (``<metric>: {"mean": .., "sd": .., "cv_pct": .., "n": ..}``). Pelvis and
  lumbar metrics use only phases whose split is confident; ``phases_left_out_low_confidence``
  counts the others per phase.
- ``verdict``, ``verdict_reasons``, ``verdict_advice``, ``confident_share``: whether the
  trial can be analysed (:mod:`lumbopelvic.rhythm.verdict`).
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

from typing import Any

import numpy as np
import pandas as pd

from lumbopelvic.core.provenance import step_record
from lumbopelvic.core.version import __version__
from lumbopelvic.core.wording import plural
from lumbopelvic.rhythm.metrics import BENT_KNEE_DEG, deviation_phase_deg
from lumbopelvic.rhythm.references import LAG_NOTE, MEASUREMENT_ACCURACY, REFERENCE_BANDS
from lumbopelvic.rhythm.tasks import PHASE_NAMES
from lumbopelvic.rhythm.timing import TIMING_KEYS

DIRECTIONAL_METRICS = (
    "duration_s",
    "peak_trunk_deg",
    "peak_pelvis_deg",
    "peak_lumbar_deg",
    "peak_knee_deg",
    "peak_trunk_velocity_deg_s",
    "lumbar_contribution_pct",
    "lumbar_pelvis_ratio",
    "lumbar_contribution_0_30_pct",
    "lumbar_contribution_30_60_pct",
    "lumbar_contribution_60_90_pct",
    "lumbar_contribution_90_120_pct",
    "lumbar_pelvis_ratio_0_30",
    "lumbar_pelvis_ratio_30_60",
    "lumbar_pelvis_ratio_60_90",
    "lumbar_pelvis_ratio_90_120",
    "pelvis_lag_ms",
    *TIMING_KEYS,
)


def is_split_metric(metric: str) -> bool:
    """Whether a metric rests on the pelvis/lumbar split (and so on its confidence)."""
    return "pelvis" in metric or "lumbar" in metric


def spread_stats(values: pd.Series) -> dict[str, float | int | None]:
    """Mean, SD, coefficient of variation (%) and count of the values present (None where
    there are too few), rounded to 3 decimals."""
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
    whole = rows[rows["complete"]] if len(rows) else rows
    n_complete = int(rows.groupby("rep")["complete"].all().sum()) if len(rows) else 0
    phases: dict[str, dict[str, Any]] = {}
    left_out: dict[str, int] = {}
    for name in (names[0], names[2]):
        phase_rows = whole[whole["phase"] == name] if len(whole) else whole
        # Pelvis and lumbar figures come only from phases whose split is confident.
        if len(phase_rows):
            confident = phase_rows[~phase_rows["low_confidence"].astype(bool)]
        else:
            confident = phase_rows
        left_out[name] = int(len(phase_rows) - len(confident))
        phases[name] = {
            m: spread_stats((confident if is_split_metric(m) else phase_rows)[m])
            for m in DIRECTIONAL_METRICS
            if m in phase_rows
        }
    flags = []
    if n_reps == 0:
        flags.append(f"no {task} repetition was found in this recording")
    if n_reps and n_complete < n_reps:
        partial = whole[whole["phase"].isin((names[0], names[2]))] if len(whole) else whole
        cut = rows[
            ~rows["rep"].isin(rows.groupby("rep")["complete"].all().pipe(lambda ok: ok[ok].index))
        ]
        kept = partial[partial["rep"].isin(cut["rep"])]
        flags.append(
            f"{plural(n_reps - n_complete, 'repetition')} cut off by the start or end of the "
            "recording"
            + (
                "; their whole phases are analysed ("
                + ", ".join(f"rep {r.rep} {r.phase}" for r in kept.itertuples())
                + ")"
                if len(kept)
                else ""
            )
        )
    if len(rows) and (rows["peak_knee_deg"] > BENT_KNEE_DEG).any() and task == "forward-bend":
        flags.append(
            f"knees bent more than {BENT_KNEE_DEG:.0f}° during a bend: "
            "the pelvis/hip picture changes"
        )
    if sum(left_out.values()):
        flags.append(
            f"{plural(sum(left_out.values()), 'phase')} with a low-confidence pelvis/lumbar split"
            " left out of the pelvis and lumbar figures (see reps.csv low_confidence)"
        )
    if n_reps:
        flags.append(LAG_NOTE)
    standing = angle_meta.get("standing", {})
    if standing.get("fallback") and n_reps:
        flags.append(f"no quiet standing before the first bend; baseline: {standing.get('method')}")
    sure = rows[~rows["low_confidence"].astype(bool)] if len(rows) else rows
    marp = sure.groupby("rep")["marp_deg"].first() if len(sure) else pd.Series(dtype=float)
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
        "phases_left_out_low_confidence": left_out,
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
        "stickers": angle_meta.get("stickers"),
        "provenance": {
            "package_version": __version__,
            "input": angle_meta.get("source", {}).get("video", {}),
            "pose_model": angle_meta.get("source", {}).get("model", {}),
            "pose_settings": angle_meta.get("source", {}).get("settings", {}),
            "angle_settings": angle_meta.get("settings", {}),
            "rhythm_settings": rhythm_settings,
            "pelvis_model": angle_meta.get("pelvis_model", {}),
            "history": [
                *angle_meta.get("history", []),
                step_record("rhythm", settings=rhythm_settings, repetitions=n_reps),
            ],
        },
    }
