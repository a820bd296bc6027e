"""``compare``: two recordings of a client (before and after), what changed and whether it is real.

Writes ``comparison.csv`` (one row per measure: before, after, change, the smallest real
difference and a plain label, :mod:`lumbopelvic.rhythm.change`), ``comparison.html`` and its
printed ``comparison.pdf`` (set-up check, changes, per-repetition curves; no PDF without
Chromium, and a note says so) and ``side_by_side.mp4`` (labelled, one angle scale, first
repetitions in step).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.provenance import now_utc, table_metadata
from lumbopelvic.core.tasks import TASKS, task_named
from lumbopelvic.io.atomic import atomic_path, write_text_atomic
from lumbopelvic.io.layout import (
    ANNOTATED_VIDEO,
    COMPARE,
    COMPARISON_CSV,
    COMPARISON_HTML,
    COMPARISON_PDF,
    DEFAULT_COMPARE_DIR,
    SIDE_BY_SIDE_VIDEO,
    TABLE_FILES,
)
from lumbopelvic.io.staging import prepare_target, publish, staging_folder, target_lock
from lumbopelvic.kinematics.camera_setup import CameraSetup, camera_setup, setup_differences
from lumbopelvic.outputs.comparison_page import Visit, render_comparison
from lumbopelvic.outputs.figures import shared_limits
from lumbopelvic.outputs.pdf_print import PdfPrinting
from lumbopelvic.outputs.side_by_side import Half, side_by_side
from lumbopelvic.outputs.time_plot import split_series
from lumbopelvic.rhythm.change import compare_summaries
from lumbopelvic.rhythm.phase_curves import phase_curves
from lumbopelvic.workflows.analysis_kinds import kind_of
from lumbopelvic.workflows.analyze import analyze
from lumbopelvic.workflows.progress import SILENT, Progress
from lumbopelvic.workflows.results import Result, load
from lumbopelvic.workflows.settings import AnalysisSettings

# Changes are written with this many decimals (their precision is far coarser).
COMPARISON_FLOAT_FORMAT = "%.3f"
ROLES = ("Before", "After")
# The folders of the recordings a comparison analyses itself.
ROLE_FOLDERS = ("before", "after")


@dataclass(frozen=True)
class Comparison:
    """A before/after comparison.

    Attributes
    ----------
    table
        One row per measure (:func:`lumbopelvic.rhythm.change.compare_summaries`).
    before, after
        The two analyses.
    paths
        ``table``, ``page``, ``pdf`` (when Chromium printed it) and ``video`` (when both
        analyses have their annotated video).
    setup_warnings
        One plain sentence per way the two camera set-ups differ (empty: alike).
    notes
        One line per output that could not be made, and why.
    labels
        How the two recordings are called (``"Before · Visit 1"``...).
    """

    table: pd.DataFrame
    before: Result
    after: Result
    paths: dict[str, Path]
    setup_warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    labels: tuple[str, str] = ROLES


def parse_labels(labels: str | None) -> tuple[str, str] | None:
    """The two names of ``--labels "Visit 1,Visit 2"`` (None when not given).

    Raises
    ------
    LumbopelvicError
        When ``labels`` is not two non-empty names separated by a comma.
    """
    if labels is None:
        return None
    names = [part.strip() for part in labels.split(",")]
    if len(names) != 2 or not all(names):
        raise LumbopelvicError(
            f"--labels needs two names separated by a comma, e.g. 'Visit 1,Visit 2'; got {labels!r}"
        )
    return names[0], names[1]


def require_compared(task: str) -> None:
    """Raise when ``compare`` does not compare recordings of ``task`` yet.

    Raises
    ------
    LumbopelvicError
        Naming the tasks it compares and what to do instead.
    """
    if task_named(task).compared:
        return
    covered = [t.words for t in TASKS.values() if t.compared]
    listed = ", ".join(covered[:-1]) + (" and " if len(covered) > 1 else "") + covered[-1]
    table = TABLE_FILES[kind_of(task).batch_table]
    raise LumbopelvicError(
        f"compare covers the {listed} tasks; {task_named(task).words}s are not compared yet: "
        f"set the two recordings' {table} or the batch tables side by side"
    )


def require_comparable(first: Result, second: Result) -> None:
    """Raise unless the two recordings are of the same movement, one that ``compare``
    covers, and each holds at least one repetition of it.

    Raises
    ------
    LumbopelvicError
        Naming both tasks when they differ; the task when ``compare`` does not cover it; the
        recording with no repetition (a walk analysed as a forward bend, say), whose figures
        would be "not measured" against the other's.
    """
    if first.task != second.task:
        raise LumbopelvicError(
            f"the two recordings are of different movements (before: {first.task}, after: "
            f"{second.task}): compare recordings of the same movement"
        )
    require_compared(first.task)
    for role, result in zip(ROLES, (first, second), strict=True):
        if not result.summary.has_movement:
            words = task_named(result.task).words
            raise LumbopelvicError(
                f"the {role.lower()} recording ({recording_name(result)}) holds no {words}: "
                f"compare needs a {words} in both recordings (another movement, a walk say, "
                "is not compared)"
            )


def visit_labels(names: tuple[str, str]) -> tuple[str, str]:
    """``("Before · <first>", "After · <second>")``."""
    return f"{ROLES[0]} · {names[0]}", f"{ROLES[1]} · {names[1]}"


def recording_name(result: Result) -> str:
    """A recording's name: its video's file name, else its folder's name."""
    return str(result.summary.provenance.get("input", {}).get("name") or result.folder.name)


def compare(
    before: str | os.PathLike[str],
    after: str | os.PathLike[str],
    output: str | os.PathLike[str] = DEFAULT_COMPARE_DIR,
    settings: AnalysisSettings | None = None,
    *,
    labels: str | None = None,
    use_cache: bool = True,
    progress: Progress = SILENT,
    **options: Any,
) -> Comparison:
    """Compare two recordings: videos (analysed into ``output/before`` and ``output/after``)
    or ``analyze`` output folders.

    Parameters
    ----------
    before, after
        A video or an analysis folder each.
    output
        Folder for the comparison files.
    settings, **options
        Settings for analysing videos (see :func:`lumbopelvic.workflows.analyze.analyze`);
        ``client`` and ``notes`` are shown on the comparison page too.
    labels
        ``"Visit 1,Visit 2"``: the two recordings' names on the page and video (default: the
        inputs' names).

    Raises
    ------
    LumbopelvicError
        If an input is neither a video nor an analysis folder, cannot be analysed, the two are
        of different movements, or ``labels`` is not two names.
    """
    given = parse_labels(labels)
    output = prepare_target(Path(output), COMPARE)
    settings = AnalysisSettings.from_options(settings, **options)
    require_compared(settings.rhythm.task)
    with target_lock(output), staging_folder(output) as staging:
        comparison = _compare_into(
            staging, (Path(before), Path(after)), settings, given, use_cache, progress
        )
        paths = publish(staging, output, COMPARE, comparison.paths)
    # The recordings analysed here now live in the output folder: read them from there.
    before_result, after_result = (
        load(output / role) if result.folder.parent == staging else result
        for role, result in zip(ROLE_FOLDERS, (comparison.before, comparison.after), strict=True)
    )
    return replace(comparison, before=before_result, after=after_result, paths=paths)


def _compare_into(
    staging: Path,
    sources: tuple[Path, Path],
    settings: AnalysisSettings,
    given: tuple[str, str] | None,
    use_cache: bool,
    progress: Progress,
) -> Comparison:
    """The comparison's files written into ``staging`` (see :func:`compare`)."""
    output = staging
    results = []
    for role, source in zip(ROLE_FOLDERS, sources, strict=True):
        if source.is_dir():
            results.append(load(source))
            continue
        with progress.stage(f"Analysing {source.name}..."):
            results.append(
                analyze(source, output / role, settings, use_cache=use_cache, progress=progress)
            )
    first, second = results
    require_comparable(first, second)
    names = visit_labels(
        given or (Path(recording_name(first)).stem, Path(recording_name(second)).stem)
    )
    table = compare_summaries(first.summary, second.summary)
    setups = [recording_setup(result) for result in results]
    warnings = setup_differences(*setups)
    paths = {"table": output / COMPARISON_CSV, "page": output / COMPARISON_HTML}
    with atomic_path(paths["table"]) as tmp:
        table.to_csv(tmp, index=False, float_format=COMPARISON_FLOAT_FORMAT)
    visits = (_visit(first, names[0], setups[0]), _visit(second, names[1], setups[1]))
    limits = shared_limits(
        *(r.angles[f"{a}_deg"] for r in results for a in ("trunk", "pelvis", "lumbar"))
    )
    details = {
        "client": settings.outputs.client,
        "notes": settings.outputs.notes,
        "date": now_utc(),
    }
    write_text_atomic(
        paths["page"], render_comparison(table, visits, first.task, warnings, limits, details)
    )
    # The PDF is the page printed; without Chromium there is none, and a note says so.
    with PdfPrinting(paths["page"], output / COMPARISON_PDF) as printing:
        pdf_note = printing.result()
    notes = [pdf_note] if pdf_note else []
    if not pdf_note:
        paths["pdf"] = output / COMPARISON_PDF
    videos = [result.folder / ANNOTATED_VIDEO for result in results]
    missing = [video.parent for video in videos if not video.is_file()]
    if missing:
        notes.append(f"no {ANNOTATED_VIDEO} in {missing[0]}: no side-by-side video")
    else:
        paths["video"] = output / SIDE_BY_SIDE_VIDEO
        halves = [
            Half(video, name, result.angles, first_repetition_s(result.reps))
            for video, name, result in zip(videos, names, results, strict=True)
        ]
        video_limits = shared_limits(*(s for r in results for s in split_series(r.angles)))
        with progress.stage("Side-by-side video..."), atomic_path(paths["video"]) as tmp:
            side_by_side(halves[0], halves[1], tmp, video_limits)
    return Comparison(table, first, second, paths, warnings, notes, names)


def recording_setup(result: Result) -> CameraSetup:
    """How the camera saw the person in one analysed recording (:mod:`..camera_setup`)."""
    source = result.summary.provenance.get("input", {})
    meta = table_metadata(result.angles)
    standing = (
        result.angles["standing"].to_numpy(bool)
        if "standing" in result.angles
        else np.zeros(len(result.angles), bool)
    )
    landmarks = result.landmarks
    if landmarks is not None and len(landmarks) != len(result.angles):
        landmarks = None
    return camera_setup(
        landmarks,
        standing,
        (int(source.get("width") or 0), int(source.get("height") or 0)),
        result.summary.quality,
        str(meta.get("facing") or ""),
    )


def first_repetition_s(reps: pd.DataFrame) -> float:
    """Start of the first repetition, seconds of the recording (0 when none was found)."""
    return float(reps["start_s"].min()) if len(reps) else 0.0


def _visit(result: Result, label: str, setup: CameraSetup) -> Visit:
    phases = task_named(result.task).directional_phases
    curves = {
        (p, a): phase_curves(result.angles, result.reps, p, a)
        for p in phases
        for a in ("pelvis", "lumbar")
    }
    left_out = dict(result.summary.left_out)
    return Visit(label, recording_name(result), result.angles, curves, setup, left_out)
