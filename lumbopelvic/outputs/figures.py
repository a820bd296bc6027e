"""The plots of a rhythm analysis, for the report and for the Python API.

Each function draws into ``ax`` when given one (so a notebook can lay plots out with
``plt.subplots``) or into a new figure (:func:`lumbopelvic.outputs.style.new_figure`), and
returns the axes. Colours come from :mod:`lumbopelvic.outputs.style`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lumbopelvic.core.curves import CURVE_POINTS
from lumbopelvic.outputs.style import (
    LOW_CONFIDENCE_SHADE,
    LUMBAR,
    PELVIS,
    REFERENCE_SHADE,
    REPETITION_MARKERS,
    TRUNK,
    figure_axes,
)
from lumbopelvic.rhythm.references import (
    LUMBAR_CONTRIBUTION_BAND_LABEL,
    LUMBAR_CONTRIBUTION_BAND_PCT,
)

ANGLE_AXIS_LABEL = "flexion from standing (deg)"


def plot_angles(angles: pd.DataFrame, ax: Any | None = None, split: bool = True) -> Any:
    """Trunk, pelvis and lumbar flexion over time, low-confidence stretches shaded.

    Parameters
    ----------
    angles
        Angle table (``time_s``, ``trunk_deg``, ``pelvis_deg``, ``lumbar_deg`` and, if
        present, ``low_confidence``).
    ax
        Axes to draw into; a new 8 x 3 inch figure when None.
    split
        Draw pelvis and lumbar (False: the trunk alone, for a trial whose split is not
        supported).
    """
    ax = figure_axes(ax, 8, 3)
    t = angles["time_s"].to_numpy(float)
    ax.plot(t, angles["trunk_deg"], color=TRUNK, label="trunk bend")
    if split:
        ax.plot(t, angles["pelvis_deg"], color=PELVIS, label="pelvis tilt")
        ax.plot(t, angles["lumbar_deg"], color=LUMBAR, label="lower-back bend")
    if split and "low_confidence" in angles:
        low = angles["low_confidence"].to_numpy(bool)
        if low.any():
            ax.fill_between(
                t,
                0,
                1,
                where=low,
                transform=ax.get_xaxis_transform(),
                color=LOW_CONFIDENCE_SHADE,
                label="split uncertain",
            )
    ax.set_xlabel("time (s)")
    ax.set_ylabel(ANGLE_AXIS_LABEL)
    ax.legend(frameon=False, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.22))
    ax.grid(alpha=0.3)
    return ax


def plot_pelvis_vs_lumbar(angles: pd.DataFrame, reps: pd.DataFrame, ax: Any | None = None) -> Any:
    """Lumbar against pelvis flexion (degrees), one line per repetition, beside the diagonal
    where both give equal parts. A repetition the recording cuts shows its whole phases only.

    Colour keeps its meaning (the axes carry the pelvis blue and the lumbar orange);
    repetitions differ by shade of grey and by marker.
    """
    ax = figure_axes(ax, 4.2, 4.2)
    t = angles["time_s"].to_numpy(float)
    n = max(reps["rep"].nunique(), 1) if len(reps) else 1
    top = 1.0
    for i, (rep, group) in enumerate(reps.groupby("rep")):
        if "complete" in group:
            group = group[group["complete"].astype(bool)]
        if not len(group):
            continue
        sel = (t >= group["start_s"].min()) & (t <= group["end_s"].max())
        pelvis, lumbar = angles.loc[sel, "pelvis_deg"], angles.loc[sel, "lumbar_deg"]
        top = max(top, float(np.nanmax([pelvis.max(), lumbar.max(), 1.0])))
        shade = str(round(0.05 + 0.55 * i / max(n - 1, 1), 2))
        ax.plot(
            pelvis,
            lumbar,
            color=shade,
            lw=1.6,
            label=f"repetition {rep}",
            marker=REPETITION_MARKERS[i % len(REPETITION_MARKERS)],
            markevery=max(len(pelvis) // 8, 1),
            markersize=5,
        )
    top = 10 * np.ceil(top / 10)
    ax.plot([0, top], [0, top], ls="--", color="0.5", lw=1, label="equal parts")
    ax.set_xlabel("pelvis tilt (deg from standing)", color=PELVIS)
    ax.set_ylabel("lower-back bend (deg from standing)", color=LUMBAR)
    ax.set_xlim(min(0, ax.get_xlim()[0]), top)
    ax.set_ylim(min(0, ax.get_ylim()[0]), top)
    ax.set_aspect("equal")
    ax.text(
        0.04,
        0.96,
        "lower back does more",
        transform=ax.transAxes,
        va="top",
        fontsize=8,
        color=LUMBAR,
    )
    ax.text(
        0.96, 0.04, "pelvis does more", transform=ax.transAxes, ha="right", fontsize=8, color=PELVIS
    )
    ax.grid(alpha=0.3)
    ax.legend(frameon=False, fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3)
    return ax


def plot_share_curves(
    curves: dict[str, np.ndarray], phases: tuple[str, str], ax: Any | None = None
) -> Any:
    """Lumbar share of trunk flexion over each phase, beside the literature band.

    Parameters
    ----------
    curves
        ``"share_<phase>"`` -> ``(n_reps, 101)`` curves
        (:class:`lumbopelvic.rhythm.analysis.RhythmResult`).
    phases
        The going and returning phase names (solid and dashed lines).
    """
    ax = figure_axes(ax, 5, 3.2)
    x = np.linspace(0, 100, CURVE_POINTS)
    for phase, style in zip(phases, ("-", "--"), strict=True):
        for curve in curves.get(f"share_{phase}", []):
            ax.plot(x, curve, style, color=LUMBAR, alpha=0.7)
    ax.axhspan(
        *LUMBAR_CONTRIBUTION_BAND_PCT, color=REFERENCE_SHADE, label=LUMBAR_CONTRIBUTION_BAND_LABEL
    )
    ax.set_xlabel(f"% of phase (solid: {phases[0]}, dashed: {phases[1]})")
    ax.set_ylabel("lumbar share of trunk (%)")
    ax.set_ylim(0, 100)
    ax.legend(frameon=False, fontsize=8)
    ax.grid(alpha=0.3)
    return ax


def shared_limits(*series: np.ndarray, step_deg: float = 10.0) -> tuple[float, float]:
    """Angle-axis limits (degrees) that hold every value of every series, rounded outward to
    ``step_deg`` and always including 0: two recordings drawn on one scale."""
    values = np.concatenate([np.ravel(np.asarray(s, float)) for s in series] or [np.zeros(1)])
    values = values[np.isfinite(values)]
    lo, hi = (float(values.min()), float(values.max())) if len(values) else (0.0, step_deg)
    return (
        step_deg * np.floor(min(lo, 0.0) / step_deg),
        step_deg * np.ceil(max(hi, step_deg) / step_deg),
    )


def plot_phase_comparison(
    before: dict[str, Any],
    after: dict[str, Any],
    names: tuple[str, str],
    phase_words: str,
    y_limits: tuple[float, float],
    ax: Any | None = None,
    legend: bool = True,
) -> Any:
    """Pelvis and lumbar flexion over 0-100 % of one phase: mean over repetitions (line) and
    its spread (± 1 standard deviation, band), before solid and after dashed.

    Parameters
    ----------
    before, after
        ``"pelvis"`` / ``"lumbar"`` -> :class:`lumbopelvic.rhythm.phase_curves.PhaseCurves`.
    names
        The two recordings' labels.
    phase_words
        The phase in words, for the axis title (e.g. "bending down").
    y_limits
        Angle-axis limits, degrees (the same for every panel).
    legend
        Draw the legend under the axes (False: the caller draws one for several panels).
    """
    ax = figure_axes(ax, 4.6, 3.2)
    for curves, style, name in ((before, "-", names[0]), (after, "--", names[1])):
        for angle, colour, words in (
            ("pelvis", PELVIS, "pelvis"),
            ("lumbar", LUMBAR, "lower back"),
        ):
            found = curves[angle]
            if not len(found.curves):
                continue
            mean, spread = found.mean, found.spread
            ax.fill_between(
                found.percent,
                mean - spread,
                mean + spread,
                color=colour,
                alpha=0.12 if style == "-" else 0.07,
                lw=0,
            )
            ax.plot(
                found.percent,
                mean,
                style,
                color=colour,
                lw=2,
                label=f"{words}, {name} ({len(found.curves)})",
            )
    ax.set_xlim(0, 100)
    ax.set_ylim(*y_limits)
    ax.set_title(phase_words, fontsize=10)
    ax.set_xlabel("% of the phase")
    ax.set_ylabel(ANGLE_AXIS_LABEL)
    if legend:
        ax.legend(frameon=False, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2)
    ax.grid(alpha=0.3)
    return ax
