"""Progress on stderr: on a terminal a bar during pose inference and a spinner for other
steps; in a log or a pipe, plain lines (:class:`LogLines`: every 10 % or every few seconds)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from lumbopelvic.workflows.progress import Progress as WorkflowProgress

# A log gets a progress line at every tenth of the work (but not twice within LOG_MIN_GAP_S:
# a short clip needs no ten lines), and at least every LOG_EVERY_S seconds.
LOG_EVERY_S = 5.0
LOG_MIN_GAP_S = 1.0
LOG_STEPS = 10


class LogLines:
    """When to write a progress line to a log, and what it says.

    Parameters
    ----------
    name
        What is counted, e.g. ``"pose"``.
    total
        Items expected (0: unknown; lines then come every :data:`LOG_EVERY_S` seconds).
    unit
        What the items are, e.g. ``"frames"``.
    clock
        Seconds (monotonic); replaceable in tests.
    """

    def __init__(
        self, name: str, total: int, unit: str, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.name, self.total, self.unit, self.clock = name, total, unit, clock
        self.started = self._last_time = clock()
        self._last_step = 0
        self.done = 0

    def update(self, done: int) -> str | None:
        """The line to write after ``done`` items, or None when none is due yet."""
        self.done = done
        now = self.clock()
        step = LOG_STEPS * done // self.total if self.total else 0
        since = now - self._last_time
        if not ((step > self._last_step and since >= LOG_MIN_GAP_S) or since >= LOG_EVERY_S):
            return None
        self._last_step, self._last_time = max(step, self._last_step), now
        return self.line(done)

    def line(self, done: int) -> str:
        """``"pose 40 % (120/300 frames)"``, or ``"pose: 120 frames"`` when the total is
        unknown."""
        if not self.total:
            return f"{self.name}: {done} {self.unit}"
        percent = min(100, round(100 * done / self.total))
        return f"{self.name} {percent} % ({done}/{self.total} {self.unit})"

    def finished(self) -> str:
        """The closing line: how many items, in how long."""
        seconds = self.clock() - self.started
        rate = f", {self.done / seconds:.1f} {self.unit}/s" if seconds > 0 else ""
        return f"{self.name} done: {self.done} {self.unit} in {seconds:.0f} s{rate}"


class ConsoleProgress(WorkflowProgress):
    """:class:`lumbopelvic.workflows.progress.Progress` drawn with rich; bars vanish when done.
    Without a terminal (a log, a pipe) it writes :class:`LogLines` instead."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self._bar: Progress | None = None
        self._log: LogLines | None = None
        self._status: Any = None

    def pose_started(self, frames_expected: int) -> None:
        if not self.console.is_terminal:
            self._log = LogLines("pose", frames_expected, "frames")
            return
        self._bar = Progress(
            TextColumn("[bold]pose[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[fps]:.1f} frames/s"),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
        )
        self._bar.add_task("pose", total=frames_expected or None, fps=0.0)
        self._bar.start()

    def pose_frame(self, done: int, time_s: float) -> None:
        if self._log is not None:
            self._say(self._log.update(done))
        if self._bar is None:
            return
        task = self._bar.tasks[0]
        elapsed = task.elapsed or 0.0
        self._bar.update(task.id, completed=done, fps=done / elapsed if elapsed else 0.0)

    def pose_finished(self) -> None:
        if self._log is not None:
            self._say(self._log.finished() if self._log.done else None)
            self._log = None
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    @contextlib.contextmanager
    def stage(self, message: str) -> Iterator[None]:
        if not self.console.is_terminal:  # a log gets the step's name as a line
            self._say(message)
            yield
            return
        if self._status is not None:  # one live display at a time: a nested stage re-labels
            previous = self._status.status
            self._status.update(message)
            try:
                yield
            finally:
                self._status.update(previous)
            return
        with self.console.status(message) as status:
            self._status = status
            try:
                yield
            finally:
                self._status = None

    def note(self, text: str) -> None:
        self.console.print(Text(text, style="dim"), soft_wrap=True)

    def _say(self, line: str | None) -> None:
        if line:
            self.console.print(Text(line), soft_wrap=True)
