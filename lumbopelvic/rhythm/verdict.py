"""The trial-level verdict: can this recording be analysed, and if not, why and how to film it.

The verdict is a :class:`lumbopelvic.core.summaries.Verdict`:

``analysable``      the task's movement was found and the pelvis/lumbar split is confident
                    over most of it;
``trunk-only``      the movement was found, but the split is not supported (view too far off
                    the side, the back's outline hidden by clothing, arms or a load, a
                    posture unlike the estimator's training) over most of it: the trunk
                    and knee angles stand; pelvis, lumbar and hip (pelvis against thigh) do not;
``not-analysable``  no person, a frontal view, or no movement of the requested task.

Each reason is a plain sentence, each with its advice on filming.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lumbopelvic.core.tasks import task_named
from lumbopelvic.core.verdict import Assessment, Verdict
from lumbopelvic.kinematics.confidence import FACTOR_NAMES
from lumbopelvic.kinematics.settings import LOW_CONFIDENCE
from lumbopelvic.rhythm.repetitions import Repetition

# A view this far off the side shows the person's front or back: no sagittal angle stands.
FRONTAL_YAW_DEG = 65.0
# The split must be confident in at least this share of the movement's frames.
MIN_CONFIDENT_SHARE = 0.5
# Below this share of frames with a person, the recording is not analysable.
MIN_PERSON_SHARE = 0.3
# What each confidence factor means when it is the one that fails, and what to do about it.
FACTOR_REASONS = {
    "landmark": (
        "the body is poorly seen (dim light, parts out of frame or hidden)",
        "Film in good light with the whole body, head to feet, in the frame.",
    ),
    "outline": (
        "the back's outline is hidden (loose clothing, hair, arms or an object over the back)",
        "Ask for fitted clothing with the top tucked in, hair tied up, and nothing behind the"
        " back.",
    ),
    "view": (
        "the camera is too far off the side view to read the back",
        "Film square to the side: the phone's screen parallel to the person's side.",
    ),
    "stance": (
        "the legs are apart (a stride or a lunge), which hides the pelvis",
        "Keep the feet together, hip-width apart, during the movement.",
    ),
    "familiarity": (
        "the posture, clothing or props are unlike anything the estimator was trained on",
        "Film the movement in fitted clothing against a plain background, without props.",
    ),
    "agreement": (
        "independent estimates of the pelvis/lumbar split disagree, so neither can be trusted"
        " (often a load, a plate or an arm over the hips)",
        "Film from the side with the hips and lower back in clear view, nothing in front of them.",
    ),
    "plausibility": (
        "the pelvis and lumbar readings jump in ways a body cannot move",
        "Make sure only one person is in view and nothing passes in front of the camera.",
    ),
}
# The advice where a load in the hands belongs to the task (a lift): keep the load.
LOADED_ADVICE = {
    "familiarity": "Film the lift in fitted clothing against a plain background; the load in "
    "the hands is expected.",
}


def movement_frames(repetitions: list[Repetition], n: int) -> np.ndarray:
    """Boolean mask of the frames inside any repetition (all frames if none)."""
    mask = np.zeros(n, dtype=bool)
    for rep in repetitions:
        mask[rep.start : rep.stop] = True
    return mask if mask.any() else np.ones(n, dtype=bool)


def trial_verdict(
    angles: pd.DataFrame,
    repetitions: list[Repetition],
    quality: dict[str, Any],
    task: str,
) -> Assessment:
    """The verdict of a trial, its reasons, advice and the share of confident frames.

    Parameters
    ----------
    angles
        The angle table (``confidence`` and, when measured here, the ``<name>_factor``
        columns of :mod:`lumbopelvic.kinematics.confidence`).
    repetitions
        The repetitions found for ``task``.
    quality
        The angle step's capture quality (``yaw_deg``, ``split_supported``, ...).
    task
        The movement asked for.
    """
    reasons: list[str] = []
    advice: list[str] = []
    n = len(angles)
    person_share = float(angles["trunk_deg"].notna().mean()) if n else 0.0
    yaw = _finite(quality.get("yaw_deg"))
    # The image-based view angle saturates near 55 deg; the 3D landmarks tell a front view.
    view = np.nanmax([yaw, _finite(quality.get("world_yaw_deg")), -1.0])
    frontal = bool(view >= FRONTAL_YAW_DEG)
    if person_share < MIN_PERSON_SHARE:
        reasons.append(f"a person was seen in only {100 * person_share:.0f} % of the frames")
        advice.append("Film the whole body, head to feet, for the whole recording.")
    if frontal:
        reasons.append(
            f"the camera faces the person (about {view:.0f}° off the side view): a forward"
            " bend cannot be measured from the front or the back"
        )
        advice.append(FACTOR_REASONS["view"][1])
    whole = [r for r in repetitions if r.going_complete or r.return_complete]
    if repetitions and not whole:
        reasons.append(
            f"no whole {task} movement was found: only parts cut off by the start or end of"
            " the recording"
        )
        advice.append("Start recording before the movement and stop after it.")
    if not repetitions:
        reasons.append(f"no {task} movement was found in this recording")
        advice.append(
            f"Record the {task} itself: stand still for a second, then do 2-5 repetitions."
        )
    if reasons:
        return _verdict(Verdict.NOT_ANALYSABLE, reasons, advice, 0.0)
    during = movement_frames(repetitions, n)
    confident = (angles["confidence"].to_numpy(float) >= LOW_CONFIDENCE) & angles[
        "pelvis_deg"
    ].notna().to_numpy()
    share = float(confident[during].mean())
    if not quality.get("split_supported", True):
        reasons.append(
            f"the view is about {yaw:.0f}° off the side: the back's outline cannot be read, so"
            " only the trunk and knee are measured"
        )
        advice.append(FACTOR_REASONS["view"][1])
        return _verdict(Verdict.TRUNK_ONLY, reasons, advice, share)
    if share < MIN_CONFIDENT_SHARE:
        weakest = weakest_factors(angles, during)
        reasons.append(
            f"the pelvis/lumbar split is confident in only {100 * share:.0f} % of the movement: "
            + "; ".join(FACTOR_REASONS[name][0] for name in weakest)
        )
        loaded = task_named(task).load_expected
        advice.extend(
            LOADED_ADVICE.get(name, FACTOR_REASONS[name][1]) if loaded else FACTOR_REASONS[name][1]
            for name in weakest
        )
        return _verdict(Verdict.TRUNK_ONLY, reasons, advice, share)
    return _verdict(Verdict.ANALYSABLE, reasons, advice, share)


def weakest_factors(angles: pd.DataFrame, during: np.ndarray) -> list[str]:
    """The confidence factors that fall short over the movement, worst first (at most two)."""
    means = {
        name: float(np.nanmean(angles[f"{name}_factor"].to_numpy(float)[during]))
        for name in FACTOR_NAMES
        if f"{name}_factor" in angles
    }
    ranked = sorted((value, name) for name, value in means.items())
    short = [name for value, name in ranked if value < 0.8][:2]
    return short or [name for _, name in ranked[:1]] or ["landmark"]


def _finite(value: Any) -> float:
    return float(value) if value is not None and np.isfinite(value) else float("nan")


def _verdict(verdict: Verdict, reasons: list[str], advice: list[str], share: float) -> Assessment:
    return Assessment(verdict, tuple(reasons), tuple(dict.fromkeys(advice)), round(share, 3))
