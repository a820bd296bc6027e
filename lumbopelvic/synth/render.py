"""CPU renderer: painter's algorithm over the body's quads with Lambert shading.

Faces are drawn far to near with ``cv2.fillConvexPoly`` (sub-pixel precision), back faces
culled. Clothing is a colour per vertex region (and, for loose clothes, the covered
vertices pushed out along their normals). The background is a wall and a floor ray-cast
once per clip. Images are RGB ``uint8`` ``(H, W, 3)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np
import scipy.sparse

from lumbopelvic.synth.body import BodyRig
from lumbopelvic.synth.camera import PinholeCamera

SUBPIXEL_BITS = 4

# Vertex regions.
SKIN, HAIR, TOP, BOTTOM, SHOES = range(5)


@dataclass
class ClothingParams:
    """What the person wears. Colours are RGB in [0, 1].

    Attributes
    ----------
    bottom
        ``"shorts"`` or ``"trousers"``.
    top
        ``"shirt"`` (short sleeves) or ``"bare"`` (bare torso; a sports top for female
        phenotypes).
    fit
        ``"fitted"`` or ``"loose"``: loose clothes stand off the skin by ``loose_m``.
    """

    bottom: str = "shorts"
    top: str = "shirt"
    fit: str = "fitted"
    top_color: tuple[float, float, float] = (0.2, 0.35, 0.7)
    bottom_color: tuple[float, float, float] = (0.15, 0.15, 0.18)
    shoe_color: tuple[float, float, float] = (0.9, 0.9, 0.9)
    hair_color: tuple[float, float, float] = (0.18, 0.12, 0.08)
    loose_m: float = 0.025


@dataclass
class SceneParams:
    """Background and lighting.

    Attributes
    ----------
    wall_color, floor_color
        RGB in [0, 1].
    wall_distance_m
        Distance of the wall behind the person (along the camera's view), metres.
    light_azimuth_deg, light_elevation_deg
        Direction the key light comes from: azimuth 0 = from the camera, positive toward the
        camera's right; elevation above the horizon.
    light_intensity, ambient
        Lambert diffuse and ambient terms.
    light_color
        RGB tint of the light.
    wall_texture
        Amplitude of a static blotchy texture on the wall (0: plain).
    """

    wall_color: tuple[float, float, float] = (0.82, 0.80, 0.76)
    floor_color: tuple[float, float, float] = (0.55, 0.45, 0.35)
    wall_distance_m: float = 1.5
    light_azimuth_deg: float = 30.0
    light_elevation_deg: float = 35.0
    light_intensity: float = 0.75
    ambient: float = 0.35
    light_color: tuple[float, float, float] = (1.0, 0.98, 0.95)
    wall_texture: float = 0.04
    skin_color: tuple[float, float, float] = field(default=(0.85, 0.66, 0.53))


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
    if clothing.top == "shirt":
        out[(dom == 0) & (z >= waist_z)] = TOP
        # Short sleeves: the upper third of the upper arm.
        along = np.abs(v[:, 0]) - abs(shoulder[0])
        sleeve_end = 0.4 * (abs(elbow[0]) - abs(shoulder[0]))
        out[(dom == 3) & (along < sleeve_end)] = TOP
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


class BodyPainter:
    """Per-clip state for drawing one body: colours, normals matrix, offsets for clothing."""

    def __init__(
        self,
        rig: BodyRig,
        clothing: ClothingParams,
        scene: SceneParams,
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
        clothed = (regions == TOP) | (regions == BOTTOM)
        offset[clothed] = clothing.loose_m if clothing.fit == "loose" else 0.004
        self.offset = offset
        self.scene = scene
        self.light_color = np.asarray(scene.light_color, dtype=float)

    def face_normals(self, verts: np.ndarray) -> np.ndarray:
        f = self.faces
        n = np.cross(verts[f[:, 2]] - verts[f[:, 0]], verts[f[:, 3]] - verts[f[:, 1]])
        return n / np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)

    def dress(self, verts: np.ndarray) -> np.ndarray:
        """Vertices with clothing pushed out along the vertex normals."""
        if not self.offset.any():
            return verts
        vn = self.vf @ self.face_normals(verts)
        vn /= np.maximum(np.linalg.norm(vn, axis=1, keepdims=True), 1e-12)
        return verts + vn * self.offset[:, None]

    def paint(
        self, image: np.ndarray, verts: np.ndarray, cam: PinholeCamera, light_dir: np.ndarray
    ) -> np.ndarray:
        """Draw the body (world vertices ``(V, 3)``) onto ``image`` in place and return it."""
        verts = self.dress(verts)
        uv, depth = cam.project(verts)
        f = self.faces
        normals = self.face_normals(verts)
        centres = verts[f].mean(1)
        facing = np.einsum("ij,ij->i", normals, cam.position - centres) > 0
        fdepth = depth[f].mean(1)
        keep = facing & (depth[f].min(1) > 0.05)
        idx = np.nonzero(keep)[0]
        idx = idx[np.argsort(-fdepth[idx], kind="stable")]
        lambert = np.clip(normals[idx] @ light_dir, 0.0, None)
        shade = self.scene.ambient + self.scene.light_intensity * lambert
        colour = self.albedo[idx] * shade[:, None] * self.light_color[None, :]
        colour = np.clip(colour * 255.0, 0, 255).astype(np.int32).tolist()
        pts = np.round(uv[f[idx]] * (1 << SUBPIXEL_BITS)).astype(np.int32)
        fill = cv2.fillConvexPoly
        for p, c in zip(pts, colour, strict=True):
            fill(image, p, c, cv2.LINE_8, SUBPIXEL_BITS)
        return image


def light_direction(cam: PinholeCamera, scene: SceneParams) -> np.ndarray:
    """Unit vector toward the key light (world), from the scene's camera-relative angles."""
    right, _, forward = cam.rotation
    back = -forward.copy()
    back[2] = 0.0
    back /= max(np.linalg.norm(back), 1e-9)
    side = right.copy()
    side[2] = 0.0
    side /= max(np.linalg.norm(side), 1e-9)
    az = np.radians(scene.light_azimuth_deg)
    el = np.radians(scene.light_elevation_deg)
    horiz = np.cos(az) * back + np.sin(az) * side
    d = np.cos(el) * horiz + np.sin(el) * np.array([0.0, 0.0, 1.0])
    return d / np.linalg.norm(d)


def render_background(
    cam: PinholeCamera,
    scene: SceneParams,
    hip_centre: np.ndarray,
    floor_z: float,
    feet: np.ndarray,
    seed: int,
) -> np.ndarray:
    """Wall and floor seen by ``cam`` (ray cast per pixel), with a contact shadow at ``feet``.

    ``feet`` are the world positions of the two ankles; the wall is a vertical plane
    ``scene.wall_distance_m`` behind ``hip_centre`` facing the camera.
    """
    h, w = cam.height, cam.width
    us, vs = np.meshgrid(np.arange(w, dtype=float), np.arange(h, dtype=float))
    rays_cam = np.stack([(us - cam.cx) / cam.fx, (vs - cam.cy) / cam.fy, np.ones_like(us)], -1)
    rays = rays_cam @ cam.rotation  # camera -> world directions
    o = cam.position
    # Wall: normal along the horizontal view direction.
    nrm = cam.rotation[2].copy()
    nrm[2] = 0.0
    nrm /= np.linalg.norm(nrm)
    wall_point = hip_centre + nrm * scene.wall_distance_m
    denom = rays @ nrm
    toward_wall = denom > 1e-6
    t_wall = np.where(
        toward_wall, ((wall_point - o) @ nrm) / np.where(toward_wall, denom, 1), np.inf
    )
    down = rays[..., 2] < -1e-6
    t_floor = np.where(down, (floor_z - o[2]) / np.where(down, rays[..., 2], -1), np.inf)
    is_floor = t_floor < t_wall
    hit = o + rays * np.where(is_floor, t_floor, t_wall)[..., None]
    rng = np.random.default_rng(seed)
    wall = np.asarray(scene.wall_color, dtype=float)
    floor = np.asarray(scene.floor_color, dtype=float)
    img = np.empty((h, w, 3))
    height_shade = 0.9 + 0.1 * np.clip((hit[..., 2] - floor_z) / 2.5, 0, 1)
    img[:] = wall * height_shade[..., None]
    if scene.wall_texture > 0:
        small = rng.standard_normal((max(2, h // 48), max(2, w // 48)))
        tex = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
        img *= (1.0 + scene.wall_texture * tex)[..., None]
    dist = np.linalg.norm(hit[..., :2] - o[:2], axis=-1)
    floor_shade = np.clip(1.05 - 0.08 * dist, 0.6, 1.05)
    # Contact shadow: darker floor near the feet.
    fd = np.min(np.stack([np.linalg.norm(hit[..., :2] - f[:2], axis=-1) for f in feet]), 0)
    shadow = 1.0 - 0.45 * np.exp(-((fd / 0.18) ** 2))
    floor_img = floor * (floor_shade * shadow)[..., None]
    img[is_floor] = floor_img[is_floor]
    # A skirting board where wall meets floor.
    board = (~is_floor) & (hit[..., 2] < floor_z + 0.08)
    img[board] = np.clip(wall * 0.7 + 0.05, 0, 1)
    img *= np.asarray(scene.light_color)[None, None, :]
    return np.clip(img * 255.0, 0, 255).astype(np.uint8)


def finish_frame(
    image: np.ndarray, blur_sigma_px: float, noise_std: float, rng: np.random.Generator
) -> np.ndarray:
    """Apply optional lens blur and sensor noise to a rendered frame (uint8 RGB)."""
    out = image
    if blur_sigma_px > 0:
        out = cv2.GaussianBlur(out, (0, 0), blur_sigma_px)
    if noise_std > 0:
        noisy = out.astype(np.float32) + rng.normal(0.0, noise_std, out.shape).astype(np.float32)
        out = np.clip(noisy + 0.5, 0, 255).astype(np.uint8)
    return out
