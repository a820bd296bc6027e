"""Issue 29, second probe: the ANNY body's back fitted to the outline of every frame.

Not shipped; ``bench/ACCURACY.md`` ("Issue 29, second probe") says what it measured and why.

The body
    ANNY (the body the renders are made of), one phenotype per run: the average one, or with
    ``--exact-body`` the very phenotype of each render (an upper bound: the fit then knows
    the person). Only the trunk, pelvis and thighs are posed, in the sagittal plane, with the
    renderer's own rules (:data:`lumbopelvic.synth.posing.LUMBAR_SPLIT` and
    ``THORACIC_SPLIT``): pelvis ``p`` (the whole body turns about the root), lumbar ``l``,
    thoracic ``t``; the thighs follow the landmarks. Skinning is ANNY's own weights, in 2D.
The camera
    Orthographic, upright; scale and position from the standing frames, then a free image
    shift per frame.
The person
    What the average body does not explain while standing stays with the person: the
    landmark offsets (MediaPipe's mid-hip and mid-shoulder against the body's joints, carried
    by pelvis and upper thorax) and the back profile's depth at each level (flesh, clothes).
Each frame
    ``p, l, t`` and the shift by least squares on: the back profile (the soft envelope of the
    posed back at each level of :data:`~lumbopelvic.kinematics.back_outline.PROFILE_LEVELS`,
    in the frame's own hip-shoulder frame, against the measured one), the mid-hip and the
    mid-shoulder; warm-started from the previous frame and from splits of its trunk.

Scored as pelvis and lumbar RMSE (degrees, change from standing) per case, beside the shipped
network on the same pose (cached), and the cost of the fit at the truth against the cost at
the fit's answer (is it the optimiser or the model?).

Reproduce (renders as in ``bench/ACCURACY.md``)::

    .venv/bin/python bench/probe_body_fit.py /tmp/bench/benchmark [--exact-body] [--cases 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import least_squares

from lumbopelvic.io.result_files import read_table_csv
from lumbopelvic.kinematics.back_outline import PROFILE_LEVELS, to_body_coords
from lumbopelvic.kinematics.raw_angles import raw_kinematics
from lumbopelvic.kinematics.sagittal import midpoint
from lumbopelvic.kinematics.settings import AngleSettings
from lumbopelvic.synth.body import PHENOTYPE_NAMES, make_rig
from lumbopelvic.synth.posing import LUMBAR_SPLIT, THORACIC_SPLIT
from lumbopelvic.workflows.progress import SILENT
from lumbopelvic.workflows.sources import run_pose
from lumbopelvic.workflows.validate import truth_pairs

sys.path.insert(0, str(Path(__file__).parent))
from validation_by_set import set_name

# Joints whose vertices are not part of the back's outline (arms hang beside it, the head
# and the lower legs lie outside the profile's levels).
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
# hip and shoulder drift by several per cent as the trunk bends.
PROFILE_SIGMA, HIP_SIGMA, SHOULDER_SIGMA = 0.01, 0.1, 0.06
# Soft envelope: levels blurred over 3 % of L, the maximum softened over 0.4 %.
BAND_SIGMA, SOFTMAX_TAU = 0.03, 0.004
LOWER = np.array([-0.6, -0.6, -0.6, -1e4, -1e4])
UPPER = np.array([2.2, 1.6, 1.2, 1e4, 1e4])


def rotate(angle: float, vector: np.ndarray) -> np.ndarray:
    """``vector`` ``(2,)`` or ``(m, 2)`` in (y, z) turned about +x by ``angle`` radians."""
    c, s = np.cos(angle), np.sin(angle)
    v = np.atleast_2d(vector)
    out = np.stack([c * v[:, 0] - s * v[:, 1], s * v[:, 0] + c * v[:, 1]], axis=1)
    return out if np.ndim(vector) == 2 else out[0]


class SagittalBack:
    """The ANNY trunk, pelvis and thighs of one phenotype, posed in the sagittal plane."""

    def __init__(self, phenotype: np.ndarray) -> None:
        rig = make_rig(phenotype)
        names = rig.joint_names
        allowed = np.array([not any(word in n.lower() for word in NOT_BACK) for n in names])
        weights = rig.skin_weights
        hip_z = rig.rest_joints[rig.index("upperleg01.L"), 2, 3]
        keep = (weights[:, allowed].sum(axis=1) > 0.98) & (rig.rest_vertices[:, 2] > hip_z - 0.25)
        self.vertices = rig.rest_vertices[keep][:, 1:3]
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


def fit_recording(
    body: SagittalBack,
    hip: np.ndarray,
    shoulder: np.ndarray,
    profiles: np.ndarray,
    thigh_deg: np.ndarray,
    standing: slice,
    facing: int,
) -> tuple[np.ndarray, list[Callable[[np.ndarray], np.ndarray] | None]]:
    """``(n, 5)`` fitted pelvis, lumbar, thoracic (radians, absolute) and image shift
    (pixels), and each frame's residual function (None where the frame was not fitted)."""
    hip0, shoulder0 = np.nanmedian(hip[standing], 0), np.nanmedian(shoulder[standing], 0)
    joints, vertices, _ = body.pose(0.0, 0.0, 0.0, 0.0)
    body_hip, body_shoulder = joints[body.hips].mean(0), joints[body.shoulders].mean(0)
    scale = np.hypot(*(shoulder0 - hip0)) / np.hypot(*(body_shoulder - body_hip))
    shift0 = hip0 + np.array([facing * scale * body_hip[0], scale * body_hip[1]])
    back = np.array([[-facing, 0.0], [0.0, -1.0]]) / scale  # image offset -> body metres
    hip_offset = back @ (hip0 - to_image(body_hip[None], scale, shift0, facing)[0])
    shoulder_offset = back @ (shoulder0 - to_image(body_shoulder[None], scale, shift0, facing)[0])
    uv0 = to_body_coords(to_image(vertices, scale, shift0, facing), hip0, shoulder0, facing)
    profile_offset = np.nanmedian(profiles[standing], 0) - soft_envelope(uv0)

    def predict(x: np.ndarray, thigh: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        joints, vertices, ang = body.pose(x[0], x[1], x[2], thigh)
        body_hip = joints[body.hips].mean(0) + rotate(ang[0], hip_offset)
        body_shoulder = joints[body.shoulders].mean(0) + rotate(ang[body.thorax], shoulder_offset)
        points = to_image(
            np.vstack([vertices, body_hip, body_shoulder]), scale, shift0 + x[3:], facing
        )
        return points[:-2], points[-2], points[-1]

    n = len(hip)
    out = np.full((n, 5), np.nan)
    residuals: list[Callable[[np.ndarray], np.ndarray] | None] = [None] * n
    x = np.zeros(5)
    for i in range(n):
        seen = np.isfinite(profiles[i]) & np.isfinite(profile_offset)
        if np.isnan(hip[i]).any() or np.isnan(shoulder[i]).any() or seen.sum() < 6:
            continue
        thigh = np.radians(thigh_deg[i]) if np.isfinite(thigh_deg[i]) else 0.0
        length = np.hypot(*(shoulder[i] - hip[i]))

        def residual(
            x: np.ndarray,
            i: int = i,
            seen: np.ndarray = seen,
            thigh: float = thigh,
            length: float = length,
        ) -> np.ndarray:
            vertices, body_hip, body_shoulder = predict(x, thigh)
            uv = to_body_coords(vertices, hip[i], shoulder[i], facing)
            depth = soft_envelope(uv)[seen] + profile_offset[seen] - profiles[i][seen]
            return np.concatenate(
                [
                    depth / PROFILE_SIGMA,
                    (body_hip - hip[i]) / length / HIP_SIGMA,
                    (body_shoulder - shoulder[i]) / length / SHOULDER_SIGMA,
                ]
            )

        starts = [x.copy()]
        for share in np.linspace(0.0, 1.0, 7):  # the previous trunk, split afresh
            start = np.array([share * (x[0] + x[1]), (1 - share) * (x[0] + x[1]), x[2], 0, 0])
            start[3:] = hip[i] - predict(start, thigh)[1]
            starts.append(start)
        starts.sort(key=lambda s: float(np.sum(residual(s) ** 2)))
        fits = [
            least_squares(
                residual,
                np.clip(s, LOWER + 1e-3, UPPER - 1e-3),
                bounds=(LOWER, UPPER),
                x_scale=[0.1, 0.1, 0.1, 20, 20],
            )
            for s in starts[:3]
        ]
        x = min(fits, key=lambda f: f.cost).x
        out[i] = x
        residuals[i] = residual
    return out, residuals


def truth_cost(residual: Callable[[np.ndarray], np.ndarray], angles_deg: np.ndarray) -> float:
    """The fit's cost at the true angles, with the image shift at its best (grid then local)."""
    true = np.radians(angles_deg)
    grid = [(dx, dy) for dx in np.linspace(-80, 80, 17) for dy in np.linspace(-80, 80, 17)]
    best = min(grid, key=lambda s: float(np.sum(residual(np.r_[true, s]) ** 2)))
    sol = least_squares(lambda s: residual(np.r_[true, s]), np.array(best))
    return float(np.sum(sol.fun**2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("set_dir", type=Path)
    parser.add_argument("--exact-body", action="store_true", help="each render's own phenotype")
    parser.add_argument("--cases", type=int, default=None, help="only the first N cases")
    args = parser.parse_args()
    average = SagittalBack(np.full(6, 0.5))
    rows = []
    for video, truth_path in truth_pairs(args.set_dir)[: args.cases]:
        table = run_pose(video, None, True, SILENT).table
        kin = raw_kinematics(table, AngleSettings())
        standing = slice(kin.standing.start, kin.standing.stop)
        body = average
        if args.exact_body:
            params = json.loads(video.with_name(f"{video.stem}_params.json").read_text())
            body = SagittalBack(np.array([params["case"]["body"][k] for k in PHENOTYPE_NAMES]))
        hip, shoulder = midpoint(table, "hip"), midpoint(table, "shoulder")
        started = time.perf_counter()
        solution, residuals = fit_recording(
            body, hip, shoulder, kin.inputs.profiles, kin.inputs.thigh_deg, standing, kin.facing
        )
        seconds = time.perf_counter() - started
        fitted = np.degrees(solution[:, :3])
        truth = read_table_csv(truth_path, "truth table")
        true = np.stack(
            [
                np.interp(kin.times_s, truth["time_s"], truth[f"{k}_deg"])
                for k in ("pelvis", "lumbar", "thoracic")
            ],
            axis=1,
        )
        deepest = int(np.nanargmax(true[:, 0] + true[:, 1]))
        true_change = true - np.median(true[standing], axis=0)
        fit_change = fitted - np.nanmedian(fitted[standing], axis=0)
        network = np.stack(
            [kin.estimate.pelvis_deg, kin.estimate.trunk_deg - kin.estimate.pelvis_deg], 1
        )

        def rmse(a: np.ndarray, b: np.ndarray) -> float:
            return float(np.sqrt(np.nanmean((a - b) ** 2)))

        residual = residuals[deepest]
        rows.append(
            {
                "case": video.stem,
                "set": set_name(video.stem),
                "fit_pelvis": rmse(fit_change[:, 0], true_change[:, 0]),
                "fit_lumbar": rmse(fit_change[:, 1], true_change[:, 1]),
                "network_pelvis": rmse(network[:, 0], true_change[:, 0]),
                "network_lumbar": rmse(network[:, 1], true_change[:, 1]),
                # At the deepest frame: cost at the fit's answer and at the truth (absolute angles
                # of the render, standing taken as ANNY's rest pose).
                "cost_fit_deepest": float(np.sum(residual(solution[deepest]) ** 2))
                if residual
                else np.nan,
                "cost_truth_deepest": truth_cost(residual, true[deepest]) if residual else np.nan,
                "ms_per_frame": 1000 * seconds / len(table),
            }
        )
        print(
            pd.DataFrame(rows[-1:]).round(2).to_string(header=len(rows) == 1, index=False),
            flush=True,
        )
    per_case = pd.DataFrame(rows)
    print("\nmedian over cases, per set")
    print(per_case.groupby("set").median(numeric_only=True).round(1).to_string())


if __name__ == "__main__":
    main()
