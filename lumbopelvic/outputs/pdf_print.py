"""Print an HTML page to an A4 PDF with headless Chromium (the PDF is the page, printed).

The page sets the paper, margins, running header and page numbers itself with CSS
``@page`` rules and margin boxes, so Chromium's own header and footer are turned off.
Chromium runs with a throw-away profile, no network services and no sandbox (it may run as
root in a container); the page it prints makes no request of its own.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import IO

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.io.atomic import atomic_path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PRINT_TIMEOUT_S = 120
NO_CHROMIUM_NOTE = (
    "no PDF written: Chromium is not installed (the PDF is the HTML report printed by it; "
    "'apt-get install chromium' or 'make setup' adds it)"
)


class PdfUnavailableError(LumbopelvicError):
    """The PDF cannot be printed here (no Chromium, or it failed); the message says why."""


def find_chromium() -> str | None:
    """The path of a Chromium (or Chrome) executable on ``PATH``, or None."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_command(chromium: str, profile: Path, html_path: Path, pdf_path: Path) -> list[str]:
    """The command line that prints ``html_path`` to ``pdf_path`` (nothing else fetched)."""
    return [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--disable-extensions",
        "--mute-audio",
        # No name is ever resolved (the page needs none): Chromium otherwise looks names up
        # for its own services even with background networking off.
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost",
        "--dns-prefetch-disable",
        f"--user-data-dir={profile}",
        f"--print-to-pdf={pdf_path}",
        "--no-pdf-header-footer",
        "--virtual-time-budget=5000",
        html_path.resolve().as_uri(),
    ]


def print_pdf(
    html_path: str | os.PathLike[str],
    pdf_path: str | os.PathLike[str],
    cancel: threading.Event | None = None,
) -> None:
    """Print the HTML page at ``html_path`` to ``pdf_path`` (written atomically).

    Paper size, margins and page numbers come from the page's CSS ``@page`` rules. Chromium
    runs in a session of its own with a throw-away profile beside ``pdf_path``: however the
    print ends (done, failed, timed out, ``cancel`` set), its whole process group is gone and
    the profile removed before this returns.

    Raises
    ------
    PdfUnavailableError
        When no Chromium is installed, or it failed, timed out, was cancelled or wrote no
        PDF; ``pdf_path`` is then left as it was.
    """
    chromium = find_chromium()
    if chromium is None:
        raise PdfUnavailableError(NO_CHROMIUM_NOTE)
    pdf_path = Path(pdf_path)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.mkdtemp(prefix=".lumbopelvic-chromium-", dir=pdf_path.parent))
    try:
        with atomic_path(pdf_path) as tmp:
            tmp.unlink()  # Chromium writes the file itself; an empty one would hide a failure
            command = chromium_command(chromium, profile, Path(html_path), tmp)
            with (profile / "stderr.txt").open("w+", encoding="utf-8", errors="replace") as log:
                _run_chromium(command, log, cancel)
                log.seek(0)
                stderr = log.read()
            if not tmp.is_file() or tmp.read_bytes()[:5] != b"%PDF-":
                last = (stderr.strip().splitlines() or ["no message"])[-1]
                raise PdfUnavailableError(f"no PDF written: Chromium failed ({last})")
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _run_chromium(command: list[str], log: IO[str], cancel: threading.Event | None) -> None:
    """Run Chromium to the end, the timeout or ``cancel``, its stderr into ``log`` (a file,
    never a pipe that could fill). Its whole process group is killed before this returns,
    whatever happens."""
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,  # its zygote and renderers share its process group
        )
    except OSError as error:
        raise PdfUnavailableError(f"no PDF written: Chromium did not start ({error})") from None
    try:
        deadline = time.monotonic() + PRINT_TIMEOUT_S
        while process.poll() is None:
            if cancel is not None and cancel.is_set():
                raise PdfUnavailableError("no PDF written: the run was stopped")
            if time.monotonic() > deadline:
                raise PdfUnavailableError(
                    f"no PDF written: Chromium did not finish in {PRINT_TIMEOUT_S} s"
                )
            time.sleep(0.05)
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class PdfPrinting:
    """Print a page to PDF in a background thread (Chromium is a process of its own, so the
    caller goes on with other work on the other core); :meth:`result` waits for it.

    Use it as a context manager: leaving the block before :meth:`result` (an error, a stop)
    cancels the print, so no Chromium outlives the run and nothing is left being written.

    Parameters
    ----------
    html_path, pdf_path
        As for :func:`print_pdf`.
    """

    def __init__(self, html_path: str | os.PathLike[str], pdf_path: str | os.PathLike[str]):
        self.pdf_path = Path(pdf_path)
        self._error: BaseException | None = None
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._print, args=(html_path,), daemon=True)
        self._thread.start()

    def __enter__(self) -> PdfPrinting:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.cancel()

    def _print(self, html_path: str | os.PathLike[str]) -> None:
        try:
            print_pdf(html_path, self.pdf_path, self._cancel)
        except BaseException as error:  # re-raised or reported by result()
            self._error = error

    def cancel(self) -> None:
        """Stop the print if it is still running and wait until Chromium is gone."""
        self._cancel.set()
        self._thread.join()

    def result(self) -> str | None:
        """Wait; None when the PDF was written, else the note saying why there is none.

        Raises
        ------
        Exception
            Any error other than :class:`PdfUnavailableError` (a full disk...).
        """
        self._thread.join()
        if isinstance(self._error, PdfUnavailableError):
            return str(self._error)
        if self._error is not None:
            raise self._error
        return None
