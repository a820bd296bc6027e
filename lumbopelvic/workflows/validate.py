"""``validate``: measure the angles against synthetic truth (renders with known angles).

Pairs every ``NAME.mp4`` of a folder with its ``NAME_truth.csv``, runs pose (cached) and the
angles, and writes ``validation.csv`` (per case) and ``validation_summary.csv`` (median and
worst case of every error; :mod:`lumbopelvic.kinematics.accuracy`).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.tasks import DEFAULT_TASK, TASKS
from lumbopelvic.io.atomic import atomic_path
from lumbopelvic.io.landmark_files import read_table_csv
from lumbopelvic.io.layout import (
    DEFAULT_VALIDATION_DIR,
    VALIDATE,
    VALIDATION_CSV,
    VALIDATION_RELIABILITY_CSV,
    VALIDATION_SUMMARY_CSV,
)
from lumbopelvic.io.ownership import mark_owned
from lumbopelvic.io.staging import prepare_target
from lumbopelvic.kinematics.accuracy import (
    compare_with_truth,
    frame_errors,
    reliability_table,
    summarise,
)
from lumbopelvic.kinematics.settings import AngleSettings
from lumbopelvic.pose.settings import PoseSettings
from lumbopelvic.rhythm.analysis import analyse_rhythm
from lumbopelvic.rhythm.settings import RhythmSettings
from lumbopelvic.rhythm.stands import stand_errors
from lumbopelvic.workflows.progress import SILENT, Progress
from lumbopelvic.workflows.sources import angle_table, run_pose

TRUTH_SUFFIX = "_truth.csv"
VALIDATION_FLOAT_FORMAT = "%.3f"  # degrees and points: far finer than the errors


@dataclass(frozen=True)
class Validation:
    """Accuracy against truth.

    Attributes
    ----------
    per_case
        One row per case: RMSE and peak errors of trunk, pelvis and lumbar, lumbar share
        error, coverage.
    summary
        Median over cases and worst case of each error (rows: errors).
    paths
        ``validation.csv``, ``validation_summary.csv`` and ``validation_reliability.csv``.
    reliability
        Error against confidence (:func:`lumbopelvic.kinematics.accuracy.reliability_table`).
    """

    per_case: pd.DataFrame
    summary: pd.DataFrame
    paths: dict[str, Path]
    reliability: pd.DataFrame


def truth_pairs(set_dir: Path) -> list[tuple[Path, Path]]:
    """``(video, truth table)`` pairs of a folder of renders, by name."""
    return [
        (video, video.with_name(f"{video.stem}{TRUTH_SUFFIX}"))
        for video in sorted(set_dir.glob("*.mp4"))
        if video.with_name(f"{video.stem}{TRUTH_SUFFIX}").is_file()
    ]


def rendered_preset(
    preset: str, folder: Path, jobs: int, fast: bool = False, progress: Progress = SILENT
) -> Path:
    """``folder`` with the renders of a synth preset (seed 0), rendered unless already there."""
    if not any(folder.glob(f"*{TRUTH_SUFFIX}")):
        from lumbopelvic.synth.preset_render import render_preset

        with progress.stage(f"Rendering the {preset} preset..."):
            render_preset(folder, preset, seed=0, count=1, jobs=jobs, changes={}, fast=fast)
    return folder


def case_task(video: Path) -> str:
    """The repetition task of a rendered case, from its ``NAME_params.json``: the task named
    like its movement (a hinge is analysed as a hinge), else the default (a forward bend,
    when the file or the movement is missing or names no task of repetitions)."""
    params = video.with_name(f"{video.stem}_params.json")
    movement = DEFAULT_TASK
    if params.is_file():
        data = json.loads(params.read_text(encoding="utf-8"))
        movement = data.get("case", {}).get("motion", {}).get("movement", movement)
    task = TASKS.get(movement)
    return movement if task is not None and task.analysis == "repetitions" else DEFAULT_TASK


def repetition_counts(
    angles: pd.DataFrame, truth: pd.DataFrame, task: str, events: dict[str, list[float]]
) -> dict[str, float]:
    """Repetitions found in the measured angles and in the truth's, for the same task; for a
    task counted in stands, the stands and seat-off against the truth
    (:func:`lumbopelvic.rhythm.stands.stand_errors`; ``events``: the case's true events)."""
    settings = RhythmSettings(task)
    true_rhythm = analyse_rhythm(truth.assign(confidence=1.0), settings)
    rhythm = analyse_rhythm(angles, settings)
    counts: dict[str, float] = {
        "reps_true": len(true_rhythm.repetitions),
        "reps_found": len(rhythm.repetitions),
        # What the task counts (repetitions, lifts, stands), on the truth and as measured.
        "counted_true": true_rhythm.summary.found,
        "counted_found": rhythm.summary.found,
    }
    if settings.movement.counts_stands:
        counts.update(stand_errors(rhythm.reps, true_rhythm.reps, events.get("seat_off_s", [])))
    return counts


def case_events(video: Path) -> dict[str, list[float]]:
    """The true events of a rendered case (``events`` of its ``NAME_params.json``)."""
    params = video.with_name(f"{video.stem}_params.json")
    if not params.is_file():
        return {}
    return json.loads(params.read_text(encoding="utf-8")).get("events", {})


def _markerless_scores(angles: pd.DataFrame, truth: pd.DataFrame) -> dict[str, object]:
    """Where stickers measured the split: its share of frames and the markerless split's
    errors on the same clip (``markerless_*``), for the two side by side."""
    if "pelvis_markerless_deg" not in angles:
        return {"sticker_share": 0.0}
    markerless = angles.assign(
        **{
            f"{name}_deg": angles[f"{name}_markerless_deg"]
            for name in ("pelvis", "trunk", "lumbar")
        }
    )
    scores = compare_with_truth(markerless, truth)
    share = float((angles["pelvis_source"] == "stickers").mean())
    return {"sticker_share": round(share, 3), **{f"markerless_{k}": v for k, v in scores.items()}}


def validate(
    set_dir: str | os.PathLike[str] | None = None,
    preset: str | None = None,
    output: str | os.PathLike[str] = DEFAULT_VALIDATION_DIR,
    pose: PoseSettings | None = None,
    jobs: int = 2,
    progress: Progress = SILENT,
    fast: bool = False,
    stickers: str = "off",
) -> Validation:
    """Measure the angles of every rendered case against its truth.

    Parameters
    ----------
    set_dir
        Folder of ``NAME.mp4`` + ``NAME_truth.csv`` pairs; or None with ``preset``.
    preset
        Render this synth preset first (e.g. ``"benchmark"``) into
        ``output/<preset>_renders``.
    output
        Folder for the two tables.
    pose
        Pose settings (model).
    jobs
        Render processes (with ``preset``).
    fast
        Render the preset at training speed (frames at most 854 px, no supersampling).
    stickers
        Marker mode (``auto``, ``on``, ``off``): where stickers are used, the markerless
        split is scored too (``markerless_*`` columns) on the same frames.

    Per case: the angle errors of :func:`lumbopelvic.kinematics.accuracy.compare_with_truth`,
    the task, and the repetitions found against those in the truth.
    """
    if (set_dir is None) == (preset is None):
        raise LumbopelvicError("give either a SET_DIR or --preset NAME")
    output = prepare_target(Path(output), VALIDATE)
    # Written in place (the preset's renders are kept for the next run): the renders and the
    # tables are the command's own whatever state a stopped run left them in.
    output.mkdir(parents=True, exist_ok=True)
    written = [VALIDATION_CSV, VALIDATION_SUMMARY_CSV, VALIDATION_RELIABILITY_CSV]
    renders = [f"{preset}_renders/"] if preset is not None else []
    mark_owned(output, VALIDATE, pending=[*written, *renders])
    if preset is not None:
        folder = rendered_preset(preset, output / f"{preset}_renders", jobs, fast, progress)
    else:
        folder = Path(set_dir)  # type: ignore[arg-type]
    pairs = truth_pairs(folder)
    if not pairs:
        raise LumbopelvicError(f"no NAME.mp4 with NAME{TRUTH_SUFFIX} in {folder}")
    rows, frames = [], []
    angle_settings = AngleSettings(stickers=stickers)
    for video, truth_path in pairs:
        progress.note(video.name)
        table = run_pose(video, pose, True, progress).table
        angles = angle_table(table, angle_settings, video)
        truth = read_table_csv(truth_path, "truth table")
        task = case_task(video)
        rows.append(
            {
                "case": video.stem,
                "task": task,
                **compare_with_truth(angles, truth),
                **repetition_counts(angles, truth, task, case_events(video)),
                **_markerless_scores(angles, truth),
            }
        )
        frames.append(frame_errors(angles, truth).assign(case=video.stem))
    per_case = pd.DataFrame(rows)
    reliability = reliability_table(pd.concat(frames, ignore_index=True))
    summary = summarise(per_case)
    paths = {
        "per_case": output / VALIDATION_CSV,
        "summary": output / VALIDATION_SUMMARY_CSV,
        "reliability": output / VALIDATION_RELIABILITY_CSV,
    }
    with atomic_path(paths["reliability"]) as tmp:
        reliability.to_csv(tmp, index=False, float_format=VALIDATION_FLOAT_FORMAT)
    with atomic_path(paths["per_case"]) as tmp:
        per_case.to_csv(tmp, index=False, float_format=VALIDATION_FLOAT_FORMAT)
    with atomic_path(paths["summary"]) as tmp:
        summary.to_csv(tmp, float_format=VALIDATION_FLOAT_FORMAT)
    mark_owned(output, VALIDATE)
    return Validation(per_case, summary, paths, reliability)
