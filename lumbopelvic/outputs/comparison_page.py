"""The pre/post comparison page: each metric's change against the MDC, and overlaid curves."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from lumbopelvic.outputs.figures import plot_overlaid_angles
from lumbopelvic.outputs.html_page import html_page, html_table, image
from lumbopelvic.outputs.style import figure_png_base64
from lumbopelvic.rhythm.references import MDC_SOURCE


def comparison_page(
    table: pd.DataFrame, before: pd.DataFrame, after: pd.DataFrame, names: tuple[str, str]
) -> str:
    """Self-contained HTML: the change table and overlaid angle curves.

    Parameters
    ----------
    table
        :func:`lumbopelvic.rhythm.change.compare_summaries` output.
    before, after
        The two angle tables.
    names
        How the two recordings are called on the page.
    """
    plot = figure_png_base64(plot_overlaid_angles(before, after, names).figure)
    shown = table.assign(
        change=table["change"].map(lambda v: f"{v:+.1f}" if np.isfinite(v) else "-"),
        mdc=table["mdc_low"].map("{:.0f}".format) + "-" + table["mdc_high"].map("{:.0f}".format),
    )[["metric", "before", "after", "change", "unit", "mdc", "label"]]
    title = f"{names[0]} vs {names[1]}"
    return html_page(title, [
        f"<h1>Pre/post comparison: {html.escape(title)}</h1>",
        "<p>Each change is set against the minimal detectable change (MDC): a change smaller "
        "than it cannot be told apart from measurement noise. It describes movement; it is not "
        "a diagnosis.</p>",
        html_table(shown),
        f"<p><small>MDC: {html.escape(MDC_SOURCE)}. Flexion-phase means over complete "
        "repetitions.</small></p>",
        image(plot, "overlaid angles"),
    ])  # fmt: skip
