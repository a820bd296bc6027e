import io
import tarfile
import zipfile
from pathlib import Path

import pytest
from conftest import tiny_tflite

from lumbopelvic.core.errors import LumbopelvicError
from lumbopelvic.io.hashing import sha256_bytes
from lumbopelvic.pose.mediapipe import model_install as mb
from lumbopelvic.pose.mediapipe import model_registry as reg
from lumbopelvic.pose.mediapipe.tflite_metadata import has_metadata

WHEEL = reg.Archive("pypi", "fake-wheel==1")
NPM = reg.Archive("npm", "@fake/pose@1")


def _fixture_archives(tmp_path: Path) -> tuple[dict[reg.Archive, Path], dict[str, reg.ModelSpec]]:
    # As many outputs as MediaPipe's pose graphs read (model_registry.MEMBER_OUTPUTS).
    detector, landmarks, packed_detector = tiny_tflite(2), tiny_tflite(5), tiny_tflite(2)
    wheel = tmp_path / "fake.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("pkg/detector.tflite", detector)
        zf.writestr("pkg/landmarks.tflite", landmarks)
    tgz = tmp_path / "fake.tgz"
    packed = packed_detector + b"\x00" * 100  # detector followed by other assets
    with tarfile.open(tgz, "w:gz") as tf:
        for name, data in [("package/assets.data", packed), ("package/lm.tflite", landmarks)]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    sha = sha256_bytes
    specs = {
        "w": reg.ModelSpec(
            "w",
            reg.Member(WHEEL, "pkg/detector.tflite", sha(detector), len(detector)),
            reg.Member(WHEEL, "pkg/landmarks.tflite", sha(landmarks), len(landmarks)),
            "wheel only",
        ),
        "n": reg.ModelSpec(
            "n",
            reg.Member(NPM, "package/assets.data", sha(packed_detector), len(packed_detector)),
            reg.Member(NPM, "package/lm.tflite", sha(landmarks), len(landmarks)),
            "npm only",
        ),
    }
    return {WHEEL: wheel, NPM: tgz}, specs


def test_install_builds_valid_aligned_reproducible_bundles(tmp_path):
    archives, specs = _fixture_archives(tmp_path)
    fetched = []

    def fetch(archive, dest):
        fetched.append(archive)
        return archives[archive]

    out = tmp_path / "models"
    paths = mb.install_models(["w", "n"], out, fetch, specs=specs)
    assert sorted(fetched, key=str) == sorted([WHEEL, NPM], key=str)
    for path in paths.values():
        reg.check_bundle(path)
        with zipfile.ZipFile(path) as zf:
            assert zf.namelist() == list(reg.BUNDLE_MEMBERS)
            for info in zf.infolist():
                assert info.compress_type == zipfile.ZIP_STORED
                data_start = info.header_offset + 30 + len(info.filename) + len(info.extra)
                assert data_start % mb.ZIP_DATA_ALIGNMENT == 0
                assert has_metadata(zf.read(info))
    first = paths["w"].read_bytes()
    again = mb.install_models(["w"], out, fetch, force=True, specs=specs)
    assert again["w"].read_bytes() == first
    assert not list(out.glob("*.part"))


def test_installed_bundle_is_not_rebuilt(tmp_path):
    archives, specs = _fixture_archives(tmp_path)
    mb.install_models(["w"], tmp_path, lambda a, d: archives[a], specs=specs)

    def must_not_fetch(archive, dest):
        raise AssertionError("fetched although installed")

    assert mb.install_models(["w"], tmp_path, must_not_fetch, specs=specs)["w"].is_file()


def test_checksum_mismatch_installs_nothing(tmp_path):
    archives, specs = _fixture_archives(tmp_path)
    bad = reg.ModelSpec(
        "w",
        specs["w"].detector,
        reg.Member(WHEEL, "pkg/landmarks.tflite", "0" * 64, specs["w"].landmarker.length),
        "bad",
    )
    out = tmp_path / "models"
    with pytest.raises(LumbopelvicError, match="checksum mismatch"):
        mb.install_models(["w"], out, lambda a, d: archives[a], specs={"w": bad})
    assert not out.exists() or not any(out.iterdir())


def test_failed_download_leaves_no_bundle(tmp_path):
    _, specs = _fixture_archives(tmp_path)

    def broken(archive, dest):
        raise LumbopelvicError("could not download: network unreachable")

    with pytest.raises(LumbopelvicError, match="could not download"):
        mb.install_models(["n"], tmp_path / "m", broken, specs=specs)
    assert not (tmp_path / "m" / specs["n"].bundle_name).exists()


def test_missing_member_is_reported(tmp_path):
    archives, _ = _fixture_archives(tmp_path)
    member = reg.Member(WHEEL, "pkg/absent.tflite", "0" * 64, 10)
    with pytest.raises(LumbopelvicError, match="no readable pkg/absent.tflite"):
        mb.read_member(archives[WHEEL], member)


def test_npm_absent_says_so_and_suggests_full(tmp_path, monkeypatch):
    monkeypatch.setattr(mb.shutil, "which", lambda name: None)
    with pytest.raises(LumbopelvicError, match="npm .*not found.*'full' model"):
        mb.fetch_archive(reg.MEDIAPIPE_NPM, tmp_path)


def test_resolve_model_errors(tmp_path):
    with pytest.raises(LumbopelvicError, match="not installed"):
        reg.resolve_model("heavy", models_dir=tmp_path)
    with pytest.raises(LumbopelvicError, match="unknown model 'giant'"):
        reg.resolve_model("giant", models_dir=tmp_path)
    with pytest.raises(LumbopelvicError, match="not found"):
        reg.resolve_model(str(tmp_path / "mine.task"))
    junk = tmp_path / "junk.task"
    junk.write_bytes(b"not a zip")
    with pytest.raises(LumbopelvicError, match="not a PoseLandmarker .task bundle"):
        reg.resolve_model(str(junk))


def test_resolve_model_accepts_any_task_path(tmp_path):
    archives, specs = _fixture_archives(tmp_path)
    path = mb.install_models(["w"], tmp_path / "m", lambda a, d: archives[a], specs=specs)["w"]
    mine = tmp_path / "elsewhere" / "my_pose.task"
    mine.parent.mkdir()
    mine.write_bytes(path.read_bytes())
    assert reg.resolve_model(str(mine)) == mine


def test_pinned_specs_match_the_documented_sources():
    full = reg.MODELS["full"]
    assert full.archives == (reg.MEDIAPIPE_WHEEL,)
    assert {a.registry for s in reg.MODELS.values() for a in s.archives} == {"pypi", "npm"}
    assert reg.MODELS["heavy"].landmarker.sha256.startswith("59e42d71bcd44cbd")
    assert reg.MODELS["lite"].landmarker.sha256.startswith("f17bfbecadb61c3b")
    assert full.detector.sha256.startswith("9ba9dd3d42efaaba")


def test_bundles_get_ordinary_file_permissions(tmp_path):
    import os

    archives, specs = _fixture_archives(tmp_path)
    path = mb.install_models(["w"], tmp_path / "m", lambda a, d: archives[a], specs=specs)["w"]
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask
