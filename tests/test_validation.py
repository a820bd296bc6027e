import numpy as np
import pandas as pd
import pytest

from lumbopelvic.kinematics.accuracy import compare_with_truth, summarise


def _truth(n: int = 100) -> pd.DataFrame:
    trunk = 100 * np.sin(np.linspace(0, np.pi, n)) ** 2
    return pd.DataFrame(
        {
            "frame": np.arange(n),
            "trunk_deg": trunk,
            "pelvis_deg": 0.6 * trunk,
            "lumbar_deg": 0.4 * trunk,
        }
    )


def test_perfect_measurement_has_zero_error():
    truth = _truth()
    angles = truth.copy()
    angles["confidence"] = 1.0
    errors = compare_with_truth(angles, truth)
    for key in ("trunk_rmse_deg", "pelvis_rmse_deg", "lumbar_rmse_deg", "lumbar_share_error_pp"):
        assert errors[key] == pytest.approx(0, abs=1e-9)
    assert errors["coverage"] == 1.0
    assert "hip_rmse_deg" not in errors  # neither table has a hip
    # Hip and knee are compared where both tables carry them.
    truth["hip_deg"], truth["knee_deg"] = truth["pelvis_deg"] + 2.0, 0.0
    angles["hip_deg"], angles["knee_deg"] = truth["pelvis_deg"] + 5.0, 1.0
    with_legs = compare_with_truth(angles, truth)
    assert with_legs["hip_rmse_deg"] == pytest.approx(3.0)
    assert with_legs["knee_rmse_deg"] == pytest.approx(1.0)
    # The naive half-share yardstick is wrong here by 10 % of the trunk at the peak.
    assert errors["half_share_lumbar_rmse_deg"] > 3


def test_known_offsets_and_share_error():
    truth = _truth()
    angles = truth.copy()
    angles["pelvis_deg"] = truth["pelvis_deg"] - 0.1 * truth["trunk_deg"]
    angles["lumbar_deg"] = truth["lumbar_deg"] + 0.1 * truth["trunk_deg"]
    angles["confidence"] = np.where(np.arange(100) < 25, 0.2, 0.9)
    errors = compare_with_truth(angles, truth)
    assert errors["lumbar_share_error_pp"] == pytest.approx(10)
    assert errors["pelvis_peak_error_deg"] == pytest.approx(-10, abs=0.1)
    assert errors["coverage"] == pytest.approx(0.75)


def test_summary_uses_absolute_errors():
    per_case = pd.DataFrame(
        {
            "case": ["a", "b", "c"],
            "lumbar_share_error_pp": [-8.0, 8.0, 1.0],
            "coverage": [1, 0.5, 1],
        }
    )
    summary = summarise(per_case)
    assert summary.loc["lumbar_share_error_pp", "median"] == 8.0
    assert summary.loc["lumbar_share_error_pp", "worst"] == 8.0
    assert summary.loc["coverage", "worst"] == 0.5
