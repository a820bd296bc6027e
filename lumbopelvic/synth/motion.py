"""Angle time series of repeated movements (pure NumPy).

Every angle is in degrees, a change from quiet standing, flexion positive (see
``shared/docs/domain.md``). Movements (:data:`MOVEMENTS`):

``forward-bend``  standing -> flexion -> hold -> return -> standing, minimum-jerk profiles.
                  Lumbar flexion (and thoracic) starts each phase at the repetition's clock;
                  the pelvis (and the knees, which move with it) follows its own clock shifted
                  by the pelvis delay, so a delay is a real lag of the pelvis behind the
                  lumbar spine (negative: the pelvis leads).
``hinge``         the same plan with the knees bent 15-35 degrees (a deadlift or kettlebell
                  hinge), usually with a load in the hands.
``squat``         the same plan with deep knee flexion; the shank tilts forward less than the
                  thigh (``shank_share``).
``sit-to-stand``  standing -> lean forward -> seated -> lean forward -> standing: the seated
                  posture has the pelvis tilted back (negative) and a slumped lumbar spine.
                  Rising follows Schenkman's phases: the trunk leans forward while the
                  thighs stay on the seat (flexion momentum), seat-off comes at the deepest
                  lean (:data:`SEAT_OFF_SHARE` of the rise), then knees, hips and trunk
                  extend to standing; the pelvis follows its own clock shifted by the
                  pelvis delay (a delayed pelvis starts its forward tilt late).

``walk``          strides across the view (or on the spot), driven by :mod:`.gait`; ``reps``
                  counts strides and ``quiet_s`` / ``end_s`` are standing before and after.

``start_at_bottom`` starts the clip at the bottom of the first repetition (seated, or a
bar on the floor), the way such recordings often start. Shank tilt is a channel of its own
(``shank``): the thigh's tilt is ``shank - knee``.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass

import numpy as np

from lumbopelvic.synth.gait import GaitParams, GaitSeries, gait_series, left_phase

MOVEMENTS = ("forward-bend", "hinge", "squat", "sit-to-stand", "walk")
# Seat-off (the buttocks leave the seat) comes this far into a rise, at the deepest lean:
# before it the trunk leans with the thighs still on the seat (Schenkman et al. 1990).
SEAT_OFF_SHARE = 0.4


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
    movement
        One of :data:`MOVEMENTS`.
    shank_share
        Share of the knee flexion that comes from the shank tilting forward (the rest is the
        thigh, knee moving forward of the hip).
    start_at_bottom
        The clip starts at the bottom of the first repetition (held for ``quiet_s``).
    seated_pelvis_deg, seated_lumbar_deg, seated_knee_deg
        The seated posture of ``sit-to-stand`` (pelvis negative: tilted back). The peaks above
        are then the lean forward that rising from the seat needs.
    arms
        Arm pose, one of :data:`lumbopelvic.synth.posing.ARM_POSES`.
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
    movement: str = "forward-bend"
    shank_share: float = 0.6
    start_at_bottom: bool = False
    seated_pelvis_deg: float = -12.0
    seated_lumbar_deg: float = 18.0
    seated_knee_deg: float = 95.0
    arms: str = "hang"


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
    shank: np.ndarray | None = None
    gait: GaitSeries | None = None

    def __post_init__(self) -> None:
        if self.shank is None:
            self.shank = np.zeros_like(self.knee)


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


def angle_series(
    params: MotionParams,
    fps: float,
    duration_s: float | None = None,
    gait: GaitParams | None = None,
) -> AngleSeries:
    """Sample the commanded angles at ``fps`` frames per second.

    Frame ``i`` is at ``i / fps`` seconds. ``duration_s`` cuts or pads (with standing) the
    natural length of the repetitions. ``gait`` shapes the ``walk`` movement.
    """
    if params.movement not in MOVEMENTS:
        raise ValueError(f"unknown movement {params.movement!r}; choose from {MOVEMENTS}")
    if params.movement == "walk":
        return _walk_series(params, gait or GaitParams(), fps, duration_s)
    # A clip that starts at the bottom is cut to ``duration_s`` after its start moved.
    natural_first = params.start_at_bottom and duration_s is not None
    cut = None if natural_first else duration_s
    if params.movement == "sit-to-stand":
        series = _seated_series(params, fps, cut)
    else:
        series = _bend_series(params, fps, cut)
    if params.start_at_bottom:
        series = _start_at_bottom(series, params, fps)
    if natural_first:
        series = _with_duration(series, float(duration_s), fps)  # type: ignore[arg-type]
    return series


def _with_duration(series: AngleSeries, duration_s: float, fps: float) -> AngleSeries:
    """Cut ``series`` to ``duration_s``, or pad it with standing (zeros)."""
    n = max(1, round(duration_s * fps))

    def fit(track: np.ndarray) -> np.ndarray:
        return track[:n] if len(track) >= n else np.r_[track, np.zeros(n - len(track))]

    return AngleSeries(
        np.arange(n) / float(fps),
        fit(series.pelvis),
        fit(series.lumbar),
        fit(series.thoracic),
        fit(series.knee),
        series.reps,
        fit(series.shank) if series.shank is not None else None,
    )


def _bend_series(params: MotionParams, fps: float, duration_s: float | None) -> AngleSeries:
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
    return AngleSeries(time_s, pelvis, lumbar, thoracic, knee, reps, params.shank_share * knee)


def _seated_series(params: MotionParams, fps: float, duration_s: float | None) -> AngleSeries:
    """Sit-to-stand repetitions: each goes down through a forward lean into the seat, holds,
    and rises through the lean again. The rep plan's phase times are reused: going down, the
    lean is reached 40 % into the phase; rising, the trunk leans with the legs still on the
    seat until seat-off (:func:`seat_off_times`), then the legs extend."""
    reps, natural = plan_reps(params)
    length = natural if duration_s is None else float(duration_s)
    n = max(1, round(length * fps))
    time_s = np.arange(n) / float(fps)
    channels = {name: np.zeros(n) for name in ("pelvis", "lumbar", "thoracic", "knee", "shank")}
    seated = {
        "pelvis": params.seated_pelvis_deg,
        "lumbar": params.seated_lumbar_deg,
        "thoracic": 0.0,
        "knee": params.seated_knee_deg,
        "shank": 8.0,
    }
    for r in reps:
        lean = {
            "pelvis": r.pelvis_peak,
            "lumbar": r.lumbar_peak,
            "thoracic": r.thoracic_peak,
            "knee": 0.6 * params.seated_knee_deg,
            "shank": 14.0,
        }
        d0, d1 = r.lumbar_down
        dm = d0 + 0.4 * (d1 - d0)
        seat_off = _seat_off(r)
        for name, track in channels.items():
            going = [(d0, 0.0), (dm, lean[name]), (d1, seated[name])]
            if name in ("knee", "shank"):  # the thighs stay on the seat until seat-off
                rising = [(r.lumbar_up[0], seated[name]), (seat_off, seated[name])]
            else:
                u0, u1 = r.pelvis_up if name == "pelvis" else r.lumbar_up
                rising = [(u0, seated[name]), (u0 + SEAT_OFF_SHARE * (u1 - u0), lean[name])]
            end = r.pelvis_up[1] if name == "pelvis" else r.lumbar_up[1]
            track += keyframe_track(time_s, [*going, *rising, (end, 0.0)])
    return AngleSeries(
        time_s,
        channels["pelvis"],
        channels["lumbar"],
        channels["thoracic"],
        channels["knee"],
        reps,
        channels["shank"],
    )


def _seat_off(rep: RepTiming) -> float:
    u0, u1 = rep.lumbar_up
    return u0 + SEAT_OFF_SHARE * (u1 - u0)


def seat_off_times(series: AngleSeries) -> list[float]:
    """Seat-off of every rise of a ``sit-to-stand`` series (seconds of the clip): the
    moment the knees begin to extend, at the trunk's deepest lean."""
    return [_seat_off(r) for r in series.reps if _seat_off(r) <= series.time_s[-1]]


def _walk_series(
    params: MotionParams, gait: GaitParams, fps: float, duration_s: float | None
) -> AngleSeries:
    """Walking: standing ``quiet_s``, ``reps`` strides, standing ``end_s``. The pelvis tilts
    a little twice per stride while the thorax stays upright (lumbar = -pelvis)."""
    strides = max(params.reps, 1)
    natural = params.quiet_s + strides * gait.stride_s + params.end_s
    length = natural if duration_s is None else float(duration_s)
    time_s = np.arange(max(1, round(length * fps))) / float(fps)
    phase, end_s = left_phase(time_s, params.quiet_s, strides, gait, params.seed)
    # Ramp the motion in over the first half stride and out over the last.
    half = 0.5 * gait.stride_s
    envelope = min_jerk((time_s - params.quiet_s) / half) * (
        1.0 - min_jerk((time_s - end_s + half) / half)
    )
    channels = gait_series(phase, envelope, gait, fps)
    pelvis = envelope * 1.5 * np.sin(4 * np.pi * phase)
    knee = (channels.knee_l + channels.knee_r) / 2
    zeros = np.zeros_like(time_s)
    return AngleSeries(time_s, pelvis, -pelvis, zeros, knee, [], zeros, channels)


def keyframe_track(time_s: np.ndarray, keys: list[tuple[float, float]]) -> np.ndarray:
    """Minimum-jerk motion through ``(time, value)`` keys; 0 before the first and after the
    last key (which should both be 0: the movement starts and ends standing)."""
    out = np.zeros_like(time_s, dtype=float)
    for (t0, v0), (t1, v1) in itertools.pairwise(keys):
        inside = (time_s >= t0) & (time_s < t1)
        out[inside] = v0 + (v1 - v0) * min_jerk((time_s[inside] - t0) / max(t1 - t0, 1e-6))
    return out


def _start_at_bottom(series: AngleSeries, params: MotionParams, fps: float) -> AngleSeries:
    """Begin the clip held at the bottom of the first repetition, ``quiet_s`` long."""
    if not series.reps:
        return series
    first = series.reps[0]
    bottom_t = max(first.lumbar_down[1], first.pelvis_down[1])
    cut = int(np.searchsorted(series.time_s, bottom_t))
    hold = max(1, round(params.quiet_s * fps))
    channels = []
    for track in (series.pelvis, series.lumbar, series.thoracic, series.knee, series.shank):
        assert track is not None
        channels.append(np.concatenate([np.full(hold, track[cut]), track[cut:]]))
    time_s = np.arange(len(channels[0])) / float(fps)
    shift = hold / float(fps) - float(series.time_s[min(cut, len(series.time_s) - 1)])

    def moved(span: tuple[float, float]) -> tuple[float, float]:
        return (span[0] + shift, span[1] + shift)

    reps = [
        dataclasses.replace(
            r,
            lumbar_down=moved(r.lumbar_down),
            pelvis_down=moved(r.pelvis_down),
            lumbar_up=moved(r.lumbar_up),
            pelvis_up=moved(r.pelvis_up),
        )
        for r in series.reps
    ]
    return AngleSeries(time_s, *channels[:4], reps, channels[4])
