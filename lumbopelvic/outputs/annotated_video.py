"""Draw the annotated video: skeleton, pelvis and lumbar segments, readouts, a time plot.

The two segment colours are fixed and used everywhere in the product (video, report plots;
:mod:`lumbopelvic.outputs.style`).
Drawing functions take a frame and data and return a new frame; :func:`write_annotated`
is the I/O edge that decodes the source and encodes the result.
"""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np
import pandas as pd

from lumbopelvic.core.landmarks import LANDMARK_NAMES
from lumbopelvic.core.provenance import table_metadata
from lumbopelvic.io.video import iter_table_frames, probe_video
from lumbopelvic.io.video_writer import VideoWriter
from lumbopelvic.kinematics.confidence import FACTOR_LABELS, weakest_factor
from lumbopelvic.kinematics.sagittal import midpoint
from lumbopelvic.outputs.style import (
    BACKGROUND_RGB,
    LUMBAR,
    LUMBAR_RGB,
    PELVIS,
    PELVIS_RGB,
    SKELETON_RGB,
    TRUNK_RGB,
    UNCERTAIN_RGB,
    WARNING_RGB,
    figure_rgb,
    new_figure,
)

FACE_LANDMARKS = LANDMARK_NAMES[:11]
BONES = [
    ("left_shoulder", "right_shoulder"), ("left_hip", "right_hip"),
    ("left_shoulder", "left_elbow"), ("left_elbow", "left_wrist"),
    ("right_shoulder", "right_elbow"), ("right_elbow", "right_wrist"),
    ("left_shoulder", "left_hip"), ("right_shoulder", "right_hip"),
    ("left_hip", "left_knee"), ("left_knee", "left_ankle"), ("left_ankle", "left_heel"),
    ("left_heel", "left_foot_index"), ("right_hip", "right_knee"), ("right_knee", "right_ankle"),
    ("right_ankle", "right_heel"), ("right_heel", "right_foot_index"),
]  # fmt: skip


def _xy(row: pd.Series, name: str) -> np.ndarray:
    return np.array([row[f"{name}_x_px"], row[f"{name}_y_px"]], float)


def blur_face(rgb: np.ndarray, row: pd.Series) -> np.ndarray:
    """Blur a box around the face landmarks (nose, eyes, ears, mouth)."""
    pts = np.array([_xy(row, n) for n in FACE_LANDMARKS])
    pts = pts[~np.isnan(pts).any(axis=1)]
    if len(pts) < 3:
        return rgb
    centre = pts.mean(axis=0)
    half = max(np.ptp(pts[:, 0]), np.ptp(pts[:, 1]), 10.0) * 1.5
    h, w = rgb.shape[:2]
    x0, y0 = int(max(0, centre[0] - half)), int(max(0, centre[1] - half))
    x1, y1 = int(min(w, centre[0] + half)), int(min(h, centre[1] + half))
    if x1 <= x0 or y1 <= y0:
        return rgb
    out = rgb.copy()
    k = max(3, int(half) | 1)
    out[y0:y1, x0:x1] = cv2.GaussianBlur(out[y0:y1, x0:x1], (k, k), 0)
    return out


def segment_points(
    hip: np.ndarray, length_px: float, facing: int, base_deg: float, pelvis: float, trunk: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """End points of the drawn pelvis and lumbar segments (pixels).

    The pelvis segment starts at the mid-hip and is inclined by the standing trunk inclination
    plus the pelvic rotation; the lumbar segment continues from its end, inclined halfway
    between pelvis and thorax (the lumbar spine bends between them).
    """

    def direction(angle_deg: float) -> np.ndarray:
        a = np.radians(angle_deg)
        return np.array([facing * np.sin(a), -np.cos(a)])

    p1 = hip + 0.3 * length_px * direction(base_deg + pelvis)
    p2 = p1 + 0.4 * length_px * direction(base_deg + (pelvis + trunk) / 2)
    return hip, p1, p2


def inset_size(width: int, height: int) -> tuple[int, int]:
    """``(width, height)`` in pixels of the time plot drawn into a ``width`` x ``height`` frame."""
    return int(width * 0.92), int(height * 0.16)


def time_plot(
    times: np.ndarray, pelvis: np.ndarray, lumbar: np.ndarray, size: tuple[int, int],
    y_limits: tuple[float, float] | None = None,
):  # fmt: skip
    """Pre-render the pelvis/lumbar time plot; returns (rgb image, function time -> x pixel).

    ``y_limits``: the angle axis's limits in degrees (two recordings shown side by side share
    them); matplotlib's own when None.
    """
    width, height = size
    fig = new_figure(width / 100, height / 100, dpi=100)
    ax = fig.add_axes((0.09, 0.2, 0.89, 0.72))
    ax.plot(times, pelvis, color=PELVIS, lw=2, label="pelvis")
    ax.plot(times, lumbar, color=LUMBAR, lw=2, label="lumbar")
    ax.set_xlim(times[0], times[-1])
    if y_limits is not None:
        ax.set_ylim(*y_limits)
    ax.tick_params(labelsize=max(6, height // 22))
    ax.set_ylabel("deg", fontsize=max(6, height // 22))
    ax.legend(loc="upper right", fontsize=max(6, height // 22), frameon=False, ncol=2)
    ax.grid(alpha=0.3)
    image = figure_rgb(fig)
    x0 = ax.get_position().x0 * width
    x1 = ax.get_position().x1 * width
    span = max(times[-1] - times[0], 1e-9)

    def to_x(t: float) -> int:
        return round(x0 + (t - times[0]) / span * (x1 - x0))

    return image, to_x


def draw_frame(
    rgb: np.ndarray,
    row: pd.Series,
    angle: pd.Series,
    geometry: dict[str, float],
    label: str,
    plot: tuple[np.ndarray, object] | None,
    blur: bool,
) -> np.ndarray:
    """One annotated frame (a new array)."""
    out = blur_face(rgb, row) if blur and row["n_people"] > 0 else rgb.copy()
    h, w = out.shape[:2]
    scale = min(w, h) / 720
    thick = max(2, round(3 * scale))
    if row["n_people"] > 0:
        for a, b in BONES:
            pa, pb = _xy(row, a), _xy(row, b)
            if not (np.isnan(pa).any() or np.isnan(pb).any()):
                cv2.line(
                    out,
                    tuple(pa.astype(int)),
                    tuple(pb.astype(int)),
                    SKELETON_RGB,
                    thick,
                    cv2.LINE_AA,
                )
        hip = (_xy(row, "left_hip") + _xy(row, "right_hip")) / 2
        if (
            not angle.get("low_confidence", False)
            and np.isfinite(angle["pelvis_deg"])
            and np.isfinite(angle["trunk_deg"])
            and not np.isnan(hip).any()
        ):
            p0, p1, p2 = segment_points(
                hip, geometry["length_px"], int(geometry["facing"]), geometry["base_deg"],
                float(angle["pelvis_deg"]), float(angle["trunk_deg"]),
            )  # fmt: skip
            cv2.line(
                out,
                tuple(p0.astype(int)),
                tuple(p1.astype(int)),
                PELVIS_RGB,
                3 * thick,
                cv2.LINE_AA,
            )
            cv2.line(
                out,
                tuple(p1.astype(int)),
                tuple(p2.astype(int)),
                LUMBAR_RGB,
                3 * thick,
                cv2.LINE_AA,
            )
    font, fs = cv2.FONT_HERSHEY_SIMPLEX, 0.9 * scale
    # An uncertain split is greyed and its numbers hidden; the weakest factor says why.
    uncertain = bool(angle.get("low_confidence", False)) and np.isfinite(angle["trunk_deg"])
    split_text = {
        name: f"{name} {_fmt(angle[f'{name}_deg'])}" if not uncertain else f"{name}     ?"
        for name in ("pelvis", "lumbar")
    }
    lines = [
        (f"trunk  {_fmt(angle['trunk_deg'])}", TRUNK_RGB),
        (split_text["pelvis"], UNCERTAIN_RGB if uncertain else PELVIS_RGB),
        (split_text["lumbar"], UNCERTAIN_RGB if uncertain else LUMBAR_RGB),
        (label, TRUNK_RGB),
    ]
    if uncertain:
        factors = {k: float(angle.get(f"{k}_factor", np.nan)) for k in FACTOR_LABELS}
        weakest = weakest_factor(factors)
        why = f": {FACTOR_LABELS[weakest]}" if weakest else ""
        lines.append((f"split uncertain{why}", WARNING_RGB))
    y = int(40 * scale)
    for text, colour in lines:
        (tw, th), _ = cv2.getTextSize(text, font, fs, thick)
        cv2.rectangle(out, (8, y - th - 8), (16 + tw, y + 8), BACKGROUND_RGB, -1)
        cv2.putText(out, text, (12, y), font, fs, colour, thick, cv2.LINE_AA)
        y += th + int(22 * scale)
    if plot is not None:
        out = paste_time_plot(out, plot, float(angle["time_s"]))
    return out


def paste_time_plot(rgb: np.ndarray, plot: tuple[np.ndarray, object], time_s: float) -> np.ndarray:
    """``rgb`` (changed in place and returned) with the time plot at the bottom centre and a
    cursor at ``time_s`` (seconds)."""
    image, to_x = plot
    h, w = rgb.shape[:2]
    ph, pw = image.shape[:2]
    top = h - ph - 8
    rgb[top : top + ph, (w - pw) // 2 : (w - pw) // 2 + pw] = image
    x = (w - pw) // 2 + to_x(time_s)  # type: ignore[operator]
    thick = max(2, round(3 * min(w, h) / 720))
    cv2.line(rgb, (x, top + 4), (x, top + ph - 4), WARNING_RGB, max(1, thick // 2))
    return rgb


def split_series(angles: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Pelvis and lumbar angles (degrees) as the inset draws them: empty where uncertain."""
    pelvis, lumbar = angles["pelvis_deg"].to_numpy(float), angles["lumbar_deg"].to_numpy(float)
    if "low_confidence" in angles:
        uncertain = angles["low_confidence"].to_numpy(bool)
        pelvis, lumbar = np.where(uncertain, np.nan, pelvis), np.where(uncertain, np.nan, lumbar)
    return pelvis, lumbar


def _fmt(value: float) -> str:
    # round first so that -0.4 reads "0", never "-0"
    return f"{round(value) + 0:5d} deg" if np.isfinite(value) else "    - "


def segment_geometry(landmarks: pd.DataFrame, angles: pd.DataFrame) -> dict[str, float]:
    """What drawing the segments needs: trunk length (pixels), facing (+1 right, -1 left) and
    the standing trunk inclination (degrees)."""
    meta = table_metadata(angles)
    hip, sh = midpoint(landmarks, "hip"), midpoint(landmarks, "shoulder")
    length = float(np.nanmedian(np.hypot(*(sh - hip).T))) if np.isfinite(sh - hip).any() else 100.0
    return {
        "length_px": length,
        "facing": 1.0 if meta.get("facing") == "right" else -1.0,
        "base_deg": float(meta.get("standing", {}).get("trunk_inclination_deg", 0.0)),
    }


def write_annotated(
    video: str | os.PathLike[str],
    landmarks: pd.DataFrame,
    angles: pd.DataFrame,
    labels: list[str],
    out_path: str | os.PathLike[str],
    blur: bool = True,
) -> Path:
    """Decode ``video`` and write the annotated copy of the frames of ``landmarks`` (the whole
    recording, or the part analysed), with their own timestamps."""
    info = probe_video(video)
    geometry = segment_geometry(landmarks, angles)
    times = angles["time_s"].to_numpy(float)
    pelvis, lumbar = split_series(angles)  # the inset draws only what the split is sure of
    plot_size = inset_size(info.width, info.height)
    plot = time_plot(times, pelvis, lumbar, plot_size) if len(times) > 1 else None
    out_path = Path(out_path)
    # A part of a recording (--start) plays from 0; the overlay keeps the recording's times.
    frames = landmarks["frame"].to_numpy()
    offset = float(landmarks["time_s"].iloc[0]) if len(frames) and frames[0] > 0 else 0.0
    with VideoWriter(out_path, info.width, info.height, info.nominal_fps) as writer:
        for i, frame in iter_table_frames(video, frames):
            drawn = draw_frame(
                frame.rgb, landmarks.iloc[i], angles.iloc[i], geometry, labels[i], plot, blur
            )
            writer.write(drawn, frame.time_s - offset)
    return out_path
