"""Walking: commanded joint angles of a stride cycle and the gait truth measured on the body.

Angles are degrees. The gait cycle phase of a leg is 0 at its heel strike and 1 at the next.
Transverse and frontal motion use these signs (the person's left is world +x, the body faces
-y, z is up):

``pelvis_rotation_deg``, ``thorax_rotation_deg``
    Rotation about the vertical, positive when the segment's left side is forward.
``pelvis_obliquity_deg``
    Tilt of the hip line in the frontal plane, positive when the left hip is higher.
``trunk_lateral_deg``
    Lean of the thorax (the ``spine03`` segment) in the frontal plane, positive to the left.

The legs swing with a cosine hip and a two-bump knee (loading response, swing); the pelvis
rotates with the swinging leg, drops on the swing side, and sways over the stance foot; the
thorax rotates with its own amplitude and phase relative to the pelvis (180 deg: anti-phase,
as in brisk healthy walking; near 0: the trunk and pelvis turn together). The body moves
forward so that the stance foot slides as little as a rigid model allows, or walks in place
(a treadmill), which keeps the person at the camera's distance for front and back views.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lumbopelvic.synth.body import BodyRig, rot_x, rot_y, rot_z

# Phase of peak hip flexion (late swing), of the loading-response and swing knee bumps, and
# their widths (cycle fractions): shapes of normal gait curves (Perry and Burnfield 2010).
HIP_PEAK_PHASE = 0.95
KNEE_STANCE_PHASE, KNEE_STANCE_WIDTH = 0.12, 0.07
KNEE_SWING_PHASE, KNEE_SWING_WIDTH = 0.72, 0.11
STANCE_FRACTION = 0.6


@dataclass
class GaitParams:
    """How the person walks (used when the movement is ``walk``; ``reps`` counts strides).

    Attributes
    ----------
    stride_s
        Mean stride time (heel strike to the next heel strike of the same foot), seconds.
    stride_cv
        Stride-to-stride coefficient of variation of the stride time.
    hip_mean_deg, hip_swing_deg
        Mean thigh inclination and its amplitude (flexion positive).
    knee_stance_deg, knee_swing_deg
        Peak knee flexion in loading response and in swing.
    pelvis_rotation_deg, pelvis_obliquity_deg, thorax_rotation_deg
        Amplitudes (half the peak-to-peak) of those angles.
    thorax_phase_deg
        Phase of the thorax rotation relative to the pelvis rotation (0 in phase, 180 anti).
    trunk_lateral_deg
        Amplitude of the thorax's side-to-side lean, toward the stance leg (0: upright).
    lateral_sway_m
        Amplitude of the mid-hip's side-to-side shift toward the stance foot, metres.
    arm_swing_deg
        Amplitude of the arm swing (forward positive), opposite to the legs.
    in_place
        Walk on the spot (a treadmill) instead of moving forward.
    """

    stride_s: float = 1.1
    stride_cv: float = 0.02
    hip_mean_deg: float = 8.0
    hip_swing_deg: float = 20.0
    knee_stance_deg: float = 14.0
    knee_swing_deg: float = 58.0
    pelvis_rotation_deg: float = 4.0
    pelvis_obliquity_deg: float = 4.0
    thorax_rotation_deg: float = 3.0
    thorax_phase_deg: float = 160.0
    trunk_lateral_deg: float = 0.0
    lateral_sway_m: float = 0.02
    arm_swing_deg: float = 15.0
    in_place: bool = False


@dataclass
class GaitSeries:
    """Commanded walking channels per frame (degrees; ``sway_m`` metres, ``envelope`` 0-1)."""

    thigh_l: np.ndarray
    thigh_r: np.ndarray
    knee_l: np.ndarray
    knee_r: np.ndarray
    pelvis_rotation: np.ndarray
    pelvis_obliquity: np.ndarray
    thorax_rotation: np.ndarray
    trunk_lateral: np.ndarray
    arm_l: np.ndarray
    arm_r: np.ndarray
    sway_m: np.ndarray
    envelope: np.ndarray
    in_place: bool
    fps: float


def _bump(phase: np.ndarray, centre: float, width: float) -> np.ndarray:
    d = (phase - centre + 0.5) % 1.0 - 0.5
    return np.exp(-0.5 * (d / width) ** 2)


def left_phase(
    time_s: np.ndarray, start_s: float, strides: int, params: GaitParams, seed: int
) -> tuple[np.ndarray, float]:
    """Left-leg gait phase (cycles since ``start_s``) and the time the last stride ends.

    Each stride's duration varies by ``stride_cv``.
    """
    rng = np.random.default_rng(seed)
    cv = max(0.0, params.stride_cv)
    durations = params.stride_s * np.maximum(0.5, 1.0 + cv * rng.standard_normal(max(strides, 1)))
    edges = start_s + np.concatenate([[0.0], np.cumsum(durations)])
    k = np.clip(np.searchsorted(edges, time_s, side="right") - 1, 0, len(durations) - 1)
    phase = k + (time_s - edges[k]) / durations[k]
    return np.clip(phase, 0.0, float(len(durations))), float(edges[-1])


def gait_series(
    phase: np.ndarray, envelope: np.ndarray, params: GaitParams, fps: float
) -> GaitSeries:
    """Commanded channels from the left phase (see :func:`left_phase`) and the walking
    envelope (0 standing, 1 walking) of frames ``fps`` per second."""
    out: dict[str, np.ndarray] = {}
    for side, ph in (("l", phase), ("r", phase + 0.5)):
        out[f"thigh_{side}"] = params.hip_mean_deg + params.hip_swing_deg * np.cos(
            2 * np.pi * (ph - HIP_PEAK_PHASE)
        )
        out[f"knee_{side}"] = params.knee_stance_deg * _bump(
            ph % 1.0, KNEE_STANCE_PHASE, KNEE_STANCE_WIDTH
        ) + params.knee_swing_deg * _bump(ph % 1.0, KNEE_SWING_PHASE, KNEE_SWING_WIDTH)
    angle = 2 * np.pi * phase
    thorax_phase = np.radians(params.thorax_phase_deg)
    return GaitSeries(
        thigh_l=envelope * out["thigh_l"],
        thigh_r=envelope * out["thigh_r"],
        knee_l=envelope * out["knee_l"],
        knee_r=envelope * out["knee_r"],
        pelvis_rotation=envelope * params.pelvis_rotation_deg * np.cos(angle),
        pelvis_obliquity=envelope * params.pelvis_obliquity_deg * np.sin(angle),
        thorax_rotation=envelope * params.thorax_rotation_deg * np.cos(angle + thorax_phase),
        # The left leg stands in the first half of its cycle, when the left hip is high.
        trunk_lateral=envelope * params.trunk_lateral_deg * np.sin(angle),
        # Each arm swings with the opposite thigh.
        arm_l=envelope * params.arm_swing_deg * np.cos(2 * np.pi * (phase + 0.5 - HIP_PEAK_PHASE)),
        arm_r=envelope * params.arm_swing_deg * np.cos(2 * np.pi * (phase - HIP_PEAK_PHASE)),
        sway_m=envelope * params.lateral_sway_m * np.sin(angle),
        envelope=envelope,
        in_place=params.in_place,
        fps=fps,
    )


def turned(rotation_deg: np.ndarray, obliquity_deg: np.ndarray, sagittal: np.ndarray) -> np.ndarray:
    """World rotation of a segment turned (left side forward), tilted (left side up) and then
    flexed (``sagittal``: rotations about +x, ``(T, 3, 3)``)."""
    return rot_z(-np.radians(rotation_deg)) @ rot_y(-np.radians(obliquity_deg)) @ sagittal


def leg_rotations(rig: BodyRig, gait: GaitSeries) -> dict[int, np.ndarray]:
    """World rotations of thighs, shanks and feet while walking."""
    d: dict[int, np.ndarray] = {}
    for side, thigh, knee in (("L", gait.thigh_l, gait.knee_l), ("R", gait.thigh_r, gait.knee_r)):
        d[rig.index(f"upperleg01.{side}")] = rot_x(-np.radians(thigh))
        d[rig.index(f"lowerleg01.{side}")] = rot_x(np.radians(knee - thigh))
        d[rig.index(f"foot.{side}")] = rot_x(np.zeros_like(thigh))
    return d


def walking_shift(rig: BodyRig, joints: np.ndarray, gait: GaitSeries) -> np.ndarray:
    """Translation ``(T, 3)`` that puts the lower foot on the floor and moves the body forward
    (unless walking in place), with the mid-hip swaying toward the stance foot."""
    pos = joints[:, :, :3, 3]
    ankles = [rig.index("foot.L"), rig.index("foot.R")]
    hips = [rig.index("upperleg01.L"), rig.index("upperleg01.R")]
    rest = rig.rest_joints[:, :3, 3]
    hip_now = pos[:, hips].mean(1)
    shift = np.zeros_like(hip_now)
    shift[:, 0] = rest[hips, 0].mean() - hip_now[:, 0] + gait.sway_m
    shift[:, 2] = rest[ankles, 2].mean() - pos[:, ankles, 2].min(1)
    shift[:, 1] = rest[hips, 1].mean() - hip_now[:, 1]
    if not gait.in_place:
        # A stance foot moves back relative to the hips by the step excursion; moving the body
        # forward by that much over the stance keeps the foot (nearly) still on the floor.
        rel = pos[:, ankles[0], 1] - hip_now[:, 1]
        steady = gait.envelope > 0.99
        excursion = float(np.ptp(rel[steady])) if steady.any() else 0.0
        speed = excursion / (STANCE_FRACTION * _mean_stride_s(gait))
        shift[:, 1] -= np.cumsum(speed * gait.envelope) / gait.fps
    return shift


def _mean_stride_s(gait: GaitSeries) -> float:
    """Mean stride time from the commanded left thigh's peaks (seconds)."""
    x = gait.thigh_l
    peaks = np.nonzero((x[1:-1] > x[:-2]) & (x[1:-1] >= x[2:]) & (gait.envelope[1:-1] > 0.99))[0]
    if len(peaks) < 2:
        return 1.0
    return float(np.diff(peaks).mean() / gait.fps)


def _yaw_deg(x_axis: np.ndarray) -> np.ndarray:
    return np.degrees(np.arctan2(-x_axis[..., 1], x_axis[..., 0]))


def _events(signal: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """1 at strict local maxima of ``signal`` where ``valid``, else 0."""
    out = np.zeros(len(signal), dtype=int)
    peak = (signal[1:-1] > signal[:-2]) & (signal[1:-1] >= signal[2:]) & valid[1:-1]
    out[1:-1] = peak
    return out


def gait_truth(rig: BodyRig, joints: np.ndarray, envelope: np.ndarray) -> dict[str, np.ndarray]:
    """Walking truth measured on the posed joints ``(T, J, 4, 4)`` (see the module notes).

    Heel strike is the frame where the ankle is furthest in front of the mid-hip, toe off
    where it is furthest behind (the kinematic events of Zeni et al. 2008), counted only
    while the person walks (``envelope`` above 0.5). ``mid_hip_x_m`` is the mid-hip's
    sideways position (metres, +: the person's left) relative to standing.
    """

    def frame(name: str) -> np.ndarray:
        j = rig.index(name)
        return joints[:, j, :3, :3] @ rig.rest_joints[j, :3, :3].T

    root, thorax, upper = frame("root"), frame("spine03"), frame("spine01")
    pos = joints[:, :, :3, 3]
    hips = pos[:, [rig.index("upperleg01.L"), rig.index("upperleg01.R")]].mean(1)
    rest_hips = rig.rest_joints[[rig.index("upperleg01.L"), rig.index("upperleg01.R")], :3, 3]
    walking = envelope > 0.5
    out = {
        "pelvis_rotation_deg": _yaw_deg(root[..., :, 0]),
        "thorax_rotation_deg": _yaw_deg(upper[..., :, 0]),
        "pelvis_obliquity_deg": np.degrees(np.arcsin(np.clip(root[..., 2, 0], -1, 1))),
        "trunk_lateral_deg": np.degrees(np.arcsin(np.clip(thorax[..., 0, 2], -1, 1))),
        "mid_hip_x_m": hips[:, 0] - rest_hips[:, 0].mean(),
    }
    for side in ("l", "r"):
        ankle = pos[:, rig.index(f"foot.{side.upper()}")]
        ahead = hips[:, 1] - ankle[:, 1]  # the body faces -y
        out[f"heel_strike_{side}"] = _events(ahead, walking)
        out[f"toe_off_{side}"] = _events(-ahead, walking)
    return out
