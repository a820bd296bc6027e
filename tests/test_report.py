"""The report page as a reader sees it: plain words, units, honest gaps, one template for
screen and print (no MediaPipe, no video: a synthetic angle table)."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from lumbopelvic.core.provenance import set_metadata
from lumbopelvic.core.verdict import Assessment, Verdict
from lumbopelvic.core.wording import plural
from lumbopelvic.outputs.key_frames import KeyFrame, key_frame_indices
from lumbopelvic.outputs.pdf_print import NO_CHROMIUM_NOTE, PdfUnavailableError, print_pdf
from lumbopelvic.outputs.report import ReportDetails, css_string, render_report
from lumbopelvic.outputs.report_words import MISSING, number, points
from lumbopelvic.rhythm.analysis import analyse_rhythm
from lumbopelvic.rhythm.summary import RhythmSummary

FPS = 30


class _Text(HTMLParser):
    """The page's visible text (no script, style or JSON), and its <script> bodies."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.scripts: dict[str, str] = {}
        self._skip: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip = dict(attrs).get("id") or tag

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip = None

    def handle_data(self, data):
        if self._skip:
            self.scripts[self._skip] = self.scripts.get(self._skip, "") + data
        else:
            self.parts.append(data)


def _read(page: str) -> _Text:
    parser = _Text()
    parser.feed(page)
    return parser


def _two_bends(low_from_s: float | None = None) -> pd.DataFrame:
    t = np.arange(0, 10, 1 / FPS)
    shape = np.interp(t, [0, 1, 2.5, 3.5, 5, 6, 7.5, 8.5, 10], [0, 0, 1, 1, 0, 0, 1, 1, 0])
    trunk = 100 * shape
    n = len(t)
    table = pd.DataFrame(
        {
            "frame": np.arange(n),
            "time_s": t,
            "trunk_deg": trunk,
            "pelvis_deg": 0.55 * trunk,
            "lumbar_deg": 0.45 * trunk,
            "knee_deg": np.zeros(n),
            "confidence": np.ones(n),
        }
    )
    if low_from_s is not None:
        table.loc[table.time_s >= low_from_s, "confidence"] = 0.2
    table["low_confidence"] = table["confidence"] < 0.5
    return set_metadata(table, {"standing": {"start_frame": 0, "stop_frame": 20}})


def _page(angles: pd.DataFrame, **details) -> tuple[str, RhythmSummary]:
    found = analyse_rhythm(angles)
    page = render_report(
        angles, found.reps, found.summary, found.curves, "clip.mp4", ReportDetails(**details)
    )
    return page, found.summary


def test_numbers_are_written_for_people():
    assert [number(v) for v in (-0.3, 0.4, None, np.nan, 12.4)] == [
        "0",
        "0",
        MISSING,
        MISSING,
        "12",
    ]
    assert number(np.bool_(False)) == "no" and number(-2.26, 1) == "-2.3"
    assert plural(1, "repetition") == "1 repetition" and plural(2, "repetition") == "2 repetitions"
    assert points(1.2) == "1 percentage point" and points(5) == "5 percentage points"


def test_report_speaks_plain_words_with_units():
    page, _ = _page(
        _two_bends(),
        client="J. <b>Doe</b>",
        notes="Second visit",
        analysed_at="2026-03-04T10:00:00+00:00",
    )
    text = " ".join(" ".join(_read(page).parts).split())
    for code in (
        "duration_s",
        "pelvis_lag_ms",
        "marp_deg",
        "rep°",
        "phase°",
        "repetition(s)",
        "None",
        "NaN",
        "nan",
        "False",
        "True",
    ):
        assert not re.search(rf"(?<!\w){re.escape(code)}(?!\w)", text), code
    assert not re.search(r"(?<![\w.])-0(?![\d.])", text)  # no minus zero
    assert "2 repetitions were analysed" in text
    for header in (
        "Trunk bend (°)",
        "Pelvis tilt (°)",
        "Lower-back share (%)",
        "Duration (s)",
        "Coordination (°)",
        "Pelvis lag (ms)",
        "Spread (SD, same unit)",
    ):
        assert header in text, header
    # Each measure is explained once, where it first appears.
    assert text.count("mean absolute relative phase") == 1
    assert "J. &lt;b&gt;Doe&lt;/b&gt;" in page and "Second visit" in text
    assert "4 March 2026" in text and "Provenance" in text and "Variability" in text


def test_report_prints_a4_with_page_numbers_and_hides_the_player():
    page, _ = _page(_two_bends(), client='Ann "}</style><script>x')
    styles = _read(page).scripts["style"]
    assert "size: A4" in styles and "counter(page)" in styles and "counter(pages)" in styles
    assert "</style" not in styles.lower() and 'Ann "' not in styles  # the name cannot escape
    assert re.search(r"@media print \{\s*\.screen-only \{ display: none", styles)
    assert 'class="viewer screen-only"' in page and "print-only" in page
    assert css_string('a"b') == '"a\\000022 b"'


def test_viewer_data_hides_the_uncertain_split_and_marks_it():
    angles = _two_bends(low_from_s=6.0)  # the second bend's split is not confident
    page, summary = _page(angles)
    data = json.loads(_read(page).scripts["viewer-data"])
    assert len(data["t"]) == len(angles) and [s["name"] for s in data["series"]] == [
        "trunk",
        "pelvis",
        "lumbar",
    ]
    pelvis = data["series"][1]["values"]
    late = np.asarray(data["t"]) >= 6.0
    assert all(v is None for v, hide in zip(pelvis, late, strict=True) if hide)
    assert data["low"] and data["low"][0][0] == pytest.approx(6.0, abs=0.05)
    assert [r[2] for r in data["reps"]] == ["repetition 1", "repetition 2"]
    text = " ".join(_read(page).parts)
    assert "uncertain" in text  # the second repetition's split cells say so
    assert summary.phases["flexion"]["peak_pelvis_deg"].n == 1


def test_trunk_only_trial_shows_the_trunk_alone():
    angles = _two_bends()
    found = analyse_rhythm(angles)
    judged = Assessment(Verdict.TRUNK_ONLY, ("the camera is 50° off a side view",))
    summary = dataclasses.replace(found.summary, assessment=judged)
    page = render_report(angles, found.reps, summary, found.curves, "clip.mp4")
    data = json.loads(_read(page).scripts["viewer-data"])
    assert [s["name"] for s in data["series"]] == ["trunk"]
    text = " ".join(_read(page).parts)
    assert "Trunk bend (°)" in text and "Pelvis tilt (°)" not in text
    assert "pelvis vs lumbar" not in page and "The camera is 50° off a side view." in text


def test_key_frames_are_standing_and_each_deepest_point():
    angles = _two_bends()
    frames = key_frame_indices(angles, analyse_rhythm(angles).reps)
    assert [f.caption for f in frames] == [
        "Quiet standing",
        "Repetition 1, deepest point",
        "Repetition 2, deepest point",
    ]
    assert 2.5 <= frames[1].time_s <= 3.5 and 7.5 <= frames[2].time_s <= 8.5
    page = render_report(
        angles,
        analyse_rhythm(angles).reps,
        analyse_rhythm(angles).summary,
        {},
        "c.mp4",
        ReportDetails(key_frames=[KeyFrame(0, 0.0, "x", "y", "QUJD")]),
    )
    assert "data:image/jpeg;base64,QUJD" in page


def test_no_chromium_means_no_pdf_and_a_reason(monkeypatch, tmp_path):
    monkeypatch.setattr("lumbopelvic.outputs.pdf_print.find_chromium", lambda: None)
    html = tmp_path / "report.html"
    html.write_text("<p>x</p>")
    with pytest.raises(PdfUnavailableError, match="Chromium is not installed"):
        print_pdf(html, tmp_path / "report.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
    assert "\n" not in NO_CHROMIUM_NOTE


@pytest.mark.slow
def test_print_pdf_writes_an_a4_pdf(tmp_path):
    if shutil.which("chromium") is None:
        pytest.skip("chromium is not installed (make setup installs it where apt-get exists)")
    page, _ = _page(_two_bends(), client="Ann")
    html = tmp_path / "report.html"
    html.write_text(page, encoding="utf-8")
    print_pdf(html, tmp_path / "report.pdf")
    data = (tmp_path / "report.pdf").read_bytes()
    assert data.startswith(b"%PDF")
    assert re.search(rb"/MediaBox \[0 0 59[45]\.\d+ 841\.\d+\]", data)
    if shutil.which("pdftotext"):
        import subprocess

        words = subprocess.run(
            ["pdftotext", str(tmp_path / "report.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "Page 1 of" in words and "Ann" in words and "Lower-back share" in words
