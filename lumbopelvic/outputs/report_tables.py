"""The report's tables in plain words: every cell already text, every measure explained once.

Each function takes the analysis (repetition rows, summary) and returns a
:class:`~lumbopelvic.outputs.report_words.Table`; ``seen`` collects the measures already
explained higher up the page so an explanation appears on first use only. A phase whose
pelvis/lumbar split is not confident shows "uncertain" in place of its split values, as the
summary leaves it out.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lumbopelvic.core.summaries import TrialSummary
from lumbopelvic.kinematics.sticker_angles import sticker_vs_markerless
from lumbopelvic.outputs.report_text import quality_rows
from lumbopelvic.outputs.report_words import (
    MISSING,
    Table,
    bin_header,
    explanations,
    header,
    measure_value,
    number,
    phase_words,
    repetition_label,
)
from lumbopelvic.rhythm.stands import STAND_COLUMNS
from lumbopelvic.rhythm.summary import RhythmSummary
from lumbopelvic.rhythm.timing import TIMING_KEYS

# The measures resting on the pelvis/lumbar split, as the repetition table shows them.
SPLIT_KEYS = (
    "peak_pelvis_deg",
    "peak_lumbar_deg",
    "lumbar_contribution_pct",
    "peak_hip_deg",
    "marp_deg",
)
TECHNICAL_KEYS = [
    "pelvis_onset_s",
    "lumbar_onset_s",
    "pelvis_lag_ms",
    *TIMING_KEYS,
    "mean_confidence",
    "low_confidence",
]
VARIABILITY_KEYS = (
    "peak_trunk_deg",
    "peak_pelvis_deg",
    "peak_lumbar_deg",
    "lumbar_contribution_pct",
)
UNCERTAIN = "uncertain"
CUT_OFF = "cut off"
CUT_OFF_MEANS = (
    "the recording starts or ends inside this phase (before the movement began or before it "
    "ended), so the phase is not analysed; the whole phases of the same repetition are."
)


def directional_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of the going and returning phases (not the hold)."""
    return rows[rows["phase"].isin(rows["phase"].unique()[[0, 2]])] if len(rows) else rows


def _cell(row: pd.Series, key: str) -> str:
    if not _whole(row):
        return MISSING
    if key in SPLIT_KEYS and bool(row.get("low_confidence", False)):
        return UNCERTAIN
    return measure_value(key, row.get(key))


def _whole(row: pd.Series) -> bool:
    return bool(row.get("complete", True))


def _label(row: pd.Series) -> str:
    """``Repetition 1, lifting``; ``(cut off)`` after a phase the recording cuts."""
    label = repetition_label(row["rep"], row["phase"])
    return label if _whole(row) else f"{label} ({CUT_OFF})"


def _cut_explained(rows: pd.DataFrame) -> list[tuple[str, str]]:
    """The explanation of ``cut off``, when a row is."""
    if not len(rows) or rows["complete"].astype(bool).all():
        return []
    return [(CUT_OFF, CUT_OFF_MEANS)]


def repetition_table(rows: pd.DataFrame, split: bool, seen: set[str]) -> Table:
    """One line per repetition and phase: the peaks, the share, duration, speed, coordination."""
    keys = [
        "peak_trunk_deg",
        *(SPLIT_KEYS[:4] if split else ()),
        "duration_s",
        "peak_trunk_velocity_deg_s",
        *(["marp_deg"] if split else []),
    ]
    directional = directional_rows(rows)
    body = [[_label(row), *(_cell(row, key) for key in keys)] for _, row in directional.iterrows()]
    explained = [*explanations(keys, seen), *_cut_explained(directional)]
    return Table(["Repetition and phase", *map(header, keys)], body, explained)


# The stand table shows each stand's columns but the trunk's (the pelvis's share says it).
STAND_KEYS = tuple(column for column in STAND_COLUMNS if column != "trunk_at_seat_off_deg")
# Stand measures read from the pelvis: "uncertain" where its split is not confident.
STAND_SPLIT_KEYS = STAND_KEYS[5:]


def stands_table(rows: pd.DataFrame, seen: set[str]) -> Table:
    """One line per whole stand (a sit-to-stand counted as clinicians count it): its timing,
    seat-off and the pelvis's part in the lean before it."""
    stands = rows[(rows["phase"] == rows["phase"].unique()[2]) & rows["complete"].astype(bool)]
    body = [
        [
            str(k + 1),
            *(
                UNCERTAIN
                if key in STAND_SPLIT_KEYS and bool(row["low_confidence"])
                else measure_value(key, row.get(key))
                for key in STAND_KEYS
            ),
        ]
        for k, (_, row) in enumerate(stands.iterrows())
    ]
    return Table(["Stand", *map(header, STAND_KEYS)], body, explanations(list(STAND_KEYS), seen))


def bins_table(rows: pd.DataFrame, seen: set[str]) -> Table:
    """The lower-back share in 30° bands of trunk bend, per repetition and phase."""
    bins = [c for c in rows.columns if c.startswith("lumbar_contribution_") and c.endswith("_pct")]
    directional = directional_rows(rows)
    bins = [c for c in bins if directional[c].notna().any()]
    body = [
        [
            _label(row),
            *(
                MISSING
                if not _whole(row)
                else UNCERTAIN
                if row["low_confidence"]
                else number(row[c])
                for c in bins
            ),
        ]
        for _, row in directional.iterrows()
    ]
    return Table(
        ["Repetition and phase", *map(bin_header, bins)],
        body,
        explanations(["lumbar_contribution_pct"], seen),
    )


def variability_table(summary: RhythmSummary, split: bool, seen: set[str]) -> Table:
    """Average, spread (SD) and spread as a % of the average over repetitions, per phase."""
    body = []
    keys = [key for key in VARIABILITY_KEYS if split or key == "peak_trunk_deg"]
    for phase, metrics in summary.phases.items():
        for key in keys:
            if key not in metrics:
                continue
            v = metrics[key]
            decimals = 1 if key != "lumbar_contribution_pct" else 0
            body.append(
                [
                    phase_words(phase),
                    header(key),
                    number(v.mean, decimals),
                    number(v.sd, 1),
                    number(v.cv_pct),
                    str(v.n),
                ]
            )
    headers = [
        "Phase",
        "Measure",
        "Average",
        "Spread (SD, same unit)",
        "Spread (% of average)",
        "Repetitions used",
    ]
    explained = [
        (
            "Spread (SD)",
            "the standard deviation across repetitions: how much one repetition "
            "differed from the next, in the measure's own unit.",
        ),
        (
            "Spread (% of average)",
            "the same spread as a percentage of the average (coefficient of variation).",
        ),
        *explanations(keys, seen),
    ]
    return Table(headers, body, explained)


def technical_table(rows: pd.DataFrame, seen: set[str]) -> Table:
    """Onsets, lags and confidence: one line per measure, one column per repetition and phase."""
    directional = directional_rows(rows)
    columns = [
        f"Rep {row['rep']}, {phase_words(row['phase'])}" + ("" if _whole(row) else f" ({CUT_OFF})")
        for _, row in directional.iterrows()
    ]
    body = [
        [
            header(key),
            *(
                measure_value(key, row.get(key)) if _whole(row) else MISSING
                for _, row in directional.iterrows()
            ),
        ]
        for key in TECHNICAL_KEYS
        if key in directional
    ]
    return Table(["Measure", *columns], body, explanations(TECHNICAL_KEYS, seen))


def quality_table(quality: dict[str, Any]) -> Table:
    """The capture-quality lines (view angle, roll, framing, confidence, where measured)."""
    body = [
        [label, MISSING if value in ("-", "") else value] for label, value in quality_rows(quality)
    ]
    return Table(["Capture", "Value"], body)


def sticker_table(angles: pd.DataFrame) -> Table:
    """Peaks with the skin stickers and with the markerless split, and their RMS gap (°)."""
    found = sticker_vs_markerless(angles)
    names = {"pelvis": "Pelvis tilt", "lumbar": "Lower-back bend", "trunk": "Trunk bend"}
    body = [
        [
            names.get(row["angle"], row["angle"]),
            number(row["stickers peak"], 1),
            number(row["markerless peak"], 1),
            number(row["RMS gap"], 1),
        ]
        for _, row in found.iterrows()
    ]
    return Table(
        [
            "Angle",
            "Peak with stickers (°)",
            "Peak without stickers (°)",
            "Root-mean-square gap (°)",
        ],
        body,
    )


def provenance_table(summary: TrialSummary, report_date: str) -> Table:
    """Software, input, models, settings and date: what it takes to reproduce the report."""
    provenance = summary.provenance
    source = provenance.get("input", {})
    model = provenance.get("pose_model", {})
    split_model = provenance.get("pelvis_model", {})
    settings = provenance.get("settings", {})
    shown = {k: v for k, v in settings.items() if k not in ("client", "notes")}
    body = [
        ["Software", f"lumbopelvic {provenance.get('package_version', MISSING)}"],
        ["Analysed on", report_date],
        ["Recording", str(source.get("name", MISSING))],
        ["Recording fingerprint (SHA-256)", str(source.get("sha256", MISSING))],
        ["Recording size and rate", _video_text(source)],
        ["Pose model", f"MediaPipe Pose Landmarker {model.get('name', MISSING)}"],
        [
            "Pelvis/lower-back model",
            f"fitted {split_model.get('fitted', MISSING)}"
            if isinstance(split_model, dict)
            else MISSING,
        ],
        ["Settings", ", ".join(f"{k} = {_setting_text(v)}" for k, v in shown.items()) or MISSING],
    ]
    return Table(["Item", "Value"], body)


def _video_text(source: dict[str, Any]) -> str:
    if "width" not in source:
        return MISSING
    fps = number(source.get("nominal_fps"))
    return (
        f"{source['width']} \u00d7 {source['height']} pixels, {fps}"
        f" frames per second, {number(source.get('duration_s'), 1)} s"
    )


def _setting_text(value: object) -> str:
    if value is None:
        return "not set"
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    return str(value)
