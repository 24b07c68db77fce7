"""The notebooks run end to end on the example digests and on a store of ../shared/corpus (nbclient,
kernel `python3` from this venv), and no table they show is empty on either."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from example_store import example_store
from nbclient import NotebookClient
from test_saved_defaults import corpus_store  # noqa: F401 - fixture (the corpus, ingested once)

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ["getting-started", "exploring-a-technique-area", "comparing-claims-across-hardware"]


def execute(name: str, store: Path, monkeypatch: pytest.MonkeyPatch) -> nbformat.NotebookNode:
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    monkeypatch.setenv("KG_STORE", str(store))  # the kernel inherits it; the notebooks read it
    NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=300,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    ).execute()
    return notebook


def test_stored_without_outputs():
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == sorted(NAMES)
    for name in NAMES:
        notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        assert notebook.metadata.kernelspec.name == "python3"
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, (
                    f"{name}: strip the outputs"
                )


def test_getting_started_ingests_the_examples(tmp_path, monkeypatch):
    notebook = execute("getting-started", tmp_path / "store", monkeypatch)
    assert (tmp_path / "store").is_dir()
    text = "".join(
        str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
        for cell in notebook.cells
        if cell.cell_type == "code"
        for o in cell.outputs
    )
    assert "ingested 5 digest(s)" in text and "2401.10774" in text
    assert _empty_tables(notebook) == []


@pytest.mark.parametrize("name", NAMES[1:])
def test_runs_on_the_example_store(name, tmp_path_factory, monkeypatch):
    notebook = execute(name, example_store(tmp_path_factory), monkeypatch)
    figures = [
        o
        for cell in notebook.cells
        if cell.cell_type == "code"
        for o in cell.outputs
        if "application/vnd.plotly.v1+json" in o.get("data", {})
    ]
    assert figures, "each notebook draws at least one figure"
    assert _empty_tables(notebook) == []


def _empty_tables(notebook: nbformat.NotebookNode) -> list[str]:
    """The sources of the cells whose output is an empty DataFrame (a table showing nothing)."""
    return [
        "".join(cell.source)[:80]
        for cell in notebook.cells
        if cell.cell_type == "code"
        for o in cell.outputs
        if "Empty DataFrame" in str(o.get("data", {}).get("text/plain", ""))
    ]


@pytest.mark.parametrize("name", NAMES)
def test_every_table_shows_rows_on_a_corpus_store(name, corpus_store, monkeypatch):  # noqa: F811
    notebook = execute(name, corpus_store, monkeypatch)
    assert _empty_tables(notebook) == []
