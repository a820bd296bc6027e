"""The package's layers, read from its imports: science never reaches for I/O or the pose runtime,
and the MediaPipe backend stays behind the pose-backend seam.

Every ``import`` in every module (top-level and inside functions) is read with :mod:`ast`;
nothing is executed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "lumbopelvic"
# Sub-package -> the sub-packages it may import besides itself (never the package's top,
# which re-exports the Python API from the workflows).
ALLOWED = {
    "core": set(),
    "kinematics": {"core"},
    "rhythm": {"core", "kinematics"},
    "gait": {"core", "kinematics", "rhythm"},
    "io": {"core"},
    "pose": {"core", "io", "kinematics"},
    "outputs": {"core", "io", "kinematics", "rhythm", "gait"},
    "workflows": {"core", "io", "pose", "kinematics", "rhythm", "gait", "outputs", "synth"},
    "synth": {"core", "io"},
    "cli": {"core", "io", "pose", "kinematics", "rhythm", "gait", "outputs", "workflows", "synth"},
}
# Third-party runtimes of the edges that the science must not load.
EDGE_LIBRARIES = {"cv2", "mediapipe", "av", "pyarrow", "typer", "rich", "matplotlib"}
MAX_MODULE_LINES = 400
MEDIAPIPE_BACKEND = PACKAGE / "pose" / "mediapipe"
# The modules outside the MediaPipe backend that may import it, and why.
MEDIAPIPE_SEAM = {
    "pose/backends.py": "the registry of backends",
    "pose/settings.py": "the default of the model setting is MediaPipe's default bundle",
    "cli/app.py": "`models install` and `models list` build and list MediaPipe bundles",
    "cli/printing.py": "prints the `models list` table",
}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "data" not in p.parts)


def _imports(path: Path) -> set[str]:
    """Modules imported, and for ``from m import x`` also ``m.x`` (x may be a sub-module)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _layer(path: Path) -> str | None:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else None


def test_every_module_lives_in_a_layer():
    loose = [p.name for p in _modules() if _layer(p) is None]
    assert sorted(loose) == ["__init__.py", "__main__.py"]
    assert set(ALLOWED) == {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()} - {
        "data"
    }


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layers_import_only_the_layers_below(layer):
    wrong = []
    for path in _modules():
        if _layer(path) != layer:
            continue
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] != "lumbopelvic":
                continue
            if len(parts) < 2 or (parts[1] != layer and parts[1] not in ALLOWED[layer]):
                wrong.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert not wrong


@pytest.mark.parametrize("layer", ["core", "kinematics", "rhythm", "gait"])
def test_science_loads_no_video_pose_or_display_library(layer):
    wrong = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in _modules()
        if _layer(path) == layer
        for name in _imports(path)
        if name.split(".")[0] in EDGE_LIBRARIES
    ]
    assert not wrong


def test_only_the_mediapipe_backend_imports_mediapipe():
    wrong = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in _modules()
        if not path.is_relative_to(MEDIAPIPE_BACKEND)
        for name in _imports(path)
        if name.split(".")[0] == "mediapipe"
    ]
    assert not wrong


def test_the_mediapipe_backend_is_reached_only_through_the_seam():
    """Outside pose/mediapipe/, only the modules of MEDIAPIPE_SEAM import from it."""
    wrong = [
        f"{relative} imports {name}"
        for path in _modules()
        if not path.is_relative_to(MEDIAPIPE_BACKEND)
        and (relative := path.relative_to(PACKAGE).as_posix()) not in MEDIAPIPE_SEAM
        for name in _imports(path)
        if name.startswith("lumbopelvic.pose.mediapipe")
    ]
    assert not wrong
    assert all((PACKAGE / module).is_file() for module in MEDIAPIPE_SEAM)


def test_no_module_is_too_long_to_read():
    long = {
        str(path.relative_to(PACKAGE)): n
        for path in _modules()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long


def test_the_command_line_holds_no_workflow_logic():
    """cli/ parses and prints: no table writing, no pose or science calls of its own."""
    forbidden = ("to_csv", "write_text", "compute_angles", "extract_pose", "analyse_rhythm")
    for path in (PACKAGE / "cli").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not [word for word in forbidden if word in text], path.name
