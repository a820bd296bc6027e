import numpy as np
import pytest

from lumbopelvic.kinematics.settings import AngleSettings
from lumbopelvic.kinematics.signal_cleaning import (
    contiguous_runs,
    effective_cutoff_hz,
    hampel,
    interpolate_short_gaps,
    lowpass_zero_lag,
)

# The package's own outlier window and threshold.
WINDOW_S, N_SIGMA = AngleSettings().hampel_window_s, AngleSettings().hampel_sigma


def test_hampel_removes_spikes_and_keeps_the_signal():
    t = np.arange(0, 3, 1 / 30)
    signal = 40 * np.sin(2 * np.pi * 0.5 * t)
    spiked = signal.copy()
    spiked[[20, 45, 70]] += [35, -50, 60]
    cleaned = hampel(spiked, t, WINDOW_S, N_SIGMA)
    assert np.isnan(cleaned[[20, 45, 70]]).all()
    kept = ~np.isnan(cleaned)
    assert kept.sum() >= len(t) - 6
    np.testing.assert_array_equal(cleaned[kept], spiked[kept])


def test_hampel_leaves_flat_and_missing_samples_alone():
    t = np.arange(0, 1, 0.1)
    flat = np.full(10, 5.0)
    flat[3] = np.nan
    out = hampel(flat, t, WINDOW_S, N_SIGMA)
    assert np.isnan(out[3]) and np.all(out[~np.isnan(out)] == 5.0)


def test_short_gaps_are_filled_long_gaps_stay_empty():
    t = np.arange(0, 2, 0.05)  # 20 Hz
    values = 2.0 * t
    values[5:9] = np.nan  # gap from t=0.20 to t=0.45: 0.25 s between valid samples
    values[20:30] = np.nan  # 0.55 s gap
    values[:2] = np.nan  # leading gap
    out = interpolate_short_gaps(values, t, max_gap_s=0.25)
    np.testing.assert_allclose(out[5:9], 2.0 * t[5:9])
    assert np.isnan(out[20:30]).all()
    assert np.isnan(out[:2]).all()


def test_gap_length_uses_real_timestamps():
    t = np.array([0.0, 0.1, 0.2, 0.5, 0.6])  # irregular: one missing sample, 0.4 s gap
    values = np.array([0.0, 1.0, np.nan, 5.0, 6.0])
    assert np.isnan(interpolate_short_gaps(values, t, 0.25)[2])
    assert interpolate_short_gaps(values, t, 0.4)[2] == pytest.approx(2.0)


def test_lowpass_has_zero_lag_and_removes_high_frequency():
    t = np.arange(0, 6, 1 / 60)
    slow = 30 * np.sin(2 * np.pi * 0.4 * t)
    noisy = slow + 3 * np.sin(2 * np.pi * 15 * t)
    out = lowpass_zero_lag(noisy, t, cutoff_hz=6)
    inner = slice(30, -30)
    assert np.max(np.abs(out[inner] - slow[inner])) < 0.3
    # Zero lag: the peak is where the input's is.
    assert abs(t[np.argmax(out)] - t[np.argmax(slow)]) <= 1 / 60


def test_lowpass_on_irregular_timestamps_and_gaps():
    rng = np.random.default_rng(0)
    t = np.cumsum(rng.uniform(1 / 40, 1 / 20, 200))
    signal = 20 * np.sin(2 * np.pi * 0.3 * t)
    values = signal.copy()
    values[80:100] = np.nan
    out = lowpass_zero_lag(values, t, cutoff_hz=6)
    assert np.isnan(out[80:100]).all()
    valid = ~np.isnan(values)
    assert np.max(np.abs(out[valid] - signal[valid])) < 0.5


def test_cutoff_is_capped_below_nyquist_for_low_frame_rates():
    assert effective_cutoff_hz(6, 10) == pytest.approx(4.0)
    assert effective_cutoff_hz(6, 240) == 6


def test_contiguous_runs():
    assert contiguous_runs(np.array([0, 1, 1, 0, 1, 0, 1, 1], bool)) == [(1, 3), (4, 5), (6, 8)]


def test_hampel_spread_floor_keeps_ordinary_noise_on_still_stretches():
    t = np.arange(0, 1, 1 / 30)
    still = np.zeros(len(t))
    still[::7] = 0.4  # sub-degree noise on a still stretch
    assert np.isnan(hampel(still, t, WINDOW_S, N_SIGMA)).any()
    assert not np.isnan(hampel(still, t, WINDOW_S, N_SIGMA, min_spread=1.0)).any()
    still[15] = 20.0
    assert np.isnan(hampel(still, t, WINDOW_S, N_SIGMA, min_spread=1.0)[15])
