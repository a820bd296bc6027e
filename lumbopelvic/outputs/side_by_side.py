"""Two annotated videos side by side, on one time line, for a pre/post comparison."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from lumbopelvic.io.video import iter_frames, probe_video
from lumbopelvic.io.video_writer import VideoWriter

SIDE_BY_SIDE_HEIGHT_PX = 720


def side_by_side(
    before_video: Path, after_video: Path, out_path: Path, height: int = SIDE_BY_SIDE_HEIGHT_PX
) -> Path:
    """Both annotated videos next to each other, in time; the shorter holds its last frame."""
    def scaled(rgb: np.ndarray) -> np.ndarray:
        h, w = rgb.shape[:2]
        return cv2.resize(rgb, (round(w * height / h) // 2 * 2, height))

    a_frames = [(f.time_s, scaled(f.rgb)) for f in iter_frames(before_video)]
    b_frames = [(f.time_s, scaled(f.rgb)) for f in iter_frames(after_video)]
    times = sorted({t for t, _ in a_frames} | {t for t, _ in b_frames})
    width = a_frames[0][1].shape[1] + b_frames[0][1].shape[1]
    fps = max(probe_video(before_video).nominal_fps, probe_video(after_video).nominal_fps)

    def at(frames: list[tuple[float, np.ndarray]], t: float) -> np.ndarray:
        index = np.searchsorted([ft for ft, _ in frames], t, side="right") - 1
        return frames[max(0, min(index, len(frames) - 1))][1]

    with VideoWriter(out_path, width, height, fps) as writer:
        for t in times:
            writer.write(np.hstack([at(a_frames, t), at(b_frames, t)]), t)
    return out_path
