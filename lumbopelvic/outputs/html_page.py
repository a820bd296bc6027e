"""The plain self-contained HTML page (the batch page): its cells and the page itself.

Every value shown is escaped, and the page makes no request when opened.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import numpy as np

from lumbopelvic.outputs.style import PAGE_CSS


def cell_text(value: object) -> str:
    """A table cell: floats to one decimal, missing values as ``-``."""
    if isinstance(value, float | np.floating):
        return "-" if not np.isfinite(value) else f"{value:.1f}"
    return str(value)


def html_page(title: str, body: Iterable[str]) -> str:
    """A complete page: ``title`` (escaped) and the given body fragments (already HTML)."""
    return "\n".join(
        [
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
            f"<title>{html.escape(title)}</title><style>{PAGE_CSS}</style></head><body>",
            *body,
            "</body></html>",
        ]
    )
