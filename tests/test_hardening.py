"""Issue 17, the hardening findings: each test failed on the code before it and passes now.

1. digest identity: files whose names differ only in folder, punctuation, case or letters
   outside the slug's alphabet no longer share (and overwrite) one named graph.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import kg

from techclaims.kg.mapping import digest_quads
from techclaims.kg.store import open_store
from techclaims.schema.iris import digest_iri, legacy_digest_iri
from techclaims.schema.records import Digest

#: Pairs of names that earlier versions stored in one graph (the second replacing the first).
COLLIDING = [
    ("a/notes.md", "b/notes.md"),
    ("x.y.md", "x_y.md"),
    ("Notes.md", "notes.md"),
    ("café.md", "caf.md"),
    ("論文 ダイジェスト.md", "論文 まとめ.md"),
    ("2026-01-01/README.txt", "2026-01-02/README.txt"),
]


def _digest_text(number: int) -> str:
    return (
        f"# Reading notes {number}\n\n"
        f"## [Paper number {number}: a faster kernel](https://arxiv.org/abs/2401.{number:05d})\n\n"
        f"- QServe is {number}.5x faster than vLLM on A100.\n"
    )


def _papers(store: Path) -> set[str]:
    done = kg(
        "query",
        "SELECT DISTINCT ?id WHERE { ?p kg:arxivId ?id }",
        "--format",
        "csv",
        "--store",
        store,
    )
    return set(done.stdout.split()[1:])


@pytest.mark.parametrize("pair", COLLIDING)
def test_colliding_names_get_distinct_graphs(pair):
    first, second = pair
    assert digest_iri(first) != digest_iri(second)
    assert digest_iri(first) == digest_iri(first)  # stable: the same name, the same graph


def test_every_file_of_a_folder_keeps_its_graph(tmp_path):
    folder = tmp_path / "digests"
    names = [name for pair in COLLIDING for name in pair]
    for number, name in enumerate(names, start=1):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_digest_text(number), encoding="utf-8")
    store = tmp_path / "store"
    done = kg("ingest", folder, "--store", store)
    assert f"ingested {len(names)} digest(s)" in done.stderr + done.stdout
    assert _papers(store) == {f"2401.{n:05d}" for n in range(1, len(names) + 1)}
    sources = kg(
        "query",
        "SELECT ?s WHERE { ?d a kg:Digest ; dcterms:source ?s } ORDER BY ?s",
        "--format",
        "tsv",
        "--store",
        store,
    ).stdout.splitlines()[1:]
    assert sorted(s.strip('"') for s in sources) == sorted(names)  # the path below the folder
    # Re-ingesting one file replaces its own graph, and no other.
    (folder / "x.y.md").write_text(_digest_text(99), encoding="utf-8")
    kg("ingest", folder, "--store", store)
    assert _papers(store) == {f"2401.{n:05d}" for n in range(1, len(names) + 1) if n != 3} | {
        "2401.00099"
    }


def test_two_files_of_one_run_with_one_name_are_refused_before_writing(tmp_path):
    for number, folder in enumerate(("a", "b"), start=1):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notes.md").write_text(_digest_text(number), encoding="utf-8")
    store = tmp_path / "store"
    done = kg(
        "ingest",
        tmp_path / "a" / "notes.md",
        tmp_path / "b" / "notes.md",
        "--store",
        store,
        check=False,
    )
    assert done.returncode == 2
    message = done.stderr.strip()
    assert len(message.splitlines()) == 1
    assert "a/notes.md" in message and "b/notes.md" in message and "nothing was written" in message
    assert not store.exists()


def test_a_store_written_with_the_old_naming_is_renamed_at_the_first_write(tmp_path):
    store_dir = tmp_path / "store"
    digests = [
        Digest(source="notes.md", format="markdown", sha256="0" * 64),
        Digest(source="x.y.md", format="markdown", sha256="1" * 64),
    ]
    with open_store(store_dir) as store:
        for d in digests:
            new, old = ox.NamedNode(digest_iri(d.source)), ox.NamedNode(legacy_digest_iri(d.source))

            def rename(term, new=new, old=old):
                return old if term == new else term

            quads = [
                ox.Quad(rename(q.subject), q.predicate, rename(q.object), old)
                for q in digest_quads(d)
            ]
            store.replace_graph(old.value, quads)
        assert store.graphs() == sorted(legacy_digest_iri(d.source) for d in digests)
    with open_store(store_dir, read_only=True) as reader:  # read as it is, before any write
        assert reader.graphs() == sorted(legacy_digest_iri(d.source) for d in digests)
    with open_store(store_dir) as store:  # the first write-open renames
        assert store.graphs() == sorted(digest_iri(d.source) for d in digests)
        rows = store.query("SELECT ?g ?s WHERE { GRAPH ?g { ?g a kg:Digest ; dcterms:source ?s } }")
        assert {(r["g"].value, r["s"].value) for r in rows} == {
            (digest_iri(d.source), d.source) for d in digests
        }
