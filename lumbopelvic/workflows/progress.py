"""Hooks through which a front end shows progress; the library itself prints nothing."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


class Progress:
    """Progress of a workflow. This base class shows nothing; the command line overrides it.

    Methods are called in this order: :meth:`pose_started` (inference begins, not on a cache
    hit), :meth:`pose_frame` after every frame, :meth:`pose_finished` (always, also after an
    error); :meth:`stage` around slower steps; :meth:`note` for a line worth showing.
    """

    def pose_started(self, frames_expected: int) -> None:
        """Pose inference begins on ``frames_expected`` frames (0: unknown)."""

    def pose_frame(self, done: int, time_s: float) -> None:
        """``done`` frames processed; the last one shown at ``time_s`` seconds."""

    def pose_finished(self) -> None:
        """Pose inference ended (successfully or not)."""

    @contextlib.contextmanager
    def stage(self, message: str) -> Iterator[None]:
        """A named step in progress (e.g. "Side-by-side video...")."""
        yield

    def note(self, text: str) -> None:
        """A line about the work in progress (e.g. the case being measured)."""


SILENT = Progress()
