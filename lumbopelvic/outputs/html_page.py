"""Pieces of the self-contained HTML pages: tables, embedded images, the page itself.

Every value shown is escaped; images are embedded as ``data:`` URIs, so a page makes no
request when opened.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import numpy as np
import pandas as pd

from lumbopelvic.outputs.style import PAGE_CSS


def cell_text(value: object) -> str:
    """A table cell: floats to one decimal, missing values as ``-``."""
    if isinstance(value, float | np.floating):
        return "-" if not np.isfinite(value) else f"{value:.1f}"
    return str(value)


def html_table(frame: pd.DataFrame) -> str:
    """A DataFrame as an HTML table (header from the columns, cells escaped)."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell_text(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def image(png_base64: str, alt: str) -> str:
    """An ``<img>`` with an embedded PNG."""
    return f"<img alt='{html.escape(alt)}' src='data:image/png;base64,{png_base64}'>"


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
