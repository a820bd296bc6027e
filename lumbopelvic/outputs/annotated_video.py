"""Draw the annotated video: skeleton, pelvis and lumbar segments, readouts, a time plot.

The two segment colours are fixed and used everywhere in the product (video, report plots;
:mod:`lumbopelvic.outputs.style`).
Drawing functions take a frame and data and return a new frame; :func:`write_annotated`
is the I/O edge that decodes the source and encodes the result.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pandas as pd

from lumbopelvic.core.landmarks import LANDMARK_NAMES
from lumbopelvic.core.provenance import table_metadata
from lumbopelvic.io.background import BackgroundConsumer, prefetched
from lumbopelvic.io.frame_store import resized, scaled_size
from lumbopelvic.io.video import Frame, iter_table_frames, probe_video
from lumbopelvic.io.video_writer import VideoWriter
from lumbopelvic.kinematics.confidence import FACTOR_LABELS, weakest_factor
from lumbopelvic.kinematics.sagittal import midpoint
from lumbopelvic.outputs.style import (
    BACKGROUND_RGB,
    LUMBAR_RGB,
    PELVIS_RGB,
    SKELETON_RGB,
    TRUNK_RGB,
    UNCERTAIN_RGB,
    WARNING_RGB,
)
from lumbopelvic.outputs.time_plot import (
    inset_size,
    paste_time_plot,
    series_plot,
    split_series,
    time_plot,
)
from lumbopelvic.outputs.video_defaults import DEFAULT_CRF, DEFAULT_LONG_SIDE_PX

FACE_LANDMARKS = LANDMARK_NAMES[:11]
LEFT_HIP, RIGHT_HIP = LANDMARK_NAMES.index("left_hip"), LANDMARK_NAMES.index("right_hip")
BONES = [
    ("left_shoulder", "right_shoulder"),
    ("left_hip", "right_hip"),
    ("left_shoulder", "left_elbow"),
    ("left_elbow", "left_wrist"),
    ("right_shoulder", "right_elbow"),
    ("right_elbow", "right_wrist"),
    ("left_shoulder", "left_hip"),
    ("right_shoulder", "right_hip"),
    ("left_hip", "left_knee"),
    ("left_knee", "left_ankle"),
    ("left_ankle", "left_heel"),
    ("left_heel", "left_foot_index"),
    ("right_hip", "right_knee"),
    ("right_knee", "right_ankle"),
    ("right_ankle", "right_heel"),
    ("right_heel", "right_foot_index"),
]
BONE_INDICES = [(LANDMARK_NAMES.index(a), LANDMARK_NAMES.index(b)) for a, b in BONES]


@dataclass(frozen=True)
class Overlay:
    """What the annotated frames show, one entry per row of the landmark table, in the
    pixels of the frames drawn on.

    Attributes
    ----------
    xy
        ``(n, 33, 2)`` landmark positions, pixels of the drawn frame (NaN: not seen).
    present
        ``(n,)`` a person was found.
    angles
        ``{"trunk", "pelvis", "lumbar"}`` to ``(n,)`` degrees.
    uncertain
        ``(n,)`` the pelvis/lumbar split is not supported in that frame.
    why_uncertain
        ``(n,)`` the weakest confidence factor's words ("" when certain or unknown).
    labels
        Repetition and phase label per frame.
    geometry
        :func:`segment_geometry`, its length in pixels of the drawn frame.
    texts
        Per frame, the readout lines (text, RGB) shown instead of the forward-bend ones (a
        walk's; None: the bend's).
    skeleton
        Per frame, whether the skeleton is drawn (None: wherever a person is); faces are
        blurred wherever a person is, drawn or not.
    """

    xy: np.ndarray
    present: np.ndarray
    angles: dict[str, np.ndarray]
    uncertain: np.ndarray
    why_uncertain: list[str]
    labels: list[str]
    geometry: dict[str, float]
    texts: list[list[tuple[str, tuple[int, int, int]]]] | None = None
    skeleton: np.ndarray | None = None


@dataclass(frozen=True)
class Readouts:
    """What the annotated video shows in place of the forward-bend readouts and time plot.

    Attributes
    ----------
    texts
        Per table row, the readout lines (text, RGB).
    series
        Name to ``(values per row, matplotlib colour)`` for the time plot.
    unit
        The plot's value unit (its axis label).
    marks_s
        Times (s) marked on the plot's time axis (e.g. heel strikes).
    skeleton
        Per row, whether the skeleton is drawn (a walk draws only the walker's).
    """

    texts: list[list[tuple[str, tuple[int, int, int]]]]
    series: dict[str, tuple[np.ndarray, str]]
    unit: str
    marks_s: np.ndarray
    skeleton: np.ndarray


def overlay_of(
    landmarks: pd.DataFrame,
    angles: pd.DataFrame,
    labels: list[str],
    scale: tuple[float, float] = (1.0, 1.0),
) -> Overlay:
    """The :class:`Overlay` of a recording's tables, for frames scaled by ``scale``
    (``(x, y)``: the drawn frame's width and height over the recording's; both sides are
    rounded to even pixels, so the two differ slightly)."""
    columns = [f"{name}_{axis}_px" for name in LANDMARK_NAMES for axis in ("x", "y")]
    xy = landmarks[columns].to_numpy(float).reshape(len(landmarks), len(LANDMARK_NAMES), 2)
    uncertain = (
        angles["low_confidence"].to_numpy(bool)
        if "low_confidence" in angles
        else np.zeros(len(angles), bool)
    ) & np.isfinite(angles["trunk_deg"].to_numpy(float))
    factors = {
        k: angles[f"{k}_factor"].to_numpy(float) for k in FACTOR_LABELS if f"{k}_factor" in angles
    }
    why = []
    for i in range(len(angles)):
        weakest = weakest_factor({k: v[i] for k, v in factors.items()}) if uncertain[i] else None
        why.append(FACTOR_LABELS[weakest] if weakest else "")
    geometry = segment_geometry(landmarks, angles)
    geometry["length_px"] *= (scale[0] + scale[1]) / 2
    return Overlay(
        xy=xy * np.asarray(scale),
        present=landmarks["n_people"].to_numpy() > 0,
        angles={k: angles[f"{k}_deg"].to_numpy(float) for k in ("trunk", "pelvis", "lumbar")},
        uncertain=uncertain,
        why_uncertain=why,
        labels=list(labels),
        geometry=geometry,
    )


def blur_face(rgb: np.ndarray, face_xy: np.ndarray) -> np.ndarray:
    """Blur a box around the face landmarks (``(11, 2)`` pixels: nose, eyes, ears, mouth),
    in place; returns ``rgb``."""
    pts = face_xy[~np.isnan(face_xy).any(axis=1)]
    if len(pts) < 3:
        return rgb
    centre = pts.mean(axis=0)
    half = max(np.ptp(pts[:, 0]), np.ptp(pts[:, 1]), 10.0) * 1.5
    h, w = rgb.shape[:2]
    x0, y0 = int(max(0, centre[0] - half)), int(max(0, centre[1] - half))
    x1, y1 = int(min(w, centre[0] + half)), int(min(h, centre[1] + half))
    if x1 <= x0 or y1 <= y0:
        return rgb
    k = max(3, int(half) | 1)
    rgb[y0:y1, x0:x1] = cv2.GaussianBlur(rgb[y0:y1, x0:x1], (k, k), 0)
    return rgb


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


def draw_frame(
    rgb: np.ndarray,
    overlay: Overlay,
    i: int,
    plot: tuple[np.ndarray, object] | None,
    blur: bool,
    time_s: float,
) -> np.ndarray:
    """Frame ``i`` of the overlay drawn on ``rgb`` (changed in place and returned)."""
    out = rgb if rgb.flags.writeable else rgb.copy()
    xy = overlay.xy[i]
    if blur and overlay.present[i]:
        blur_face(out, xy[: len(FACE_LANDMARKS)])
    h, w = out.shape[:2]
    scale = min(w, h) / 720
    thick = max(2, round(3 * scale))
    trunk, pelvis = overlay.angles["trunk"][i], overlay.angles["pelvis"][i]
    drawn = overlay.present[i] and (overlay.skeleton is None or overlay.skeleton[i])
    if drawn:
        for a, b in BONE_INDICES:
            if np.isfinite(xy[a]).all() and np.isfinite(xy[b]).all():
                cv2.line(out, _point(xy[a]), _point(xy[b]), SKELETON_RGB, thick, cv2.LINE_AA)
        hip = (xy[LEFT_HIP] + xy[RIGHT_HIP]) / 2
        certain = not overlay.uncertain[i] and np.isfinite([pelvis, trunk]).all()
        if certain and np.isfinite(hip).all():
            geometry = overlay.geometry
            p0, p1, p2 = segment_points(
                hip,
                geometry["length_px"],
                int(geometry["facing"]),
                geometry["base_deg"],
                float(pelvis),
                float(trunk),
            )
            cv2.line(out, _point(p0), _point(p1), PELVIS_RGB, 3 * thick, cv2.LINE_AA)
            cv2.line(out, _point(p1), _point(p2), LUMBAR_RGB, 3 * thick, cv2.LINE_AA)
    font, fs = cv2.FONT_HERSHEY_SIMPLEX, 0.9 * scale
    lines = overlay.texts[i] if overlay.texts is not None else _bend_lines(overlay, i, trunk)
    y = int(40 * scale)
    for text, colour in lines:
        (tw, th), _ = cv2.getTextSize(text, font, fs, thick)
        cv2.rectangle(out, (8, y - th - 8), (16 + tw, y + 8), BACKGROUND_RGB, -1)
        cv2.putText(out, text, (12, y), font, fs, colour, thick, cv2.LINE_AA)
        y += th + int(22 * scale)
    if plot is not None:
        out = paste_time_plot(out, plot, time_s)
    return out


def _bend_lines(overlay: Overlay, i: int, trunk: float) -> list[tuple[str, tuple[int, int, int]]]:
    # An uncertain split is greyed and its numbers hidden; the weakest factor says why.
    uncertain = bool(overlay.uncertain[i])
    split_text = {
        name: f"{name} {_fmt(overlay.angles[name][i])}" if not uncertain else f"{name}     ?"
        for name in ("pelvis", "lumbar")
    }
    lines = [
        (f"trunk  {_fmt(trunk)}", TRUNK_RGB),
        (split_text["pelvis"], UNCERTAIN_RGB if uncertain else PELVIS_RGB),
        (split_text["lumbar"], UNCERTAIN_RGB if uncertain else LUMBAR_RGB),
        (overlay.labels[i], TRUNK_RGB),
    ]
    if uncertain:
        why = overlay.why_uncertain[i]
        lines.append((f"split uncertain{': ' + why if why else ''}", WARNING_RGB))
    return lines


def _point(xy: np.ndarray) -> tuple[int, int]:
    return int(xy[0]), int(xy[1])


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


@dataclass(frozen=True)
class AnnotatedVideo:
    """The annotated video written, and the key frames drawn on the way.

    Attributes
    ----------
    path
        The mp4 file.
    stills
        Row of the tables to its frame drawn without the time-plot inset (RGB), for each
        row asked for.
    """

    path: Path
    stills: dict[int, np.ndarray]


def write_annotated(
    video: str | os.PathLike[str],
    landmarks: pd.DataFrame,
    angles: pd.DataFrame,
    labels: list[str],
    out_path: str | os.PathLike[str],
    blur: bool = True,
    *,
    long_side_px: int = DEFAULT_LONG_SIDE_PX,
    crf: int = DEFAULT_CRF,
    frames: Iterator[Frame] | None = None,
    stills: Collection[int] = (),
    readouts: Readouts | None = None,
) -> AnnotatedVideo:
    """Write the annotated copy of the frames of ``landmarks`` (the whole recording, or the
    part analysed), each shown at its own time.

    Parameters
    ----------
    video
        The recording.
    landmarks, angles, labels
        One row (label) per analysed frame.
    out_path
        The mp4 to write.
    blur
        Blur the face.
    long_side_px
        The video's longer side in pixels at most (0: the recording's size).
    crf
        x264 quality (lower: better and larger).
    frames
        The analysed frames, already at the output size, in the tables' order (e.g. from
        :class:`lumbopelvic.io.frame_store.FrameStore`); when None the recording is decoded.
    stills
        Rows whose frame is also returned drawn without the time plot (the report's key
        frames).
    readouts
        Readouts and time plot in place of the forward-bend ones (a walk's).
    """
    info = probe_video(video)
    size = scaled_size(info.width, info.height, long_side_px)
    overlay = overlay_of(landmarks, angles, labels, (size[0] / info.width, size[1] / info.height))
    times = angles["time_s"].to_numpy(float)
    if readouts is not None:
        overlay = dataclasses.replace(overlay, texts=readouts.texts, skeleton=readouts.skeleton)
        plot = (
            series_plot(
                times, readouts.series, inset_size(*size), readouts.unit, marks_s=readouts.marks_s
            )
            if len(times) > 1
            else None
        )
    else:
        pelvis, lumbar = split_series(angles)  # the inset draws only what the split is sure of
        plot = time_plot(times, pelvis, lumbar, inset_size(*size)) if len(times) > 1 else None
    if frames is None:
        frames = prefetched(
            Frame(row, frame.time_s, resized(frame, size).rgb)
            for row, frame in iter_table_frames(video, landmarks["frame"].to_numpy())
        )
    # A part of a recording (--start) plays from 0; the overlay keeps the recording's times.
    offset = times[0] if len(times) and int(landmarks["frame"].iloc[0]) > 0 else 0.0
    wanted, drawn = set(stills), {}
    out_path = Path(out_path)
    with (
        VideoWriter(out_path, *size, info.nominal_fps, crf=crf) as writer,
        BackgroundConsumer(lambda item: writer.write(*item)) as encoder,
    ):
        for frame in frames:
            row = frame.index
            if row in wanted:
                drawn[row] = draw_frame(frame.rgb.copy(), overlay, row, None, blur, times[row])
            encoder.submit(
                (draw_frame(frame.rgb, overlay, row, plot, blur, times[row]), times[row] - offset)
            )
    return AnnotatedVideo(out_path, drawn)
