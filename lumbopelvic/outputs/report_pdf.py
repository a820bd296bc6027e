"""The report's content as a PDF: a text page, the plots, then the tables."""

from __future__ import annotations

import os
import textwrap
from typing import Any

import numpy as np
import pandas as pd

from lumbopelvic.outputs.report import directional_rows, report_figures
from lumbopelvic.outputs.report_text import plain_summary, quality_rows
from lumbopelvic.outputs.style import new_figure

A4_PORTRAIT_IN = (8.27, 11.69)
TEXT_WIDTH_CHARS = 95


def write_pdf(
    angles: pd.DataFrame,
    rows: pd.DataFrame,
    summary: dict[str, Any],
    curves: dict[str, np.ndarray],
    title: str,
    path: str | os.PathLike[str],
) -> None:
    """Write the report's content (text, plots, tables) as a PDF at ``path``."""
    from matplotlib.backends.backend_pdf import PdfPages

    quality = summary.get("quality", {})
    lines = [
        f"Lumbopelvic rhythm: {title}",
        "",
        "Capture quality",
        *(f"  {label}: {value}" for label, value in quality_rows(quality)),
        *(f"  advice: {a}" for a in quality.get("advice", [])),
        "",
        "Summary",
        *(f"  {s}" for s in plain_summary(summary)),
        *(f"  note: {f}" for f in summary.get("flags", [])),
    ]
    tables = (
        directional_rows(rows)
        .drop(columns=["complete", "start_s", "end_s"], errors="ignore")
        .T.to_string(float_format=lambda v: f"{v:.1f}")
        if len(rows)
        else "no repetition"
    )
    with PdfPages(path) as pdf:
        pdf.savefig(_text_page("\n".join(_wrap(lines))))
        for fig in report_figures(angles, rows, summary, curves).values():
            pdf.savefig(fig, bbox_inches="tight")
        pdf.savefig(_text_page(tables, size=6))


def _wrap(lines: list[str], width: int = TEXT_WIDTH_CHARS) -> list[str]:
    return [part for line in lines for part in (textwrap.wrap(line, width) or [""])]


def _text_page(text: str, size: float = 9) -> Any:
    fig = new_figure(*A4_PORTRAIT_IN)
    fig.text(0.06, 0.96, text, va="top", ha="left", family="monospace", fontsize=size)
    return fig
