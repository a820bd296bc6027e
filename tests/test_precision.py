"""Tables keep their precision at any recording length: milliseconds for times, 0.01 deg."""

import numpy as np
import pandas as pd

from lumbopelvic.io.csv_precision import decimals_for
from lumbopelvic.io.result_files import write_table_csv


def test_long_recordings_keep_millisecond_times_and_fine_angles(tmp_path):
    times = np.array([0.0, 123.4567, 3599.9991, 86399.1234567])
    table = pd.DataFrame(
        {
            "frame": np.arange(4),
            "time_s": times,
            "trunk_deg": [0.0, 12.34567, -98.76543, 120.5],
            "pelvis_lag_ms": [12.3456, -7.0, 0.5, 1e4 + 0.25],
            "flag": [True, False, True, False],
        }
    )
    path = write_table_csv(table, tmp_path / "angles.csv")
    back = pd.read_csv(path)
    np.testing.assert_allclose(back["time_s"], times, atol=1e-6)
    np.testing.assert_allclose(back["trunk_deg"], table["trunk_deg"], atol=1e-4)
    np.testing.assert_allclose(back["pelvis_lag_ms"], table["pelvis_lag_ms"], atol=1e-3)
    assert back["frame"].tolist() == [0, 1, 2, 3]
    assert back["flag"].tolist() == table["flag"].tolist()
    assert "86399.123457" in path.read_text()


def test_decimals_follow_the_unit_in_the_column_name():
    assert decimals_for("time_s") == decimals_for("pelvis_onset_s") == 6
    assert decimals_for("pelvis_lag_ms") == 3 and decimals_for("left_hip_x_px") == 3
    assert decimals_for("trunk_deg") == decimals_for("confidence") == 4
