"""Render a preset's cases with a user's changes to them (``lumbopelvic synth``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lumbopelvic.core.errors import LumbopelvicError


def apply_overrides(
    case: Any,
    changes: dict[str, dict[str, object]],
    orientation: str | None = None,
    duration: float | None = None,
) -> Any:
    """Return ``case`` (a :class:`~lumbopelvic.synth.case.CaseParams`) with the overrides
    applied: ``changes`` maps a part of the case (``camera``, ``motion``, ``props``,
    ``clothing``, ``scene``) to the fields to set; ``None`` values keep the case's own."""
    parts = {}
    for part, fields in changes.items():
        values = {k: v for k, v in fields.items() if v is not None}
        parts[part] = dataclasses.replace(getattr(case, part), **values)
    cam = parts.get("camera", case.camera)
    if orientation is not None:
        if orientation not in ("portrait", "landscape"):
            raise LumbopelvicError(
                f"orientation must be portrait or landscape, got {orientation!r}"
            )
        short, long_ = sorted((cam.width, cam.height))
        w, h = (short, long_) if orientation == "portrait" else (long_, short)
        parts["camera"] = dataclasses.replace(cam, width=w, height=h)
    if duration is not None:
        if duration <= 0:
            raise LumbopelvicError("duration must be positive")
        parts["duration_s"] = duration
    return dataclasses.replace(case, **parts)


# The fast path for training sets: frames no larger than this on their long side, no
# supersampling, at most this many repetitions per clip.
FAST_LONG_SIDE_PX = 854
FAST_MAX_REPS = 2


def fast_variant(case: Any) -> Any:
    """``case`` made quick to render: smaller frames (same aspect), no supersampling, at most
    :data:`FAST_MAX_REPS` repetitions (strides are not cut: a walk needs several). Truth
    stays exact; what changes is image detail."""
    cam = case.camera
    scale = min(1.0, FAST_LONG_SIDE_PX / max(cam.width, cam.height))
    width, height = (2 * round(cam.width * scale / 2), 2 * round(cam.height * scale / 2))
    return dataclasses.replace(
        case,
        camera=dataclasses.replace(cam, width=width, height=height),
        motion=case.motion
        if case.motion.movement == "walk"
        else dataclasses.replace(case.motion, reps=min(case.motion.reps, FAST_MAX_REPS)),
        supersample=1,
    )


def render_preset(
    out_dir: Path,
    preset: str,
    seed: int,
    count: int,
    jobs: int,
    changes: dict[str, dict[str, object]],
    orientation: str | None = None,
    duration: float | None = None,
    fast: bool = False,
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
    from lumbopelvic.synth.world import cases_for

    cases = cases_for(preset, seed, count)
    require_body_models()
    todo = [apply_overrides(c, changes, orientation, duration) for c in cases]
    if fast:
        todo = [fast_variant(c) for c in todo]
    for case in todo:
        validate_case(case)
    ensure_anny_data()
    if on_start is not None:
        on_start(len(todo))
    render_set(todo, out_dir, jobs=jobs, on_case=on_case, on_frame=on_frame)
