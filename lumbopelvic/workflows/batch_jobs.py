"""The videos of a batch: collected from folders, globs and a manifest; each run in isolation.

A job is skipped on a re-run when its folder's ``done.json`` records the same video content
and settings (:func:`is_done`).
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lumbopelvic.core.errors import LumbopelvicError, os_error_line
from lumbopelvic.core.provenance import table_metadata
from lumbopelvic.core.verdict import Verdict
from lumbopelvic.core.version import __version__
from lumbopelvic.io.atomic import write_text_atomic
from lumbopelvic.io.hashing import sha256_file
from lumbopelvic.io.layout import ANALYZE, BATCH_DONE_MARKER, BATCH_VIDEOS_DIR
from lumbopelvic.io.ownership import mark_owned
from lumbopelvic.workflows.batch_manifest import ManifestRow, read_manifest, same_video_clash
from lumbopelvic.workflows.settings import AnalysisSettings

VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm")


@dataclass(frozen=True)
class Job:
    """One video to analyse, its manifest metadata and per-video setting overrides."""

    video: str
    name: str
    metadata: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)


def _slug(path: Path) -> str:
    """``<stem>_<8 hex of the full path>``; a name that is not UTF-8 keeps its readable part."""
    digest = hashlib.sha256(os.fsencode(path.resolve())).hexdigest()[:8]
    stem = os.fsencode(path.stem).decode("utf-8", errors="replace")
    return f"{stem}_{digest}"


def collect_jobs(
    inputs: Iterable[str], manifest: Path | None, defaults: dict[str, Any]
) -> list[Job]:
    """Jobs from folders, files, globs and an optional manifest CSV.

    The manifest has a ``video`` column (paths relative to the manifest's folder allowed);
    the optional columns ``task``, ``model``, ``subject_height_m``, ``start`` and ``end``
    (seconds or mm:ss) override the batch settings for that video, every other column
    (subject, session, condition, side, ...) is metadata copied into the tables
    (:mod:`.batch_manifest`).

    Each video is one trial named ``<file name>_<hash of its path>``. A video that manifest
    rows list more than once with different settings (other ``start``/``end``, another
    ``task``...) is one trial per row, each named with a short hash of its row's settings
    added; rows of one video with the same settings are refused, naming both rows. A video
    given on the command line and in the manifest is analysed once, with its manifest row.

    Raises
    ------
    LumbopelvicError
        For no video, an unreadable manifest, a row whose settings are invalid or two rows
        with the same video and settings: one line naming the rows.
    """
    found = _unique(_command_line_videos(inputs))
    rows = read_manifest(manifest) if manifest is not None else []
    if not found and not rows:
        raise LumbopelvicError("no input videos: give folders, files, globs or --manifest")
    source = manifest.name if manifest is not None else "manifest"
    _refuse_clash(rows, source)
    listed = {row.video.resolve() for row in rows}
    jobs = [
        _job(path, _slug(path), {}, {}, defaults) for path in found if path.resolve() not in listed
    ]
    repeated = _repeated(rows)
    for row in rows:
        name = _slug(row.video)
        if row.video.resolve() in repeated:
            name = f"{name}_{row.settings_digest}"
        try:
            jobs.append(_job(row.video, name, row.metadata, row.overrides, defaults))
        except LumbopelvicError as error:
            raise LumbopelvicError(f"{source} row {row.number}: {error}") from None
    return jobs


def _command_line_videos(inputs: Iterable[str]) -> list[Path]:
    """The videos of folders, files and glob patterns, in the order given."""
    found: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in VIDEO_SUFFIXES)
        elif path.exists():
            found.append(path)
        else:
            matches = sorted(Path(p) for p in glob.glob(item) if Path(p).is_file())
            if not matches:
                raise LumbopelvicError(f"no video matches {item}")
            found += matches
    return found


def _refuse_clash(rows: list[ManifestRow], source: str) -> None:
    """Raise, naming both rows, when two manifest rows give one video the same settings."""
    clash = same_video_clash(rows)
    if clash is not None:
        first, second = clash
        raise LumbopelvicError(
            f"{source} rows {first.number} and {second.number} list the same video "
            f"({first.video.name}) with the same settings: remove one row, or give each its "
            "own task or start/end to analyse both"
        )


def _job(
    path: Path,
    name: str,
    metadata: dict[str, str],
    overrides: dict[str, Any],
    defaults: dict[str, Any],
) -> Job:
    """A job; its settings checked now, so an unknown task stops the batch up front."""
    settings = {**defaults, **overrides}
    AnalysisSettings.from_options(**settings)
    # Absolute paths: the tables name each video whatever folder the batch ran from.
    return Job(os.path.abspath(path), name, metadata, settings)


def _unique(paths: list[Path]) -> list[Path]:
    """``paths`` without repeats of one file (a folder and a glob that both hold it)."""
    seen: set[Path] = set()
    unique = []
    for path in paths:
        if path.resolve() not in seen:
            seen.add(path.resolve())
            unique.append(path)
    return unique


def _repeated(rows: list[ManifestRow]) -> set[Path]:
    """The videos that more than one manifest row lists."""
    counts = Counter(row.video.resolve() for row in rows)
    return {video for video, count in counts.items() if count > 1}


def settings_key(video_sha: str, settings: dict[str, Any]) -> str:
    text = json.dumps({"video": video_sha, "settings": settings, "v": __version__}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def is_done(job: Job, out_dir: Path) -> bool:
    """Whether the video was already analysed with the same content and settings."""
    marker = out_dir / BATCH_VIDEOS_DIR / job.name / BATCH_DONE_MARKER
    if not marker.is_file():
        return False
    try:
        done = json.loads(marker.read_text(encoding="utf-8"))
        return done.get("key") == settings_key(sha256_file(job.video), job.settings)
    except (OSError, ValueError):
        return False


def run_job(job: Job, out_dir: str) -> dict[str, Any]:
    """Analyse one video (in a worker process or on a Dask worker); never raises.

    Returns
    -------
    dict
        ``{"name", "video", "ok", "reason", "frames", "repetitions", "status", "verdict"}``;
        ``status`` is ``analysed``, ``no-repetitions`` or ``failed``.
    """
    from lumbopelvic.workflows.analyze import analyze

    target = Path(out_dir) / BATCH_VIDEOS_DIR / job.name
    try:
        settings = job.settings
        result = analyze(job.video, target, AnalysisSettings.from_options(**settings))
        video_sha = table_metadata(result.angles)["source"]["video"]["sha256"]
        done = {
            # The pose step already hashed the video (it is in the provenance): no second read.
            "key": settings_key(video_sha, settings),
            "video": job.video,
            "metadata": job.metadata,
            "settings": settings,
        }
        # The done marker is the batch's, written into the analysis's folder: listed first,
        # so a stop between the two never leaves it foreign to the folder's marker.
        mark_owned(target, ANALYZE, pending=[BATCH_DONE_MARKER])
        write_text_atomic(target / BATCH_DONE_MARKER, json.dumps(done, indent=2))
        return {
            "name": job.name,
            "video": job.video,
            "ok": True,
            "reason": "",
            "frames": len(result.angles),
            "repetitions": result.summary.found,
            "unit": result.summary.unit,
            "status": "analysed" if result.summary.has_movement else "no-repetitions",
            "verdict": result.summary.verdict.value,
        }
    except LumbopelvicError as error:
        return failed_job(job, str(error))
    except OSError as error:  # a full disk, a folder gone: the system's reason, in words
        return failed_job(job, os_error_line(error))
    except Exception as error:  # one bad video must not stop the batch
        return failed_job(job, f"internal error: {type(error).__name__}: {error}")


def failed_job(job: Job, reason: str) -> dict[str, Any]:
    """The result of a job that failed, for ``reason``."""
    return {
        "name": job.name,
        "video": job.video,
        "ok": False,
        "reason": reason,
        "frames": 0,
        "repetitions": 0,
        "status": "failed",
        "verdict": Verdict.NOT_ANALYSABLE.value,
    }
