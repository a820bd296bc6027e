"""Settings files: a TOML file whose keys are the command's option names.

Example (``lumbopelvic analyze clip.mp4 --config study.toml``)::

    model = "full"
    task = "forward-bend"
    cutoff_hz = 6.0
    max_gap_s = 0.25
    blur_face = true

Values from the file replace the defaults; options given on the command line win over both.
The effective settings of every step are written to ``summary.json``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from lumbopelvic.core.errors import LumbopelvicError


def settings_text(data: bytes, name: str) -> str:
    """The text of a settings file: UTF-8, as TOML requires; a byte-order mark (which Windows
    editors add) is dropped.

    Raises
    ------
    LumbopelvicError
        In one line, when the bytes are not UTF-8 (a file saved as Windows-1252, say).
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LumbopelvicError(
            f"{name} is not UTF-8 text (byte {exc.start + 1} is not UTF-8): save it as UTF-8"
        ) from None


def load_settings_file(path: Path, allowed: set[str]) -> dict[str, Any]:
    """Read a flat TOML settings file and check its keys against the command's options.

    Keys may use dashes or underscores (``max-gap-s`` or ``max_gap_s``).

    Raises
    ------
    LumbopelvicError
        If the file is missing, not UTF-8 or not TOML, or names an option the command does not
        have.
    """
    if not path.is_file():
        raise LumbopelvicError(f"settings file not found: {path}")
    try:
        raw = tomllib.loads(settings_text(path.read_bytes(), path.name))
    except tomllib.TOMLDecodeError as exc:
        raise LumbopelvicError(f"{path.name} is not valid TOML: {exc}") from None
    settings = {key.replace("-", "_"): value for key, value in raw.items()}
    unknown = sorted(set(settings) - allowed)
    if unknown:
        raise LumbopelvicError(
            f"{path.name}: unknown setting(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(allowed))}"
        )
    return settings
