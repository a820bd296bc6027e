"""How far each group of walking measures can be trusted from the view a walk was filmed
from, and why: the errors measured on held-out walking renders (``bench/gait_accuracy.py``,
``bench/ACCURACY.md``).

A group is ``good``, ``fair`` or ``low``, or ``not-measured`` where the view cannot show it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GroupConfidence:
    """How far one group of measures can be trusted (``level``) and why (a plain phrase)."""

    level: str
    why: str

    @property
    def sure(self) -> bool:
        """Good or fair: shown as a finding."""
        return self.level in ("good", "fair")

    @property
    def low(self) -> bool:
        """The group's values are shown greyed and never read as findings."""
        return self.level == "low"

    @property
    def measured(self) -> bool:
        """The view shows the group at all."""
        return self.level != "not-measured"


# Groups of measures, the per-stride measures each holds, and the views that show them.
GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "steps": (("stride_time_s",), ("side", "front", "back")),
    "pelvic_drop": (("pelvic_obliquity_range_deg",), ("front", "back")),
    "trunk_side_lean": (("trunk_lateral_range_deg",), ("front", "back")),
    "weight_shift": (("lateral_shift_bh", "sway_smoothness_fraction"), ("front", "back")),
    "turning": (
        ("pelvis_rotation_range_deg", "thorax_rotation_range_deg", "relative_phase_deg"),
        ("front", "back"),
    ),
    "trunk_forward_lean": (("trunk_lean_mean_deg", "trunk_lean_range_deg"), ("side",)),
    "pelvic_tilt": ((), ()),
}
# How far each group can be trusted from a view that shows it, and why: the errors measured
# on held-out walking renders (bench/gait_accuracy.py, bench/ACCURACY.md).
LEVELS: dict[str, dict[str, tuple[str, str]]] = {
    "steps": {
        "side": (
            "good",
            "heel strikes fall within a frame on about 9 of 10 steps; toe offs less precisely",
        ),
        "front": (
            "good",
            "heel strikes fall within a frame on about 9 of 10 steps; toe offs less precisely",
        ),
        "back": (
            "fair",
            "from behind the feet move little in the image: heel strikes are often "
            "1-3 frames off, though cadence and step times hold",
        ),
    },
    "pelvic_drop": {
        view: (
            "low",
            "the pose model's hip points follow only about a third of "
            "the pelvic drop, so it reads small",
        )
        for view in ("front", "back")
    },
    "trunk_side_lean": {
        view: ("fair", "within about a degree, though the lean may read up to a third small")
        for view in ("front", "back")
    },
    "weight_shift": {
        view: ("fair", "the hips' sideways shift follows the body but may read up to a third small")
        for view in ("front", "back")
    },
    "turning": {
        view: (
            "low",
            "pelvis and thorax turning come from the depth the pose model "
            "infers: their timing follows the body, their size does not",
        )
        for view in ("front", "back")
    },
    "trunk_forward_lean": {
        "side": (
            "low",
            "the hip and shoulder points sway with the legs and "
            "arms by a few degrees within each stride",
        )
    },
}
NOT_SHOWN = {
    "steps": "needs the feet in view",
    "pelvic_drop": "needs a front or back view",
    "trunk_side_lean": "needs a front or back view",
    "weight_shift": "needs a front or back view",
    "turning": "needs a front or back view",
    "trunk_forward_lean": "needs a side view",
    "pelvic_tilt": "the pelvis tilts forward and back only 3-5° while walking, less than the "
    "outline-based pelvis angle resolves (2-3° error on forward bends)",
}


def view_measures(view: str) -> set[str]:
    """The per-stride measures a view shows (:data:`GROUPS`)."""
    return {m for measures, views in GROUPS.values() if view in views for m in measures}


def confidence(view: str) -> dict[str, GroupConfidence]:
    """How far each group of measures (:data:`GROUPS`) can be trusted from this view, and
    why: ``good``, ``fair``, ``low``, or ``not-measured`` where the view does not show it."""
    out = {}
    for group, (_, views) in GROUPS.items():
        if view in views:
            out[group] = GroupConfidence(*LEVELS[group][view])
        else:
            out[group] = GroupConfidence("not-measured", NOT_SHOWN[group])
    return out
