"""Two annotated videos side by side for a follow-up: labelled, one angle scale, in step.

Each half carries its label above it ("Before · Visit 1"); both time plots are redrawn with
the same angle limits (:func:`lumbopelvic.outputs.time_plot.time_plot`, pasted where the
annotated video has its own); both recordings start their first repetition at the same
moment (the longer lead-in is trimmed), and the shorter holds its last frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pandas as pd

from lumbopelvic.io.video import iter_frames, probe_video
from lumbopelvic.io.video_writer import VideoWriter
from lumbopelvic.outputs.style import figure_rgb, new_figure
from lumbopelvic.outputs.time_plot import inset_size, paste_time_plot, split_series, time_plot

SIDE_BY_SIDE_HEIGHT_PX = 720
LABEL_STRIP_PX = 48


@dataclass(frozen=True)
class Half:
    """One half of the side-by-side video.

    Attributes
    ----------
    video
        The annotated video.
    label
        Shown above it, e.g. ``"Before · Visit 1"``.
    angles
        Its angle table (degrees; ``time_s`` in the recording's seconds).
    first_rep_s
        Recording time of the first repetition's start, seconds (0: none found).
    """

    video: Path
    label: str
    angles: pd.DataFrame
    first_rep_s: float = 0.0


def lead_in_shifts(first_rep_s: tuple[float, float]) -> tuple[float, float]:
    """Seconds each recording skips so both first repetitions start together (the later
    starter skips its extra lead-in; the other skips nothing)."""
    lead = min(first_rep_s)
    return first_rep_s[0] - lead, first_rep_s[1] - lead


def label_strip(text: str, width: int, height: int = LABEL_STRIP_PX) -> np.ndarray:
    """``(height, width, 3)`` RGB: ``text`` in white on dark grey (any Unicode letter)."""
    fig = new_figure(width / 100, height / 100, dpi=100)
    fig.patch.set_facecolor("#262626")
    fig.text(
        0.5,
        0.5,
        text,
        color="white",
        ha="center",
        va="center",
        fontsize=0.42 * height,
        fontweight="bold",
    )
    return figure_rgb(fig)[:height, :width]


def side_by_side(
    before: Half,
    after: Half,
    out_path: Path,
    y_limits: tuple[float, float] | None = None,
    height: int = SIDE_BY_SIDE_HEIGHT_PX,
) -> Path:
    """Write the two halves next to each other (H.264, the faster frame rate of the two).

    Parameters
    ----------
    before, after
        The two recordings.
    out_path
        The video written.
    y_limits
        Angle limits of both time plots, degrees (each its own when None).
    height
        Height of the video pictures, pixels (the label strip comes on top).
    """
    halves = [
        _frames(half, shift, height, y_limits)
        for half, shift in zip(
            (before, after), lead_in_shifts((before.first_rep_s, after.first_rep_s)), strict=True
        )
    ]
    times = sorted({t for frames in halves for t, _ in frames})
    width = sum(frames[0][1].shape[1] for frames in halves)
    fps = max(probe_video(before.video).nominal_fps, probe_video(after.video).nominal_fps)

    def at(frames: list[tuple[float, np.ndarray]], t: float) -> np.ndarray:
        index = np.searchsorted([ft for ft, _ in frames], t, side="right") - 1
        return frames[max(0, min(index, len(frames) - 1))][1]

    with VideoWriter(out_path, width, height + LABEL_STRIP_PX, fps) as writer:
        for t in times:
            writer.write(np.hstack([at(frames, t) for frames in halves]), t)
    return out_path


def _frames(
    half: Half, shift_s: float, height: int, y_limits: tuple[float, float] | None
) -> list[tuple[float, np.ndarray]]:
    """The half's frames (label strip on top) on the shared clock, from ``shift_s`` on."""
    info = probe_video(half.video)
    times = half.angles["time_s"].to_numpy(float)
    plot = None
    if len(times) > 1:
        plot = time_plot(
            times, *split_series(half.angles), inset_size(info.width, info.height), y_limits
        )
    # The annotated video plays from 0; the plot keeps the recording's own times.
    offset = float(times[0]) if len(times) and half.angles["frame"].iloc[0] > 0 else 0.0
    width = round(info.width * height / info.height) // 2 * 2
    strip = label_strip(half.label, width)
    frames = []
    for frame in iter_frames(half.video):
        rgb = frame.rgb.copy()
        if plot is not None:
            rgb = paste_time_plot(rgb, plot, frame.time_s + offset)
        picture = cv2.resize(rgb, (width, height), interpolation=cv2.INTER_AREA)
        frames.append((frame.time_s + offset - shift_s, np.vstack([strip, picture])))
    kept = [(t, rgb) for t, rgb in frames if t >= -1e-6]
    return kept or frames[-1:]
