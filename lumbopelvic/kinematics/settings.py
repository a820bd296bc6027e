"""Settings of the angle computation: cleaning, timing, and the confidence threshold."""

from __future__ import annotations

from dataclasses import dataclass

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.settings import option_label, require_finite, setting
from lumbopelvic.kinematics.split_estimators import (
    DEFAULT_SPLIT_METHOD,
    ESTIMATORS,
    SPLIT_METHODS,
)

# A frame whose pelvis/lumbar split has a confidence below this is flagged low-confidence
# (``low_confidence`` in angles.csv); a phase whose mean confidence is below it too.
LOW_CONFIDENCE = 0.5


STICKER_MODES = ("off", "auto", "on")
# The cut-off's range, Hz of real time: bending, lifting and walking hold nothing of interest
# above 20 Hz, and a frame rate low for it lowers the cut-off further (80 % of Nyquist,
# :func:`lumbopelvic.kinematics.signal_cleaning.effective_cutoff_hz`).
MAX_CUTOFF_HZ = 20.0
# The longest gap that may be filled, seconds: a straight line through more than this is not
# a measurement of a movement that takes a few seconds.
MAX_GAP_LIMIT_S = 2.0


@dataclass(frozen=True)
class AngleSettings:
    """Settings of the angle computation (all recorded in the output's provenance).

    Attributes
    ----------
    min_visibility
        Landmarks seen with lower MediaPipe visibility are treated as missing.
    hampel_window_s, hampel_sigma, hampel_min_spread_deg
        Outlier rejection window half-width (s), threshold (robust SDs) and the floor on the
        robust SD (degrees) below which ordinary noise on a still stretch is not an outlier.
    max_gap_s
        Gaps up to this long (s, real time) are interpolated; longer ones stay empty. From 0
        to :data:`MAX_GAP_LIMIT_S`.
    cutoff_hz
        Zero-lag Butterworth low-pass cut-off, Hz of real time: above 0, at most
        :data:`MAX_CUTOFF_HZ`.
    slow_motion
        Playback slow-down of the footage: 4 for a 120 fps clip exported to play at 30 fps.
        Container times are divided by it to get real time, so the filter's cut-off and every
        duration refer to the real movement.
    split_method
        How the pelvis is told from the lumbar spine (an estimator of
        :mod:`lumbopelvic.kinematics.split_estimators`): ``network``, the back's outline read
        by a small network.
    stickers
        Skin stickers on the back (marker mode, experimental: see the README and
        ``bench/ACCURACY.md``): ``off`` (the default) never looks, ``auto`` uses them when
        found in the first frames, ``on`` expects them (and says when they are not found).
    """

    min_visibility: float = setting(
        0.5, "Landmark visibility below which it is missing.", option=False
    )
    hampel_window_s: float = setting(0.25, "Outlier window half-width, s.", option=False)
    hampel_sigma: float = setting(3.0, "Outlier threshold, robust SDs.", option=False)
    hampel_min_spread_deg: float = setting(1.0, "Outlier spread floor, deg.", option=False)
    max_gap_s: float = setting(0.25, f"Longest gap filled, seconds (0 to {MAX_GAP_LIMIT_S:g}).")
    cutoff_hz: float = setting(
        6.0, f"Low-pass cut-off, Hz of real time (above 0, at most {MAX_CUTOFF_HZ:g})."
    )
    slow_motion: float = setting(1.0, "Playback slow-down of slow-motion footage (e.g. 4).")
    split_method: str = setting(
        DEFAULT_SPLIT_METHOD,
        "How the pelvis is told from the lumbar spine: network (the back's outline, read by a "
        "network).",
        choices=SPLIT_METHODS,
    )
    stickers: str = setting(
        "off", "Skin stickers on the back (experimental).", choices=STICKER_MODES
    )

    def __post_init__(self) -> None:
        require_finite(self)
        if self.slow_motion <= 0:
            raise LumbopelvicError("slow_motion must be positive (1 for ordinary footage)")
        if self.split_method not in ESTIMATORS:
            raise LumbopelvicError(
                f"unknown split method {self.split_method!r}; choose one of "
                + ", ".join(ESTIMATORS)
            )
        if self.stickers not in STICKER_MODES:
            raise LumbopelvicError(
                f"unknown stickers mode {self.stickers!r}; choose one of "
                + ", ".join(STICKER_MODES)
            )
        if not 0 < self.cutoff_hz <= MAX_CUTOFF_HZ:
            raise LumbopelvicError(
                f"{option_label('cutoff_hz')} must be above 0 and at most {MAX_CUTOFF_HZ:g} Hz, "
                f"got {self.cutoff_hz:g}"
            )
        if not 0 <= self.max_gap_s <= MAX_GAP_LIMIT_S:
            raise LumbopelvicError(
                f"{option_label('max_gap_s')} must be 0 to {MAX_GAP_LIMIT_S:g} seconds, "
                f"got {self.max_gap_s:g}"
            )
