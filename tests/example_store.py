"""The example digests, ingested once per test session by the real `kg ingest`.

Shared by the tests of saved questions, the Python API, the endpoint and the
notebooks, so the examples go through spaCy once however many of those run.
A failed ingest is remembered too, so every test that needs the store fails
at once with the same message instead of re-running the pipeline.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import kg

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "digests"

_built: dict[str, Path | str] = {}


def example_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding examples/digests, made by `kg ingest examples/digests --store DIR`."""
    if "path" not in _built and "error" not in _built:
        path = tmp_path_factory.mktemp("examples") / "store"
        done = kg("ingest", EXAMPLES, "--store", path, check=False)
        if done.returncode == 0:
            _built["path"] = path
        else:
            tail = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
            _built["error"] = f"kg ingest examples/digests exited {done.returncode}: {tail}"
    if "error" in _built:
        pytest.fail(str(_built["error"]), pytrace=False)
    return Path(_built["path"])
