"""The analysed frames, kept at the annotated video's size while pose inference decodes them.

``analyze`` decodes the recording once: each frame pose inference sees is also scaled down
to the annotated video's size and encoded, in a background thread on the core inference
leaves idle, into a temporary H.264 file of high quality. Drawing the annotated video then
decodes this small file instead of the full-size recording (about 4x fewer pixels for a
1080x1920 phone video). The file lives in a temporary folder that is removed afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2

from lumbopelvic.io.background import BackgroundConsumer
from lumbopelvic.io.video import Frame, iter_frames
from lumbopelvic.io.video_writer import VideoWriter

# Near-transparent quality: the frames are encoded once more for the annotated video.
STORE_CRF = 16
STORE_PRESET = "ultrafast"


def scaled_size(width: int, height: int, long_side_px: int) -> tuple[int, int]:
    """``(width, height)`` with the longer side at most ``long_side_px`` (0: unchanged), the
    aspect ratio kept, both even (H.264 in yuv420p needs even sizes)."""
    scale = min(1.0, long_side_px / max(width, height)) if long_side_px > 0 else 1.0
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


def resized(frame: Frame, size: tuple[int, int]) -> Frame:
    """The frame scaled to ``size`` (``(width, height)`` pixels).

    Halved by area averaging while at least twice too large (a cheap exact box filter),
    then scaled the rest of the way bilinearly: as smooth as area averaging all the way
    (no aliasing), at a quarter of its cost (about 1 ms for a 1080x1920 frame).
    """
    rgb = frame.rgb
    if (rgb.shape[1], rgb.shape[0]) == size:
        return frame
    while rgb.shape[1] >= 2 * size[0] and rgb.shape[0] >= 2 * size[1]:
        half = (rgb.shape[1] // 2, rgb.shape[0] // 2)
        rgb = cv2.resize(rgb, half, interpolation=cv2.INTER_AREA)
    if (rgb.shape[1], rgb.shape[0]) != size:
        rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_LINEAR)
    return Frame(frame.index, frame.time_s, rgb)


class FrameStore:
    """Write frames (any size) scaled to ``size`` into ``folder``, then read them back.

    Parameters
    ----------
    folder
        Where the temporary file goes (a temporary folder of the caller's).
    size
        ``(width, height)`` of the stored frames, pixels (even).
    nominal_fps
        Frame rate of the stream header; every frame keeps its own timestamp.

    Notes
    -----
    :meth:`add` returns at once; scaling and encoding run in a background thread. The stored
    frames come back from :meth:`frames` in the order they were added, with their recording
    times; their ``index`` is their position in the store (the row of the landmark table).
    """

    def __init__(self, folder: Path, size: tuple[int, int], nominal_fps: float) -> None:
        self.path = Path(folder) / "frames.mp4"
        self.size = size
        self.count = 0
        self._writer = VideoWriter(
            self.path, *size, nominal_fps, crf=STORE_CRF, preset=STORE_PRESET, threads=1
        )
        self._worker: BackgroundConsumer[Frame] = BackgroundConsumer(self._encode, depth=6)
        self._closed = False

    def _encode(self, frame: Frame) -> None:
        scaled = resized(frame, self.size)
        self._writer.write(scaled.rgb, scaled.time_s)

    def add(self, frame: Frame) -> None:
        """Queue one frame (upright RGB, any size)."""
        self._worker.submit(frame)
        self.count += 1

    def close(self) -> None:
        """Finish the file (waits for the frames still queued)."""
        if self._closed:
            return
        self._closed = True
        try:
            self._worker.close()
        finally:
            self._writer.__exit__(None, None, None)

    def frames(self) -> Iterator[Frame]:
        """The stored frames, in order. ``index`` is the position in the store and ``time_s``
        counts from the first stored frame (the caller has the recording's times)."""
        self.close()
        for position, frame in enumerate(iter_frames(self.path, threads=1)):
            yield Frame(position, frame.time_s, frame.rgb)
