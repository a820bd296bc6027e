"""Issue 29, second probe: the ANNY body fitted to the back's outline in every frame.

Not shipped; ``bench/ACCURACY.md`` ("Issue 29, second probe") says what it measured and why.

The body
    ANNY (the body the renders are made of), one phenotype per run: the average one, or with
    ``--exact-body`` the very phenotype of each render (the fit then knows the person). The
    trunk, pelvis and legs are posed in the sagittal plane with the renderer's own rules
    (:data:`lumbopelvic.synth.posing.LUMBAR_SPLIT` and ``THORACIC_SPLIT``): pelvis ``p`` (the
    whole body turns about the root), lumbar ``l``, thoracic ``t``, thigh and shank; ANNY's
    own skinning weights, in 2D. The feet stay where they stood (a bend, a hinge, a squat
    and a sit-to-stand all keep them planted), so the body hangs from its ankles and has no
    free shift.
The camera
    Orthographic and upright. Scale and position come from the standing frames: by default
    fitted to MediaPipe's mid-hip and mid-shoulder and the standing outline; with
    ``--silhouette-placement`` from the whole standing silhouette; with ``--true-placement``
    from the render's own camera and true hip pixel. With ``--true-camera`` the body is
    posed in the render's own pinhole camera instead (perspective). The last two are
    diagnostics: how well the fit does once it is placed right.
Each frame
    The five angles by least squares on the back profile (the soft envelope of the posed
    back at each level of :data:`~lumbopelvic.kinematics.back_outline.PROFILE_LEVELS`,
    against the silhouette's, both read in the body's own hip-joint-to-shoulder frame), the
    mid-hip and mid-shoulder landmarks (weakly: they drift as the trunk bends) and the legs'
    landmark angles (as a prior); warm-started from the previous frame and from splits of
    its trunk and of the landmarks' hip-shoulder line. ``--inside-weight`` weights the body
    lying inside the silhouette less than outside it (a garment only adds).

Scored as pelvis, lumbar and L1-trunk RMSE (degrees, change from standing) per case, beside the
shipped network on the same pose (cached), with the fit's cost at its answer and at the truth
in the deepest frame (is it the optimiser or the model?). Every ``--step``-th frame is fitted.

Reproduce (renders as in ``bench/ACCURACY.md``)::

    .venv/bin/python bench/probe_body_fit.py /tmp/bench/benchmark --cases 4 \\
        [--exact-body] [--true-placement | --silhouette-placement | --true-camera] \\
        [--inside-weight 0.333]
    .venv/bin/python bench/probe_body_fit.py /tmp/bench/benchmark --cases 4 --mesh-check
    .venv/bin/python bench/probe_body_fit.py /tmp/bench/benchmark --cases 4 --placement-check \\
        [--exact-body]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import least_squares

from lumbopelvic.core.outline_codec import decode_outline
from lumbopelvic.io.result_files import read_table_csv
from lumbopelvic.kinematics.back_outline import PROFILE_LEVELS, back_profile, to_body_coords
from lumbopelvic.kinematics.raw_angles import raw_kinematics
from lumbopelvic.kinematics.sagittal import midpoint
from lumbopelvic.kinematics.settings import AngleSettings
from lumbopelvic.synth.body import PHENOTYPE_NAMES, make_rig
from lumbopelvic.synth.camera import PinholeCamera
from lumbopelvic.synth.posing import LUMBAR_SPLIT, THORACIC_SPLIT, pose_frames
from lumbopelvic.workflows.progress import SILENT
from lumbopelvic.workflows.sources import run_pose
from lumbopelvic.workflows.validate import truth_pairs

NOT_BACK = (
    "arm",
    "hand",
    "finger",
    "lowerleg",
    "foot",
    "toe",
    "head",
    "eye",
    "jaw",
    "neck",
    "tongue",
    "teeth",
    "ear",
    "brow",
    "lid",
    "metacarpal",
    "thumb",
    "upperleg02",
)
# Noise of each term, in hip-shoulder lengths: the profile is read to about 1 %, MediaPipe's
# hip and shoulder drift by several per cent as the trunk bends; the legs' landmark angles
# are a prior (radians).
PROFILE_SIGMA, HIP_SIGMA, SHOULDER_SIGMA = 0.01, 0.1, 0.1
LEG_SIGMA = np.radians(5.0)
# Soft envelope: levels blurred over 3 % of L, the maximum softened over 0.4 %.
BAND_SIGMA, SOFTMAX_TAU = 0.03, 0.004
# Bounds of pelvis, lumbar, thoracic, thigh, shank (radians): beyond what a body does.
LOWER = np.radians([-40.0, -40.0, -40.0, -60.0, -40.0])
UPPER = np.radians([130.0, 95.0, 70.0, 60.0, 80.0])


def rotate(angle: float, vector: np.ndarray) -> np.ndarray:
    """``vector`` ``(2,)`` or ``(m, 2)`` in (y, z) turned about +x by ``angle`` radians."""
    c, s = np.cos(angle), np.sin(angle)
    v = np.atleast_2d(vector)
    out = np.stack([c * v[:, 0] - s * v[:, 1], s * v[:, 0] + c * v[:, 1]], axis=1)
    return out if np.ndim(vector) == 2 else out[0]


class SagittalBack:
    """The ANNY trunk, pelvis and thighs of one phenotype, posed in the sagittal plane."""

    def __init__(self, phenotype: np.ndarray) -> None:
        self.phenotype = phenotype
        rig = make_rig(phenotype)
        names = rig.joint_names
        allowed = np.array([not any(word in n.lower() for word in NOT_BACK) for n in names])
        weights = rig.skin_weights
        hip_z = rig.rest_joints[rig.index("upperleg01.L"), 2, 3]
        keep = (weights[:, allowed].sum(axis=1) > 0.98) & (rig.rest_vertices[:, 2] > hip_z - 0.25)
        self.vertices = rig.rest_vertices[keep][:, 1:3]
        self.lateral = rig.rest_vertices[keep][:, 0]
        chain = set(np.flatnonzero(allowed & (weights[keep].max(axis=0) > 0)).tolist())
        for j in list(chain):
            k = int(rig.parents[j])
            while k >= 0:
                chain.add(k)
                k = int(rig.parents[k])
        self.chain = sorted(chain)
        self.names = [names[j] for j in self.chain]
        self.parent = [
            self.chain.index(int(rig.parents[j])) if rig.parents[j] >= 0 else -1 for j in self.chain
        ]
        self.rest = rig.rest_joints[self.chain][:, 1:3, 3]
        w = weights[keep][:, self.chain]
        self.weights = w / w.sum(axis=1, keepdims=True)
        self.hips = [self.names.index("upperleg01.L"), self.names.index("upperleg01.R")]
        self.shoulders = [self.names.index(n) for n in self.names if n.startswith("shoulder01")]
        self.thorax = self.names.index("spine01")

    def angles(self, p: float, lumbar: float, t: float, thigh: float) -> np.ndarray:
        """World rotation (radians about +x) of every joint of the chain."""
        driven = {
            "root": p,
            "spine05": p + LUMBAR_SPLIT[0] * lumbar,
            "spine04": p + LUMBAR_SPLIT[1] * lumbar,
            "spine03": p + lumbar,
            "spine02": p + lumbar + THORACIC_SPLIT[0] * t,
            "spine01": p + lumbar + t,
            "upperleg01.L": thigh,
            "upperleg01.R": thigh,
        }
        out = np.zeros(len(self.chain))
        for i, name in enumerate(self.names):
            out[i] = driven.get(name, out[self.parent[i]] if self.parent[i] >= 0 else 0.0)
        return out

    def pose(self, p: float, lumbar: float, t: float, thigh: float) -> tuple[np.ndarray, ...]:
        """Joint positions ``(J, 2)``, vertices ``(N, 2)`` (y, z metres) and joint angles."""
        ang = self.angles(p, lumbar, t, thigh)
        joints = np.zeros_like(self.rest)
        for i, q in enumerate(self.parent):
            joints[i] = (
                self.rest[i] if q < 0 else joints[q] + rotate(ang[q], self.rest[i] - self.rest[q])
            )
        c, s = np.cos(ang), np.sin(ang)
        dy = self.vertices[:, None, 0] - self.rest[None, :, 0]
        dz = self.vertices[:, None, 1] - self.rest[None, :, 1]
        y = (self.weights * (c * dy - s * dz + joints[:, 0])).sum(axis=1)
        z = (self.weights * (s * dy + c * dz + joints[:, 1])).sum(axis=1)
        return joints, np.stack([y, z], axis=1), ang


def to_image(yz: np.ndarray, scale: float, shift: np.ndarray, facing: int) -> np.ndarray:
    """Body (y, z) metres to image pixels: orthographic, upright, facing ``facing``."""
    return np.stack([shift[0] - facing * scale * yz[:, 0], shift[1] - scale * yz[:, 1]], axis=1)


def soft_envelope(uv: np.ndarray) -> np.ndarray:
    """Depth of the posed back at each profile level: a soft maximum over nearby vertices."""
    d = (uv[:, None, 0] - PROFILE_LEVELS[None, :]) / BAND_SIGMA
    log_w = -0.5 * d**2 + uv[:, None, 1] / SOFTMAX_TAU
    top = log_w.max(axis=0)
    return SOFTMAX_TAU * (top + np.log(np.exp(log_w - top).sum(axis=0)))


class PlantedBody(SagittalBack):
    """:class:`SagittalBack` with legs: posed, it stands on its ankles at the origin."""

    def __init__(self, phenotype: np.ndarray) -> None:
        super().__init__(phenotype)
        rig = make_rig(phenotype)

        def rest(name: str) -> np.ndarray:
            return np.mean([rig.rest_joints[rig.index(f"{name}.{s}")][1:3, 3] for s in "LR"], 0)

        self.hip_rest, self.knee_rest = rest("upperleg01"), rest("lowerleg01")
        self.ankle_rest = rest("foot")

    def place(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Vertices ``(N, 2)``, hip-joint and shoulder-joint centres (y, z metres, ankles at 0)
        for ``x`` = pelvis, lumbar, thoracic, thigh, shank (radians, world)."""
        joints, vertices, _ = self.pose(x[0], x[1], x[2], x[3])
        hip = joints[self.hips].mean(0)
        knee = hip + rotate(x[3], self.knee_rest - self.hip_rest)
        ankle = knee + rotate(x[4], self.ankle_rest - self.knee_rest)
        return vertices - ankle, hip - ankle, joints[self.shoulders].mean(0) - ankle


Projector = Callable[[np.ndarray, np.ndarray], np.ndarray]


def profile_gap(
    body_points: tuple[np.ndarray, np.ndarray, np.ndarray],
    lateral: np.ndarray,
    project: Projector,
    facing: int,
    outline: np.ndarray,
    inside_weight: float = 1.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Posed back minus silhouette back at each level (hip-shoulder lengths; 0 where the
    silhouette has none; times ``inside_weight`` where the body lies inside it), read in the
    body's own joint frame, and the joints in pixels. ``project`` maps (y, z) metres and the
    lateral coordinate (x, metres) to pixels."""
    vertices, hip, shoulder = body_points
    hip_px, shoulder_px = project(np.stack([hip, shoulder]), np.zeros(2))
    seen = back_profile(to_body_coords(outline, hip_px, shoulder_px, facing), PROFILE_LEVELS)
    posed = soft_envelope(to_body_coords(project(vertices, lateral), hip_px, shoulder_px, facing))
    gap = posed - seen
    gap = np.where(gap < 0, inside_weight * gap, gap)
    return np.where(np.isfinite(gap), gap, 0.0), hip_px, shoulder_px


def orthographic(scale: float, shift: np.ndarray, facing: int) -> Projector:
    """An upright orthographic camera (the lateral coordinate is ignored)."""
    return lambda yz, _lateral: to_image(yz, scale, shift, facing)


def perspective(camera: PinholeCamera, ankles_yz: np.ndarray) -> Projector:
    """The render's own pinhole camera, the body standing on its ankles at ``ankles_yz``."""
    return lambda yz, lateral: camera.project(np.column_stack([lateral, yz + ankles_yz]))[0]


def fit_recording(
    body: PlantedBody,
    landmarks: dict[str, np.ndarray],
    outlines: list[np.ndarray],
    standing: slice,
    facing: int,
    frames: list[int],
    placement: tuple[float, np.ndarray] | None = None,
    camera: PinholeCamera | None = None,
    inside_weight: float = 1.0,
) -> tuple[np.ndarray, list[Callable[[np.ndarray], np.ndarray] | None]]:
    """``(n, 5)`` fitted pelvis, lumbar, thoracic, thigh, shank (radians, world; NaN where not
    fitted) and each fitted frame's residual function.

    ``landmarks``: ``hip`` and ``shoulder`` ``(n, 2)`` pixels, ``thigh``, ``shank`` and the
    hip-shoulder ``line`` ``(n,)`` degrees (changes from standing). ``placement``: the
    camera's scale (pixels per metre) and the standing hip-joint pixel, when known; otherwise
    fitted while standing.
    ``camera``: the render's own camera, for a perspective projection (then ``placement``
    is not used).
    """
    hip, shoulder = landmarks["hip"], landmarks["shoulder"]
    hip0, shoulder0 = np.nanmedian(hip[standing], 0), np.nanmedian(shoulder[standing], 0)
    length0 = float(np.hypot(*(shoulder0 - hip0)))
    rest = body.place(np.zeros(5))
    if placement is not None:
        scale, hip_px = placement
        shift = hip_px + np.array([facing * scale * rest[1][0], scale * rest[1][1]])
    else:
        scale = length0 / float(np.hypot(*(rest[2] - rest[1])))
        shift = hip0 + np.array([facing * scale * rest[1][0], scale * rest[1][1]])
        middle = next(
            i
            for i in range(standing.start + (standing.stop - standing.start) // 2, len(outlines))
            if len(outlines[i]) >= 3
        )

        def standing_residual(z: np.ndarray) -> np.ndarray:
            gap, hip_px, shoulder_px = profile_gap(
                rest,
                body.lateral,
                orthographic(scale * np.exp(z[0]), shift + z[1:], facing),
                facing,
                outlines[middle],
                inside_weight,
            )
            return np.concatenate(
                [
                    gap / PROFILE_SIGMA,
                    (hip_px - hip0) / length0 / HIP_SIGMA,
                    (shoulder_px - shoulder0) / length0 / SHOULDER_SIGMA,
                ]
            )

        z = least_squares(standing_residual, np.zeros(3), x_scale=[0.05, 20, 20]).x
        scale, shift = scale * np.exp(z[0]), shift + z[1:]
    project = orthographic(scale, shift, facing)
    if camera is not None:
        project = perspective(camera, body.ankle_rest)

    n = len(hip)
    out = np.full((n, 5), np.nan)
    residuals: list[Callable[[np.ndarray], np.ndarray] | None] = [None] * n
    x = np.zeros(5)
    for i in frames:
        if len(outlines[i]) < 3:
            continue
        legs = np.radians([landmarks["thigh"][i], landmarks["shank"][i]])

        def residual(x: np.ndarray, i: int = i, legs: np.ndarray = legs) -> np.ndarray:
            gap, hip_px, shoulder_px = profile_gap(
                body.place(x), body.lateral, project, facing, outlines[i], inside_weight
            )
            return np.concatenate(
                [
                    gap / PROFILE_SIGMA,
                    np.nan_to_num((hip_px - hip[i]) / length0 / HIP_SIGMA),
                    np.nan_to_num((shoulder_px - shoulder[i]) / length0 / SHOULDER_SIGMA),
                    np.nan_to_num((x[3:] - legs) / LEG_SIGMA),
                ]
            )

        starts = [x.copy()]
        # The previous trunk and the landmarks' hip-shoulder line, each split afresh.
        line = np.radians(landmarks["line"][i]) - x[2]
        for total in (x[0] + x[1], line) if np.isfinite(line) else (x[0] + x[1],):
            for share in np.linspace(0.0, 1.0, 7):
                start = x.copy()
                start[:2] = share * total, (1 - share) * total
                starts.append(start)
        starts.sort(key=lambda s: float(np.sum(residual(s) ** 2)))
        fits = [
            least_squares(
                residual, np.clip(s, LOWER + 1e-3, UPPER - 1e-3), bounds=(LOWER, UPPER), x_scale=0.1
            )
            for s in starts[:3]
        ]
        x = min(fits, key=lambda f: f.cost).x
        out[i] = x
        residuals[i] = residual
    return out, residuals


def cost_at(
    residual: Callable[[np.ndarray], np.ndarray], angles: np.ndarray, legs: np.ndarray
) -> float:
    """The fit's cost with the trunk's three angles held at ``angles`` (radians), legs free."""
    held = least_squares(lambda free: residual(np.r_[angles, free]), legs)
    return float(np.sum(held.fun**2))


def true_placement(video: Path, truth: pd.DataFrame) -> tuple[float, np.ndarray]:
    """The render's scale at the body (pixels per metre) and its first frame's hip pixel."""
    camera = json.loads(video.with_name(f"{video.stem}_params.json").read_text())["camera_resolved"]
    rotation, position = (
        np.array(camera["rotation_world_to_camera"]),
        np.array(camera["position_m"]),
    )
    depth = float(((np.zeros(3) - position) @ rotation.T)[2])
    first = truth.iloc[0]
    hip = np.array([(first.hip_l_x + first.hip_r_x) / 2, (first.hip_l_y + first.hip_r_y) / 2])
    return camera["fx"] / depth, hip


# Joints whose vertices are left out of the standing silhouette match (arms hang beside it).
SILHOUETTE_ARMS = ("arm", "hand", "finger", "metacarpal", "thumb", "clavicle", "shoulder")
SILHOUETTE_ROWS = 60


def body_points(phenotype: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The standing body's vertices without the arms, and its hip-joint centre (y, z metres)."""
    rig = make_rig(phenotype)
    names = rig.joint_names
    arm = np.array([any(w in n.lower() for w in SILHOUETTE_ARMS) for n in names])
    keep = rig.skin_weights[:, arm].sum(axis=1) < 0.05
    hips = [rig.index("upperleg01.L"), rig.index("upperleg01.R")]
    return rig.rest_vertices[keep][:, 1:3], rig.rest_joints[hips][:, 1:3, 3].mean(0)


def row_extents(points_xy: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least and greatest x of the points within each row's band (NaN where none)."""
    half = (rows[1] - rows[0]) / 2
    lo = np.full(len(rows), np.nan)
    hi = np.full(len(rows), np.nan)
    for k, r in enumerate(rows):
        inside = np.abs(points_xy[:, 1] - r) <= half
        if inside.any():
            lo[k], hi[k] = points_xy[inside, 0].min(), points_xy[inside, 0].max()
    return lo, hi


def outline_extents(outline: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Left and right crossings of a closed polygon with horizontal lines."""
    x0, y0 = outline[:, 0], outline[:, 1]
    x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
    lo = np.full(len(rows), np.nan)
    hi = np.full(len(rows), np.nan)
    for k, r in enumerate(rows):
        dy = y1 - y0
        with np.errstate(divide="ignore", invalid="ignore"):
            f = (r - y0) / dy
        ok = (dy != 0) & (f >= 0) & (f <= 1)
        if ok.any():
            xs = x0[ok] + f[ok] * (x1[ok] - x0[ok])
            lo[k], hi[k] = xs.min(), xs.max()
    return lo, hi


def place_on_silhouette(
    verts_yz: np.ndarray,
    hip_yz: np.ndarray,
    outline: np.ndarray,
    facing: int,
) -> tuple[float, np.ndarray]:
    """Scale (pixels per metre) and hip-joint pixel of the standing body whose side
    silhouette (left and right extents row by row, head to feet, arms left out) best matches
    the standing ``outline``."""
    body_height = verts_yz[:, 1].max() - verts_yz[:, 1].min()
    scale0 = (outline[:, 1].max() - outline[:, 1].min()) / body_height
    shift0 = np.array(
        [
            outline[:, 0].mean() + facing * scale0 * verts_yz[:, 0].mean(),
            outline[:, 1].max() + scale0 * verts_yz[:, 1].min(),
        ]
    )
    top, bottom = outline[:, 1].min(), outline[:, 1].max()
    rows = np.linspace(top + 0.02 * (bottom - top), bottom - 0.02 * (bottom - top), SILHOUETTE_ROWS)
    seen_lo, seen_hi = outline_extents(outline, rows)
    height_px = bottom - top

    def image(z: np.ndarray) -> np.ndarray:
        s, tx, ty = scale0 * np.exp(z[0]), shift0[0] + z[1], shift0[1] + z[2]
        return np.stack([tx - facing * s * verts_yz[:, 0], ty - s * verts_yz[:, 1]], 1)

    def residual(z: np.ndarray) -> np.ndarray:
        pts = image(z)
        lo, hi = row_extents(pts, rows)
        r = np.concatenate([lo - seen_lo, hi - seen_hi]) / height_px / 0.01
        ext = np.array([pts[:, 1].min() - top, pts[:, 1].max() - bottom]) / height_px / 0.005
        return np.concatenate([np.nan_to_num(r), ext])

    z = least_squares(residual, np.zeros(3), x_scale=[0.05, 10, 10], diff_step=1e-3).x
    s = scale0 * np.exp(z[0])
    shift = shift0 + z[1:]
    hip_px = np.array([shift[0] - facing * s * hip_yz[0], shift[1] - s * hip_yz[1]])
    return s, hip_px


def render_camera(video: Path) -> PinholeCamera:
    """The camera a render was made with (from its ``_params.json``)."""
    cam = json.loads(video.with_name(f"{video.stem}_params.json").read_text())["camera_resolved"]
    return PinholeCamera(
        np.array(cam["rotation_world_to_camera"]),
        np.array(cam["position_m"]),
        cam["fx"],
        cam["fy"],
        cam["cx"],
        cam["cy"],
        cam["width"],
        cam["height"],
    )


def outline_against_mesh(
    video: Path, truth: pd.DataFrame, table: pd.DataFrame, facing: int
) -> None:
    """Print how far the silhouette's back lies from the posed ANNY mesh's (projected through
    the render's own camera, read in the true joint frame), and how far lumbar flexion moves
    the back: is the information in the outline?"""
    params = json.loads(video.with_name(f"{video.stem}_params.json").read_text())
    rig = make_rig(np.array([params["case"]["body"][k] for k in PHENOTYPE_NAMES]))
    camera = render_camera(video)
    hips = [rig.index("upperleg01.L"), rig.index("upperleg01.R")]
    shoulders = [rig.index("upperarm01.L"), rig.index("upperarm01.R")]
    profiles = {}
    for label, row in (
        ("standing", truth.iloc[0]),
        ("deepest", truth.loc[truth["trunk_deg"].idxmax()]),
    ):
        posed = pose_frames(
            rig, *(np.array([row[f"{k}_deg"]]) for k in ("pelvis", "lumbar", "thoracic", "knee"))
        )
        vertices, _ = camera.project(posed.vertices[0])
        joints, _ = camera.project(posed.joints[0][:, :3, 3])
        hip_px, shoulder_px = joints[hips].mean(0), joints[shoulders].mean(0)
        mesh = soft_envelope(to_body_coords(vertices, hip_px, shoulder_px, facing))
        frame = int(np.argmin(np.abs(table["time_s"].to_numpy() - row["time_s"])))
        outline = decode_outline(table["silhouette_px"].iloc[frame])
        seen = back_profile(to_body_coords(outline, hip_px, shoulder_px, facing), PROFILE_LEVELS)
        profiles[label] = mesh
        gap = np.abs(seen - mesh)[PROFILE_LEVELS <= 0.6]
        print(
            f"{video.stem} {label}: silhouette against mesh, levels up to 0.6 L: "
            f"median {np.nanmedian(gap):.3f} L, largest {np.nanmax(gap):.3f} L"
        )
    moved = np.abs(profiles["deepest"] - profiles["standing"])[PROFILE_LEVELS <= 0.6]
    print(f"{video.stem}: the bend moves the mesh's back by up to {moved.max():.3f} L")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("set_dir", type=Path)
    parser.add_argument("--exact-body", action="store_true", help="each render's own phenotype")
    parser.add_argument("--true-placement", action="store_true", help="the render's camera")
    parser.add_argument("--cases", type=int, default=None, help="only the first N cases")
    parser.add_argument("--step", type=int, default=4, help="fit every N-th frame")
    parser.add_argument("--mesh-check", action="store_true", help="outline against mesh only")
    parser.add_argument(
        "--placement-check", action="store_true", help="silhouette placement against the truth"
    )
    parser.add_argument(
        "--silhouette-placement", action="store_true", help="place on the standing silhouette"
    )
    parser.add_argument(
        "--true-camera", action="store_true", help="the render's own pinhole camera (perspective)"
    )
    parser.add_argument(
        "--inside-weight", type=float, default=1.0, help="weight of the body inside the outline"
    )
    args = parser.parse_args()
    average = PlantedBody(np.full(6, 0.5))
    rows = []
    for video, truth_path in truth_pairs(args.set_dir)[: args.cases]:
        table = run_pose(video, None, True, SILENT).table
        kin = raw_kinematics(table, AngleSettings())
        standing = slice(kin.standing.start, kin.standing.stop)
        truth = read_table_csv(truth_path, "truth table")
        if args.mesh_check:
            outline_against_mesh(video, truth, table, kin.facing)
            continue
        if args.placement_check:
            phenotype = np.full(6, 0.5)
            if args.exact_body:
                params = json.loads(video.with_name(f"{video.stem}_params.json").read_text())
                phenotype = np.array([params["case"]["body"][k] for k in PHENOTYPE_NAMES])
            middle = (standing.start + standing.stop) // 2
            outline = decode_outline(table["silhouette_px"].iloc[middle])
            scale, hip_px = place_on_silhouette(*body_points(phenotype), outline, kin.facing)
            true_scale, true_hip = true_placement(video, truth)
            print(
                f"{video.stem}: scale {100 * (scale / true_scale - 1):+.1f} % against the body's "
                f"mid-plane, hip pixel off by {np.round(hip_px - true_hip, 1)}"
            )
            continue
        body = average
        if args.exact_body:
            params = json.loads(video.with_name(f"{video.stem}_params.json").read_text())
            body = PlantedBody(np.array([params["case"]["body"][k] for k in PHENOTYPE_NAMES]))
        landmarks = {
            "hip": midpoint(table, "hip"),
            "shoulder": midpoint(table, "shoulder"),
            "thigh": kin.inputs.thigh_deg,
            "shank": kin.inputs.shank_deg,
            "line": kin.inputs.line_deg,
        }
        outlines = [decode_outline(text) for text in table["silhouette_px"]]
        frames = sorted(
            set(range(standing.start, standing.stop)) | set(range(0, len(table), args.step))
        )
        started = time.perf_counter()
        placement = true_placement(video, truth) if args.true_placement else None
        if args.silhouette_placement:
            middle = (standing.start + standing.stop) // 2
            placement = place_on_silhouette(
                *body_points(body.phenotype), outlines[middle], kin.facing
            )
        camera = render_camera(video) if args.true_camera else None
        solution, residuals = fit_recording(
            body,
            landmarks,
            outlines,
            standing,
            kin.facing,
            frames,
            placement,
            camera,
            args.inside_weight,
        )
        seconds = time.perf_counter() - started
        true = np.stack(
            [
                np.interp(kin.times_s, truth["time_s"], truth[f"{k}_deg"])
                for k in ("pelvis", "lumbar", "thoracic")
            ],
            axis=1,
        )
        fitted = np.degrees(solution[:, :3])
        fitted_change = fitted - np.nanmedian(fitted[standing], axis=0)
        true_change = true - np.median(true[standing], axis=0)
        network = (kin.estimate.pelvis_deg, kin.estimate.trunk_deg - kin.estimate.pelvis_deg)
        done = np.isfinite(fitted[:, 0])

        def rmse(a: np.ndarray, b: np.ndarray, done: np.ndarray = done) -> float:
            return float(np.sqrt(np.nanmean((a[done] - b[done]) ** 2)))

        deepest = int(np.argmax(np.where(done, true[:, 0] + true[:, 1], -np.inf)))
        residual = residuals[deepest]
        assert residual is not None
        at_truth = cost_at(residual, np.radians(true[deepest]), solution[deepest][3:])
        rows.append(
            {
                "case": video.stem,
                "fit_pelvis": rmse(fitted_change[:, 0], true_change[:, 0]),
                "fit_lumbar": rmse(fitted_change[:, 1], true_change[:, 1]),
                "fit_trunk": rmse(fitted_change[:, :2].sum(1), true_change[:, :2].sum(1)),
                "network_pelvis": rmse(network[0], true_change[:, 0]),
                "network_lumbar": rmse(network[1], true_change[:, 1]),
                "cost_fit_deepest": float(np.sum(residual(solution[deepest]) ** 2)),
                "cost_truth_deepest": at_truth,
                "ms_per_frame": 1000 * seconds / len(frames),
            }
        )
        print(
            pd.DataFrame(rows[-1:]).round(1).to_string(header=len(rows) == 1, index=False),
            flush=True,
        )
    if rows:
        print("\nmedian over cases")
        print(pd.DataFrame(rows).median(numeric_only=True).round(1).to_string())


if __name__ == "__main__":
    main()
