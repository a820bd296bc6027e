"""The settings of a whole analysis: pose, angles, rhythm and outputs, each declared once.

Flat option names (``cutoff_hz``, ``task``, ``blur_face``...) are those of the command line
and of TOML settings files; :class:`AnalysisSettings` groups them by step, and
:meth:`AnalysisSettings.as_options` gives them back flat (``summary.json`` records them).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.core.settings import (
    option_fields,
    option_label,
    pick,
    require_finite,
    setting,
)
from lumbopelvic.kinematics.settings import AngleSettings
from lumbopelvic.outputs.video_defaults import DEFAULT_CRF, DEFAULT_LONG_SIDE_PX
from lumbopelvic.pose.settings import PoseSettings
from lumbopelvic.rhythm.settings import RhythmSettings

# The longest client name or code and visit notes, characters: a name is a line of the page
# header, notes a paragraph of the report (longer text slows the report and its PDF down and
# no longer fits its page).
TEXT_LIMITS = {"client": 200, "notes": 2000}


def check_text_length(name: str, text: str | None) -> None:
    """Raise a one-line error naming the flag when ``text`` is longer than its limit.

    Raises
    ------
    LumbopelvicError
        When ``text`` has more than ``TEXT_LIMITS[name]`` characters.
    """
    limit = TEXT_LIMITS[name]
    if text is not None and len(text) > limit:
        raise LumbopelvicError(
            f"{option_label(name)} may be at most {limit} characters, got {len(text)}"
        )


@dataclass(frozen=True)
class OutputSettings:
    """Settings of the outputs of ``analyze``.

    Attributes
    ----------
    blur_face
        Blur the face in the annotated video (client videos are health data).
    subject_height_m
        The subject's height in metres; the ``.trc`` export is then in metres, else pixels.
    client
        The client's name or code, at the top of every page of the report (not set: none); at
        most 200 characters (:data:`TEXT_LIMITS`).
    notes
        Visit notes printed under the report's header; at most 2000 characters.
    video_size
        The annotated video's longer side at most, pixels (0: the recording's own size).
    video_quality
        The annotated video's x264 CRF: lower is better and larger (18: visually lossless,
        23: x264's default, 28: small).
    """

    blur_face: bool = setting(True, "Blur the face in the video.")
    subject_height_m: float | None = setting(
        None, "Subject's height in metres: the .trc export is then in metres."
    )
    client: str | None = setting(
        None,
        f"Client's name or code, printed on every report page (at most {TEXT_LIMITS['client']} "
        "characters).",
    )
    notes: str | None = setting(
        None,
        f"Visit notes printed under the report's header (at most {TEXT_LIMITS['notes']} "
        "characters).",
    )
    video_size: int = setting(
        DEFAULT_LONG_SIDE_PX,
        "Annotated video's longer side at most, pixels (0: the recording's own size).",
        metavar="PIXELS",
    )
    video_quality: int = setting(
        DEFAULT_CRF,
        "Annotated video quality, x264 CRF: 18 (near lossless, larger) to 30 (smaller).",
        metavar="CRF",
    )

    def __post_init__(self) -> None:
        require_finite(self)
        for name in TEXT_LIMITS:
            check_text_length(name, getattr(self, name))
        if self.subject_height_m is not None and not 0.5 <= self.subject_height_m <= 2.6:
            raise LumbopelvicError(
                f"subject_height_m must be a height in metres, got {self.subject_height_m}"
            )
        if self.video_size != 0 and not 64 <= self.video_size <= 8192:
            raise LumbopelvicError(
                f"video_size must be 0 (the recording's size) or 64-8192 pixels, got "
                f"{self.video_size}"
            )
        if not 0 <= self.video_quality <= 51:
            raise LumbopelvicError(f"video_quality must be 0-51, got {self.video_quality}")


STEP_SETTINGS = (PoseSettings, AngleSettings, RhythmSettings, OutputSettings)


@dataclass(frozen=True)
class AnalysisSettings:
    """Every setting of an analysis, grouped by step (see the module docstring)."""

    pose: PoseSettings = field(default_factory=PoseSettings)
    angles: AngleSettings = field(default_factory=AngleSettings)
    rhythm: RhythmSettings = field(default_factory=RhythmSettings)
    outputs: OutputSettings = field(default_factory=OutputSettings)

    @classmethod
    def from_options(cls, base: AnalysisSettings | None = None, **options: Any) -> AnalysisSettings:
        """Settings from flat option names, on top of ``base`` (the defaults when None).

        Any field of the step dataclasses may be named, command-line option or not.

        Raises
        ------
        LumbopelvicError
            For an unknown name or an invalid value.
        """
        base = base or cls()
        known = {item.name for step in STEP_SETTINGS for item in fields(step)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise LumbopelvicError(
                f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        merged = {**base.as_options(all_fields=True), **options}
        try:
            return cls(*(pick(step, merged) for step in STEP_SETTINGS))
        except TypeError as error:  # a value of the wrong kind from a settings file
            raise LumbopelvicError(f"invalid setting: {error}") from None

    def as_options(self, all_fields: bool = False) -> dict[str, Any]:
        """Flat ``{option name: value}``: the command-line settings, or every field."""
        flat: dict[str, Any] = {}
        for step in (self.pose, self.angles, self.rhythm, self.outputs):
            flat.update(asdict(step))
        if all_fields:
            return flat
        names = {item.name for item in option_fields(*STEP_SETTINGS)}
        return {key: value for key, value in flat.items() if key in names}
