"""Rhythm metrics on synthetic angle signals whose onsets, lags, ratios and phases are known."""

import numpy as np
import pandas as pd
import pytest

from lumbopelvic.rhythm.metrics import (
    binned_rhythm,
    deviation_phase_deg,
    onset_time,
    relative_phase_deg,
    repetition_rows,
)
from lumbopelvic.rhythm.repetitions import find_repetitions

FPS = 100


def _ramp(t: np.ndarray, start: float, duration: float, peak: float) -> np.ndarray:
    x = np.clip((t - start) / duration, 0, 1)
    return peak * (1 - np.cos(np.pi * x)) / 2


def _trial(pelvis_delay_down: float = 0.2, pelvis_delay_up: float = -0.1, reps: int = 2):
    """Lumbar 40°, pelvis 60°; pelvis starts late going down and early coming up."""
    t = np.arange(0, 6.0 * reps + 1, 1 / FPS)
    lumbar, pelvis = np.zeros_like(t), np.zeros_like(t)
    for k in range(reps):
        s = 1.0 + 6.0 * k
        lumbar += _ramp(t, s, 1.5, 40) - _ramp(t, s + 2.5, 1.5, 40)
        pelvis += _ramp(t, s + pelvis_delay_down, 1.5, 60) - _ramp(
            t, s + 2.5 + pelvis_delay_up, 1.5, 60
        )
    trunk = lumbar + pelvis
    angles = pd.DataFrame(
        {
            "frame": np.arange(len(t)),
            "time_s": t,
            "trunk_deg": trunk,
            "pelvis_deg": pelvis,
            "lumbar_deg": lumbar,
            "knee_deg": np.zeros_like(t),
            "confidence": np.ones_like(t),
        }
    )
    return angles


def test_onset_of_a_known_ramp():
    t = np.arange(0, 3, 1 / FPS)
    angle = _ramp(t, 1.0, 1.0, 50)
    # Speed of a cosine ramp reaches 10 % of its peak at asin(0.1)/pi of the ramp.
    expected = 1.0 + np.arcsin(0.1) / np.pi
    assert onset_time(angle, t, +1) == pytest.approx(expected, abs=0.015)
    assert np.isnan(onset_time(np.zeros_like(t), t, +1))


def test_lags_contributions_and_ratios_per_phase():
    angles = _trial()
    reps = find_repetitions(angles["trunk_deg"].to_numpy())
    assert len(reps) == 2
    rows, curves = repetition_rows(angles, reps, "forward-bend")
    assert list(rows["phase"][:3]) == ["flexion", "hold", "return"]
    down = rows[rows.phase == "flexion"]
    up = rows[rows.phase == "return"]
    np.testing.assert_allclose(down["pelvis_lag_ms"], 200, atol=15)
    np.testing.assert_allclose(up["pelvis_lag_ms"], -100, atol=15)
    np.testing.assert_allclose(down["lumbar_contribution_pct"], 40, atol=0.5)
    np.testing.assert_allclose(down["lumbar_pelvis_ratio"], 40 / 60, atol=0.01)
    np.testing.assert_allclose(rows["peak_trunk_deg"].max(), 100, atol=0.1)
    # The pelvis starts late: early in the bend the lumbar spine does most of the work.
    trunk, lumbar = angles["trunk_deg"].to_numpy(), angles["lumbar_deg"].to_numpy()
    at_30 = int(np.argmax(trunk >= 30))
    expected = 100 * np.interp(30, trunk[at_30 - 1 : at_30 + 1], lumbar[at_30 - 1 : at_30 + 1]) / 30
    np.testing.assert_allclose(down["lumbar_contribution_0_30_pct"], expected, atol=1.5)
    assert expected > 50
    assert (down["lumbar_contribution_90_120_pct"].isna()).all()  # trunk peaks at 100
    assert curves["share_flexion"].shape == (2, 101)
    assert not rows["low_confidence"].any()


def test_binned_rhythm_with_a_constant_ratio():
    trunk = np.linspace(0, 125, 200)
    out = binned_rhythm(trunk, 0.7 * trunk, 0.3 * trunk)
    for key in ("0_30", "30_60", "60_90", "90_120"):
        assert out[f"lumbar_contribution_{key}_pct"] == pytest.approx(30, abs=0.5)
        assert out[f"lumbar_pelvis_ratio_{key}"] == pytest.approx(0.3 / 0.7, abs=0.01)


def test_relative_phase_in_phase_and_lagged():
    t = np.linspace(0, 4, 400)
    a = 50 * np.sin(np.pi * t / 4) ** 2
    in_phase = relative_phase_deg(a, 0.5 * a)
    assert np.nanmax(np.abs(in_phase[10:-10])) < 1
    lagged = relative_phase_deg(np.roll(a, 30), a)  # pelvis 0.3 s behind
    assert np.nanmean(lagged[20:-20]) < -5


def test_deviation_phase_is_zero_for_identical_reps_and_grows_with_variability():
    crp = np.tile(np.linspace(-10, 10, 101), (3, 1))
    assert deviation_phase_deg(crp) == pytest.approx(0)
    assert deviation_phase_deg(crp + np.array([[0], [5], [-5]])) == pytest.approx(5)
    assert np.isnan(deviation_phase_deg(crp[:1]))
