"""CPU renderer: painter's algorithm over the body's quads (and any props') with Lambert shading.

Faces are drawn far to near with ``cv2.fillConvexPoly`` (sub-pixel precision), back faces
culled. Clothing comes from :mod:`.clothing` (a colour per vertex region, loose cloth pushed
out along the normals and draped); skin stickers from :mod:`.stickers` (the quads under them
refined, on the skin or the cloth); the background from :mod:`.scene`. Images are RGB
``uint8`` ``(H, W, 3)``.
"""

from __future__ import annotations

import cv2
import numpy as np
import scipy.sparse

from lumbopelvic.synth.body import BodyRig
from lumbopelvic.synth.camera import PinholeCamera
from lumbopelvic.synth.clothing import (
    BOTTOM,
    TOP,
    ClothingParams,
    drape,
    face_regions,
    vertex_adjacency,
    vertex_regions,
)
from lumbopelvic.synth.props import Mesh
from lumbopelvic.synth.scene import SceneParams
from lumbopelvic.synth.stickers import sticker_patches

SUBPIXEL_BITS = 4
FITTED_GAP_M = 0.004  # fitted cloth stands this far off the skin


class BodyPainter:
    """Per-clip state for drawing one body: colours, normals matrix, offsets for clothing."""

    def __init__(
        self,
        rig: BodyRig,
        clothing: ClothingParams,
        scene: SceneParams,
        sticker_x_m: float = 0.0,
    ) -> None:
        self.faces = rig.faces.astype(np.int64)
        regions = vertex_regions(rig, clothing)
        self.face_region = face_regions(self.faces, regions)
        palette = np.array(
            [
                scene.skin_color,
                clothing.hair_color,
                clothing.top_color,
                clothing.bottom_color,
                clothing.shoe_color,
            ],
            dtype=float,
        )
        self.albedo = palette[self.face_region]
        n_v = rig.rest_vertices.shape[0]
        n_f = self.faces.shape[0]
        rows = self.faces.ravel()
        cols = np.repeat(np.arange(n_f), self.faces.shape[1])
        self.vf = scipy.sparse.csr_matrix((np.ones(rows.size), (rows, cols)), shape=(n_v, n_f))
        offset = np.zeros(n_v)
        loose = clothing.loose_m if clothing.fit == "loose" else FITTED_GAP_M
        offset[regions == BOTTOM] = loose
        offset[regions == TOP] = clothing.loose_m if clothing.top == "hoodie" else loose
        self.offset = offset
        # A hoodie drapes: its surface is smoothed over the hollows of the back.
        self.draped = (regions == TOP) if clothing.top == "hoodie" else None
        self.adjacency = vertex_adjacency(self.faces, n_v) if self.draped is not None else None
        self.scene = scene
        self.light_color = np.asarray(scene.light_color, dtype=float)
        # What is drawn: the body's quads, with those under skin stickers refined.
        self.stickers = sticker_patches(
            rig, clothing.stickers, clothing.sticker_diameter_m, sticker_x_m
        )
        self.draw_faces, self.draw_albedo = self.faces, self.albedo
        if self.stickers is not None:
            sub = self.stickers
            kept = np.ones(n_f, dtype=bool)
            kept[sub.hosts] = False
            colour = np.asarray(clothing.sticker_color, dtype=float)[None]
            sub_albedo = np.where(sub.sticker[:, None], colour, self.albedo[sub.host_of])
            self.draw_faces = np.vstack([self.faces[kept], sub.faces + n_v])
            self.draw_albedo = np.vstack([self.albedo[kept], sub_albedo])

    def face_normals(self, verts: np.ndarray) -> np.ndarray:
        return _face_normals(verts, self.faces)

    def dress(self, verts: np.ndarray) -> np.ndarray:
        """Vertices with clothing pushed out along the vertex normals (and draped)."""
        if not self.offset.any():
            return verts
        vn = self.vf @ self.face_normals(verts)
        vn /= np.maximum(np.linalg.norm(vn, axis=1, keepdims=True), 1e-12)
        cloth = verts + vn * self.offset[:, None]
        if self.draped is None or self.adjacency is None:
            return cloth
        return drape(verts, cloth, vn, self.draped, self.adjacency)

    def paint(
        self,
        image: np.ndarray,
        verts: np.ndarray,
        cam: PinholeCamera,
        light_dir: np.ndarray,
        props: list[tuple[np.ndarray, Mesh]] | None = None,
    ) -> np.ndarray:
        """Draw the body (world vertices ``(V, 3)``) and the props (each with this frame's
        vertices) onto ``image`` in place and return it."""
        verts = self.dress(verts)
        f = self.draw_faces
        albedo = self.draw_albedo
        if self.stickers is not None:
            verts = np.vstack([verts, self.stickers.weights @ verts])
        for prop_verts, mesh in props or []:
            f = np.vstack([f, mesh.faces + len(verts)])
            albedo = np.vstack([albedo, mesh.albedo])
            verts = np.vstack([verts, prop_verts])
        uv, depth = cam.project(verts)
        normals = _face_normals(verts, f)
        centres = verts[f].mean(1)
        facing = np.einsum("ij,ij->i", normals, cam.position - centres) > 0
        fdepth = depth[f].mean(1)
        keep = facing & (depth[f].min(1) > 0.05)
        idx = np.nonzero(keep)[0]
        idx = idx[np.argsort(-fdepth[idx], kind="stable")]
        lambert = np.clip(normals[idx] @ light_dir, 0.0, None)
        shade = self.scene.ambient + self.scene.light_intensity * lambert
        colour = albedo[idx] * shade[:, None] * self.light_color[None, :]
        colour = np.clip(colour * 255.0, 0, 255).astype(np.int32).tolist()
        pts = np.round(uv[f[idx]] * (1 << SUBPIXEL_BITS)).astype(np.int32)
        fill = cv2.fillConvexPoly
        for p, c in zip(pts, colour, strict=True):
            fill(image, p, c, cv2.LINE_8, SUBPIXEL_BITS)
        return image


def _face_normals(verts: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Unit normals of quads (from their diagonals; degenerate quads are triangles)."""
    f = faces
    n = np.cross(verts[f[:, 2]] - verts[f[:, 0]], verts[f[:, 3]] - verts[f[:, 1]])
    return n / np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)
