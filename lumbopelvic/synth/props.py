"""Objects in the scene: a kettlebell or a barbell in the hands, a chair or a box to sit on.

Each prop is a quad mesh (vertices per frame, quads, one colour per quad) that the painter
draws together with the body, nearest last, so props hide the body and the body hides props
as they would on film. The truth never depends on a prop.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lumbopelvic.synth.body import BodyRig

LOADS = ("none", "kettlebell", "barbell")
SEATS = ("none", "chair", "box")


@dataclass(frozen=True)
class PropParams:
    """What the person holds and sits on.

    Attributes
    ----------
    load
        One of :data:`LOADS`, held in both hands (use the ``load`` arm pose).
    seat
        One of :data:`SEATS`: a chair (four legs and a backrest) or a box, placed under the
        person's seated posture.
    load_color, seat_color
        RGB in [0, 1].
    kettlebell_radius_m
        Radius of the kettlebell's bell.
    plate_radius_m
        Radius of the barbell's plates (0.225 m for standard plates: the bar rests at that
        height on the floor).
    """

    load: str = "none"
    seat: str = "none"
    load_color: tuple[float, float, float] = (0.12, 0.12, 0.13)
    seat_color: tuple[float, float, float] = (0.55, 0.38, 0.22)
    kettlebell_radius_m: float = 0.1
    plate_radius_m: float = 0.225


@dataclass
class Mesh:
    """A prop: ``vertices`` ``(T, N, 3)`` (or ``(N, 3)`` if it does not move), quads
    ``(F, 4)`` and ``albedo`` ``(F, 3)``."""

    vertices: np.ndarray
    faces: np.ndarray
    albedo: np.ndarray

    def at(self, frame: int) -> np.ndarray:
        return self.vertices if self.vertices.ndim == 2 else self.vertices[frame]


def box_mesh(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """An axis-aligned box from corner ``lo`` to ``hi``: 8 vertices, 6 outward quads."""
    x0, y0, z0 = lo
    x1, y1, z1 = hi
    v = np.array(
        [
            [x0, y0, z0],
            [x1, y0, z0],
            [x1, y1, z0],
            [x0, y1, z0],
            [x0, y0, z1],
            [x1, y0, z1],
            [x1, y1, z1],
            [x0, y1, z1],
        ],
        float,
    )
    f = np.array(
        [[0, 3, 2, 1], [4, 5, 6, 7], [0, 1, 5, 4], [2, 3, 7, 6], [1, 2, 6, 5], [3, 0, 4, 7]]
    )
    return v, orient_outward(v, f, (np.asarray(lo, float) + np.asarray(hi, float)) / 2)


def sphere_mesh(rings: int = 8, segments: int = 12) -> tuple[np.ndarray, np.ndarray]:
    """A unit sphere of quads (poles as degenerate quads), outward."""
    theta = np.linspace(0, np.pi, rings + 1)
    phi = np.linspace(0, 2 * np.pi, segments, endpoint=False)
    t, p = np.meshgrid(theta, phi, indexing="ij")
    v = np.stack([np.sin(t) * np.cos(p), np.sin(t) * np.sin(p), np.cos(t)], -1).reshape(-1, 3)
    faces = []
    for i in range(rings):
        for j in range(segments):
            a, b = i * segments + j, i * segments + (j + 1) % segments
            faces.append([a, a + segments, b + segments, b])
    return v, np.array(faces)


def cylinder_mesh(segments: int = 12) -> tuple[np.ndarray, np.ndarray]:
    """A unit cylinder along x from -0.5 to 0.5 with radius 1 (side and caps), outward."""
    phi = np.linspace(0, 2 * np.pi, segments, endpoint=False)
    ring = np.stack([np.cos(phi), np.sin(phi)], -1)
    left = np.column_stack([np.full(segments, -0.5), ring])
    right = np.column_stack([np.full(segments, 0.5), ring])
    v = np.vstack([left, right, [[-0.5, 0, 0], [0.5, 0, 0]]])
    faces = []
    for j in range(segments):
        k = (j + 1) % segments
        faces.append([j, k, segments + k, segments + j])
        faces.append([2 * segments, k, j, j])  # left cap (triangle as a degenerate quad)
        faces.append([2 * segments + 1, segments + j, segments + k, segments + k])
    return v, np.array(faces)


def orient_outward(v: np.ndarray, f: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """Faces reordered so their normals point away from ``centre`` (convex parts)."""
    n = np.cross(v[f[:, 2]] - v[f[:, 0]], v[f[:, 3]] - v[f[:, 1]])
    out = v[f].mean(1) - centre
    flip = np.einsum("ij,ij->i", n, out) < 0
    f = f.copy()
    f[flip] = f[flip][:, ::-1]
    return f


def _merge(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    verts, faces, base = [], [], 0
    for v, f in parts:
        verts.append(v)
        faces.append(f + base)
        base += len(v)
    return np.vstack(verts), np.vstack(faces)


def hand_centre(rig: BodyRig, joints: np.ndarray) -> np.ndarray:
    """``(T, 3)`` point between the two hands (a little beyond the wrists)."""
    pos = joints[:, :, :3, 3]
    wrists = pos[:, [rig.index("wrist.L"), rig.index("wrist.R")]].mean(1)
    elbows = pos[:, [rig.index("lowerarm01.L"), rig.index("lowerarm01.R")]].mean(1)
    along = wrists - elbows
    along /= np.maximum(np.linalg.norm(along, axis=1, keepdims=True), 1e-9)
    return wrists + 0.07 * along


def load_mesh(params: PropParams, hands: np.ndarray) -> Mesh | None:
    """The load hanging from the hands (``hands``: ``(T, 3)``), or None."""
    colour = np.asarray(params.load_color, float)
    if params.load == "none":
        return None
    if params.load == "kettlebell":
        r = params.kettlebell_radius_m
        sv, sf = sphere_mesh()
        sf = orient_outward(sv, sf, np.zeros(3))
        hv, hf = box_mesh(np.array([-0.06, -0.012, -0.02]), np.array([0.06, 0.012, 0.0]))
        local_v, faces = _merge([(sv * r + [0, 0, -0.03 - r], sf), (hv, hf)])
    elif params.load == "barbell":
        bv, bf = cylinder_mesh()
        bar = bv * [1.3, 0.014, 0.014]
        bf = orient_outward(bv, bf, np.zeros(3))
        parts = [(bar, bf)]
        for x in (-0.5, 0.5):
            pv = bv * [0.05, params.plate_radius_m, params.plate_radius_m] + [x, 0, 0]
            parts.append((pv, orient_outward(pv, bf, np.array([x, 0, 0]))))
        local_v, faces = _merge(parts)
    else:
        raise ValueError(f"unknown load {params.load!r}; choose from {LOADS}")
    verts = hands[:, None, :] + local_v[None, :, :]
    return Mesh(verts, faces, np.tile(colour, (len(faces), 1)))


def seat_mesh(params: PropParams, rig: BodyRig, seated_vertices: np.ndarray) -> Mesh | None:
    """A chair or box under the seated body (``seated_vertices``: the most seated frame).

    The seat's top touches the lowest point of the buttocks; it reaches forward under the
    thighs; a chair's backrest stands just behind the back.
    """
    if params.seat == "none":
        return None
    if params.seat not in SEATS:
        raise ValueError(f"unknown seat {params.seat!r}; choose from {SEATS}")
    rest = rig.rest_vertices
    hip_z = rig.rest_joints[[rig.index("upperleg01.L"), rig.index("upperleg01.R")], 2, 3].mean()
    buttock = (rest[:, 2] > hip_z - 0.16) & (rest[:, 2] < hip_z + 0.02) & (np.abs(rest[:, 0]) < 0.2)
    top = float(seated_vertices[buttock, 2].min()) - 0.005
    back_y = float(seated_vertices[buttock, 1].max()) + 0.03
    floor = rig.floor_z
    width, depth = 0.23, 0.44
    parts = []
    if params.seat == "box":
        parts.append(
            box_mesh(np.array([-width, back_y - depth, floor]), np.array([width, back_y, top]))
        )
    else:
        parts.append(
            box_mesh(np.array([-width, back_y - depth, top - 0.04]), np.array([width, back_y, top]))
        )
        for x in (-width + 0.02, width - 0.02):
            for y in (back_y - depth + 0.02, back_y - 0.02):
                parts.append(
                    box_mesh(
                        np.array([x - 0.018, y - 0.018, floor]),
                        np.array([x + 0.018, y + 0.018, top - 0.04]),
                    )
                )
        torso = rest[:, 2] > hip_z
        behind = float(seated_vertices[torso & (np.abs(rest[:, 0]) < 0.2), 1].max()) + 0.03
        y = max(back_y, behind)
        parts.append(box_mesh(np.array([-width, y, top]), np.array([width, y + 0.03, top + 0.45])))
    verts, faces = _merge(parts)
    return Mesh(verts, faces, np.tile(np.asarray(params.seat_color, float), (len(faces), 1)))
