import numpy as np

from lumbopelvic.kinematics.standing import find_standing


def _bend(t: np.ndarray, start: float, peak: float = 100.0, duration: float = 3.0) -> np.ndarray:
    phase = np.clip((t - start) / duration, 0, 1)
    return peak * np.sin(np.pi * phase) ** 2


def test_quiet_standing_before_the_first_bend():
    t = np.arange(0, 8, 1 / 30)
    rng = np.random.default_rng(1)
    trunk = 4 + 0.3 * rng.standard_normal(len(t)) + _bend(t, 1.5) + _bend(t, 5.0)
    standing = find_standing(t, trunk)
    assert standing.method == "quiet standing before the first bend"
    assert not standing.is_fallback
    assert t[standing.start] < 0.2 and 1.2 < t[standing.stop - 1] <= 1.6


def test_recording_starting_mid_bend_falls_back_to_the_most_upright_stretch():
    t = np.arange(0, 8, 1 / 30)
    trunk = 3 + _bend(t, -1.5) + _bend(t, 4.0)  # starts bent over, stands between bends
    standing = find_standing(t, trunk)
    assert standing.is_fallback and standing.method == "most upright stretch"
    assert np.all(trunk[standing.start : standing.stop] < 12)


def test_no_still_stretch_uses_the_most_upright_frames():
    t = np.arange(0, 4, 1 / 30)
    trunk = 50 + 40 * np.sin(2 * np.pi * 0.5 * t)  # never still
    standing = find_standing(t, trunk)
    assert standing.method == "most upright frames"
    assert np.all(trunk[standing.start : standing.stop] < 20)


def test_gaps_are_ignored():
    t = np.arange(0, 6, 1 / 30)
    trunk = 2 + _bend(t, 2.0)
    trunk[:10] = np.nan
    standing = find_standing(t, trunk)
    assert standing.start >= 10 and not standing.is_fallback


def test_a_reclined_seated_start_is_not_the_standing_baseline():
    """Seated leaning back (trunk more upright than standing) then standing up briefly."""
    t = np.arange(0, 6, 1 / 30)
    trunk = np.interp(t, [0, 2, 2.6, 3.2, 3.6, 4.4, 5, 6], [-6, -6, 40, 3, 3, 3, 40, 40])
    knee = np.interp(t, [0, 2, 2.6, 3.2, 4.4, 5, 6], [95, 95, 60, 2, 2, 60, 95])
    standing = find_standing(t, trunk, knee)
    frames = slice(standing.start, standing.stop)
    assert np.all(knee[frames] < 10) and np.all(np.abs(trunk[frames] - 3) < 1)
