"""The walking summary (``summary.json`` of ``--task walk``): what a researcher reads first.

Schema (version 1, units in every key), written from and read into :class:`GaitSummary`:

- ``task``: ``"walk"``; ``view``: ``label`` (side, front or back), ``yaw_off_side_deg``.
- ``steps``: counts (``heel_strikes``, ``toe_offs``, ``steps``, ``strides``, ``bouts``),
  ``cadence_steps_per_min``, ``step_time_s`` and ``stride_time_s`` (mean, SD, coefficient of
  variation), ``step_length_bh`` and ``speed_bh_per_s`` (side views only; body heights),
  ``typical_stride_s`` and ``forward_progression_ratio`` (side views: below
  :data:`~lumbopelvic.gait.walker.IN_PLACE_RATIO`, walking on the spot).
- ``strides``: mean and SD across strides of each per-stride measure of ``strides.csv``.
- ``coordination``: ``relative_phase_deg`` (mean absolute pelvis-thorax relative phase:
  0 in phase, 180 anti-phase) and ``deviation_phase_deg`` (its stride-to-stride spread).
- ``confidence``: per measure group, ``good``, ``fair``, ``low`` or ``not-measured``, and why
  (:mod:`lumbopelvic.gait.confidence`); measured in ``bench/ACCURACY.md``.
- ``verdict`` (``analysable`` or ``not-analysable``), ``verdict_reasons``,
  ``verdict_advice``, ``flags``, ``reference_bands``, ``measurement_accuracy``,
  ``provenance``, and ``people`` (the person tracks seen and the one analysed).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from lumbopelvic.core.curves import empty_curves
from lumbopelvic.core.provenance import step_record, table_metadata
from lumbopelvic.core.summaries import (
    SCHEMA,
    SCHEMA_VERSION,
    Spread,
    spread_of,
)
from lumbopelvic.core.verdict import Assessment, Verdict
from lumbopelvic.core.version import __version__
from lumbopelvic.gait.confidence import GroupConfidence, confidence
from lumbopelvic.gait.references import GAIT_ACCURACY, GAIT_REFERENCES, PHYSIOLOGICAL_CADENCE
from lumbopelvic.gait.walker import IN_PLACE_RATIO
from lumbopelvic.rhythm.metrics import deviation_phase_deg

MIN_HEEL_STRIKES = 4
TASK = "walk"


@dataclass(frozen=True)
class WalkView:
    """Where the walk was filmed from: ``side``, ``front`` or ``back``, and how far off a true
    side view it looks (degrees; None when it could not be told)."""

    label: str
    yaw_off_side_deg: float | None = None


@dataclass(frozen=True)
class StepMeasures:
    """Steps and their timing (see the module docstring's ``steps``)."""

    heel_strikes: int
    toe_offs: int
    steps: int
    strides: int
    bouts: int
    cadence_steps_per_min: float | None
    step_time_s: Spread
    stride_time_s: Spread
    step_length_bh: Spread
    speed_bh_per_s: float | None
    typical_stride_s: float | None
    forward_progression_ratio: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "heel_strikes": self.heel_strikes,
            "toe_offs": self.toe_offs,
            "steps": self.steps,
            "strides": self.strides,
            "bouts": self.bouts,
            "cadence_steps_per_min": self.cadence_steps_per_min,
            "step_time_s": self.step_time_s.to_json(),
            "stride_time_s": self.stride_time_s.to_json(),
            "step_length_bh": self.step_length_bh.to_json(),
            "speed_bh_per_s": self.speed_bh_per_s,
            "typical_stride_s": self.typical_stride_s,
            "forward_progression_ratio": self.forward_progression_ratio,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StepMeasures:
        spreads = {k: Spread.from_json(data.get(k)) for k in SPREAD_KEYS}
        counts = {k: int(data.get(k) or 0) for k in COUNT_KEYS}
        values = {k: data.get(k) for k in VALUE_KEYS}
        return cls(**counts, **spreads, **values)


COUNT_KEYS = ("heel_strikes", "toe_offs", "steps", "strides", "bouts")
SPREAD_KEYS = ("step_time_s", "stride_time_s", "step_length_bh")
VALUE_KEYS = (
    "cadence_steps_per_min",
    "speed_bh_per_s",
    "typical_stride_s",
    "forward_progression_ratio",
)


@dataclass(frozen=True)
class TurningCoordination:
    """Pelvis-thorax relative phase (mean absolute, degrees: 0 together, 180 opposite) and
    its stride-to-stride spread (deviation phase, degrees)."""

    relative_phase_deg: float | None = None
    deviation_phase_deg: float | None = None


@dataclass(frozen=True)
class GaitSummary:
    """``summary.json`` of a walk (see the module docstring for each key)."""

    unit: ClassVar[str] = "step"

    view: WalkView
    steps: StepMeasures
    strides: dict[str, Spread]
    coordination: TurningCoordination
    confidence: dict[str, GroupConfidence]
    assessment: Assessment
    flags: tuple[str, ...] = ()
    provenance: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)
    reference_bands: list[dict[str, Any]] = field(default_factory=lambda: GAIT_REFERENCES)
    measurement_accuracy: dict[str, Any] = field(default_factory=lambda: GAIT_ACCURACY)
    task: str = TASK

    @property
    def verdict(self) -> Verdict:
        return self.assessment.verdict

    @property
    def found(self) -> int:
        """Steps found."""
        return self.steps.steps

    @property
    def has_movement(self) -> bool:
        """Whether any step was found."""
        return self.steps.steps > 0

    @property
    def quality(self) -> dict[str, Any]:
        """The angle step's capture quality and advice: a walk's summary records none (its
        view and what the view shows are in :attr:`view` and :attr:`confidence`)."""
        return {}

    def group(self, name: str) -> GroupConfidence:
        """The confidence of one group of measures (not measured when unknown)."""
        return self.confidence.get(name, GroupConfidence("not-measured", ""))

    def with_provenance(self, **entries: Any) -> GaitSummary:
        """A copy whose provenance holds ``entries`` too."""
        return replace(self, provenance={**self.provenance, **entries})

    def to_json(self) -> dict[str, Any]:
        """The ``summary.json`` dictionary (keys in the schema's order)."""
        return {
            "schema": SCHEMA,
            "schema_version": SCHEMA_VERSION,
            "task": self.task,
            "view": {"label": self.view.label, "yaw_off_side_deg": self.view.yaw_off_side_deg},
            "steps": self.steps.to_json(),
            "strides": {name: spread.to_json() for name, spread in self.strides.items()},
            "coordination": {
                "relative_phase_deg": self.coordination.relative_phase_deg,
                "deviation_phase_deg": self.coordination.deviation_phase_deg,
            },
            "confidence": {
                name: {"level": group.level, "why": group.why}
                for name, group in self.confidence.items()
            },
            **self.assessment.to_json(),
            "flags": list(self.flags),
            "reference_bands": self.reference_bands,
            "measurement_accuracy": self.measurement_accuracy,
            "provenance": self.provenance,
            "people": self.people,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GaitSummary:
        """Read a ``summary.json`` dictionary back (as :meth:`to_json` writes it)."""
        view = data.get("view", {})
        coordination = data.get("coordination", {})
        return cls(
            view=WalkView(view.get("label", "side"), view.get("yaw_off_side_deg")),
            steps=StepMeasures.from_json(data.get("steps", {})),
            strides={k: Spread.from_json(v) for k, v in data.get("strides", {}).items()},
            coordination=TurningCoordination(
                coordination.get("relative_phase_deg"), coordination.get("deviation_phase_deg")
            ),
            confidence={
                name: GroupConfidence(group.get("level", ""), group.get("why", ""))
                for name, group in data.get("confidence", {}).items()
            },
            assessment=Assessment.from_json(data),
            flags=tuple(data.get("flags", ())),
            provenance=data.get("provenance") or {},
            people=data.get("people") or {},
            reference_bands=data.get("reference_bands") or GAIT_REFERENCES,
            measurement_accuracy=data.get("measurement_accuracy") or GAIT_ACCURACY,
            task=data.get("task", TASK),
        )


@dataclass(frozen=True)
class WalkFound:
    """What the walking analysis found, for :func:`gait_summary`.

    Attributes
    ----------
    events, steps, strides
        ``gait_events.csv``, ``steps.csv`` and ``strides.csv``.
    curves
        Each series over 0-100 % of each stride (``relative_phase_deg`` among them).
    view, yaw_deg
        The view's label and how far off the side view it looks (NaN: unknown).
    typical_stride_s
        The stride time read from the feet's rhythm (NaN: unknown).
    progression_ratio
        Forward progression per step length (side views; NaN otherwise).
    people
        The person tracks seen and the one analysed
        (:func:`lumbopelvic.gait.walker.walker_track`).
    """

    events: pd.DataFrame
    steps: pd.DataFrame
    strides: pd.DataFrame
    curves: dict[str, np.ndarray]
    view: str
    yaw_deg: float
    typical_stride_s: float
    progression_ratio: float
    people: dict[str, Any]


def gait_summary(
    found: WalkFound, landmarks: pd.DataFrame, measures: tuple[str, ...], cleaning: dict[str, Any]
) -> GaitSummary:
    """The walk's :class:`GaitSummary`.

    Parameters
    ----------
    found
        What the analysis found.
    landmarks
        The landmark table analysed (its provenance is carried on).
    measures
        The per-stride measures summarised, in order.
    cleaning
        The cleaning settings the walk's series were read with, as recorded.
    """
    events, steps, strides = found.events, found.steps, found.strides
    meta = table_metadata(landmarks)
    n_heel = int((events["event"] == "heel strike").sum())
    step_times = steps["step_time_s"] if len(steps) else pd.Series(dtype=float)
    cadence = 60.0 / float(step_times.mean()) if len(step_times) else None
    speed = None
    if found.view == "side" and len(steps) and steps["step_length_bh"].notna().any():
        speed = float(
            steps["step_length_bh"].sum()
            / steps.loc[steps["step_length_bh"].notna(), "step_time_s"].sum()
        )
    reasons, advice = [], []
    if n_heel < MIN_HEEL_STRIKES or len(steps) < 2:
        verdict = Verdict.NOT_ANALYSABLE
        reasons.append(
            f"no walking found: {n_heel} heel strikes (at least {MIN_HEEL_STRIKES} are needed)"
        )
        advice.append("film at least 4 steps with the whole body, feet included, in view")
    else:
        verdict = Verdict.ANALYSABLE
    phase = found.curves.get("relative_phase_deg", empty_curves())
    return GaitSummary(
        view=WalkView(found.view, _finite_or_none(found.yaw_deg)),
        steps=StepMeasures(
            heel_strikes=n_heel,
            toe_offs=int((events["event"] == "toe off").sum()),
            steps=len(steps),
            strides=len(strides),
            bouts=int(steps["bout"].nunique()) if len(steps) else 0,
            cadence_steps_per_min=cadence,
            step_time_s=spread_of(step_times),
            stride_time_s=spread_of(strides["stride_time_s"] if len(strides) else []),
            step_length_bh=spread_of(steps["step_length_bh"] if len(steps) else []),
            speed_bh_per_s=speed,
            typical_stride_s=_finite_or_none(found.typical_stride_s),
            forward_progression_ratio=_finite_or_none(found.progression_ratio),
        ),
        strides={m: spread_of(strides[m]) for m in measures if m in strides},
        coordination=TurningCoordination(
            spread_of(strides["relative_phase_deg"]).mean if len(strides) else None,
            _finite_or_none(deviation_phase_deg(phase)) if len(phase) else None,
        ),
        confidence=confidence(found.view),
        assessment=Assessment(verdict, tuple(reasons), tuple(advice)),
        flags=walk_flags(cadence, found.progression_ratio, found.people),
        provenance={
            "package_version": __version__,
            "input": meta.get("video", {}),
            "pose_model": meta.get("model", {}),
            "pose_settings": meta.get("settings", {}),
            "history": [
                *meta.get("history", []),
                step_record("gait", view=found.view, cleaning=cleaning),
            ],
        },
        people=found.people,
    )


def walk_flags(
    cadence: float | None, progression_ratio: float, people: dict[str, Any]
) -> tuple[str, ...]:
    """Plain statements about a walk: an unusual cadence, walking on the spot, other people."""
    flags = []
    low_cadence, high_cadence = PHYSIOLOGICAL_CADENCE
    if cadence is not None and not low_cadence <= cadence <= high_cadence:
        flags.append(
            f"a cadence of {cadence:.0f} steps per minute is outside walking's usual "
            f"{low_cadence:.0f}-{high_cadence:.0f}: check the steps marked in the video"
        )
    if np.isfinite(progression_ratio) and progression_ratio < IN_PLACE_RATIO:
        flags.append(
            "the person does not move forward across the view: walking on the spot or on a "
            "treadmill? If they were not walking (shifting weight, dancing), these are not steps"
        )
    if people.get("frames_left_out"):
        flags.append(
            f"the video shows more than one person track: {people['frames_left_out']} frames "
            "of another person (or of the walker after leaving the view) are left out; the "
            f"walk analysed runs {people['analysed_from_s']:.1f}-{people['analysed_to_s']:.1f} "
            "s (choose the person with --subject)"
        )
    return tuple(flags)


def _finite_or_none(value: float | None) -> float | None:
    return float(value) if value is not None and np.isfinite(value) else None
