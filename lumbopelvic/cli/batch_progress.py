"""The batch progress bar: videos done, failures and throughput in frames per second."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


class BatchProgress:
    """A transient bar over the batch's videos; use as a context manager."""

    def __init__(self, console: Console) -> None:
        self._bar = Progress(
            TextColumn("[bold]videos[/]"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed, {task.fields[fps]:.1f} frames/s"),
            TimeRemainingColumn(), console=console, transient=True,
            disable=not console.is_terminal,  # logs and pipes get no bar (and no blank line)
        )  # fmt: skip
        self._task = self._bar.add_task("videos", total=None, failed=0, fps=0.0)
        self._frames = 0

    def on_start(self, total: int) -> None:
        """The batch holds ``total`` videos (finished ones included)."""
        self._bar.update(self._task, total=total)

    def on_result(self, result: dict[str, Any]) -> None:
        """Advance by one finished (or failed) video."""
        self._frames += result["frames"]
        task = self._bar.tasks[0]
        elapsed = task.elapsed or 1.0
        failed = task.fields["failed"] + (not result["ok"])
        self._bar.update(self._task, advance=1, failed=failed, fps=self._frames / elapsed)

    def __enter__(self) -> BatchProgress:
        self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.stop()
