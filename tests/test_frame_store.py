"""Decoding once: the frames kept at the annotated video's size, and the background threads."""

import threading

import numpy as np
import pytest
from conftest import SAMPLE_VIDEOS

from lumbopelvic.io.background import BackgroundConsumer, prefetched
from lumbopelvic.io.frame_store import FrameStore, resized, scaled_size
from lumbopelvic.io.video import Frame, iter_frames

SAMPLE = SAMPLE_VIDEOS / "typical.mp4"


@pytest.mark.parametrize(
    ("size", "long_side", "expected"),
    [
        ((1080, 1920), 720, (404, 720)),
        ((1920, 1080), 720, (720, 404)),
        ((640, 480), 720, (640, 480)),
        ((1079, 1919), 0, (1080, 1920)),
    ],
)
def test_scaled_size_keeps_the_shape_even_and_never_enlarges(size, long_side, expected):
    assert scaled_size(*size, long_side) == expected


def test_stored_frames_come_back_in_order_at_the_size_asked(tmp_path):
    source = list(iter_frames(SAMPLE))
    store = FrameStore(tmp_path, (202, 360), 30.0)
    for frame in source:
        store.add(frame)
    back = list(store.frames())
    assert store.count == len(back) == len(source)
    assert [f.index for f in back] == list(range(len(source)))
    assert {f.rgb.shape for f in back} == {(360, 202, 3)}
    # Frame by frame the picture is the source's, scaled down (not another frame's).
    for i in (0, len(source) // 2, len(source) - 1):
        small = source[i].rgb[::4, ::4].astype(float).mean()
        assert back[i].rgb.astype(float).mean() == pytest.approx(small, abs=4)


def test_a_frame_is_scaled_smoothly_without_shifting_it():
    # A sharp vertical edge stays where it was and is not aliased into stripes.
    rgb = np.zeros((1920, 1080, 3), np.uint8)
    rgb[:, 540:] = 255
    small = resized(Frame(0, 0.0, rgb), (404, 720)).rgb
    assert small.shape == (720, 404, 3)
    row = small[360, :, 0].astype(int)
    assert (row[:199] == 0).all() and (row[205:] == 255).all()
    assert np.all(np.diff(row) >= 0)  # one monotonic step, no ringing


def test_a_background_error_reaches_the_caller_and_nothing_hangs():
    seen = []

    def consume(item):
        if item == 3:
            raise ValueError("disk full")
        seen.append(item)

    with pytest.raises(ValueError, match="disk full"), BackgroundConsumer(consume, 2) as worker:
        for item in range(50):
            worker.submit(item)
    assert seen == [0, 1, 2]

    def broken():
        yield 1
        raise OSError("unreadable")

    with pytest.raises(OSError, match="unreadable"):
        list(prefetched(broken()))
    assert threading.active_count() < 10
