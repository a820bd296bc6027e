"""Landmark table of a video: a pose backend over every frame, or the local cache when it ran
before.

The I/O lives at the edges: a pose backend (:mod:`lumbopelvic.pose.backends`, today
MediaPipe's) decodes the video and runs the model, :mod:`lumbopelvic.pose.landmark_table`
builds the table (pure). The table's columns and
conventions are in :mod:`lumbopelvic.core.landmarks`.
"""

from __future__ import annotations

import contextlib
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
from lumbopelvic.io.cache import cache_key, private_matplotlib_folder, usable_cache_dir
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
    on_note: Callable[[str], None] | None = None,
) -> PoseRun:
    """Landmark table for a video, from the cache when the same video, model and settings ran.

    The cache is optional: when it cannot be used (a read-only or missing home folder, a full
    disk) the run goes on without it and ``on_note`` is told so in one line, once per process
    and problem, before any work.

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
    on_note
        Given a one-line warning (``"warning: ..."``) when the cache is asked for but cannot
        be used.

    Raises
    ------
    LumbopelvicError
        For a missing, unreadable, truncated or empty video, a missing model, a range
        (``settings.start``/``end``) beyond the video, or a video in which no person was found
        in any frame.
    """
    settings = settings or PoseSettings()
    video = Path(video)
    private_matplotlib_folder()  # before MediaPipe loads matplotlib: a home it cannot use
    info = probe_video(video)
    check_range_within(settings.start, settings.end, info.duration_s, video.name)
    backend = BACKENDS[DEFAULT_BACKEND]
    model_path = backend.model_file(settings.model)
    cache = _usable_cache(on_note) if use_cache else None
    if cache is not None:
        video_sha = sha256_file_remembered(video, cache / "hashes")
        model_sha = sha256_file_remembered(model_path, cache / "hashes")
    else:
        video_sha, model_sha = sha256_file(video), sha256_file(model_path)
    settings_dict = asdict(settings)
    cached = _entry(cache, video_sha, model_sha, settings_dict)
    discarded = None
    if cached is not None and cached.is_file():
        table, discarded = cached_table(cached, video_sha, model_sha, settings_dict, info.to_dict())
        if table is not None:
            meta = table_metadata(table)
            meta["video"].update(path=str(video), name=video.name)
            log_step(meta, "pose", cache_hit=True, settings=settings_dict)
            set_metadata(table, meta)
            _require_person(table, video)
            return PoseRun(table, True, cached)
        if cache is not None and discarded == ANOTHER_VIDEO:
            # The remembered digest led to another video's entry: trust the content alone.
            video_sha = sha256_file_remembered(video, cache / "hashes", refresh=True)
            cached = _entry(cache, video_sha, model_sha, settings_dict)

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
    if cached is not None:
        try:
            write_parquet(table, cached)
        except OSError as error:  # the disk filled up or the cache turned read-only meanwhile
            _warn(on_note, f"cannot write {error.filename or cached} ({error.strerror or error})")
            cached = None
    _require_person(table, video)
    return PoseRun(table, False, cached)


def _entry(
    cache: Path | None, video_sha: str, model_sha: str, settings: dict[str, object]
) -> Path | None:
    """Where the cache keeps the table of this video, model and settings (None: no cache)."""
    if cache is None:
        return None
    key = cache_key(
        video=video_sha,
        model=model_sha,
        settings={**settings, "model": None},
        format=POSE_FORMAT_VERSION,
    )
    return cache / "pose" / f"{key}.parquet"


# Cache problems already reported in this process (a batch or a comparison says it once).
_reported: set[str] = set()


def _usable_cache(on_note: Callable[[str], None] | None) -> Path | None:
    """The cache's root, or None (and a warning) when it cannot be used."""
    check = usable_cache_dir()
    if check.path is None:
        _warn(on_note, check.problem or "unknown problem")
    return check.path


def _warn(on_note: Callable[[str], None] | None, problem: str) -> None:
    line = f"warning: pose cache off, nothing is cached this run: {problem}"
    if on_note is not None and line not in _reported:
        _reported.add(line)
        on_note(line)


def frames_expected(info: VideoInfo, settings: PoseSettings) -> int:
    """Frames pose inference will see: the video's, or its share within the range (0: unknown)."""
    if settings.start is None and settings.end is None:
        return info.n_frames_expected
    if info.duration_s <= 0 or info.nominal_fps <= 0:
        return 0
    end = min(settings.end if settings.end is not None else info.duration_s, info.duration_s)
    return max(1, round((end - (settings.start or 0.0)) * info.nominal_fps))


ANOTHER_VIDEO = "the cache entry belongs to another video"


def cached_table(
    path: Path,
    video_sha: str,
    model_sha: str,
    settings: dict[str, object],
    video_info: dict[str, object] | None = None,
) -> tuple[pd.DataFrame | None, str | None]:
    """A cached landmark table, checked to be readable and to belong to this video, model and
    settings; an entry that is not is deleted (it will be recomputed).

    ``video_info`` (:meth:`lumbopelvic.io.video.VideoInfo.to_dict` of the video now) is
    checked too when given: an entry of a video of another size, length or orientation, or
    one read another way (an earlier version, before mirrored pictures and the default of
    several streams were honoured), is not this video's whatever digest led to it.

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
        if video_info is not None and "video" not in wrong:
            seen = meta.get("video", {})
            if any(seen.get(name) != value for name, value in video_info.items()):
                wrong.insert(0, "video")
        if wrong:
            reason = ANOTHER_VIDEO.replace("video", wrong[0])
        else:
            validate_landmark_table(table, path.name)
            return table, None
    except (LumbopelvicError, OSError, ValueError, KeyError, TypeError) as error:
        reason = f"the cache entry was unreadable ({str(error).splitlines()[0][:120]})"
    with contextlib.suppress(OSError):  # a cache that turned read-only: it is not used
        path.unlink(missing_ok=True)
    return None, reason


def _require_person(table: pd.DataFrame, video: Path) -> None:
    if not (table["n_people"] > 0).any():
        raise LumbopelvicError(f"no person was detected in any frame of {video.name}")
