import numpy as np
import pandas as pd
import pytest

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.landmarks import landmark_columns
from lumbopelvic.kinematics.sagittal import facing_direction, inclination_deg, unwrap_deg


def _segment(angle_deg: np.ndarray, facing: int, length: float = 100.0) -> tuple:
    """Distal at (500, 500); proximal rotated by angle from vertical-up toward facing."""
    a = np.radians(angle_deg)
    distal = np.tile([500.0, 500.0], (len(a), 1))
    proximal = distal + np.stack([facing * length * np.sin(a), -length * np.cos(a)], axis=1)
    return distal, proximal


@pytest.mark.parametrize("facing", [1, -1])
def test_inclination_recovers_angles_beyond_horizontal_without_wrap(facing):
    truth = np.linspace(-20, 175, 60)  # through horizontal and almost upside down
    distal, proximal = _segment(truth, facing)
    np.testing.assert_allclose(inclination_deg(distal, proximal, facing), truth, atol=1e-9)


def test_inclination_unwraps_past_180():
    truth = np.linspace(150, 200, 30)
    distal, proximal = _segment(truth, 1)
    np.testing.assert_allclose(inclination_deg(distal, proximal, 1), truth, atol=1e-9)


def test_missing_points_stay_missing():
    distal, proximal = _segment(np.array([0.0, 10.0, 20.0]), 1)
    proximal[1] = np.nan
    out = inclination_deg(distal, proximal, 1)
    assert np.isnan(out[1]) and out[2] == pytest.approx(20)


def test_unwrap_keeps_nan():
    out = unwrap_deg(np.array([170.0, np.nan, -170.0]))
    np.testing.assert_allclose(out, [170, np.nan, 190])


def _table_facing(facing: int, n: int = 5) -> pd.DataFrame:
    table = pd.DataFrame(np.nan, index=range(n), columns=landmark_columns())
    for side in ("left", "right"):
        table[f"{side}_heel_x_px"], table[f"{side}_heel_y_px"] = 300.0, 900.0
        table[f"{side}_foot_index_x_px"], table[f"{side}_foot_index_y_px"] = (
            300 + facing * 60,
            910.0,
        )
        table[f"{side}_ear_x_px"], table[f"{side}_ear_y_px"] = 300.0, 100.0
        for part in ("heel", "foot_index"):
            table[f"{side}_{part}_visibility"] = 0.9
    table["nose_x_px"], table["nose_y_px"], table["nose_visibility"] = 300 + facing * 20, 110.0, 0.9
    return table


@pytest.mark.parametrize("facing", [1, -1])
def test_facing_from_feet_and_nose(facing):
    decided, agreement = facing_direction(_table_facing(facing))
    assert decided == facing and agreement == 1.0


def test_facing_needs_landmarks():
    empty = pd.DataFrame(np.nan, index=range(3), columns=landmark_columns())
    with pytest.raises(LumbopelvicError, match="which way"):
        facing_direction(empty)
