"""The seam where the pelvis is told from the lumbar spine: one protocol, estimators by name.

A camera sees the hip-to-shoulder line well, but the split of that bend between pelvis and
lumbar spine has to be estimated. Every estimator reads the same per-frame body inputs
(:class:`~lumbopelvic.kinematics.split_model.SplitInputs`: the hip-to-shoulder line, the
back's outline as depth profiles, the legs, the standing frames) and returns a
:class:`SplitEstimate`: the pelvic rotation and the trunk at L1 frame by frame (degrees,
changes from standing, before cleaning), its own confidence factors, and its provenance.
:func:`~lumbopelvic.kinematics.angles.compute_angles` does the rest the same way for every
estimator (cleaning, the general confidence factors, the verdict's inputs).

Estimators (the ``split_method`` setting chooses, :data:`SPLIT_METHODS`):

``network``  a small network reading the back's outline
             (:mod:`lumbopelvic.kinematics.split_model`); its confidence factors
             ``familiarity`` (how far a frame lies from what it was trained on) and
             ``agreement`` (how closely the ensemble's networks, trained on different clips,
             agree).

Skin stickers (marker mode, :mod:`lumbopelvic.kinematics.sticker_angles`) give a second
estimate of the same form where they are seen; it is laid over the chosen estimator's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from lumbopelvic.kinematics.confidence import agreement_factor, familiarity_factor
from lumbopelvic.kinematics.split_model import (
    SplitInputs,
    SplitModel,
    ensemble_mean,
    ensemble_spread,
    load_split_model,
    split_features,
)


@dataclass(frozen=True)
class SplitEstimate:
    """One estimator's split of every frame, before cleaning.

    Attributes
    ----------
    pelvis_deg
        ``(n,)`` pelvic rotation, degrees, change from standing, anterior positive; NaN where
        the estimator cannot tell.
    trunk_deg
        ``(n,)`` trunk inclination at the thoracolumbar junction (L1), degrees, change from
        standing, flexion positive (``lumbar = trunk - pelvis``); NaN where unknown (the
        hip-to-shoulder line stands in).
    factors
        The estimator's own confidence factors, name to ``(n,)`` values in 0-1; each name
        needs a label in :data:`lumbopelvic.kinematics.confidence.FACTOR_LABELS` and a reason
        in :data:`lumbopelvic.rhythm.verdict.FACTOR_REASONS`.
    provenance
        What the estimate rests on (model, training, version): recorded with the angles.
    """

    pelvis_deg: np.ndarray
    trunk_deg: np.ndarray
    factors: dict[str, np.ndarray] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)


class SplitEstimator(Protocol):
    """Estimates the pelvis/lumbar split of every frame from the body inputs."""

    name: str

    def estimate(self, inputs: SplitInputs) -> SplitEstimate:
        """The split of each frame of ``inputs`` (see :class:`SplitEstimate`)."""
        ...


@dataclass(frozen=True)
class NetworkSplit:
    """The split read from the back's outline by a small network (``network``).

    Attributes
    ----------
    model
        The network; the packaged one by default.
    """

    model: SplitModel = field(default_factory=load_split_model)
    name: str = "network"

    def estimate(self, inputs: SplitInputs) -> SplitEstimate:
        x, _ = split_features(inputs)
        each = self.model.each_network(x)
        split = ensemble_mean(each)
        quantiles = self.model.provenance.get("novelty_quantiles")
        factors = {
            "familiarity": familiarity_factor(self.model.novelty(x), quantiles),
            "agreement": agreement_factor(ensemble_spread(each)),
        }
        return SplitEstimate(split["pelvis"], split["trunk"], factors, self.model.provenance)


# Name -> how to make the estimator; the ``split_method`` setting offers these names.
ESTIMATORS: dict[str, Callable[[], SplitEstimator]] = {"network": NetworkSplit}
SPLIT_METHODS = tuple(ESTIMATORS)
DEFAULT_SPLIT_METHOD = "network"


def split_estimator(name: str) -> SplitEstimator:
    """The estimator called ``name`` (:data:`ESTIMATORS`).

    Raises
    ------
    KeyError
        For a name that is not an estimator (settings refuse such names before this).
    """
    return ESTIMATORS[name]()
