"""Errors of measured angles against known truth (a synthetic render's truth table).

Used by ``lumbopelvic validate`` (:mod:`lumbopelvic.workflows.validate`) and the benchmarks.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from lumbopelvic.kinematics.settings import LOW_CONFIDENCE

COMPARED = ("trunk", "pelvis", "lumbar")
# Compared as well where both tables have them (every render's truth does).
ALSO_COMPARED = ("hip", "knee")
# "Near the bottom of each bend": frames where the true trunk flexion is within 10 % of the
# clip's deepest flexion.
BOTTOM_FRACTION = 0.9


def _rmse(a: np.ndarray, b: np.ndarray) -> float:
    ok = ~np.isnan(a) & ~np.isnan(b)
    return float(np.sqrt(np.mean((a[ok] - b[ok]) ** 2))) if ok.any() else float("nan")


def compare_with_truth(angles: pd.DataFrame, truth: pd.DataFrame) -> dict[str, float]:
    """Errors of one clip's angles against its truth table (matched by frame index).

    Returns
    -------
    dict
        ``<angle>_rmse_deg`` and ``<angle>_peak_error_deg`` (measured minus true maximum) for
        trunk, pelvis and lumbar, and for hip and knee where both tables have them;
        ``lumbar_share_error_pp`` (percentage points, measured minus true lumbar/trunk near
        the bottom of the bends); ``coverage`` (fraction of frames with
        a pelvis/lumbar value and confidence at least
        :data:`~lumbopelvic.kinematics.settings.LOW_CONFIDENCE`);
        ``half_share_lumbar_rmse_deg``, the lumbar RMSE of a naive estimate that always calls
        half of the measured trunk lumbar (a yardstick: the split must beat it to carry
        information).
    """
    merged = truth.merge(angles, on="frame", suffixes=("_true", ""))
    result: dict[str, float] = {}
    also = [n for n in ALSO_COMPARED if f"{n}_deg" in truth and f"{n}_deg" in angles]
    for name in (*COMPARED, *also):
        est, true = (
            merged[f"{name}_deg"].to_numpy(float),
            merged[f"{name}_deg_true"].to_numpy(float),
        )
        result[f"{name}_rmse_deg"] = _rmse(est, true)
        result[f"{name}_peak_error_deg"] = float(np.nanmax(est) - np.nanmax(true))
    true_trunk = merged["trunk_deg_true"].to_numpy(float)
    bottom = true_trunk >= BOTTOM_FRACTION * np.nanmax(true_trunk)
    with np.errstate(all="ignore"):
        est_share = merged["lumbar_deg"].to_numpy(float) / merged["trunk_deg"].to_numpy(float)
        true_share = merged["lumbar_deg_true"].to_numpy(float) / true_trunk
    result["lumbar_share_error_pp"] = float(
        100 * (np.nanmean(est_share[bottom]) - np.nanmean(true_share[bottom]))
    )
    result["coverage"] = float(
        (merged["lumbar_deg"].notna() & (merged["confidence"] >= LOW_CONFIDENCE)).mean()
    )
    result["half_share_lumbar_rmse_deg"] = _rmse(
        merged["trunk_deg"].to_numpy(float) / 2, merged["lumbar_deg_true"].to_numpy(float)
    )
    return result


def summarise(per_case: pd.DataFrame) -> pd.DataFrame:
    """Median over cases and worst case of each error.

    Signed errors (peaks, lumbar share) are summarised by their absolute values, so a median
    never looks small because over- and under-estimates cancel; ``worst`` is the largest
    absolute error (smallest coverage). With ``reps_true`` and ``reps_found`` columns, the
    share of cases whose repetition count is exact is added (``repetitions_exact_pct``); with
    ``counted_true`` and ``counted_found`` (what the task counts: lifts, stands),
    ``counted_exact_pct``; with ``stands_true`` and ``stands_found`` (sit-to-stand cases),
    ``stands_exact_pct`` (whole stands) over the cases that have them.
    """
    pairs = (
        ("reps_true", "reps_found"),
        ("counted_true", "counted_found"),
        ("stands_true", "stands_found"),
    )
    counts = [c for pair in pairs for c in pair if c in per_case]
    numeric = per_case.drop(columns=counts).select_dtypes("number").abs()
    summary = pd.DataFrame({"median": numeric.median(), "worst": numeric.max()})
    summary.loc["coverage", "worst"] = numeric["coverage"].min()
    for (true, found), name in zip(pairs, ("repetitions", "counted", "stands"), strict=True):
        if true in per_case and found in per_case:
            scored = per_case[per_case[true].notna()]
            exact = 100.0 * float((scored[true] == scored[found]).mean())
            summary.loc[f"{name}_exact_pct"] = [exact, exact]
    return summary


# Confidence bins of the reliability table (lower edges; the last bin includes 1).
CONFIDENCE_BINS = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9)
# The reliability table reads frames of movement: standing frames are near zero by
# construction (the standing baseline), so their small errors would flatter every bin.
MOVING_TRUNK_DEG = 20.0


def frame_errors(angles: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """Per-frame absolute errors (degrees) of trunk, pelvis and lumbar with their confidence.

    Columns: ``frame``, ``confidence`` (the split's), ``trunk_confidence``,
    ``true_trunk_deg``, and ``<angle>_abs_error_deg`` (NaN where the angle was not measured).
    """
    merged = truth.merge(angles, on="frame", suffixes=("_true", ""))
    out = pd.DataFrame(
        {
            "frame": merged["frame"].to_numpy(),
            "confidence": merged["confidence"].to_numpy(float),
            "trunk_confidence": merged.get("trunk_confidence", merged["confidence"]).to_numpy(
                float
            ),
            "true_trunk_deg": merged["trunk_deg_true"].to_numpy(float),
        }
    )
    for name in COMPARED:
        error = merged[f"{name}_deg"].to_numpy(float) - merged[f"{name}_deg_true"].to_numpy(float)
        out[f"{name}_abs_error_deg"] = np.abs(error)
    return out


def reliability_table(frames: pd.DataFrame, moving_deg: float = MOVING_TRUNK_DEG) -> pd.DataFrame:
    """Error against confidence: per confidence bin of the split, the number of frames with a
    pelvis value and the median and 90th-percentile absolute pelvis and lumbar errors, over
    the frames where the true trunk is flexed at least ``moving_deg`` (the movement).

    A confidence that predicts error shows errors growing as confidence falls.
    """
    frames = frames[frames["true_trunk_deg"] >= moving_deg]
    edges = [*CONFIDENCE_BINS, 1.0 + 1e-9]
    rows = []
    for lo, hi in itertools.pairwise(edges):
        inside = frames[(frames["confidence"] >= lo) & (frames["confidence"] < hi)]
        rows.append(_error_row(f"{lo:.1f}-{min(hi, 1.0):.1f}", inside))
    confident = frames[frames["confidence"] >= LOW_CONFIDENCE]
    rows.append(_error_row(f">={LOW_CONFIDENCE:.1f}", confident))
    return pd.DataFrame(rows)


def _error_row(label: str, frames: pd.DataFrame) -> dict[str, float | str | int]:
    seen = frames[frames["pelvis_abs_error_deg"].notna()]
    row: dict[str, float | str | int] = {"confidence": label, "frames": len(seen)}
    for name in ("pelvis", "lumbar"):
        errors = seen[f"{name}_abs_error_deg"]
        row[f"{name}_median_deg"] = float(errors.median()) if len(errors) else np.nan
        row[f"{name}_p90_deg"] = float(errors.quantile(0.9)) if len(errors) else np.nan
    return row
