"""The report's words: capture-quality lines and a plain-language summary (no diagnosis).

Shared by the HTML and the PDF report, so both say the same thing.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lumbopelvic.core.wording import plural
from lumbopelvic.outputs.report_words import MISSING, number, points


def quality_rows(quality: dict[str, Any]) -> list[tuple[str, str]]:
    """Capture-quality lines shown first in the HTML and the PDF report."""
    return [
        ("view angle off a true side view", _degrees(quality.get("yaw_deg"))),
        ("camera roll / lean while standing", _degrees(quality.get("roll_deg"))),
        ("whole body in frame", f"{100 * quality.get('in_frame_fraction', 0):.0f} % of frames"),
        (
            "median confidence of the pelvis/lumbar split",
            f"{quality.get('median_confidence', 0):.2f}",
        ),
        (
            "pelvis and lumbar spine measured at",
            quality.get("pelvis_lumbar_source", "the back's outline (no stickers)"),
        ),
    ]


def _degrees(value: float | None) -> str:
    if value is None or not np.isfinite(value):
        return MISSING
    return f"{number(value)}°"


def plain_summary(summary: dict[str, Any]) -> list[str]:
    """Sentences a practitioner can read aloud (movement only, never a diagnosis).

    They open with the verdict when the trial is not fully analysable, and use only the
    confident pelvis/lumbar figures of the summary (the pelvis lag, not yet validated, is
    left to the technical tables)."""
    reps = summary["repetitions"]
    verdict = summary.get("verdict", "analysable")
    reasons = summary.get("verdict_reasons", [])
    if verdict == "not-analysable" or not reps["found"]:
        because = "; ".join(reasons) or f"no {summary['task']} was found"
        return [
            f"This recording cannot be analysed: {because}.",
            *summary.get("verdict_advice", []),
        ]
    flexion = next(iter(summary["phases"].values()))
    share = flexion["lumbar_contribution_pct"]["mean"]
    trunk = flexion["peak_trunk_deg"]["mean"]
    pelvis = flexion["peak_pelvis_deg"]["mean"]
    lumbar = flexion["peak_lumbar_deg"]["mean"]
    found = plural(reps["found"], "repetition")
    sentences = [
        f"{found} {'was' if reps['found'] == 1 else 'were'} analysed ({reps['complete']} complete)."
    ]
    if verdict == "trunk-only":
        sentences.append(
            "Only the trunk and knee can be read from this recording: "
            + "; ".join(reasons)
            + ". "
            + " ".join(summary.get("verdict_advice", []))
        )
    if None not in (trunk, pelvis, lumbar):
        sentences.append(
            f"At the deepest point the trunk bent about {number(trunk)}° forward: about "
            f"{number(pelvis)}° came from the pelvis tilting and {number(lumbar)}° from the lower "
            "back rounding."
        )
    if share is not None:
        side = (
            "the lower back" if share > 55 else "the pelvis" if share < 45 else "both about equally"
        )
        sentences.append(
            f"The lower back provided about {number(share)} % of the bend, so the movement was "
            f"shared toward {side}; studies of people without back pain report averages near 50 %."
            if side != "both about equally"
            else f"The lower back provided about {number(share)} % of the bend: pelvis and lower "
            "back shared the movement about equally."
        )
    sd = flexion["lumbar_contribution_pct"]["sd"]
    if sd is not None:
        sentences.append(f"From one repetition to the next the share varied by about {points(sd)}.")
    accuracy = summary["measurement_accuracy"]["lumbar_contribution_error_pp"]
    sentences.append(
        "This describes how the movement was performed; it is not a diagnosis. Measurement "
        f"accuracy: lumbar share about ±{points(accuracy)}."
    )
    return sentences
