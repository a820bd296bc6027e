"""The videos of a batch: collected from folders, globs and a manifest; each run in isolation.

A job is skipped on a re-run when its folder's ``done.json`` records the same video content
and settings (:func:`is_done`).
"""

from __future__ import annotations

import csv
import glob
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.provenance import table_metadata
from lumbopelvic.core.time_range import parse_time_s
from lumbopelvic.core.verdict import Verdict
from lumbopelvic.core.version import __version__
from lumbopelvic.io.atomic import write_text_atomic
from lumbopelvic.io.hashing import sha256_file
from lumbopelvic.io.layout import BATCH_DONE_MARKER, BATCH_VIDEOS_DIR
from lumbopelvic.workflows.settings import AnalysisSettings

VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm")
# Manifest columns that set a setting per video. A ``subject`` column stays metadata (the
# participant, as manifests use it): --subject applies to the whole batch.
OVERRIDABLE = ("task", "model", "subject_height_m", "start", "end")


@dataclass(frozen=True)
class Job:
    """One video to analyse, its manifest metadata and per-video setting overrides."""

    video: str
    name: str
    metadata: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)


def _slug(path: Path) -> str:
    digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:8]
    return f"{path.stem}_{digest}"


def collect_jobs(
    inputs: Iterable[str], manifest: Path | None, defaults: dict[str, Any]
) -> list[Job]:
    """Jobs from folders, files, globs and an optional manifest CSV.

    The manifest has a ``video`` column (paths relative to the manifest's folder allowed);
    the optional columns ``task``, ``model``, ``subject_height_m``, ``start`` and ``end``
    (seconds or mm:ss) override the batch settings for that video, every other column
    (subject, session, condition, side, ...) is metadata copied into the tables.
    """
    videos: list[tuple[Path, dict[str, str], dict[str, Any]]] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in VIDEO_SUFFIXES)
        elif path.exists():
            found = [path]
        else:
            found = sorted(Path(p) for p in glob.glob(item) if Path(p).is_file())
            if not found:
                raise LumbopelvicError(f"no video matches {item}")
        videos += [(p, {}, {}) for p in found]
    if manifest is not None:
        videos += _manifest_rows(manifest)
    if not videos:
        raise LumbopelvicError("no input videos: give folders, files, globs or --manifest")
    jobs = []
    for path, metadata, overrides in videos:
        settings = {**defaults, **overrides}
        AnalysisSettings.from_options(**settings)  # an unknown task stops the batch up front
        # Absolute paths: the tables name each video whatever folder the batch ran from.
        jobs.append(Job(os.path.abspath(path), _slug(path), metadata, settings))
    return jobs


def _manifest_rows(manifest: Path) -> list[tuple[Path, dict[str, str], dict[str, Any]]]:
    if not manifest.is_file():
        raise LumbopelvicError(f"manifest not found: {manifest}")
    with manifest.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if not rows or "video" not in rows[0]:
        raise LumbopelvicError(f"{manifest.name} needs a 'video' column")
    out = []
    for row in rows:
        video = Path(row.pop("video"))
        video = video if video.is_absolute() else manifest.parent / video
        overrides: dict[str, Any] = {}
        for key in OVERRIDABLE:
            value = (row.pop(key, "") or "").strip()
            if value:
                overrides[key] = _manifest_value(manifest, key, value)
        out.append((video, {k: v for k, v in row.items() if k}, overrides))
    return out


def _manifest_value(manifest: Path, key: str, value: str) -> Any:
    try:
        if key in ("start", "end"):
            return parse_time_s(value)
        return float(value) if key == "subject_height_m" else value
    except ValueError as error:
        what = "a number of metres" if key == "subject_height_m" else "a time"
        raise LumbopelvicError(
            f"{manifest.name}: {key} must be {what}, got {value!r} ({error})"
        ) from None


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
        return _failed(job, str(error))
    except Exception as error:  # one bad video must not stop the batch
        return _failed(job, f"internal error: {type(error).__name__}: {error}")


def _failed(job: Job, reason: str) -> dict[str, Any]:
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
