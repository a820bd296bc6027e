"""``lumbopelvic analyze``: pose, angles, rhythm, annotated video and report in one run.

All outputs are first written into a temporary folder beside the target and moved in only
when every step succeeded, so bad input never leaves a half-written output folder and never
replaces earlier results.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from lumbopelvic.angles import AngleSettings, compute_angles
from lumbopelvic.angles_io import save_angles
from lumbopelvic.annotate import write_annotated
from lumbopelvic.atomic import write_text_atomic
from lumbopelvic.landmark_table import save_landmark_table
from lumbopelvic.opensim_export import write_opensim
from lumbopelvic.pose import PoseRun
from lumbopelvic.report import render_report, write_pdf
from lumbopelvic.summary import analyse_rhythm, save_rhythm


def phase_labels(times_s: np.ndarray, rows: pd.DataFrame) -> list[str]:
    """Per-frame "rep N: phase" labels for the video ("standing" between repetitions)."""
    labels = ["standing"] * len(times_s)
    for row in rows.itertuples(index=False):
        for i in np.flatnonzero((times_s >= row.start_s) & (times_s <= row.end_s)):
            labels[i] = f"rep {row.rep}: {row.phase}"
    return labels


def analyse_video(
    video: Path,
    pose: PoseRun,
    out_dir: Path,
    task: str = "forward-bend",
    blur_face: bool = True,
    angle_settings: AngleSettings | None = None,
    subject_height_m: float | None = None,
) -> dict[str, Path]:
    """Write every output of an analysis into ``out_dir`` (see the module docstring).

    Returns
    -------
    dict
        Output kind to final path.
    """
    angles = compute_angles(pose.table, angle_settings)
    rows, summary, curves = analyse_rhythm(angles, task)
    summary["provenance"]["analyze_settings"] = {
        "task": task,
        "blur_face": blur_face,
        "subject_height_m": subject_height_m,
    }
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        paths = save_landmark_table(pose.table, staging)
        paths.update(save_angles(angles, staging))
        paths.update(save_rhythm(rows, summary, staging))
        exported = write_opensim(angles, pose.table, staging, subject_height_m)
        paths.update({kind: Path(path) for kind, path in exported.items()})
        labels = phase_labels(angles["time_s"].to_numpy(float), rows)
        paths["video"] = write_annotated(
            video, pose.table, angles, labels, staging / "annotated.mp4", blur=blur_face
        )
        paths["report"] = staging / "report.html"
        write_text_atomic(paths["report"], render_report(angles, rows, summary, curves, video.name))
        paths["report_pdf"] = staging / "report.pdf"
        write_pdf(angles, rows, summary, curves, video.name, paths["report_pdf"])
        out_dir.mkdir(parents=True, exist_ok=True)
        final = {}
        for kind, path in paths.items():
            target = out_dir / path.name
            path.replace(target)
            final[kind] = target
        return final
    finally:
        shutil.rmtree(staging, ignore_errors=True)
