"""Find the person's quiet standing, the baseline every reported angle is a change from."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lumbopelvic.kinematics.signal_cleaning import contiguous_runs

# A frame counts as upright when the trunk is within this many degrees of its most upright
# inclination in the trial, and as still when it turns slower than the speed below.
UPRIGHT_TOLERANCE_DEG = 8.0
STILL_SPEED_DEG_S = 20.0
MIN_STANDING_S = 0.4
# A bend is any excursion this far from upright; quiet standing must come before the first.
BEND_THRESHOLD_DEG = 30.0
# Standing needs straight legs: knees within this many degrees of their straightest (a seated
# person can hold the trunk upright and still).
STRAIGHT_KNEE_TOLERANCE_DEG = 20.0


@dataclass(frozen=True)
class Standing:
    """The frames used as the standing baseline.

    Attributes
    ----------
    start, stop
        Frame indices (stop exclusive).
    method
        ``"quiet standing before the first bend"``, ``"most upright stretch"`` (the recording
        has no quiet standing before the first bend) or ``"most upright frames"`` (no still
        stretch long enough).
    """

    start: int
    stop: int
    method: str

    @property
    def is_fallback(self) -> bool:
        return self.method != "quiet standing before the first bend"


def find_standing(
    times_s: np.ndarray, trunk_deg: np.ndarray, knee_deg: np.ndarray | None = None
) -> Standing:
    """Locate quiet standing from the trunk's absolute inclination (and the knees).

    Parameters
    ----------
    times_s
        Real sample times, seconds.
    trunk_deg
        Trunk inclination from vertical, degrees, flexion positive (NaN where missing).
    knee_deg
        Absolute knee flexion, degrees (NaN where unknown). When given, frames with clearly
        bent knees (seated, crouched) are not standing, however upright the trunk is.

    Returns
    -------
    Standing
        The first still, upright stretch of at least 0.4 s before the first bend; failing
        that, the most upright still stretch anywhere; failing that, the most upright 10 %
        of frames around the most upright one.
    """
    times_s = np.asarray(times_s, float)
    trunk = np.asarray(trunk_deg, float)
    valid = ~np.isnan(trunk)
    if not valid.any():
        raise ValueError("no trunk angle in any frame")
    legs_straight = np.ones(len(trunk), dtype=bool)
    if knee_deg is not None and np.isfinite(knee_deg).any():
        knee = np.asarray(knee_deg, float)
        straightest = np.nanpercentile(knee, 5)
        legs_straight = ~(knee > straightest + STRAIGHT_KNEE_TOLERANCE_DEG)
    # Upright is judged on straight legs: seated, the trunk often reclines further back than
    # it ever stands.
    standing_like = valid & legs_straight
    upright_ref = np.nanpercentile(trunk[standing_like if standing_like.any() else valid], 5)
    speed = np.full_like(trunk, np.inf)
    if valid.sum() > 2:
        speed[valid] = np.abs(np.gradient(trunk[valid], times_s[valid]))
    calm = (
        standing_like & (trunk <= upright_ref + UPRIGHT_TOLERANCE_DEG) & (speed < STILL_SPEED_DEG_S)
    )
    runs = [
        (a, b) for a, b in contiguous_runs(calm) if times_s[b - 1] - times_s[a] >= MIN_STANDING_S
    ]
    bends = np.flatnonzero(valid & (trunk > upright_ref + BEND_THRESHOLD_DEG))
    first_bend = bends[0] if len(bends) else len(trunk)
    before = [(a, b) for a, b in runs if a < first_bend]
    if before:
        a, b = before[0]
        return Standing(int(a), int(min(b, first_bend)), "quiet standing before the first bend")
    if runs:
        a, b = min(runs, key=lambda r: float(np.nanmedian(trunk[r[0] : r[1]])))
        return Standing(int(a), int(b), "most upright stretch")
    candidates = np.where(standing_like if standing_like.any() else valid, trunk, np.nan)
    centre = int(np.nanargmin(candidates))
    half = max(1, int(0.05 * len(trunk)))
    return Standing(
        max(0, centre - half), min(len(trunk), centre + half + 1), "most upright frames"
    )
