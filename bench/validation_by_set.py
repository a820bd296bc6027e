"""Per-benchmark-set medians and worst cases from one ``lumbopelvic validate`` run.

``validate`` over a folder holding several held-out sets (e.g. links to every
``benchmark-<preset>`` render and the 14-case ``benchmark``) writes one ``validation.csv``;
this groups its rows by set (the case name before the last ``_``; the 14-case set's cases
start with ``bench``) and prints a Markdown table: median over cases of pelvis, lumbar and
trunk RMSE (and hip and knee, where validate reports them) and of the absolute lumbar share
error, repetitions exact, and the worst pelvis
and lumbar RMSE.

Usage::

    .venv/bin/python bench/validation_by_set.py validation/validation.csv
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd


def set_name(case: str) -> str:
    """``benchmark-hinge_03`` -> ``benchmark-hinge``; ``bench05_bent-knees`` -> ``benchmark``."""
    if case.startswith("benchmark-"):
        return case.rsplit("_", 1)[0]
    return "benchmark" if case.startswith("bench") else case.rsplit("_", 1)[0]


def by_set(per_case: pd.DataFrame) -> pd.DataFrame:
    """One row per set: medians, repetitions exact (%) and worst cases."""
    table = per_case.assign(set=per_case["case"].map(set_name))
    table["share_abs_pp"] = table["lumbar_share_error_pp"].abs()
    table["reps_exact"] = table["reps_true"] == table["reps_found"]
    return table.groupby("set").agg(
        cases=("case", "size"),
        pelvis_rmse=("pelvis_rmse_deg", "median"),
        lumbar_rmse=("lumbar_rmse_deg", "median"),
        share_error_pp=("share_abs_pp", "median"),
        trunk_rmse=("trunk_rmse_deg", "median"),
        **(
            {f"{n}_rmse": (f"{n}_rmse_deg", "median") for n in ("hip", "knee")}
            if "hip_rmse_deg" in table
            else {}
        ),
        reps_exact_pct=("reps_exact", lambda x: 100.0 * x.mean()),
        worst_pelvis=("pelvis_rmse_deg", "max"),
        worst_lumbar=("lumbar_rmse_deg", "max"),
        coverage=("coverage", "median"),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("validation_csv", type=Path)
    args = parser.parse_args()
    table = by_set(pd.read_csv(args.validation_csv)).round(1)
    columns = ["set", *table.columns]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for name, row in table.iterrows():
        print("| " + " | ".join([str(name), *(str(v) for v in row.to_numpy())]) + " |")


if __name__ == "__main__":
    main()
