"""Angle time series of forward-bend repetitions (pure NumPy).

Every angle is in degrees, a change from quiet standing, flexion positive (see
``shared/docs/domain.md``). Each repetition goes standing -> flexion -> hold -> return ->
standing with minimum-jerk profiles. Lumbar flexion (and thoracic) starts each phase at the
repetition's clock; the pelvis (and the knees, which move with it) follows its own clock
shifted by the pelvis delay, so a delay is a real lag of the pelvis behind the lumbar spine
(negative: the pelvis leads).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class MotionParams:
    """How the person bends.

    Attributes
    ----------
    reps
        Number of repetitions.
    pelvis_peak_deg, lumbar_peak_deg, thoracic_peak_deg, knee_peak_deg
        Mean peak angles (degrees). Thoracic flexion is upper-thoracic bending above the
        thoracolumbar junction; it is not part of ``trunk`` (see :mod:`.truth`).
    down_s, up_s
        Durations of the flexion and return phases (seconds, before ``speed``).
    hold_s
        Time held at the bottom (seconds).
    rest_s
        Standing time between repetitions (seconds).
    quiet_s
        Quiet standing before the first bend (seconds); also the standing baseline.
    end_s
        Standing after the last repetition (seconds).
    pelvis_delay_down_s, pelvis_delay_up_s
        Pelvis onset minus lumbar onset on the way down and on the way up (seconds,
        positive: the pelvis starts later).
    speed
        Divides every phase duration (2 = twice as fast).
    variability
        Rep-to-rep coefficient of variation of peaks and durations (0 = identical reps);
        delays vary by ``variability`` x 0.25 s.
    seed
        Seed of the rep-to-rep variation.
    """

    reps: int = 2
    pelvis_peak_deg: float = 62.0
    lumbar_peak_deg: float = 46.0
    thoracic_peak_deg: float = 8.0
    knee_peak_deg: float = 0.0
    down_s: float = 1.6
    up_s: float = 1.6
    hold_s: float = 0.4
    rest_s: float = 0.6
    quiet_s: float = 1.0
    end_s: float = 0.5
    pelvis_delay_down_s: float = 0.0
    pelvis_delay_up_s: float = 0.0
    speed: float = 1.0
    variability: float = 0.03
    seed: int = 0


@dataclass
class RepTiming:
    """Commanded timing and peaks of one repetition (seconds from the clip start, degrees)."""

    lumbar_down: tuple[float, float]
    pelvis_down: tuple[float, float]
    lumbar_up: tuple[float, float]
    pelvis_up: tuple[float, float]
    pelvis_peak: float
    lumbar_peak: float
    thoracic_peak: float
    knee_peak: float


@dataclass
class AngleSeries:
    """Commanded angles per frame (degrees) and the repetitions that made them."""

    time_s: np.ndarray
    pelvis: np.ndarray
    lumbar: np.ndarray
    thoracic: np.ndarray
    knee: np.ndarray
    reps: list[RepTiming]


def min_jerk(tau: np.ndarray) -> np.ndarray:
    """Minimum-jerk profile 0 -> 1 over ``tau`` in [0, 1] (clipped outside)."""
    t = np.clip(tau, 0.0, 1.0)
    return t**3 * (10.0 - 15.0 * t + 6.0 * t**2)


def plan_reps(params: MotionParams) -> tuple[list[RepTiming], float]:
    """Timing and peaks of every repetition, and the natural clip length (seconds)."""
    rng = np.random.default_rng(params.seed)
    cv = max(0.0, params.variability)
    speed = max(params.speed, 1e-3)

    def vary(value: float) -> float:
        return float(value * max(0.2, 1.0 + cv * rng.standard_normal()))

    reps: list[RepTiming] = []
    t = params.quiet_s
    for _ in range(params.reps):
        down = vary(params.down_s) / speed
        up = vary(params.up_s) / speed
        hold = max(0.0, vary(params.hold_s)) / speed
        dd = params.pelvis_delay_down_s + 0.25 * cv * rng.standard_normal()
        du = params.pelvis_delay_up_s + 0.25 * cv * rng.standard_normal()
        lead_down = max(0.0, -dd)  # the pelvis may start before the lumbar spine
        ld = (t + lead_down, t + lead_down + down)
        pd = (ld[0] + dd, ld[1] + dd)
        bottom = max(ld[1], pd[1]) + hold
        lead_up = max(0.0, -du)
        lu = (bottom + lead_up, bottom + lead_up + up)
        pu = (lu[0] + du, lu[1] + du)
        reps.append(
            RepTiming(
                lumbar_down=ld,
                pelvis_down=pd,
                lumbar_up=lu,
                pelvis_up=pu,
                pelvis_peak=vary(params.pelvis_peak_deg),
                lumbar_peak=vary(params.lumbar_peak_deg),
                thoracic_peak=vary(params.thoracic_peak_deg),
                knee_peak=vary(params.knee_peak_deg),
            )
        )
        t = max(lu[1], pu[1]) + params.rest_s
    end = t - params.rest_s + params.end_s if reps else t + params.end_s
    return reps, float(end)


def _phase(time_s: np.ndarray, down: tuple[float, float], up: tuple[float, float]) -> np.ndarray:
    rise = min_jerk((time_s - down[0]) / max(down[1] - down[0], 1e-6))
    fall = min_jerk((time_s - up[0]) / max(up[1] - up[0], 1e-6))
    return rise * (1.0 - fall)


def angle_series(params: MotionParams, fps: float, duration_s: float | None = None) -> AngleSeries:
    """Sample the commanded angles at ``fps`` frames per second.

    Frame ``i`` is at ``i / fps`` seconds. ``duration_s`` cuts or pads (with standing) the
    natural length of the repetitions.
    """
    reps, natural = plan_reps(params)
    length = natural if duration_s is None else float(duration_s)
    n = max(1, round(length * fps))
    time_s = np.arange(n) / float(fps)
    pelvis = np.zeros(n)
    lumbar = np.zeros(n)
    thoracic = np.zeros(n)
    knee = np.zeros(n)
    for r in reps:
        lw = _phase(time_s, r.lumbar_down, r.lumbar_up)
        pw = _phase(time_s, r.pelvis_down, r.pelvis_up)
        lumbar += r.lumbar_peak * lw
        thoracic += r.thoracic_peak * lw
        pelvis += r.pelvis_peak * pw
        knee += r.knee_peak * pw
    return AngleSeries(time_s, pelvis, lumbar, thoracic, knee, reps)
