"""Curves over a normalised cycle (a repetition's phase, a stride), and their tidy table.

A curve samples one measure at :data:`CURVE_POINTS` points over 0-100 % of a cycle; an
analysis keeps them as ``{name: (n_cycles, CURVE_POINTS)}`` arrays (the lumbar share over
each phase and the relative phase of every repetition; each walking series over every
stride). ``curves.csv`` stores them long and tidy, one row per point: ``curve`` (the name),
``cycle`` (1-based repetition or stride number), ``percent`` (0-100) and ``value`` (the
measure's own unit, named by the curve), so reading a result back never re-runs the analysis.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CURVE_POINTS = 101
CURVE_COLUMNS = ("curve", "cycle", "percent", "value")


def empty_curves() -> np.ndarray:
    """No cycle's curve: a ``(0, CURVE_POINTS)`` array."""
    return np.empty((0, CURVE_POINTS))


def curves_table(curves: dict[str, np.ndarray]) -> pd.DataFrame:
    """The tidy table of ``curves`` (see the module docstring); a name without cycles has no
    rows."""
    percent = np.linspace(0, 100, CURVE_POINTS)
    parts = [
        pd.DataFrame(
            {
                "curve": name,
                "cycle": np.repeat(np.arange(1, len(values) + 1), CURVE_POINTS),
                "percent": np.tile(percent, len(values)),
                "value": np.asarray(values, float).reshape(-1),
            }
        )
        for name, values in curves.items()
        if len(values)
    ]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=CURVE_COLUMNS)


def curves_from_table(table: pd.DataFrame) -> dict[str, np.ndarray]:
    """The curves of a tidy table, each ``(n_cycles, CURVE_POINTS)`` in cycle order.

    Raises
    ------
    ValueError
        When a curve does not hold :data:`CURVE_POINTS` points for each cycle.
    """
    missing = [c for c in CURVE_COLUMNS if c not in table]
    if missing:
        raise ValueError(f"a curve table needs the columns {', '.join(missing)}")
    out = {}
    for name, rows in table.groupby("curve", sort=False):
        rows = rows.sort_values(["cycle", "percent"], kind="stable")
        values = rows["value"].to_numpy(float)
        if len(values) % CURVE_POINTS:
            raise ValueError(f"curve {name} does not hold {CURVE_POINTS} points per cycle")
        out[str(name)] = values.reshape(-1, CURVE_POINTS)
    return out
