"""Two estimators of the pelvis that need no training on our renders, measured beside the network.

A first probe for issue 29 (explain each frame with a body, judge it with a prior learned from
real motion capture). Neither is shipped: the numbers say why (``bench/ACCURACY.md``).

``outline``
    The back's outline explained by a jointed back: the surface inclination at each level
    of the hip-shoulder line (:func:`lumbopelvic.kinematics.back_outline.surface_tilt_deg`,
    change from standing) is fitted by least squares with the pelvis's rotation below the
    lumbosacral level (0.15 of the hip-shoulder length, from adult anatomy), the trunk at L1
    above 0.5, and a linear blend through the lumbar spine between.
``prior``
    OpenCap's marker augmenter (an LSTM trained on marker-based motion capture of real people;
    ONNX, Apache-2.0, shipped in the ``pose2sim`` wheel), fed the 15 keypoints it expects
    built from the 2D landmarks as a body in the sagittal plane (metres from a 1.7 m height,
    left and right apart by fixed half-widths); the pelvis is the change in the line from
    the mean PSIS to the mean ASIS it predicts.

Both are scored as pelvis RMSE (degrees, change from standing) per held-out set, and
``prior`` also on the real squat's motion capture (``pelvis_tilt``).

Reproduce (renders as in ``bench/ACCURACY.md``; the augmenter's files are taken from the
``pose2sim`` wheel by ``pip download``, checked against their SHA-256)::

    .venv/bin/pip install onnxruntime
    .venv/bin/python bench/probe_split_alternatives.py /tmp/bench/all \\
        --real ../shared/data/real/opencap_squat
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from lumbopelvic.io.result_files import read_table_csv
from lumbopelvic.kinematics.back_outline import surface_levels, surface_tilt_deg
from lumbopelvic.kinematics.settings import AngleSettings
from lumbopelvic.kinematics.split_estimators import ESTIMATORS, SplitEstimate
from lumbopelvic.kinematics.split_model import SplitInputs, change_from_standing
from lumbopelvic.workflows.progress import SILENT
from lumbopelvic.workflows.sources import angle_table, run_pose
from lumbopelvic.workflows.validate import truth_pairs

sys.path.insert(0, str(Path(__file__).parent))
from score_opencap import rmse_aligned
from validation_by_set import set_name

LUMBOSACRAL_LEVEL = 0.15  # of the hip-shoulder length: L5/S1 about 8 cm above the hip joints
L1_LEVEL = 0.5  # the thoracolumbar junction, about half-way to the shoulders
POSE2SIM = "pose2sim==0.10.49"
AUGMENTER = "Pose2Sim/MarkerAugmenter/LSTM/v0.3_lower/"
AUGMENTER_SHA256 = {
    "model.onnx": "8dbd686784f6c6e3b42fdfe968a8808a789bdcaff284e3dd9e8c321bbca4e52c",
    "mean.npy": "e8783601a37f827c728bb1f2bbb143d66f59c92a3268306697cfc2932e99888f",
    "std.npy": "e7bcbe84f460666696fb500663a281c418ed20205aab9d8e1b18fd8568c77436",
}
HEIGHT_M, MASS_KG = 1.7, 70.0
# Anthropometry (Winter): shoulder height 0.818 H, ankle height 0.039 H.
SHOULDER_ABOVE_ANKLE = 0.779
# The augmenter's inputs in its order, with the MediaPipe landmark each is read from (MediaPipe
# has one toe point: the foot index stands for both toes).
FEATURES = (
    ("Neck", None),
    ("RShoulder", "right_shoulder"),
    ("LShoulder", "left_shoulder"),
    ("RHip", "right_hip"),
    ("LHip", "left_hip"),
    ("RKnee", "right_knee"),
    ("LKnee", "left_knee"),
    ("RAnkle", "right_ankle"),
    ("LAnkle", "left_ankle"),
    ("RHeel", "right_heel"),
    ("LHeel", "left_heel"),
    ("RSmallToe", "right_foot_index"),
    ("LSmallToe", "left_foot_index"),
    ("RBigToe", "right_foot_index"),
    ("LBigToe", "left_foot_index"),
)
HALF_WIDTH_M = {
    "Shoulder": 0.18,
    "Hip": 0.09,
    "Knee": 0.09,
    "Ankle": 0.09,
    "Heel": 0.09,
    "SmallToe": 0.12,
    "BigToe": 0.08,
}


class OutlineFit:
    """The ``outline`` estimator (see the module docstring)."""

    name = "outline"

    def estimate(self, inputs: SplitInputs) -> SplitEstimate:
        tilt = surface_tilt_deg(inputs.profiles)
        surface = inputs.line_deg[:, None] - change_from_standing(tilt, inputs.standing)
        levels = surface_levels()
        pelvis_weight = np.clip((L1_LEVEL - levels) / (L1_LEVEL - LUMBOSACRAL_LEVEL), 0.0, 1.0)
        design = np.stack([pelvis_weight, 1.0 - pelvis_weight], axis=1)
        pelvis = np.full(len(surface), np.nan)
        trunk = np.full(len(surface), np.nan)
        for i, row in enumerate(surface):
            seen = np.isfinite(row)
            if seen.sum() < 4 or not (seen & (levels <= LUMBOSACRAL_LEVEL)).any():
                continue
            (pelvis[i], trunk[i]), *_ = np.linalg.lstsq(design[seen], row[seen], rcond=None)
        return SplitEstimate(pelvis, trunk, {}, {"estimator": "outline probe"})


def augmenter_files(folder: Path) -> Path:
    """The augmenter's ``model.onnx``, ``mean.npy`` and ``std.npy`` from the pose2sim wheel."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", POSE2SIM, "-d", folder],
        check=True,
    )
    (wheel,) = folder.glob("pose2sim-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        for name, sha256 in AUGMENTER_SHA256.items():
            data = archive.read(AUGMENTER + name)
            if hashlib.sha256(data).hexdigest() != sha256:
                raise SystemExit(f"{name} in {wheel.name} is not the file measured here")
            (folder / name).write_bytes(data)
    return folder


def planar_keypoints(table: pd.DataFrame, facing: int, standing: np.ndarray) -> np.ndarray:
    """``(n, 45)`` the augmenter's 15 keypoints, metres from the mid-hip, X forward, Y up,
    Z right, built from the image as a body in the sagittal plane."""

    def xy(name: str) -> tuple[np.ndarray, np.ndarray]:
        return table[f"{name}_x_px"].to_numpy(float), table[f"{name}_y_px"].to_numpy(float)

    def mid(name: str, axis: int) -> np.ndarray:
        return (xy(f"left_{name}")[axis] + xy(f"right_{name}")[axis]) / 2

    span_px = np.nanmedian((mid("ankle", 1) - mid("shoulder", 1))[standing])
    metres = SHOULDER_ABOVE_ANKLE * HEIGHT_M / span_px
    hip_x, hip_y = mid("hip", 0), mid("hip", 1)
    columns = []
    for marker, landmark in FEATURES:
        if landmark is None:  # the neck: between the shoulders
            x, y, z = mid("shoulder", 0), mid("shoulder", 1), np.zeros(len(table))
        else:
            x, y = xy(landmark)
            side = 1.0 if marker[0] == "R" else -1.0
            z = np.full(len(table), side * HALF_WIDTH_M[marker[1:]])
        columns.append(np.stack([facing * (x - hip_x) * metres, -(y - hip_y) * metres, z], 1))
    return np.concatenate(columns, axis=1)


def prior_pelvis(
    session: object, folder: Path, keypoints: np.ndarray, standing: np.ndarray
) -> np.ndarray:
    """Pelvis (degrees, change from standing, anterior positive) from the augmenter's
    ASIS and PSIS."""
    seen = np.isfinite(keypoints).all(axis=1)
    filled = pd.DataFrame(keypoints).interpolate(limit_direction="both").to_numpy()
    n = len(filled)
    inputs = np.concatenate(
        [filled / HEIGHT_M, np.full((n, 1), HEIGHT_M), np.full((n, 1), MASS_KG)], axis=1
    )
    mean, std = np.load(folder / "mean.npy"), np.load(folder / "std.npy")
    normalised = ((inputs - mean) / std)[None].astype(np.float32)
    markers = session.run(["output_0"], {"inputs": normalised})[0][0] * HEIGHT_M  # type: ignore[attr-defined]
    asis = (markers[:, 0:3] + markers[:, 3:6]) / 2
    psis = (markers[:, 6:9] + markers[:, 9:12]) / 2
    forward = asis - psis
    tilt = np.degrees(np.arctan2(-forward[:, 1], forward[:, 0]))
    tilt[~seen] = np.nan
    return tilt - np.nanmedian(tilt[standing])


def _facing(angles: pd.DataFrame) -> int:
    return 1 if angles.attrs["lumbopelvic"].get("facing") == "right" else -1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("set_dir", type=Path)
    parser.add_argument("--real", type=Path, help="an OpenCap-format folder (video, mocap)")
    args = parser.parse_args()
    import onnxruntime

    ESTIMATORS["outline"] = OutlineFit
    scratch = Path(tempfile.mkdtemp(prefix="augmenter-"))
    files = augmenter_files(scratch)
    session = onnxruntime.InferenceSession(str(files / "model.onnx"))
    rows = []
    for video, truth_path in truth_pairs(args.set_dir):
        table = run_pose(video, None, True, SILENT).table
        network = angle_table(table, AngleSettings(), video)
        outline = angle_table(table, AngleSettings(split_method="outline"), video)
        standing = network["standing"].to_numpy(bool)
        rows_of_main = table.set_index("frame").loc[network["frame"]].reset_index()
        keypoints = planar_keypoints(rows_of_main, _facing(network), standing)
        prior = prior_pelvis(session, files, keypoints, standing)
        truth = read_table_csv(truth_path, "truth table")
        true = np.interp(network["time_s"], truth["time_s"], truth["pelvis_deg"])
        true = true - np.nanmedian(true[standing])
        errors = {
            "network": network["pelvis_deg"].to_numpy(),
            "outline": outline["pelvis_deg"].to_numpy(),
            "prior": prior,
        }
        both = np.isfinite(prior) & np.isfinite(true)
        rows.append(
            {
                "case": video.stem,
                **{k: float(np.sqrt(np.nanmean((v - true) ** 2))) for k, v in errors.items()},
                # How the prior follows the truth: in shape (correlation) and in size (gain).
                "prior_correlation": float(np.corrcoef(prior[both], true[both])[0, 1]),
                "prior_gain": float(prior[both] @ true[both] / (true[both] @ true[both])),
            }
        )
    per_case = pd.DataFrame(rows)
    per_case["set"] = per_case["case"].map(set_name)
    print("pelvis RMSE, median over cases (degrees)")
    columns = ["network", "outline", "prior", "prior_correlation", "prior_gain"]
    print(per_case.groupby("set")[columns].median().round(2))
    if args.real is not None:
        video = args.real / "video.mp4"
        table = run_pose(video, None, True, SILENT).table
        angles = angle_table(table, AngleSettings(), video)
        standing = (angles["time_s"] < 0.5).to_numpy()
        rows_of_main = table.set_index("frame").loc[angles["frame"]].reset_index()
        keypoints = planar_keypoints(rows_of_main, _facing(angles), standing)
        prior = prior_pelvis(session, files, keypoints, standing)
        mocap = pd.read_csv(args.real / "angles_mocap.csv")
        times = angles["time_s"].to_numpy()
        # Scored with both signs of OpenSim's pelvis_tilt; the better one is the favourable
        # reading, so it is an upper bound on how well the prior does.
        scores = [
            rmse_aligned(times, prior, mocap["time_s"].to_numpy(), sign * mocap["pelvis_tilt"])
            for sign in (1, -1)
        ]
        best, other = min(scores), max(scores)
        print(f"real squat, prior pelvis RMSE: {best:.1f} deg (with the other sign {other:.1f})")


if __name__ == "__main__":
    main()
