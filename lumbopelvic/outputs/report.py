"""The rhythm report: one page that is both the on-screen viewer and the printed PDF.

One Jinja2 template (``templates/report.html.j2``) makes ``report.html``: on screen it plays
``annotated.mp4`` (beside it in the output folder) above an angle plot whose cursor follows
the video; printed (:mod:`lumbopelvic.outputs.pdf_print`), the player is hidden and the
static plots and key frames stand in its place. The page is self-contained: styles, script,
images and angle series are inside it, and it makes no request but the video beside it.

Every user-supplied string (file name, client, notes) is escaped by the template. The
plain-language summary describes movement; it never diagnoses (:mod:`.report_text`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib.resources import files
from typing import Any

import numpy as np
import pandas as pd

from lumbopelvic.core.provenance import now_utc
from lumbopelvic.core.tasks import task_named
from lumbopelvic.core.verdict import Verdict
from lumbopelvic.io.layout import ANNOTATED_VIDEO
from lumbopelvic.outputs import report_tables as tables
from lumbopelvic.outputs.figures import plot_angles, plot_pelvis_vs_lumbar, plot_share_curves
from lumbopelvic.outputs.key_frames import KeyFrame
from lumbopelvic.outputs.report_text import plain_summary
from lumbopelvic.outputs.report_words import VERDICT_WORDS, Table
from lumbopelvic.outputs.style import LUMBAR_RGB, PELVIS_RGB, TRUNK_RGB, figure_png_base64
from lumbopelvic.outputs.viewer_data import viewer_data
from lumbopelvic.rhythm.summary import RhythmSummary

TEMPLATES = files("lumbopelvic.outputs") / "templates"
NOT_A_DIAGNOSIS = "Describes how the movement was performed; not a diagnosis."
REPETITIONS_INTRO = (
    "Peak values are at the deepest point of each repetition, in degrees of bend from quiet "
    "standing."
)
SPLIT_NOT_SHOWN = "Pelvis and lower back are not shown: see the verdict."
BINS_INTRO = (
    "How the share changed as the trunk bent further: early in a bend the lower back usually "
    "does more, late in it the pelvis does."
)
STANDS_INTRO = (
    "Each stand from its first lean forward to upright, with seat-off (the thighs leaving the "
    "seat) and how far the pelvis had tilted forward by then. Times are seconds of the "
    "recording."
)
TECHNICAL_INTRO = (
    "Onsets and lags are not yet measured well enough to read as findings: their error on "
    "rendered bends exceeds the differences that matter between groups."
)


@dataclass(frozen=True)
class ReportDetails:
    """What the report says beyond the analysis: client, visit notes, date, key frames.

    Attributes
    ----------
    client
        The client's name or code, printed at the top of every page (None: not given).
    notes
        Visit notes, printed under the header.
    analysed_at
        ISO 8601 time of the analysis (the report's date); now when empty.
    key_frames
        Drawn key frames (:func:`lumbopelvic.outputs.key_frames.key_frame_images`).
    """

    client: str | None = None
    notes: str | None = None
    analysed_at: str = ""
    key_frames: list[KeyFrame] = field(default_factory=list)


@dataclass(frozen=True)
class TableSection:
    """A titled table with its introductory sentences."""

    title: str
    intro: list[str]
    table: Table


def shows_split(summary: RhythmSummary) -> bool:
    """Whether pelvis and lumbar figures belong in the report (an analysable trial)."""
    return summary.verdict == Verdict.ANALYSABLE


def report_figures(
    angles: pd.DataFrame,
    rows: pd.DataFrame,
    summary: RhythmSummary,
    curves: dict[str, np.ndarray],
) -> dict[str, Any]:
    """The report's static plots as matplotlib figures.

    ``"time"`` (angles over time), ``"angle_angle"`` (pelvis vs lumbar; only with
    repetitions) and ``"curves"`` (lumbar share over each phase). A trial that is not
    ``analysable`` (:mod:`lumbopelvic.rhythm.verdict`) gets the trunk over time only.
    """
    if not shows_split(summary):
        return {"time": plot_angles(angles, split=False).figure}
    figures = {"time": plot_angles(angles).figure}
    if len(rows):
        figures["angle_angle"] = plot_pelvis_vs_lumbar(angles, rows).figure
        task = task_named(summary.task)
        phases = (task.going, task.returning)
        figures["curves"] = plot_share_curves(curves, phases[:2]).figure
    return figures


def table_sections(
    angles: pd.DataFrame, rows: pd.DataFrame, summary: RhythmSummary, analysed_on: str
) -> list[TableSection]:
    """The report's tables in page order, each measure explained where it first appears."""
    split = shows_split(summary)
    seen: set[str] = set()
    sections = []
    if len(rows):
        sections.append(
            TableSection(
                "Each repetition",
                [REPETITIONS_INTRO + ("" if split else " " + SPLIT_NOT_SHOWN)],
                tables.repetition_table(rows, split, seen),
            )
        )
    if summary.stands is not None and summary.stands.stands:
        sections.insert(
            0, TableSection("Each stand", [STANDS_INTRO], tables.stands_table(rows, seen))
        )
    if len(rows) and split:
        sections.append(
            TableSection(
                "Lower-back share by 30° of trunk bend",
                [BINS_INTRO],
                tables.bins_table(rows, seen),
            )
        )
    if len(rows):
        sections.append(
            TableSection(
                "Variability across repetitions",
                [
                    "How alike the repetitions were; only phases with a confident split count for "
                    "the pelvis and lower-back measures."
                ],
                tables.variability_table(summary, split, seen),
            )
        )
    sections.append(TableSection("Capture quality", [], tables.quality_table(summary.quality)))
    stickers = tables.sticker_table(angles)
    if stickers.rows:
        sections.append(
            TableSection(
                "Stickers and the markerless split on the same frames",
                [
                    "Peak bend (degrees from standing) measured at the skin stickers and by the "
                    "markerless split, and how far apart the two are over the frames the stickers "
                    "measured."
                ],
                stickers,
            )
        )
    if len(rows):
        sections.append(
            TableSection(
                "Technical: not validated",
                [TECHNICAL_INTRO],
                tables.technical_table(rows, seen),
            )
        )
    sections.append(TableSection("Provenance", [], tables.provenance_table(summary, analysed_on)))
    return sections


def css_string(text: str) -> str:
    """``text`` as a CSS string literal that nothing in it can end.

    Every symbol becomes a hex escape; the space after each ends the escape.
    """
    body = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):06x} " for c in text)
    return f'"{body}"'


def page_rules(client: str | None, date: str, heading: str = "Lumbopelvic rhythm") -> str:
    """The ``@page`` body: A4, margins, the running header and the page numbers."""
    running = f"{heading} · {client + ' · ' if client else ''}{date}"
    box = "font: 8pt 'DejaVu Sans', Arial, sans-serif; color: #666;"
    return (
        "size: A4; margin: 16mm 14mm 16mm 14mm; "
        f"@top-left {{ content: {css_string(running)}; {box} }} "
        f"@bottom-left {{ content: {css_string(NOT_A_DIAGNOSIS)}; {box} }} "
        f'@bottom-right {{ content: "Page " counter(page) " of " counter(pages); {box} }}'
    )


def date_words(iso: str) -> str:
    """An ISO 8601 time as the page writes its date ("3 December 2026"); today when empty."""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00")) if iso else datetime.now()
    return f"{moment.day} {moment:%B %Y}"


def colour_hex(rgb: tuple[int, int, int]) -> str:
    """``#rrggbb`` of an RGB triple (0-255)."""
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _legend(split: bool) -> str:
    if not split:
        return (
            "<span class='trunk'>Trunk</span> bend, degrees from quiet standing. Pelvis and "
            "lower back are not shown: see the verdict."
        )
    return (
        "<span class='pelvis'>Pelvis tilt</span> and <span class='lumbar'>lower-back bend"
        "</span> add up to the <span class='trunk'>trunk bend</span> (degrees from quiet "
        "standing); grey stretches: the split is uncertain there and not shown."
    )


def page_css() -> str:
    """The pages' style sheet: the segment colours as CSS variables, then ``report.css``."""
    colours = {"pelvis": PELVIS_RGB, "lumbar": LUMBAR_RGB, "trunk": TRUNK_RGB}
    root = ":root{" + "".join(f"--{k}:{colour_hex(v)};" for k, v in colours.items()) + "}"
    return root + (TEMPLATES / "report.css").read_text(encoding="utf-8")


@cache
def template_environment() -> Any:
    """The Jinja2 environment of the page templates (autoescaped, strict)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_report(
    angles: pd.DataFrame,
    rows: pd.DataFrame,
    summary: RhythmSummary,
    curves: dict[str, np.ndarray],
    title: str,
    details: ReportDetails | None = None,
) -> str:
    """The report as one HTML string (images, styles, script and data inside it).

    Parameters
    ----------
    angles, rows, summary, curves
        The analysis (angle table, repetition rows, summary, share curves).
    title
        The recording's name.
    details
        Client, notes, date and key frames; none when None.
    """
    from markupsafe import Markup

    details = details or ReportDetails()
    split = shows_split(summary)
    analysed_on = date_words(details.analysed_at or now_utc())
    plots = {
        name: figure_png_base64(fig)
        for name, fig in report_figures(angles, rows, summary, curves).items()
    }
    verdict = summary.verdict.value
    shown_flags = [f for f in summary.flags if f != summary.repetitions.message]
    colours = {"pelvis": PELVIS_RGB, "lumbar": LUMBAR_RGB, "trunk": TRUNK_RGB}
    return (
        template_environment()
        .get_template("report.html.j2")
        .render(
            title=title,
            client=details.client,
            notes=details.notes,
            report_date=analysed_on,
            task=task_named(summary.task).words,
            verdict=verdict,
            verdict_words=VERDICT_WORDS.get(verdict, verdict),
            verdict_reasons=[
                r[:1].upper() + r[1:] + ("" if r.endswith(".") else ".")
                for r in summary.assessment.reasons
            ],
            verdict_advice=list(summary.assessment.advice)
            if summary.verdict == Verdict.TRUNK_ONLY
            else [],
            summary_sentences=plain_summary(summary),
            notes_below=shown_flags,
            video_name=ANNOTATED_VIDEO,
            viewer_data=viewer_data(
                angles, rows, split, {k: colour_hex(v) for k, v in colours.items()}
            ),
            key_frames=details.key_frames,
            key_frames_intro=Markup(
                "Frames from the video with the <span class='pelvis'>pelvis</span> and the "
                "<span class='lumbar'>lower back</span> drawn on the body"
                + (", and their angles." if split else "; only the trunk is read here.")
            ),
            legend=Markup(_legend(split)),
            plots=plots,
            tables=table_sections(angles, rows, summary, analysed_on),
            css=Markup(page_css()),
            page_rules=Markup(page_rules(details.client, analysed_on)),
            script=Markup((TEMPLATES / "viewer.js").read_text(encoding="utf-8")),
        )
    )
