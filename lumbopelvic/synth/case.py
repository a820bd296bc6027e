"""One rendered clip's parameters: the case, its JSON form and its validation.

A case is fully described by :class:`CaseParams` (JSON round-trip with :func:`case_to_dict`
and :func:`case_from_dict`); the same parameters give the same video, frame for frame.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.synth.body import BodyParams
from lumbopelvic.synth.camera import CameraParams
from lumbopelvic.synth.clothing import STICKER_COLOR, STICKER_NAMES, TOPS, ClothingParams
from lumbopelvic.synth.gait import GaitParams
from lumbopelvic.synth.motion import MOVEMENTS, MotionParams
from lumbopelvic.synth.posing import ARM_POSES
from lumbopelvic.synth.props import LOADS, SEATS, PropParams
from lumbopelvic.synth.scene import FLOOR_PATTERNS, SceneParams


@dataclass
class CaseParams:
    """Everything that defines one rendered clip.

    Attributes
    ----------
    name
        File stem of the outputs (letters, digits, ``-`` and ``_``).
    seed
        Seed of the frame noise (and, through the presets, of every sampled value).
    duration_s
        Clip length in seconds; ``None`` ends after the last repetition (+ ``end_s``).
    supersample
        Render at this multiple of the resolution and downsample (anti-aliasing).
    gait
        How the person walks, when the movement is ``walk``.
    """

    name: str = "case"
    seed: int = 0
    preset: str = "typical"
    body: BodyParams = field(default_factory=BodyParams)
    clothing: ClothingParams = field(default_factory=ClothingParams)
    camera: CameraParams = field(default_factory=CameraParams)
    scene: SceneParams = field(default_factory=SceneParams)
    motion: MotionParams = field(default_factory=MotionParams)
    duration_s: float | None = None
    supersample: int = 2
    props: PropParams = field(default_factory=PropParams)
    gait: GaitParams = field(default_factory=GaitParams)


_NESTED = {
    "body": BodyParams,
    "clothing": ClothingParams,
    "camera": CameraParams,
    "scene": SceneParams,
    "motion": MotionParams,
    "props": PropParams,
    "gait": GaitParams,
}


# Added after parameter files were first written: left out while at their defaults, so a
# case without stickers keeps the parameter file it always had.
_STICKER_DEFAULTS = {
    "stickers": (),
    "sticker_color": STICKER_COLOR,
    "sticker_diameter_m": 0.025,
    "sticker_side_m": 0.0,
}


def case_to_dict(case: CaseParams) -> dict[str, Any]:
    """JSON-ready dict of a case (tuples become lists; sticker settings only when not all
    at their defaults)."""
    data = asdict(case)
    clothing = data["clothing"]
    as_tuple = {k: tuple(v) if isinstance(v, list) else v for k, v in clothing.items()}
    if all(as_tuple[k] == v for k, v in _STICKER_DEFAULTS.items()):
        for k in _STICKER_DEFAULTS:
            del clothing[k]
    return data


def case_from_dict(data: dict[str, Any]) -> CaseParams:
    """Inverse of :func:`case_to_dict` (unknown keys are an error)."""
    kwargs: dict[str, Any] = {}
    for f in fields(CaseParams):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name in _NESTED:
            cls = _NESTED[f.name]
            known = {g.name for g in fields(cls)}
            unknown = set(value) - known
            if unknown:
                raise LumbopelvicError(f"unknown {f.name} parameters: {sorted(unknown)}")
            value = cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in value.items()})
        kwargs[f.name] = value
    unknown = set(data) - {f.name for f in fields(CaseParams)}
    if unknown:
        raise LumbopelvicError(f"unknown case parameters: {sorted(unknown)}")
    return CaseParams(**kwargs)


def validate_case(case: CaseParams) -> None:
    """Raise :class:`LumbopelvicError` for parameters that cannot be rendered."""
    cam = case.camera
    if cam.width < 16 or cam.height < 16 or cam.width % 2 or cam.height % 2:
        raise LumbopelvicError(
            f"frame size must be even and at least 16 px, got {cam.width}x{cam.height}"
        )
    if not 1.0 <= cam.fps <= 240.0:
        raise LumbopelvicError(f"fps must be between 1 and 240, got {cam.fps}")
    if not 0 <= cam.crf <= 51:
        raise LumbopelvicError(f"crf must be between 0 and 51, got {cam.crf}")
    if cam.facing not in ("left", "right"):
        raise LumbopelvicError(f"facing must be left or right, got {cam.facing!r}")
    if not 0.05 <= cam.fill <= 1.0:
        raise LumbopelvicError(f"fill must be between 0.05 and 1, got {cam.fill}")
    if cam.distance_m < 0.8:
        raise LumbopelvicError(f"camera distance must be at least 0.8 m, got {cam.distance_m}")
    if case.motion.reps < 0:
        raise LumbopelvicError("reps must not be negative")
    if not 0.0 <= cam.motion_blur < 0.9:
        raise LumbopelvicError(f"motion blur must be between 0 and 0.9, got {cam.motion_blur}")
    for what, value, options in (
        ("movement", case.motion.movement, MOVEMENTS),
        ("arm pose", case.motion.arms, ARM_POSES),
        ("load", case.props.load, LOADS),
        ("seat", case.props.seat, SEATS),
        ("top", case.clothing.top, TOPS),
        ("floor", case.scene.floor_pattern, FLOOR_PATTERNS),
    ):
        if value not in options:
            raise LumbopelvicError(f"unknown {what} {value!r}; choose from {', '.join(options)}")
    _validate_stickers(case.clothing)
    if case.supersample < 1 or case.supersample > 4:
        raise LumbopelvicError("supersample must be 1 to 4")
    if not all(c.isalnum() or c in "-_" for c in case.name) or not case.name:
        raise LumbopelvicError(f"case name must be letters, digits, - and _: {case.name!r}")


def _validate_stickers(clothing: ClothingParams) -> None:
    """Raise :class:`LumbopelvicError` for unknown or repeated sticker names, a colour not
    in [0, 1] or a diameter outside 5-100 mm."""
    stickers = tuple(clothing.stickers) if not isinstance(clothing.stickers, str) else ()
    if isinstance(clothing.stickers, str) or any(s not in STICKER_NAMES for s in stickers):
        raise LumbopelvicError(
            f"unknown sticker in {clothing.stickers!r}; choose from {', '.join(STICKER_NAMES)}"
        )
    if len(set(stickers)) != len(stickers):
        raise LumbopelvicError(f"each sticker may be placed once, got {stickers}")
    colour = tuple(clothing.sticker_color)
    if len(colour) != 3 or not all(0.0 <= c <= 1.0 for c in colour):
        raise LumbopelvicError(f"sticker colour must be 3 values in [0, 1], got {colour}")
    if not 0.0 <= clothing.sticker_side_m <= 0.08:
        raise LumbopelvicError(
            f"stickers may sit 0-0.08 m beside the midline, got {clothing.sticker_side_m}"
        )
    if not 0.005 <= clothing.sticker_diameter_m <= 0.1:
        raise LumbopelvicError(
            f"sticker diameter must be 0.005-0.1 m, got {clothing.sticker_diameter_m}"
        )
