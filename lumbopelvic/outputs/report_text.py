"""The report's words: capture-quality lines and a plain-language summary (no diagnosis).

Shared by the HTML and the PDF report, so both say the same thing.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lumbopelvic.core.verdict import Assessment, Verdict
from lumbopelvic.core.wording import plural
from lumbopelvic.outputs.report_words import MISSING, Line, number, phase_words, points
from lumbopelvic.rhythm.summary import RhythmSummary


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


def plain_summary(summary: RhythmSummary) -> list[str]:
    """Sentences a practitioner can read aloud (movement only, never a diagnosis).

    They open with the verdict when the trial is not fully analysable, and use only the
    confident pelvis/lumbar figures of the summary (the pelvis lag, not yet validated, is
    left to the technical tables)."""
    reps = summary.repetitions
    verdict = summary.verdict
    reasons = summary.assessment.reasons
    advice = summary.assessment.advice
    if verdict == Verdict.NOT_ANALYSABLE or not reps.found:
        because = "; ".join(reasons) or f"no {summary.task} was found"
        return [f"This recording cannot be analysed: {because}.", *advice]
    share_spread = summary.headline("lumbar_contribution_pct")[1]
    share = share_spread.mean
    trunk = summary.headline("peak_trunk_deg")[1].mean
    pelvis = summary.headline("peak_pelvis_deg")[1].mean
    lumbar = summary.headline("peak_lumbar_deg")[1].mean
    sentences = [found_sentence(summary), *stand_sentences(summary)]
    if verdict == Verdict.TRUNK_ONLY:
        sentences.append(
            "Only the trunk and knee can be read from this recording: "
            + "; ".join(reasons)
            + ". "
            + " ".join(advice)
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
    sd = share_spread.sd
    if sd is not None:
        sentences.append(f"From one repetition to the next the share varied by about {points(sd)}.")
    accuracy = summary.measurement_accuracy["lumbar_contribution_error_pp"]
    sentences.append(
        "This describes how the movement was performed; it is not a diagnosis. Measurement "
        f"accuracy: lumbar share about ±{points(accuracy)}."
    )
    return sentences


def found_sentence(summary: RhythmSummary) -> str:
    """How many repetitions (lifts, stands: the task's unit) were found and how many are
    whole, naming the whole phases analysed of the repetitions the recording cuts (a lift
    from the floor: its lifting phase)."""
    reps = summary.repetitions
    found, unit = summary.found, summary.unit
    was = "was" if found == 1 else "were"
    whole = f"{summary.whole} {'complete' if unit == 'repetition' else 'whole'}"
    if reps.complete == reps.found:
        return f"{plural(found, unit)} {was} analysed ({whole})."
    text = f"{plural(found, unit)} {was} found ({whole})"
    if reps.whole_phases_of_cut:
        phases = ", ".join(
            f"repetition {rep} {phase_words(phase)}" for rep, phase in reps.whole_phases_of_cut
        )
        return (
            f"{text}; of the repetitions the start or end of the recording cuts, the whole "
            f"phases are analysed: {phases}."
        )
    cut = plural(reps.found - reps.complete, "repetition")
    return f"{text}; the start or end of the recording cuts {cut}: only whole phases are analysed."


def stand_sentences(summary: RhythmSummary) -> list[str]:
    """A sit-to-stand as clinicians count it: stands and sits, the five-stand time (or the
    time per stand), and seat-off against the lean and the pelvis (none for other tasks)."""
    stands = summary.stands
    if stands is None:
        return []
    counted = f"{plural(stands.sits, 'whole sit')} {'was' if stands.sits == 1 else 'were'} counted"
    if stands.five_stand_time_s is not None:
        counted += (
            f"; the first five stands took {number(stands.five_stand_time_s, 1)} s, from the "
            "first lean forward to standing after the fifth"
        )
    elif stands.stand_s.mean is not None:
        counted += f"; a whole stand took {number(stands.stand_s.mean, 1)} s on average"
    sentences = [counted + "."]
    lean, pelvis = stands.lean_to_seat_off_s.mean, stands.pelvis_at_seat_off_deg.mean
    share = stands.pelvis_share_at_seat_off_pct.mean
    if lean is not None:
        text = f"The thighs left the seat {number(lean, 1)} s after the trunk began to lean"
        if pelvis is not None and share is not None:
            text += (
                f"; by then the pelvis had tilted forward {number(pelvis)}°, "
                f"{number(share)} % of the trunk's lean"
            )
        sentences.append(text + ".")
    after, before = (
        stands.pelvis_start_after_lean_ms.mean,
        stands.pelvis_start_before_seat_off_ms.mean,
    )
    if after is not None and before is not None:
        sentences.append(
            f"The pelvis began to tilt forward {abs(after):.0f} ms "
            f"{'after' if after >= 0 else 'before'} the trunk began to lean, and "
            f"{abs(before):.0f} ms {'before' if before >= 0 else 'after'} the thighs left the seat."
        )
    accuracy = summary.measurement_accuracy
    if "seat_off_error_ms" in accuracy:
        sentences.append(
            f"On rendered people with known motion, seat-off is timed to about "
            f"{accuracy['seat_off_error_ms']:.0f} ms, the pelvis's start against the lean to "
            f"about {accuracy['pelvis_start_after_lean_error_ms']:.0f} ms, against seat-off to "
            f"about {accuracy['pelvis_start_before_seat_off_error_ms']:.0f} ms and its tilt at "
            f"seat-off to about {number(accuracy['pelvis_at_seat_off_error_deg'])}° (median "
            "errors)."
        )
    return sentences


def verdict_line(assessment: Assessment) -> Line:
    """``<verdict>: <reasons>`` as the command line's first line about a trial."""
    reasons = assessment.reasons
    text = assessment.verdict.value + (": " + "; ".join(reasons) if reasons else "")
    return Line("verdict", text, assessment.verdict.value)


def rhythm_lines(summary: RhythmSummary) -> list[Line]:
    """What the command line says about a trial of repetitions: the verdict, the repetitions
    and the lumbar share, the trial's flags and the advice.

    Only confident values make the headline; the pelvis lag, whose measured error exceeds
    the differences that matter, stays in the files' technical tables."""
    lines = [verdict_line(summary.assessment)]
    reps = summary.repetitions
    if reps.found:
        going, share = summary.headline("lumbar_contribution_pct")
        left = summary.left_out.get(going, 0)
        share_text = (
            f"lumbar share at the deepest point {share.mean:.0f} % "
            f"({plural(share.n, 'confident ' + going + ' phase')})"
            if share.mean is not None
            else "no confident lumbar share"
        )
        skipped = f"; {plural(left, 'low-confidence phase')} left out" if left else ""
        complete = "complete" if summary.unit == "repetition" else "whole"
        found = f"{plural(summary.found, summary.unit)}, {summary.whole} {complete}"
        if summary.stands is not None:
            stands = summary.stands
            found += f", and {plural(stands.sits, 'sit')}"
            if stands.five_stand_time_s is not None:
                found += f"; five stands in {stands.five_stand_time_s:.1f} s"
            elif stands.stand_s.mean is not None:
                found += f"; {stands.stand_s.mean:.1f} s per stand"
        lines.append(Line("found", f"{found}; {share_text}{skipped}."))
    lines += [Line("note", flag) for flag in summary.flags if flag != reps.message]
    lines += [Line("advice", advice) for advice in summary.assessment.advice]
    return lines
