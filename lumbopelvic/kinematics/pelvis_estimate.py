"""Split the trunk's inclination into pelvic rotation and lumbar flexion from the back's outline.

Keypoints give the trunk (hip-to-shoulder line) but nothing about the pelvis. The back's
silhouette does: its surface just above the hip joints turns with the sacrum, higher up with
the lumbar spine and the thorax. For each frame we read the back profile in the trunk-fixed
body frame (:mod:`lumbopelvic.back_outline`), turn it into the *inclination of the back
surface* at 14 levels from below the hips to mid-back (degrees from vertical, flexion
positive, change from standing), and map those inclinations and the trunk inclination
linearly to the pelvic rotation:

    pelvis = w · [surface inclinations..., trunk]    and    lumbar = trunk - pelvis.

Why a fitted linear map rather than one chosen level: on rendered bodies the skin over the
sacrum does not turn rigidly with the pelvis (soft tissue shares the lumbar motion), so no
single level reads the pelvis directly; a ridge-regularised combination of levels does. The
weights are fitted on synthetic renders of development seeds that never include the
benchmark cases (``bench/train_pelvis_model.py``), and stored with their provenance in
``lumbopelvic/data/pelvis_model.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

PROFILE_LEVELS = np.round(np.linspace(-0.15, 1.0, 24), 6)
SLOPE_HALF_WIDTH = 2  # tangent from the profile 2 levels (0.1 L) either side
N_SURFACE_FEATURES = 14  # surface levels -0.05 ... 0.60 of the hip-shoulder length
MODEL_FILE = "pelvis_model.json"


def surface_levels() -> np.ndarray:
    """Levels (fractions of hip-shoulder length) at which surface inclinations are read."""
    h = SLOPE_HALF_WIDTH
    return PROFILE_LEVELS[h:-h][:N_SURFACE_FEATURES]


def surface_tilt_deg(profiles: np.ndarray) -> np.ndarray:
    """Angle of the back surface relative to the hip-shoulder axis at each level, degrees.

    Positive when the surface leans backward going up the body (depth grows with level).
    """
    h = SLOPE_HALF_WIDTH
    slope = (profiles[:, 2 * h :] - profiles[:, : -2 * h]) / (
        PROFILE_LEVELS[2 * h :] - PROFILE_LEVELS[: -2 * h]
    )
    return np.degrees(np.arctan(slope))[:, :N_SURFACE_FEATURES]


def features(profiles: np.ndarray, trunk_deg: np.ndarray, standing: slice) -> np.ndarray:
    """Model inputs: back-surface inclinations and the trunk inclination, changes from standing.

    Parameters
    ----------
    profiles
        ``(n, 24)`` back profiles at :data:`PROFILE_LEVELS`.
    trunk_deg
        ``(n,)`` trunk (hip-to-shoulder) inclination, degrees, change from standing.
    standing
        Frames of the standing baseline.

    Returns
    -------
    numpy.ndarray
        ``(n, 15)``: surface inclination change (degrees) at each of :func:`surface_levels`,
        then ``trunk_deg``. Image-space surface inclination = trunk axis inclination minus the
        surface's tilt from the axis.
    """
    tilt = surface_tilt_deg(profiles)
    with np.errstate(all="ignore"):
        baseline = np.nanmedian(tilt[standing], axis=0)
    inclination = trunk_deg[:, None] - (tilt - baseline)
    return np.column_stack([inclination, trunk_deg])


@dataclass(frozen=True)
class PelvisModel:
    """Linear map from :func:`features` to pelvic rotation (degrees)."""

    weights: np.ndarray
    provenance: dict[str, Any]

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Pelvic rotation (degrees) per row of features; NaN where any feature is missing."""
        out = x @ self.weights
        out[np.isnan(x).any(axis=1)] = np.nan
        return out


def fit_pelvis_model(x: np.ndarray, pelvis_deg: np.ndarray, ridge: float) -> np.ndarray:
    """Ridge-regression weights (no intercept: standing maps to 0) for :class:`PelvisModel`."""
    ok = ~np.isnan(x).any(axis=1) & ~np.isnan(pelvis_deg)
    a, y = x[ok], pelvis_deg[ok]
    return np.linalg.solve(a.T @ a + ridge * np.eye(a.shape[1]), a.T @ y)


@cache
def load_pelvis_model(path: str | None = None) -> PelvisModel:
    """The packaged model (or one at ``path``)."""
    text = (
        Path(path).read_text(encoding="utf-8")
        if path
        else files("lumbopelvic.data").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    )
    raw = json.loads(text)
    return PelvisModel(np.asarray(raw["weights"], float), raw["provenance"])
