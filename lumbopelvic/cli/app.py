"""The Typer application: every command parses, calls one library function, prints.

Settings options come from the settings dataclasses (:mod:`lumbopelvic.cli.options`); the
work is in :mod:`lumbopelvic.workflows`; errors become one line in
:func:`lumbopelvic.cli.entry.run`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from lumbopelvic.cli.options import (
    ConfigOption,
    JobsOption,
    NoCacheOption,
    OutputOption,
    with_settings,
)
from lumbopelvic.cli.printing import make_console, out
from lumbopelvic.core.errors import EXIT_SOME_FAILED
from lumbopelvic.core.version import __version__
from lumbopelvic.io.layout import DEFAULT_BATCH_DIR, DEFAULT_COMPARE_DIR, DEFAULT_VALIDATION_DIR
from lumbopelvic.kinematics.settings import AngleSettings
from lumbopelvic.pose.settings import PoseSettings
from lumbopelvic.rhythm.settings import RhythmSettings
from lumbopelvic.workflows.progress import Progress as WorkflowProgress
from lumbopelvic.workflows.settings import STEP_SETTINGS, AnalysisSettings

# Compare and validate take whole recordings (two of them, or a set of cases): no range.
RANGE_SETTINGS = ("start", "end")

app = typer.Typer(
    help="Lumbopelvic rhythm from a side-view video of a forward bend, a hip hinge or lift "
    "(--task hinge), a squat or sit-to-stand, and steps and pelvis and trunk motion of a walk "
    "(--task walk). Everything runs locally.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help (two columns, wrapped to the terminal up to 100 columns): rich's four-column
    # panels leave the help text a sliver at 80 columns. -h is --help everywhere.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
models_app = typer.Typer(help="Install and list pose models.", no_args_is_help=True)
app.add_typer(models_app, name="models")

console = make_console(stderr=True)


def _progress() -> WorkflowProgress:
    """Progress bars on stderr (rich's progress module is imported only when a command runs)."""
    from lumbopelvic.cli.progress import ConsoleProgress

    return ConsoleProgress(console)


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
    from lumbopelvic.pose.mediapipe.model_install import install_models
    from lumbopelvic.pose.mediapipe.model_registry import expand_model_names

    with console.status("Fetching and building pose models..."):
        installed = install_models(expand_model_names(names), models_dir, force=force)
    for name, path in installed.items():
        out.print(f"{name}: {path}")


@models_app.command("list")
def models_list(
    models_dir: Annotated[Path | None, typer.Option("--dir", help="Folder to look in.")] = None,
) -> None:
    """Show the known pose models and which are installed."""
    from lumbopelvic.cli.printing import print_models
    from lumbopelvic.pose.mediapipe.model_registry import default_models_dir, list_models

    folder = models_dir or default_models_dir()
    print_models(list_models(folder), folder)


Source = Annotated[
    Path, typer.Argument(help="Video, or a landmark table (.parquet/.csv or its folder).")
]


@app.command("pose")
@with_settings(PoseSettings)
def pose(
    video: Annotated[Path, typer.Argument(help="Video file of a person filmed from the side.")],
    output: OutputOption = None,
    no_cache: NoCacheOption = False,
    config: ConfigOption = None,
    *,
    settings: dict,
) -> None:
    """Extract pose landmarks and the silhouette outline from every frame of a video."""
    from lumbopelvic.cli.printing import print_paths, print_pose_summary
    from lumbopelvic.core.provenance import table_metadata
    from lumbopelvic.workflows.steps import extract_landmarks

    done = extract_landmarks(video, output, PoseSettings(**settings), not no_cache, _progress())
    assert done.pose is not None
    print_pose_summary(table_metadata(done.pose.table))
    print_paths(done.paths)


@app.command("angles")
@with_settings(PoseSettings, AngleSettings)
def angles(
    source: Source,
    output: OutputOption = None,
    no_cache: NoCacheOption = False,
    config: ConfigOption = None,
    *,
    settings: dict,
) -> None:
    """Trunk, pelvis, lumbar, hip and knee angles (changes from standing) with confidence."""
    from lumbopelvic.cli.printing import print_angle_summary, print_paths
    from lumbopelvic.core.provenance import table_metadata
    from lumbopelvic.workflows.steps import measure_angles

    done = measure_angles(
        source, output, AnalysisSettings.from_options(**settings), not no_cache, _progress()
    )
    assert done.angles is not None
    print_angle_summary(done.angles, table_metadata(done.angles))
    print_paths(done.paths)


@app.command("rhythm")
@with_settings(PoseSettings, AngleSettings, RhythmSettings)
def rhythm(
    source: Annotated[
        Path,
        typer.Argument(help="Video, a landmark table, or an angle table (.csv with trunk_deg)."),
    ],
    output: OutputOption = None,
    no_cache: NoCacheOption = False,
    config: ConfigOption = None,
    *,
    settings: dict,
) -> None:
    """Repetitions, lumbar contribution, timing and coordination (reps.csv, summary.json,
    curves.csv).

    With --task walk: steps, cadence, strides and pelvis and trunk motion (steps.csv,
    strides.csv, gait.csv, gait_events.csv, summary.json, curves.csv).
    """
    from lumbopelvic.cli.printing import print_capture_advice, print_paths, print_summary
    from lumbopelvic.workflows.steps import measure_rhythm

    done = measure_rhythm(
        source, output, AnalysisSettings.from_options(**settings), not no_cache, _progress()
    )
    assert done.analysed is not None
    print_summary(done.analysed.summary)
    print_capture_advice(done.analysed.summary.quality)
    print_paths(done.paths)


@app.command("analyze")
@with_settings(*STEP_SETTINGS)
def analyze(
    video: Annotated[Path, typer.Argument(help="Video of a person filmed from the side.")],
    output: OutputOption = None,
    no_cache: NoCacheOption = False,
    config: ConfigOption = None,
    *,
    settings: dict,
) -> None:
    """Annotated video, report, angles, repetitions and summary for one recording.

    With --task walk: the steps, strides and walking report instead of repetitions.
    """
    from lumbopelvic.cli.printing import (
        print_capture_advice,
        print_paths,
        print_pose_summary,
        print_summary,
    )
    from lumbopelvic.core.provenance import table_metadata
    from lumbopelvic.workflows.analyze import analyze as analyze_video

    result = analyze_video(
        video,
        output,
        AnalysisSettings.from_options(**settings),
        use_cache=not no_cache,
        progress=_progress(),
    )
    if result.landmarks is not None:
        print_pose_summary(table_metadata(result.landmarks))
    print_summary(result.summary)
    print_capture_advice(result.summary.quality)
    print_paths(result.paths)
    for note in result.notes:
        out.print(f"Note: {note}")


@app.command("compare")
@with_settings(*STEP_SETTINGS, exclude=RANGE_SETTINGS)
def compare(
    before: Annotated[Path, typer.Argument(help="Video, or an analyze output folder.")],
    after: Annotated[Path, typer.Argument(help="Video, or an analyze output folder.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Output folder.")
    ] = DEFAULT_COMPARE_DIR,
    labels: Annotated[
        str | None,
        typer.Option(
            help="Names of the two recordings, e.g. 'Visit 1,Visit 2' (default: the file names)."
        ),
    ] = None,
    no_cache: NoCacheOption = False,
    config: ConfigOption = None,
    *,
    settings: dict,
) -> None:
    """Follow-up visit: what changed and whether it is more than measurement noise; camera
    set-up check, page and PDF, labelled side-by-side video."""
    from lumbopelvic.cli.printing import print_comparison
    from lumbopelvic.workflows.compare import compare as compare_recordings

    comparison = compare_recordings(
        before,
        after,
        output,
        AnalysisSettings.from_options(**settings),
        labels=labels,
        use_cache=not no_cache,
        progress=_progress(),
    )
    print_comparison(comparison)


@app.command("batch")
@with_settings(*STEP_SETTINGS)
def batch(
    inputs: Annotated[
        list[str] | None, typer.Argument(help="Folders, video files or globs.")
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Output folder.")
    ] = DEFAULT_BATCH_DIR,
    manifest: Annotated[
        Path | None,
        typer.Option(help="CSV with a 'video' column, metadata columns and per-video overrides."),
    ] = None,
    jobs: JobsOption = "auto",  # type: ignore[assignment]  # read_jobs gives 0: one per core
    dask: Annotated[
        str | None, typer.Option(help="Address of a Dask scheduler to send the work to.")
    ] = None,
    config: ConfigOption = None,
    *,
    settings: dict,
) -> None:
    """Analyse many videos: resumable, one folder each, dataset tables, failures recorded."""
    from lumbopelvic.cli.batch_progress import BatchProgress
    from lumbopelvic.cli.printing import print_batch
    from lumbopelvic.workflows.batch import batch as run_batch

    with BatchProgress(console) as progress:
        counts = run_batch(
            inputs or [],
            output,
            manifest,
            jobs,
            dask,
            AnalysisSettings.from_options(**settings),
            on_start=progress.on_start,
            on_result=progress.on_result,
        )
    print_batch(counts, output)
    if counts["failed"]:
        raise typer.Exit(EXIT_SOME_FAILED)


@app.command("validate")
@with_settings(PoseSettings, exclude=RANGE_SETTINGS)
def validate(
    set_dir: Annotated[
        Path | None, typer.Argument(help="Folder of synthetic cases (NAME.mp4 + NAME_truth.csv).")
    ] = None,
    preset: Annotated[
        str | None, typer.Option(help="Render this synth preset first (e.g. benchmark).")
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder for validation.csv.")
    ] = DEFAULT_VALIDATION_DIR,
    jobs: Annotated[int, typer.Option(min=1, help="Render processes (with --preset).")] = 2,
    fast: Annotated[
        bool, typer.Option(help="Render the preset at training speed (<= 854 px).")
    ] = False,
    stickers: Annotated[
        Literal["off", "auto", "on"], typer.Option(help="Skin stickers on the back (experimental).")
    ] = "off",
    config: ConfigOption = None,
    *,
    settings: dict,
) -> None:
    """Measure the angles against synthetic truth: RMSE, peak and lumbar-share errors,
    repetitions."""
    from lumbopelvic.cli.printing import print_validation
    from lumbopelvic.workflows.validate import validate as validate_angles

    pose_settings = PoseSettings(**settings)
    found = validate_angles(
        set_dir, preset, output, pose_settings, jobs, _progress(), fast, stickers
    )
    print_validation(
        found.per_case, found.summary, pose_settings.model, found.paths, found.reliability
    )


def _register_synth() -> None:
    from lumbopelvic.cli.synth_command import synth_command

    app.command("synth")(synth_command)


_register_synth()
