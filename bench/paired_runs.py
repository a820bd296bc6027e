"""Time whole commands side by side: A and B in turn, the ratio A/B taken pair by pair.

Each run is a whole process (start-up included); its wall time is read around the child,
its peak memory (largest resident set of the child) from the operating system's own
accounting (``os.wait4``). Pairing A B A B ... keeps the ratio meaningful when a shared
machine's speed drifts. Prints min / median / max of each figure.

Reproduce (examples, from the repository root)::

    .venv/bin/python bench/paired_runs.py -n 5 \\
        --a ".venv/bin/lumbopelvic pose /tmp/speed/bend_33s_1080x1920.mp4 -o /tmp/p --no-cache" \\
        --b ".venv/bin/python bench/bare_pose_loop.py /tmp/speed/bend_33s_1080x1920.mp4"
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import time


def run_once(command: list[str]) -> tuple[float, float, int]:
    """``(wall seconds, peak resident MiB, exit status)`` of one whole run."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, child.returncode


def spread(values: list[float]) -> str:
    return f"{min(values):.2f} / {statistics.median(values):.2f} / {max(values):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a", required=True, help="the command measured")
    parser.add_argument("--b", help="the yardstick, run in turn with A")
    parser.add_argument("-n", type=int, default=5, help="runs of each (after one warm-up)")
    args = parser.parse_args()
    a, b = shlex.split(args.a), shlex.split(args.b) if args.b else None
    run_once(a)  # warm-up: file caches, lazily compiled code
    if b:
        run_once(b)
    runs: dict[str, list[tuple[float, float, int]]] = {"A": [], "B": []}
    for _ in range(args.n):
        runs["A"].append(run_once(a))
        if b:
            runs["B"].append(run_once(b))
    for name, results in runs.items():
        if results:
            walls, peaks = [r[0] for r in results], [r[1] for r in results]
            codes = sorted({r[2] for r in results})
            print(
                f"{name}: wall s (min / median / max) {spread(walls)}; "
                f"peak MiB {spread(peaks)}; exit {codes}"
            )
    if b:
        ratios = [ra[0] / rb[0] for ra, rb in zip(runs["A"], runs["B"], strict=True)]
        print(f"A/B paired wall ratio (min / median / max): {spread(ratios)}")


if __name__ == "__main__":
    main()
