"""A virtual phone camera: pinhole placed beside the person (pure NumPy).

World coordinates are the body's: metres, z up, the person faces -y, the sagittal plane is
y-z. Camera coordinates follow OpenCV: x right, y down, z forward (along the optical axis);
pixel (0, 0) is the centre of the top-left pixel.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class CameraParams:
    """Where the phone is and how it films.

    Attributes
    ----------
    facing
        ``"left"`` or ``"right"``: the way the person faces in the image. For ``"left"``
        the camera is on the person's left side (world +x), for ``"right"`` on their right.
    yaw_deg
        Camera moved around the person off the perfect side view, degrees; positive moves
        it toward the person's front.
    height_m
        Camera (lens) height above the floor, metres.
    pitch_deg
        Optical axis below the horizontal, degrees (positive: tilted down).
    roll_deg
        Rotation about the optical axis, degrees (positive: image content turns clockwise).
    distance_m
        Horizontal distance from the person's hip joints to the lens, metres.
    fill
        Standing body height as a fraction of the frame height. The focal length follows
        from it (shrunk if the bent body would leave the frame).
    width, height
        Frame size in pixels (even numbers; portrait when ``height > width``).
    fps
        Frames per second.
    crf
        H.264 constant rate factor (lower is better quality, 18-35 sensible).
    blur_sigma_px
        Gaussian blur of each frame (0: none), pixels.
    noise_std
        Standard deviation of Gaussian sensor noise, 8-bit levels (0: none).
    motion_blur
        Share of the previous frame blended into each frame (0: none; 0.3-0.5 looks like a
        phone's exposure during quick movement).
    """

    facing: str = "left"
    yaw_deg: float = 0.0
    height_m: float = 1.0
    pitch_deg: float = 0.0
    roll_deg: float = 0.0
    distance_m: float = 3.0
    fill: float = 0.6
    width: int = 720
    height: int = 1280
    fps: float = 30.0
    crf: int = 23
    blur_sigma_px: float = 0.0
    noise_std: float = 0.0
    motion_blur: float = 0.0


@dataclass
class PinholeCamera:
    """A placed camera. ``rotation`` maps world to camera axes: ``x_cam = R (x - position)``."""

    rotation: np.ndarray
    position: np.ndarray
    fx: float
    fy: float
    cx: float
    cy: float
    width: int
    height: int

    def to_camera(self, points: np.ndarray) -> np.ndarray:
        """World points ``(..., 3)`` -> camera coordinates ``(..., 3)``."""
        return (points - self.position) @ self.rotation.T

    def project(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """World points ``(..., 3)`` -> pixel coordinates ``(..., 2)`` and depth ``(...)`` (m)."""
        c = self.to_camera(points)
        z = c[..., 2]
        zs = np.where(np.abs(z) < 1e-9, 1e-9, z)
        uv = np.stack([self.fx * c[..., 0] / zs + self.cx, self.fy * c[..., 1] / zs + self.cy], -1)
        return uv, z

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly intrinsics and extrinsics."""
        return {
            "rotation_world_to_camera": self.rotation.round(9).tolist(),
            "position_m": self.position.round(6).tolist(),
            "fx": self.fx,
            "fy": self.fy,
            "cx": self.cx,
            "cy": self.cy,
            "width": self.width,
            "height": self.height,
        }


def camera_axes(params: CameraParams) -> tuple[np.ndarray, np.ndarray]:
    """Rotation (world -> camera) and the unit direction from the person to the camera.

    The camera is on +x for ``facing == "left"`` (the person's front, -y, then points to the
    image left) and on -x for ``"right"``.
    """
    if params.facing not in ("left", "right"):
        raise ValueError(f"facing must be 'left' or 'right', got {params.facing!r}")
    side = 1.0 if params.facing == "left" else -1.0
    yaw = np.radians(params.yaw_deg)
    # Positive yaw swings the camera toward the person's front (-y).
    to_camera = np.array([side * np.cos(yaw), -np.sin(yaw), 0.0])
    up = np.array([0.0, 0.0, 1.0])
    forward0 = -to_camera
    right0 = np.cross(forward0, up)
    right0 /= np.linalg.norm(right0)
    pitch = np.radians(params.pitch_deg)
    forward = np.cos(pitch) * forward0 - np.sin(pitch) * up
    down = np.cross(forward, right0)
    roll = np.radians(params.roll_deg)
    right = np.cos(roll) * right0 + np.sin(roll) * down
    down = -np.sin(roll) * right0 + np.cos(roll) * down
    return np.stack([right, down, forward]), to_camera


def place_camera(
    params: CameraParams,
    hip_centre: np.ndarray,
    floor_z: float,
    standing_points: np.ndarray,
    all_points: np.ndarray,
    margin: float = 0.04,
) -> PinholeCamera:
    """Place the camera and choose its focal length and principal point.

    Parameters
    ----------
    params
        The camera settings.
    hip_centre
        Midpoint of the hip joints in standing (world, metres): the camera looks across it.
    floor_z
        Height of the floor (world z, metres).
    standing_points
        Body points in standing ``(N, 3)``: their image height sets the focal length
        (``fill`` of the frame height).
    all_points
        Body points over the whole clip ``(M, 3)``: the principal point centres them, and the
        focal length shrinks if needed so they stay inside the frame with ``margin``.
    """
    rotation, to_camera = camera_axes(params)
    position = np.array(
        [
            hip_centre[0] + params.distance_m * to_camera[0],
            hip_centre[1] + params.distance_m * to_camera[1],
            floor_z + params.height_m,
        ]
    )
    probe = PinholeCamera(rotation, position, 1.0, 1.0, 0.0, 0.0, params.width, params.height)
    (s_uv, s_z) = probe.project(standing_points)
    (a_uv, a_z) = probe.project(all_points)
    if (s_z <= 0.05).any() or (a_z <= 0.05).any():
        raise ValueError("the camera is inside or behind the body; increase distance_m")
    stand_h = float(np.ptp(s_uv[:, 1]))
    lo, hi = a_uv.min(0), a_uv.max(0)
    span = hi - lo
    focal = params.fill * params.height / stand_h
    usable_w = params.width * (1.0 - 2 * margin)
    usable_h = params.height * (1.0 - 2 * margin)
    focal = min(focal, usable_w / span[0], usable_h / span[1])
    centre = (lo + hi) / 2.0
    cx = (params.width - 1) / 2.0 - focal * centre[0]
    cy = (params.height - 1) / 2.0 - focal * centre[1]
    return PinholeCamera(rotation, position, focal, focal, cx, cy, params.width, params.height)
