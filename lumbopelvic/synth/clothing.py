"""What the person wears: which part of the body each vertex belongs to, and how cloth sits.

Fitted clothes follow the skin; loose tops stand off it, and a hoodie also drapes: its
surface is smoothed so it bridges the hollow of the lower back instead of hugging the
spine, and it covers the waist and the top of the hips (the back outline a camera sees is
then the cloth's, not the back's).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse

from lumbopelvic.synth.body import BodyRig

# Vertex regions.
SKIN, HAIR, TOP, BOTTOM, SHOES = range(5)
TOPS = ("shirt", "bare", "hoodie", "longsleeve")
# A hoodie reaches this far below the hip joints (metres) and drapes over this many smoothing
# passes of its surface.
HOODIE_HEM_BELOW_HIP_M = 0.1
DRAPE_PASSES = 8
MIN_CLOTH_GAP_M = 0.004
# Skin stickers on the back midline (marker mode, see :mod:`.stickers`): over S2, L3, T12/L1.
STICKER_NAMES = ("s2", "l3", "l1")
STICKER_COLOR = (0.35, 1.0, 0.15)  # matte neon green


@dataclass
class ClothingParams:
    """What the person wears. Colours are RGB in [0, 1].

    Attributes
    ----------
    bottom
        ``"shorts"`` or ``"trousers"``.
    top
        One of :data:`TOPS`: ``"shirt"`` (short sleeves), ``"longsleeve"``, ``"hoodie"``
        (long sleeves, over the hips, always loose and draped) or ``"bare"`` (bare torso; a
        sports top for female phenotypes).
    fit
        ``"fitted"`` or ``"loose"``: loose clothes stand off the skin by ``loose_m``.
    stickers
        Round skin stickers on the back midline (marker mode), any of ``"s2"``, ``"l3"``,
        ``"l1"`` (see :mod:`.stickers`). Drawn on the cloth where the back is clothed.
    sticker_color
        Their colour (matte, shaded like the skin).
    sticker_diameter_m
        Their diameter, metres.
    sticker_side_m
        How far beside the midline the stickers sit, toward the camera's side of the body
        (metres; 0 on the midline, which a side view sees edge-on).
    """

    bottom: str = "shorts"
    top: str = "shirt"
    fit: str = "fitted"
    top_color: tuple[float, float, float] = (0.2, 0.35, 0.7)
    bottom_color: tuple[float, float, float] = (0.15, 0.15, 0.18)
    shoe_color: tuple[float, float, float] = (0.9, 0.9, 0.9)
    hair_color: tuple[float, float, float] = (0.18, 0.12, 0.08)
    loose_m: float = 0.025
    stickers: tuple[str, ...] = ()
    sticker_color: tuple[float, float, float] = STICKER_COLOR
    sticker_diameter_m: float = 0.025
    sticker_side_m: float = 0.0


def vertex_regions(rig: BodyRig, clothing: ClothingParams) -> np.ndarray:
    """Region (SKIN, HAIR, TOP, BOTTOM, SHOES) of every vertex, from the standing body."""
    names = rig.joint_names
    w = rig.skin_weights
    v = rig.rest_vertices

    def group(pred) -> np.ndarray:
        cols = [i for i, n in enumerate(names) if pred(n)]
        return w[:, cols].sum(1)

    torso = group(
        lambda n: n == "root" or n.startswith(("pelvis", "spine", "breast", "clavicle", "shoulder"))
    )
    legs = group(lambda n: n.startswith(("upperleg", "lowerleg")))
    feet = group(lambda n: n.startswith(("foot", "toe")))
    arms = group(lambda n: n.startswith(("upperarm", "lowerarm", "wrist", "finger", "metacarpal")))
    headneck = 1.0 - torso - legs - feet - arms
    stack = np.stack([torso, legs, feet, arms, headneck], 1)
    dom = stack.argmax(1)
    z = v[:, 2]
    j = rig.rest_joints[:, :3, 3]
    hip_z = j[rig.index("upperleg01.L"), 2]
    knee_z = j[rig.index("lowerleg01.L"), 2]
    ankle_z = j[rig.index("foot.L"), 2]
    waist_z = j[rig.index("spine04"), 2] + 0.03
    shoulder = j[rig.index("upperarm01.L")]
    elbow = j[rig.index("lowerarm01.L")]
    head = j[rig.index("head")]
    out = np.full(v.shape[0], SKIN, dtype=np.int8)
    # Torso: bottoms below the waist, top above it.
    below_waist = (dom == 0) & (z < waist_z)
    out[below_waist] = BOTTOM
    along = np.abs(v[:, 0]) - abs(shoulder[0])
    if clothing.top in ("shirt", "longsleeve", "hoodie"):
        out[(dom == 0) & (z >= waist_z)] = TOP
        # Sleeves: short (the upper third of the upper arm) or long (down to the wrist).
        wrist = j[rig.index("wrist.L")]
        sleeve_end = (
            0.4 * (abs(elbow[0]) - abs(shoulder[0]))
            if clothing.top == "shirt"
            else abs(wrist[0]) - abs(shoulder[0]) - 0.02
        )
        out[(dom == 3) & (along < sleeve_end)] = TOP
    if clothing.top == "hoodie":
        hem = (dom <= 1) & (z >= hip_z - HOODIE_HEM_BELOW_HIP_M) & (z < waist_z)
        out[hem] = TOP
    elif rig.shape[0] < 0.5:
        chest = j[rig.index("breast.L"), 2]
        out[(dom == 0) & (z > chest - 0.09) & (z < chest + 0.07)] = TOP
    # Legs.
    if clothing.bottom == "trousers":
        out[(dom == 1) & (z > ankle_z + 0.03)] = BOTTOM
    else:
        out[(dom == 1) & (z > hip_z - 0.45 * (hip_z - knee_z))] = BOTTOM
    out[(dom == 2) | ((dom == 1) & (z < ankle_z + 0.02))] = SHOES
    # Hair: the top and back of the head.
    head_top = v[dom == 4, 2].max() if (dom == 4).any() else head[2] + 0.15
    rel = (z - head[2]) / max(head_top - head[2], 1e-3)
    back = v[:, 1] - head[1]
    hair = (dom == 4) & ((rel > 0.55) | ((rel > -0.1) & (back > 0.02)))
    out[hair] = HAIR
    return out


def face_regions(faces: np.ndarray, regions: np.ndarray) -> np.ndarray:
    """Region of each quad: the most common region among its corners (lowest on a tie)."""
    counts = np.zeros((faces.shape[0], int(regions.max()) + 1), dtype=np.int16)
    for k in range(faces.shape[1]):
        np.add.at(counts, (np.arange(faces.shape[0]), regions[faces[:, k]]), 1)
    return counts.argmax(1)


def vertex_adjacency(faces: np.ndarray, n_vertices: int) -> scipy.sparse.csr_matrix:
    """Row-normalised adjacency of mesh vertices (each row averages a vertex's neighbours)."""
    f = faces.astype(np.int64)
    rows = np.concatenate([f[:, k] for k in range(4)])
    cols = np.concatenate([f[:, (k + 1) % 4] for k in range(4)])
    a = scipy.sparse.csr_matrix(
        (np.ones(2 * rows.size), (np.concatenate([rows, cols]), np.concatenate([cols, rows]))),
        shape=(n_vertices, n_vertices),
    )
    a.data[:] = 1.0
    degree = np.asarray(a.sum(axis=1)).ravel()
    return scipy.sparse.diags(1.0 / np.maximum(degree, 1)) @ a


def drape(
    skin: np.ndarray,
    cloth: np.ndarray,
    normals: np.ndarray,
    draped: np.ndarray,
    adjacency: scipy.sparse.csr_matrix,
) -> np.ndarray:
    """Smooth the cloth surface of the ``draped`` vertices so it spans hollows, keeping it at
    least :data:`MIN_CLOTH_GAP_M` outside the skin."""
    out = cloth.copy()
    for _ in range(DRAPE_PASSES):
        smoothed = adjacency @ out
        out[draped] = smoothed[draped]
        gap = np.einsum("ij,ij->i", out - skin, normals)
        inside = draped & (gap < MIN_CLOTH_GAP_M)
        out[inside] += normals[inside] * (MIN_CLOTH_GAP_M - gap[inside])[:, None]
    return out
