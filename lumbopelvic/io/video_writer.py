"""Write RGB frames as an H.264 mp4 that browsers and phones play, keeping given timestamps."""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import av
import numpy as np


class VideoWriter:
    """Write RGB frames to an H.264 mp4 (yuv420p) with given presentation times.

    Plays in browsers and on phones. Frames keep the source's timestamps, so the output has
    the same frame count and timing as the input (variable frame rate included). Use as a
    context manager; the file is complete only after a clean exit.

    Parameters
    ----------
    path
        Output file.
    width, height
        Frame size in pixels (odd sizes are padded by one pixel: yuv420p needs even sizes).
    nominal_fps
        Frame rate written in the stream header (timestamps rule playback).
    crf
        x264 quality, lower is better (23 is x264's default).
    preset
        x264 speed preset (``ultrafast`` ... ``veryslow``); ``veryfast`` encodes about 1.5x
        faster than x264's ``medium`` at a similar size for this kind of footage.
    threads
        Encoder threads (0: as many as x264 likes).
    """

    TIME_BASE = Fraction(1, 90_000)

    def __init__(
        self,
        path: str | os.PathLike[str],
        width: int,
        height: int,
        nominal_fps: float,
        crf: int = 23,
        preset: str = "veryfast",
        threads: int = 0,
    ) -> None:
        self.path = Path(path)
        self.size = (width + width % 2, height + height % 2)
        # faststart: the index goes first, so browsers and phones start playing at once.
        self._container = av.open(
            str(self.path), mode="w", format="mp4", options={"movflags": "+faststart"}
        )
        rate = Fraction(nominal_fps).limit_denominator(1001) if nominal_fps > 0 else Fraction(30)
        self._stream = self._container.add_stream("libx264", rate=rate)
        self._stream.width, self._stream.height = self.size
        self._stream.pix_fmt = "yuv420p"
        self._stream.time_base = self.TIME_BASE
        self._stream.codec_context.time_base = self.TIME_BASE
        self._stream.options = {"crf": str(crf), "preset": preset}
        if threads:
            self._stream.codec_context.thread_count = threads
        self._last_pts = -1

    def write(self, rgb: np.ndarray, time_s: float) -> None:
        """Append one frame shown at ``time_s`` seconds."""
        width, height = self.size
        if rgb.shape[1] != width or rgb.shape[0] != height:
            padded = np.zeros((height, width, 3), np.uint8)
            padded[: rgb.shape[0], : rgb.shape[1]] = rgb
            rgb = padded
        self.write_frame(
            av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24"), time_s
        )

    def write_frame(self, frame: av.VideoFrame, time_s: float) -> None:
        """Append one decoded frame of this writer's size (any pixel format) at ``time_s``."""
        pts = max(round(time_s / self.TIME_BASE), self._last_pts + 1)
        frame.pts, frame.time_base = pts, self.TIME_BASE
        self._last_pts = pts
        self._container.mux(self._stream.encode(frame))

    def __enter__(self) -> VideoWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None:
                self._container.mux(self._stream.encode())
        finally:
            self._container.close()
