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
    "front": [
        ("pelvic_obliquity_deg", "hip line tilt", "pelvic_drop"),
        ("trunk_lateral_deg", "trunk side lean", "trunk_side_lean"),
    ],
}
VIEW_SERIES["back"] = VIEW_SERIES["front"]
PLOT_COLOURS = (PELVIS, LUMBAR, TRUNK)


def step_labels(times_s: np.ndarray, gait: GaitResult) -> list[str]:
    """Per-frame step labels (``"step 3 · left heel strike"``): the step under way and the
    latest event within :data:`EVENT_LABEL_S`; ``"not walking"`` outside the steps."""
    steps, events = gait.steps, gait.events
    starts, ends = steps["start_s"].to_numpy(float), steps["end_s"].to_numpy(float)
    numbers = steps["step"].to_numpy(int)
    # Steps follow one another without overlap, and events are in time order.
    step = np.searchsorted(starts, times_s, side="right") - 1
    event_times = events["time_s"].to_numpy(float)
    event = np.searchsorted(event_times, times_s, side="right") - 1
    labels = []
    for t, k, e in zip(times_s, step, event, strict=True):
        label = f"step {numbers[k]}" if k >= 0 and t < ends[k] else "not walking"
        if e >= 0 and event_times[e] > t - EVENT_LABEL_S:
            label += f" · {events['foot'].iat[e]} {events['event'].iat[e]}"
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
    shown = VIEW_SERIES[summary.view.label]
    cadence = summary.steps.cadence_steps_per_min
    cadence_text = f"cadence {cadence:.0f} steps/min" if cadence else "cadence  -"
    values = {column: series[column].to_numpy(float) for column, _, _ in shown}
    texts = []
    for i, label in enumerate(step_labels(times, gait)):
        lines = [(label, TRUNK_RGB), (cadence_text, TRUNK_RGB)]
        for column, words, group in shown:
            sure = summary.group(group).sure
            colour = PELVIS_RGB if sure else UNCERTAIN_RGB
            lines.append((f"{words}  {_degrees(values[column][i], sure)}", colour))
        texts.append(lines)
    plotted = {
        words + ("" if summary.group(group).sure else " (?)"): (
            series[column].to_numpy(float),
            colour,
        )
        for (column, words, group), colour in zip(shown, PLOT_COLOURS, strict=False)
    }
    marks = gait.events.loc[gait.events["event"] == "heel strike", "time_s"].to_numpy(float)
    # Only the walker's skeleton is drawn (other people's frames were emptied).
    skeleton = np.isfinite(gait.walker.filter(regex=r"_x_px$").to_numpy(float)).any(axis=1)
    return Readouts(texts, plotted, "deg", marks, skeleton)
