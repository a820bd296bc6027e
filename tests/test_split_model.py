"""The pelvis / L1-trunk split model: its inputs, its outputs and its file."""

import json

import numpy as np
import pytest

from lumbopelvic.kinematics.back_outline import PROFILE_LEVELS
from lumbopelvic.kinematics.split_estimators import NetworkSplit
from lumbopelvic.kinematics.split_model import (
    CONTEXT_S,
    SplitInputs,
    SplitModel,
    load_split_model,
    model_from_json,
    split_features,
)


def _inputs(n: int = 60, line: np.ndarray | None = None) -> SplitInputs:
    t = np.arange(n) / 30.0
    line = np.linspace(0, 60, n) if line is None else line
    profiles = np.tile(0.1 + 0.01 * PROFILE_LEVELS, (n, 1))
    zeros = np.zeros(n)
    return SplitInputs(t, line, profiles, zeros, zeros, zeros, slice(0, 10))


def test_features_name_every_column_and_carry_context():
    x, names = split_features(_inputs())
    assert x.shape == (60, len(names)) and len(set(names)) == len(names)
    assert names[0] == "line" and names[-1] == "coverage"
    # A quarter second later the line has risen by 60 deg / 2 s x 0.25 s.
    after = names.index("after_0")
    assert x[20, after] == pytest.approx(60 / (59 / 30) * CONTEXT_S, rel=0.02)
    assert np.isnan(x[-1, after])  # no future at the last frame
    assert np.allclose(x[:, -1], 1.0)  # the whole back outline seen


def test_the_packaged_model_loads_and_predicts_where_the_back_is_seen():
    model = load_split_model()
    assert model.provenance["training_clips"] or model.provenance.get("note")
    inputs = _inputs()
    x, _ = split_features(inputs)
    x[5, -1] = 0.0  # no outline in frame 5
    x[6, 0] = np.nan  # no hips or shoulders in frame 6
    out = model.predict(x)
    assert set(out) == {"pelvis", "trunk"}
    assert np.isnan(out["pelvis"][[5, 6]]).all() and np.isfinite(out["pelvis"][10:50]).all()


def test_json_round_trip_gives_the_same_predictions(tmp_path):
    rng = np.random.default_rng(0)
    layers = (
        (rng.normal(size=(73, 8)), rng.normal(size=8)),
        (rng.normal(size=(8, 2)), rng.normal(size=2)),
    )
    model = SplitModel(layers, np.zeros(73), np.ones(73), {"note": "test"})
    path = tmp_path / "m.json"
    path.write_text(json.dumps(model.to_json()))
    again = model_from_json(json.loads(path.read_text()))
    x, _ = split_features(_inputs())
    np.testing.assert_allclose(again.predict(x)["trunk"], model.predict(x)["trunk"], atol=1e-4)


def test_an_ensemble_averages_its_networks_and_survives_json(tmp_path):
    rng = np.random.default_rng(1)

    def network(width: int) -> SplitModel:
        layers = (
            (rng.normal(size=(73, width)), rng.normal(size=width)),
            (rng.normal(size=(width, 2)), rng.normal(size=2)),
        )
        return SplitModel(layers, np.zeros(73), np.ones(73), {"note": f"width {width}"})

    first, second = network(4), network(6)
    ensemble = SplitModel(second.layers, second.x_mean, second.x_scale, second.provenance, (first,))
    x, _ = split_features(_inputs())
    expected = (first.predict(x)["pelvis"] + second.predict(x)["pelvis"]) / 2
    np.testing.assert_allclose(ensemble.predict(x)["pelvis"], expected)
    again = model_from_json(json.loads(json.dumps(ensemble.to_json())))
    assert len(again.members) == 1
    np.testing.assert_allclose(again.predict(x)["pelvis"], expected, atol=1e-4)
    # The shipped model records what its familiarity factor compares against.
    assert {"p95", "p99"} <= set(load_split_model().provenance["novelty_quantiles"])


def test_the_ensembles_spread_is_how_far_its_networks_part():
    rng = np.random.default_rng(2)
    layers = (
        (rng.normal(size=(73, 5)), rng.normal(size=5)),
        (rng.normal(size=(5, 2)), rng.normal(size=2)),
    )
    single = SplitModel(layers, np.zeros(73), np.ones(73), {"note": "one"})
    shifted_bias = (layers[1][0], layers[1][1] + np.array([3.0, -7.0]))
    other = SplitModel((layers[0], shifted_bias), np.zeros(73), np.ones(73), {"note": "two"})
    x, _ = split_features(_inputs())
    x[5, -1] = 0.0  # no outline in frame 5: nothing to compare
    # One network has nothing to disagree with; two differing by 3 and 7 degrees part by 7.
    assert np.isnan(single.member_spread(x)).all()
    pair = SplitModel(layers, np.zeros(73), np.ones(73), {"note": "pair"}, (other,))
    spread = pair.member_spread(x)
    assert np.isnan(spread[5])
    np.testing.assert_allclose(np.delete(spread, 5), 7.0, atol=1e-9)
    # The shipped estimator reports it as its agreement factor.
    factors = NetworkSplit(pair).estimate(_inputs()).factors
    assert set(factors) == {"familiarity", "agreement"}
    np.testing.assert_allclose(factors["agreement"][10:50], 0.8)
