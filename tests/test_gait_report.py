"""The walking report as a reader sees it: the numbers of the analysis, one line per stride,
low-confidence measures marked, no empty values, and a plain reason when nothing can be read
(no MediaPipe, no video: a synthetic walker's landmark table)."""

from __future__ import annotations

import re
import warnings
from html.parser import HTMLParser
from typing import Any

import numpy as np
import pandas as pd
import pytest

from lumbopelvic.core.landmarks import LANDMARK_NAMES, landmark_columns
from lumbopelvic.gait.analysis import GaitResult, analyse_gait
from lumbopelvic.outputs.gait_report import render_gait_report
from lumbopelvic.outputs.report import ReportDetails
from lumbopelvic.outputs.report_words import number

FPS = 30.0
STRIDE_S = 1.1
HIP_Y_PX = 400.0
# Image offsets from the mid-hip (pixels) of the parts that do not swing.
TORSO_PX = 175.0
LEG_PARTS = ("knee", "ankle", "heel", "foot_index")
# Shoulder and hip spread (pixels) that reads as about 50° off a side view.
FRONT_SPREAD_PX = 92.0  # hips and shoulders apart, the left on the image's right


def walking_table(walking: bool = True, front: bool = False, seconds: float = 8.0) -> pd.DataFrame:
    """A person walking to the image's right in front of a side camera: the ankles swing
    sinusoidally about the hips (one stride every :data:`STRIDE_S` s), the trunk leans a
    little twice a stride, and in the world landmarks the pelvis and thorax turn in near
    anti-phase (160°). ``front``: on a treadmill facing the camera instead (the swing shows
    as feet moving down the image as they come nearer; left and right apart, the left on the
    image's right); ``walking=False`` stands still."""
    t = np.arange(0, seconds, 1 / FPS)
    phase = 2 * np.pi * t / STRIDE_S
    swing = 110 * np.sin(phase) if walking else np.zeros_like(t)
    hip_x = 200 + (150 * t if walking and not front else 0 * t)
    # part -> (share of the swing it follows, image offset below the hip, toe ahead of heel)
    legs = {
        "knee": (0.5, 145, 0),
        "ankle": (1, 290, 0),
        "heel": (1, 300, -15),
        "foot_index": (1, 302, 40),
    }
    spread_px = FRONT_SPREAD_PX if front else 0.0
    table: dict[str, Any] = {"frame": np.arange(len(t)), "time_s": t}
    table.update({column: np.full(len(t), np.nan) for column in landmark_columns()})
    for name in LANDMARK_NAMES:
        side, _, part = name.partition("_")
        sign = {"left": 1.0, "right": -1.0}.get(side, 1.0)
        if part in legs and side in ("left", "right"):
            share, below, toe = legs[part]
            if front:  # the nearer foot shows lower in the image
                dx, dy = sign * 25 + 0 * t, below + sign * 0.25 * share * swing
            else:
                dx, dy = sign * share * swing + toe, below + 0 * t
        elif part == "shoulder":
            dx, dy = 5 + 6 * np.sin(2 * phase), -TORSO_PX + 0 * t
        elif part == "hip":
            dx, dy = 0 * t, 0 * t
        else:
            dx, dy = 20 + 0 * t, -220 + 0 * t
        if part in ("hip", "shoulder"):
            dx = dx + sign * spread_px / 2
        table[f"{name}_x_px"] = hip_x + dx
        table[f"{name}_y_px"] = HIP_Y_PX + dy
        table[f"{name}_visibility"] = table[f"{name}_presence"] = np.full(len(t), 0.99)
    turning = {"hip": 4 * np.sin(phase), "shoulder": 3 * np.sin(phase + np.radians(160))}
    for part, deg in turning.items():
        angle = np.radians(90 + deg)
        for side, sign in (("left", 1.0), ("right", -1.0)):
            table[f"{side}_{part}_world_x_m"] = sign * 0.1 * np.cos(angle)
            table[f"{side}_{part}_world_z_m"] = sign * 0.1 * np.sin(angle)
            table[f"{side}_{part}_world_y_m"] = np.full(len(t), 0.0 if part == "hip" else -0.5)
    return pd.DataFrame(table)


class _Text(HTMLParser):
    """The page's visible text (no script or style)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = False

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self._skip = self._skip or tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = False

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


def section(page: str, title: str) -> str:
    """The HTML of the section headed ``title``."""
    found = re.search(rf"<h2>{re.escape(title)}</h2>(.*?)</section>", page, re.S)
    assert found, title
    return found.group(1)


def _analysed(**kwargs: Any) -> GaitResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return analyse_gait(walking_table(**kwargs))


DETAILS = ReportDetails(client="J. <b>Doe</b>", notes="Second visit", analysed_at="2026-11-25")


@pytest.fixture(scope="module")
def side() -> tuple[GaitResult, str]:
    result = _analysed()
    return result, render_gait_report(result, "walk <img src=x>.mp4", DETAILS)


@pytest.fixture(scope="module")
def front() -> tuple[GaitResult, str]:
    result = _analysed(front=True)
    return result, render_gait_report(result, "walk_front.mp4", DETAILS)


@pytest.fixture(scope="module")
def standing() -> tuple[GaitResult, str]:
    result = _analysed(walking=False)
    return result, render_gait_report(result, "standing.mp4", DETAILS)


def test_the_synthetic_walks_are_read_as_filmed(side, front, standing):
    assert side[0].summary.to_json()["view"]["label"] == "side"
    assert front[0].summary.to_json()["view"]["label"] == "front"
    assert standing[0].summary.to_json()["verdict"] == "not-analysable"
    assert side[0].summary.to_json()["steps"]["cadence_steps_per_min"] == pytest.approx(
        120 / STRIDE_S, rel=0.03
    )


def test_steps_show_cadence_and_counts(side):
    result, page = side
    steps = result.summary.to_json()["steps"]
    table = visible_text(section(page, "Steps"))
    assert f"Cadence (steps per minute) {number(steps['cadence_steps_per_min'])}" in table
    assert f"Step time (s) {number(steps['step_time_s']['mean'], 2)}" in table
    assert f"Step length (body heights) {number(steps['step_length_bh']['mean'], 2)}" in table
    verdict = visible_text(section(page, "Verdict: Walking measured"))
    assert f"{steps['steps']} steps and {steps['strides']} strides" in verdict
    assert "filmed from the side" in verdict


def test_one_table_row_per_stride_then_average_and_spread(side):
    result, page = side
    body = section(page, "Each stride").split("<tbody>")[1].split("</tbody>")[0]
    rows = re.findall(r"<tr[ >]", body)
    assert len(rows) == len(result.strides) + 2
    text = visible_text(body)
    assert "Average" in text and "Spread (SD)" in text
    # From the side: trunk lean, never turning or side-to-side measures.
    head = visible_text(section(page, "Each stride").split("<tbody>")[0])
    assert "Trunk forward lean, average (°)" in head
    assert "Pelvis turning" not in head and "Pelvic drop" not in head


def test_side_view_says_what_it_cannot_show(side):
    page = side[1]
    view = visible_text(section(page, "What this view can show"))
    assert "it cannot show" in view
    assert "pelvic drop" in view and "the turning of the pelvis and thorax" in view
    coordination = visible_text(section(page, "Coordination of pelvis and thorax"))
    assert "Not measured from this recording" in coordination


def test_transverse_measures_are_marked_low_confidence(front):
    result, page = front
    why = result.summary.to_json()["confidence"]["turning"]["why"]
    strides = section(page, "Each stride")
    assert re.search(r'<th class="low">Pelvis turning, range \(°\)</th>', strides)
    assert re.search(r'<th class="low">Pelvis-thorax relative phase \(°\)</th>', strides)
    assert f"turning of the pelvis and thorax: low confidence: {why}" in visible_text(strides)
    phase = result.summary.to_json()["coordination"]["relative_phase_deg"]
    coordination = section(page, "Coordination of pelvis and thorax")
    assert re.search(rf'<p class="low">Relative phase: {number(phase)}°', coordination)
    assert f"Low confidence: {why}" in visible_text(coordination)
    assert "opposite directions (anti-phase)" in visible_text(coordination)
    curves = visible_text(section(page, "Pelvis and trunk through the stride"))
    assert "low confidence" in curves
    steps = visible_text(section(page, "Steps"))
    assert "Step length (body heights) not measured from this view" in steps


@pytest.mark.parametrize("case", ["side", "front", "standing"])
def test_no_empty_values_reach_the_reader(case, request):
    text = visible_text(request.getfixturevalue(case)[1])
    assert not re.search(r"\b(None|nan|NaN|null|inf)\b", text)


def test_not_analysable_says_why_and_shows_only_provenance(standing):
    result, page = standing
    text = visible_text(page)
    assert "This recording cannot be analysed" in text
    assert "No walking found: 0 heel strikes (at least 4 are needed)." in text
    advice = result.summary.to_json()["verdict_advice"][0]
    assert advice[:1].upper() + advice[1:] in text
    assert "Provenance" in text and "lumbopelvic" in text
    for absent in ("Steps", "Each stride", "Coordination", "Video and walking angles"):
        assert f"<h2>{absent}" not in page


def test_page_is_self_contained_escaped_and_printable(side):
    page = side[1]
    sources = re.findall(r'src="([^"]*)"', page)
    assert sources and all(s.startswith("data:image/") or s == "annotated.mp4" for s in sources)
    assert "<img src=x>" not in page and "<b>Doe</b>" not in page
    assert "walk &lt;img src=x&gt;.mp4" in page
    assert "size: A4" in page and "counter(pages)" in page
    assert '<section class="viewer screen-only"' in page
