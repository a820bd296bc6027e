import av
import pandas as pd
import pytest
from conftest import SAMPLE_VIDEOS, run_cli

from lumbopelvic.rhythm.change import change_label, compare_summaries
from lumbopelvic.rhythm.references import CHANGE_LABELS as LABELS


@pytest.mark.parametrize(
    ("change", "label"), [(3.0, LABELS[0]), (-9.0, LABELS[1]), (15.0, LABELS[2]), (-20, LABELS[2])]
)
def test_change_label_against_the_mdc_range(change, label):
    assert change_label(change, 8.0, 15.0) == label


def test_compare_summaries_reads_flexion_means():
    def summary(share: float, pelvis: float) -> dict:
        return {"phases": {"flexion": {
            "lumbar_contribution_pct": {"mean": share}, "peak_pelvis_deg": {"mean": pelvis},
            "peak_trunk_deg": {"mean": None}, "peak_lumbar_deg": {"mean": 40.0},
        }}}  # fmt: skip

    table = compare_summaries(summary(45.0, 60.0), summary(50.0, 40.0)).set_index("metric")
    assert table.loc["lumbar_contribution_pct", "change"] == pytest.approx(5.0)
    assert table.loc["lumbar_contribution_pct", "label"] == "within measurement noise"
    assert table.loc["peak_pelvis_deg", "label"] == "larger than measurement noise"
    assert table.loc["peak_trunk_deg", "label"] == "not measured"


@pytest.mark.slow
def test_guarded_sample_differs_beyond_noise_from_typical(tmp_path):
    out = tmp_path / "cmp"
    result = run_cli(
        "compare", str(SAMPLE_VIDEOS / "typical.mp4"), str(SAMPLE_VIDEOS / "guarded.mp4"),
        "-o", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(out / "comparison.csv").set_index("metric")
    assert table.loc["peak_pelvis_deg", "label"] == "larger than measurement noise"
    assert table.loc["peak_pelvis_deg", "change"] < 0  # guarded: less pelvic rotation
    assert table.loc["lumbar_contribution_pct", "change"] > 0
    page = (out / "comparison.html").read_text()
    assert "typical vs guarded" in page and "not a diagnosis" in page
    with av.open(str(out / "side_by_side.mp4")) as container:
        frames = list(container.decode(video=0))
    assert len(frames) >= 150 and frames[0].width > frames[0].height


def test_compare_rejects_a_folder_without_analysis(tmp_path):
    result = run_cli("compare", str(tmp_path), str(tmp_path), "-o", str(tmp_path / "o"))
    assert result.returncode == 2 and "not an analyze output folder" in result.stderr
