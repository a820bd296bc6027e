"""What the annotated video of a walk shows: the step and its events, the cadence, the
motion the view shows, and a time plot of it with the heel strikes marked.

Measures the view can only read with low confidence are greyed and marked with ``?``
(:func:`lumbopelvic.gait.analysis.confidence`).
"""

from __future__ import annotations

import numpy as np

from lumbopelvic.gait.analysis import GaitResult
from lumbopelvic.outputs.annotated_video import Readouts
from lumbopelvic.outputs.style import (
    LUMBAR,
    PELVIS,
    PELVIS_RGB,
    TRUNK,
    TRUNK_RGB,
    UNCERTAIN_RGB,
)

# How long after a heel strike or toe off the video names it, seconds.
EVENT_LABEL_S = 0.25
# The series each view's readouts and plot show: (series column, words, confidence group).
VIEW_SERIES = {
    "side": [("trunk_lean_deg", "trunk lean", "trunk_forward_lean")],
    "front": [("pelvic_obliquity_deg", "hip line tilt", "pelvic_drop"),
              ("trunk_lateral_deg", "trunk side lean", "trunk_side_lean")],
}  # fmt: skip
VIEW_SERIES["back"] = VIEW_SERIES["front"]
PLOT_COLOURS = (PELVIS, LUMBAR, TRUNK)


def step_labels(times_s: np.ndarray, gait: GaitResult) -> list[str]:
    """Per-frame step labels (``"step 3 · left heel strike"``): the step under way and the
    latest event within :data:`EVENT_LABEL_S`; ``"not walking"`` outside the steps."""
    labels = []
    steps, events = gait.steps, gait.events
    for t in times_s:
        inside = steps[(steps["start_s"] <= t) & (steps["end_s"] > t)] if len(steps) else steps
        label = f"step {int(inside['step'].iloc[0])}" if len(inside) else "not walking"
        recent = events[(events["time_s"] <= t) & (events["time_s"] > t - EVENT_LABEL_S)]
        if len(recent):
            last = recent.iloc[-1]
            label += f" · {last['foot']} {last['event']}"
        labels.append(label)
    return labels


def _degrees(value: float, sure: bool) -> str:
    if not np.isfinite(value):
        return "  -"
    return f"{round(value) + 0:+d} deg" + ("" if sure else " ?")


def walking_readouts(gait: GaitResult) -> Readouts:
    """The annotated video's readouts and time plot for a walk (rows of ``gait.series``)."""
    series, summary = gait.series, gait.summary
    times = series["time_s"].to_numpy(float)
    view = summary["view"]["label"]
    levels = {group: level["level"] for group, level in summary["confidence"].items()}
    shown = VIEW_SERIES[view]
    cadence = summary["steps"]["cadence_steps_per_min"]
    cadence_text = f"cadence {cadence:.0f} steps/min" if cadence else "cadence  -"
    texts = []
    for i, label in enumerate(step_labels(times, gait)):
        lines = [(label, TRUNK_RGB), (cadence_text, TRUNK_RGB)]
        for column, words, group in shown:
            sure = levels.get(group) in ("good", "fair")
            value = float(series[column].iloc[i])
            colour = PELVIS_RGB if sure else UNCERTAIN_RGB
            lines.append((f"{words}  {_degrees(value, sure)}", colour))
        texts.append(lines)
    plotted = {
        words + ("" if levels.get(group) in ("good", "fair") else " (?)"): (
            series[column].to_numpy(float),
            colour,
        )
        for (column, words, group), colour in zip(shown, PLOT_COLOURS, strict=False)
    }
    marks = gait.events.loc[gait.events["event"] == "heel strike", "time_s"].to_numpy(float)
    walker = gait.walker["n_people"].to_numpy() > 0 if "n_people" in gait.walker else None
    skeleton = walker if walker is not None else np.ones(len(series), dtype=bool)
    return Readouts(texts, plotted, "deg", marks, skeleton)
