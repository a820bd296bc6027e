"""The walkthrough notebook runs end to end on the Python API, so it never rots."""

import json
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "walkthrough.ipynb"


def test_committed_notebook_shows_its_outputs_and_plots_inline():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    code = [cell for cell in cells if cell["cell_type"] == "code"]
    source = "".join("".join(cell["source"]) for cell in code)
    assert "import lumbopelvic" in source
    assert "subprocess" not in source and "matplotlib.use" not in source
    assert all(cell.get("outputs") for cell in code), "run `make notebook` and commit the result"
    images = [o for cell in code for o in cell["outputs"] if "image/png" in o.get("data", {})]
    assert len(images) >= 2


@pytest.mark.slow
def test_walkthrough_notebook_executes():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()
    outputs = [
        o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])
    ]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "".join(o.get("text", "") for o in outputs)
    assert "guarded minus typical lumbar contribution" in text
    assert any("image/png" in o.get("data", {}) for o in outputs)
