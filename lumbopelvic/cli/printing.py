"""What the commands print on stdout: short summaries, tables, and the files written.

Nothing printed is read as rich markup (a path may hold ``[`` and ``]``) and lines are not
wrapped (paths stay whole for copying); colour comes from :class:`rich.text.Text` styles.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from lumbopelvic.core.verdict import Verdict
from lumbopelvic.io.layout import (
    BATCH_FAILURES_CSV,
    BATCH_PAGE_HTML,
    BATCH_REPS_CSV,
    BATCH_TRIALS_CSV,
)

if TYPE_CHECKING:
    import pandas as pd

    from lumbopelvic.core.summaries import TrialSummary
    from lumbopelvic.pose.mediapipe.model_registry import ModelListing

# Width of tables when the output is a log or a pipe (no terminal to fit): lines are never
# hard-wrapped there, so paths stay whole.
LOG_WIDTH = 200


def make_console(stderr: bool = False, **options: Any) -> Console:
    """A console that soft-wraps (a long line stays one line, a path stays whole) and, when
    not writing to a terminal, lays tables out :data:`LOG_WIDTH` columns wide, not 80."""
    console = Console(stderr=stderr, highlight=False, soft_wrap=True, **options)
    if not console.is_terminal:
        console.width = LOG_WIDTH
    return console


out = make_console(markup=False)


def _styled(label: str, style: str, text: str) -> Text:
    return Text.assemble((label, style), text)


def print_paths(paths: dict[str, Path]) -> None:
    """One indented line per file written."""
    for kind, path in paths.items():
        out.print(f"  {kind}: {path}")


def print_pose_summary(meta: dict[str, Any]) -> None:
    """Frames with a person, where the result came from, and whether several people were seen."""
    frames = meta["frames"]
    poses = [step for step in meta.get("history", []) if step.get("step") == "pose"]
    from_cache = bool(poses and poses[-1].get("cache_hit"))
    source = "cache" if from_cache else f"model {meta['model']['name']}"
    out.print(f"{frames['with_person']} of {frames['total']} frames with a person ({source}).")
    if frames["with_several_people"]:
        out.print(
            f"Several people were in view in {frames['with_several_people']} frames; "
            f"followed the main subject ({meta['subject_selection']})."
        )


def print_angle_summary(angles: pd.DataFrame, meta: dict[str, Any]) -> None:
    """Peak flexion of each segment, view quality and filming advice."""
    quality = meta["quality"]
    confident = ~angles["low_confidence"]
    peaks = {}
    for name in ("trunk", "pelvis", "lumbar"):
        values = angles[f"{name}_deg"] if name == "trunk" else angles.loc[confident, f"{name}_deg"]
        peaks[name] = float(values.max()) if values.notna().any() else None
    shown = ", ".join(
        f"{name} {value:.0f}°" if value is not None else f"{name} - (low confidence)"
        for name, value in peaks.items()
    )
    out.print(
        f"Peak flexion: {shown} (facing {meta['facing']}; baseline: {meta['standing']['method']})."
    )
    out.print(
        f"View ~{quality['yaw_deg']:.0f}° off side, split in {quality['frames_with_split']} of "
        f"{len(angles)} frames, median confidence {quality['median_confidence']:.2f}."
    )
    print_capture_advice(quality)


def print_capture_advice(quality: dict[str, Any]) -> None:
    """What the pelvis was measured at when stickers were used, then how to film better, one
    line per piece of advice (nothing when the capture was good)."""
    if "pelvis_lumbar_source" in quality:
        out.print(f"Pelvis and lumbar spine measured at the {quality['pelvis_lumbar_source']}.")
    for advice in quality.get("advice", []):
        out.print(_styled("Advice: ", "yellow", advice))


# How each kind of line is labelled and coloured; a verdict line is coloured by its verdict.
LINE_LABELS = {
    "verdict": "Verdict: ",
    "found": "",
    "low": "Low confidence: ",
    "note": "Note: ",
    "advice": "Advice: ",
}
VERDICT_STYLES = {Verdict.ANALYSABLE: "green", Verdict.TRUNK_ONLY: "yellow"}


def print_summary(summary: TrialSummary) -> None:
    """The verdict, what was found, the measures of low confidence, the trial's flags and the
    advice, as the trial's kind of analysis words them
    (:mod:`lumbopelvic.workflows.analysis_kinds`)."""
    from lumbopelvic.workflows.analysis_kinds import summary_kind

    for line in summary_kind(summary).console_lines(summary):
        if line.kind == "found":
            out.print(line.text)
            continue
        style = VERDICT_STYLES.get(line.verdict, "red") if line.kind == "verdict" else "yellow"
        out.print(_styled(LINE_LABELS[line.kind], style, line.text))


def print_comparison(comparison: Any) -> None:
    """Each measure's change and whether it is real, the set-up warnings, notes, then the
    files (``comparison``: :class:`lumbopelvic.workflows.compare.Comparison`)."""
    from lumbopelvic.outputs.report_words import MEASURES

    units = {"deg": "°", "pp": " points"}
    for row in comparison.table.itertuples(index=False):
        name = MEASURES[row.metric][0].split(" (")[0]
        if math.isfinite(row.change):
            change = f"{row.change:+.1f}{units[row.unit]}"
            limit = f" (smallest real difference {row.threshold:.1f}{units[row.unit]})"
        else:
            change, limit = "-", ""
        out.print(f"{name}: {change} -> {row.label}{limit}")
    for warning in comparison.setup_warnings:
        out.print(_styled("Camera set-up differs: ", "yellow", warning))
    if comparison.setup_warnings:
        out.print("The comparison is weaker: part of a difference may come from the filming.")
    for note in comparison.notes:
        out.print(f"Note: {note}")
    for path in comparison.paths.values():
        out.print(f"  {path}")


def print_batch(counts: dict[str, Any], output: Path) -> None:
    """How many videos were analysed (repetitions found), held no repetition, were skipped and
    failed; each failure's reason; the page and the tables."""
    out.print(
        f"{counts['total']} videos: {counts['analysed']} analysed, {counts['no_repetitions']} "
        f"with no repetition found, {counts['skipped']} already done, {counts['failed']} failed."
    )
    for failure in counts["failures"]:
        out.print(_styled("failed: ", "red", f"{failure['video']}: {failure['reason']}"))
    out.print(f"  page: {output / BATCH_PAGE_HTML}")
    tables = (BATCH_TRIALS_CSV, BATCH_REPS_CSV, BATCH_FAILURES_CSV)
    out.print("  tables: " + ", ".join(str(output / name) for name in tables))


VALIDATION_COLUMNS = (
    "trunk_rmse_deg",
    "pelvis_rmse_deg",
    "lumbar_rmse_deg",
    "hip_rmse_deg",
    "knee_rmse_deg",
    "lumbar_share_error_pp",
    "coverage",
)


def print_validation(
    per_case: pd.DataFrame,
    summary: pd.DataFrame,
    model: str,
    paths: dict[str, Path],
    reliability: pd.DataFrame | None = None,
) -> None:
    """Per-case errors, median and worst case, as a table; error against confidence; then the
    files."""
    cases = len(per_case)
    table = Table(
        title=escape(f"Validation against synthetic truth ({cases} cases, model {model})")
    )
    table.add_column("case", overflow="fold")
    for column in VALIDATION_COLUMNS:
        table.add_column(column.replace("_", " "))
    for _, row in per_case.iterrows():
        table.add_row(escape(str(row["case"])), *[f"{row[c]:.2f}" for c in VALIDATION_COLUMNS])
    for label in ("median", "worst"):
        table.add_row(
            Text(label, style="bold"), *[f"{summary.loc[c, label]:.2f}" for c in VALIDATION_COLUMNS]
        )
    out.print(table)
    if reliability is not None:
        rel = Table(
            title="Error against confidence (pelvis/lumbar split, absolute degrees, "
            "frames with the trunk flexed 20° or more)"
        )
        for column in reliability.columns:
            rel.add_column(column.replace("_", " "))
        for _, row in reliability.iterrows():
            rel.add_row(*[f"{v:.2f}" if isinstance(v, float) else str(v) for v in row])
        out.print(rel)
    for name, path in paths.items():
        out.print(f"  {name.replace('_', ' ')}: {path}")


def print_models(listing: list[ModelListing], folder: Path) -> None:
    """The known pose models: name, installed, size, notes."""
    table = Table(title=escape(f"Pose models in {folder}"))
    for column in ("model", "installed", "size", "notes"):
        table.add_column(column)
    for model in listing:
        size = f"{model.size_mb:.1f} MB" if model.size_mb is not None else ""
        note = model.description + (" [default]" if model.is_default else "")
        table.add_row(model.name, "yes" if model.installed else "no", size, escape(note))
    out.print(table)
