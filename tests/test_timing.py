"""Onset-free timing on signals with known lags, noise and slow starts."""

import numpy as np
import pytest

from lumbopelvic.rhythm.timing import (
    angle_at_trunk,
    time_to_progress,
    timing_measures,
    xcorr_lag_ms,
)

FPS = 30.0


def _ramp(t: np.ndarray, start: float, duration: float, peak: float) -> np.ndarray:
    tau = np.clip((t - start) / duration, 0, 1)
    return peak * tau**3 * (10 - 15 * tau + 6 * tau**2)


@pytest.mark.parametrize("lag_s", [-0.2, 0.0, 0.15, 0.3])
def test_known_lags_are_recovered_with_noise(lag_s):
    rng = np.random.default_rng(1)
    t = np.arange(0, 4, 1 / FPS)
    lumbar = _ramp(t, 0.5, 1.5, 40) + rng.normal(0, 0.3, len(t))
    pelvis = _ramp(t, 0.5 + lag_s, 1.5, 50) + rng.normal(0, 0.3, len(t))
    trunk = pelvis + lumbar
    found = timing_measures(trunk, pelvis, lumbar, t)
    for key in ("pelvis_lag_10pct_ms", "pelvis_lag_50pct_ms", "pelvis_xcorr_lag_ms"):
        assert found[key] == pytest.approx(1000 * lag_s, abs=40), key


def test_a_slow_start_does_not_fool_the_progress_lags():
    """A pelvis creeping 2 degrees early, then moving with the lumbar spine: an onset
    threshold calls it early; the progress-based lags see the movement itself."""
    t = np.arange(0, 4, 1 / FPS)
    lumbar = _ramp(t, 1.0, 1.5, 40)
    pelvis = _ramp(t, 0.2, 0.8, 2) + _ramp(t, 1.0, 1.5, 48)
    found = timing_measures(pelvis + lumbar, pelvis, lumbar, t)
    assert abs(found["pelvis_lag_50pct_ms"]) < 40
    assert abs(found["pelvis_xcorr_lag_ms"]) < 60


def test_pelvis_at_trunk_levels_on_the_way_down_and_back():
    trunk = np.linspace(0, 60, 61)
    pelvis = trunk / 3
    assert angle_at_trunk(trunk, pelvis, 20.0) == pytest.approx(20 / 3)
    back = trunk[::-1]
    assert angle_at_trunk(back, back / 2, 30.0, returning=True) == pytest.approx(15.0)
    assert np.isnan(angle_at_trunk(trunk[:10], pelvis[:10], 20.0))  # never reaches 20


def test_returns_and_still_segments():
    t = np.arange(0, 3, 1 / FPS)
    lumbar = 40 - _ramp(t, 0.5, 1.5, 40)  # a return phase: from the bottom to standing
    pelvis = 50 - _ramp(t, 0.7, 1.5, 50)
    assert xcorr_lag_ms(pelvis, lumbar, t) == pytest.approx(200, abs=30)
    assert np.isnan(time_to_progress(np.full(len(t), 3.0), t, 0.5))  # does not move
