"""Run MediaPipe PoseLandmarker over every frame of a video and build the landmark table.

I/O lives at the edges: :func:`extract_pose` decodes the video and runs the model;
:func:`pose_table` turns per-frame arrays into the table (pure). See
:mod:`lumbopelvic.landmarks` for the table's columns and conventions.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lumbopelvic import __version__
from lumbopelvic.cache import cache_dir, cache_key
from lumbopelvic.errors import LumbopelvicError
from lumbopelvic.landmark_table import META_KEY, read_parquet, write_parquet
from lumbopelvic.landmarks import LANDMARK_FIELDS, LANDMARK_INDEX, N_LANDMARKS, landmark_columns
from lumbopelvic.model_bundles import DEFAULT_MODEL, resolve_model, sha256_file
from lumbopelvic.silhouette import SIMPLIFY_TOLERANCE_PX, encode_outline, mask_outline
from lumbopelvic.subject import DEFAULT_MAX_PEOPLE, SubjectTracker, landmark_box
from lumbopelvic.video import Frame, VideoInfo, iter_frames, probe_video

# Bump when the table's content or layout changes, so stale cache entries are not reused.
POSE_FORMAT_VERSION = 1
# The outline is searched in the subject's landmark box grown by this fraction on each side:
# the body surface lies outside the joint centres MediaPipe reports.
OUTLINE_BOX_MARGIN = 0.25
HIP_ROWS = [LANDMARK_INDEX["left_hip"], LANDMARK_INDEX["right_hip"]]
SUBJECT_SELECTION = "largest and most central person, then followed by box overlap"

ProgressCallback = Callable[[int, float], None]


@dataclass(frozen=True)
class PoseSettings:
    """Settings that change the landmark table (all part of the cache key).

    Attributes
    ----------
    model
        Model name (``lite``, ``full``, ``heavy``) or path to a PoseLandmarker ``.task``.
    max_people
        People MediaPipe may detect per frame; >1 lets the main subject be chosen and followed
        when several are in view.
    min_detection_confidence, min_presence_confidence, min_tracking_confidence
        MediaPipe thresholds in [0, 1].
    outline_tolerance_px
        Simplification tolerance of the stored silhouette outline, pixels.
    """

    model: str = DEFAULT_MODEL
    max_people: int = DEFAULT_MAX_PEOPLE
    min_detection_confidence: float = 0.5
    min_presence_confidence: float = 0.5
    min_tracking_confidence: float = 0.5
    outline_tolerance_px: float = SIMPLIFY_TOLERANCE_PX

    def __post_init__(self) -> None:
        if self.max_people < 1:
            raise LumbopelvicError("max_people must be at least 1")
        for name in (
            "min_detection_confidence",
            "min_presence_confidence",
            "min_tracking_confidence",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise LumbopelvicError(f"{name} must be between 0 and 1, got {value}")


@dataclass
class FramePose:
    """Pose of the main subject in one frame (landmarks NaN when nobody was found)."""

    index: int
    time_s: float
    landmarks: np.ndarray  # (33, 8) in LANDMARK_FIELDS order
    n_people: int
    outline: np.ndarray = field(default_factory=lambda: np.empty((0, 2), np.int32))


# --------------------------------------------------------------------------- MediaPipe edge


@contextlib.contextmanager
def quiet_native_stderr() -> Iterator[None]:
    """Silence MediaPipe's native logging (written straight to file descriptor 2).

    Python-level writes to ``sys.stderr`` made inside still appear: they are sent to a
    duplicate of the original descriptor.
    """
    import sys

    if os.environ.get("LUMBOPELVIC_NATIVE_LOGS"):
        yield
        return
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    python_stderr = sys.stderr
    try:
        sys.stderr = os.fdopen(os.dup(saved), "w", buffering=1, closefd=True)
        os.dup2(devnull, 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        sys.stderr.close()
        sys.stderr = python_stderr
        os.close(saved)
        os.close(devnull)


def create_landmarker(model_path: Path, settings: PoseSettings):
    """Create a PoseLandmarker in VIDEO mode with segmentation masks."""
    from mediapipe.tasks.python import BaseOptions, vision

    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model_path)),
        running_mode=vision.RunningMode.VIDEO,
        num_poses=settings.max_people,
        min_pose_detection_confidence=settings.min_detection_confidence,
        min_pose_presence_confidence=settings.min_presence_confidence,
        min_tracking_confidence=settings.min_tracking_confidence,
        output_segmentation_masks=True,
    )
    try:
        return vision.PoseLandmarker.create_from_options(options)
    except (RuntimeError, ValueError) as exc:
        raise LumbopelvicError(f"cannot load pose model {model_path}: {exc}") from exc


def to_mp_image(rgb: np.ndarray):
    import mediapipe as mp

    return mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb)


def _landmark_array(pose: list, world: list, width: int, height: int) -> np.ndarray:
    arr = np.array(
        [
            (p.x, p.y, p.z, p.visibility, p.presence, w.x, w.y, w.z)
            for p, w in zip(pose, world, strict=True)
        ],
        dtype=np.float64,
    )
    arr[:, 0] *= width
    arr[:, 1] *= height
    arr[:, 2] *= width
    return arr


def frame_pose(
    result: Any, frame: Frame, tracker: SubjectTracker, settings: PoseSettings
) -> FramePose:
    """Pick the main subject from one PoseLandmarker result and outline their silhouette."""
    height, width = frame.rgb.shape[:2]
    people = [
        _landmark_array(pose, world, width, height)
        for pose, world in zip(result.pose_landmarks, result.pose_world_landmarks, strict=True)
    ]
    boxes = [landmark_box(p[:, :2]) for p in people]
    chosen = tracker.choose(boxes)
    if chosen is None:
        return FramePose(frame.index, frame.time_s, _empty_landmarks(), 0)
    outline = np.empty((0, 2), np.int32)
    masks = result.segmentation_masks or []
    if chosen < len(masks):
        box = boxes[chosen]
        margin = OUTLINE_BOX_MARGIN * max(box[2] - box[0], box[3] - box[1])
        roi = (box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin)
        hips = people[chosen][HIP_ROWS, :2].mean(axis=0)
        outline = mask_outline(
            masks[chosen].numpy_view(), roi, tuple(hips), settings.outline_tolerance_px
        )
    return FramePose(frame.index, frame.time_s, people[chosen], len(people), outline)


def _empty_landmarks() -> np.ndarray:
    return np.full((N_LANDMARKS, len(LANDMARK_FIELDS)), np.nan)


def _prefetch(frames: Iterator[Frame], depth: int = 4) -> Iterator[Frame]:
    """Decode in a background thread so decoding overlaps inference (both release the GIL)."""
    buffer: queue.Queue[Frame | BaseException | None] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in frames:
                if stop.is_set():
                    return
                buffer.put(item)
        except BaseException as exc:  # handed to the consumer, re-raised there
            buffer.put(exc)
            return
        buffer.put(None)

    worker = threading.Thread(target=produce, daemon=True)
    worker.start()
    try:
        while (item := buffer.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        with contextlib.suppress(queue.Empty):
            while True:
                buffer.get_nowait()


def run_landmarker(
    video: Path,
    model_path: Path,
    settings: PoseSettings,
    progress: ProgressCallback | None = None,
) -> list[FramePose]:
    """Run PoseLandmarker (VIDEO mode) over every frame and return the main subject's poses."""
    info = probe_video(video)
    tracker = SubjectTracker((info.width, info.height))
    poses: list[FramePose] = []
    last_ms = -1
    with quiet_native_stderr(), create_landmarker(model_path, settings) as landmarker:
        for frame in _prefetch(iter_frames(video)):
            # VIDEO mode needs strictly increasing integer milliseconds.
            timestamp_ms = max(round(frame.time_s * 1000), last_ms + 1)
            last_ms = timestamp_ms
            result = landmarker.detect_for_video(to_mp_image(frame.rgb), timestamp_ms)
            poses.append(frame_pose(result, frame, tracker, settings))
            if progress is not None:
                progress(frame.index + 1, frame.time_s)
    return poses


# --------------------------------------------------------------------------- pure table


def pose_table(poses: list[FramePose], metadata: dict[str, Any]) -> pd.DataFrame:
    """Build the landmark table (one row per frame) from per-frame poses.

    Parameters
    ----------
    poses
        Per-frame results in decode order.
    metadata
        Provenance stored in ``attrs["lumbopelvic"]``; frame counts are added.
    """
    n = len(poses)
    values = np.stack([p.landmarks for p in poses]).reshape(n, -1) if n else np.empty((0, 264))
    table = pd.DataFrame(values, columns=landmark_columns())
    table.insert(0, "frame", np.array([p.index for p in poses], dtype=np.int64))
    table.insert(1, "time_s", np.array([p.time_s for p in poses], dtype=np.float64))
    table.insert(2, "n_people", np.array([p.n_people for p in poses], dtype=np.int64))
    table["silhouette_px"] = [encode_outline(p.outline) for p in poses]
    counts = np.array([p.n_people for p in poses])
    meta = dict(metadata)
    meta["frames"] = {
        "total": n,
        "with_person": int((counts > 0).sum()),
        "with_several_people": int((counts > 1).sum()),
        "with_outline": int(sum(len(p.outline) > 0 for p in poses)),
    }
    table.attrs = {META_KEY: meta}
    return table


# --------------------------------------------------------------------------- entry point


@dataclass(frozen=True)
class PoseRun:
    """A landmark table and how it was obtained."""

    table: pd.DataFrame
    from_cache: bool
    cache_path: Path | None


def extract_pose(
    video: str | os.PathLike[str],
    settings: PoseSettings | None = None,
    use_cache: bool = True,
    progress: ProgressCallback | None = None,
    on_start: Callable[[VideoInfo], None] | None = None,
) -> PoseRun:
    """Landmark table for a video, from the cache when the same video, model and settings ran.

    Parameters
    ----------
    video
        Video file (any FFmpeg-readable container).
    settings
        Pose settings; defaults to :class:`PoseSettings`.
    use_cache
        Read and write the local pose cache.
    progress
        Called after each frame with ``(frames_done, time_s)``.
    on_start
        Called with the video's :class:`VideoInfo` before inference starts (not on a cache hit).

    Raises
    ------
    LumbopelvicError
        For a missing, unreadable, truncated or empty video, a missing model, or a video in
        which no person was found in any frame.
    """
    settings = settings or PoseSettings()
    video = Path(video)
    info = probe_video(video)
    model_path = resolve_model(settings.model)
    video_sha = sha256_file(video)
    model_sha = sha256_file(model_path)
    settings_dict = asdict(settings)
    key = cache_key(
        video=video_sha, model=model_sha, settings={**settings_dict, "model": None},
        format=POSE_FORMAT_VERSION,
    )  # fmt: skip
    cached = cache_dir() / "pose" / f"{key}.parquet"
    if use_cache and cached.is_file():
        table = read_parquet(cached)
        meta = table.attrs.get(META_KEY, {})
        meta.setdefault("history", []).append({"step": "pose", "cache_hit": True, "at": _now()})
        meta["video"]["path"] = str(video)
        _require_person(table, video)
        return PoseRun(table, True, cached)

    if on_start is not None:
        on_start(info)
    poses = run_landmarker(video, model_path, settings, progress)
    metadata = {
        "format": "lumbopelvic.landmarks",
        "format_version": POSE_FORMAT_VERSION,
        "package_version": __version__,
        "video": {"path": str(video), "name": video.name, "sha256": video_sha, **info.to_dict()},
        "model": {"name": settings.model, "path": str(model_path), "sha256": model_sha},
        "settings": settings_dict,
        "subject_selection": SUBJECT_SELECTION,
        "coordinates": "pixels of the upright frame, origin top-left, y down",
        "history": [{"step": "pose", "cache_hit": False, "at": _now()}],
    }
    table = pose_table(poses, metadata)
    if use_cache:
        write_parquet(table, cached)
    _require_person(table, video)
    return PoseRun(table, False, cached if use_cache else None)


def _require_person(table: pd.DataFrame, video: Path) -> None:
    if not (table["n_people"] > 0).any():
        raise LumbopelvicError(f"no person was detected in any frame of {video.name}")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
