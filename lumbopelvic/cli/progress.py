"""Progress on the terminal (stderr): a bar during pose inference, a spinner for other steps."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from lumbopelvic.io.video import VideoInfo


class ConsoleProgress(WorkflowProgress):
    """:class:`lumbopelvic.workflows.progress.Progress` drawn with rich; bars vanish when done."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self._bar: Progress | None = None
        self._status: Any = None

    def pose_started(self, info: VideoInfo) -> None:
        if not self.console.is_terminal:  # logs and pipes get no bar (and no blank line)
            return
        self._bar = Progress(
            TextColumn("[bold]pose[/]"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[fps]:.1f} frames/s"), TimeRemainingColumn(),
            console=self.console, transient=True,
        )  # fmt: skip
        self._bar.add_task("pose", total=info.n_frames_expected or None, fps=0.0)
        self._bar.start()

    def pose_frame(self, done: int, time_s: float) -> None:
        if self._bar is None:
            return
        task = self._bar.tasks[0]
        elapsed = task.elapsed or 0.0
        self._bar.update(task.id, completed=done, fps=done / elapsed if elapsed else 0.0)

    def pose_finished(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    @contextlib.contextmanager
    def stage(self, message: str) -> Iterator[None]:
        if not self.console.is_terminal:
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
