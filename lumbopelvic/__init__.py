"""lumbopelvic: lumbopelvic rhythm from an ordinary side-view video of a forward bend.

The Python API::

    import lumbopelvic

    result = lumbopelvic.analyze("client.mp4", task="forward-bend")  # writes client_lumbopelvic/
    result.reps                    # one row per repetition and phase (pandas)
    result.summary.flags           # plain statements about the trial (a typed summary)
    result.plot_angles()           # matplotlib axes
    again = lumbopelvic.load("client_lumbopelvic")
    change = lumbopelvic.compare("before.mp4", "after.mp4", "comparison")
    change.table                   # each change beside the smallest real difference
    walk = lumbopelvic.analyze("walk.mp4", task="walk")
    walk.strides                   # a walk: one row per stride (strides.csv)
    walk.summary.steps             # cadence, step and stride time and their variability

Everything runs locally. Bad input raises :class:`LumbopelvicError` with a one-line message.

Package layout (each layer imports only those above it in this list):

- :mod:`lumbopelvic.core`: errors, table layouts and checks, provenance, settings fields;
- :mod:`lumbopelvic.kinematics`, :mod:`lumbopelvic.rhythm` and :mod:`lumbopelvic.gait`
  (walking): the science, pure functions;
- :mod:`lumbopelvic.io` and :mod:`lumbopelvic.pose`: video, files, caches, MediaPipe;
- :mod:`lumbopelvic.outputs`: annotated video, reports, plots, exports;
- :mod:`lumbopelvic.workflows`: analyze, compare, batch, validate, the single steps;
- :mod:`lumbopelvic.cli`: the command line; :mod:`lumbopelvic.synth`: synthetic people.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from lumbopelvic.core.version import __version__

# Public name -> module defining it; imported on first use so `import lumbopelvic` (and the
# command line's --help) stays fast.
_API = {
    "analyze": "lumbopelvic.workflows.analyze",
    "compare": "lumbopelvic.workflows.compare",
    "batch": "lumbopelvic.workflows.batch",
    "validate": "lumbopelvic.workflows.validate",
    "load": "lumbopelvic.workflows.results",
    "Result": "lumbopelvic.workflows.results",
    "Comparison": "lumbopelvic.workflows.compare",
    "Validation": "lumbopelvic.workflows.validate",
    "AnalysisSettings": "lumbopelvic.workflows.settings",
    "OutputSettings": "lumbopelvic.workflows.settings",
    "PoseSettings": "lumbopelvic.pose.settings",
    "AngleSettings": "lumbopelvic.kinematics.settings",
    "RhythmSettings": "lumbopelvic.rhythm.settings",
    "RhythmSummary": "lumbopelvic.rhythm.summary",
    "GaitSummary": "lumbopelvic.gait.summary",
    "Verdict": "lumbopelvic.core.verdict",
    "TASKS": "lumbopelvic.core.tasks",
    "Progress": "lumbopelvic.workflows.progress",
    "LumbopelvicError": "lumbopelvic.core.errors",
}
__all__ = [
    "TASKS",
    "AnalysisSettings",
    "AngleSettings",
    "Comparison",
    "GaitSummary",
    "LumbopelvicError",
    "OutputSettings",
    "PoseSettings",
    "Progress",
    "Result",
    "RhythmSettings",
    "RhythmSummary",
    "Validation",
    "Verdict",
    "__version__",
    "analyze",
    "batch",
    "compare",
    "load",
    "validate",
]

if TYPE_CHECKING:
    from lumbopelvic.core.errors import LumbopelvicError
    from lumbopelvic.core.tasks import TASKS
    from lumbopelvic.core.verdict import Verdict
    from lumbopelvic.gait.summary import GaitSummary
    from lumbopelvic.kinematics.settings import AngleSettings
    from lumbopelvic.pose.settings import PoseSettings
    from lumbopelvic.rhythm.settings import RhythmSettings
    from lumbopelvic.rhythm.summary import RhythmSummary
    from lumbopelvic.workflows.analyze import analyze
    from lumbopelvic.workflows.batch import batch
    from lumbopelvic.workflows.compare import Comparison, compare
    from lumbopelvic.workflows.progress import Progress
    from lumbopelvic.workflows.results import Result, load
    from lumbopelvic.workflows.settings import AnalysisSettings, OutputSettings
    from lumbopelvic.workflows.validate import Validation, validate


def __getattr__(name: str) -> Any:
    if name in _API:
        value = getattr(import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'lumbopelvic' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
