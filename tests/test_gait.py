"""The walking analysis on landmark tables of a known walk: events, cadence, steps, strides,
views, coordination measures and the summary's honesty."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lumbopelvic.core.landmarks import LANDMARK_NAMES, landmark_columns
from lumbopelvic.gait.analysis import analyse_gait, view_label
from lumbopelvic.gait.events import gait_events
from lumbopelvic.gait.strides import relative_phase_series, steps_table, sway_fundamental_share

FPS = 30.0
STRIDE_S = 1.1
STEP_PX = 120.0  # fore-aft swing amplitude of each ankle about the hips, pixels


def walking_table(
    duration_s: float = 9.0,
    start_s: float = 1.0,
    stop_s: float | None = None,
    stride_s: float = STRIDE_S,
    facing: int = 1,
    noise_px: float = 0.5,
    seed: int = 0,
    in_place: bool = False,
) -> tuple[pd.DataFrame, np.ndarray]:
    """A person walking across a side view (``facing`` +1: toward image right), standing
    still before ``start_s`` (and after ``stop_s``); ``in_place``: on a treadmill. Returns the
    table and the true heel strike times (a foot furthest ahead of the hips)."""
    rng = np.random.default_rng(seed)
    t = np.arange(0, duration_s, 1 / FPS)
    stop_s = duration_s if stop_s is None else stop_s
    walking = (t >= start_s) & (t <= stop_s)
    phase = np.where(walking, (t - start_s) / stride_s, 0.0)
    envelope = walking.astype(float)
    speed = 0.0 if in_place else 2 * STEP_PX / (stride_s / 2) * 0.9
    hip_x = 300 + facing * np.cumsum(envelope) / FPS * speed
    n = len(t)
    columns: dict[str, np.ndarray] = {"frame": np.arange(n), "time_s": t, "n_people": np.ones(n)}
    points: dict[str, np.ndarray] = {}
    for side, offset in (("left", 0.0), ("right", 0.5)):
        # Ahead of the hips most at the heel strike (phase 0 of that leg), behind at 0.5.
        swing = envelope * STEP_PX * np.cos(2 * np.pi * (phase + offset))
        ankle = np.column_stack([hip_x + facing * swing, np.full(n, 900.0)])
        lift = envelope * 25 * np.clip(np.sin(2 * np.pi * (phase + offset - 0.6) / 0.8), 0, None)
        ankle[:, 1] -= lift
        points[f"{side}_ankle"] = ankle
        points[f"{side}_heel"] = ankle + [-facing * 20, 10]
        points[f"{side}_foot_index"] = ankle + [facing * 60, 15]
        points[f"{side}_knee"] = (ankle + np.column_stack([hip_x, np.full(n, 650.0)])) / 2
        points[f"{side}_hip"] = np.column_stack(
            [hip_x + (3 if side == "left" else -3), np.full(n, 650.0)]
        )
        points[f"{side}_shoulder"] = np.column_stack([hip_x + facing * 10, np.full(n, 350.0)])
    points["nose"] = np.column_stack([hip_x + facing * 60, np.full(n, 250.0)])
    for name in LANDMARK_NAMES:
        xy = points.get(name, points["nose"])
        columns[f"{name}_x_px"] = xy[:, 0] + rng.normal(0, noise_px, n)
        columns[f"{name}_y_px"] = xy[:, 1] + rng.normal(0, noise_px, n)
        columns[f"{name}_visibility"] = np.full(n, 0.99)
        for axis in "xyz":
            columns[f"{name}_world_{axis}_m"] = rng.normal(0, 0.005, n)
    empty = {c: np.full(n, np.nan) for c in landmark_columns() if c not in columns}
    table = pd.DataFrame({**columns, **empty})
    strikes = []
    for offset in (0.0, 0.5):
        k = np.arange(np.ceil(offset), (stop_s - start_s) / stride_s + offset)
        strikes.extend(start_s + (k - offset) * stride_s)
    true = np.sort([s for s in strikes if start_s + 0.3 < s < stop_s - 0.3])
    return table, true


def test_heel_strikes_fall_within_a_frame_of_the_truth() -> None:
    table, true = walking_table()
    events = gait_events(table)
    found = events.loc[events["event"] == "heel strike", "time_s"].to_numpy()
    nearest = np.array([np.min(np.abs(found - x)) for x in true])
    assert np.mean(nearest <= 1 / FPS) >= 0.95
    # no heel strike while standing before the walk
    assert found.min() > 0.9


def test_cadence_stride_time_and_steps() -> None:
    table, true = walking_table()
    summary = analyse_gait(table).summary.to_json()
    steps = summary["steps"]
    assert summary["task"] == "walk"
    assert summary["verdict"] == "analysable"
    assert steps["cadence_steps_per_min"] == pytest.approx(120 / STRIDE_S, rel=0.02)
    assert steps["stride_time_s"]["mean"] == pytest.approx(STRIDE_S, rel=0.02)
    assert steps["stride_time_s"]["cv_pct"] < 3
    assert abs(steps["steps"] - (len(true) - 1)) <= 2
    assert steps["bouts"] == 1
    assert summary["view"]["label"] == "side"


def test_walking_left_in_the_image_gives_the_same_events() -> None:
    right, _ = walking_table(facing=1)
    left, _ = walking_table(facing=-1)
    a = gait_events(right)["time_s"].to_numpy()
    b = gait_events(left)["time_s"].to_numpy()
    assert len(a) == len(b)
    assert np.max(np.abs(a - b)) < 1.5 / FPS


def test_left_right_labels_swapped_by_the_model_neither_hide_nor_add_steps() -> None:
    table, _ = walking_table()
    swapped = table.copy()
    # The far leg's labels flip for a few frames now and then, as the pose model does it.
    every_other_second = (table["time_s"] % 1.3) < 0.2
    for part in ("ankle", "heel", "foot_index", "knee"):
        for field in ("x_px", "y_px"):
            left, right = f"left_{part}_{field}", f"right_{part}_{field}"
            swapped.loc[every_other_second, [left, right]] = table.loc[
                every_other_second, [right, left]
            ].to_numpy()
    plain = gait_events(table)
    mixed = gait_events(swapped)
    for kind in ("heel strike", "toe off"):
        a = plain.loc[plain["event"] == kind, "time_s"].to_numpy()
        b = mixed.loc[mixed["event"] == kind, "time_s"].to_numpy()
        assert len(a) == len(b)
        assert np.max(np.abs(a - b)) < 1.5 / FPS


def test_standing_still_is_not_walking() -> None:
    table, _ = walking_table(start_s=100.0)
    result = analyse_gait(table)
    assert result.summary.to_json()["verdict"] == "not-analysable"
    assert "no walking found" in result.summary.to_json()["verdict_reasons"][0]
    assert result.summary.to_json()["steps"]["cadence_steps_per_min"] is None
    assert len(result.strides) == 0


def test_a_stop_splits_the_walk_into_bouts() -> None:
    first, _ = walking_table(duration_s=6.0, start_s=0.5, stop_s=5.5)
    second, _ = walking_table(duration_s=6.0, start_s=0.5, stop_s=5.5, seed=1)
    second["time_s"] += 6.0 + 1 / FPS
    second["frame"] += len(first)
    # The second walk goes on from where the first stopped (the same person, standing).
    xs = [c for c in second if c.endswith("_x_px")]
    second[xs] += first["left_hip_x_px"].iloc[-1] - second["left_hip_x_px"].iloc[0]
    steps = analyse_gait(pd.concat([first, second], ignore_index=True)).steps
    assert steps["bout"].nunique() == 2
    assert steps["step_time_s"].max() < 1.5 * STRIDE_S / 2


def test_steps_table_breaks_at_gaps() -> None:
    heel = pd.DataFrame(
        {"time_s": [0.0, 0.55, 1.1, 1.65, 3.5, 4.05, 4.6], "foot": ["left", "right"] * 3 + ["left"]}
    )
    steps = steps_table(heel)
    assert list(steps["bout"]) == [1, 1, 1, 2, 2]
    assert steps["step_time_s"].max() == pytest.approx(0.55)


def test_relative_phase_of_sinusoids_is_their_phase_offset() -> None:
    t = np.arange(0, 10, 1 / FPS)
    walking = np.ones(len(t), dtype=bool)
    for offset in (0.0, 90.0, 170.0):
        pelvis = 4 * np.cos(2 * np.pi * t / STRIDE_S)
        thorax = 3 * np.cos(2 * np.pi * t / STRIDE_S + np.radians(offset))
        crp = relative_phase_series(pelvis, thorax, walking)
        middle = np.abs(crp[60:-60])
        assert np.median(middle) == pytest.approx(offset, abs=6)


def test_a_smooth_sway_is_one_sway_per_stride() -> None:
    x = np.linspace(0, 1, 101)
    smooth = np.sin(2 * np.pi * x) + 0.2 * x  # drifting sideways does not count as uneven
    uneven = np.sin(2 * np.pi * x) + 0.6 * np.sin(4 * np.pi * x)
    assert sway_fundamental_share(smooth) > 0.98
    assert sway_fundamental_share(uneven) < 0.8
    assert np.isnan(sway_fundamental_share(np.full(101, np.nan)))


def test_view_labels() -> None:
    assert view_label(5.0, faces_camera=True) == "side"
    assert view_label(30.0, faces_camera=False) == "side"
    assert view_label(70.0, faces_camera=True) == "front"
    assert view_label(70.0, faces_camera=False) == "back"
    assert view_label(float("nan"), faces_camera=True) == "side"


def test_measures_a_view_cannot_show_are_left_empty_and_said_so() -> None:
    table, _ = walking_table()
    result = analyse_gait(table)
    assert result.strides["pelvic_obliquity_range_deg"].isna().all()
    assert result.strides["pelvis_rotation_range_deg"].isna().all()
    assert result.strides["trunk_lean_mean_deg"].notna().all()
    confidence = result.summary.to_json()["confidence"]
    assert confidence["pelvic_drop"]["level"] == "not-measured"
    assert confidence["turning"]["level"] == "not-measured"
    assert confidence["trunk_forward_lean"]["level"] == "low"
    assert confidence["steps"]["level"] == "good"
    assert result.summary.to_json()["steps"]["speed_bh_per_s"] > 0


def test_walking_on_the_spot_is_flagged_not_refused() -> None:
    across, _ = walking_table()
    on_the_spot, _ = walking_table(in_place=True)
    moving = analyse_gait(across).summary.to_json()
    still = analyse_gait(on_the_spot).summary.to_json()
    assert moving["steps"]["forward_progression_ratio"] == pytest.approx(1.0, abs=0.35)
    assert not any("does not move forward" in f for f in moving["flags"])
    assert still["steps"]["forward_progression_ratio"] < 0.1
    assert still["verdict"] == "analysable"
    assert any("does not move forward" in f for f in still["flags"])


def test_another_person_picked_up_is_left_out() -> None:
    walker, _ = walking_table(duration_s=9.0, start_s=2.5)
    # Before the walker, the pose model followed somebody else standing elsewhere, who
    # shifts from foot to foot without going anywhere.
    other, _ = walking_table(duration_s=9.0, start_s=0.0, in_place=True, seed=3)
    early = walker["time_s"] < 2.0
    xs = [c for c in walker if c.endswith(("_x_px", "_y_px"))]
    walker.loc[early, xs] = other.loc[early, xs].to_numpy() + 900.0
    summary = analyse_gait(walker).summary.to_json()
    assert summary["people"]["tracks"] == 2
    assert summary["people"]["analysed_from_s"] >= 2.0
    assert any("more than one person track" in f for f in summary["flags"])
    assert summary["steps"]["forward_progression_ratio"] > 0.6
