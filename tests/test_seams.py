"""The seams a newcomer extends: split estimators chosen by a setting, typed summaries that
read back what they wrote, stored curves, one probe per video, and tasks never told apart by
their names outside the registry."""

from __future__ import annotations

import ast
import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
from conftest import SAMPLE_VIDEOS, bending_table, trunk_track

from lumbopelvic.core.curves import CURVE_POINTS, curves_from_table, curves_table
from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.summaries import Spread, spread_of
from lumbopelvic.core.tasks import TASK_IDS
from lumbopelvic.core.verdict import Assessment, Verdict
from lumbopelvic.gait.summary import GaitSummary
from lumbopelvic.io import video as video_module
from lumbopelvic.kinematics import split_estimators
from lumbopelvic.kinematics.angles import compute_angles
from lumbopelvic.kinematics.confidence import FACTOR_LABELS
from lumbopelvic.kinematics.settings import AngleSettings
from lumbopelvic.kinematics.split_estimators import SplitEstimate
from lumbopelvic.kinematics.split_model import SplitInputs
from lumbopelvic.rhythm.analysis import analyse_rhythm
from lumbopelvic.rhythm.summary import RhythmSummary
from lumbopelvic.rhythm.verdict import FACTOR_REASONS
from lumbopelvic.workflows.analysis_kinds import KINDS, kind_of, summary_from_json

PACKAGE = Path(__file__).resolve().parent.parent / "lumbopelvic"


class HalfSplit:
    """A stand-in estimator: the pelvis is half the hip-to-shoulder line, fully sure."""

    name = "half"

    def estimate(self, inputs: SplitInputs) -> SplitEstimate:
        line = inputs.line_deg
        return SplitEstimate(0.5 * line, line, {"fit": np.ones(len(line))}, {"method": "half"})


def test_a_split_estimator_is_chosen_by_the_setting(monkeypatch):
    monkeypatch.setitem(split_estimators.ESTIMATORS, "half", HalfSplit)
    monkeypatch.setitem(FACTOR_LABELS, "fit", "poor fit")
    t, trunk = trunk_track()
    angles = compute_angles(bending_table(trunk, t, 1), AngleSettings(split_method="half"))
    inner = slice(10, -10)
    np.testing.assert_allclose(angles["pelvis_deg"][inner], 0.5 * trunk[inner], atol=0.5)
    # Its own confidence factor joins the general ones, and the provenance names it.
    assert "fit_factor" in angles and "familiarity_factor" not in angles
    meta = angles.attrs["lumbopelvic"]
    assert meta["split_method"] == "half" and meta["pelvis_model"] == {"method": "half"}
    assert meta["settings"]["split_method"] == "half"


def test_the_network_is_the_default_and_an_unknown_method_is_one_error():
    assert AngleSettings().split_method == "network"
    with pytest.raises(LumbopelvicError, match="unknown split method 'guess'; choose one of"):
        AngleSettings(split_method="guess")
    # Every factor an estimator may report is worded for the video and the verdict.
    assert set(FACTOR_LABELS) == set(FACTOR_REASONS)


def _bends():
    t, trunk = trunk_track()
    table = bending_table(trunk, t, 1)
    return analyse_rhythm(compute_angles(table))


def test_a_rhythm_summary_reads_back_what_it_wrote():
    summary = _bends().summary
    written = json.loads(json.dumps(summary.to_json()))
    again = RhythmSummary.from_json(written)
    assert json.dumps(again.to_json()) == json.dumps(written)  # NaN included
    assert again.phases == summary.phases and again.assessment == summary.assessment
    assert written["schema"] == "lumbopelvic.summary" and written["schema_version"] == 1
    assert list(written)[-4:] == [
        "verdict",
        "verdict_reasons",
        "verdict_advice",
        "confident_share",
    ]
    assert isinstance(again.verdict, Verdict)
    assert isinstance(summary_from_json(written), RhythmSummary)


def test_a_walk_summary_reads_back_what_it_wrote():
    from test_gait import walking_table

    from lumbopelvic.gait.analysis import analyse_gait

    summary = analyse_gait(walking_table()[0]).summary
    written = json.loads(json.dumps(summary.to_json()))
    assert json.dumps(GaitSummary.from_json(written).to_json()) == json.dumps(written)
    assert isinstance(summary_from_json(written), GaitSummary)
    assert "confident_share" not in written
    assert written["steps"]["steps"] == summary.found and summary.unit == "step"


def test_the_verdict_is_one_enum_written_as_its_value():
    judged = Assessment(Verdict.TRUNK_ONLY, ("far off the side",), ("film square",), 0.25)
    assert judged.to_json() == {
        "verdict": "trunk-only",
        "verdict_reasons": ["far off the side"],
        "verdict_advice": ["film square"],
        "confident_share": 0.25,
    }
    assert Assessment.from_json(judged.to_json()) == judged
    assert Verdict("not-analysable") is Verdict.NOT_ANALYSABLE


def test_a_spread_of_values():
    assert spread_of([2.0, 4.0, np.nan]) == Spread(3.0, 1.414, 47.14, 2)
    assert spread_of([]) == Spread()


def test_curves_read_back_as_written():
    curves = {"share_flexion": np.random.default_rng(0).random((3, CURVE_POINTS))}
    curves["crp"] = np.full((2, CURVE_POINTS), np.nan)
    table = curves_table({**curves, "none": np.empty((0, CURVE_POINTS))})
    assert list(table.columns) == ["curve", "cycle", "percent", "value"]
    again = curves_from_table(table)
    assert set(again) == {"share_flexion", "crp"}
    np.testing.assert_array_equal(again["share_flexion"], curves["share_flexion"])
    assert np.isnan(again["crp"]).all() and again["crp"].shape == (2, CURVE_POINTS)
    with pytest.raises(ValueError, match="points per cycle"):
        curves_from_table(table.iloc[:-1])


def test_a_video_is_probed_once_while_it_stays_the_same(monkeypatch, tmp_path):
    calls = []
    real = video_module._probe

    def counted(path):
        calls.append(path)
        return real(path)

    monkeypatch.setattr(video_module, "_probe", counted)
    video_module._probe_unchanged.cache_clear()
    copy = tmp_path / "clip.mp4"
    copy.write_bytes((SAMPLE_VIDEOS / "typical.mp4").read_bytes())
    first = video_module.probe_video(copy)
    assert video_module.probe_video(copy) == first and len(calls) == 1
    copy.write_bytes(copy.read_bytes()[:-1] + b"\0")  # another version of the file
    video_module.probe_video(copy)
    assert len(calls) == 2
    with pytest.raises(LumbopelvicError, match="video not found"):
        video_module.probe_video(tmp_path / "absent.mp4")


def test_every_task_has_its_kind_of_analysis():
    assert set(KINDS) == {"repetitions", "gait"}
    for task in TASK_IDS:
        kind = kind_of(task)
        assert kind.tables and kind.batch_table in kind.tables
    assert dataclasses.is_dataclass(RhythmSummary) and dataclasses.is_dataclass(GaitSummary)


def _task_literals(path: Path) -> list[str]:
    """Places where a module compares something with a task's name."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare):
            for operand in (node.left, *node.comparators):
                if isinstance(operand, ast.Constant) and operand.value in TASK_IDS:
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def test_no_layer_tells_tasks_apart_by_their_names():
    """The registry says what each task is; nothing outside it compares a task's name (the
    synthetic renderer's movements are its own vocabulary)."""
    found = [
        place
        for path in sorted(PACKAGE.rglob("*.py"))
        if "synth" not in path.parts and path.name != "tasks.py"
        for place in _task_literals(path)
    ]
    assert not found
