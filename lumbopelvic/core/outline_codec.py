"""The silhouette outline as text: ``"x,y x,y ..."`` integer pixel vertices in one CSV cell.

Pure string and array code, so the science that reads outlines (the back's profile) never
needs OpenCV; the outline itself is traced from the mask by :mod:`lumbopelvic.pose.silhouette`.
"""

from __future__ import annotations

import numpy as np


def encode_outline(outline: np.ndarray) -> str:
    """Serialise ``(n, 2)`` integer vertices as ``"x,y x,y ..."`` (empty string if none)."""
    return " ".join(f"{x},{y}" for x, y in np.asarray(outline, dtype=np.int64).reshape(-1, 2))


def decode_outline(text: str | float | None) -> np.ndarray:
    """Parse :func:`encode_outline`'s text back to ``(n, 2)`` int32 vertices.

    Empty strings, ``None`` and NaN (an empty CSV cell) give an empty ``(0, 2)`` array.
    """
    if not isinstance(text, str) or not text.strip():
        return np.empty((0, 2), np.int32)
    values = np.array(text.replace(",", " ").split(), dtype=np.int32)
    return values.reshape(-1, 2)
