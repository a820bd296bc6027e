"""Named presets: random but reproducible cases from a seed.

Every sampled value comes from ``numpy.random.default_rng(seed)``, so a preset and a seed
always give the same :class:`~lumbopelvic.synth.generate.CaseParams`. Motion patterns:

``typical``          healthy forward bend: pelvis 55-70 deg, lumbar 40-55 deg.
``lumbar-dominant``  guarded hips: pelvis 25-35 deg, lumbar 50-62 deg.
``hip-dominant``     rigid lumbar spine: lumbar 10-20 deg, pelvis 70-85 deg.
``delayed-pelvis``   typical angles, pelvis starts 200-500 ms after the lumbar spine.
``bent-knees``       typical angles with 20-40 deg of knee flexion.
``variable``         typical angles with large rep-to-rep variation.
``benchmark``        a fixed set of varied cases (see :func:`benchmark_cases`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.synth.body import BodyParams
from lumbopelvic.synth.camera import CameraParams
from lumbopelvic.synth.case import CaseParams
from lumbopelvic.synth.clothing import ClothingParams
from lumbopelvic.synth.motion import MotionParams
from lumbopelvic.synth.scene import SceneParams

PATTERNS = (
    "typical",
    "lumbar-dominant",
    "hip-dominant",
    "delayed-pelvis",
    "bent-knees",
    "variable",
)
PRESETS = (*PATTERNS, "benchmark")
BENCHMARK_SEED = 20_240_601

SKIN_TONES = (
    (0.96, 0.80, 0.69),
    (0.90, 0.70, 0.57),
    (0.80, 0.60, 0.45),
    (0.66, 0.46, 0.32),
    (0.50, 0.34, 0.23),
    (0.36, 0.24, 0.16),
)
CLOTH_COLOURS = (
    (0.15, 0.15, 0.18),
    (0.20, 0.30, 0.65),
    (0.70, 0.15, 0.15),
    (0.15, 0.50, 0.30),
    (0.85, 0.85, 0.85),
    (0.45, 0.45, 0.50),
    (0.90, 0.55, 0.15),
    (0.35, 0.20, 0.45),
    (0.10, 0.25, 0.35),
    (0.60, 0.55, 0.40),
)
HAIR_COLOURS = ((0.10, 0.07, 0.05), (0.30, 0.18, 0.10), (0.55, 0.40, 0.22), (0.70, 0.68, 0.65))
WALL_COLOURS = (
    (0.85, 0.83, 0.78),
    (0.72, 0.78, 0.82),
    (0.88, 0.86, 0.80),
    (0.60, 0.62, 0.60),
    (0.80, 0.74, 0.66),
    (0.93, 0.93, 0.93),
)
FLOOR_COLOURS = (
    (0.55, 0.42, 0.30),
    (0.40, 0.40, 0.42),
    (0.70, 0.62, 0.50),
    (0.30, 0.33, 0.40),
    (0.62, 0.58, 0.55),
)


def draw(rng: np.random.Generator, lo: float, hi: float) -> float:
    """A uniform draw in [lo, hi), rounded to 4 decimals (parameter files stay readable)."""
    return round(float(rng.uniform(lo, hi)), 4)


def pick(rng: np.random.Generator, options: Sequence[Any]) -> Any:
    """One of ``options``, uniformly."""
    return options[int(rng.integers(len(options)))]


def jitter(
    rng: np.random.Generator, colour: Sequence[float], amount: float = 0.04
) -> tuple[float, ...]:
    """``colour`` with each channel moved by up to ``amount``, kept in [0, 1]."""
    c = np.clip(np.asarray(colour) + rng.uniform(-amount, amount, 3), 0.0, 1.0)
    return tuple(round(float(x), 4) for x in c)


def sample_body(rng: np.random.Generator) -> BodyParams:
    """An adult of random build (ages about 20-70)."""
    return BodyParams(
        gender=draw(rng, 0.0, 1.0),
        age=draw(rng, 0.46, 0.85),
        muscle=draw(rng, 0.3, 0.8),
        weight=draw(rng, 0.3, 0.75),
        height=draw(rng, 0.3, 0.8),
        proportions=draw(rng, 0.35, 0.65),
        skin_color=jitter(rng, pick(rng, SKIN_TONES), 0.03),
    )


def sample_clothing(rng: np.random.Generator) -> ClothingParams:
    top, bottom = rng.choice(len(CLOTH_COLOURS), 2, replace=False)
    return ClothingParams(
        bottom=pick(rng, ("shorts", "trousers")),
        top="shirt" if rng.random() < 0.75 else "bare",
        fit="loose" if rng.random() < 0.3 else "fitted",
        top_color=jitter(rng, CLOTH_COLOURS[int(top)]),
        bottom_color=jitter(rng, CLOTH_COLOURS[int(bottom)]),
        shoe_color=jitter(rng, pick(rng, ((0.9, 0.9, 0.9), (0.15, 0.15, 0.15), (0.6, 0.3, 0.3)))),
        hair_color=jitter(rng, pick(rng, HAIR_COLOURS), 0.02),
        loose_m=draw(rng, 0.015, 0.035),
    )


def sample_camera(rng: np.random.Generator) -> CameraParams:
    portrait = rng.random() < 0.8
    return CameraParams(
        facing=pick(rng, ("left", "right")),
        yaw_deg=draw(rng, -15.0, 15.0),
        height_m=draw(rng, 0.7, 1.3),
        pitch_deg=draw(rng, -5.0, 10.0),
        roll_deg=draw(rng, -3.0, 3.0),
        distance_m=draw(rng, 2.2, 4.0),
        fill=draw(rng, 0.45, 0.75),
        width=720 if portrait else 1280,
        height=1280 if portrait else 720,
        fps=30.0,
        crf=int(rng.integers(20, 29)),
        blur_sigma_px=draw(rng, 0.5, 1.5) if rng.random() < 0.3 else 0.0,
        noise_std=draw(rng, 1.0, 4.0) if rng.random() < 0.3 else 0.0,
    )


def sample_scene(rng: np.random.Generator) -> SceneParams:
    warm = draw(rng, -0.06, 0.06)
    return SceneParams(
        wall_color=jitter(rng, pick(rng, WALL_COLOURS)),
        floor_color=jitter(rng, pick(rng, FLOOR_COLOURS)),
        wall_distance_m=draw(rng, 0.8, 3.0),
        light_azimuth_deg=draw(rng, -60.0, 60.0),
        light_elevation_deg=draw(rng, 15.0, 60.0),
        light_intensity=draw(rng, 0.55, 0.85),
        ambient=draw(rng, 0.28, 0.45),
        light_color=(round(1.0, 4), round(1.0 - abs(warm) / 2, 4), round(1.0 - warm, 4)),
        wall_texture=draw(rng, 0.0, 0.03),
    )


def sample_motion(rng: np.random.Generator, pattern: str) -> MotionParams:
    """Motion of one of :data:`PATTERNS`."""
    if pattern not in PATTERNS:
        raise LumbopelvicError(
            f"unknown motion pattern {pattern!r}; choose from {', '.join(PATTERNS)}"
        )
    m = MotionParams(
        reps=int(rng.integers(2, 4)),
        pelvis_peak_deg=draw(rng, 55.0, 70.0),
        lumbar_peak_deg=draw(rng, 40.0, 55.0),
        thoracic_peak_deg=draw(rng, 3.0, 12.0),
        knee_peak_deg=draw(rng, 0.0, 5.0),
        down_s=draw(rng, 1.2, 2.0),
        up_s=draw(rng, 1.2, 2.0),
        hold_s=draw(rng, 0.2, 0.8),
        rest_s=draw(rng, 0.4, 1.0),
        quiet_s=draw(rng, 0.8, 1.5),
        end_s=0.5,
        pelvis_delay_down_s=draw(rng, -0.05, 0.1),
        pelvis_delay_up_s=draw(rng, -0.1, 0.05),
        speed=draw(rng, 0.85, 1.2),
        variability=draw(rng, 0.02, 0.05),
        seed=int(rng.integers(0, 2**31 - 1)),
    )
    if pattern == "lumbar-dominant":
        m.pelvis_peak_deg = draw(rng, 25.0, 35.0)
        m.lumbar_peak_deg = draw(rng, 50.0, 62.0)
    elif pattern == "hip-dominant":
        m.lumbar_peak_deg = draw(rng, 10.0, 20.0)
        m.pelvis_peak_deg = draw(rng, 70.0, 85.0)
    elif pattern == "delayed-pelvis":
        m.pelvis_delay_down_s = draw(rng, 0.2, 0.5)
        m.pelvis_delay_up_s = draw(rng, 0.0, 0.2)
    elif pattern == "bent-knees":
        m.knee_peak_deg = draw(rng, 20.0, 40.0)
    elif pattern == "variable":
        m.variability = draw(rng, 0.12, 0.2)
        m.reps = int(rng.integers(3, 5))
    return m


def make_case(preset: str, seed: int, name: str | None = None) -> CaseParams:
    """A random case of a motion pattern (``preset`` in :data:`PATTERNS`), from ``seed``."""
    if preset not in PATTERNS:
        raise LumbopelvicError(f"unknown preset {preset!r}; choose from {', '.join(PRESETS)}")
    rng = np.random.default_rng([seed, PATTERNS.index(preset)])
    return CaseParams(
        name=name or f"{preset}_s{seed}",
        seed=int(seed),
        preset=preset,
        body=sample_body(rng),
        clothing=sample_clothing(rng),
        camera=sample_camera(rng),
        scene=sample_scene(rng),
        motion=sample_motion(rng, preset),
    )


def benchmark_cases() -> list[CaseParams]:
    """The ``benchmark`` set: 14 fixed cases, deterministic (their seeds are fixed).

    Every motion pattern at least twice, both facing directions for each, yaw from -20 to
    +20 degrees, portrait and landscape, and bodies and clothes sampled per case.
    """
    yaws = (0.0, 12.0, -8.0, 20.0, -20.0, 5.0, -15.0, 15.0, -5.0, 10.0, -12.0, 0.0, 18.0, -18.0)
    patterns = [*PATTERNS, *PATTERNS, "typical", "lumbar-dominant"]
    cases = []
    for i, (pattern, yaw) in enumerate(zip(patterns, yaws, strict=True)):
        seed = BENCHMARK_SEED + i
        case = make_case(pattern, seed, name=f"bench{i + 1:02d}_{pattern}")
        case.preset = "benchmark"
        case.camera.facing = "left" if (i + i // len(PATTERNS)) % 2 == 0 else "right"
        case.camera.yaw_deg = yaw
        case.motion.reps = max(2, min(case.motion.reps, 3))
        cases.append(case)
    return cases


def preset_cases(preset: str, seed: int = 0, count: int = 1) -> list[CaseParams]:
    """Cases of a preset: ``count`` seeds from ``seed`` (the benchmark ignores both)."""
    if preset == "benchmark":
        return benchmark_cases()
    if count < 1:
        raise LumbopelvicError("the number of cases must be at least 1")
    return [make_case(preset, seed + k) for k in range(count)]


def sample_video_cases() -> list[CaseParams]:
    """The clips in ``sample_videos/``: one person and camera, a typical and a guarded
    (lumbar-dominant) rhythm, plus a delayed-pelvis clip of another person facing right.

    720x1280 portrait, 30 fps, two repetitions in 5-6 s.
    """

    def shorten(case: CaseParams, name: str) -> CaseParams:
        case.name = name
        case.preset = "sample"
        case.camera.width, case.camera.height = 720, 1280
        case.camera.crf = 23
        case.camera.blur_sigma_px = 0.0
        case.camera.noise_std = 0.0
        m = case.motion
        m.reps, m.quiet_s, m.down_s, m.up_s = 2, 0.6, 1.0, 1.0
        m.hold_s, m.rest_s, m.end_s = 0.25, 0.2, 0.2
        m.speed, m.variability = 1.0, 0.03
        return case

    typical = shorten(make_case("typical", 11), "typical")
    typical.camera.facing, typical.camera.yaw_deg = "left", 0.0
    typical.camera.pitch_deg, typical.camera.roll_deg, typical.camera.fill = 3.0, 0.0, 0.62
    guarded = shorten(make_case("lumbar-dominant", 11), "guarded")
    guarded.body, guarded.clothing, guarded.scene = typical.body, typical.clothing, typical.scene
    guarded.camera = typical.camera
    guarded.seed = typical.seed
    delayed = shorten(make_case("delayed-pelvis", 12), "delayed_pelvis")
    delayed.camera.facing, delayed.camera.yaw_deg = "right", 10.0
    delayed.motion.down_s = delayed.motion.up_s = 0.9  # the pelvis lag lengthens each rep
    return [typical, guarded, delayed]
