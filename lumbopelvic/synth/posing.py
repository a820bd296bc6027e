"""Pose the ANNY body frame by frame from sagittal angles, with the arms in one of a few poses.

World frame (see :mod:`.body`): metres, z up, the body faces -y; a positive rotation about +x
tilts forward. Every driven joint gets a *world* rotation relative to standing; the others
inherit their parent's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lumbopelvic.synth.body import BodyRig, load_model, rot_x
from lumbopelvic.synth.gait import GaitSeries, leg_rotations, turned, walking_shift

# Share of the lumbar flexion taken by spine05/04/03 (cumulative fractions, lowest first) and of
# the thoracic flexion by spine02/01.
LUMBAR_SPLIT = (0.35, 0.70, 1.0)
THORACIC_SPLIT = (0.5, 1.0)
# Share of the knee flexion that comes from the shank tilting forward (the rest is the thigh).
SHANK_SHARE = 0.6
# Arms hang this many degrees out from the body's side (so they do not cut into the thighs).
ARM_ABDUCTION_DEG = 9.0
ELBOW_FLEXION_DEG = 10.0

ARM_POSES = ("hang", "load", "crossed", "thighs")
# Hands on thighs: the wrist rests this far in front of the thigh's axis (metres), this far
# down the thigh from the hip when standing (as far as the arms reach), sliding toward the
# knee as the trunk flexes.
THIGH_REST_OFFSET_M = 0.09
THIGH_REST_FRACTION = (0.15, 0.85)
# Holding a load with both hands: the wrists come this close to each other (metres).
LOAD_GRIP_M = 0.16


def _rotation_between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Smallest rotation matrix taking unit vector ``a`` to unit vector ``b``."""
    a = a / np.linalg.norm(a)
    b = b / np.linalg.norm(b)
    v = np.cross(a, b)
    c = float(np.dot(a, b))
    k = np.array([[0, -v[2], v[1]], [v[2], 0, -v[0]], [-v[1], v[0], 0]])
    return np.eye(3) + k + k @ k / (1.0 + c)


def matrix_to_axis_angle(r: np.ndarray) -> np.ndarray:
    """Axis-angle vectors ``(..., 3)`` (radians) of rotation matrices ``(..., 3, 3)``.

    Exact for rotation angles below 180 degrees, which is all this package uses.
    """
    cos = np.clip((np.trace(r, axis1=-2, axis2=-1) - 1.0) / 2.0, -1.0, 1.0)
    angle = np.arccos(cos)
    vee = np.stack(
        [r[..., 2, 1] - r[..., 1, 2], r[..., 0, 2] - r[..., 2, 0], r[..., 1, 0] - r[..., 0, 1]],
        axis=-1,
    )
    sin = np.sin(angle)
    small = sin < 1e-8
    scale = np.where(small, 0.5, angle / (2.0 * np.where(small, 1.0, sin)))
    return vee * scale[..., None]


def _body_pose_slot(j: int) -> int:
    """Index in ``body_pose`` of joint ``j`` (see synthetic-bodies.md)."""
    if 1 <= j <= 54:
        return j - 1
    if 74 <= j <= 80:
        return 54 + (j - 74)
    if 100 <= j <= 102:
        return 61 + (j - 100)
    raise ValueError(f"joint {j} is not driven by body_pose")


@dataclass
class PoseFrames:
    """Posed bodies for a series of frames.

    Attributes
    ----------
    vertices
        ``(T, V, 3)`` metres, feet planted where they stand at rest.
    joints
        ``(T, J, 4, 4)`` joint frames in the same coordinates.
    """

    vertices: np.ndarray
    joints: np.ndarray


def world_deformations(
    rig: BodyRig,
    pelvis_deg: np.ndarray,
    lumbar_deg: np.ndarray,
    thoracic_deg: np.ndarray,
    knee_deg: np.ndarray,
    shank_deg: np.ndarray | None = None,
    arms: str = "hang",
    gait: GaitSeries | None = None,
) -> dict[int, np.ndarray]:
    """Commanded world-frame rotations (``(T, 3, 3)``) of the joints that are driven.

    All rotations are about +x (sagittal) except the arms (:func:`arm_deformations`) and,
    while walking (``gait``), the pelvis and spine turning and tilting (:mod:`.gait`). A
    joint's world rotation is the rotation of its segment relative to standing. The shank
    tilts forward by ``shank_deg`` (default :data:`SHANK_SHARE` of the knee flexion) and the
    thigh by ``shank_deg - knee_deg``; while walking each leg follows its own channels.
    """
    p = np.radians(np.asarray(pelvis_deg, dtype=float))
    lum = np.radians(np.asarray(lumbar_deg, dtype=float))
    th = np.radians(np.asarray(thoracic_deg, dtype=float))
    k = np.radians(np.asarray(knee_deg, dtype=float))
    shank = SHANK_SHARE * k if shank_deg is None else np.radians(np.asarray(shank_deg, float))
    thigh = k - shank
    d: dict[int, np.ndarray] = {rig.index("root"): rot_x(p)}
    for name, frac in zip(("spine05", "spine04", "spine03"), LUMBAR_SPLIT, strict=True):
        d[rig.index(name)] = rot_x(p + frac * lum)
    for name, frac in zip(("spine02", "spine01"), THORACIC_SPLIT, strict=True):
        d[rig.index(name)] = rot_x(p + lum + frac * th)
    for side in ("L", "R"):
        d[rig.index(f"upperleg01.{side}")] = rot_x(-thigh)
        d[rig.index(f"lowerleg01.{side}")] = rot_x(shank)
        d[rig.index(f"foot.{side}")] = rot_x(np.zeros_like(p))
    d.update(arm_deformations(rig, rot_x(p + lum + th), arms))
    if gait is not None:
        _walking_deformations(rig, d, p, lum, th, gait)
    return d


def _walking_deformations(
    rig: BodyRig,
    d: dict[int, np.ndarray],
    p: np.ndarray,
    lum: np.ndarray,
    th: np.ndarray,
    gait: GaitSeries,
) -> None:
    """Turn and tilt the pelvis and spine, swing the legs and arms (in place in ``d``).

    The lumbar joints share the turn between pelvis and thorax and carry the frontal tilt
    from the pelvis's to the thorax's lean (upright unless the walk leans)."""
    rot_p, rot_t, obl = gait.pelvis_rotation, gait.thorax_rotation, gait.pelvis_obliquity
    lean = gait.trunk_lateral
    d[rig.index("root")] = turned(rot_p, obl, rot_x(p))
    for name, frac in zip(("spine05", "spine04", "spine03"), LUMBAR_SPLIT, strict=True):
        turn = rot_p + frac * (rot_t - rot_p)
        tilt = (1.0 - frac) * obl + frac * lean
        d[rig.index(name)] = turned(turn, tilt, rot_x(p + frac * lum))
    for name, frac in zip(("spine02", "spine01"), THORACIC_SPLIT, strict=True):
        d[rig.index(name)] = turned(rot_t, lean, rot_x(p + lum + frac * th))
    d.update(leg_rotations(rig, gait))
    for side, swing in (("L", gait.arm_l), ("R", gait.arm_r)):
        for joint, gain in (("upperarm01", 1.0), ("lowerarm01", 1.4)):
            j = rig.index(f"{joint}.{side}")
            d[j] = rot_x(-np.radians(gain * swing)) @ d[j]


def pose_frames(
    rig: BodyRig,
    pelvis_deg: np.ndarray,
    lumbar_deg: np.ndarray,
    thoracic_deg: np.ndarray,
    knee_deg: np.ndarray,
    shank_deg: np.ndarray | None = None,
    arms: str = "hang",
    chunk: int = 64,
    gait: GaitSeries | None = None,
) -> PoseFrames:
    """Pose the body for each frame's angles (degrees, flexion positive, 0 = standing).

    Pelvis: the whole body turns forward about the root, the thighs are counter-rotated so
    they stay vertical (with straight knees). Lumbar flexion is split over spine05/04/03,
    thoracic over spine02/01. Knee flexion tilts the shank forward (``shank_deg``) and the
    thigh the other way (knee forward); the feet stay flat. ``arms`` is one of
    :data:`ARM_POSES`. The body is then shifted so the
    ankles stay where they are in standing: the feet stay planted. While walking (``gait``)
    the lower foot stays on the floor and the body moves forward (:func:`.gait.walking_shift`).
    """
    n = int(np.asarray(pelvis_deg).shape[0])
    deform = world_deformations(
        rig,
        pelvis_deg,
        lumbar_deg,
        thoracic_deg,
        knee_deg,
        shank_deg,
        "hang" if arms == "thighs" else arms,
        gait,
    )
    if arms == "thighs":
        skeleton = _forward(rig, deform, n, chunk, vertices=False)[1]
        trunk = np.asarray(pelvis_deg, float) + np.asarray(lumbar_deg, float)
        deform.update(hands_on_thighs(rig, skeleton, trunk))
    verts_out, joints_out = _forward(rig, deform, n, chunk, vertices=True)
    assert verts_out is not None
    ankles = [rig.index("foot.L"), rig.index("foot.R")]
    if gait is not None:
        shift = walking_shift(rig, joints_out, gait)
    else:
        posed_ankles = joints_out[..., :3, 3][:, ankles].mean(axis=1)
        shift = rig.rest_joints[..., :3, 3][ankles].mean(axis=0)[None, :] - posed_ankles
    verts_out += shift[:, None, :]
    joints_out[:, :, :3, 3] += shift[:, None, :]
    return PoseFrames(vertices=verts_out, joints=joints_out)


def _forward(
    rig: BodyRig, deform: dict[int, np.ndarray], n: int, chunk: int, vertices: bool
) -> tuple[np.ndarray | None, np.ndarray]:
    """Run the body model on world deformations: vertices (when asked) and joint frames."""
    model = load_model()
    rest_rot = rig.rest_joints[:, :3, :3]
    parents = rig.parents
    # World deformation of every joint (inherited from the parent when not driven).
    full: dict[int, np.ndarray] = {}
    eye = np.broadcast_to(np.eye(3), (n, 3, 3))

    def world(j: int) -> np.ndarray:
        if j < 0:
            return eye
        if j not in full:
            full[j] = deform[j] if j in deform else world(int(parents[j]))
        return full[j]

    body_pose = np.broadcast_to(np.eye(3), (n, 64, 3, 3)).copy()
    global_rot = deform[rig.index("root")]
    for j, dj in deform.items():
        if j == 0:
            continue
        local_world = np.swapaxes(world(int(parents[j])), -1, -2) @ dj
        r = rest_rot[j]
        body_pose[:, _body_pose_slot(j)] = r.T @ local_world @ r
    base = model.get_rest_pose(batch_dims=(1,))
    verts_out = np.empty((n, rig.rest_vertices.shape[0], 3)) if vertices else None
    joints_out = np.empty((n, rig.rest_joints.shape[0], 4, 4))
    for start in range(0, n, chunk):
        sl = slice(start, min(n, start + chunk))
        m = sl.stop - sl.start
        kwargs = {
            "body_pose": matrix_to_axis_angle(body_pose[sl]),
            "head_pose": np.zeros((m, 60, 3)),
            "hand_pose": np.zeros((m, 38, 3)),
            "shape": np.broadcast_to(rig.shape, (m, 6)),
            "global_rotation": matrix_to_axis_angle(global_rot[sl]),
            "global_translation": np.broadcast_to(base["global_translation"][0], (m, 3)),
        }
        if verts_out is not None:
            verts_out[sl] = model.forward_vertices(**kwargs)
        joints_out[sl] = model.forward_skeleton(**kwargs)
    return verts_out, joints_out


def _rotations_between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Smallest rotations ``(T, 3, 3)`` taking vector ``a`` (3,) to each of ``b`` (T, 3)."""
    return np.stack([_rotation_between(a, v) for v in b])


def hands_on_thighs(
    rig: BodyRig, skeleton: np.ndarray, trunk_deg: np.ndarray
) -> dict[int, np.ndarray]:
    """World rotations of the arms that put each wrist on the front of its thigh.

    ``skeleton`` is the posed joint frames ``(T, J, 4, 4)`` (any arm pose: only the shoulders
    and legs are read); ``trunk_deg`` the trunk flexion per frame, which slides the hands
    from mid-thigh toward the knees (:data:`THIGH_REST_FRACTION`). The elbows bend back and
    out by the two-segment arm's own geometry; a target out of reach straightens the arm.
    """
    pos = skeleton[:, :, :3, 3]
    rest = rig.rest_joints[:, :3, 3]
    lo, hi = THIGH_REST_FRACTION
    frac = lo + (hi - lo) * np.clip(np.asarray(trunk_deg, float) / 90.0, 0.0, 1.0)
    d: dict[int, np.ndarray] = {}
    for side, sign in (("L", 1.0), ("R", -1.0)):
        shoulder_j, elbow_j = rig.index(f"upperarm01.{side}"), rig.index(f"lowerarm01.{side}")
        wrist_j = rig.index(f"wrist.{side}")
        hip, knee = pos[:, rig.index(f"upperleg01.{side}")], pos[:, rig.index(f"lowerleg01.{side}")]
        axis = (knee - hip) / np.linalg.norm(knee - hip, axis=1, keepdims=True)
        ahead = np.array([0.0, -1.0, 0.0]) - (axis @ np.array([0.0, -1.0, 0.0]))[:, None] * axis
        ahead /= np.linalg.norm(ahead, axis=1, keepdims=True)
        target = hip + frac[:, None] * (knee - hip) + THIGH_REST_OFFSET_M * ahead
        upper_rest = rest[elbow_j] - rest[shoulder_j]
        fore_rest = rest[wrist_j] - rest[elbow_j]
        a, b = np.linalg.norm(upper_rest), np.linalg.norm(fore_rest)
        shoulder = pos[:, shoulder_j]
        reach = target - shoulder
        dist = np.clip(np.linalg.norm(reach, axis=1), abs(a - b) + 1e-3, a + b - 1e-6)
        u = reach / np.linalg.norm(reach, axis=1, keepdims=True)
        # Elbow bends backward (+y) and a little outward, perpendicular to the reach.
        back_out = np.array([sign * 0.5, 1.0, 0.0])
        bend = back_out - (u @ back_out)[:, None] * u
        bend /= np.linalg.norm(bend, axis=1, keepdims=True)
        cos_alpha = np.clip((a**2 + dist**2 - b**2) / (2 * a * dist), -1.0, 1.0)
        elbow = shoulder + a * (cos_alpha[:, None] * u + np.sqrt(1 - cos_alpha**2)[:, None] * bend)
        hand = shoulder + dist[:, None] * u
        d[shoulder_j] = _rotations_between(upper_rest, elbow - shoulder)
        d[elbow_j] = _rotations_between(fore_rest, hand - elbow)
    return d


def arm_deformations(rig: BodyRig, thorax: np.ndarray, pose: str) -> dict[int, np.ndarray]:
    """World rotations of both upper arms and forearms (``(T, 3, 3)`` each).

    ``hang``: arms hang straight down whatever the trunk does, a little out to the side,
    elbows slightly bent. ``load``: the same, hands brought together in front to hold a load.
    ``crossed``: folded across the chest, moving with the thorax (``thorax``: its world
    rotation per frame).
    """
    if pose not in ARM_POSES:
        raise ValueError(f"unknown arm pose {pose!r}; choose from {ARM_POSES}")
    n = thorax.shape[0]
    d: dict[int, np.ndarray] = {}
    for side, sign in (("L", 1.0), ("R", -1.0)):
        shoulder = rig.index(f"upperarm01.{side}")
        elbow = rig.index(f"lowerarm01.{side}")
        wrist = rig.index(f"wrist.{side}")
        rest = rig.rest_joints[:, :3, 3]
        upper, fore = rest[elbow] - rest[shoulder], rest[wrist] - rest[elbow]
        if pose == "crossed":
            # In the standing thorax's frame: upper arm down, a little forward and in; forearm
            # across the chest toward the other shoulder (the left one a little in front).
            up_dir = np.array([-sign * 0.12, -0.32, -0.94])
            fore_dir = np.array([-sign * 0.85, -0.42 if sign > 0 else -0.30, 0.42])
            d[shoulder] = thorax @ _rotation_between(upper, up_dir)
            d[elbow] = thorax @ _rotation_between(fore, fore_dir)
            continue
        a = np.radians(ARM_ABDUCTION_DEG)
        target = np.array([sign * np.sin(a), 0.0, -np.cos(a)])
        e = np.radians(ELBOW_FLEXION_DEG)
        fore_dir = np.array([target[0], -np.sin(e), -np.cos(e) * np.cos(a)])
        if pose == "load":
            # The wrists meet in front of the body: aim each arm at a point below the chest.
            half_width = abs(rest[shoulder, 0])
            length = np.linalg.norm(upper) + np.linalg.norm(fore)
            inward = (half_width - LOAD_GRIP_M / 2) / length
            target = np.array([-sign * inward, -0.12, -np.sqrt(max(1 - inward**2 - 0.0144, 0.5))])
            fore_dir = target
        d[shoulder] = np.broadcast_to(_rotation_between(upper, target), (n, 3, 3)).copy()
        d[elbow] = np.broadcast_to(_rotation_between(fore, fore_dir), (n, 3, 3)).copy()
    return d
