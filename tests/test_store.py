"""The embedded store: atomic graph replacement, idempotence, shared papers, one writer."""

from __future__ import annotations

import pytest
from records_factory import digest, paper

from techclaims.kg.errors import QueryError, StoreError, StoreLockedError
from techclaims.kg.mapping import digest_quads
from techclaims.kg.store import open_store
from techclaims.schema.iris import digest_iri, paper_iri


def _ingest(store, d):
    store.replace_graph(digest_iri(d.source), digest_quads(d))


def _count(store, sparql):
    return len(list(store.query(sparql)))


def test_replace_is_idempotent(tmp_path):
    with open_store(tmp_path / "s") as store:
        _ingest(store, digest())
        first = [str(q) for q in store.quads()]
        _ingest(store, digest())
        assert [str(q) for q in store.quads()] == first


def test_replace_swaps_the_whole_graph(tmp_path):
    with open_store(tmp_path / "s") as store:
        _ingest(store, digest(papers=(paper(value=6.2),)))
        _ingest(store, digest(papers=(paper(value=7.5),)))
        values = {row["v"].value for row in store.query("SELECT ?v WHERE { ?c kg:value ?v }")}
        assert values == {"7.5", "1.3"}


def test_shared_paper_survives_removal_of_one_digest(tmp_path):
    with open_store(tmp_path / "s") as store:
        _ingest(store, digest("a.md"))
        _ingest(store, digest("b.md"))
        sources = f"SELECT ?d WHERE {{ <{paper_iri('2511.00413')}> prov:wasDerivedFrom ?d }}"
        assert _count(store, sources) == 2
        assert _count(store, "SELECT DISTINCT ?p WHERE { ?p a kg:Paper }") == 1
        store.drop_graph(digest_iri("a.md"))
        assert _count(store, sources) == 1
        assert _count(store, "SELECT ?p WHERE { ?p a kg:Paper ; dcterms:title ?t }") == 1


def test_one_preferred_label_per_entity_across_spellings(tmp_path):
    with open_store(tmp_path / "s") as store:
        _ingest(store, digest("a.md", (paper(method="Tree Training"),)))
        _ingest(store, digest("b.md", (paper(method="Tree-Training"),)))
        _ingest(store, digest("c.md", (paper(method="Tree-Training"),)))
        rows = list(
            store.query("SELECT DISTINCT ?m ?l WHERE { ?m a kg:Method ; skos:prefLabel ?l }")
        )
        labels = {row["m"].value: row["l"].value for row in rows}
        assert len(labels) == len(rows)  # exactly one prefLabel each
        tree = [label for label in labels.values() if label.replace("-", " ") == "Tree Training"]
        assert tree == ["Tree-Training"]  # the spelling two digests chose


def test_second_writer_gets_a_clear_error(tmp_path):
    with open_store(tmp_path / "s"):
        with pytest.raises(StoreLockedError, match="another process"):
            open_store(tmp_path / "s")


def test_reading_a_missing_store_is_an_error(tmp_path):
    with pytest.raises(StoreError, match="no store here"):
        open_store(tmp_path / "nothing", read_only=True)


def test_bad_sparql_reports_line_and_column(tmp_path):
    with open_store(tmp_path / "s") as store:
        with pytest.raises(QueryError, match=r"1:\d+"):
            store.query("SELECT * WHERE { ?s ?p }")


def test_parameters_are_bound_not_pasted(tmp_path):
    import pyoxigraph as ox

    with open_store(tmp_path / "s") as store:
        _ingest(store, digest())
        sparql = "SELECT ?p WHERE { ?p kg:arxivId ?id }"
        assert _count(store, sparql) == 1
        hostile = ox.Literal('x" } UNION { ?p ?q ?r } #')
        assert list(store.query(sparql, bindings={"id": hostile})) == []
