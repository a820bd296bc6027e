"""The time plot drawn into the annotated video: pre-rendered once, pasted with a cursor.

The forward bend plots pelvis and lumbar angles (only where the split is sure); a walk plots
its own series with the heel strikes marked (:class:`lumbopelvic.outputs.annotated_video.Readouts`).
"""

from __future__ import annotations

import cv2
import numpy as np
import pandas as pd

from lumbopelvic.outputs.style import LUMBAR, PELVIS, WARNING_RGB, figure_rgb, new_figure

INSET_MIN_HEIGHT_PX = 90


def inset_size(width: int, height: int) -> tuple[int, int]:
    """``(width, height)`` in pixels of the time plot drawn into a ``width`` x ``height`` frame.

    A sixth of the height, but never under 90 pixels (a quarter of a small frame at most):
    below that a landscape video's plot loses its time labels.
    """
    return int(width * 0.92), max(int(height * 0.16), min(INSET_MIN_HEIGHT_PX, height // 4))


def time_plot(
    times: np.ndarray,
    pelvis: np.ndarray,
    lumbar: np.ndarray,
    size: tuple[int, int],
    y_limits: tuple[float, float] | None = None,
):
    """Pre-render the pelvis/lumbar time plot; returns (rgb image, function time -> x pixel).

    ``y_limits``: the angle axis's limits in degrees (two recordings shown side by side share
    them); matplotlib's own when None.
    """
    series = {"pelvis": (pelvis, PELVIS), "lumbar": (lumbar, LUMBAR)}
    return series_plot(times, series, size, "deg", y_limits)


def series_plot(
    times: np.ndarray,
    series: dict[str, tuple[np.ndarray, str]],
    size: tuple[int, int],
    unit: str,
    y_limits: tuple[float, float] | None = None,
    marks_s: np.ndarray | None = None,
):
    """Pre-render a time plot of ``series`` (name to values and colour) with ticks at
    ``marks_s``; returns (rgb image, function time -> x pixel)."""
    width, height = size
    fig = new_figure(width / 100, height / 100, dpi=100)
    ax = fig.add_axes((0.09, 0.2, 0.89, 0.72))
    for name, (values, colour) in series.items():
        ax.plot(times, values, color=colour, lw=2, label=name)
    for mark in marks_s if marks_s is not None else ():
        ax.axvline(mark, color="0.55", lw=0.8, alpha=0.7)
    ax.set_xlim(times[0], times[-1])
    if y_limits is not None:
        ax.set_ylim(*y_limits)
    ax.tick_params(labelsize=max(6, height // 22))
    ax.set_ylabel(unit, fontsize=max(6, height // 22))
    ax.legend(loc="upper right", fontsize=max(6, height // 22), frameon=False, ncol=2)
    ax.grid(alpha=0.3)
    image = figure_rgb(fig)
    x0 = ax.get_position().x0 * width
    x1 = ax.get_position().x1 * width
    span = max(times[-1] - times[0], 1e-9)

    def to_x(t: float) -> int:
        return round(x0 + (t - times[0]) / span * (x1 - x0))

    return image, to_x


def paste_time_plot(rgb: np.ndarray, plot: tuple[np.ndarray, object], time_s: float) -> np.ndarray:
    """``rgb`` (changed in place and returned) with the time plot at the bottom centre and a
    cursor at ``time_s`` (seconds)."""
    image, to_x = plot
    h, w = rgb.shape[:2]
    ph, pw = image.shape[:2]
    top = h - ph - 8
    rgb[top : top + ph, (w - pw) // 2 : (w - pw) // 2 + pw] = image
    x = (w - pw) // 2 + to_x(time_s)  # type: ignore[operator]
    thick = max(2, round(3 * min(w, h) / 720))
    cv2.line(rgb, (x, top + 4), (x, top + ph - 4), WARNING_RGB, max(1, thick // 2))
    return rgb


def split_series(angles: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Pelvis and lumbar angles (degrees) as the inset draws them: empty where uncertain."""
    pelvis, lumbar = angles["pelvis_deg"].to_numpy(float), angles["lumbar_deg"].to_numpy(float)
    if "low_confidence" in angles:
        uncertain = angles["low_confidence"].to_numpy(bool)
        pelvis, lumbar = np.where(uncertain, np.nan, pelvis), np.where(uncertain, np.nan, lumbar)
    return pelvis, lumbar
