"""The report in a real browser (Chromium through chromedriver): the annotated video plays,
the plot's cursor follows it, a click on the plot moves it; and an analysis without
Chromium writes no PDF and says why."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest
from conftest import SAMPLE_VIDEOS

PLOT_WIDTH = 900  # the plot's viewBox width; its margins come from the page's data
LEFT, RIGHT = 50, 14  # the plot's left and right margins in viewBox units (viewer.js)


def _browser():
    chromium = shutil.which("chromium")
    driver_path = shutil.which("chromedriver")
    if chromium is None or driver_path is None:
        pytest.skip("chromium or chromium-driver is not installed (make setup installs them)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is a dev extra")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--window-size=1000,1400",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver_path), options=options)


def _wait(driver, script: str, timeout_s: float = 10.0):
    deadline = time.monotonic() + timeout_s
    while True:
        value = driver.execute_script(script)
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


@pytest.fixture(scope="module")
def viewer(analysis):
    out, _ = analysis
    driver = _browser()
    try:
        driver.get((out / "report.html").as_uri())
        yield driver
    finally:
        driver.quit()


@pytest.mark.slow
def test_viewer_plays_the_video_without_errors(viewer):
    # H.264 decodes in this Chromium: the frames are there, not only the metadata.
    assert _wait(
        viewer,
        "var v = document.getElementById('video');"
        "return v.readyState >= 2 && v.videoWidth > 0 && !v.error;",
    )
    duration = viewer.execute_script("return document.getElementById('video').duration")
    t = viewer.execute_script(
        "return JSON.parse(document.getElementById('viewer-data').textContent).t"
    )
    assert duration == pytest.approx(t[-1], abs=0.1)  # the video the angles came from
    severe = [entry for entry in viewer.get_log("browser") if entry["level"] == "SEVERE"]
    assert not severe


@pytest.mark.slow
def test_cursor_follows_the_video(viewer):
    from selenium.webdriver.common.by import By

    _wait(viewer, "return document.getElementById('video').readyState >= 1")
    cursor = viewer.find_element(By.ID, "cursor")
    positions = []
    for seconds in (1.0, 4.0):
        viewer.execute_script(f"document.getElementById('video').currentTime = {seconds}")
        _wait(
            viewer,
            f"return Math.abs(document.getElementById('cursor')"
            f".getAttribute('data-time') - {seconds}) < 0.01",
        )
        positions.append(float(cursor.get_attribute("x1")))
    t = viewer.execute_script(
        "return JSON.parse(document.getElementById('viewer-data').textContent).t"
    )
    expected = [LEFT + (s - t[0]) / (t[-1] - t[0]) * (PLOT_WIDTH - LEFT - RIGHT) for s in (1, 4)]
    assert positions == pytest.approx(expected, abs=1.0)
    assert viewer.find_element(By.ID, "readout").text.startswith("4.0 s")


@pytest.mark.slow
def test_a_click_on_the_plot_moves_the_video(viewer):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    _wait(viewer, "return document.getElementById('video').readyState >= 1")
    plot = viewer.find_element(By.ID, "plot")
    width = plot.rect["width"]
    t = viewer.execute_script(
        "return JSON.parse(document.getElementById('viewer-data').textContent).t"
    )
    target = 3.0
    view_x = LEFT + (target - t[0]) / (t[-1] - t[0]) * (PLOT_WIDTH - LEFT - RIGHT)
    offset = view_x * width / PLOT_WIDTH - width / 2  # selenium offsets are from the centre
    ActionChains(viewer).move_to_element_with_offset(plot, round(offset), 0).click().perform()
    now = _wait(
        viewer,
        "var v = document.getElementById('video');"
        "return Math.abs(v.currentTime - 3.0) < 0.1 ? v.currentTime : 0;",
    )
    assert now == pytest.approx(target, abs=0.1)


@pytest.mark.slow
def test_without_chromium_there_is_no_pdf_and_one_line_says_why(analysis, tmp_path):
    """The pose comes from the session's cache (the ``analysis`` fixture ran it)."""
    out = tmp_path / "out"
    bare_path = os.path.dirname(sys.executable)  # no chromium on it
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "lumbopelvic",
            "analyze",
            str(SAMPLE_VIDEOS / "guarded.mp4"),
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PATH": bare_path},
    )
    assert result.returncode == 0, result.stderr
    assert (out / "report.html").is_file() and not (out / "report.pdf").exists()
    lines = [line for line in result.stdout.splitlines() if "no PDF written" in line]
    assert len(lines) == 1 and "Chromium is not installed" in lines[0]
