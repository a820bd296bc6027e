"""Build the landmark table from per-frame poses (pure: arrays in, a DataFrame out).

See :mod:`lumbopelvic.core.landmarks` for the columns and their conventions.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lumbopelvic.core.landmarks import landmark_columns
from lumbopelvic.core.outline_codec import encode_outline
from lumbopelvic.core.provenance import set_metadata
from lumbopelvic.pose.backend import FramePose


def pose_table(poses: list[FramePose], metadata: dict[str, Any]) -> pd.DataFrame:
    """Build the landmark table (one row per frame) from per-frame poses.

    Parameters
    ----------
    poses
        Per-frame results in decode order.
    metadata
        Provenance stored in ``attrs["lumbopelvic"]``; frame counts are added.
    """
    n = len(poses)
    values = np.stack([p.landmarks for p in poses]).reshape(n, -1) if n else np.empty((0, 264))
    table = pd.DataFrame(values, columns=landmark_columns())
    table.insert(0, "frame", np.array([p.index for p in poses], dtype=np.int64))
    table.insert(1, "time_s", np.array([p.time_s for p in poses], dtype=np.float64))
    table.insert(2, "n_people", np.array([p.n_people for p in poses], dtype=np.int64))
    table["silhouette_px"] = [encode_outline(p.outline) for p in poses]
    counts = np.array([p.n_people for p in poses])
    meta = dict(metadata)
    meta["frames"] = {
        "total": n,
        "with_person": int((counts > 0).sum()),
        "with_several_people": int((counts > 1).sum()),
        "with_outline": int(sum(len(p.outline) > 0 for p in poses)),
    }
    return set_metadata(table, meta)
