"""Re-analysis: what nothing changed is taken over, what changed is drawn again."""

import json
import shutil

import pytest
from conftest import SAMPLE_VIDEOS

import lumbopelvic

SAMPLE = SAMPLE_VIDEOS / "typical.mp4"


def _render(out, kind="render"):
    return json.loads((out / "summary.json").read_text())["provenance"][kind]


@pytest.mark.slow
def test_an_unchanged_render_is_taken_over_and_a_changed_one_redrawn(tmp_path):
    out = tmp_path / "visit"
    lumbopelvic.analyze(SAMPLE, out, client="A")
    first = _render(out)
    video = (out / "annotated.mp4").read_bytes()
    stills = sorted(p.name for p in (out / "key_frames").iterdir())
    assert first["reused"] is False and len(stills) == 3

    # A new client name changes the report, not one drawn pixel.
    lumbopelvic.analyze(SAMPLE, out, client="B")
    second = _render(out)
    assert second == {"digest": first["digest"], "reused": True}
    assert (out / "annotated.mp4").read_bytes() == video
    assert sorted(p.name for p in (out / "key_frames").iterdir()) == stills
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count("data:image/jpeg;base64,") == 3 and ">B<" in page
    assert _render(out, "report")["reused"] is False

    # The same analysis again: the report is taken over too (nothing it shows changed).
    lumbopelvic.analyze(SAMPLE, out, client="B")
    assert _render(out, "report")["reused"] is True and _render(out)["reused"] is True
    assert (out / "report.html").read_text(encoding="utf-8") == page
    if shutil.which("chromium"):
        assert (out / "report.pdf").read_bytes().startswith(b"%PDF")

    # Showing the face changes every frame: drawn again.
    lumbopelvic.analyze(SAMPLE, out, client="B", blur_face=False)
    third = _render(out)
    assert third["reused"] is False and third["digest"] != first["digest"]
    assert (out / "annotated.mp4").read_bytes() != video
