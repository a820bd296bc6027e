"""The plots of a walking analysis: pelvis and trunk over the stride, and each step's time.

Drawn like :mod:`lumbopelvic.outputs.figures` (no pyplot, grey shades, light grid). Left and
right strides are drawn apart: a stride starts and ends with one foot's heel strike, and the
pelvis and trunk swing one way for a left stride and the other way for a right one, so an
average over both would cancel the very motion it should show.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lumbopelvic.core.curves import CURVE_POINTS
from lumbopelvic.outputs.style import figure_axes, new_figure

# Foot -> (line style, grey level, band hatch, marker): the left band is filled, the right
# one hatched, so that where they overlap both stay readable.
FOOT_STYLES = {"left": ("-", "0.1", "", "o"), "right": ("--", "0.45", "////", "s")}
LOW_FACE = "0.95"
LOW_INK = "0.45"


@dataclass(frozen=True)
class CurvePanel:
    """One panel of :func:`plot_stride_curves`.

    Attributes
    ----------
    column
        A column of the walk's per-frame series (:func:`lumbopelvic.gait.series.gait_series`).
    title
        What the panel shows, in words.
    unit
        The value axis label (with the sign convention).
    scale
        Factor from the column's unit to the axis unit (100: body heights to %).
    low
        Low confidence: the panel is greyed and its title says so.
    """

    column: str
    title: str
    unit: str
    scale: float = 1.0
    low: bool = False


def mean_and_spread(curves: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Mean and standard deviation across strides at each % of the stride, and how many
    strides had values; strides without any value are left out.

    Parameters
    ----------
    curves
        ``(n_strides, 101)`` stride-normalised curves.
    """
    kept = curves[np.isfinite(curves).any(axis=1)] if len(curves) else curves
    if not len(kept):
        empty = np.full(curves.shape[1] if curves.ndim == 2 else 101, np.nan)
        return empty, empty, 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(kept, axis=0)
        spread = np.nanstd(kept, axis=0, ddof=1) if len(kept) > 1 else np.zeros_like(mean)
    return mean, np.nan_to_num(spread), len(kept)


def plot_stride_curves(
    curves: dict[str, np.ndarray], feet: Sequence[str], panels: Sequence[CurvePanel]
) -> Any:
    """One panel per measure over 0-100 % of the stride: the mean of the left and of the
    right strides (lines) and their spread (± 1 SD, bands).

    Parameters
    ----------
    curves
        Series column -> ``(n_strides, 101)`` (:class:`lumbopelvic.gait.analysis.GaitResult`).
    feet
        The foot of each stride (``"left"`` or ``"right"``), in the curves' row order.
    panels
        What to draw, in order.

    Returns
    -------
    matplotlib.figure.Figure
    """
    ncols = min(len(panels), 2)
    nrows = -(-len(panels) // ncols)
    fig = new_figure(8.6, 3.0 * nrows if ncols > 1 else 3.2)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    percent = np.linspace(0, 100, CURVE_POINTS)
    side = np.asarray(feet)
    legend: dict[str, tuple[Any, str]] = {}
    for ax, panel in zip(axes, panels, strict=False):
        for foot, (style, grey, hatch, _) in FOOT_STYLES.items():
            mean, spread, n = mean_and_spread(curves[panel.column][side == foot])
            if not n:
                continue
            mean, spread = mean * panel.scale, spread * panel.scale
            band = ax.fill_between(
                percent,
                mean - spread,
                mean + spread,
                lw=0,
                hatch=hatch,
                facecolor="none" if hatch else grey,
                edgecolor=grey,
                alpha=0.5 if hatch else 0.2,
            )
            (line,) = ax.plot(percent, mean, style, color=grey, lw=2)
            if foot not in legend:
                legend[foot] = ((line, band), f"{foot} strides ({n}): average ± 1 SD")
        ax.axhline(0, color="0.6", lw=0.8)
        ax.set_xlim(0, 100)
        ax.set_xlabel("% of the stride (heel strike to heel strike)")
        ax.set_ylabel(panel.unit, fontsize=8)
        title = panel.title + (": low confidence" if panel.low else "")
        ax.set_title(title, fontsize=10, color=LOW_INK if panel.low else "0.1")
        if panel.low:
            ax.set_facecolor(LOW_FACE)
        ax.grid(alpha=0.3)
    for ax in axes[len(panels) :]:
        ax.remove()
    fig.legend(
        [h for h, _ in legend.values()],
        [text for _, text in legend.values()],
        frameon=False,
        fontsize=8,
        ncol=2,
        loc="lower center",
    )
    fig.tight_layout(rect=(0, 0.1 / nrows, 1, 1))
    return fig


def plot_step_times(steps: pd.DataFrame, ax: Any | None = None) -> Any:
    """Each step's time in walking order, by the foot that ended it, with the average.

    A gap in the line is a break between walking bouts (a stop, a turn, a missed step).

    Parameters
    ----------
    steps
        ``steps.csv`` (:func:`lumbopelvic.gait.strides.steps_table`).
    ax
        Axes to draw into; a new 8 x 2.2 inch figure when None.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = figure_axes(ax, 8, 2.2)
    for _, bout in steps.groupby("bout"):
        ax.plot(bout["step"], bout["step_time_s"], color="0.7", lw=1, zorder=1)
    for foot, (_, grey, _, marker) in FOOT_STYLES.items():
        mine = steps[steps["foot"] == foot]
        if len(mine):
            ax.scatter(
                mine["step"],
                mine["step_time_s"],
                color=grey,
                marker=marker,
                s=28,
                zorder=2,
                label=f"ends with the {foot} heel strike",
            )
    if len(steps):
        mean = float(steps["step_time_s"].mean())
        ax.axhline(mean, ls=":", color="0.3", lw=1, label=f"average {mean:.2f} s")
        top = float(steps["step_time_s"].max())
        ax.set_ylim(0, max(top * 1.25, 0.1))
        ax.set_xticks(steps["step"].to_numpy()[:: max(1, len(steps) // 20)])
    ax.set_xlabel("step, in walking order")
    ax.set_ylabel("step time (s)")
    ax.grid(alpha=0.3)
    ax.legend(frameon=False, fontsize=8, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.3))
    return ax
