"""OpenSim-readable exports: ``.mot`` for the angles and ``.trc`` for the landmarks.

So users of OpenSim, Pose2Sim and OpenCap can take the data further. Conventions:

- ``.mot``: time in seconds (the container's real timestamps) and the five sagittal angles
  in degrees (``inDegrees=yes``), flexion positive, changes from standing.
- ``.trc``: the 33 MediaPipe landmarks as markers. X points the way the person faces, Y up,
  Z = 0 (one camera measures no depth). Units ``px`` (image pixels), or ``m`` when the
  subject's height is given: the scale then comes from the standing nose-to-heel distance,
  taken as 0.93 of body height (anthropometric average; an approximation, so distances are
  good to a few percent at best). Missing markers are left empty, as OpenSim expects.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from lumbopelvic.core.landmarks import LANDMARK_NAMES
from lumbopelvic.io.atomic import write_text_atomic
from lumbopelvic.io.layout import OPENSIM_MOT, OPENSIM_TRC
from lumbopelvic.kinematics.angles import facing_and_standing
from lumbopelvic.kinematics.sagittal import points

NOSE_TO_HEEL_FRACTION = 0.93
MOT_COLUMNS = {
    "trunk_deg": "trunk_flexion",
    "pelvis_deg": "pelvis_tilt",
    "lumbar_deg": "lumbar_flexion",
    "hip_deg": "hip_flexion",
    "knee_deg": "knee_flexion",
}


def mot_text(angles: pd.DataFrame, name: str = "lumbopelvic_angles") -> str:
    """The angle table as an OpenSim motion (``.mot``) file."""
    data = pd.DataFrame({"time": angles["time_s"].to_numpy(float)})
    for column, label in MOT_COLUMNS.items():
        data[label] = angles[column].to_numpy(float)
    header = (
        f"{name}\nversion=1\nnRows={len(data)}\nnColumns={data.shape[1]}\ninDegrees=yes\n"
        "endheader\n"
    )
    body = data.to_csv(sep="\t", index=False, float_format="%.6f", na_rep="NaN")
    return header + body


def trc_text(
    landmarks: pd.DataFrame,
    facing: int,
    standing: slice,
    subject_height_m: float | None = None,
    name: str = "lumbopelvic_landmarks.trc",
) -> str:
    """The landmarks as an OpenSim marker (``.trc``) file (see the module docstring)."""
    times = landmarks["time_s"].to_numpy(float)
    n = len(times)
    rate = 1.0 / float(np.median(np.diff(times))) if n > 1 else 0.0
    scale, units = 1.0, "px"
    if subject_height_m:
        heel = (points(landmarks, "left_heel") + points(landmarks, "right_heel")) / 2
        span = np.hypot(*(heel - points(landmarks, "nose"))[standing].T)
        pixel_height = float(np.nanmedian(span)) / NOSE_TO_HEEL_FRACTION
        scale, units = subject_height_m / pixel_height, "m"
    lines = [
        f"PathFileType\t4\t(X/Y/Z)\t{name}",
        "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\tOrigDataStartFrame\tOrigNumFrames",
        f"{rate:.3f}\t{rate:.3f}\t{n}\t{len(LANDMARK_NAMES)}\t{units}\t{rate:.3f}\t1\t{n}",
        "Frame#\tTime\t" + "\t\t\t".join(LANDMARK_NAMES) + "\t\t",
        "\t\t" + "\t".join(f"X{i}\tY{i}\tZ{i}" for i in range(1, len(LANDMARK_NAMES) + 1)),
        "",
    ]
    coords = []
    for marker in LANDMARK_NAMES:
        xy = points(landmarks, marker)
        coords += [
            facing * xy[:, 0] * scale,
            -xy[:, 1] * scale,
            np.where(np.isnan(xy[:, 0]), np.nan, 0.0),
        ]
    table = pd.DataFrame(np.column_stack([times, *coords]))
    table.insert(0, "frame", np.arange(1, n + 1))
    body = table.to_csv(
        sep="\t", header=False, index=False, float_format="%.6f", na_rep="", lineterminator="\n"
    )
    return "\n".join(lines) + "\n" + body


def write_opensim(
    angles: pd.DataFrame,
    landmarks: pd.DataFrame,
    out_dir: str | os.PathLike[str],
    subject_height_m: float | None = None,
) -> dict[str, Path]:
    """Write ``angles.mot`` and ``landmarks.trc`` atomically into ``out_dir``."""
    facing, base = facing_and_standing(angles)
    out = Path(out_dir)
    paths = {"mot": out / OPENSIM_MOT, "trc": out / OPENSIM_TRC}
    write_text_atomic(paths["mot"], mot_text(angles))
    write_text_atomic(paths["trc"], trc_text(landmarks, facing, base, subject_height_m))
    return paths
