"""Batch runs: a folder with a corrupt file, resumability, manifest metadata, Dask."""

import subprocess

import imageio_ffmpeg
import pandas as pd
import pytest
from conftest import REAL_DATA, SAMPLE_VIDEOS, run_cli

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.workflows.batch import collect_jobs, run_batch


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    """Two short clips (one bend each) and a corrupt file."""
    folder = tmp_path_factory.mktemp("clips")
    for name in ("typical", "guarded"):
        subprocess.run(
            [
                imageio_ffmpeg.get_ffmpeg_exe(),
                "-loglevel",
                "error",
                "-y",
                "-i",
                str(SAMPLE_VIDEOS / f"{name}.mp4"),
                "-t",
                "3.2",
                "-c:v",
                "libx264",
                "-crf",
                "28",
                str(folder / f"{name}.mp4"),
            ],
            check=True,
        )
    (folder / "broken.mp4").write_text("not a video")
    return folder


@pytest.mark.slow
def test_batch_records_the_failure_and_resumes(clips, tmp_path):
    out = tmp_path / "out"
    first = run_cli("batch", str(clips), "-o", str(out), "--jobs", "2")
    assert first.returncode == 1  # something failed, and the exit code says so
    failures = pd.read_csv(out / "failures.csv")
    assert list(failures["video"].str.rsplit("/", n=1).str[-1]) == ["broken.mp4"]
    assert "not a readable video" in failures["reason"][0]
    trials = pd.read_csv(out / "trials.csv")
    assert len(trials) == 3  # one row per trial, the failed one included
    ok = trials[trials["status"] != "failed"]
    assert set(ok["repetitions_count"]) == {1} and set(ok["status"]) == {"analysed"}
    broken = trials[trials["status"] == "failed"].iloc[0]
    assert broken["verdict"] == "not-analysable" and "not a readable video" in broken["reason"]
    reps = pd.read_csv(out / "reps.csv")
    assert set(reps["trial"]) == set(ok["trial"])
    assert (out / "batch.html").is_file()
    second = run_cli("batch", str(clips), "-o", str(out), "--jobs", "2")
    assert "0 analysed, 0 with no repetition found, 2 already done, 1 failed" in " ".join(
        second.stdout.split()
    )
    pd.testing.assert_frame_equal(pd.read_csv(out / "trials.csv"), trials)


@pytest.mark.slow
def test_manifest_metadata_and_overrides(clips, tmp_path):
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "video,subject,session,condition,subject_height_m\n"
        f"{clips / 'typical.mp4'},s01,1,pre,1.72\n"
        f"{clips / 'guarded.mp4'},s01,2,post,\n"
    )
    jobs = collect_jobs([], manifest, {"task": "forward-bend", "model": "full"})
    assert [j.metadata["condition"] for j in jobs] == ["pre", "post"]
    assert jobs[0].settings["subject_height_m"] == 1.72
    assert "subject_height_m" not in jobs[1].settings
    counts = run_batch(jobs, tmp_path / "out", workers=1)
    assert counts["analysed"] == 2 and counts["failed"] == 0
    trials = pd.read_csv(tmp_path / "out" / "trials.csv")
    assert list(trials["condition"]) == ["post", "pre"] or list(trials["condition"]) == [
        "pre",
        "post",
    ]
    assert set(pd.read_csv(tmp_path / "out" / "reps.csv")["subject"]) == {"s01"}
    trc = next((tmp_path / "out" / "videos").glob("typical_*/landmarks.trc")).read_text()
    assert trc.splitlines()[2].split("\t")[4] == "m"


def test_bad_inputs(tmp_path):
    with pytest.raises(LumbopelvicError, match="no video matches"):
        collect_jobs([str(tmp_path / "*.mp4")], None, {})
    bad = tmp_path / "m.csv"
    bad.write_text("file\nx.mp4\n")
    with pytest.raises(LumbopelvicError, match="'video' column"):
        collect_jobs([], bad, {})
    bad.write_text("video,subject_height_m,task\nx.mp4,tall,squat\n")
    with pytest.raises(LumbopelvicError, match="subject_height_m must be a number"):
        collect_jobs([], bad, {})
    bad.write_text("video,task\nx.mp4,jumping\n")
    with pytest.raises(LumbopelvicError, match="unknown task 'jumping'"):
        collect_jobs([], bad, {})


@pytest.mark.slow
def test_dask_cluster_gives_the_same_tables(clips, tmp_path):
    distributed = pytest.importorskip("distributed", reason="the cluster extra is not installed")
    local = tmp_path / "local"
    run_batch(collect_jobs([str(clips / "typical.mp4")], None, {}), local, workers=1)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        counts = run_batch(
            collect_jobs([str(clips / "typical.mp4")], None, {}),
            tmp_path / "dask",
            dask_address=cluster.scheduler_address,
        )
    assert counts["done"] == 1
    for table in ("trials.csv", "reps.csv"):
        pd.testing.assert_frame_equal(
            pd.read_csv(local / table), pd.read_csv(tmp_path / "dask" / table)
        )


@pytest.mark.slow
def test_a_killed_batch_resumes_without_redoing_finished_videos(clips, tmp_path):
    import signal
    import sys
    import time

    out = tmp_path / "out"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lumbopelvic",
            "batch",
            str(clips / "typical.mp4"),
            str(clips / "guarded.mp4"),
            "-o",
            str(out),
            "--jobs",
            "1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 120
    while time.time() < deadline and not list((out / "videos").glob("*/done.json")):
        time.sleep(0.2)
    process.send_signal(signal.SIGKILL)
    process.wait()
    finished = {p.parent.name for p in (out / "videos").glob("*/done.json")}
    assert len(finished) == 1
    result = run_cli(
        "batch", str(clips / "typical.mp4"), str(clips / "guarded.mp4"), "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert "1 analysed, 0 with no repetition found, 1 already done, 0 failed" in " ".join(
        result.stdout.split()
    )
    assert len(pd.read_csv(out / "trials.csv")) == 2


@pytest.mark.slow
def test_a_walking_clip_is_no_repetitions_not_analysed_and_the_log_says_so(tmp_path):
    walk = REAL_DATA / "walk_side.mp4"
    if not walk.is_file():
        pytest.skip("the real walking clip is not on this machine")
    out = tmp_path / "out"
    result = run_cli("batch", str(walk), "-o", str(out), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "0 analysed, 1 with no repetition found" in " ".join(result.stdout.split())
    assert "batch 1/1 (100 %): walk_side.mp4: no repetitions found, not-analysable" in (
        result.stderr
    )
    trial = pd.read_csv(out / "trials.csv").iloc[0]
    assert (trial["status"], trial["verdict"]) == ("no-repetitions", "not-analysable")
    assert trial["video"] == str(walk) and "no forward-bend movement" in trial["reason"]
    assert "not analysable" in (out / "batch.html").read_text()


def test_a_manifest_may_analyse_part_of_each_video(tmp_path):
    manifest = tmp_path / "m.csv"
    manifest.write_text("video,start,end,subject\nclips/a.mp4,0:01.5,12,s07\n")
    job = collect_jobs([], manifest, {})[0]
    assert (job.settings["start"], job.settings["end"]) == (1.5, 12.0)
    assert job.metadata == {"subject": "s07"}  # a participant, not the --subject choice
    assert job.video == str(tmp_path / "clips" / "a.mp4")  # absolute, from the manifest's folder
    manifest.write_text("video,start\na.mp4,1:99\n")
    with pytest.raises(LumbopelvicError, match="start must be a time"):
        collect_jobs([], manifest, {})
