"""Walking reference values with their sources, and this software's own measured accuracy.

Shown beside results as context, never as targets or a diagnosis.

Sources
-------
- Perry & Burnfield 2010, *Gait Analysis: Normal and Pathological Function*: free walking
  cadence of adults about 105-120 steps per minute; the pelvis drops about 4-5° on the swing
  side and turns a few degrees each way.
- Bohannon & Williams Andrews 2011 (meta-analysis, Physiotherapy): comfortable walking speed
  of healthy adults about 1.2-1.4 m/s (about 0.7-0.85 body heights per second at 1.7 m).
- Hausdorff 2005 (J NeuroEng Rehabil): stride time varies by about 1-3 % (coefficient of
  variation) from stride to stride in healthy adults; more with age and disease.
- Lamoth et al. 2002 (Spine); review by van Dieën et al. 2021 (J Hum Kinet): thorax and pelvis
  turn roughly together (in phase) in slow walking and increasingly in opposite directions as
  speed rises; with chronic low back pain that shift is smaller.
- Seay, Van Emmerik & Hamill 2011 (Clin Biomech): in walking, pelvis-trunk coordination in
  the frontal plane was more in phase with low back pain; in running, transverse coordination
  was more in phase and less variable.
- Menz, Lord & Fitzpatrick 2003 (Gait Posture): the harmonic ratio as a measure of gait
  smoothness.
"""

from __future__ import annotations

from typing import Any

# Plain-language bands, with their sources (see the module notes).
GAIT_REFERENCES: list[dict[str, Any]] = [
    {
        "measure": "cadence",
        "value": "about 105-120 steps per minute",
        "source": "Perry & Burnfield 2010",
    },
    {
        "measure": "walking speed",
        "value": "about 0.7-0.85 body heights per second (1.2-1.4 m/s)",
        "source": "Bohannon & Williams Andrews 2011",
    },
    {
        "measure": "stride time variability",
        "value": "about 1-3 % (coefficient of variation)",
        "source": "Hausdorff 2005",
    },
    {
        "measure": "pelvic obliquity",
        "value": "the swing side drops about 4-5°",
        "source": "Perry & Burnfield 2010",
    },
    {
        "measure": "pelvis-thorax turning",
        "value": "in phase when slow, toward opposite "
        "directions when brisk; with low back pain more in phase and less variable",
        "source": "Lamoth et al. 2002; Seay et al. 2011; van Dieën et al. 2021",
    },
]

# This software's errors on the held-out walking renders (benchmark-gait; the command, the
# cases and every number are in bench/ACCURACY.md).
GAIT_ACCURACY: dict[str, str] = {
    "heel strikes": "within one frame at 30 fps on 88-91 % of steps from the side, an angle "
    "or the front and 38 % from behind; cadence within 2 % on 15 of 16 walks",
    "trunk side lean": "0.6-0.7° RMSE from the front or back",
    "pelvic drop": "reads about a third of the true drop",
    "pelvis and thorax turning": "the pelvis's reads about half its size and the thorax's "
    "does not follow the body; their relative phase was off by a median 17-35° (up to 123°)",
    "trunk forward lean": "from the side it swayed 1.5-5° (SD) on renders whose trunk stayed "
    "upright",
}

# Cadence outside this band is not walking as adults do it (steps per minute): very slow
# walking is about 70, running starts near 150-160.
PHYSIOLOGICAL_CADENCE = (60.0, 150.0)
