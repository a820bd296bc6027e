"""compare for a follow-up visit: per-repetition curves, set-up check, the noise call, the page."""

import math

import numpy as np
import pandas as pd
import pytest
from conftest import run_cli

from lumbopelvic.kinematics.camera_setup import CameraSetup, camera_setup, setup_differences
from lumbopelvic.outputs.comparison_page import Visit, render_comparison
from lumbopelvic.outputs.figures import shared_limits
from lumbopelvic.outputs.side_by_side import label_strip, lead_in_shifts
from lumbopelvic.rhythm.change import (
    compare_summaries,
    instrument_srd,
    smallest_real_difference,
)
from lumbopelvic.rhythm.phase_curves import phase_curves, resample_phase
from lumbopelvic.rhythm.summary import RhythmSummary
from lumbopelvic.workflows.compare import parse_labels, visit_labels


def bends(durations_s=(1.0, 2.0), peaks=(60.0, 60.0), low=(False, False)):
    """Angles of bends that rise linearly to their peak and fall back, and their reps rows."""
    t = np.arange(0, 20, 0.01)
    pelvis = np.zeros_like(t)
    rows, start = [], 1.0
    for rep, (d, peak, uncertain) in enumerate(zip(durations_s, peaks, low, strict=True), 1):
        up = (t >= start) & (t <= start + d)
        down = (t > start + d) & (t <= start + 2 * d)
        pelvis[up] = peak * (t[up] - start) / d
        pelvis[down] = peak * (1 - (t[down] - start - d) / d)
        for phase, a, b in (("flexion", start, start + d), ("return", start + d, start + 2 * d)):
            rows.append(
                {
                    "rep": rep,
                    "phase": phase,
                    "complete": True,
                    "start_s": a,
                    "end_s": b,
                    "low_confidence": uncertain,
                }
            )
        start += 2 * d + 1
    angles = pd.DataFrame(
        {"time_s": t, "pelvis_deg": pelvis, "lumbar_deg": pelvis / 2, "trunk_deg": 1.5 * pelvis}
    )
    return angles, pd.DataFrame(rows)


def test_resample_phase_maps_the_phase_onto_0_to_100_percent():
    t = np.linspace(0, 4, 401)
    curve = resample_phase(t, 10 * t, 1.0, 3.0, n_points=5)
    assert curve == pytest.approx([10, 15, 20, 25, 30])
    gap = np.where((t > 2.6), np.nan, 10 * t)  # no values after 2.6 s
    assert np.isnan(resample_phase(t, gap, 1.0, 3.0, n_points=5)[-1])
    assert np.isnan(resample_phase(t, 10 * t, 5.0, 6.0)).all()


def test_repetitions_of_different_speed_line_up():
    angles, reps = bends(durations_s=(1.0, 2.5))
    found = phase_curves(angles, reps, "flexion", "pelvis")
    assert found.curves.shape == (2, 101) and found.left_out == 0
    assert found.curves[0] == pytest.approx(found.curves[1], abs=0.5)
    assert found.mean[50] == pytest.approx(30, abs=0.5) and found.spread[50] < 0.5
    back = phase_curves(angles, reps, "return", "pelvis")
    assert back.mean[0] == pytest.approx(60, abs=1) and back.mean[-1] == pytest.approx(0, abs=1)


def test_mean_and_spread_over_repetitions():
    angles, reps = bends(peaks=(40.0, 60.0))
    found = phase_curves(angles, reps, "flexion", "lumbar")
    assert found.mean[-1] == pytest.approx(25, abs=0.5)  # lumbar = pelvis / 2: 20 and 30
    assert found.spread[-1] == pytest.approx(5, abs=0.5)


def test_uncertain_phases_give_no_split_curve_but_keep_the_trunk():
    angles, reps = bends(low=(True, False))
    pelvis = phase_curves(angles, reps, "flexion", "pelvis")
    assert len(pelvis.curves) == 1 and pelvis.left_out == 1
    assert len(phase_curves(angles, reps, "flexion", "trunk").curves) == 2


def test_smallest_real_difference_combines_instrument_and_literature():
    assert instrument_srd(5.2) == pytest.approx(1.96 * math.sqrt(2) * 5.2)
    assert instrument_srd(5.2) == pytest.approx(14.41, abs=0.01)
    assert smallest_real_difference(5.2, 8.0) == pytest.approx(16.48, abs=0.01)
    assert smallest_real_difference(0.0, 8.0) == pytest.approx(8.0)


def flexion_summary(share, pelvis=50.0, accuracy=None, left_out=0) -> RhythmSummary:
    stats = {
        "lumbar_contribution_pct": share,
        "peak_pelvis_deg": pelvis,
        "peak_trunk_deg": 100.0,
        "peak_lumbar_deg": 50.0,
    }
    summary = {
        "phases": {
            "flexion": {k: {"mean": v, "n": 0 if v is None else 2} for k, v in stats.items()}
        },
        "phases_left_out_low_confidence": {"flexion": left_out, "return": 0},
    }
    if accuracy:
        summary["measurement_accuracy"] = accuracy
    return RhythmSummary.from_json({"task": "forward-bend", **summary})


@pytest.mark.parametrize(
    ("after", "label"),
    [
        (44.6, "within measurement noise"),  # a repeat of the same recording
        (60.0, "within measurement noise"),  # +15.4 points: under 16.5
        (63.6, "larger than measurement noise"),  # +19: the renders' true difference
        (66.4, "larger than measurement noise"),
    ],  # +21.8: typical vs guarded, measured
)
def test_the_noise_call_on_known_numbers(after, label):
    table = compare_summaries(flexion_summary(44.6), flexion_summary(after)).set_index("metric")
    row = table.loc["lumbar_contribution_pct"]
    assert row["threshold"] == pytest.approx(16.48, abs=0.01) and row["label"] == label
    assert table.loc["peak_pelvis_deg", "threshold"] == pytest.approx(9.70, abs=0.01)


def test_the_noise_call_reads_the_results_measured_accuracy():
    worse = {"lumbar_contribution_error_pp": 10.0}
    table = compare_summaries(flexion_summary(40.0, accuracy=worse), flexion_summary(66.0))
    row = table.set_index("metric").loc["lumbar_contribution_pct"]
    assert row["instrument_error"] == 10.0 and row["label"] == "within measurement noise"


def test_an_uncertain_split_is_not_measured_and_says_why():
    table = compare_summaries(flexion_summary(None, left_out=2), flexion_summary(50.0))
    row = table.set_index("metric").loc["lumbar_contribution_pct"]
    assert math.isnan(row["change"]) and row["label"] == "not measured: the split was uncertain"


def setup(**changes):
    base = {
        "view_deg": 3.0,
        "tilt_deg": 0.0,
        "body_size": 0.45,
        "hip_x": 0.6,
        "hip_y": 0.5,
        "facing": "left",
    }
    return CameraSetup(**{**base, **changes})


def test_alike_set_ups_draw_no_warning():
    assert setup_differences(setup(), setup(view_deg=9.0, body_size=0.5, hip_x=0.7)) == []
    assert setup_differences(setup(body_size=math.nan), setup()) == []


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"view_deg": 20.0}, "angle off the side view"),
        ({"tilt_deg": 8.0}, "tilted"),
        ({"body_size": 0.6}, "nearer"),
        ({"body_size": 0.3}, "farther"),
        ({"hip_y": 0.3}, "different part of the frame"),
        ({"facing": "right"}, "opposite sides"),
    ],
)
def test_each_set_up_difference_is_named(changes, words):
    found = setup_differences(setup(), setup(**changes))
    assert len(found) == 1 and words in found[0]


def test_camera_setup_reads_size_and_place_while_standing():
    n = 10
    table = pd.DataFrame(
        {
            f"{side}_{part}_{axis}_px": value
            for side in ("left", "right")
            for part, (x, y) in {
                "shoulder": (300, 400),
                "hip": (300, 700),
                "ankle": (300, 1200),
            }.items()
            for axis, value in (("x", x), ("y", y))
        },
        index=range(n),
    )
    table.loc[5:, "left_hip_x_px"] = table.loc[5:, "right_hip_x_px"] = 600  # moved, not standing
    standing = np.arange(n) < 5
    found = camera_setup(table, standing, (720, 1280), {"yaw_deg": 4.0, "roll_deg": -1.0}, "left")
    assert found.body_size == pytest.approx(800 / 1280)
    assert (found.hip_x, found.hip_y) == pytest.approx((300 / 720, 700 / 1280))
    assert (found.view_deg, found.tilt_deg, found.facing) == (4.0, -1.0, "left")
    assert math.isnan(camera_setup(None, standing, (720, 1280), {}).body_size)


def test_shared_limits_hold_both_recordings():
    assert shared_limits(np.array([0, 58.0]), np.array([-3.0, 27.0, np.nan])) == (-10.0, 60.0)
    assert shared_limits(np.array([np.nan])) == (0.0, 10.0)


def test_side_by_side_starts_both_first_repetitions_together():
    assert lead_in_shifts((1.0, 2.5)) == (0.0, 1.5)
    strip = label_strip("Before · Visit 1", 400)
    assert strip.shape == (48, 400, 3) and strip.std() > 0


def test_labels_come_from_the_option_or_the_names():
    assert parse_labels(" Visit 1 , Visit 2") == ("Visit 1", "Visit 2")
    assert parse_labels(None) is None
    assert visit_labels(("typical", "guarded")) == ("Before · typical", "After · guarded")


@pytest.mark.slow
@pytest.mark.parametrize("bad", ["Visit 1", "a,b,c", "a,", ","])
def test_bad_labels_are_one_line_and_exit_2(bad, tmp_path):
    result = run_cli("compare", "a.mp4", "b.mp4", "--labels", bad, "-o", str(tmp_path / "o"))
    assert result.returncode == 2 and "--labels needs two names" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_page_is_plain_words_and_escapes_what_it_is_given():
    angles, reps = bends()
    curves = {
        (p, a): phase_curves(angles, reps, p, a)
        for p in ("flexion", "return")
        for a in ("pelvis", "lumbar")
    }
    visits = tuple(
        Visit(label, "clip.mp4", angles, curves, setup(), {"flexion": n})
        for label, n in (("Before · <b>1</b>", 0), ("After · 2", 1))
    )
    table = compare_summaries(flexion_summary(44.6), flexion_summary(66.4))
    details = {"client": "J. <Doe>", "notes": None, "date": ""}
    page = render_comparison(
        table, visits, "forward-bend", ["The camera was nearer."], (-10.0, 70.0), details
    )
    assert "<b>1</b>" not in page and "&lt;b&gt;1&lt;/b&gt;" in page and "J. &lt;Doe&gt;" in page
    assert "the comparison is weaker" in page and "The camera was nearer." in page
    assert "16.5 points" in page and "√(a² + b²)" in page and "1.96 · √2" in page
    assert "1 phase left out (1 bending down)" in page
    assert "size: A4" in page and "counter(pages)" in page
    text = page.split("<body>")[1]
    for word in ("None", "nan", "NaN", "lumbar_contribution_pct", "peak_pelvis_deg"):
        assert word not in text.split("data:image/png")[0]
