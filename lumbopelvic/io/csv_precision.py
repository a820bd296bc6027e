"""How many decimals each column keeps in a CSV: set by its unit, never by its magnitude.

Significant-digit formats (``%.4g``) lose time as recordings get longer: past 100 s a
timestamp would keep only 0.1 s. Columns are instead rounded to fixed decimals by the unit in
their name, and written with the shortest text that reads back to the rounded value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Column-name suffix -> decimals kept. Times keep microseconds, so millisecond timing holds at
# any recording length; angles keep 0.0001 degrees (the measurement is good to ~1 degree).
DECIMALS_BY_SUFFIX = (
    ("_s", 6),
    ("_ms", 3),
    ("_px", 3),
    ("_m", 6),
)
DEFAULT_DECIMALS = 4


def decimals_for(column: str) -> int:
    """Decimals kept for a column, from the unit suffix of its name."""
    for suffix, decimals in DECIMALS_BY_SUFFIX:
        if column.endswith(suffix):
            return decimals
    return DEFAULT_DECIMALS


def rounded_for_csv(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` with every float column rounded to :func:`decimals_for` decimals."""
    floats = [c for c in table.columns if pd.api.types.is_float_dtype(table[c])]
    if not floats:
        return table
    rounded = table.copy()
    for column in floats:
        rounded[column] = np.round(rounded[column].to_numpy(float), decimals_for(str(column)))
    return rounded
