"""The Python API (`import techclaims`) on the example digests, and the doctests of the querying modules."""

from __future__ import annotations

import doctest
import subprocess
import sys

import pandas as pd
import pytest
from example_store import example_store
from records_factory import digest

from techclaims import kg
from techclaims.kg import api, queries, results, serve
from techclaims.kg.errors import StoreError, UsageError


@pytest.fixture(scope="module")
def g(tmp_path_factory):
    with kg.open(example_store(tmp_path_factory)) as graph:
        yield graph


@pytest.mark.parametrize("module", [api, queries, results, serve], ids=lambda m: m.__name__)
def test_doctests(module):
    """`make test` collects tests/ only, so the runnable examples of the API are run from here."""
    failed, tried = doctest.testmod(
        module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    assert tried > 0 and failed == 0


def test_import_techclaims_stays_light():
    code = "import sys, techclaims; techclaims.PREFIXES; assert 'pandas' not in sys.modules and 'rdflib' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_saved_question_as_a_frame(g):
    frame = g.saved("papers-in-several-digests")
    assert list(frame.columns) == ["arxiv_id", "title", "digests", "sources", "paper"]
    assert pd.api.types.is_integer_dtype(frame["digests"])
    assert (frame["digests"] > 1).all()
    assert "2401.10774" in set(frame["arxiv_id"])


def test_saved_questions_listed(g):
    listed = g.saved_questions()
    assert {"top-speedups-per-hardware", "paper"} <= set(listed["name"])
    assert "baseline=vLLM limit=100" in set(listed["parameters"])


def test_a_keyword_binding_filters_an_aggregate(g):
    """The issue's example: COUNT over papers comparing with a bound method counts that method's
    papers, as the IRI written into the query does (a trailing VALUES counted every paper)."""
    vllm = kg.entity("method", "vLLM")
    sparql = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p kg:comparesWith ?m }"
    bound = g.query(sparql, m=vllm)["n"][0]
    assert bound == g.query(sparql.replace("?m", str(vllm)))["n"][0]
    assert 0 < bound < g.query(sparql)["n"][0]
    filtered = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p kg:comparesWith ?x FILTER(?x = ?m) }"
    assert g.query(filtered, m=vllm)["n"][0] == bound


def test_rdflib_init_bindings_bind_inside_an_aggregate(g):
    import rdflib

    vllm = kg.entity("method", "vLLM")
    sparql = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p kg:comparesWith ?m }"
    rows = g.rdflib.query(sparql, initNs=kg.PREFIXES, initBindings={"m": rdflib.URIRef(vllm.value)})
    assert [row[0].toPython() for row in rows] == [g.query(sparql, m=vllm)["n"][0]]


def test_titles_are_a_set_in_the_api_and_its_rdflib_view(g):
    sparql = "SELECT ?t WHERE { ?p a kg:Paper ; dcterms:title ?t }"
    titles = g.query(sparql)["t"]
    assert len(titles) == len(set(titles))  # a paper in three digests is one title, not three
    via_rdflib = [str(row[0]) for row in g.rdflib.query(sparql, initNs=kg.PREFIXES)]
    assert sorted(via_rdflib) == sorted(titles)


def test_query_kinds(g):
    papers = g.query("SELECT DISTINCT ?p ?id WHERE { ?p a kg:Paper ; kg:arxivId ?id }")
    assert len(papers) >= 10 and list(papers.columns) == ["p", "id"]
    assert g.query("ASK { ?p kg:arxivId '2401.10774' }") is True
    triples = g.query(
        "CONSTRUCT { ?p dcterms:title ?t } WHERE { ?p kg:arxivId '2401.10774' ; dcterms:title ?t }"
    )
    assert list(triples.columns) == ["subject", "predicate", "object"] and len(triples) >= 1


def test_bindings(g):
    one = g.query("SELECT DISTINCT ?p WHERE { ?p kg:arxivId ?id }", id="2401.10774")
    assert len(one) == 1
    hostile = g.query("SELECT ?p WHERE { ?p kg:arxivId ?id }", id='x" } UNION { ?p ?q ?r } #')
    assert hostile.empty
    counted = g.query(
        "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { VALUES ?m { UNDEF } ?p kg:comparesWith ?m }",
        m=kg.entity("method", "vllm"),
    )
    everything = g.query("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p kg:comparesWith ?m }")
    assert 0 < counted["n"][0] < everything["n"][0]
    with pytest.raises(UsageError):
        g.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1", o=object())


def test_to_networkx(g):
    near = g.to_networkx(focus="vllm", depth=2)  # one call: reading the graph is the slow part
    kinds = {data["type"] for _, data in near.nodes(data=True)}
    assert {"paper", "method"} <= kinds
    assert near.graph["focus"] == kg.entity("method", "vLLM").value
    assert {"proposes", "comparesWith"} & {key for _, _, key in near.edges(keys=True)}


def test_rdflib_view_is_the_same_store_and_read_only(g):
    import rdflib

    sparql = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a kg:Paper }"
    via_rdflib = next(iter(g.rdflib.query(sparql, initNs=kg.PREFIXES)))[0].toPython()
    assert via_rdflib == g.query(sparql)["n"][0] >= 10
    with pytest.raises(RuntimeError):
        g.rdflib.add((rdflib.URIRef("urn:a"), rdflib.URIRef("urn:b"), rdflib.URIRef("urn:c")))


def test_open_beside_a_writer_and_missing_store(tmp_path):
    from techclaims.kg.store import open_store

    with pytest.raises(StoreError, match="no store here"):
        kg.open(tmp_path / "missing")
    kg.write_records(tmp_path / "s", [digest()])
    with open_store(tmp_path / "s"):  # `kg ingest` holds the write lock
        with kg.open(tmp_path / "s") as snapshot:
            assert snapshot.query("ASK { ?p kg:arxivId '2511.00413' }") is True


def test_a_snapshot_reads_on_after_a_writer_compacts_its_files(tmp_path):
    """A read-only snapshot does not pin its table files: a writer that writes and compacts
    removes some, and the snapshot reads from a fresh one instead of failing (CI saw it)."""
    import pyoxigraph as ox

    from techclaims.kg.store import open_store

    path = tmp_path / "s"
    kg.write_records(path, [digest()])
    files = {f.name for f in path.glob("*.sst")}
    with kg.open(path) as snapshot, open_store(path) as writer:
        for k in range(20):  # enough flushed tables that compaction merges the first ones away
            writer._store.extend(
                ox.Quad(
                    ox.NamedNode(f"urn:x:{k}:{i}"),
                    ox.NamedNode("urn:p"),
                    ox.Literal(str(i)),
                    ox.NamedNode(f"urn:g{k % 3}"),
                )
                for i in range(2000)
            )
            writer._store.flush()
        writer._store.optimize()
        assert files - {f.name for f in path.glob("*.sst")}, (
            "the writer removed none of the snapshot's files"
        )
        assert snapshot.query("ASK { ?p kg:arxivId '2511.00413' }") is True
        assert "urn:g0" in snapshot.store.graphs()  # the fresh snapshot sees what the writer wrote
