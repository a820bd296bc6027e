"""Every transformation appends its step and settings to the data's history."""

import json

import pandas as pd
from conftest import bending_table, trunk_track

from lumbopelvic.core.provenance import history, log_step, set_metadata, table_metadata
from lumbopelvic.kinematics.angles import compute_angles
from lumbopelvic.kinematics.settings import AngleSettings
from lumbopelvic.rhythm.analysis import analyse_rhythm


def test_log_step_appends_without_touching_the_source():
    table = set_metadata(pd.DataFrame({"x": [1]}), {"history": [{"step": "pose"}]})
    meta = log_step(table_metadata(table), "angles", settings={"cutoff_hz": 6.0}, unused=None)
    assert [s["step"] for s in meta["history"]] == ["pose", "angles"]
    assert meta["history"][-1]["settings"] == {"cutoff_hz": 6.0}
    assert "unused" not in meta["history"][-1] and meta["history"][-1]["at"]
    assert [s["step"] for s in history(table)] == ["pose"]


def test_the_summary_carries_the_whole_chain():
    t, trunk = trunk_track()
    table = set_metadata(bending_table(trunk, t, 1), {"history": [{"step": "pose"}]})
    angles = compute_angles(table, AngleSettings(cutoff_hz=5.0))
    assert [s["step"] for s in history(angles)] == ["pose", "main person track", "angles"]
    assert history(angles)[-1]["settings"]["cutoff_hz"] == 5.0
    assert [s["step"] for s in history(table)] == ["pose"]  # the input is not changed
    summary = analyse_rhythm(angles).summary.to_json()
    chain = summary["provenance"]["history"]
    assert [s["step"] for s in chain] == ["pose", "main person track", "angles", "rhythm"]
    assert chain[-1]["settings"]["task"] == "forward-bend" and chain[-1]["repetitions"] == 1
    json.dumps(summary)  # the chain is plain JSON
