"""Does a rounded back read as more lumbar than a neutral one, on the same person?

Renders unseen hinge bodies (``world_case("hinge", 5_000_000 + k)``: seeds no training or
benchmark uses) twice each, once with a neutral back and once rounded, with a kettlebell, the
knees bent 25 deg and the camera 8 deg off the side view; analyses each with the package and
prints the lumbar share at the deepest point, measured and true, as a Markdown table.

Usage (about 5 minutes on 2 cores)::

    .venv/bin/python bench/back_shape_pairs.py /tmp/pairs --bodies 11 12 13
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import pandas as pd

from lumbopelvic.synth.generate import render_case
from lumbopelvic.synth.preset_render import fast_variant
from lumbopelvic.synth.world import world_case
from lumbopelvic.workflows.analyze import analyze

SEED_BASE = 5_000_000
BACKS = {
    "neutral": {"pelvis_peak_deg": 70.0, "lumbar_peak_deg": 10.0, "thoracic_peak_deg": 4.0},
    "rounded": {"pelvis_peak_deg": 50.0, "lumbar_peak_deg": 45.0, "thoracic_peak_deg": 18.0},
}


def measured_and_true_share(out: Path, body: int, back: str) -> tuple[float, float, str]:
    """Render one trial, analyse it, and return (measured share %, true share %, verdict)."""
    base = world_case("hinge", SEED_BASE + body)
    motion = dataclasses.replace(
        base.motion, arms="load", start_at_bottom=False, reps=2, knee_peak_deg=25.0, **BACKS[back]
    )
    case = dataclasses.replace(
        base,
        name=f"pair{body}_{back}",
        motion=motion,
        props=dataclasses.replace(base.props, load="kettlebell"),
        camera=dataclasses.replace(base.camera, yaw_deg=8.0),
    )
    paths = render_case(fast_variant(case), out)
    result = analyze(paths.video, out / f"{case.name}_analysis")
    truth = pd.read_csv(paths.truth)
    deepest = truth["trunk_deg"].idxmax()
    true_share = 100 * truth["lumbar_deg"][deepest] / truth["trunk_deg"][deepest]
    share = result.summary.mean("flexion", "lumbar_contribution_pct")
    return float("nan") if share is None else share, true_share, result.summary.verdict.value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--bodies", type=int, nargs="+", default=[11, 12, 13])
    args = parser.parse_args()
    print("| body | neutral: measured (true) | rounded: measured (true) |")
    print("|---|---|---|")
    for body in args.bodies:
        cells = []
        for back in BACKS:
            share, true_share, verdict = measured_and_true_share(args.out, body, back)
            cells.append(f"{share:.1f} % ({true_share:.1f}), {verdict}")
        print(f"| {body} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
