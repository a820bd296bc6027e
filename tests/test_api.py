"""The Python API a researcher uses in a notebook: analyze, load, compare, plots."""

import matplotlib
import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLE_VIDEOS, bending_table, trunk_track

import lumbopelvic
from lumbopelvic.core.errors import LumbopelvicError


def test_the_public_names_are_there_and_lazy():
    for name in (
        "analyze",
        "compare",
        "load",
        "batch",
        "validate",
        "Result",
        "AnalysisSettings",
        "LumbopelvicError",
    ):
        assert name in dir(lumbopelvic) and getattr(lumbopelvic, name) is not None
    with pytest.raises(AttributeError):
        lumbopelvic.no_such_thing  # noqa: B018


def test_bad_input_raises_one_line_errors(tmp_path):
    with pytest.raises(LumbopelvicError, match="not an analyze output folder"):
        lumbopelvic.load(tmp_path)
    table = tmp_path / "landmarks.csv"
    bending_table(*trunk_track(2.0)[::-1], facing=1).to_csv(table)
    with pytest.raises(LumbopelvicError, match="needs the video itself"):
        lumbopelvic.analyze(table, tmp_path / "out")
    with pytest.raises(LumbopelvicError, match="unknown setting"):
        lumbopelvic.analyze(SAMPLE_VIDEOS / "typical.mp4", tmp_path / "out", cutoff=3)


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    out = tmp_path_factory.mktemp("api") / "typical"
    backend = matplotlib.get_backend()
    result = lumbopelvic.analyze(SAMPLE_VIDEOS / "typical.mp4", out, blur_face=False)
    assert matplotlib.get_backend() == backend  # a notebook keeps its inline plots
    return result


@pytest.mark.slow
def test_analyze_returns_the_tables_and_the_files(analysed):
    assert isinstance(analysed, lumbopelvic.Result)
    assert analysed.summary.repetitions.found == analysed.reps["rep"].nunique() >= 1
    assert analysed.summary.provenance["settings"]["blur_face"] is False
    assert analysed.summary.verdict == lumbopelvic.Verdict.ANALYSABLE
    kinds = ("video", "report", "report_pdf", "angles", "reps", "summary", "curves", "mot", "trc")
    for kind in kinds:
        assert analysed.paths[kind].is_file() and analysed.paths[kind].parent == analysed.folder
    steps = [s["step"] for s in analysed.summary.provenance["history"]]
    assert steps[0] == "pose" and steps[-3:] == ["angles", "rhythm", "outputs"]
    assert any("lower back" in sentence for sentence in analysed.describe())
    assert "repetitions" in repr(analysed)


@pytest.mark.slow
def test_load_reads_back_what_analyze_wrote(analysed):
    loaded = lumbopelvic.load(analysed.folder)
    assert loaded.summary.repetitions == analysed.summary.repetitions
    assert loaded.summary.phases == analysed.summary.phases
    assert (
        loaded.summary.provenance["input"]["sha256"]
        == (analysed.summary.provenance["input"]["sha256"])
    )
    assert not loaded.notes
    pd.testing.assert_frame_equal(
        loaded.reps.select_dtypes("number"),
        analysed.reps.select_dtypes("number"),
        check_dtype=False,
        rtol=2e-3,
        atol=0.05,
    )
    assert len(loaded.angles) == len(analysed.angles)
    assert loaded.landmarks is not None and len(loaded.landmarks) == len(loaded.angles)
    assert loaded.angles.attrs["lumbopelvic"]["facing"] in ("left", "right")
    # The curves are read back as they were written (4 decimals), not computed again.
    assert set(loaded.curves) == {name for name, c in analysed.curves.items() if len(c)}
    for name, curves in loaded.curves.items():
        np.testing.assert_allclose(curves, analysed.curves[name], atol=1e-4)


@pytest.mark.slow
def test_plots_draw_into_given_axes_or_new_figures(analysed):
    from matplotlib.figure import Figure

    ax = analysed.plot_angles()
    assert len(ax.lines) == 3 and isinstance(ax.figure, Figure)
    given = Figure().add_subplot()
    assert analysed.plot_share_curves(ax=given) is given and given.lines
    angle_angle = analysed.plot_pelvis_vs_lumbar()
    assert len(angle_angle.lines) == analysed.reps["rep"].nunique() + 1  # and the diagonal


@pytest.mark.slow
def test_compare_two_analysis_folders(analysed, tmp_path):
    comparison = lumbopelvic.compare(analysed.folder, analysed.folder, tmp_path / "cmp")
    assert (comparison.table["change"].abs() < 1e-9).all()
    assert set(comparison.table["label"]) == {"within measurement noise"}
    assert all(path.is_file() for path in comparison.paths.values())
    assert set(comparison.paths) - {"pdf"} == {"table", "page", "video"}
