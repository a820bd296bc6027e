"""How a walk's signals are cleaned: the angle step's gap filling and low-pass, in real time.

A walk honours the same cleaning settings as the angles (``--cutoff-hz``, ``--max-gap-s``,
``--slow-motion``; :class:`lumbopelvic.kinematics.settings.AngleSettings`): the feet before
their events are read, and every per-frame series. Times stay the recording's own; only the
filters see real time (container time divided by the slow-motion factor).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lumbopelvic.kinematics.settings import AngleSettings
from lumbopelvic.kinematics.signal_cleaning import interpolate_short_gaps, lowpass_zero_lag


@dataclass(frozen=True)
class SeriesCleaning:
    """Gap filling and zero-lag low-pass of a walk's signals.

    Attributes
    ----------
    cutoff_hz
        Low-pass cut-off, Hz of real time.
    max_gap_s
        Gaps up to this long (seconds of real time) are filled; longer ones stay empty.
    slow_motion
        Playback slow-down of the footage (container times are divided by it).
    """

    cutoff_hz: float
    max_gap_s: float
    slow_motion: float = 1.0

    @classmethod
    def of(cls, settings: AngleSettings) -> SeriesCleaning:
        """The cleaning an angle step with ``settings`` applies."""
        return cls(settings.cutoff_hz, settings.max_gap_s, settings.slow_motion)

    def filled(self, values: np.ndarray, times_s: np.ndarray) -> np.ndarray:
        """``values`` with their short gaps filled (:data:`max_gap_s`)."""
        return interpolate_short_gaps(values, times_s / self.slow_motion, self.max_gap_s)

    def lowpass(self, values: np.ndarray, times_s: np.ndarray) -> np.ndarray:
        """``values`` low-passed at :data:`cutoff_hz`, without lag."""
        return lowpass_zero_lag(values, times_s / self.slow_motion, self.cutoff_hz)

    def clean(self, values: np.ndarray, times_s: np.ndarray) -> np.ndarray:
        """Short gaps filled, then low-passed."""
        return self.lowpass(self.filled(values, times_s), times_s)


DEFAULT_CLEANING = SeriesCleaning.of(AngleSettings())
