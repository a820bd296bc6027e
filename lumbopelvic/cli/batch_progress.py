"""The batch's progress: on a terminal a bar (videos done, failures, frames per second); in a
log or a pipe one line per finished video and, while videos are still running, a line every
:data:`HEARTBEAT_S` seconds, so a long batch is never silent."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.text import Text

from lumbopelvic.core.wording import plural

HEARTBEAT_S = 10.0


def result_line(result: dict[str, Any], finished: int, total: int) -> str:
    """``"batch 2/3 (67 %): typical.mp4: analysed, analysable, 2 repetitions"``."""
    name = Path(result["video"]).name
    percent = f" ({100 * finished // total} %)" if total else ""
    if not result["ok"]:
        what = f"failed: {result['reason']}"
    else:
        unit = result.get("unit", "repetition")
        status = "analysed" if result.get("status") == "analysed" else f"no {unit}s found"
        reps = result.get("repetitions", 0)
        what = f"{status}, {result.get('verdict', '')}, {plural(reps, unit)}"
    return f"batch {finished}/{total}{percent}: {name}: {what}"


class BatchProgress:
    """Progress over the batch's videos; use as a context manager."""

    def __init__(self, console: Console, heartbeat_s: float = HEARTBEAT_S) -> None:
        self._console = console
        self._log = not console.is_terminal
        self._bar = Progress(
            TextColumn("[bold]videos[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed, {task.fields[fps]:.1f} frames/s"),
            TimeRemainingColumn(),
            console=console,
            transient=True,
            disable=self._log,
        )
        self._task = self._bar.add_task("videos", total=None, failed=0, fps=0.0)
        self._frames = self._finished = self._total = 0
        self._started = self._last_line = time.monotonic()
        self._heartbeat_s = heartbeat_s
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._beat: threading.Thread | None = None

    def on_start(self, total: int) -> None:
        """The batch holds ``total`` videos (finished ones included)."""
        self._total = total
        self._bar.update(self._task, total=total)
        self._say(f"batch: {plural(total, 'video')}")

    def on_result(self, result: dict[str, Any]) -> None:
        """Advance by one finished (or failed) video."""
        self._frames += result["frames"]
        self._finished += 1
        task = self._bar.tasks[0]
        elapsed = task.elapsed or 1.0
        failed = task.fields["failed"] + (not result["ok"])
        self._bar.update(self._task, advance=1, failed=failed, fps=self._frames / elapsed)
        self._say(result_line(result, self._finished, self._total))

    def _say(self, line: str) -> None:
        if not self._log:
            return
        with self._lock:
            self._console.print(Text(line), soft_wrap=True)
            self._last_line = time.monotonic()

    def _heartbeat(self) -> None:
        while not self._stop.wait(1.0):
            now = time.monotonic()
            if now - self._last_line >= self._heartbeat_s:
                self._say(
                    f"batch: {self._finished} of {plural(self._total, 'video')} finished, "
                    f"{now - self._started:.0f} s elapsed"
                )

    def __enter__(self) -> BatchProgress:
        self._bar.start()
        if self._log:
            self._beat = threading.Thread(target=self._heartbeat, daemon=True)
            self._beat.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._beat is not None:
            self._beat.join()
        self._bar.stop()
