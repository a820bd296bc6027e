"""Marker mode: the stickers' split laid over the markerless angles where the client wears
them. It runs only when stickers are asked for (:func:`lumbopelvic.workflows.sources.angle_table`).

``stickers`` (an angle setting): ``auto`` looks for stickers in the first frames and uses them
when found; ``on`` expects them and says so when they are not found; ``off`` never looks (and
this module is not run). Without the video (a landmark table as input) only the markerless
split is possible. The video is decoded up to the last of the first
:data:`~lumbopelvic.pose.stickers.SEARCH_FRAMES` frames with a person to find the stickers'
colour, then once more whole to track them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from lumbopelvic.core.outline_codec import decode_outline
from lumbopelvic.core.provenance import set_metadata, table_metadata
from lumbopelvic.io.video import iter_table_frames
from lumbopelvic.kinematics.angles import facing_and_standing
from lumbopelvic.kinematics.person_tracks import keep_main_track
from lumbopelvic.kinematics.sagittal import midpoint
from lumbopelvic.kinematics.settings import AngleSettings
from lumbopelvic.kinematics.sticker_angles import NEEDED, apply_stickers, sticker_estimate
from lumbopelvic.pose.sticker_tracking import track_stickers
from lumbopelvic.pose.stickers import (
    SEARCH_FRAMES,
    BackFrame,
    count_stickers,
    find_sticker_hue,
    find_sticker_hue_of_any_count,
    placement_problem,
    to_hsv,
)

NEEDS_VIDEO = "stickers are read on the video's frames: the markerless split is used"
NOT_FOUND = (
    "no stickers were found on the back (three round, vivid stickers over S2, L3 and L1 are "
    "needed, filmed from a little behind the side view): the markerless split is used"
)


def back_frames(table: pd.DataFrame, facing: int) -> list[BackFrame]:
    """Per frame of a landmark table, where the back is (mid-hip, mid-shoulder, facing,
    silhouette outline)."""
    hips, shoulders = midpoint(table, "hip"), midpoint(table, "shoulder")
    outlines = [decode_outline(text) for text in table["silhouette_px"]]
    return [BackFrame(h, s, facing, o) for h, s, o in zip(hips, shoulders, outlines, strict=True)]


def with_stickers(
    angles: pd.DataFrame, table: pd.DataFrame, settings: AngleSettings, video: Path | None
) -> pd.DataFrame:
    """The markerless ``angles`` of the landmark ``table``, measured at skin stickers where
    they are found (``settings.stickers`` is ``auto`` or ``on``).

    The provenance's ``stickers`` entry says what was found and used (or why not).
    """
    meta = table_metadata(angles)
    if video is None:
        return _note(angles, meta, settings, NEEDS_VIDEO)
    facing, standing = facing_and_standing(angles)
    main, _ = keep_main_track(table)
    backs = back_frames(main, facing)
    person = [i for i, back in enumerate(backs) if back.valid][:SEARCH_FRAMES]
    samples = []
    if person:
        wanted = set(person)
        for row, frame in iter_table_frames(video, main["frame"].to_numpy()[: person[-1] + 1]):
            if row in wanted:
                samples.append((to_hsv(frame.rgb), backs[row]))
    hue = find_sticker_hue(samples)
    if hue is None:
        return _note(angles, meta, settings, _why_not_found(samples, settings))
    count = count_stickers(samples, hue)
    if count != len(NEEDED):
        found = f"{count} stickers were found" if count != 1 else "one sticker was found"
        why = (
            f"{found}: three are needed (over S2, L3 and L1) to measure the pelvis; the "
            "markerless split is used"
        )
        return _note(angles, meta, settings, why, True)
    names = NEEDED
    frames = ((f.time_s, f.rgb) for _, f in iter_table_frames(video, main["frame"].to_numpy()))
    stickers = track_stickers(frames, backs, hue, names)
    if len(stickers) != len(main):
        stickers = stickers.reindex(range(len(main)))
        for name in names:
            stickers[f"{name}_confidence"] = stickers[f"{name}_confidence"].fillna(0.0)
    problem = placement_problem(stickers, backs, names)
    if problem is not None:
        return _note(angles, meta, settings, f"{problem}: the markerless split is used", True)
    return apply_stickers(
        angles, sticker_estimate(stickers, names, hue, facing, standing), settings
    )


def _why_not_found(samples: list, settings: AngleSettings) -> str:
    """Why no stickers were taken: none seen, only one, or more than three (asked for only)."""
    if settings.stickers != "on":
        return NOT_FOUND
    hue = find_sticker_hue_of_any_count(samples)
    count = count_stickers(samples, hue) if hue is not None else 0
    if count == 1:
        return (
            "only one sticker was found on the back: three are needed (over S2, L3 and L1); "
            "the markerless split is used"
        )
    if count > 3:
        return (
            f"{count} vivid spots of one colour were found on the back: use three stickers of "
            "a colour found nowhere else on the clothing; the markerless split is used"
        )
    return NOT_FOUND


def _note(
    angles: pd.DataFrame, meta: dict, settings: AngleSettings, why: str, found: bool = False
) -> pd.DataFrame:
    """The markerless table with the reason stickers were not used (in the advice when they
    were asked for or found)."""
    meta["stickers"] = {"found": found, "used": False, "asked": settings.stickers, "note": why}
    if settings.stickers == "on" or found:
        quality = meta.setdefault("quality", {})
        quality["advice"] = [*quality.get("advice", []), why]
    angles["pelvis_source"] = np.where(angles["pelvis_deg"].notna(), "outline", "")
    return set_metadata(angles, meta)
