"""`lumbopelvic analyze` as a user sees it: annotated video, report, bad input."""

import re
import shutil
import subprocess

import av
import numpy as np
import pytest
from conftest import SAMPLE_VIDEOS, run_cli

from lumbopelvic.io.video import probe_video
from lumbopelvic.outputs.style import LUMBAR_RGB, PELVIS_RGB

SAMPLE = SAMPLE_VIDEOS / "guarded.mp4"  # the video of the session fixture ``analysis``


@pytest.mark.slow
def test_all_outputs_are_written(analysis):
    out, result = analysis
    for name in (
        "annotated.mp4",
        "report.html",
        "report.pdf",
        "angles.csv",
        "reps.csv",
        "summary.json",
        "landmarks.parquet",
        "angles.mot",
        "landmarks.trc",
    ):
        assert (out / name).is_file(), name
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".out.")]
    assert "repetitions" in result.stdout


@pytest.mark.slow
def test_annotated_video_keeps_frames_and_timing_and_shows_the_overlay(analysis):
    out, _ = analysis
    source = [f.time for f in av.open(str(SAMPLE)).decode(video=0)]
    with av.open(str(out / "annotated.mp4")) as container:
        assert container.streams.video[0].codec_context.name == "h264"
        frames = [(f.time, f.to_ndarray(format="rgb24")) for f in container.decode(video=0)]
    assert len(frames) == len(source)
    np.testing.assert_allclose([t for t, _ in frames], source, atol=1e-3)
    data = (out / "annotated.mp4").read_bytes()
    assert data.find(b"moov") < data.find(b"mdat")  # index first: plays while loading
    info, source_info = probe_video(out / "annotated.mp4"), probe_video(SAMPLE)
    # At most 720 pixels on the long side by default (--video-size), the shape kept.
    assert max(info.width, info.height) == 720
    assert info.width / info.height == pytest.approx(source_info.width / source_info.height, 0.01)
    # Mid-bend, both segment colours are drawn on the frame.
    middle = frames[len(frames) // 3][1].astype(int)
    for colour in (PELVIS_RGB, LUMBAR_RGB):
        close = np.abs(middle - np.array(colour)).sum(axis=2) < 40
        assert close.sum() > 200, colour


@pytest.mark.slow
def test_report_is_self_contained_and_escapes_user_strings(analysis):
    out, _ = analysis
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>Doe</b>" not in page and "J. &lt;b&gt;Doe&lt;/b&gt;" in page
    assert "Second visit" in page
    assert not re.search(r"""(src|href)=['"]?(https?:)?//""", page)
    assert page.count("data:image/png;base64,") >= 3
    assert page.count("data:image/jpeg;base64,") == 3  # standing and two deepest points
    assert 'src="annotated.mp4"' in page
    assert "not a diagnosis" in page


@pytest.mark.slow
def test_pdf_report_is_the_page_printed_on_a4(analysis):
    if shutil.which("chromium") is None:
        pytest.skip("chromium is not installed (make setup installs it where apt-get exists)")
    out, result = analysis
    data = (out / "report.pdf").read_bytes()
    assert data.startswith(b"%PDF")
    sizes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert sizes and all(abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in sizes)
    assert data.count(b"/Type /Page") - data.count(b"/Type /Pages") >= 3
    assert "no PDF written" not in result.stdout


@pytest.mark.slow
def test_report_renders_in_headless_chromium(analysis, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed (make setup installs it where apt-get exists)")
    out, _ = analysis
    shot = tmp_path / "report.png"
    result = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1000,1400",
            f"--screenshot={shot}",
            (out / "report.html").as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert shot.is_file(), result.stderr
    import cv2

    image = cv2.imread(str(shot))
    assert image is not None and image.std() > 10  # not blank
    assert "ERR_" not in result.stderr


@pytest.mark.slow
def test_bad_input_leaves_no_output_folder(tmp_path):
    fake = tmp_path / "notes.mp4"
    fake.write_text("not a video")
    out = tmp_path / "out"
    result = run_cli("analyze", str(fake), "-o", str(out))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert not out.exists()
    assert next(line for line in result.stderr.splitlines() if line.strip()).startswith("error:")


@pytest.mark.slow
def test_settings_file_and_flags_reach_summary(tmp_path):
    import json

    settings = tmp_path / "study.toml"
    settings.write_text("cutoff_hz = 4.0\nmax_gap_s = 0.2\nblur-face = false\n")
    out = tmp_path / "out"
    result = run_cli(
        "analyze", str(SAMPLE), "-o", str(out), "--config", str(settings), "--max-gap-s", "0.1"
    )
    assert result.returncode == 0, result.stderr
    provenance = json.loads((out / "summary.json").read_text())["provenance"]
    assert provenance["angle_settings"]["cutoff_hz"] == 4.0  # from the file
    assert provenance["angle_settings"]["max_gap_s"] == 0.1  # the flag wins
    assert provenance["analyze_settings"]["blur_face"] is False
    # The report's provenance table shows the same settings.
    page = (out / "report.html").read_text()
    assert "cutoff_hz = 4.0" in page and "max_gap_s = 0.1" in page and "blur_face = no" in page
    bad = tmp_path / "bad.toml"
    bad.write_text("cutoff = 4\n")
    result = run_cli("analyze", str(SAMPLE), "-o", str(tmp_path / "o2"), "--config", str(bad))
    assert result.returncode == 2 and "unknown setting(s) cutoff" in result.stderr
