"""Landmark table of a video: a pose backend over every frame, or the local cache when it ran
before.

The I/O lives at the edges: a pose backend (:mod:`lumbopelvic.pose.backends`, today
MediaPipe's) decodes the video and runs the model, :mod:`lumbopelvic.pose.landmark_table`
builds the table (pure). The table's columns and
conventions are in :mod:`lumbopelvic.core.landmarks`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.provenance import log_step, set_metadata, table_metadata
from lumbopelvic.core.schema import validate_landmark_table
from lumbopelvic.core.time_range import check_range_within
from lumbopelvic.core.version import __version__
from lumbopelvic.io.cache import cache_dir, cache_key
from lumbopelvic.io.hashing import sha256_file, sha256_file_remembered
from lumbopelvic.io.landmark_files import read_parquet, write_parquet
from lumbopelvic.io.video import VideoInfo, probe_video
from lumbopelvic.pose.backend import FrameSink, ProgressCallback
from lumbopelvic.pose.backends import BACKENDS, DEFAULT_BACKEND
from lumbopelvic.pose.landmark_table import pose_table
from lumbopelvic.pose.settings import PoseSettings
from lumbopelvic.pose.subject import describe_subject

# Bump when the table's content or layout changes, so stale cache entries are not reused.
POSE_FORMAT_VERSION = 1


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
    on_start: Callable[[int], None] | None = None,
    frame_sink: FrameSink | None = None,
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
        Called with the number of frames expected (0: unknown) before inference starts (not
        on a cache hit).
    frame_sink
        Given each analysed frame when inference runs (not on a cache hit), so the caller can
        keep what it needs without decoding the video again.

    Raises
    ------
    LumbopelvicError
        For a missing, unreadable, truncated or empty video, a missing model, a range
        (``settings.start``/``end``) beyond the video, or a video in which no person was found
        in any frame.
    """
    settings = settings or PoseSettings()
    video = Path(video)
    info = probe_video(video)
    check_range_within(settings.start, settings.end, info.duration_s, video.name)
    backend = BACKENDS[DEFAULT_BACKEND]
    model_path = backend.model_file(settings.model)
    if use_cache:
        video_sha = sha256_file_remembered(video, cache_dir() / "hashes")
        model_sha = sha256_file_remembered(model_path, cache_dir() / "hashes")
    else:
        video_sha, model_sha = sha256_file(video), sha256_file(model_path)
    settings_dict = asdict(settings)
    key = cache_key(
        video=video_sha,
        model=model_sha,
        settings={**settings_dict, "model": None},
        format=POSE_FORMAT_VERSION,
    )
    cached = cache_dir() / "pose" / f"{key}.parquet"
    discarded = None
    if use_cache and cached.is_file():
        table, discarded = cached_table(cached, video_sha, model_sha, settings_dict)
        if table is not None:
            meta = table_metadata(table)
            meta["video"].update(path=str(video), name=video.name)
            log_step(meta, "pose", cache_hit=True, settings=settings_dict)
            set_metadata(table, meta)
            _require_person(table, video)
            return PoseRun(table, True, cached)

    if on_start is not None:
        on_start(frames_expected(info, settings))
    found = backend.run(video, model_path, settings, progress, frame_sink)
    poses = found.poses
    if not poses:
        raise LumbopelvicError(f"no frame of {video.name} lies between --start and --end")
    metadata = {
        "format": "lumbopelvic.landmarks",
        "format_version": POSE_FORMAT_VERSION,
        "package_version": __version__,
        "video": {"path": str(video), "name": video.name, "sha256": video_sha, **info.to_dict()},
        "model": {"name": settings.model, "path": str(model_path), "sha256": model_sha},
        "settings": settings_dict,
        "subject_selection": describe_subject(settings.subject),
        **found.provenance,
        "coordinates": "pixels of the upright frame, origin top-left, y down",
    }
    log_step(metadata, "pose", cache_hit=False, settings=settings_dict, cache_discarded=discarded)
    table = pose_table(poses, metadata)
    if use_cache:
        write_parquet(table, cached)
    _require_person(table, video)
    return PoseRun(table, False, cached if use_cache else None)


def frames_expected(info: VideoInfo, settings: PoseSettings) -> int:
    """Frames pose inference will see: the video's, or its share within the range (0: unknown)."""
    if settings.start is None and settings.end is None:
        return info.n_frames_expected
    if info.duration_s <= 0 or info.nominal_fps <= 0:
        return 0
    end = min(settings.end if settings.end is not None else info.duration_s, info.duration_s)
    return max(1, round((end - (settings.start or 0.0)) * info.nominal_fps))


def cached_table(
    path: Path, video_sha: str, model_sha: str, settings: dict[str, object]
) -> tuple[pd.DataFrame | None, str | None]:
    """A cached landmark table, checked to be readable and to belong to this video, model and
    settings; an entry that is not is deleted (it will be recomputed).

    Returns
    -------
    table
        The table, or None when the entry was unusable.
    reason
        Why the entry was discarded (None when it was used).
    """
    try:
        table = read_parquet(path)
        meta = table_metadata(table)
        # The model is named by its content (its hash), not by the name or path it was given.
        expected = {
            "video": video_sha,
            "model": model_sha,
            "format": POSE_FORMAT_VERSION,
            "settings": {**settings, "model": None},
        }
        found = {
            "video": meta.get("video", {}).get("sha256"),
            "model": meta.get("model", {}).get("sha256"),
            "format": meta.get("format_version"),
            "settings": {**meta.get("settings", {}), "model": None},
        }
        wrong = [name for name in expected if found[name] != expected[name]]
        if wrong:
            reason = f"the cache entry belongs to another {wrong[0]}"
        else:
            validate_landmark_table(table, path.name)
            return table, None
    except (LumbopelvicError, OSError, ValueError, KeyError, TypeError) as error:
        reason = f"the cache entry was unreadable ({str(error).splitlines()[0][:120]})"
    path.unlink(missing_ok=True)
    return None, reason


def _require_person(table: pd.DataFrame, video: Path) -> None:
    if not (table["n_people"] > 0).any():
        raise LumbopelvicError(f"no person was detected in any frame of {video.name}")
