"""Skin stickers of the synthetic renderer (marker mode): placement, truth, parameters, pixels."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from conftest import run_cli

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.synth.case import CaseParams, case_from_dict, case_to_dict, validate_case
from lumbopelvic.synth.clothing import STICKER_NAMES
from lumbopelvic.synth.preset_render import apply_overrides
from lumbopelvic.synth.stickers import subdivide_quads
from lumbopelvic.synth.world import cases_for

RADIUS_M = 0.0125


def sticker_case(yaw: float = 0.0, stickers: tuple[str, ...] = STICKER_NAMES) -> CaseParams:
    """A short bend (standing, down, up) at 360x640 and 10 fps, bare back, no supersampling."""
    case = CaseParams(name="stickers", seed=3, supersample=1)
    case.clothing = dataclasses.replace(case.clothing, top="bare", stickers=stickers)
    case.camera = dataclasses.replace(
        case.camera, width=360, height=640, fps=10.0, yaw_deg=yaw, height_m=1.0
    )
    case.motion = dataclasses.replace(
        case.motion,
        reps=1,
        quiet_s=0.2,
        down_s=0.6,
        hold_s=0.0,
        up_s=0.3,
        end_s=0.0,
        variability=0.0,
    )
    return case


# --- pure parts -----------------------------------------------------------------------------


def test_subdivided_quads_tile_their_quad():
    verts = np.array([[0.0, 0, 0], [1, 0, 0], [1, 1, 0.3], [0, 1, 0], [5, 5, 5]])
    weights, sub = subdivide_quads(np.array([[0, 1, 2, 3]]), 3, len(verts))
    assert weights.shape == (16, 5) and sub.shape == (9, 4)
    np.testing.assert_allclose(np.asarray(weights.sum(1)).ravel(), 1.0)
    pts = weights @ verts
    np.testing.assert_allclose(pts[[0, 12, 15, 3]], verts[:4])  # the corners stay
    normals = np.cross(pts[sub[:, 2]] - pts[sub[:, 0]], pts[sub[:, 3]] - pts[sub[:, 1]])
    assert np.all(normals[:, 2] > 0)  # wound like the quad (its normal is +z)
    flat_area = 0.5 * np.abs(normals[:, 2]).sum()
    assert flat_area == pytest.approx(1.0)  # they cover the quad's footprint exactly


def test_sticker_parameters_round_trip_and_old_files_still_load():
    plain = CaseParams()
    assert "stickers" not in case_to_dict(plain)["clothing"]  # old parameter files unchanged
    marked = dataclasses.replace(
        plain,
        clothing=dataclasses.replace(
            plain.clothing, stickers=("s2", "l1"), sticker_color=(1.0, 0.2, 0.6)
        ),
    )
    data = json.loads(json.dumps(case_to_dict(marked)))
    assert data["clothing"]["stickers"] == ["s2", "l1"]
    assert case_from_dict(data) == marked
    old = json.loads(json.dumps(case_to_dict(plain)))
    assert case_from_dict(old) == plain and case_from_dict(old).clothing.stickers == ()
    validate_case(marked)
    for bad, message in (
        ({"stickers": ("s2", "l5")}, "unknown sticker"),
        ({"stickers": ("s2", "s2")}, "once"),
        ({"sticker_color": (0.5, 1.5, 0.0)}, "colour"),
        ({"sticker_diameter_m": 0.5}, "diameter"),
        ({"sticker_side_m": 0.2}, "beside the midline"),
    ):
        case = dataclasses.replace(plain, clothing=dataclasses.replace(plain.clothing, **bad))
        with pytest.raises(LumbopelvicError, match=message):
            validate_case(case)


@pytest.mark.parametrize("preset", ["typical", "benchmark", "bend", "benchmark-bend"])
def test_the_stickers_reach_every_case_and_change_nothing_else(preset):
    cases = cases_for(preset, 0, 2)
    changes = {"clothing": {"top": None, "stickers": STICKER_NAMES, "sticker_color": None}}
    marked = [apply_overrides(c, changes) for c in cases]
    assert all(m.clothing.stickers == STICKER_NAMES for m in marked)
    for case, again in zip(cases, marked, strict=True):
        data = case_to_dict(again)
        del data["clothing"]["stickers"], data["clothing"]["sticker_color"]
        del data["clothing"]["sticker_diameter_m"], data["clothing"]["sticker_side_m"]
        assert data == case_to_dict(case)
    # The presets' random streams are untouched: the same seed gives the same case.
    assert [case_to_dict(c) for c in cases_for(preset, 0, 2)] == [case_to_dict(c) for c in cases]


def test_sticker_colour_option():
    from lumbopelvic.cli.synth_command import parse_colour

    assert parse_colour("0.1, 1,0") == (0.1, 1.0, 0.0)
    import typer

    for bad in ("1,0", "0,0,2", "red"):
        with pytest.raises(typer.BadParameter):
            parse_colour(bad)
    result = run_cli("synth", "unused", "--sticker-color", "1,0,1")
    assert result.returncode == 2 and "needs --stickers" in result.stderr


# --- the body -------------------------------------------------------------------------------


def test_stickers_sit_on_the_back_midline_and_are_round(rig):
    from lumbopelvic.synth.stickers import sticker_patches, sticker_vertices
    from lumbopelvic.synth.truth import skin_point_vertices

    v = rig.rest_vertices
    centres = sticker_vertices(rig)
    z = {name: v[k, 2] for name, k in centres.items()}
    assert z["s2"] < z["l3"] < z["l1"]
    for k in centres.values():
        assert abs(v[k, 0]) < 0.006
        level = (np.abs(v[:, 2] - v[k, 2]) < 0.01) & (np.abs(v[:, 0]) < 0.05)
        assert v[k, 1] > v[level, 1].max() - 0.015  # on the back surface, not inside it
    skin = skin_point_vertices(rig)
    assert {"sacrum", "t12_l1", "l3"} <= set(skin)
    assert v[skin["sacrum"], 2] < v[skin["l3"], 2] < v[skin["t12_l1"], 2]

    patches = sticker_patches(rig, STICKER_NAMES, 2 * RADIUS_M)
    pts = patches.weights @ v
    faces = patches.faces[patches.sticker]
    centroid = pts[faces].mean(1)
    normal = np.cross(pts[faces[:, 2]] - pts[faces[:, 0]], pts[faces[:, 3]] - pts[faces[:, 1]])
    assert np.all(normal[:, 1] > 0)  # facing backward
    area = 0.5 * np.linalg.norm(normal, axis=1)
    for name, k in centres.items():
        own = np.linalg.norm(centroid - v[k], axis=1) < RADIUS_M
        assert own.sum() >= 50  # many small faces: a round disc, not 1-2 coarse quads
        assert area[own].sum() == pytest.approx(np.pi * RADIUS_M**2, rel=0.15), name
        for axis in (0, 2):  # as wide as tall: about the diameter
            extent = np.ptp(centroid[own, axis])
            assert 0.8 * 2 * RADIUS_M < extent < 1.1 * 2 * RADIUS_M, (name, axis)
    assert np.all(np.abs(centroid[:, 0]) < RADIUS_M)


def test_stickers_move_with_the_skin(rig):
    from lumbopelvic.synth.posing import pose_frames
    from lumbopelvic.synth.stickers import sticker_patches, sticker_vertices

    bend = np.array([0.0, 40.0, 70.0])
    posed = pose_frames(rig, bend, 0.7 * bend, np.zeros(3), np.zeros(3))
    patches = sticker_patches(rig, STICKER_NAMES, 2 * RADIUS_M)
    faces = patches.faces[patches.sticker]
    centres = sticker_vertices(rig)
    rest = (patches.weights @ rig.rest_vertices)[faces].mean(1)
    for verts in posed.vertices:
        drawn = (patches.weights @ verts)[faces].mean(1)
        for k in centres.values():
            own = np.linalg.norm(rest - rig.rest_vertices[k], axis=1) < RADIUS_M
            # Each sticker stays a disc around its (moving) centre vertex: the skin under it
            # stretches in flexion (up to about 20 % over the sacrum), it does not slide.
            spread = np.linalg.norm(drawn[own] - verts[k], axis=1)
            assert RADIUS_M * 0.9 < spread.max() < 1.25 * RADIUS_M


def test_truth_puts_l3_between_s2_and_l1(anny):
    from lumbopelvic.synth.generate import prepare_case

    truth = prepare_case(sticker_case(yaw=-25.0)).truth
    plain = prepare_case(sticker_case(yaw=-25.0, stickers=())).truth
    assert list(truth.columns[: len(plain.columns)]) == list(plain.columns)
    assert truth[plain.columns].equals(plain)  # the columns there were are unchanged
    assert truth["trunk_deg"].max() > 80
    for a, mid, b in (("sacrum", "l3", "t12_l1"), ("s2_sticker", "l3_sticker", "l1_sticker")):
        pa, pm, pb = (truth[[f"{p}_x", f"{p}_y"]].to_numpy() for p in (a, mid, b))
        seg = pb - pa
        along = np.einsum("ij,ij->i", pm - pa, seg) / np.einsum("ij,ij->i", seg, seg)
        assert np.all((along > 0.1) & (along < 0.9)), (a, b)
    standing = truth.iloc[0]
    assert standing["s2_sticker_y"] > standing["l3_sticker_y"] > standing["l1_sticker_y"]
    for name in STICKER_NAMES:
        assert standing[f"{name}_sticker_visible"] == 1  # seen from 25 deg behind the side
        assert 0.2 < standing[f"{name}_sticker_facing"] < 0.6  # about sin 25 deg


def _sticker_pixels(prepared, i: int) -> np.ndarray:
    """Pixels of frame ``i`` that are sticker green (and not skin, wall or floor)."""
    img = prepared.painter.paint(
        prepared.background.copy(), prepared.vertices[i], prepared.render_camera, prepared.light
    ).astype(int)
    r, g, b = img[..., 0], img[..., 1], img[..., 2]
    return (g > r + 40) & (g > b + 40)


def test_a_tiny_render_shows_the_stickers_where_the_truth_says(anny):
    from lumbopelvic.synth.generate import prepare_case

    behind = prepare_case(sticker_case(yaw=-25.0))  # 25 deg toward the back
    side = prepare_case(sticker_case(yaw=0.0))
    standing_behind, standing_side = _sticker_pixels(behind, 0), _sticker_pixels(side, 0)
    ys, xs = np.nonzero(standing_behind)
    nearest = np.full(len(xs), np.inf)
    for name in STICKER_NAMES:
        x, y = (behind.truth[f"{name}_sticker_{a}"].iloc[0] for a in "xy")
        assert (np.hypot(xs - x, ys - y) < 4).sum() >= 3, name
        nearest = np.minimum(nearest, np.hypot(xs - x, ys - y))
    assert nearest.max() < 6  # nothing green elsewhere
    # A pure side view sees the midline edge-on: at most a sliver of each sticker.
    assert standing_side.sum() <= 3
    assert np.all(np.abs(side.truth.loc[0, [f"{n}_sticker_facing" for n in STICKER_NAMES]]) < 0.2)
    # Without stickers nothing is green.
    plain = prepare_case(sticker_case(yaw=-25.0, stickers=()))
    assert not _sticker_pixels(plain, 0).any()
