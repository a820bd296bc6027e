"""``compare``: two recordings (pre and post), each metric's change against measurement noise.

Writes ``comparison.csv`` (one row per metric: before, after, change, the MDC range and a
plain label), ``comparison.html`` (the table and overlaid curves) and ``side_by_side.mp4``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from lumbopelvic.io.atomic import atomic_path, write_text_atomic
from lumbopelvic.io.layout import (
    ANNOTATED_VIDEO,
    COMPARISON_CSV,
    COMPARISON_HTML,
    DEFAULT_COMPARE_DIR,
    SIDE_BY_SIDE_VIDEO,
    input_name,
)
from lumbopelvic.io.staging import prepare_target
from lumbopelvic.outputs.comparison_page import comparison_page
from lumbopelvic.outputs.side_by_side import side_by_side
from lumbopelvic.rhythm.change import compare_summaries
from lumbopelvic.workflows.analyze import analyze
from lumbopelvic.workflows.progress import SILENT, Progress
from lumbopelvic.workflows.results import Result, load
from lumbopelvic.workflows.settings import AnalysisSettings

# Changes are written with this many decimals (their precision is far coarser).
COMPARISON_FLOAT_FORMAT = "%.3f"


@dataclass(frozen=True)
class Comparison:
    """A pre/post comparison.

    Attributes
    ----------
    table
        One row per metric: ``metric, before, after, change, mdc_low, mdc_high, unit, label``.
    before, after
        The two analyses.
    paths
        ``comparison.csv``, ``comparison.html`` and ``side_by_side.mp4`` (the last only when
        both analyses have their annotated video).
    """

    table: pd.DataFrame
    before: Result
    after: Result
    paths: dict[str, Path]


def compare(
    before: str | os.PathLike[str],
    after: str | os.PathLike[str],
    output: str | os.PathLike[str] = DEFAULT_COMPARE_DIR,
    settings: AnalysisSettings | None = None,
    *,
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
        Settings for analysing videos (see :func:`lumbopelvic.workflows.analyze.analyze`).

    Raises
    ------
    LumbopelvicError
        If an input is neither a video nor an analysis folder, or cannot be analysed.
    """
    output = prepare_target(Path(output), replace=False)
    settings = AnalysisSettings.from_options(settings, **options)
    results = []
    for label, source in (("before", Path(before)), ("after", Path(after))):
        if source.is_dir():
            results.append(load(source))
            continue
        with progress.stage(f"Analysing {source.name}..."):
            results.append(analyze(source, output / label, settings, use_cache=use_cache,
                                   progress=progress))  # fmt: skip
    first, second = results
    table = compare_summaries(first.summary, second.summary)
    paths = {"table": output / COMPARISON_CSV, "page": output / COMPARISON_HTML}
    output.mkdir(parents=True, exist_ok=True)
    with atomic_path(paths["table"]) as tmp:
        table.to_csv(tmp, index=False, float_format=COMPARISON_FLOAT_FORMAT)
    names = (input_name(before), input_name(after))
    write_text_atomic(paths["page"], comparison_page(table, first.angles, second.angles, names))
    videos = [result.folder / ANNOTATED_VIDEO for result in results]
    missing = [video.parent for video in videos if not video.is_file()]
    if missing:
        progress.note(f"no {ANNOTATED_VIDEO} in {missing[0]}: no side-by-side video")
    else:
        paths["video"] = output / SIDE_BY_SIDE_VIDEO
        with progress.stage("Side-by-side video..."), atomic_path(paths["video"]) as tmp:
            side_by_side(videos[0], videos[1], tmp)
    return Comparison(table, first, second, paths)
