"""Split the trunk into pelvis and lumbar spine, and find the L1 trunk, from the back's outline.

MediaPipe gives hip joints and shoulders but no pelvis and no spine. The silhouette carries
the back's outline: near the hips it turns with the sacrum, higher up with the lumbar spine.
For every frame :func:`split_features` reads, in a frame that turns with the trunk (so
nothing flips past horizontal), the back's depth and surface inclination at levels from the
hips to mid-back, the hip-to-shoulder line, the legs, and the same a quarter second before
and after (movement tells the pelvis from the spine). All are changes from standing.

A small neural network (:class:`SplitModel`, two hidden layers, run in NumPy) maps them to
two angles, degrees, flexion positive, changes from standing:

- ``pelvis``: pelvic rotation;
- ``trunk``: the trunk at the thoracolumbar junction (L1), as in the lumbopelvic-rhythm
  literature, so that ``lumbar = trunk - pelvis``; the hip-to-shoulder line also carries
  the upper back's (thoracic) flexion and is reported separately.

It is trained only on synthetic renders of training seeds (``bench/train_split_model.py``)
and stored with its provenance in ``lumbopelvic/data/split_model.json``.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from lumbopelvic.kinematics.back_outline import (
    PROFILE_LEVELS,
    surface_levels,
    surface_tilt_deg,
)

MODEL_FILE = "split_model.json"
OUTPUTS = ("pelvis", "trunk")
# Temporal context: the features this long before and after each frame, seconds.
CONTEXT_S = 0.25
# Features given context (the first ones of the vector: trunk line and surface inclinations).
N_WITH_CONTEXT = 15


@dataclass(frozen=True)
class SplitInputs:
    """Per-frame inputs of :func:`split_features` (all ``(n,)`` or ``(n, k)``, degrees unless
    noted, changes from standing)."""

    times_s: np.ndarray
    line_deg: np.ndarray  # hip-to-shoulder line
    profiles: np.ndarray  # back depth at PROFILE_LEVELS, hip-shoulder lengths (absolute)
    thigh_deg: np.ndarray
    shank_deg: np.ndarray
    knee_deg: np.ndarray
    standing: slice


def change_from_standing(values: np.ndarray, standing: slice) -> np.ndarray:
    """``values`` (``(n,)`` or ``(n, k)``) minus their median over the ``standing`` frames."""
    with warnings.catch_warnings():  # a level never seen while standing stays unknown
        warnings.simplefilter("ignore", RuntimeWarning)
        return values - np.nanmedian(values[standing], axis=0)


def _shifted(values: np.ndarray, times_s: np.ndarray, dt: float) -> np.ndarray:
    """Each column's value at ``times_s + dt`` (linear between valid samples; NaN outside)."""
    out = np.full_like(values, np.nan)
    for k in range(values.shape[1]):
        ok = np.isfinite(values[:, k])
        if ok.sum() < 2:
            continue
        target = times_s + dt
        inside = (target >= times_s[ok][0]) & (target <= times_s[ok][-1])
        out[inside, k] = np.interp(target[inside], times_s[ok], values[ok, k])
    return out


def split_features(inputs: SplitInputs) -> tuple[np.ndarray, list[str]]:
    """The model's input matrix ``(n, f)`` and the feature names, in order.

    NaN marks what was not seen (no outline at that level, no legs); the model treats a
    missing value as average and is told how much of the outline was missing.
    """
    tilt = surface_tilt_deg(inputs.profiles)
    surface = inputs.line_deg[:, None] - change_from_standing(tilt, inputs.standing)
    core = np.column_stack([inputs.line_deg, surface])
    depth = change_from_standing(inputs.profiles, inputs.standing)
    legs = np.column_stack([inputs.thigh_deg, inputs.shank_deg, inputs.knee_deg])
    before = _shifted(core, inputs.times_s, -CONTEXT_S) - core
    after = _shifted(core, inputs.times_s, CONTEXT_S) - core
    coverage = 1.0 - np.isnan(inputs.profiles).mean(axis=1)
    x = np.column_stack([core, depth, legs, before, after, coverage])
    names = (
        ["line"]
        + [f"surface_{u:.2f}" for u in surface_levels()]
        + [f"depth_{u:.2f}" for u in PROFILE_LEVELS]
        + ["thigh", "shank", "knee"]
        + [f"before_{k}" for k in range(N_WITH_CONTEXT)]
        + [f"after_{k}" for k in range(N_WITH_CONTEXT)]
        + ["coverage"]
    )
    return x, names


def novelty_score(z: np.ndarray) -> np.ndarray:
    """Root mean square over the finite standardised features of each row (NaN if none)."""
    finite = np.isfinite(z)
    count = finite.sum(axis=1)
    total = np.where(finite, np.minimum(z**2, 100.0), 0.0).sum(axis=1)
    return np.where(count > 0, np.sqrt(total / np.maximum(count, 1)), np.nan)


@dataclass(frozen=True)
class SplitModel:
    """A small multilayer perceptron from :func:`split_features` to pelvis and L1 trunk.

    Attributes
    ----------
    layers
        ``(weights (n_in, n_out), bias (n_out,))`` per layer; tanh between layers.
    x_mean, x_scale
        Feature standardisation (a missing feature becomes 0 after it).
    provenance
        How and on what it was trained.
    members
        Other networks whose predictions are averaged with this one's (an ensemble of
        networks trained on different sets; empty for a single network).
    """

    layers: tuple[tuple[np.ndarray, np.ndarray], ...]
    x_mean: np.ndarray
    x_scale: np.ndarray
    provenance: dict[str, Any]
    members: tuple[SplitModel, ...] = ()

    def novelty(self, x: np.ndarray) -> np.ndarray:
        """How far each frame's features lie from the training frames: the root mean square
        of the standardised features (``(n,)``; about 1 for a typical training frame; NaN
        where nothing was seen). Compare with the training quantiles in ``provenance``."""
        return novelty_score((x - self.x_mean) / self.x_scale)

    def predict(self, x: np.ndarray) -> dict[str, np.ndarray]:
        """``{"pelvis": (n,), "trunk": (n,)}`` degrees; NaN where the outline or the
        hip-to-shoulder line was not seen. With ``members``, the mean over the ensemble."""
        return ensemble_mean(self.each_network(x))

    def member_spread(self, x: np.ndarray) -> np.ndarray:
        """``(n,)`` the largest difference, degrees, between the ensemble's networks over
        both outputs; NaN for a single network or where the frame was not seen."""
        return ensemble_spread(self.each_network(x))

    def each_network(self, x: np.ndarray) -> list[dict[str, np.ndarray]]:
        """Each of the ensemble's networks' predictions (this one's first), as
        :meth:`predict` gives them."""
        return [self._predict_one(x), *(m.predict(x) for m in self.members)]

    def _predict_one(self, x: np.ndarray) -> dict[str, np.ndarray]:
        z = (x - self.x_mean) / self.x_scale
        z = np.where(np.isfinite(z), z, 0.0)
        for i, (w, b) in enumerate(self.layers):
            z = z @ w + b
            if i < len(self.layers) - 1:
                z = np.tanh(z)
        unseen = ~np.isfinite(x[:, 0]) | (x[:, -1] <= 0)
        z[unseen] = np.nan
        return {name: z[:, k] for k, name in enumerate(OUTPUTS)}

    def to_json(self) -> dict[str, Any]:
        return {
            "members": [m.to_json() for m in self.members],
            "layers": [
                {"weights": w.round(6).tolist(), "bias": b.round(6).tolist()}
                for w, b in self.layers
            ],
            "x_mean": self.x_mean.round(6).tolist(),
            "x_scale": self.x_scale.round(6).tolist(),
            "outputs": list(OUTPUTS),
            "provenance": self.provenance,
        }


def ensemble_mean(each: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The mean of networks' predictions (:meth:`SplitModel.each_network`), per output."""
    if len(each) == 1:
        return each[0]
    return {name: np.mean([p[name] for p in each], axis=0) for name in OUTPUTS}


def ensemble_spread(each: list[dict[str, np.ndarray]]) -> np.ndarray:
    """``(n,)`` the largest difference, degrees, between networks' predictions over both
    outputs; NaN for a single network or where no network saw the frame."""
    if len(each) == 1:
        return np.full(len(each[0][OUTPUTS[0]]), np.nan)
    stacked = np.stack([[p[name] for name in OUTPUTS] for p in each])  # (m, outputs, n)
    with warnings.catch_warnings():  # unseen frames are NaN in every network
        warnings.simplefilter("ignore", RuntimeWarning)
        spread = np.nanmax(stacked, axis=0) - np.nanmin(stacked, axis=0)
        return np.nanmax(spread, axis=0)


def model_from_json(raw: dict[str, Any]) -> SplitModel:
    layers = tuple(
        (np.asarray(layer["weights"], float), np.asarray(layer["bias"], float))
        for layer in raw["layers"]
    )
    return SplitModel(
        layers,
        np.asarray(raw["x_mean"], float),
        np.asarray(raw["x_scale"], float),
        raw["provenance"],
        tuple(model_from_json(m) for m in raw.get("members", [])),
    )


@cache
def load_split_model(path: str | None = None) -> SplitModel:
    """The packaged model (or one at ``path``)."""
    text = (
        Path(path).read_text(encoding="utf-8")
        if path
        else files("lumbopelvic.data").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    )
    return model_from_json(json.loads(text))
