"""The display matrix of a video frame: how its decoded pixels become the picture a player
shows (turned, and mirrored when the matrix mirrors).

Phones store portrait video as landscape pixels plus a matrix that turns them; a front camera
or an editor's flip adds a mirror image (a matrix with a negative determinant). FFmpeg's
``rotation`` reads such a mirror as a half turn, which would show a mirrored side view upside
down; the matrix itself is read here.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence
from dataclasses import dataclass

import av
import numpy as np
from av.sidedata.sidedata import Type as SideDataType

from lumbopelvic.core.errors import LumbopelvicError

# A display matrix within this many degrees of a quarter turn is that quarter turn (FFmpeg
# rounds the same way before it turns a picture); further off, the file is refused.
QUARTER_TURN_TOLERANCE_DEG = 1.0


@dataclass(frozen=True)
class Orientation:
    """How decoded pixels become the picture a player shows: mirrored left to right (when
    ``mirrored``), then turned ``turns`` quarter turns counter-clockwise."""

    turns: int = 0
    mirrored: bool = False

    @property
    def rotation_deg(self) -> int:
        """The turn in degrees counter-clockwise, between -90 and 180 (as FFmpeg reports)."""
        return (0, 90, 180, -90)[self.turns % 4]

    def apply(self, rgb: np.ndarray) -> np.ndarray:
        """The ``(height, width, ...)`` picture turned upright (a view, not a copy)."""
        if self.mirrored:
            rgb = rgb[:, ::-1]
        return np.rot90(rgb, self.turns) if self.turns else rgb


UPRIGHT = Orientation()


def orientation_from_matrix(matrix: Sequence[int], name: str = "the video") -> Orientation:
    """The orientation FFmpeg's 3x3 display matrix (16.16 fixed point, row-major) asks for.

    Parameters
    ----------
    matrix
        The nine integers of an ``AV_FRAME_DATA_DISPLAYMATRIX``.
    name
        The file's name, for the error.

    Raises
    ------
    LumbopelvicError
        When the matrix turns the picture by other than a multiple of 90 degrees (more than
        :data:`QUARTER_TURN_TOLERANCE_DEG` off). Such a tag comes from an editor, not a
        camera; players disagree on how to show it (FFmpeg turns the picture and cuts its
        corners, others ignore it) and every angle here is measured against the picture's
        vertical, so analysing the nearest quarter turn would measure against a wrong vertical
        without saying so. Refusing, with how to fix the file, is clearer than a quiet
        error of up to 45 degrees.
    """
    a, b, _, c, d = (value / 65536 for value in matrix[:5])
    if math.hypot(a, c) == 0 or math.hypot(b, d) == 0:
        return UPRIGHT  # a degenerate matrix: FFmpeg ignores it as well
    mirrored = a * d - b * c < 0
    # Undo the mirror (x -> -x) to read the turn: cos = a, sin = c of an unmirrored matrix.
    angle = math.degrees(math.atan2(c, -a if mirrored else a))
    turns = round(angle / 90.0) % 4
    if abs(angle - 90.0 * round(angle / 90.0)) > QUARTER_TURN_TOLERANCE_DEG:
        raise LumbopelvicError(
            f"{name} is tagged to be shown turned by {round(angle, 1):g}° (not a multiple of "
            "90°); save it upright (e.g. ffmpeg -i IN OUT turns it as tagged) and analyse that"
        )
    return Orientation(turns, mirrored)


def frame_orientation(frame: av.VideoFrame, name: str = "the video") -> Orientation:
    """The orientation of one decoded frame, from its display matrix (upright without one)."""
    side_data = frame.side_data
    if SideDataType.DISPLAYMATRIX not in side_data:
        return UPRIGHT
    raw = bytes(side_data[SideDataType.DISPLAYMATRIX])
    if len(raw) < 36:
        return UPRIGHT
    return orientation_from_matrix(struct.unpack("=9i", raw[:36]), name)
