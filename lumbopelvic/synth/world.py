"""The wide world: presets for the movements, clothes, scenes and cameras clients bring.

Every value is drawn from ``numpy.random.default_rng`` of the preset and seed, so a preset
and a seed always give the same case. Presets (:data:`WORLD_PRESETS`):

``bend``          forward bends of every rhythm (typical, lumbar- or hip-dominant, delayed
                  pelvis, bent knees), neutral or rounded upper back, hands hanging,
                  crossed or sliding down the thighs.
``hinge``         lifts and hinge drills (:data:`HINGE_STYLES`): Romanian deadlifts and good
                  mornings with the knees nearly straight, hip-hinge drills, kettlebell and
                  barbell deadlifts with the knees bent 40-80 deg and often starting with the
                  load on the floor (a barbell's plates then hide the shins); a neutral back
                  (little lumbar flexion) or a rounded one.
``lift``          kettlebell and barbell deadlifts from the floor (the deep styles of
                  ``hinge``, always starting with the load on the floor).
``squat``         squats to 90-110 deg of knee flexion, arms hanging or crossed.
``sit-to-stand``  rising from and sitting down on a chair or a box, arms crossed or hanging;
                  half the clips start seated; the pelvis leads the rise or starts it up to
                  0.4 s late.
``oblique``       bends, hinges and squats filmed 25-70 deg off the side view (either side),
                  for what the trunk and legs can and cannot do beyond the side view.
``walk``          3-6 strides across the view from the side (or on the spot from the front,
                  back or obliquely), with pelvis and thorax turning in phase (guarded) to
                  anti-phase (brisk), and stride times that vary more or less.

Across all of them: the full range of adult ANNY shapes and ages; shirts, long sleeves,
draped hoodies and bare torsos, fitted or loose, shorts or trousers; plain or cluttered
rooms with plain, tiled or plank floors; cameras 0.5-1.5 m high, rolled up to 5 deg, up to
25 deg off the side view, 360p to 1080p, 30 or 60 fps, compressed as phones do, with motion
blur. ``benchmark-<preset>`` is a fixed held-out set of each (seeds no training uses).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.synth.body import BodyParams
from lumbopelvic.synth.camera import CameraParams
from lumbopelvic.synth.case import CaseParams
from lumbopelvic.synth.clothing import ClothingParams
from lumbopelvic.synth.gait import GaitParams
from lumbopelvic.synth.motion import MotionParams
from lumbopelvic.synth.presets import (
    CLOTH_COLOURS,
    FLOOR_COLOURS,
    HAIR_COLOURS,
    PRESETS,
    SKIN_TONES,
    WALL_COLOURS,
    draw,
    jitter,
    pick,
    preset_cases,
    sample_motion,
)
from lumbopelvic.synth.props import PropParams
from lumbopelvic.synth.scene import SceneParams

# New presets go last: each preset's random stream is keyed by its place here.
WORLD_PRESETS = ("bend", "hinge", "squat", "sit-to-stand", "walk", "oblique", "lift")
BENCHMARK_PRESETS = tuple(f"benchmark-{name}" for name in WORLD_PRESETS)
# Held-out seeds: training sets draw from below this, benchmarks from these on.
BENCHMARK_SEED_BASE = 9_000_000
BENCHMARK_SIZE = 10
RESOLUTIONS = ((360, 640), (480, 854), (720, 1280), (1080, 1920))
GYM_WALLS = ((0.25, 0.25, 0.27), (0.45, 0.42, 0.40), (0.15, 0.2, 0.3))


def _even(x: int) -> int:
    return x + x % 2


def world_body(rng: np.random.Generator) -> BodyParams:
    """Any adult shape: ages about 20-85, thin to heavy, short to tall."""
    return BodyParams(
        gender=draw(rng, 0.0, 1.0),
        age=draw(rng, 0.45, 1.0),
        muscle=draw(rng, 0.1, 0.9),
        weight=draw(rng, 0.1, 0.9),
        height=draw(rng, 0.1, 0.9),
        proportions=draw(rng, 0.2, 0.8),
        skin_color=jitter(rng, pick(rng, SKIN_TONES), 0.03),
    )


def world_clothing(rng: np.random.Generator) -> ClothingParams:
    top, bottom = rng.choice(len(CLOTH_COLOURS), 2, replace=False)
    kind = pick(rng, ("shirt", "shirt", "longsleeve", "hoodie", "hoodie", "bare"))
    return ClothingParams(
        bottom=pick(rng, ("shorts", "trousers", "trousers")),
        top=kind,
        fit="loose" if rng.random() < 0.5 else "fitted",
        top_color=jitter(rng, CLOTH_COLOURS[int(top)]),
        bottom_color=jitter(rng, CLOTH_COLOURS[int(bottom)]),
        shoe_color=jitter(rng, pick(rng, ((0.9, 0.9, 0.9), (0.15, 0.15, 0.15), (0.6, 0.3, 0.3)))),
        hair_color=jitter(rng, pick(rng, HAIR_COLOURS), 0.02),
        loose_m=draw(rng, 0.04, 0.08) if kind == "hoodie" else draw(rng, 0.015, 0.045),
    )


def world_camera(rng: np.random.Generator) -> CameraParams:
    width, height = pick(rng, RESOLUTIONS)
    portrait = rng.random() < 0.75
    return CameraParams(
        facing=pick(rng, ("left", "right")),
        yaw_deg=draw(rng, -25.0, 25.0),
        height_m=draw(rng, 0.5, 1.5),
        pitch_deg=draw(rng, -8.0, 15.0),
        roll_deg=draw(rng, -5.0, 5.0),
        distance_m=draw(rng, 2.0, 4.5),
        fill=draw(rng, 0.4, 0.8),
        width=_even(width if portrait else height),
        height=_even(height if portrait else width),
        fps=pick(rng, (30.0, 30.0, 60.0)),
        crf=int(rng.integers(20, 34)),
        blur_sigma_px=draw(rng, 0.4, 1.5) if rng.random() < 0.3 else 0.0,
        noise_std=draw(rng, 1.0, 5.0) if rng.random() < 0.4 else 0.0,
        motion_blur=draw(rng, 0.2, 0.5) if rng.random() < 0.4 else 0.0,
    )


def world_scene(rng: np.random.Generator) -> SceneParams:
    warm = draw(rng, -0.08, 0.08)
    gym = rng.random() < 0.25
    return SceneParams(
        wall_color=jitter(rng, pick(rng, GYM_WALLS if gym else WALL_COLOURS)),
        floor_color=jitter(rng, pick(rng, FLOOR_COLOURS)),
        wall_distance_m=draw(rng, 0.8, 4.0),
        light_azimuth_deg=draw(rng, -70.0, 70.0),
        light_elevation_deg=draw(rng, 10.0, 70.0),
        light_intensity=draw(rng, 0.45, 0.9),
        ambient=draw(rng, 0.22, 0.5),
        light_color=(1.0, round(1.0 - abs(warm) / 2, 4), round(1.0 - warm, 4)),
        wall_texture=draw(rng, 0.0, 0.05),
        clutter=draw(rng, 0.3, 1.0) if rng.random() < 0.6 else 0.0,
        floor_pattern=pick(rng, ("plain", "tiles", "planks")),
    )


def world_motion(rng: np.random.Generator, preset: str) -> tuple[MotionParams, PropParams]:
    """The movement and what the person holds or sits on."""
    if preset == "bend":
        pattern = pick(
            rng,
            (
                "typical",
                "lumbar-dominant",
                "hip-dominant",
                "delayed-pelvis",
                "bent-knees",
                "variable",
            ),
        )
        motion = sample_motion(rng, pattern)
        motion.thoracic_peak_deg = draw(rng, 0.0, 25.0)  # neutral to rounded upper back
        motion.arms = pick(rng, ("hang", "hang", "crossed"))
        return motion, PropParams()
    base = sample_motion(rng, "typical")
    base.reps = int(rng.integers(1, 4))
    if preset == "hinge":
        return hinge_motion(rng, base)
    if preset == "lift":
        return hinge_motion(rng, base, LIFT_STYLES)
    if preset == "squat":
        base.movement = "squat"
        base.knee_peak_deg = draw(rng, 90.0, 110.0)
        base.pelvis_peak_deg = draw(rng, 20.0, 50.0)
        base.lumbar_peak_deg = draw(rng, 5.0, 30.0)
        base.thoracic_peak_deg = draw(rng, 0.0, 10.0)
        base.shank_share = draw(rng, 0.33, 0.5)
        base.arms = pick(rng, ("hang", "crossed"))
        return base, PropParams()
    if preset == "sit-to-stand":
        base.movement = "sit-to-stand"
        base.pelvis_peak_deg = draw(rng, 15.0, 35.0)
        base.lumbar_peak_deg = draw(rng, 10.0, 30.0)
        base.thoracic_peak_deg = draw(rng, 0.0, 10.0)
        base.seated_pelvis_deg = draw(rng, -22.0, -4.0)
        base.seated_lumbar_deg = draw(rng, 5.0, 30.0)
        base.seated_knee_deg = draw(rng, 85.0, 105.0)
        base.pelvis_delay_down_s = 0.0
        # From the pelvis leading the rise to starting it late (delayed pelvic motion).
        base.pelvis_delay_up_s = draw(rng, -0.1, 0.4)
        base.arms = pick(rng, ("crossed", "crossed", "hang"))
        base.start_at_bottom = rng.random() < 0.5
        props = PropParams(
            seat=pick(rng, ("chair", "chair", "box")),
            seat_color=jitter(rng, (0.5, 0.36, 0.22), 0.15),
        )
        return base, props
    if preset == "oblique":
        return world_motion(rng, pick(rng, ("bend", "hinge", "squat")))
    if preset == "walk":
        base.movement = "walk"
        base.reps = int(rng.integers(3, 7))
        base.arms = "hang"
        base.quiet_s = draw(rng, 0.3, 1.0)
        return base, PropParams()
    raise LumbopelvicError(f"unknown preset {preset!r}; choose from {', '.join(WORLD_PRESETS)}")


# Lifts and hinge drills as people film them: (style, knee bend range in degrees, loads,
# share of clips that start with the load on the floor).
HINGE_STYLES = (
    ("romanian-deadlift", (10.0, 25.0), ("barbell", "kettlebell"), 0.0),
    ("good-morning", (10.0, 25.0), ("none",), 0.0),
    ("hip-hinge", (15.0, 35.0), ("kettlebell", "none"), 0.0),
    ("kettlebell-deadlift", (40.0, 80.0), ("kettlebell",), 0.5),
    ("barbell-deadlift", (50.0, 80.0), ("barbell",), 0.8),
)
# Lifts from the floor: the deadlifts of :data:`HINGE_STYLES`, always starting with the load
# on the floor.
LIFT_STYLES = tuple(
    (name, knees, loads, 1.0) for name, knees, loads, _ in HINGE_STYLES if knees[0] >= 40.0
)


def hinge_motion(
    rng: np.random.Generator,
    base: MotionParams,
    styles: tuple[tuple[str, tuple[float, float], tuple[str, ...], float], ...] = HINGE_STYLES,
) -> tuple[MotionParams, PropParams]:
    """A lift or a hinge drill (one of ``styles``, by default :data:`HINGE_STYLES`): a
    Romanian deadlift or a good morning with the knees nearly straight, a hip-hinge drill, or a
    kettlebell or barbell deadlift with the knees bent 40-80 deg, often starting with the load
    on the floor (a barbell's plates then hide the shins); the back neutral or rounded."""
    style, (knee_lo, knee_hi), loads, from_floor = styles[int(rng.integers(len(styles)))]
    rounded = rng.random() < 0.4
    load = pick(rng, loads)
    deep = knee_lo >= 40.0
    base.movement = "hinge"
    base.knee_peak_deg = draw(rng, knee_lo, knee_hi)
    if deep:  # the knees take part of the depth: the trunk tips less than in a stiff hinge
        base.pelvis_peak_deg = draw(rng, 35.0, 55.0) if rounded else draw(rng, 40.0, 65.0)
    else:
        base.pelvis_peak_deg = draw(rng, 45.0, 65.0) if rounded else draw(rng, 55.0, 80.0)
    base.lumbar_peak_deg = draw(rng, 35.0, 55.0) if rounded else draw(rng, 3.0, 20.0)
    base.thoracic_peak_deg = draw(rng, 10.0, 25.0) if rounded else draw(rng, 0.0, 8.0)
    base.shank_share = draw(rng, 0.4, 0.65)
    base.arms = "load" if load != "none" else ("crossed" if style == "good-morning" else "hang")
    base.start_at_bottom = rng.random() < from_floor
    props = PropParams(
        load=load,
        kettlebell_radius_m=draw(rng, 0.08, 0.12),
        load_color=jitter(rng, (0.12, 0.12, 0.13), 0.05),
    )
    return base, props


def walk_view(
    rng: np.random.Generator, camera: CameraParams, view: str | None = None
) -> CameraParams:
    """A walk's camera: from the side (walking across, further away), or from the front, the
    back or obliquely (the person walks on the spot: a treadmill keeps them in view). ``view``
    chooses it (one of :data:`GAIT_VIEWS`); drawn when None."""
    if view is None:
        view = pick(rng, ("side", "side", "front", "back", "oblique"))
    yaw = {
        "side": draw(rng, -15.0, 15.0),
        "front": draw(rng, 75.0, 100.0),
        "back": draw(rng, -100.0, -75.0),
        "oblique": draw(rng, 30.0, 60.0),
    }[view]
    distance = draw(rng, 3.5, 6.0) if view == "side" else camera.distance_m
    width, height = camera.width, camera.height
    if view == "side" and height > width:  # walking across is filmed in landscape
        width, height = height, width
    return dataclasses.replace(camera, yaw_deg=yaw, distance_m=distance, width=width, height=height)


def world_gait(rng: np.random.Generator, camera: CameraParams) -> GaitParams:
    """How a walker walks: from guarded (short, regular strides, trunk and pelvis turning
    together) to brisk (long strides, thorax against pelvis)."""
    return GaitParams(
        stride_s=draw(rng, 0.95, 1.35),
        stride_cv=draw(rng, 0.01, 0.05),
        hip_swing_deg=draw(rng, 15.0, 24.0),
        knee_swing_deg=draw(rng, 50.0, 66.0),
        pelvis_rotation_deg=draw(rng, 2.0, 7.0),
        pelvis_obliquity_deg=draw(rng, 2.0, 7.0),
        thorax_rotation_deg=draw(rng, 2.0, 8.0),
        thorax_phase_deg=draw(rng, 20.0, 180.0),
        lateral_sway_m=draw(rng, 0.01, 0.04),
        arm_swing_deg=draw(rng, 5.0, 25.0),
        in_place=abs(camera.yaw_deg) > 25.0,
    )


def world_case(preset: str, seed: int, name: str | None = None) -> CaseParams:
    """A case of a :data:`WORLD_PRESETS` preset, from ``seed``."""
    if preset not in WORLD_PRESETS:
        raise LumbopelvicError(f"unknown preset {preset!r}; choose from {', '.join(WORLD_PRESETS)}")
    rng = np.random.default_rng([seed, 100 + WORLD_PRESETS.index(preset)])
    motion, props = world_motion(rng, preset)
    case = CaseParams(
        name=name or f"{preset}_s{seed}",
        seed=int(seed),
        preset=preset,
        body=world_body(rng),
        clothing=world_clothing(rng),
        camera=world_camera(rng),
        scene=world_scene(rng),
        motion=motion,
        props=props,
    )
    # Later additions draw from their own stream so earlier cases keep every other value.
    extra = np.random.default_rng([seed, 300 + WORLD_PRESETS.index(preset)])
    if preset in ("bend", "hinge") and motion.arms == "hang" and extra.random() < 0.35:
        motion.arms = "thighs"  # supporting the trunk with the hands, as many clients do
    if preset == "oblique":
        sign = 1.0 if extra.random() < 0.5 else -1.0
        case.camera = dataclasses.replace(case.camera, yaw_deg=sign * draw(extra, 25.0, 70.0))
    if preset == "walk":
        case.camera = walk_view(rng, case.camera)
        case.gait = world_gait(rng, case.camera)
    return case


def world_benchmark(preset: str) -> list[CaseParams]:
    """``benchmark-<preset>``: :data:`BENCHMARK_SIZE` fixed cases on held-out seeds."""
    name = preset.removeprefix("benchmark-")
    return [
        world_case(name, BENCHMARK_SEED_BASE + k, name=f"{preset}_{k + 1:02d}")
        for k in range(BENCHMARK_SIZE)
    ]


GAIT_VIEWS = ("side", "front", "back", "oblique")
GAIT_BENCHMARK = "benchmark-gait"
GAIT_CASES_PER_VIEW = 4


def gait_benchmark() -> list[CaseParams]:
    """``benchmark-gait``: held-out walks, :data:`GAIT_CASES_PER_VIEW` from each of
    :data:`GAIT_VIEWS`, whose thorax also leans side to side (0-5 deg toward the stance
    leg), for measuring the walking analysis."""
    cases = []
    for k in range(len(GAIT_VIEWS) * GAIT_CASES_PER_VIEW):
        view = GAIT_VIEWS[k % len(GAIT_VIEWS)]
        seed = BENCHMARK_SEED_BASE + 200 + k
        case = world_case("walk", seed, name=f"{GAIT_BENCHMARK}_{k + 1:02d}_{view}")
        rng = np.random.default_rng([seed, 400])
        case.camera = walk_view(rng, case.camera, view)
        case.gait = world_gait(rng, case.camera)
        case.gait.trunk_lateral_deg = draw(rng, 0.0, 5.0)
        cases.append(case)
    return cases


ALL_PRESETS = (*PRESETS, *WORLD_PRESETS, *BENCHMARK_PRESETS, GAIT_BENCHMARK)


def cases_for(preset: str, seed: int = 0, count: int = 1) -> list[CaseParams]:
    """Cases of any preset: the original forward-bend ones (:mod:`.presets`), the wide world's,
    or a held-out benchmark (which ignores ``seed`` and ``count``)."""
    if preset in BENCHMARK_PRESETS:
        return world_benchmark(preset)
    if preset == GAIT_BENCHMARK:
        return gait_benchmark()
    if preset in WORLD_PRESETS:
        if count < 1:
            raise LumbopelvicError("the number of cases must be at least 1")
        if seed + count > BENCHMARK_SEED_BASE:
            raise LumbopelvicError(f"seeds from {BENCHMARK_SEED_BASE} on are the benchmark's")
        return [world_case(preset, seed + k) for k in range(count)]
    if preset in PRESETS:
        return preset_cases(preset, seed, count)
    raise LumbopelvicError(f"unknown preset {preset!r}; choose from {', '.join(ALL_PRESETS)}")
