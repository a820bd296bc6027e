"""Trial-level rhythm summary (``summary.json``): what a researcher reads first.

Schema (version 1; every number carries its unit in its key)
-----------------------------------------------------------
Written from and read into :class:`RhythmSummary` (every reader uses its attributes).

- ``schema``: ``"lumbopelvic.summary"``, ``schema_version``: 1.
- ``task``; ``repetitions``: count found, ``complete`` count, a ``message`` when none, and
  ``whole_phases_of_cut``: the whole phases of repetitions the recording cuts (``rep``,
  ``phase``), analysed like any whole phase; ``returning_phases`` and
  ``whole_returning_phases``: the returning phases that moved, and those wholly recorded
  (what a task counted in lifts or stands counts).
- ``phases``: for each phase with a direction (e.g. ``flexion``, ``return``), the mean, SD
  and coefficient of variation across the whole phases (the ``complete`` rows of
  ``reps.csv``: also the stand-up of a clip that starts seated) of every per-phase metric in
  ``reps.csv`` (``<metric>: {"mean": .., "sd": .., "cv_pct": .., "n": ..}``). Pelvis and
  lumbar metrics use only phases whose split is confident; ``phases_left_out_low_confidence``
  counts the others per phase.
- ``verdict``, ``verdict_reasons``, ``verdict_advice``, ``confident_share``: whether the
  trial can be analysed (:mod:`lumbopelvic.rhythm.verdict`).
- ``coordination``: ``marp_deg`` (mean absolute relative phase, mean over repetitions) and
  ``deviation_phase_deg`` (SD of CRP across repetitions, averaged over the normalised
  repetition).
- ``stands`` (a task counted in stands, :mod:`lumbopelvic.rhythm.stands`): ``stands`` and
  ``sits`` (whole phases), ``five_stand_time_s``, ``seat_off_s`` per stand, and the spread of
  ``stand_s``, ``lean_to_seat_off_s`` and the pelvis's timing against the lean and seat-off.
- ``flags``: plain statements about the trial (bent knees, low confidence, fallback baseline,
  incomplete repetitions).
- ``measurement_accuracy``: median errors of this software measured on synthetic truth.
- ``reference_bands``: the literature values shown beside results, each with its citation;
  context, never targets.
- ``quality``: capture quality and confidence from the angle step.
- ``provenance``: package version, input file name and SHA-256, pose model, every setting of
  every step, processing history.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from lumbopelvic.core.provenance import step_record
from lumbopelvic.core.summaries import (
    SCHEMA,
    SCHEMA_VERSION,
    Spread,
    rounded,
    spread_of,
)
from lumbopelvic.core.tasks import task_named
from lumbopelvic.core.verdict import Assessment, Verdict
from lumbopelvic.core.version import __version__
from lumbopelvic.core.wording import plural
from lumbopelvic.rhythm.counts import RepetitionCounts, count_repetitions, cut_flag
from lumbopelvic.rhythm.metrics import deviation_phase_deg
from lumbopelvic.rhythm.references import (
    LAG_NOTE,
    MEASUREMENT_ACCURACY,
    REFERENCE_BANDS,
    measurement_accuracy,
)
from lumbopelvic.rhythm.stands import StandSummary, stand_summary
from lumbopelvic.rhythm.timing import TIMING_KEYS

DIRECTIONAL_METRICS = (
    "duration_s",
    "peak_trunk_deg",
    "peak_pelvis_deg",
    "peak_lumbar_deg",
    "peak_hip_deg",
    "peak_knee_deg",
    "peak_trunk_velocity_deg_s",
    "lumbar_contribution_pct",
    "lumbar_pelvis_ratio",
    "lumbar_contribution_0_30_pct",
    "lumbar_contribution_30_60_pct",
    "lumbar_contribution_60_90_pct",
    "lumbar_contribution_90_120_pct",
    "lumbar_pelvis_ratio_0_30",
    "lumbar_pelvis_ratio_30_60",
    "lumbar_pelvis_ratio_60_90",
    "lumbar_pelvis_ratio_90_120",
    "pelvis_lag_ms",
    *TIMING_KEYS,
)


UNITS = "degrees, seconds, milliseconds, percent: named in every key"


def is_split_metric(metric: str) -> bool:
    """Whether a metric rests on the pelvis/lumbar split (and so on its confidence): hip
    flexion is the pelvis against the thigh."""
    return "pelvis" in metric or "lumbar" in metric or metric == "peak_hip_deg"


@dataclass(frozen=True)
class Coordination:
    """Mean absolute relative phase (MARP, mean over repetitions) and deviation phase (SD of
    the relative phase across repetitions, averaged over the repetition), degrees."""

    marp_deg: float | None = None
    deviation_phase_deg: float | None = None


@dataclass(frozen=True)
class RhythmSummary:
    """``summary.json`` of a repetition task (see the module docstring for each key).

    Attributes
    ----------
    phases
        Per directional phase (``flexion``, ``return``...), each metric's spread across the
        whole phases; pelvis and lumbar metrics from confident phases only.
    left_out
        Per phase, the phases left out of the pelvis and lumbar figures for a low-confidence
        split (``phases_left_out_low_confidence``).
    quality, stickers, provenance
        The angle step's capture quality, the stickers' record, and the provenance: records
        carried from earlier steps, as JSON-ready dictionaries.
    """

    task: str
    repetitions: RepetitionCounts
    phases: dict[str, dict[str, Spread]]
    left_out: dict[str, int]
    coordination: Coordination
    flags: tuple[str, ...]
    assessment: Assessment
    conventions: str | None = None
    quality: dict[str, Any] = field(default_factory=dict)
    stickers: dict[str, Any] | None = None
    provenance: dict[str, Any] = field(default_factory=dict)
    measurement_accuracy: dict[str, Any] = field(default_factory=lambda: MEASUREMENT_ACCURACY)
    reference_bands: list[dict[str, Any]] = field(default_factory=lambda: REFERENCE_BANDS)
    units: str = UNITS
    stands: StandSummary | None = None

    @property
    def verdict(self) -> Verdict:
        return self.assessment.verdict

    @property
    def unit(self) -> str:
        """What the trial counts: repetitions, lifts or stands (the task's unit)."""
        return task_named(self.task).unit

    @property
    def found(self) -> int:
        """How many of :attr:`unit` the recording holds: repetitions found, or, for a task
        counted in lifts or stands, the returning phases that moved (cut ones included)."""
        if task_named(self.task).counts_returns:
            return self.repetitions.returning_phases
        return self.repetitions.found

    @property
    def has_movement(self) -> bool:
        """Whether the recording holds any repetition of the task, whole or cut (a lowering
        with no lift after it is one)."""
        return self.repetitions.found > 0

    @property
    def whole(self) -> int:
        """How many of :attr:`found` lie wholly inside the recording."""
        if task_named(self.task).counts_returns:
            return self.repetitions.whole_returning_phases
        return self.repetitions.complete

    def phase(self, name: str) -> dict[str, Spread]:
        """The metrics of one phase (empty when the phase has none)."""
        return self.phases.get(name, {})

    def mean(self, phase: str, metric: str) -> float | None:
        """The mean of ``metric`` over the whole phases called ``phase`` (None: none)."""
        return self.phase(phase).get(metric, Spread()).mean

    def headline(self, metric: str) -> tuple[str, Spread]:
        """A per-repetition metric (a peak, the share at the deepest point) over the whole
        phases that carry it: those of what the task counts (the going phases of repetitions;
        the lifting phases of lifts, the stand-ups of stands), or, when none of those is whole
        (a lowering to the floor that the recording stops in), the others. Returns the phase
        used and the spread."""
        task = task_named(self.task)
        order = task.directional_phases[:: -1 if task.counts_returns else 1]
        whole = [p for p in order if self.phase(p).get("duration_s", Spread()).n]
        name = whole[0] if whole else order[0]
        return name, self.phase(name).get(metric, Spread())

    def with_provenance(self, **entries: Any) -> RhythmSummary:
        """A copy whose provenance holds ``entries`` too."""
        return replace(self, provenance={**self.provenance, **entries})

    def to_json(self) -> dict[str, Any]:
        """The ``summary.json`` dictionary (keys in the schema's order)."""
        return {
            "schema": SCHEMA,
            "schema_version": SCHEMA_VERSION,
            "task": self.task,
            "repetitions": self.repetitions.to_json(),
            "phases": {
                name: {metric: spread.to_json() for metric, spread in metrics.items()}
                for name, metrics in self.phases.items()
            },
            "phases_left_out_low_confidence": dict(self.left_out),
            "coordination": {
                "marp_deg": self.coordination.marp_deg,
                "deviation_phase_deg": self.coordination.deviation_phase_deg,
            },
            **({"stands": self.stands.to_json()} if self.stands is not None else {}),
            "flags": list(self.flags),
            "units": self.units,
            "conventions": self.conventions,
            "measurement_accuracy": self.measurement_accuracy,
            "reference_bands": self.reference_bands,
            "quality": self.quality,
            "stickers": self.stickers,
            "provenance": self.provenance,
            **self.assessment.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RhythmSummary:
        """Read a ``summary.json`` dictionary back (as :meth:`to_json` writes it)."""
        reps = data.get("repetitions", {})
        coordination = data.get("coordination", {})
        return cls(
            task=data["task"],
            repetitions=RepetitionCounts.from_json(reps),
            phases={
                name: {metric: Spread.from_json(stats) for metric, stats in metrics.items()}
                for name, metrics in data.get("phases", {}).items()
            },
            left_out={k: int(v) for k, v in data.get("phases_left_out_low_confidence", {}).items()},
            coordination=Coordination(
                coordination.get("marp_deg"), coordination.get("deviation_phase_deg")
            ),
            flags=tuple(data.get("flags", ())),
            assessment=Assessment.from_json(data),
            conventions=data.get("conventions"),
            quality=data.get("quality") or {},
            stickers=data.get("stickers"),
            provenance=data.get("provenance") or {},
            measurement_accuracy=data.get("measurement_accuracy") or MEASUREMENT_ACCURACY,
            reference_bands=data.get("reference_bands") or REFERENCE_BANDS,
            units=data.get("units", UNITS),
            stands=StandSummary.from_json(data["stands"]) if data.get("stands") else None,
        )


def build_summary(
    rows: pd.DataFrame,
    crp: np.ndarray,
    task: str,
    angle_meta: dict[str, Any],
    rhythm_settings: dict[str, Any],
    assessment: Assessment,
    more_flags: tuple[str, ...] = (),
) -> RhythmSummary:
    """The trial's :class:`RhythmSummary` (see the module docstring for what each part holds).

    Parameters
    ----------
    rows, crp
        ``reps.csv`` rows and each repetition's continuous relative phase
        (:func:`lumbopelvic.rhythm.metrics.repetition_rows`).
    task
        The task analysed.
    angle_meta
        The angle table's provenance (quality, standing, conventions, history).
    rhythm_settings
        The rhythm step's settings, as recorded.
    assessment
        The verdict (:func:`lumbopelvic.rhythm.verdict.trial_verdict`).
    more_flags
        Flags of the analysis beyond the summary's own, added after them.
    """
    definition = task_named(task)
    counts = count_repetitions(rows, task)
    whole = rows[rows["complete"]] if len(rows) else rows
    phases: dict[str, dict[str, Spread]] = {}
    left_out: dict[str, int] = {}
    for name in definition.directional_phases:
        phase_rows = whole[whole["phase"] == name] if len(whole) else whole
        # Pelvis and lumbar figures come only from phases whose split is confident.
        if len(phase_rows):
            confident = phase_rows[~phase_rows["low_confidence"].astype(bool)]
        else:
            confident = phase_rows
        left_out[name] = int(len(phase_rows) - len(confident))
        phases[name] = {
            m: spread_of((confident if is_split_metric(m) else phase_rows)[m])
            for m in DIRECTIONAL_METRICS
            if m in phase_rows
        }
    flags = [flag for flag in (counts.message, cut_flag(counts)) if flag]
    bent = definition.bent_knee_flag_deg
    if bent is not None and len(rows) and (rows["peak_knee_deg"] > bent).any():
        flags.append(
            f"knees bent more than {bent:.0f}° during a bend: the pelvis/hip picture changes"
        )
    if sum(left_out.values()):
        flags.append(
            f"{plural(sum(left_out.values()), 'phase')} with a low-confidence pelvis/lumbar split"
            " left out of the pelvis and lumbar figures (see reps.csv low_confidence)"
        )
    if counts.found:
        flags.append(LAG_NOTE)
    standing = angle_meta.get("standing", {})
    if standing.get("fallback") and counts.found:
        flags.append(
            f"no quiet standing before the first movement; baseline: {standing.get('method')}"
        )
    sure = rows[~rows["low_confidence"].astype(bool)] if len(rows) else rows
    marp = sure.groupby("rep")["marp_deg"].first() if len(sure) else pd.Series(dtype=float)
    source = angle_meta.get("source", {})
    stands = (
        stand_summary(rows, definition.going, definition.returning)
        if definition.counts_stands
        else None
    )
    return RhythmSummary(
        task=task,
        repetitions=counts,
        phases=phases,
        left_out=left_out,
        coordination=Coordination(
            rounded(float(marp.mean())) if marp.notna().any() else None,
            rounded(deviation_phase_deg(crp)),
        ),
        flags=(*flags, *more_flags),
        assessment=assessment,
        conventions=angle_meta.get("conventions"),
        quality=angle_meta.get("quality", {}),
        stickers=angle_meta.get("stickers"),
        provenance={
            "package_version": __version__,
            "input": source.get("video", {}),
            "pose_model": source.get("model", {}),
            "pose_settings": source.get("settings", {}),
            "angle_settings": angle_meta.get("settings", {}),
            "rhythm_settings": rhythm_settings,
            "pelvis_model": angle_meta.get("pelvis_model", {}),
            "history": [
                *angle_meta.get("history", []),
                step_record("rhythm", settings=rhythm_settings, repetitions=counts.found),
            ],
        },
        stands=stands,
        measurement_accuracy=measurement_accuracy(task),
    )
