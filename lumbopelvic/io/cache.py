"""A local cache of pose results keyed by (video content, model, settings).

Pose extraction is the slow step; a second run on the same video with the same model and
settings reads the table from here instead. The cache holds landmark data derived from
client videos, so it stays on this machine (``$LUMBOPELVIC_CACHE_DIR``, else
``$XDG_CACHE_HOME/lumbopelvic``) and ``--no-cache`` bypasses it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    """Root directory of lumbopelvic's local cache."""
    env = os.environ.get("LUMBOPELVIC_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "lumbopelvic"


def cache_key(**parts: Any) -> str:
    """A stable hex key for JSON-serialisable parts (order of keywords does not matter)."""
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]
