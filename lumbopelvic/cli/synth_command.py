"""``lumbopelvic synth``: render videos of people moving, with exactly known angles."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer


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
            help="Forward bends: typical, lumbar-dominant, hip-dominant, delayed-pelvis, "
            "bent-knees, variable, benchmark. The wide world: bend, hinge, lift (deadlifts "
            "from the floor), squat, sit-to-stand, walk, oblique, and benchmark-<that> "
            "(held-out sets); "
            "benchmark-gait: walks from every view."
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
    motion_blur: Annotated[
        float | None, typer.Option(help="Share of the previous frame blended in (0-0.9).")
    ] = None,
    reps: Annotated[int | None, typer.Option(help="Repetitions per clip.")] = None,
    duration: Annotated[
        float | None, typer.Option(help="Clip length, s (cut or padded with standing).")
    ] = None,
    movement: Annotated[
        str | None, typer.Option(help="forward-bend, hinge, squat, sit-to-stand or walk.")
    ] = None,
    start_at_bottom: Annotated[
        bool | None,
        typer.Option("--start-at-bottom/--start-standing", help="Start seated / at the bottom."),
    ] = None,
    arms: Annotated[
        str | None, typer.Option(help="hang, load, crossed or thighs (hands on thighs).")
    ] = None,
    load: Annotated[str | None, typer.Option(help="none, kettlebell or barbell.")] = None,
    seat: Annotated[str | None, typer.Option(help="none, chair or box.")] = None,
    top: Annotated[str | None, typer.Option(help="shirt, longsleeve, hoodie or bare.")] = None,
    clutter: Annotated[
        float | None, typer.Option(help="Things against the wall, 0 (none) to 1 (busy).")
    ] = None,
    floor: Annotated[str | None, typer.Option(help="plain, tiles or planks.")] = None,
    fast: Annotated[
        bool,
        typer.Option(help="Training speed: frames at most 854 px, no supersampling, <= 2 reps."),
    ] = False,
    stickers: Annotated[
        bool,
        typer.Option(
            help="Marker mode: 2.5 cm skin stickers on the back midline over S2, L3 and T12/L1."
        ),
    ] = False,
    sticker_color: Annotated[
        str | None,
        typer.Option(help="Sticker colour R,G,B in 0-1 (default neon green 0.35,1,0.15)."),
    ] = None,
    sticker_side: Annotated[
        float | None,
        typer.Option(help="Stickers this far beside the midline on the camera's side, m."),
    ] = None,
) -> None:
    """Render videos of a synthetic person moving, with a per-frame truth table.

    Each case writes NAME.mp4, NAME_truth.csv (angles in degrees, changes from standing,
    flexion positive; image positions in pixels) and NAME_params.json (every parameter).
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from lumbopelvic.synth.clothing import STICKER_NAMES
    from lumbopelvic.synth.preset_render import render_preset

    if (sticker_color is not None or sticker_side is not None) and not stickers:
        raise typer.BadParameter("needs --stickers", param_hint="--sticker-color/--sticker-side")
    colour = None if sticker_color is None else parse_colour(sticker_color)
    changes: dict[str, dict[str, object]] = {
        "camera": {
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
            "motion_blur": motion_blur,
            "width": width,
            "height": height,
        },
        "motion": {
            "reps": reps,
            "movement": movement,
            "start_at_bottom": start_at_bottom,
            "arms": arms,
        },
        "props": {"load": load, "seat": seat},
        "clothing": {
            "top": top,
            "stickers": STICKER_NAMES if stickers else None,
            "sticker_color": colour,
            "sticker_side_m": sticker_side,
        },
        "scene": {"clutter": clutter, "floor_pattern": floor},
    }
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
        console=None,
        disable=not sys.stderr.isatty(),
    ) as progress:
        overall = progress.add_task("cases", total=None)
        frames = progress.add_task("frames", total=None, visible=jobs <= 1)

        def on_frame(done: int, total: int) -> None:
            progress.update(frames, completed=done, total=total)

        def on_case(case: Any, paths: Any) -> None:
            progress.advance(overall)
            progress.console.print(
                f"{case.name}: {paths.video} {paths.truth} {paths.params} ({paths.frames} frames)",
                highlight=False,
                markup=False,
                soft_wrap=True,
            )

        render_preset(
            out_dir,
            preset,
            seed,
            cases,
            jobs,
            changes,
            orientation,
            duration,
            fast,
            on_start=lambda total: progress.update(overall, total=total),
            on_case=on_case,
            on_frame=on_frame,
        )


def parse_colour(text: str) -> tuple[float, float, float]:
    """``"R,G,B"`` (each in [0, 1]) -> an RGB tuple; :class:`typer.BadParameter` otherwise."""
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        values = ()
    if len(values) != 3 or not all(0.0 <= v <= 1.0 for v in values):
        raise typer.BadParameter(
            f"expected R,G,B with each in 0-1, got {text!r}", param_hint="--sticker-color"
        )
    return values  # type: ignore[return-value]
