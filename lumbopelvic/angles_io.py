"""Write the angle table: ``angles.csv`` plus its provenance in ``angles.json``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from lumbopelvic.atomic import atomic_path, write_text_atomic
from lumbopelvic.landmark_table import table_metadata


def save_angles(angles: pd.DataFrame, out_dir: str | os.PathLike[str]) -> dict[str, Path]:
    """Write ``angles.csv`` and ``angles.json`` atomically into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"angles": out / "angles.csv", "angles_meta": out / "angles.json"}
    with atomic_path(paths["angles"]) as tmp:
        angles.to_csv(tmp, index=False, float_format="%.4g")
    write_text_atomic(paths["angles_meta"], json.dumps(table_metadata(angles), indent=2) + "\n")
    return paths
