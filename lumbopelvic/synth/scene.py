"""The scene around the person: wall, floor and lighting, and the camera's finishing touches.

The background is ray cast once per clip: a wall (plain or blotchy, with clutter such as
posters, shelves, doors and windows in front of it) and a floor (plain, tiles or planks).
Frames get optional motion blur, lens blur and sensor noise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from lumbopelvic.synth.camera import PinholeCamera


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
    clutter
        How many things stand or hang against the wall: 0 none, 1 a busy room or gym.
    floor_pattern
        ``"plain"``, ``"tiles"`` or ``"planks"``.
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
    clutter: float = 0.0
    floor_pattern: str = "plain"


FLOOR_PATTERNS = ("plain", "tiles", "planks")


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

    ``feet`` are the world positions of the ankles (may be empty); the wall is a vertical plane
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
    # Contact shadow: darker floor near the feet (none when no feet are given).
    shadow = np.ones(dist.shape)
    for f in feet:
        fd = np.linalg.norm(hit[..., :2] - f[:2], axis=-1)
        shadow = np.minimum(shadow, 1.0 - 0.45 * np.exp(-((fd / 0.18) ** 2)))
    floor_img = floor * (floor_shade * shadow)[..., None]
    if scene.floor_pattern not in FLOOR_PATTERNS:
        raise ValueError(f"unknown floor pattern {scene.floor_pattern!r}")
    if scene.floor_pattern != "plain":
        floor_img *= floor_pattern(hit, scene.floor_pattern, rng)[..., None]
    img[is_floor] = floor_img[is_floor]
    if scene.clutter > 0:
        along = hit @ np.array([nrm[1], -nrm[0], 0.0])  # horizontal position along the wall
        add_clutter(img, ~is_floor, along, hit[..., 2] - floor_z, scene.clutter, rng)
    # A skirting board where wall meets floor.
    board = (~is_floor) & (hit[..., 2] < floor_z + 0.08)
    img[board] = np.clip(wall * 0.7 + 0.05, 0, 1)
    img *= np.asarray(scene.light_color)[None, None, :]
    return np.clip(img * 255.0, 0, 255).astype(np.uint8)


def floor_pattern(hit: np.ndarray, pattern: str, rng: np.random.Generator) -> np.ndarray:
    """Shading factor of floor tiles (grout lines) or planks (seams and tone per plank)."""
    x, y = hit[..., 0], hit[..., 1]
    if pattern == "tiles":
        size = float(rng.uniform(0.3, 0.6))
        line = np.minimum(np.abs((x / size) % 1 - 0.5), np.abs((y / size) % 1 - 0.5))
        return np.where(line > 0.47, 0.75, 1.0)
    width = float(rng.uniform(0.12, 0.22))
    plank = np.floor(x / width)
    tone = 0.9 + 0.2 * ((np.sin(plank * 12.9898) * 43758.5453) % 1)
    seam = np.abs((x / width) % 1 - 0.5) > 0.47
    return np.where(seam, 0.7, tone)


def add_clutter(
    img: np.ndarray,
    on_wall: np.ndarray,
    along_m: np.ndarray,
    height_m: np.ndarray,
    amount: float,
    rng: np.random.Generator,
) -> None:
    """Paint posters, shelves, doors and windows on the wall (in place): flat rectangles in
    wall coordinates, up to about 12 of them for ``amount`` 1."""
    for _ in range(round(float(amount) * int(rng.integers(4, 13)))):
        kind = rng.choice(["poster", "shelf", "door", "window", "cabinet"])
        width = {"poster": 0.5, "shelf": 1.0, "door": 0.85, "window": 1.0, "cabinet": 0.7}[kind]
        height = {"poster": 0.7, "shelf": 0.05, "door": 2.0, "window": 1.1, "cabinet": 0.9}[kind]
        bottom = {"poster": 1.2, "shelf": 1.4, "door": 0.0, "window": 0.9, "cabinet": 0.0}[kind]
        x0 = float(rng.uniform(-3.0, 3.0))
        z0 = bottom + float(rng.uniform(-0.2, 0.3))
        inside = on_wall & (along_m > x0) & (along_m < x0 + width * rng.uniform(0.7, 1.3))
        inside &= (height_m > z0) & (height_m < z0 + height * rng.uniform(0.8, 1.2))
        colour = rng.uniform(0.1, 0.95, 3)
        if kind == "window":
            colour = np.array([0.85, 0.9, 0.97]) * rng.uniform(0.9, 1.1)
        img[inside] = np.clip(colour, 0, 1)


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
