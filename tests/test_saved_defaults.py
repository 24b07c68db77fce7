"""Every saved question answers with its defaults on real data: the shared corpus and the examples.

A default that names something only the examples hold (a paper id, a method) answers nothing
on another store, and a newcomer's first `kg query --saved NAME` looks broken. The corpus store
is built once for this module by the real `kg ingest` (about 25 s).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import kg
from example_store import example_store

from techclaims.kg.queries import saved_queries, saved_query
from techclaims.kg.store import open_store

NAMES = [q.name for q in saved_queries()]


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory, corpus_dir) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "store"
    done = kg("ingest", corpus_dir, "--store", path, check=False, timeout=900)
    assert done.returncode in (0, 4), done.stderr
    return path


@pytest.fixture(scope="module")
def examples(tmp_path_factory) -> Path:
    return example_store(tmp_path_factory)


def _rows(store: Path, name: str) -> int:
    text, bindings = saved_query(name, {})
    with open_store(store, read_only=True) as opened:
        return sum(1 for _ in opened.query(text, bindings=bindings))


@pytest.mark.parametrize("name", NAMES)
def test_defaults_answer_on_the_corpus(corpus_store, name):
    assert _rows(corpus_store, name) > 0, f"{name}: no rows with its defaults on ../shared/corpus"


@pytest.mark.parametrize("name", NAMES)
def test_defaults_answer_on_the_examples(examples, name):
    assert _rows(examples, name) > 0, f"{name}: no rows with its defaults on examples/digests"
