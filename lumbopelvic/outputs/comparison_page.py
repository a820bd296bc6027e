"""The follow-up comparison page: what changed between two visits, and whether it is real.

One Jinja2 template (``templates/comparison.html.j2``) with the report's styles, table macro
and A4 page rules (:mod:`lumbopelvic.outputs.report`), so the HTML and its printed PDF
(:mod:`lumbopelvic.outputs.pdf_print`) are the same page. It shows: how alike the two camera
set-ups were, each measure before and after beside the smallest real difference
(:mod:`lumbopelvic.rhythm.change`), the curves of each repetition resampled to 0-100 % of its
phase (:mod:`lumbopelvic.rhythm.phase_curves`) and both recordings' angles on one scale.
Every user-supplied string is escaped by the template; nothing is fetched.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from lumbopelvic.core.tasks import task_named
from lumbopelvic.core.wording import plural
from lumbopelvic.kinematics.camera_setup import CameraSetup
from lumbopelvic.outputs.figures import plot_angles, plot_phase_comparison
from lumbopelvic.outputs.report import (
    date_words,
    page_css,
    page_rules,
    template_environment,
)
from lumbopelvic.outputs.report_words import MEASURES, MISSING, Table, number, phase_words
from lumbopelvic.outputs.style import figure_png_base64, new_figure
from lumbopelvic.rhythm.change import Z_95
from lumbopelvic.rhythm.references import MDC_SOURCE

UNIT_WORDS = {"deg": "°", "pp": " points"}


@dataclass(frozen=True)
class Visit:
    """One recording as the page shows it.

    Attributes
    ----------
    label
        Its label, e.g. ``"Before · Visit 1"``.
    source
        The video or folder it came from (its name).
    angles
        Its angle table (degrees).
    curves
        ``(phase, angle)`` -> :class:`lumbopelvic.rhythm.phase_curves.PhaseCurves`.
    setup
        How the camera saw the person.
    left_out
        Phase name -> phases left out because the split was uncertain.
    """

    label: str
    source: str
    angles: pd.DataFrame
    curves: dict[tuple[str, str], Any]
    setup: CameraSetup
    left_out: dict[str, int] = field(default_factory=dict)


def change_sentences(table: pd.DataFrame) -> list[str]:
    """One plain sentence per measure: before, after, the change and whether it is real."""
    sentences = []
    for row in table.itertuples(index=False):
        name = MEASURES[row.metric][0].split(" (")[0]
        unit = UNIT_WORDS[row.unit]
        value_unit = " %" if row.unit == "pp" else "°"
        if not math.isfinite(row.change):
            sentences.append(f"{name}: {row.label}.")
            continue
        sentences.append(
            f"{name}: {number(row.before)}{value_unit} before, {number(row.after)}{value_unit} "
            f"after, a change of {row.change:+.1f}{unit}: "
            + (
                f"larger than measurement noise ({row.threshold:.1f}{unit}), a real difference."
                if row.label.startswith("larger")
                else f"within measurement noise (smaller than {row.threshold:.1f}{unit}), so no "
                "real change can be claimed."
            )
        )
    return sentences


def change_table(table: pd.DataFrame) -> Table:
    """The measures before and after, the change and the smallest real difference."""
    rows = []
    for row in table.itertuples(index=False):
        unit = UNIT_WORDS[row.unit]
        change = f"{row.change:+.1f}{unit}" if math.isfinite(row.change) else MISSING
        rows.append(
            [
                MEASURES[row.metric][0],
                number(row.before, 1),
                number(row.after, 1),
                change,
                f"{row.threshold:.1f}{unit}",
                row.label,
            ]
        )
    return Table(
        ["Measure", "Before", "After", "Change", "Smallest real difference", "Reading"],
        rows,
        [(MEASURES[m][0], MEASURES[m][1]) for m in table["metric"]],
    )


def noise_words(table: pd.DataFrame) -> list[str]:
    """How the smallest real difference is made, with this comparison's numbers."""
    share = table.set_index("metric").loc["lumbar_contribution_pct"]
    return [
        "Two recordings never give exactly the same numbers, even of the same movement. Two "
        "things add noise: this video measurement itself, and how a person moves a little "
        "differently from day to day. A change counts as real only when it is larger than "
        "both together: the smallest real difference.",
        f"The video measurement's own error was measured on rendered people whose angles are "
        f"known: about {share.instrument_error:.1f} percentage points for the lower-back "
        f"share. The difference of two such measurements is real with 95 % confidence from "
        f"{Z_95} · √2 · that error = {share.instrument_srd:.1f} points on.",
        f"People's day-to-day variation, from the literature ({MDC_SOURCE}): "
        f"{share.literature_mdc:.0f} points for the share.",
        "Both are independent, so they are combined as √(a² + b²): for the lower-back share "
        f"√({share.instrument_srd:.1f}² + {share.literature_mdc:.0f}²) = "
        f"{share.threshold:.1f} points. The table lists the same for each measure.",
    ]


def setup_table(before: CameraSetup, after: CameraSetup) -> Table:
    """The two camera set-ups side by side."""

    def size(s: CameraSetup) -> str:
        return f"{number(100 * s.body_size)} % of the frame height"

    def place(s: CameraSetup) -> str:
        return f"{number(100 * s.hip_x)} % across, {number(100 * s.hip_y)} % down"

    rows = [
        [
            "Camera angle off the side view",
            f"{number(before.view_deg)}°",
            f"{number(after.view_deg)}°",
        ],
        ["Camera tilt from level", f"{number(before.tilt_deg)}°", f"{number(after.tilt_deg)}°"],
        ["Body size in the frame (camera distance)", size(before), size(after)],
        ["Where the hips were in the frame", place(before), place(after)],
        ["Person faced", before.facing or MISSING, after.facing or MISSING],
    ]
    return Table(["", "Before", "After"], [[c.replace("nan", MISSING) for c in r] for r in rows])


def left_out_words(visits: tuple[Visit, Visit]) -> list[str]:
    """Which recordings had phases left out because the split was uncertain."""
    lines = []
    for visit in visits:
        total = sum(visit.left_out.values())
        if total:
            parts = ", ".join(f"{n} {phase_words(p)}" for p, n in visit.left_out.items() if n)
            lines.append(
                f"{visit.label}: {plural(total, 'phase')} left out ({parts}) because the split "
                "between pelvis and lower back was uncertain there; the figures use the rest."
            )
    return lines or [
        "No phase was left out: the split between pelvis and lower back was "
        "confident in every repetition of both recordings."
    ]


def comparison_figures(
    visits: tuple[Visit, Visit], phases: tuple[str, str], limits: tuple[float, float]
) -> dict[str, str]:
    """The page's plots as base64 PNGs: ``"phases"`` (per repetition) and ``"time"``."""
    fig = new_figure(9.2, 3.6)
    axes = fig.subplots(1, 2)
    names = (visits[0].label, visits[1].label)
    for ax, phase in zip(axes, phases, strict=True):
        plot_phase_comparison(
            *({a: v.curves[(phase, a)] for a in ("pelvis", "lumbar")} for v in visits),
            names,
            phase_words(phase).capitalize(),
            limits,
            ax,
            legend=False,
        )
    fig.legend(
        *axes[0].get_legend_handles_labels(), loc="lower center", ncol=4, frameon=False, fontsize=8
    )
    fig.subplots_adjust(bottom=0.3, wspace=0.3)
    time_fig = new_figure(9.2, 3.0)
    time_axes = time_fig.subplots(1, 2, sharey=True)
    for ax, visit in zip(time_axes, visits, strict=True):
        plot_angles(visit.angles, ax)
        ax.set_ylim(*limits)
        ax.set_title(visit.label, fontsize=10)
    return {"phases": figure_png_base64(fig), "time": figure_png_base64(time_fig)}


def render_comparison(
    table: pd.DataFrame,
    visits: tuple[Visit, Visit],
    task: str,
    warnings: list[str],
    limits: tuple[float, float],
    details: dict[str, str | None],
) -> str:
    """The comparison page as one self-contained HTML string.

    Parameters
    ----------
    table
        :func:`lumbopelvic.rhythm.change.compare_summaries` output.
    visits
        Before and after.
    task
        The movement (``forward-bend``...).
    warnings
        Set-up differences (:func:`lumbopelvic.kinematics.camera_setup.setup_differences`).
    limits
        Angle-axis limits of every plot, degrees.
    details
        ``client``, ``notes`` and ``date`` (ISO 8601; today when empty).
    """
    from markupsafe import Markup

    names = task_named(task).phases
    day = date_words(details.get("date") or "")
    return (
        template_environment()
        .get_template("comparison.html.j2")
        .render(
            client=details.get("client"),
            notes=details.get("notes"),
            report_date=day,
            task=task_named(task).words,
            visits=visits,
            warnings=warnings,
            setup=setup_table(visits[0].setup, visits[1].setup),
            sentences=change_sentences(table),
            changes=change_table(table),
            noise=noise_words(table),
            left_out=left_out_words(visits),
            plots=comparison_figures(visits, (names[0], names[2]), limits),
            phase_words=(phase_words(names[0]), phase_words(names[2])),
            css=Markup(page_css()),
            page_rules=Markup(page_rules(details.get("client"), day, "Follow-up comparison")),
        )
    )
