"""Decode video frames upright, with the container's own timestamps.

Writing is in :mod:`lumbopelvic.io.video_writer`.

Phones record variable frame rate and store portrait video as landscape pixels plus a
display matrix (a rotation, and from some editors and front cameras a mirror image). Every
frame here is returned the way a player shows it (the matrix applied: turned and mirrored) with
its presentation time from the container, never ``index / fps``.

A file with several video streams (an iPhone's cinematic or spatial video, a screen recording
with a camera inset) is read from the stream its container flags as the default, else the
first; probing and decoding choose the same one (:func:`video_stream`).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.io.display_matrix import frame_orientation

# A file whose decoded frames end clearly before the presentation duration its container
# states is truncated; a few frame intervals of slack allow for how encoders round.
TRUNCATION_TOLERANCE_FRAMES = 3

# Video streams that are a picture, not the recording (cover art, thumbnails).
_NOT_THE_RECORDING = av.stream.Disposition.attached_pic | av.stream.Disposition.timed_thumbnails


@dataclass(frozen=True)
class VideoInfo:
    """What a video looks like once shown upright.

    Attributes
    ----------
    width, height
        Upright frame size in pixels (after applying ``rotation_deg``).
    rotation_deg
        Display rotation from the container metadata, degrees counter-clockwise; the
        decoded pixels are turned by this much (after mirroring, when ``mirrored``).
    n_frames_indexed
        Frame count the container claims (0 when unknown).
    nominal_fps
        Average frame rate the container claims; for information only.
    duration_s
        Container duration in seconds (0 when unknown).
    codec
        Video codec name.
    mirrored
        The display matrix mirrors the picture (a front camera, an editor's flip): the
        decoded pixels are mirrored left to right before they are turned.
    stream_index
        Index (among all the file's streams) of the video stream read.
    """

    width: int
    height: int
    rotation_deg: int
    n_frames_indexed: int
    nominal_fps: float
    duration_s: float
    codec: str
    mirrored: bool = False
    stream_index: int = 0

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @property
    def n_frames_expected(self) -> int:
        """Frames a player will show: duration x frame rate when both are known (an edit list
        can trim samples the container still indexes), else the indexed count (0: unknown)."""
        if self.duration_s > 0 and self.nominal_fps > 0:
            return max(1, round(self.duration_s * self.nominal_fps))
        return self.n_frames_indexed


@dataclass(frozen=True)
class Frame:
    """One decoded, upright RGB frame.

    Attributes
    ----------
    index
        0-based decode order.
    time_s
        Presentation time in seconds from the container, relative to the stream start.
    rgb
        ``(height, width, 3)`` uint8 array, upright, C-contiguous.
    """

    index: int
    time_s: float
    rgb: np.ndarray


def _open(path: Path) -> av.container.InputContainer:
    if not path.exists():
        raise LumbopelvicError(f"video not found: {path}")
    if path.is_dir():
        raise LumbopelvicError(f"expected a video file but got a directory: {path}")
    if not path.is_file():  # a pipe, socket or device would block or never end
        raise LumbopelvicError(f"{path.name} is not a regular file (a pipe or a device?)")
    if path.stat().st_size == 0:
        raise LumbopelvicError(f"{path.name} is empty")
    _check_name(path)
    try:
        container = av.open(str(path), mode="r")
    except (av.error.FFmpegError, UnicodeDecodeError, OSError) as exc:
        raise LumbopelvicError(f"{path.name} is not a readable video ({_reason(exc)})") from exc
    if _is_still_image(container):
        container.close()
        raise LumbopelvicError(f"{path.name} is a still image, not a video")
    if not container.streams.video:
        container.close()
        raise LumbopelvicError(f"{path.name} has no video stream")
    return container


def _check_name(path: Path) -> None:
    """Refuse a file whose name is not text (bytes that are not UTF-8, e.g. ``caf\\xe9.mp4``
    copied from a Latin-1 system).

    Its name goes into the report, the tables' provenance and the default output folder's
    name, none of which can hold it; refusing before any work, with the name shown escaped,
    beats failing at the end.
    """
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(path.name).decode("utf-8", "backslashreplace")
        raise LumbopelvicError(
            f"the file name {shown} is not UTF-8 text (copied from an older system?); "
            "rename the file and run again"
        ) from None


def _is_still_image(container: av.container.InputContainer) -> bool:
    """An image file (whatever its name says): FFmpeg reads those with its image demuxers."""
    name = container.format.name or ""
    return any(part.endswith("_pipe") or part == "image2" for part in name.split(","))


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "strerror", None) or exc).strip() or type(exc).__name__


def video_stream(
    container: av.container.InputContainer, name: str = "the video"
) -> av.video.stream.VideoStream:
    """The video stream to read: the one flagged default, else the first (cover art and
    thumbnails are not the recording). Probing and decoding both ask here.

    Raises
    ------
    LumbopelvicError
        When the file holds no video stream but a still picture.
    """
    streams = [s for s in container.streams.video if not s.disposition & _NOT_THE_RECORDING]
    if not streams:
        raise LumbopelvicError(f"{name} has no video stream (only a still picture)")
    flagged = [s for s in streams if s.disposition & av.stream.Disposition.default]
    return (flagged or streams)[0]


def rotation_turns(rotation_deg: float) -> int:
    """Quarter turns counter-clockwise (for :func:`numpy.rot90`) that make a frame upright.

    Parameters
    ----------
    rotation_deg
        Display rotation as FFmpeg reports it (degrees counter-clockwise, e.g. 90, -90, 180).
    """
    return round(rotation_deg / 90.0) % 4


def upright_size(width: int, height: int, rotation_deg: float) -> tuple[int, int]:
    """Frame size ``(width, height)`` after applying the display rotation."""
    return (height, width) if rotation_turns(rotation_deg) % 2 else (width, height)


def probe_video(path: str | os.PathLike[str]) -> VideoInfo:
    """Read a video's upright size, rotation and nominal timing without decoding it all.

    A file is probed once per process while it stays the same (same path, size, modification
    time and inode): the steps of one analysis all ask, and get the same answer.

    Raises
    ------
    LumbopelvicError
        If the file is missing, not a video, or has no decodable frame.
    """
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return _probe(path)  # it says what is wrong with the path
    if not path.is_file():
        return _probe(path)
    return _probe_unchanged(os.path.abspath(path), stat.st_size, stat.st_mtime_ns, stat.st_ino)


@functools.lru_cache(maxsize=64)
def _probe_unchanged(path: str, size: int, mtime_ns: int, inode: int) -> VideoInfo:
    """:func:`_probe` of one version of a file (the cache key holds what changes with it)."""
    return _probe(Path(path))


def _probe(path: Path) -> VideoInfo:
    with _open(path) as container:
        stream = video_stream(container, path.name)
        try:
            first = next(container.decode(stream))
        except StopIteration:
            raise LumbopelvicError(f"{path.name} contains no video frames") from None
        except av.error.FFmpegError as exc:
            raise LumbopelvicError(f"{path.name} is corrupt ({_reason(exc)})") from exc
        orientation = frame_orientation(first, path.name)
        width, height = upright_size(first.width, first.height, orientation.rotation_deg)
        duration = float(stream.duration * stream.time_base) if stream.duration else 0.0
        if not duration and container.duration:
            duration = container.duration / av.time_base
        rate = stream.average_rate or stream.guessed_rate or Fraction(0)
        return VideoInfo(
            width=width,
            height=height,
            rotation_deg=orientation.rotation_deg,
            n_frames_indexed=int(stream.frames or 0),
            nominal_fps=float(rate),
            duration_s=duration,
            codec=stream.codec_context.name,
            mirrored=orientation.mirrored,
            stream_index=stream.index,
        )


def iter_frames(path: str | os.PathLike[str], threads: int = 0) -> Iterator[Frame]:
    """Yield every frame of a video upright, in RGB, with container timestamps.

    Parameters
    ----------
    path
        Video file.
    threads
        Decoder threads; 0 lets FFmpeg choose (frame threads: faster alone, but more CPU in
        all), 1 decodes in the calling thread.

    Raises
    ------
    LumbopelvicError
        If the file cannot be opened, decodes no frame, fails mid-stream, or its frames end
        clearly before the presentation duration its container states (a truncated file),
        or it is tagged to be shown turned by other than a quarter turn
        (:func:`orientation_from_matrix`).
        The raw sample count is not used: phones write edit lists that trim samples the
        container still indexes, and players show only the presented frames.
    """
    path = Path(path)
    container = _open(path)
    try:
        stream = video_stream(container, path.name)
        if threads != 1:
            stream.thread_type = "AUTO"
            stream.codec_context.thread_count = threads
        time_base = stream.time_base or Fraction(1, 90_000)
        start = stream.start_time
        nominal_dt = 1.0 / float(stream.average_rate) if stream.average_rate else 1 / 30
        index = 0
        last_time = -nominal_dt
        try:
            for frame in container.decode(stream):
                if frame.pts is None:
                    # No timestamp in the container for this frame: the one case where the
                    # nominal rate is the only information left.
                    time_s = last_time + nominal_dt
                else:
                    time_s = float((frame.pts - (start or 0)) * time_base)
                rgb = frame_orientation(frame, path.name).apply(frame.to_ndarray(format="rgb24"))
                # Rows of odd widths come padded; consumers (MediaPipe) need packed rows.
                rgb = np.ascontiguousarray(rgb)
                yield Frame(index=index, time_s=time_s, rgb=rgb)
                last_time = time_s
                index += 1
        except av.error.FFmpegError as exc:
            # A file cut short often fails mid-frame: say so when its frames end early.
            _check_complete(path, stream, index, last_time + nominal_dt, nominal_dt)
            raise LumbopelvicError(
                f"{path.name} is corrupt: decoding failed after {index} frames ({_reason(exc)})"
            ) from exc
        if index == 0:
            raise LumbopelvicError(f"{path.name} contains no video frames")
        _check_complete(path, stream, index, last_time + nominal_dt, nominal_dt)
    finally:
        container.close()


def _check_complete(
    path: Path, stream: av.video.stream.VideoStream, decoded: int, shown_s: float, frame_s: float
) -> None:
    """Raise when the frames decoded end clearly before the duration the container states."""
    time_base = stream.time_base or Fraction(1, 90_000)
    duration = float(stream.duration * time_base) if stream.duration else 0.0
    if decoded and duration and duration - shown_s > TRUNCATION_TOLERANCE_FRAMES * frame_s:
        raise LumbopelvicError(
            f"{path.name} is truncated: its frames end at {shown_s:.2f} s of {duration:.2f} s"
        )


def iter_table_frames(
    path: str | os.PathLike[str], frame_numbers: Sequence[int]
) -> Iterator[tuple[int, Frame]]:
    """``(row, frame)`` for each frame of a video whose number is in a table's ``frame``
    column (ascending), stopping after the last: a table of part of a recording (``--start``,
    ``--end``) meets its own frames. Row ``i`` is the table's ``i``-th row."""
    rows = {int(number): row for row, number in enumerate(frame_numbers)}
    if not rows:
        return
    last = max(rows)
    for frame in iter_frames(path):
        if frame.index in rows:
            yield rows[frame.index], frame
        if frame.index >= last:
            return
