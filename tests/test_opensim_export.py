import io

import numpy as np
import pandas as pd
import pytest

from lumbopelvic.core.landmarks import LANDMARK_NAMES, landmark_columns
from lumbopelvic.outputs.opensim import NOSE_TO_HEEL_FRACTION, mot_text, trc_text


def _angles(n: int = 5) -> pd.DataFrame:
    t = np.arange(n) / 30
    data = {"time_s": t}
    for i, name in enumerate(("trunk", "pelvis", "lumbar", "hip", "knee")):
        data[f"{name}_deg"] = np.arange(n) * (i + 1.0)
    data["knee_deg"][2] = np.nan
    return pd.DataFrame(data)


def test_mot_header_and_columns():
    text = mot_text(_angles())
    header, body = text.split("endheader\n")
    assert "nRows=5" in header and "nColumns=6" in header and "inDegrees=yes" in header
    table = pd.read_csv(io.StringIO(body), sep="\t")
    assert list(table.columns) == [
        "time",
        "trunk_flexion",
        "pelvis_tilt",
        "lumbar_flexion",
        "hip_flexion",
        "knee_flexion",
    ]
    assert table["pelvis_tilt"].iloc[3] == pytest.approx(6.0)
    assert np.isnan(table["knee_flexion"].iloc[2])


def _landmarks(n: int = 4) -> pd.DataFrame:
    table = pd.DataFrame(0.0, index=range(n), columns=landmark_columns())
    table["nose_y_px"], table["left_heel_y_px"], table["right_heel_y_px"] = 100.0, 1030.0, 1030.0
    table["nose_x_px"] = table["left_heel_x_px"] = table["right_heel_x_px"] = 400.0
    table.loc[1, ["left_knee_x_px", "left_knee_y_px"]] = np.nan
    table.insert(0, "time_s", np.arange(n) / 30)
    return table


@pytest.mark.parametrize("facing", [1, -1])
def test_trc_in_metres_from_subject_height(facing):
    text = trc_text(_landmarks(), facing, slice(0, 4), subject_height_m=1.75)
    lines = text.splitlines()
    assert lines[0].startswith("PathFileType\t4")
    rate, _, frames, markers, units = lines[2].split("\t")[:5]
    assert (float(rate), int(frames), int(markers), units) == (
        pytest.approx(30, rel=1e-3),
        4,
        33,
        "m",
    )
    assert lines[3].split("\t")[2] == LANDMARK_NAMES[0]
    first = lines[6].split("\t")
    assert len(first) == 2 + 3 * 33
    scale = 1.75 / (930 / NOSE_TO_HEEL_FRACTION)
    assert float(first[2]) == pytest.approx(facing * 400 * scale)  # nose X, facing forward
    assert float(first[3]) == pytest.approx(-100 * scale)  # Y up
    knee = LANDMARK_NAMES.index("left_knee")
    assert lines[7].split("\t")[2 + 3 * knee] == ""  # missing marker left empty


def test_trc_in_pixels_without_height():
    lines = trc_text(_landmarks(), 1, slice(0, 4)).splitlines()
    assert lines[2].split("\t")[4] == "px"
