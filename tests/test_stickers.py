"""Marker mode: stickers found by colour and size, tracked, and read on the back's outline."""

from __future__ import annotations

import cv2
import numpy as np
import pandas as pd
import pytest

from lumbopelvic.kinematics.settings import AngleSettings
from lumbopelvic.kinematics.sticker_angles import MIN_STICKER_CONFIDENCE, bridged, sticker_split
from lumbopelvic.pose.sticker_tracking import _relabel, track_stickers
from lumbopelvic.pose.stickers import (
    BackFrame,
    count_stickers,
    find_sticker_hue,
    to_hsv,
)

GREEN = (60, 255, 30)  # RGB, a neon green (hue about 110 deg)
HIP = np.array([300.0, 400.0])
SHOULDER = np.array([300.0, 200.0])  # upright, 200 px trunk
FACING = 1  # facing right: the back is on the left (smaller x)


def _scene(stickers: list[tuple[float, float]], extra: list | None = None) -> np.ndarray:
    """A grey room, a skin-coloured torso, and round stickers on its back edge."""
    image = np.full((600, 600, 3), 120, np.uint8)
    cv2.rectangle(image, (250, 150), (350, 450), (200, 160, 140), -1)
    for draw in extra or []:
        draw(image)
    for x, y in stickers:
        cv2.circle(image, (round(x), round(y)), 5, GREEN, -1)
    return image


def _back() -> BackFrame:
    return BackFrame(HIP, SHOULDER, FACING)


def test_sticker_colour_and_count_are_found_in_the_back_region():
    image = _scene([(252, 380), (252, 260)])
    samples = [(to_hsv(image), _back())] * 5
    hue = find_sticker_hue(samples)
    assert hue is not None and abs(hue - 110) < 20
    assert count_stickers(samples, hue) == 2


def test_no_stickers_and_clothing_sized_colour_are_not_taken_for_stickers():
    plain = _scene([])
    assert find_sticker_hue([(to_hsv(plain), _back())] * 5) is None
    shirt = _scene([], [lambda im: cv2.rectangle(im, (240, 200), (300, 390), GREEN, -1)])
    assert find_sticker_hue([(to_hsv(shirt), _back())] * 5) is None
    in_front = _scene([(420, 380), (420, 260)])  # vivid dots ahead of the body, not on the back
    assert find_sticker_hue([(to_hsv(in_front), _back())] * 5) is None


def test_stickers_on_a_garment_of_a_neighbouring_hue_are_still_found():
    teal = (20, 200, 120)  # hue about 150 deg: 40 deg from the green stickers
    shirt = [lambda im: cv2.rectangle(im, (245, 200), (300, 420), teal, -1)]
    image = _scene([(252, 380), (252, 260)], shirt)
    samples = [(to_hsv(image), _back())] * 5
    hue = find_sticker_hue(samples)
    assert hue is not None and abs(hue - 110) < 20
    assert count_stickers(samples, hue) == 2


def test_stickers_are_tracked_named_by_level_and_carried_through_a_brief_occlusion():
    n = 30
    times = np.arange(n) / 30.0
    paths = {
        "s2": [(252 + i * 0.5, 380 - i * 0.3) for i in range(n)],
        "l1": [(252 + i * 1.5, 260 + i * 0.2) for i in range(n)],
    }
    frames = []
    for i in range(n):
        occluded = i in (10, 11)  # an arm passes over the L1 sticker
        spots = [paths["s2"][i]] + ([] if occluded else [paths["l1"][i]])
        frames.append((times[i], _scene(spots)))
    table = track_stickers(iter(frames), [_back()] * n, 110.0, ("s2", "l1"))
    for name in ("s2", "l1"):
        xy = table[[f"{name}_x_px", f"{name}_y_px"]].to_numpy()
        seen = table[f"{name}_confidence"].to_numpy() == 1.0
        assert np.abs(xy[seen] - np.array(paths[name])[seen]).max() < 1.0
    assert (table["s2_confidence"] == 1.0).all()
    carried = table.loc[[10, 11], "l1_confidence"]
    assert (carried < 1.0).all() and (carried > 0.3).all()
    assert table.loc[12, "l1_confidence"] == 1.0


def _arc_stickers(pelvis_deg: float, lumbar_deg: float, n: int = 1) -> pd.DataFrame:
    """Pixel positions of S2, L3 and L1 on a circular arc of a back 150 px long (facing
    right, image y down) whose tangent at S2 leans ``pelvis_deg`` forward and turns
    ``lumbar_deg`` more by L1."""
    s = np.linspace(0.0, 1.0, 201)
    tangent = np.radians(pelvis_deg + lumbar_deg * s)
    x = np.concatenate([[0.0], np.cumsum(np.sin(tangent[1:]) * 150 / 200)])
    y = -np.concatenate([[0.0], np.cumsum(np.cos(tangent[1:]) * 150 / 200)])
    row = {}
    for name, k in (("s2", 0), ("l3", 100), ("l1", 200)):
        row |= {f"{name}_x_px": 300 + x[k], f"{name}_y_px": 400 + y[k], f"{name}_confidence": 1.0}
    return pd.DataFrame([row] * n)


def test_a_sticker_that_took_its_hidden_neighbours_spot_is_renamed_by_the_spacing():
    spacing = np.array([100.0, 100.0])  # S2-L3 and L3-L1 when first all seen, pixels
    position = np.array([[0.0, 0.0], [5.0, -195.0], [np.nan, np.nan]])  # "L3" sits at L1
    confidence, fresh = np.array([1.0, 1.0, 0.0]), np.array([True, True, False])
    _relabel(position, confidence, fresh, spacing)
    assert np.isnan(position[1]).all() and confidence[1] == 0.0
    np.testing.assert_allclose(position[2], [5.0, -195.0])
    assert fresh.tolist() == [True, False, True]
    crowded = np.array([[0.0, 0.0], [0.0, -20.0], [0.0, -40.0]])  # fits no naming
    confidence = np.ones(3)
    _relabel(crowded, confidence, np.ones(3, dtype=bool), spacing)
    assert (confidence < MIN_STICKER_CONFIDENCE).all() and np.isnan(crowded).all()


def test_three_spots_at_the_right_spacing_but_turning_like_no_back_are_dropped():
    spacing = np.array([100.0, 100.0])
    elbow = np.array([[0.0, 0.0], [100.0, 0.0], [100.0, -100.0]])  # a 90 degree turn at L3
    confidence = np.ones(3)
    _relabel(elbow, confidence, np.ones(3, dtype=bool), spacing)
    assert np.isnan(elbow).all() and (confidence == 0).all()
    arc = np.array([[0.0, 0.0], [100.0, 0.0], [190.0, -40.0]])  # a 24 degree turn: a back
    _relabel(arc, np.ones(3), np.ones(3, dtype=bool), spacing)
    assert np.isfinite(arc).all()


def test_three_stickers_on_an_arc_give_pelvis_trunk_and_lumbar():
    stickers = pd.concat([_arc_stickers(0, 0, 3), _arc_stickers(25, 40), _arc_stickers(50, 10)])
    split = sticker_split(stickers.reset_index(drop=True), FACING, slice(0, 3))
    np.testing.assert_allclose(split["pelvis"], [0, 0, 0, 25, 50], atol=0.3)
    np.testing.assert_allclose(split["lumbar"], [0, 0, 0, 40, 10], atol=0.3)
    np.testing.assert_allclose(split["trunk"], split["pelvis"] + split["lumbar"])
    hidden = _arc_stickers(25, 40).assign(l3_confidence=0.0)
    assert np.isnan(sticker_split(hidden, FACING, slice(0, 1))["pelvis"]).all()


def test_a_gap_in_the_stickers_is_bridged_by_the_markerless_curve_shifted_to_meet_them():
    times = np.arange(10) / 10.0
    truth = 10.0 * times
    markerless = pd.Series(truth - 3.0 + 0.5 * times)  # off by a slowly changing amount
    used = np.ones(10, dtype=bool)
    used[4:7] = False
    measured = np.where(used, truth, np.nan)
    out = bridged(measured, markerless, used, times)
    np.testing.assert_allclose(out[used], truth[used])
    np.testing.assert_allclose(out[4:7], truth[4:7], atol=1e-9)  # the offset is linear in time
    assert np.isnan(bridged(measured, markerless.where(used), used, times)[4:7]).all()


def test_unknown_sticker_mode_is_a_clear_error():
    from lumbopelvic.core.errors import LumbopelvicError

    with pytest.raises(LumbopelvicError, match="stickers mode"):
        AngleSettings(stickers="maybe")


def test_only_spots_on_the_edge_of_the_silhouette_count_as_stickers():
    outline = np.array([[250.0, 150.0], [350.0, 150.0], [350.0, 450.0], [250.0, 450.0]])
    on_skin = BackFrame(HIP, SHOULDER, FACING, outline)
    behind = _scene([(200, 380), (205, 260)])  # vivid spots on the wall behind the person
    assert find_sticker_hue([(to_hsv(behind), _back())] * 5) is not None  # without an outline
    assert find_sticker_hue([(to_hsv(behind), on_skin)] * 5) is None
    worn = _scene([(252, 380), (252, 260)])
    assert find_sticker_hue([(to_hsv(worn), on_skin)] * 5) is not None


@pytest.mark.slow
def test_asking_for_stickers_on_a_clip_without_them_falls_back_and_says_why(tmp_path):
    from conftest import SAMPLE_VIDEOS

    from lumbopelvic.core.provenance import table_metadata
    from lumbopelvic.workflows.settings import AnalysisSettings
    from lumbopelvic.workflows.steps import measure_angles

    settings = AnalysisSettings.from_options(stickers="on")
    angles = measure_angles(SAMPLE_VIDEOS / "typical.mp4", tmp_path, settings).angles
    meta = table_metadata(angles)
    # No stickers, or vivid spots that are not where the protocol puts them: never used.
    assert not meta["stickers"]["used"]
    note = meta["stickers"]["note"]
    assert note.endswith("the markerless split is used") and note in meta["quality"]["advice"]
    assert set(angles["pelvis_source"].unique()) <= {"outline", ""}
    assert "pelvis_markerless_deg" not in angles  # nothing replaced
    default = measure_angles(SAMPLE_VIDEOS / "typical.mp4", tmp_path / "off").angles
    assert "stickers" not in table_metadata(default)  # off by default: never looked for


def test_both_splits_are_set_side_by_side_on_the_frames_the_stickers_measured():
    from lumbopelvic.kinematics.sticker_angles import sticker_vs_markerless

    n = 6
    angles = pd.DataFrame(
        {
            "pelvis_deg": [0, 10, 20, 30, 5, 0.0],
            "lumbar_deg": [0, 5, 10, 15, 2, 0.0],
            "trunk_deg": [0, 15, 30, 45, 7, 0.0],
            "pelvis_markerless_deg": [0, 12, 22, 32, 9, 0.0],
            "lumbar_markerless_deg": [0, 5, 10, 15, 9, 0.0],
            "trunk_markerless_deg": [0, 17, 32, 47, 18, 0.0],
            "pelvis_source": ["outline"] + ["stickers"] * 3 + ["outline"] * (n - 4),
        }
    )
    table = sticker_vs_markerless(angles).set_index("angle")
    assert table.loc["pelvis", "stickers peak"] == 30 and table.loc["pelvis", "RMS gap"] == 2
    assert table.loc["lumbar", "RMS gap"] == 0  # the outline frames (9 vs 2) do not count
    assert sticker_vs_markerless(angles.assign(pelvis_source="outline")).empty
