"""One look for every output: segment colours, page style, and how figures are made.

Pelvis is always blue and lumbar always orange, in the video, the report, the comparison
page and the plots of the Python API; nothing else is drawn in those two colours. Figures
are made without pyplot (:func:`new_figure`), so drawing a report never changes the
matplotlib backend of the program using this package: a notebook keeps its inline plots.
"""

from __future__ import annotations

import base64
import io
from typing import Any

import numpy as np

PELVIS_RGB = (31, 119, 180)  # blue
LUMBAR_RGB = (255, 127, 14)  # orange
TRUNK_RGB = (40, 40, 40)
SKELETON_RGB = (235, 235, 235)
WARNING_RGB = (200, 30, 30)
UNCERTAIN_RGB = (150, 150, 150)  # a value too uncertain to read
BACKGROUND_RGB = (255, 255, 255)


def mpl_colour(rgb: tuple[int, int, int]) -> tuple[float, float, float]:
    """An 8-bit RGB colour as matplotlib's 0-1 floats."""
    return (rgb[0] / 255, rgb[1] / 255, rgb[2] / 255)


PELVIS = mpl_colour(PELVIS_RGB)
LUMBAR = mpl_colour(LUMBAR_RGB)
TRUNK = "0.2"
# Colour always means a segment; repetitions are told apart by shade of grey and marker.
REPETITION_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LOW_CONFIDENCE_SHADE = "0.85"
REFERENCE_SHADE = "0.85"
FIGURE_DPI = 110

PAGE_CSS = (
    "body{font-family:sans-serif;max-width:900px;margin:2em auto;color:#222}"
    "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;"
    "font-size:13px}th{background:#f3f3f3}.advice{background:#fff4e0;padding:.5em 1em}"
    f".pelvis{{color:rgb{PELVIS_RGB}}}.lumbar{{color:rgb{LUMBAR_RGB}}}img{{max-width:100%}}"
)


def new_figure(width_in: float, height_in: float, dpi: float = 100) -> Any:
    """A matplotlib Figure that belongs to no pyplot window and needs no backend switch."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width_in, height_in), dpi=dpi)


def figure_axes(ax: Any | None, width_in: float, height_in: float) -> Any:
    """``ax`` itself, or the axes of a new :func:`new_figure` when ``ax`` is None."""
    if ax is not None:
        return ax
    return new_figure(width_in, height_in).add_subplot()


def figure_png_base64(fig: Any) -> str:
    """The figure as a base64 PNG, for ``data:`` URIs in self-contained HTML."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=FIGURE_DPI, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode()


def figure_rgb(fig: Any) -> np.ndarray:
    """The figure rendered to an ``(height, width, 3)`` uint8 RGB array (for video overlays)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[:, :, :3].copy()
