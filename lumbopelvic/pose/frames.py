"""The frames a pose backend analyses: decoded once, in the requested part of the recording."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from lumbopelvic.io.background import prefetched
from lumbopelvic.io.video import Frame, iter_frames
from lumbopelvic.pose.backend import FrameSink
from lumbopelvic.pose.settings import PoseSettings


def analysed_frames(
    video: Path, settings: PoseSettings, frame_sink: FrameSink | None = None
) -> Iterator[Frame]:
    """Every frame from ``settings.start`` to ``settings.end`` (seconds of the recording's own
    clock; None: its beginning, its end), upright RGB, with the recording's frame numbers and
    times.

    Frames are decoded in a background thread while the caller infers. Each is given to
    ``frame_sink`` before it is yielded, so a caller can keep what it needs of the frames
    without decoding the video again.
    """
    start = settings.start if settings.start is not None else -np.inf
    end = settings.end if settings.end is not None else np.inf
    # One decoder thread: the decoder has its own thread beside inference already.
    for frame in prefetched(iter_frames(video, threads=1)):
        if frame.time_s < start:
            continue
        if frame.time_s > end:
            return
        if frame_sink is not None:
            frame_sink(frame)
        yield frame
