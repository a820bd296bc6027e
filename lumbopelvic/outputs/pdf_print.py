"""Print an HTML page to an A4 PDF with headless Chromium (the PDF is the page, printed).

The page sets the paper, margins, running header and page numbers itself with CSS
``@page`` rules and margin boxes, so Chromium's own header and footer are turned off.
Chromium runs with a throw-away profile, no network services and no sandbox (it may run as
root in a container); the page it prints makes no request of its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

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


def print_pdf(html_path: str | os.PathLike[str], pdf_path: str | os.PathLike[str]) -> None:
    """Print the HTML page at ``html_path`` to ``pdf_path`` (written atomically).

    Paper size, margins and page numbers come from the page's CSS ``@page`` rules.

    Raises
    ------
    PdfUnavailableError
        When no Chromium is installed, or it failed or wrote no PDF; ``pdf_path`` is then
        left as it was.
    """
    chromium = find_chromium()
    if chromium is None:
        raise PdfUnavailableError(NO_CHROMIUM_NOTE)
    with (
        tempfile.TemporaryDirectory(prefix="lumbopelvic-chromium-") as profile,
        atomic_path(pdf_path) as tmp,
    ):
        tmp.unlink()  # Chromium writes the file itself; an empty one would hide a failure
        try:
            done = subprocess.run(
                chromium_command(chromium, Path(profile), Path(html_path), tmp),
                capture_output=True,
                text=True,
                timeout=PRINT_TIMEOUT_S,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PdfUnavailableError(
                f"no PDF written: Chromium did not finish ({error})"
            ) from None
        if not tmp.is_file() or tmp.read_bytes()[:5] != b"%PDF-":
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise PdfUnavailableError(f"no PDF written: Chromium failed ({last})")


class PdfPrinting:
    """Print a page to PDF in a background thread (Chromium is a process of its own, so the
    caller goes on with other work on the other core); :meth:`result` waits for it.

    Parameters
    ----------
    html_path, pdf_path
        As for :func:`print_pdf`.
    """

    def __init__(self, html_path: str | os.PathLike[str], pdf_path: str | os.PathLike[str]):
        self.pdf_path = Path(pdf_path)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._print, args=(html_path,), daemon=True)
        self._thread.start()

    def _print(self, html_path: str | os.PathLike[str]) -> None:
        try:
            print_pdf(html_path, self.pdf_path)
        except BaseException as error:  # re-raised or reported by result()
            self._error = error

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
