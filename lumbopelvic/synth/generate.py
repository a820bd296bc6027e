"""Render cases (:mod:`.case`): posed body -> frames -> H.264 mp4, truth CSV and parameters
JSON. The same parameters give the same video, frame for frame."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.version import __version__
from lumbopelvic.io.atomic import atomic_path, write_text_atomic
from lumbopelvic.synth.body import make_rig
from lumbopelvic.synth.camera import PinholeCamera, place_camera
from lumbopelvic.synth.case import CaseParams, case_from_dict, case_to_dict, validate_case
from lumbopelvic.synth.gait import gait_truth
from lumbopelvic.synth.motion import angle_series, seat_off_times
from lumbopelvic.synth.posing import pose_frames
from lumbopelvic.synth.props import (
    Mesh,
    hand_centre,
    load_mesh,
    seat_mesh,
)
from lumbopelvic.synth.render import BodyPainter
from lumbopelvic.synth.scene import (
    finish_frame,
    light_direction,
    render_background,
)
from lumbopelvic.synth.stickers import sticker_truth
from lumbopelvic.synth.truth import event_frames, image_points, measure_angles, truth_table

FORMAT_VERSION = 1


@dataclass
class CasePaths:
    """Where a rendered case's files are."""

    video: Path
    truth: Path
    params: Path
    frames: int


@dataclass
class PreparedCase:
    """Posed frames, camera and truth of a case: everything but the pixels."""

    case: CaseParams
    time_s: np.ndarray
    vertices: np.ndarray
    camera: PinholeCamera
    truth: Any
    painter: BodyPainter
    background: np.ndarray
    light: np.ndarray
    render_camera: PinholeCamera
    props: list[Mesh] = field(default_factory=list)
    events: dict[str, list[float]] = field(default_factory=dict)


def _scaled(cam: PinholeCamera, s: int) -> PinholeCamera:
    return PinholeCamera(
        cam.rotation,
        cam.position,
        cam.fx * s,
        cam.fy * s,
        cam.cx * s + (s - 1) / 2.0,
        cam.cy * s + (s - 1) / 2.0,
        cam.width * s,
        cam.height * s,
    )


def prepare_case(case: CaseParams) -> PreparedCase:
    """Pose the body for every frame, place the camera and compute the truth."""
    validate_case(case)
    rig = make_rig(case.body.phenotype())
    try:
        series = angle_series(case.motion, case.camera.fps, case.duration_s, case.gait)
        posed = pose_frames(
            rig,
            series.pelvis,
            series.lumbar,
            series.thoracic,
            series.knee,
            series.shank,
            case.motion.arms,
            gait=series.gait,
        )
    except ValueError as exc:
        raise LumbopelvicError(str(exc)) from exc
    hips = [rig.index("upperleg01.L"), rig.index("upperleg01.R")]
    hip_centre = rig.rest_joints[hips, :3, 3].mean(0)
    step = max(1, len(series.time_s) // 40)
    try:
        cam = place_camera(
            case.camera,
            hip_centre,
            rig.floor_z,
            rig.rest_vertices[::5],
            posed.vertices[::step, ::5].reshape(-1, 3),
        )
    except ValueError as exc:
        raise LumbopelvicError(str(exc)) from exc
    angles = measure_angles(rig, posed.joints)
    points = image_points(rig, posed.joints, posed.vertices, cam)
    table = truth_table(series.time_s, angles, points)
    # The camera is on the body's +x for a person facing left (see place_camera).
    sticker_x = case.clothing.sticker_side_m * (1.0 if case.camera.facing == "left" else -1.0)
    painter = BodyPainter(rig, case.clothing, case.scene, sticker_x)
    if case.clothing.stickers:
        marks = sticker_truth(
            rig, posed.vertices, painter.dress, cam, case.clothing.stickers, sticker_x
        )
        for column, values in marks.items():
            table[column] = values
    if series.gait is not None:
        for column, values in gait_truth(rig, posed.joints, series.gait.envelope).items():
            table[column] = values
    events = {}
    if case.motion.movement == "sit-to-stand":
        # Seat-off to the second in the parameters; the nearest frame marked in the truth.
        events["seat_off_s"] = [round(t, 4) for t in seat_off_times(series)]
        table["seat_off"] = event_frames(series.time_s, events["seat_off_s"])
    rcam = _scaled(cam, case.supersample)
    # A walker leaves the spot: no contact shadow drawn into the (still) background.
    feet = rig.rest_joints[[rig.index("foot.L"), rig.index("foot.R")], :3, 3]
    if series.gait is not None:
        feet = feet[:0]
    background = render_background(rcam, case.scene, hip_centre, rig.floor_z, feet, case.seed)
    light = light_direction(cam, case.scene)
    try:
        meshes = [
            load_mesh(case.props, hand_centre(rig, posed.joints)),
            seat_mesh(case.props, rig, posed.vertices[int(np.argmax(series.knee))]),
        ]
    except ValueError as exc:
        raise LumbopelvicError(str(exc)) from exc
    return PreparedCase(
        case,
        series.time_s,
        posed.vertices,
        cam,
        table,
        painter,
        background,
        light,
        rcam,
        [m for m in meshes if m is not None],
        events,
    )


def render_frames(prepared: PreparedCase):
    """Yield the clip's frames as RGB ``uint8`` arrays ``(H, W, 3)``."""
    case = prepared.case
    w, h = case.camera.width, case.camera.height
    previous = None
    for i in range(len(prepared.time_s)):
        img = prepared.painter.paint(
            prepared.background.copy(),
            prepared.vertices[i],
            prepared.render_camera,
            prepared.light,
            [(mesh.at(i), mesh) for mesh in prepared.props],
        )
        if case.supersample > 1:
            img = cv2.resize(img, (w, h), interpolation=cv2.INTER_AREA)
        blur = case.camera.motion_blur
        if blur > 0:
            sharp = img
            if previous is not None:
                img = cv2.addWeighted(img, 1.0 - blur, previous, blur, 0.0)
            previous = sharp
        rng = np.random.default_rng([case.seed, i])
        yield finish_frame(img, case.camera.blur_sigma_px, case.camera.noise_std, rng)


def write_video(
    path: Path,
    frames,
    width: int,
    height: int,
    fps: float,
    crf: int,
    on_frame: Callable[[int], None] | None = None,
) -> int:
    """Encode RGB frames to H.264 (yuv420p) mp4 at ``path`` atomically; return the count."""
    import av

    count = 0
    with atomic_path(path) as tmp, av.open(str(tmp), mode="w", format="mp4") as container:
        rate = Fraction(fps).limit_denominator(1001)
        stream = container.add_stream("libx264", rate=rate)
        stream.width = width
        stream.height = height
        stream.pix_fmt = "yuv420p"
        stream.options = {"crf": str(int(crf)), "preset": "medium"}
        stream.codec_context.thread_count = 1
        for img in frames:
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(img), format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
            count += 1
            if on_frame is not None:
                on_frame(count)
        for packet in stream.encode():
            container.mux(packet)
    return count


def render_case(
    case: CaseParams,
    out_dir: str | os.PathLike[str],
    on_frame: Callable[[int, int], None] | None = None,
) -> CasePaths:
    """Render one case into ``out_dir``: ``<name>.mp4``, ``<name>_truth.csv``,
    ``<name>_params.json``.

    ``on_frame(done, total)`` is called after each encoded frame.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    prepared = prepare_case(case)
    total = len(prepared.time_s)
    cam = case.camera
    video = out / f"{case.name}.mp4"
    truth_path = out / f"{case.name}_truth.csv"
    params_path = out / f"{case.name}_params.json"
    n = write_video(
        video,
        render_frames(prepared),
        cam.width,
        cam.height,
        cam.fps,
        cam.crf,
        None if on_frame is None else (lambda done: on_frame(done, total)),
    )
    write_text_atomic(truth_path, prepared.truth.to_csv(index=False, float_format="%.4f"))
    meta = {
        "format_version": FORMAT_VERSION,
        "generator": f"lumbopelvic {__version__} synth",
        "conventions": "degrees, sagittal plane, flexion positive, changes from standing; "
        "trunk = pelvis + lumbar; pixels x right, y down; _l/_r = person's "
        "left/right; see lumbopelvic.synth.truth",
        "frames": n,
        "camera_resolved": prepared.camera.as_dict(),
        "events": prepared.events,
        "case": case_to_dict(case),
    }
    write_text_atomic(params_path, json.dumps(meta, indent=2) + "\n")
    return CasePaths(video, truth_path, params_path, n)


def _render_one(args: tuple[dict[str, Any], str]) -> CasePaths:
    data, out_dir = args
    return render_case(case_from_dict(data), out_dir)


def render_set(
    cases: Sequence[CaseParams],
    out_dir: str | os.PathLike[str],
    jobs: int = 1,
    on_case: Callable[[CaseParams, CasePaths], None] | None = None,
    on_frame: Callable[[int, int], None] | None = None,
) -> list[CasePaths]:
    """Render several cases, in ``jobs`` worker processes when ``jobs > 1``.

    Returns the paths in the order of ``cases``. ``on_case`` is called as each case
    finishes (in completion order); ``on_frame`` only in the single-process path.
    """
    names = [c.name for c in cases]
    if len(set(names)) != len(names):
        raise LumbopelvicError("case names must be unique")
    for c in cases:
        validate_case(c)
    results: list[CasePaths | None] = [None] * len(cases)
    if jobs <= 1 or len(cases) <= 1:
        for i, c in enumerate(cases):
            results[i] = render_case(c, out_dir, on_frame)
            if on_case is not None:
                on_case(c, results[i])
        return [r for r in results if r is not None]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {
            pool.submit(_render_one, (case_to_dict(c), str(out_dir))): i
            for i, c in enumerate(cases)
        }
        for fut in as_completed(futures):
            i = futures[fut]
            results[i] = fut.result()
            if on_case is not None:
                on_case(cases[i], results[i])
    return [r for r in results if r is not None]
