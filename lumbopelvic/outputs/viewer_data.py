"""The angle series the report's viewer draws, as JSON-ready lists (no file, no drawing).

Times are seconds on the video's own timeline (the annotated video keeps the source's
timestamps), angles degrees from quiet standing rounded to 0.1°. Pelvis and lumbar values
of low-confidence frames are None, as the annotated video hides them, and those frames are
also given as stretches to shade.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

SERIES_LABELS = {"trunk": "Trunk", "pelvis": "Pelvis", "lumbar": "Lower back"}


def _rounded(values: np.ndarray, decimals: int) -> list[float | None]:
    return [round(float(v), decimals) + 0.0 if np.isfinite(v) else None for v in values]


def low_confidence_stretches(times: np.ndarray, low: np.ndarray) -> list[list[float]]:
    """``[start_s, end_s]`` of each run of low-confidence frames (half a frame either side)."""
    if not low.any():
        return []
    half = float(np.median(np.diff(times))) / 2 if len(times) > 1 else 0.0
    edges = np.diff(np.r_[0, low.astype(int), 0])
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
    return [
        [round(times[a] - half, 3), round(times[b] + half, 3)]
        for a, b in zip(starts, stops, strict=True)
    ]


def viewer_data(
    angles: pd.DataFrame, reps: pd.DataFrame, split: bool, colours: dict[str, str]
) -> dict[str, Any]:
    """What the viewer's plot needs: times, the series, uncertain stretches, repetitions.

    Parameters
    ----------
    angles
        Angle table (``time_s``, ``trunk_deg``, ``pelvis_deg``, ``lumbar_deg``,
        ``low_confidence``).
    reps
        Repetition rows (``rep``, ``start_s``, ``end_s``).
    split
        Include pelvis and lumbar (False for a trial that is not analysable).
    colours
        CSS colour per series name (``trunk``, ``pelvis``, ``lumbar``).
    """
    times = angles["time_s"].to_numpy(float)
    low = (
        angles["low_confidence"].to_numpy(bool)
        if "low_confidence" in angles
        else np.zeros(len(times), bool)
    )
    names = ("trunk", "pelvis", "lumbar") if split else ("trunk",)
    series = []
    for name in names:
        values = angles[f"{name}_deg"].to_numpy(float)
        if name != "trunk":
            values = np.where(low, np.nan, values)
        series.append(
            {
                "name": name,
                "label": SERIES_LABELS[name],
                "colour": colours[name],
                "values": _rounded(values, 1),
            }
        )
    repetitions = [
        [
            round(float(group["start_s"].min()), 3),
            round(float(group["end_s"].max()), 3),
            f"repetition {rep}",
        ]
        for rep, group in (reps.groupby("rep") if len(reps) else ())
    ]
    return {
        "t": _rounded(times, 3),
        "series": series,
        "low": low_confidence_stretches(times, low) if split else [],
        "reps": repetitions,
    }
