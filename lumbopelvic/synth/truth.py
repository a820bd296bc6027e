"""The truth table: angles measured on the posed skeleton and image positions (pure NumPy).

Angle definitions (degrees, sagittal plane, flexion positive, changes from standing; see
``shared/docs/domain.md``). Every angle is *measured* on the posed joint frames (the
rotation of a segment relative to its standing orientation, its up axis projected on the
sagittal y-z plane), so the table describes the body that was drawn:

``pelvis_deg``
    Pelvis segment (ANNY ``root``, which carries the pelvis and the sacrum) vs vertical.
``trunk_deg``
    Thorax segment vs vertical. The thorax segment is the body above the lumbar joints
    (``spine05/04/03``), i.e. the frame of ``spine03``, whose segment ends at ``spine02``
    (about T12/L1).
``lumbar_deg``
    Thorax relative to pelvis: ``trunk_deg - pelvis_deg`` exactly.
``thoracic_deg``
    Upper-thoracic flexion above the thorax segment (``spine01`` frame relative to the
    ``spine03`` frame). It is *not* part of ``trunk_deg``; it does bend the line from the
    hips to the shoulders, which ``hip_shoulder_deg`` reports.
``hip_deg``
    Pelvis relative to thigh (mean of both sides): ``pelvis_deg`` minus the thigh's forward
    tilt (knee forward of the hip is a positive thigh tilt, so it adds to hip flexion).
``knee_deg``
    Shank relative to thigh (mean of both sides), flexion positive.
``hip_shoulder_deg``
    Change of the line from the mid-hip-joint point to the mid-shoulder point vs vertical:
    what a camera sees as trunk inclination (includes thoracic flexion).

Image positions are pixels (x right, y down, origin at the centre of the top-left pixel):
hip-joint centres (``upperleg01``), shoulder joints (``upperarm01``), and two skin points on
the back midline: over the sacrum and over T12/L1. ``_l``/``_r`` are the person's left/right.
A case with skin stickers (marker mode) also has the L3 skin point (``l3_x``, ``l3_y``) and
each sticker's centre, visibility and facing (:func:`lumbopelvic.synth.stickers.sticker_truth`);
without stickers the table is as it always was.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lumbopelvic.synth.body import (
    BodyRig,
    sagittal_angle_deg,
    sagittal_vector_angle_deg,
)
from lumbopelvic.synth.camera import PinholeCamera

ANGLE_COLUMNS = (
    "trunk_deg",
    "pelvis_deg",
    "lumbar_deg",
    "thoracic_deg",
    "hip_deg",
    "knee_deg",
)
POINT_NAMES = ("hip_l", "hip_r", "shoulder_l", "shoulder_r", "sacrum", "t12_l1")
TRUTH_COLUMNS = (
    "frame",
    "time_s",
    *ANGLE_COLUMNS,
    "hip_shoulder_deg",
    *[f"{p}_{a}" for p in POINT_NAMES for a in ("x", "y")],
)


def skin_point_vertices(rig: BodyRig) -> dict[str, int]:
    """Vertices on the back near the midline over the sacrum, over T12/L1 and over L3
    (standing body).

    The back is +y. Sacrum: the most posterior vertex within 3.5 cm of the midline, 2-6 cm
    above the hip-joint centres. T12/L1: the most posterior midline vertex within 1.5 cm of
    the height of ``spine02``. L3: the most posterior midline vertex within 1.5 cm of the
    height halfway between those two vertices (3 or 6 cm if none is that close). "Midline"
    is 3.5 cm either side of it: the vertices found lie on the back's outline in a side
    view, often on the buttock or the paraspinal muscles; the skin stickers of
    :mod:`.stickers` sit on the midline itself.
    """
    v = rig.rest_vertices
    j = rig.rest_joints[:, :3, 3]
    hip_z = j[[rig.index("upperleg01.L"), rig.index("upperleg01.R")], 2].mean()
    t12_z = j[rig.index("spine02"), 2]
    # Exclude arms: near the midline only.
    mid = np.abs(v[:, 0]) < 0.035
    out = {}
    for name, lo, hi in (
        ("sacrum", hip_z + 0.02, hip_z + 0.06),
        ("t12_l1", t12_z - 0.015, t12_z + 0.015),
    ):
        sel = np.nonzero(mid & (v[:, 2] >= lo) & (v[:, 2] <= hi))[0]
        if sel.size == 0:
            raise ValueError(f"no back vertex found for {name}")
        out[name] = int(sel[np.argmax(v[sel, 1])])
    l3_z = (v[out["sacrum"], 2] + v[out["t12_l1"], 2]) / 2.0
    for half_band in (0.015, 0.03, 0.06):  # widened if a coarse mesh leaves the band empty
        sel = np.nonzero(mid & (np.abs(v[:, 2] - l3_z) <= half_band))[0]
        if sel.size:
            out["l3"] = int(sel[np.argmax(v[sel, 1])])
            return out
    raise ValueError("no back vertex found for l3")


def _deform(rig: BodyRig, joints: np.ndarray, name: str) -> np.ndarray:
    j = rig.index(name)
    return joints[:, j, :3, :3] @ rig.rest_joints[j, :3, :3].T


def measure_angles(rig: BodyRig, joints: np.ndarray) -> dict[str, np.ndarray]:
    """Angles (degrees) of posed joint frames ``(T, J, 4, 4)``, as defined in this module."""
    pelvis = sagittal_angle_deg(_deform(rig, joints, "root"))
    trunk = sagittal_angle_deg(_deform(rig, joints, "spine03"))
    upper = sagittal_angle_deg(_deform(rig, joints, "spine01"))
    thigh = np.mean([sagittal_angle_deg(_deform(rig, joints, f"upperleg01.{s}")) for s in "LR"], 0)
    shank = np.mean([sagittal_angle_deg(_deform(rig, joints, f"lowerleg01.{s}")) for s in "LR"], 0)
    pos = joints[:, :, :3, 3]
    hips = pos[:, [rig.index("upperleg01.L"), rig.index("upperleg01.R")]].mean(1)
    shoulders = pos[:, [rig.index("upperarm01.L"), rig.index("upperarm01.R")]].mean(1)
    rest = rig.rest_joints[:, :3, 3]
    rest_line = rest[[rig.index("upperarm01.L"), rig.index("upperarm01.R")]].mean(0) - rest[
        [rig.index("upperleg01.L"), rig.index("upperleg01.R")]
    ].mean(0)
    line = sagittal_vector_angle_deg(shoulders - hips) - sagittal_vector_angle_deg(rest_line)
    return {
        "trunk_deg": trunk,
        "pelvis_deg": pelvis,
        "lumbar_deg": trunk - pelvis,
        "thoracic_deg": upper - trunk,
        "hip_deg": pelvis - thigh,
        "knee_deg": shank - thigh,
        "hip_shoulder_deg": line,
    }


def image_points(
    rig: BodyRig, joints: np.ndarray, vertices: np.ndarray, cam: PinholeCamera
) -> dict[str, np.ndarray]:
    """Pixel positions ``(T, 2)`` of the truth's points (see :data:`POINT_NAMES`)."""
    pos = joints[:, :, :3, 3]
    skin = skin_point_vertices(rig)
    world = {
        "hip_l": pos[:, rig.index("upperleg01.L")],
        "hip_r": pos[:, rig.index("upperleg01.R")],
        "shoulder_l": pos[:, rig.index("upperarm01.L")],
        "shoulder_r": pos[:, rig.index("upperarm01.R")],
        "sacrum": vertices[:, skin["sacrum"]],
        "t12_l1": vertices[:, skin["t12_l1"]],
    }
    return {k: cam.project(v)[0] for k, v in world.items()}


def truth_table(
    time_s: np.ndarray, angles: dict[str, np.ndarray], points: dict[str, np.ndarray]
) -> pd.DataFrame:
    """Assemble the per-frame truth table (columns :data:`TRUTH_COLUMNS`)."""
    data: dict[str, np.ndarray] = {
        "frame": np.arange(len(time_s)),
        "time_s": np.asarray(time_s, dtype=float),
    }
    for k in (*ANGLE_COLUMNS, "hip_shoulder_deg"):
        data[k] = angles[k]
    for p in POINT_NAMES:
        data[f"{p}_x"] = points[p][:, 0]
        data[f"{p}_y"] = points[p][:, 1]
    return pd.DataFrame(data, columns=list(TRUTH_COLUMNS))


def event_frames(time_s: np.ndarray, events_s: list[float]) -> np.ndarray:
    """``(n,)`` 1 at the frame nearest each event time (seconds), 0 elsewhere."""
    marks = np.zeros(len(time_s), dtype=int)
    for t in events_s:
        marks[int(np.argmin(np.abs(time_s - t)))] = 1
    return marks
