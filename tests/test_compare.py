import av
import pandas as pd
import pytest
from conftest import SAMPLE_VIDEOS, run_cli

from lumbopelvic.outputs.pdf_print import find_chromium
from lumbopelvic.rhythm.change import change_label, compare_summaries
from lumbopelvic.rhythm.references import CHANGE_LABELS as LABELS
from lumbopelvic.rhythm.summary import RhythmSummary


@pytest.mark.parametrize(
    ("change", "label"), [(3.0, LABELS[0]), (-16.0, LABELS[0]), (16.6, LABELS[1]), (-20, LABELS[1])]
)
def test_change_label_against_the_smallest_real_difference(change, label):
    assert change_label(change, 16.53) == label


def test_compare_summaries_reads_flexion_means():
    def summary(share: float, pelvis: float) -> RhythmSummary:
        return RhythmSummary.from_json(
            {
                "task": "forward-bend",
                "phases": {
                    "flexion": {
                        "lumbar_contribution_pct": {"mean": share},
                        "peak_pelvis_deg": {"mean": pelvis},
                        "peak_trunk_deg": {"mean": None},
                        "peak_lumbar_deg": {"mean": 40.0},
                    }
                },
            }
        )

    table = compare_summaries(summary(45.0, 60.0), summary(50.0, 40.0)).set_index("metric")
    assert table.loc["lumbar_contribution_pct", "change"] == pytest.approx(5.0)
    assert table.loc["lumbar_contribution_pct", "label"] == "within measurement noise"
    assert table.loc["peak_pelvis_deg", "label"] == "larger than measurement noise"  # -20 > 9.7
    assert table.loc["peak_trunk_deg", "label"] == "not measured"


@pytest.mark.slow
def test_guarded_sample_differs_beyond_noise_from_typical(tmp_path):
    out = tmp_path / "cmp"
    result = run_cli(
        "compare",
        str(SAMPLE_VIDEOS / "typical.mp4"),
        str(SAMPLE_VIDEOS / "guarded.mp4"),
        "-o",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(out / "comparison.csv").set_index("metric")
    assert table.loc["peak_pelvis_deg", "label"] == "larger than measurement noise"
    assert table.loc["peak_pelvis_deg", "change"] < 0  # guarded: less pelvic rotation
    share = table.loc["lumbar_contribution_pct"]
    assert 17 <= share["change"] <= 25 and share["label"] == "larger than measurement noise"
    assert "Lower-back share: +" in result.stdout and "Camera set-up differs" not in result.stdout
    page = (out / "comparison.html").read_text()
    assert "Before · typical" in page and "After · guarded" in page and "not a diagnosis" in page
    assert "filmed in a similar way" in page
    with av.open(str(out / "side_by_side.mp4")) as container:
        frames = list(container.decode(video=0))
    assert len(frames) >= 150 and frames[0].width > frames[0].height
    if find_chromium():
        assert (out / "comparison.pdf").read_bytes()[:5] == b"%PDF-"


@pytest.mark.slow
def test_a_different_camera_set_up_is_warned_and_labels_are_used(tmp_path):
    out = tmp_path / "cmp"
    result = run_cli(
        "compare",
        str(SAMPLE_VIDEOS / "typical.mp4"),
        str(SAMPLE_VIDEOS / "delayed_pelvis.mp4"),
        "-o",
        str(out),
        "--labels",
        "Visit 1,Visit 2",
        "--client",
        "J. Doe",
        "--no-blur-face",
    )
    assert result.returncode == 0, result.stderr
    assert "Camera set-up differs" in result.stdout and "comparison is weaker" in result.stdout
    page = (out / "comparison.html").read_text()
    assert "the comparison is weaker" in page and "Before · Visit 1" in page and "J. Doe" in page


@pytest.mark.slow
def test_without_chromium_no_pdf_and_one_note(tmp_path, monkeypatch):
    import lumbopelvic
    from lumbopelvic.outputs import pdf_print

    monkeypatch.setattr(pdf_print, "find_chromium", lambda: None)
    video = SAMPLE_VIDEOS / "typical.mp4"
    comparison = lumbopelvic.compare(video, video, tmp_path / "cmp", labels="A,B")
    assert "pdf" not in comparison.paths and not (tmp_path / "cmp" / "comparison.pdf").exists()
    assert comparison.notes == [pdf_print.NO_CHROMIUM_NOTE]
    assert set(comparison.table["label"]) == {"within measurement noise"}


@pytest.mark.slow
def test_compare_rejects_a_folder_without_analysis(tmp_path):
    result = run_cli("compare", str(tmp_path), str(tmp_path), "-o", str(tmp_path / "o"))
    assert result.returncode == 2 and "not an analyze output folder" in result.stderr
