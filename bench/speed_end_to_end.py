"""Whole-process speed of ``pose`` and ``analyze`` against the bare MediaPipe loop, re-analysis
from the cache, and peak memory: the figures of ``bench/SPEED.md``.

Every figure is a whole process (start-up included), timed from outside; ``pose`` and
``analyze`` run in turn with the bare loop (``bench/bare_pose_loop.py``, decode + inference
on one person, nothing else) and the ratio is taken pair by pair, so a shared machine's
drift affects both alike. Clips are made by ``bench/speed_clips.py`` (the sample bends,
looped, 1080x1920, 30 fps).

Reproduce::

    .venv/bin/python bench/speed_end_to_end.py --runs 5            # pose, analyze, re-analysis
    .venv/bin/python bench/speed_end_to_end.py --runs 1 --long 600  # + a 10-minute recording
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from paired_runs import run_once, spread
from speed_clips import make_clip

REPO = Path(__file__).resolve().parent.parent
CLI = [str(REPO / ".venv" / "bin" / "lumbopelvic")]
BARE = [sys.executable, str(REPO / "bench" / "bare_pose_loop.py")]


def paired(a: list[str], b: list[str], runs: int) -> dict[str, list[float]]:
    """Wall seconds and peak MiB of A and B run in turn, after one warm-up of each."""
    run_once(a), run_once(b)
    found: dict[str, list[float]] = {"a": [], "b": [], "a_mib": [], "ratio": []}
    for _ in range(runs):
        wall_a, mib_a, code_a = run_once(a)
        wall_b, _, code_b = run_once(b)
        if code_a or code_b:
            raise SystemExit(f"a run failed: {a if code_a else b}")
        found["a"].append(wall_a), found["b"].append(wall_b), found["a_mib"].append(mib_a)
        found["ratio"].append(wall_a / wall_b)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=33.0, help="clip for the ratios")
    parser.add_argument("--long", type=float, default=0.0, help="also a clip this long (s)")
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "lp-speed")
    args = parser.parse_args()
    folder = args.folder
    clip = folder / f"bend_{args.seconds:g}s.mp4"
    minute = folder / "bend_60s.mp4"
    for path, seconds in ((clip, args.seconds), (minute, 60.0)):
        if not path.is_file():
            make_clip(path, seconds)
    out = folder / "out"
    rows = []
    pose = paired(
        CLI + ["pose", str(clip), "-o", str(out / "pose"), "--no-cache"],
        BARE + [str(clip)],
        args.runs,
    )
    rows.append(("pose (no cache) / bare loop", pose))
    analyze = paired(
        CLI + ["analyze", str(clip), "-o", str(out / "analyze"), "--no-cache"],
        BARE + [str(clip)],
        args.runs,
    )
    rows.append(("analyze (no cache, all outputs) / bare loop", analyze))
    print(f"clip {clip.name}: {args.runs} pairs, wall s and paired ratio (min / median / max)")
    for name, found in rows:
        print(
            f"  {name}: {spread(found['a'])} s vs {spread(found['b'])} s, "
            f"ratio {spread(found['ratio'])}, peak {max(found['a_mib']):.0f} MiB"
        )

    target = out / "minute"
    run_once(CLI + ["analyze", str(minute), "-o", str(target)])  # pose cached, video drawn
    again = [
        run_once(CLI + ["analyze", str(minute), "-o", str(target), "--notes", f"visit {i}"])
        for i in range(args.runs)
    ]
    print(
        f"re-analysis of {minute.name} (pose cached, new notes, video taken over): "
        f"{spread([wall for wall, _, _ in again])} s"
    )
    same = [
        run_once(CLI + ["analyze", str(minute), "-o", str(target), "--notes", "same"])
        for _ in range(args.runs + 1)
    ][1:]  # the first draws the report for these notes
    print(
        f"re-analysis of {minute.name} (pose cached, the same settings: all taken over): "
        f"{spread([wall for wall, _, _ in same])} s"
    )
    if args.long:
        long_clip = folder / f"bend_{args.long:g}s.mp4"
        if not long_clip.is_file():
            make_clip(long_clip, args.long)
        wall, mib, code = run_once(
            CLI + ["analyze", str(long_clip), "-o", str(out / "long"), "--no-cache"]
        )
        print(f"analyze {long_clip.name}: {wall:.0f} s, peak {mib:.0f} MiB, exit {code}")
    print(f"median analyze / bare: {statistics.median(analyze['ratio']):.3f}")


if __name__ == "__main__":
    main()
