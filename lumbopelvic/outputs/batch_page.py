"""``batch.html``: every trial of a batch with its verdict, key metrics and a link to its report.

Self-contained (no script, no image, no request); links are relative to the batch folder, so
the folder can be moved or shared whole.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from lumbopelvic.core.tasks import TASKS
from lumbopelvic.core.verdict import Verdict
from lumbopelvic.io.layout import (
    BATCH_FAILURES_CSV,
    BATCH_REPS_CSV,
    BATCH_TRIALS_CSV,
    BATCH_VIDEOS_DIR,
    REPORT_HTML,
)
from lumbopelvic.outputs.html_page import cell_text, html_page
from lumbopelvic.outputs.style import PELVIS_RGB, WARNING_RGB

# trials.csv column -> what the page calls it (plain words, unit in brackets).
KEY_METRICS = {
    "repetitions_count": "Repetitions",
    "trunk_peak_flexion_deg": "Peak trunk flexion (°)",
    "pelvis_peak_flexion_deg": "Peak pelvic rotation (°)",
    "lumbar_peak_flexion_deg": "Peak lumbar flexion (°)",
    "lumbar_share_at_deepest_pct": "Lumbar share of the bend at its deepest (%)",
    "view_off_side_deg": "Camera off the side view (°)",
}
# The same for walks (``--task walk``), shown in their own table.
WALK_METRICS = {
    "view": "View",
    "steps_count": "Steps",
    "cadence_per_min": "Cadence (steps per minute)",
    "stride_time_cv_pct": "Stride time variability (%)",
    "speed_bh_s": "Speed (body heights per second)",
}
WALK_LEGEND = (
    "Walks: steps counted from heel strike to heel strike; stride time variability is the "
    "coefficient of variation (SD as % of the mean); speed is measured from the side only. Each "
    "walk's report says which measures its view shows and how far to trust them."
)
# Per kind of analysis (a task's ``analysis``), in page order: its table's heading (none for
# the first), the columns it shows and a legend below it.
SECTIONS = {
    "repetitions": ("", KEY_METRICS, ""),
    "gait": ("Walks", WALK_METRICS, WALK_LEGEND),
}
STATUS_WORDS = {
    "analysed": "analysed",
    "no-repetitions": "no repetitions found",
    "failed": "failed",
}
VERDICT_WORDS = {
    Verdict.ANALYSABLE: "analysable",
    Verdict.TRUNK_ONLY: "trunk only",
    Verdict.NOT_ANALYSABLE: "not analysable",
}
VERDICT_STYLE = {
    Verdict.ANALYSABLE: "color:#1a7f37",
    Verdict.TRUNK_ONLY: f"color:rgb{PELVIS_RGB}",
    Verdict.NOT_ANALYSABLE: f"color:rgb{WARNING_RGB}",
}
PAGE_EXTRA_CSS = (
    "<style>body{max-width:1400px;padding:0 1em}td.reason{max-width:420px}td.num{text-align:right}"
    "p.legend{font-size:13px;color:#444}</style>"
)


def batch_page(trials: pd.DataFrame, title: str) -> str:
    """The page (HTML text) for a batch's ``trials.csv`` table; ``title`` names the batch."""
    body = [PAGE_EXTRA_CSS, f"<h1>Batch {html.escape(title)}</h1>", _counts(trials)]
    tasks = trials["task"] if "task" in trials else pd.Series("", trials.index)
    kinds = tasks.map(analysis_of)
    for kind, (heading, metrics, legend) in SECTIONS.items():
        chosen = kinds == kind
        if not chosen.any():
            continue
        if heading:
            body.append(f"<h2>{heading}</h2>")
        body.append(_table(trials[chosen], metrics))
        if legend:
            body.append(f"<p class='legend'>{legend}</p>")
    body.append(
        "<p class='legend'>Status: <b>analysed</b> (repetitions found), <b>no repetitions "
        "found</b> (the video was read but held no movement of the task), <b>failed</b> (it "
        "could not be read or analysed; see the reason). Verdict: <b>analysable</b>, "
        "<b>trunk only</b> (the pelvis/lumbar split is not supported: view, clothing, "
        "occlusion) or <b>not analysable</b>. Angles are degrees of flexion from the "
        "person's quiet standing, means over the repetitions; pelvis and lumbar figures use "
        "only phases whose split is confident (a dash: none was). The lumbar share is lumbar "
        "flexion as a percentage of trunk flexion at the deepest point of the bend.</p>"
    )
    tables = ", ".join(
        f"<a href='{name}'>{name}</a>"
        for name in (BATCH_TRIALS_CSV, BATCH_REPS_CSV, BATCH_FAILURES_CSV)
    )
    body.append(f"<p class='legend'>Every value and more: {tables}.</p>")
    return html_page(f"Batch {title}", body)


def analysis_of(task: object) -> str:
    """The kind of analysis of a trial's task (a failed trial's may be empty: repetitions)."""
    known = TASKS.get(str(task))
    return known.analysis if known is not None else "repetitions"


def _counts(trials: pd.DataFrame) -> str:
    if not len(trials):
        return "<p>No trial yet.</p>"
    status = trials["status"].value_counts()
    verdict = trials["verdict"].value_counts()
    by_status = ", ".join(f"{status.get(k, 0)} {w}" for k, w in STATUS_WORDS.items())
    by_verdict = ", ".join(f"{verdict.get(k, 0)} {w}" for k, w in VERDICT_WORDS.items())
    return f"<p>{len(trials)} trials: {by_status}. Verdicts: {by_verdict}.</p>"


def _table(trials: pd.DataFrame, metrics: dict[str, str]) -> str:
    columns = list(trials.columns)
    metadata = columns[columns.index("video") + 1 : columns.index("task")]
    head = ["Trial", *metadata, "Status", "Verdict", *metrics.values(), "Reason"]
    rows = [_row(trial, metadata, metrics) for trial in trials.to_dict("records")]
    header = "".join(f"<th>{html.escape(str(name))}</th>" for name in head)
    return f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _row(trial: dict, metadata: list[str], metrics: dict[str, str]) -> str:
    name = html.escape(str(trial["video"]).replace("\\", "/").rsplit("/", 1)[-1])
    if trial["status"] == "failed":
        link = name
    else:
        href = f"{BATCH_VIDEOS_DIR}/{trial['trial']}/{REPORT_HTML}"
        link = f"<a href='{html.escape(href)}'>{name}</a>"
    verdict = str(trial.get("verdict") or "")
    cells = [f"<td>{link}</td>"]
    cells += [f"<td>{html.escape(_text(trial.get(key)))}</td>" for key in metadata]
    cells.append(f"<td>{html.escape(STATUS_WORDS.get(trial['status'], trial['status']))}</td>")
    style = VERDICT_STYLE.get(verdict, "")
    cells.append(
        f"<td style='{style}'><b>{html.escape(VERDICT_WORDS.get(verdict, verdict))}</b></td>"
    )
    cells += [f"<td class='num'>{html.escape(_text(trial.get(key)))}</td>" for key in metrics]
    cells.append(f"<td class='reason'>{html.escape(_text(trial.get('reason')))}</td>")
    return "<tr>" + "".join(cells) + "</tr>"


def _text(value: object) -> str:
    """A cell: numbers to one decimal (counts whole), missing values as ``-``."""
    if value is None or (isinstance(value, float | np.floating) and not np.isfinite(value)):
        return "-"
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return f"{value:.0f}"
    return cell_text(value)
