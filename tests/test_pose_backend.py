"""The pose-backend seam: any registered backend's poses become the landmark table."""

from pathlib import Path

import numpy as np
import pytest
from conftest import SAMPLE_VIDEOS

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.landmarks import LANDMARK_FIELDS, LANDMARK_INDEX, N_LANDMARKS
from lumbopelvic.core.outline_codec import decode_outline
from lumbopelvic.io.hashing import sha256_file
from lumbopelvic.pose.backend import BackendRun, FramePose, empty_landmarks
from lumbopelvic.pose.backends import BACKENDS, DEFAULT_BACKEND
from lumbopelvic.pose.extract import extract_pose
from lumbopelvic.pose.frames import analysed_frames
from lumbopelvic.pose.mediapipe.landmarker import MediaPipeBackend
from lumbopelvic.pose.settings import PoseSettings

SAMPLE = SAMPLE_VIDEOS / "typical.mp4"


class StillBackend:
    """A backend that finds one motionless person in every other frame: x = landmark row."""

    name = "still"

    def __init__(self, model: Path) -> None:
        self.model = model
        self.seen_settings: PoseSettings | None = None

    def model_file(self, model: str) -> Path:
        if model != "still-model":
            raise LumbopelvicError(f"unknown model {model!r}")
        return self.model

    def run(self, video, model_path, settings, progress=None, frame_sink=None) -> BackendRun:
        self.seen_settings = settings
        landmarks = np.zeros((N_LANDMARKS, len(LANDMARK_FIELDS)))
        landmarks[:, 0] = np.arange(N_LANDMARKS)
        outline = np.array([[10, 10], [50, 10], [50, 90]], np.int32)
        poses = []
        for frame in analysed_frames(video, settings, frame_sink):
            found = frame.index % 2 == 0
            poses.append(
                FramePose(frame.index, frame.time_s, landmarks, 1, outline)
                if found
                else FramePose(frame.index, frame.time_s, empty_landmarks(), 0)
            )
            if progress is not None:
                progress(len(poses), frame.time_s)
        return BackendRun(poses, {"still": {"frames": len(poses)}})


@pytest.fixture
def still(tmp_path, monkeypatch) -> StillBackend:
    model = tmp_path / "still.bin"
    model.write_bytes(b"weights")
    backend = StillBackend(model)
    monkeypatch.setitem(BACKENDS, DEFAULT_BACKEND, backend)
    return backend


def test_the_registry_holds_mediapipe_as_the_default():
    assert DEFAULT_BACKEND == "mediapipe"
    assert isinstance(BACKENDS[DEFAULT_BACKEND], MediaPipeBackend)
    assert all(backend.name == name for name, backend in BACKENDS.items())


def test_a_backends_poses_and_provenance_become_the_table(still):
    settings = PoseSettings(model="still-model", start=1.0, end=1.5)
    sunk, progress = [], []
    run = extract_pose(
        SAMPLE,
        settings,
        use_cache=False,
        progress=lambda n, t: progress.append(n),
        frame_sink=lambda frame: sunk.append(frame.index),
    )
    table = run.table
    assert still.seen_settings == settings
    assert list(table["frame"]) == sunk and progress == list(range(1, len(sunk) + 1))
    assert table["time_s"].between(1.0, 1.5).all()
    person = table["n_people"] > 0
    assert list(person) == [i % 2 == 0 for i in table["frame"]]
    assert (table.loc[person, "right_hip_x_px"] == LANDMARK_INDEX["right_hip"]).all()
    assert table.loc[~person, "right_hip_x_px"].isna().all()
    assert decode_outline(table["silhouette_px"].iloc[np.flatnonzero(person)[0]]).tolist() == [
        [10, 10],
        [50, 10],
        [50, 90],
    ]
    meta = table.attrs["lumbopelvic"]
    assert meta["still"] == {"frames": len(table)}
    assert meta["model"] == {
        "name": "still-model",
        "path": str(still.model),
        "sha256": sha256_file(still.model),
    }


def test_the_backend_says_which_models_it_knows(still):
    with pytest.raises(LumbopelvicError, match="unknown model 'full'"):
        extract_pose(SAMPLE, PoseSettings(), use_cache=False)


def test_a_second_run_reads_the_cache_without_the_backend(still):
    settings = PoseSettings(model="still-model", end=0.5)
    first = extract_pose(SAMPLE, settings)
    runs = []
    still.run = lambda *args, **kwargs: runs.append(args)
    second = extract_pose(SAMPLE, settings)
    assert not first.from_cache and second.from_cache and not runs
    assert second.table.attrs["lumbopelvic"]["still"] == {"frames": len(first.table)}
