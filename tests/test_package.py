"""One distribution, one import root: what `pip install .` puts into site-packages, and the seams inside it."""

from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imports_of(folder: Path) -> dict[str, set[str]]:
    """Top-level module names imported by each Python file under `folder`."""
    found: dict[str, set[str]] = {}
    for path in folder.rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_ingest_never_imports_the_graph_libraries():
    offenders = {
        f: n & {"rdflib", "pyoxigraph", "oxrdflib"} for f, n in imports_of(ROOT / "ingest").items()
    }
    assert not {f: n for f, n in offenders.items() if n}


def test_kg_never_imports_spacy():
    offenders = {f: n & {"spacy", "thinc"} for f, n in imports_of(ROOT / "kg").items()}
    assert not {f: n for f, n in offenders.items() if n}


def test_code_imports_the_package_root_only():
    """No module imports the old top-level names (`kg`, `ingest`, `kgschema`)."""
    old = {"kg", "ingest", "kgschema"}
    for folder in ("kg", "ingest", "schema", "techclaims", "tests", "bench"):
        offenders = {f: n & old for f, n in imports_of(ROOT / folder).items() if n & old}
        assert not offenders, offenders


@pytest.mark.slow
def test_the_wheel_installs_one_package(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (wheel,) = tmp_path.glob("techclaims-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names}
    assert top == {"techclaims", next(t for t in top if t.endswith(".dist-info"))}
    for part in (
        "kg/queries/top-speedups-per-hardware.rq",
        "schema/ontology.ttl",
        "ingest/nlp/model/config.cfg",
        "ingest/nlp/patterns/vocabulary/dataset-words.txt",
    ):
        assert f"techclaims/{part}" in names


def test_spacy_loads_the_shipped_pipeline_in_a_fresh_interpreter(tmp_path):
    """The entry points register our components: no `import techclaims` before `spacy.load`."""
    code = (
        "import spacy, sys; "
        f"nlp = spacy.load({str(ROOT / 'ingest' / 'nlp' / 'model')!r}); "
        "assert 'techclaims_method_roles' in nlp.pipe_names; print(len(nlp('Q 在 H100 上快 2x'))); "
        "assert 'techclaims.ingest.nlp' in sys.modules"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_every_component_declares_what_it_reads_and_writes():
    """spaCy checks the order from the factories' assigns/requires: no component may read
    what no earlier one writes, in the rules pipeline and in the shipped one."""
    from spacy.language import Language

    from techclaims.ingest.nlp.pipeline import MODEL_DIR, make_nlp

    for nlp in (make_nlp(), make_nlp(model_path=MODEL_DIR)):
        analysis = nlp.analyze_pipes(pretty=False)
        assert not any(analysis["problems"].values()), analysis["problems"]
        for name in nlp.pipe_names:
            meta = Language.get_factory_meta(nlp.get_pipe_meta(name).factory)
            assert meta.assigns, f"{name} declares nothing it assigns"
