"""Skin stickers ("marker mode"): round matte stickers on the back midline, bound to the mesh.

A practitioner puts 2-3 round stickers on the client's back midline: over S2, over L3
(optional) and over T12/L1. Each sticker is centred on a midline vertex of the standing
body (:func:`sticker_vertices`). The body mesh is too coarse to draw a 2.5 cm disc with its
own quads (about 1.6-2.5 cm wide on the lower back: a disc would cover 0-2 face centroids),
so the quads under a sticker are refined: each is split into ``n x n`` bilinear sub-quads
whose vertices are fixed weighted sums of the quad's corners (:func:`sticker_patches`). The
sub-quads deform with the skin under skinning and ride on the cloth when it is dressed;
those whose standing centroid lies within the sticker's radius of its centre and that face
backward take the sticker colour.

Units: metres for the body, pixels for the image (see :mod:`.truth`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse

from lumbopelvic.synth.body import BodyRig
from lumbopelvic.synth.camera import PinholeCamera
from lumbopelvic.synth.truth import skin_point_vertices

# Vertices this close to the sagittal plane (|x|, metres) are on the midline.
MIDLINE_HALF_WIDTH_M = 0.006
# A sticker's centre has every quad around it facing backward at least this much (the y
# component of their unit normals): not in a crease such as the gluteal cleft.
MIN_BACKWARD = 0.65
# The refined quads are cut so a sticker is about this many sub-quads across.
CELLS_ACROSS = 10
MAX_SPLITS = 16


@dataclass
class StickerPatches:
    """The refined quads under the stickers of one body.

    Attributes
    ----------
    hosts
        ``(H,)`` indices of the body quads that are replaced by their sub-quads.
    weights
        ``(N, V)`` sparse matrix: the sub-quads' vertices from the body's ``V`` vertices.
    faces
        ``(S, 4)`` sub-quads, indices into the ``N`` sub-vertices (same winding as the body).
    host_of
        ``(S,)`` the body quad each sub-quad was cut from.
    sticker
        ``(S,)`` whether a sub-quad is part of a sticker.
    """

    hosts: np.ndarray
    weights: scipy.sparse.csr_matrix
    faces: np.ndarray
    host_of: np.ndarray
    sticker: np.ndarray


def _most_posterior(v: np.ndarray, pool: np.ndarray, z: float, half_band_m: float) -> int:
    """The most posterior (+y) vertex of ``pool`` within ``half_band_m`` of height ``z``,
    widening the band (x2, x4) when it holds none."""
    for widen in (1.0, 2.0, 4.0):
        sel = np.nonzero(pool & (np.abs(v[:, 2] - z) <= half_band_m * widen))[0]
        if sel.size:
            return int(sel[np.argmax(v[sel, 1])])
    raise ValueError(f"no back vertex near height {z:.3f} m")


def sticker_vertices(rig: BodyRig, x_m: float = 0.0) -> dict[str, int]:
    """Centre vertices of the stickers, on the back midline of the standing body.

    Candidates are midline vertices (``|x| <`` :data:`MIDLINE_HALF_WIDTH_M`) whose quads all
    face backward (normal within about 50 degrees of +y: not in the gluteal cleft). ``s2``:
    the most posterior candidate 2-8 cm above the hip-joint centres; ``l1``: within 1.5 cm of
    the height of ``spine02`` (as T12/L1 in :func:`~lumbopelvic.synth.truth.skin_point_vertices`,
    but on the midline, not up to 3.5 cm beside it where the most posterior vertex is on the
    paraspinal muscles or the buttock); ``l3``: within 1.5 cm of halfway between the two.
    Each band widens (x2, x4) if it holds no candidate. ``x_m`` moves the column of
    stickers off the midline (metres along the body's x axis, toward the person's left when
    positive): beside the spine on the camera's side, where a side view sees them.
    """
    v = rig.rest_vertices
    j = rig.rest_joints[:, :3, 3]
    faces = rig.faces.astype(np.int64)
    hip_z = j[[rig.index("upperleg01.L"), rig.index("upperleg01.R")], 2].mean()
    back = _normals(v, faces)[:, 1]
    least_back = np.full(len(v), np.inf)
    for k in range(faces.shape[1]):
        np.minimum.at(least_back, faces[:, k], back)
    pool = (np.abs(v[:, 0] - x_m) < MIDLINE_HALF_WIDTH_M) & (least_back > MIN_BACKWARD)
    s2 = _most_posterior(v, pool, hip_z + 0.05, 0.03)
    l1 = _most_posterior(v, pool, j[rig.index("spine02"), 2], 0.015)
    l3 = _most_posterior(v, pool, (v[s2, 2] + v[l1, 2]) / 2.0, 0.015)
    return {"s2": s2, "l3": l3, "l1": l1}


def subdivide_quads(
    faces: np.ndarray, n: int, n_vertices: int
) -> tuple[scipy.sparse.csr_matrix, np.ndarray]:
    """Split each quad ``(a, b, c, d)`` of a mesh of ``n_vertices`` into ``n x n`` bilinear
    sub-quads.

    Returns the ``(Q * (n+1)^2, n_vertices)`` weights of the grid points and the
    ``(Q * n^2, 4)`` sub-quads (indices into those points), each wound like its quad. Grid
    point ``(i, j)`` of a quad is at ``u = i/n`` along ``a -> b`` and ``v = j/n`` along
    ``a -> d``.
    """
    q = len(faces)
    s = np.linspace(0.0, 1.0, n + 1)
    u, w = np.meshgrid(s, s, indexing="ij")
    corner_w = np.stack([(1 - u) * (1 - w), u * (1 - w), u * w, (1 - u) * w], -1).reshape(-1, 4)
    m = corner_w.shape[0]
    rows = np.repeat(np.arange(q * m), 4)
    cols = np.repeat(faces[:, None, :], m, axis=1).reshape(-1)
    vals = np.tile(corner_w.reshape(-1), q)
    weights = scipy.sparse.csr_matrix((vals, (rows, cols)), shape=(q * m, n_vertices))
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    i, j = i.ravel(), j.ravel()
    cell = np.stack(
        [i * (n + 1) + j, (i + 1) * (n + 1) + j, (i + 1) * (n + 1) + j + 1, i * (n + 1) + j + 1], -1
    )
    sub = (cell[None, :, :] + (np.arange(q) * m)[:, None, None]).reshape(-1, 4)
    return weights, sub


def _normals(verts: np.ndarray, faces: np.ndarray) -> np.ndarray:
    n = np.cross(
        verts[..., faces[:, 2], :] - verts[..., faces[:, 0], :],
        verts[..., faces[:, 3], :] - verts[..., faces[:, 1], :],
    )
    return n / np.maximum(np.linalg.norm(n, axis=-1, keepdims=True), 1e-12)


def _split(
    v: np.ndarray, faces: np.ndarray, centres: np.ndarray, radius: float, n: int
) -> tuple[scipy.sparse.csr_matrix, np.ndarray, np.ndarray]:
    """:func:`subdivide_quads` of ``faces`` and which sub-quads are sticker: standing centroid
    within ``radius`` of a centre, normal backward (+y)."""
    weights, sub = subdivide_quads(faces, n, len(v))
    pts = weights @ v
    inside = (np.linalg.norm(pts[sub].mean(1)[:, None] - centres[None], axis=-1) < radius).any(1)
    return weights, sub, inside & (_normals(pts, sub)[:, 1] > 0.0)


def sticker_patches(
    rig: BodyRig, names: tuple[str, ...], diameter_m: float, x_m: float = 0.0
) -> StickerPatches | None:
    """The refined quads under the stickers ``names`` (``None`` when there are none).

    A body quad is refined when any of its sub-quads is part of a sticker: standing centroid
    within ``diameter_m / 2`` (Euclidean) of the sticker's centre vertex, normal backward (+y).
    The quads are cut into sub-quads about ``diameter_m /`` :data:`CELLS_ACROSS` wide.
    """
    if not names:
        return None
    v = rig.rest_vertices
    faces = rig.faces.astype(np.int64)
    centres = v[[sticker_vertices(rig, x_m)[name] for name in names]]
    radius = diameter_m / 2.0
    edges = np.linalg.norm(v[faces] - v[np.roll(faces, -1, axis=1)], axis=-1).max(1)
    corner_d = np.linalg.norm(v[faces][:, :, None, :] - centres[None, None], axis=-1).min(1)
    near = np.nonzero((corner_d < radius + edges[:, None]).any(1))[0]

    def splits(quads: np.ndarray) -> int:
        return int(np.clip(np.ceil(edges[quads].max() * CELLS_ACROSS / diameter_m), 1, MAX_SPLITS))

    # Find the quads a sticker touches, then cut only those (as finely as their size needs).
    n = splits(near)
    touched = _split(v, faces[near], centres, radius, n)[2].reshape(len(near), n * n).any(1)
    hosts = near[touched]
    n = splits(hosts)
    weights, sub, sticker = _split(v, faces[hosts], centres, radius, n)
    return StickerPatches(
        hosts=hosts,
        weights=weights,
        faces=sub,
        host_of=np.repeat(hosts, n * n),
        sticker=sticker,
    )


def sticker_truth(
    rig: BodyRig,
    skin: np.ndarray,
    dress: Callable[[np.ndarray], np.ndarray],
    cam: PinholeCamera,
    names: tuple[str, ...],
    x_m: float = 0.0,
) -> dict[str, np.ndarray]:
    """Truth columns of marker mode, per frame (``x_m`` as in :func:`sticker_vertices`).

    Parameters
    ----------
    skin
        ``(T, V, 3)`` posed skin vertices, metres.
    dress
        The drawn surface ``(V, 3)`` of one frame's skin vertices (the cloth where the body
        is dressed: the stickers are drawn on it), e.g. ``BodyPainter.dress``.

    Returns
    -------
    dict
        ``l3_x``, ``l3_y``: pixels of the L3 skin point of
        :func:`~lumbopelvic.synth.truth.skin_point_vertices`; then per
        sticker ``<name>_sticker_x``, ``_y`` (pixels of its centre as drawn), ``_visible``
        (1 when the drawn surface at its centre faces the camera, else 0) and ``_facing``
        (cosine of the angle between that surface's normal and the direction to the camera:
        about the share of its face-on image area a sticker keeps; near 0 it is seen edge-on,
        a sliver of a pixel or two). Other parts of the body that may hide a sticker are not
        considered.
    """
    l3 = cam.project(skin[:, skin_point_vertices(rig)["l3"]])[0]
    out = {"l3_x": l3[:, 0], "l3_y": l3[:, 1]}
    centres = sticker_vertices(rig, x_m)
    faces = rig.faces.astype(np.int64)
    rings = {name: faces[(faces == centres[name]).any(1)] for name in names}
    used = np.unique(np.concatenate([[centres[k] for k in names], *rings.values()], axis=None))
    drawn = np.stack([dress(frame)[used] for frame in skin])  # (T, U, 3)
    for name in names:
        p = drawn[:, np.searchsorted(used, centres[name])]
        out[f"{name}_sticker_x"], out[f"{name}_sticker_y"] = cam.project(p)[0].T
        normal = _normals(drawn, np.searchsorted(used, rings[name])).sum(-2)
        to_cam = cam.position - p
        facing = np.einsum("ij,ij->i", normal, to_cam) / np.maximum(
            np.linalg.norm(normal, axis=-1) * np.linalg.norm(to_cam, axis=-1), 1e-12
        )
        out[f"{name}_sticker_visible"] = (facing > 0).astype(int)
        out[f"{name}_sticker_facing"] = facing
    return out
