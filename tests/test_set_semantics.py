# ruff: noqa: F811  (fixtures imported from test_store_backends are arguments of the tests)
"""Answers a user can trust: the default graph is a set, and bindings bind before evaluation.

Both store kinds (embedded on disk, a real `oxigraph serve`), through the same fixtures as
test_store_backends.py. A paper three digests state is one paper to `COUNT`, and one title
to a plain SELECT; `GRAPH ?g` still gives one match per digest. A keyword binding acts
exactly as the value written into the query would, aggregates and FILTERs included.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from records_factory import digest, paper
from test_store_backends import ingest_into, make_store, select_rows, server  # noqa: F401, F811 - fixtures

from techclaims.kg.errors import QueryError, UsageError
from techclaims.kg.store import LABELS_GRAPH, SYSTEM_GRAPHS, VOCABULARY_GRAPH
from techclaims.schema.iris import digest_iri, entity_iri
from techclaims.schema.records import Entity, Paper, Span


def _count(store, sparql: str, **bindings) -> int:
    return int(select_rows(store, sparql, **bindings)[0]["n"].value)


def _default_graph(store) -> set[str]:
    return {str(t) for t in store.query("CONSTRUCT WHERE { ?s ?p ?o }")}


def _expected_default_graph(store) -> set[str]:
    """What the default graph must be: every digest's, the labels' and the vocabulary's triples, once."""
    shown = {LABELS_GRAPH, VOCABULARY_GRAPH}
    return {
        str(ox.Triple(q.subject, q.predicate, q.object))
        for q in store.quads()
        if q.graph_name.value in shown or not q.graph_name.value.startswith(SYSTEM_GRAPHS)
    }


def test_a_paper_in_three_digests_counts_once(make_store):
    store = make_store()
    for name in ("a.md", "b.md", "c.md"):
        ingest_into(store, digest(name))
    assert _count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?p a kg:Paper }") == 1
    titles = select_rows(store, "SELECT ?t WHERE { ?p a kg:Paper ; dcterms:title ?t }")
    assert [r["t"].value for r in titles] == ["Tree Training: Accelerating Agentic LLM Training"]
    # provenance: one match per digest that states it
    assert _count(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?p a kg:Paper } }") == 3
    total = select_rows(store, "SELECT (SUM(?v) AS ?n) WHERE { ?c kg:value ?v FILTER(?v > 5) }")
    assert float(total[0]["n"].value) == 6.2  # not 18.6


def test_the_default_graph_follows_every_write_and_drop(make_store):
    store = make_store()
    ingest_into(store, digest("a.md", (paper(method="Tree Training", value=6.2),)))
    ingest_into(store, digest("b.md", (paper(method="Tree-Training", value=6.2),)))
    ingest_into(store, digest("c.md", (paper(method="Tree-Training", value=7.5),)))
    assert _default_graph(store) == _expected_default_graph(store)
    store.drop_graph(digest_iri("b.md"))
    ingest_into(store, digest("a.md", (paper(method="Tree Training", value=9.0),)))
    assert _default_graph(store) == _expected_default_graph(store)
    values = {r["v"].value for r in select_rows(store, "SELECT ?v WHERE { ?c kg:value ?v }")}
    assert "6.2" not in values and {"9", "7.5"} <= values  # nothing left behind by a drop
    labels = select_rows(store, "SELECT ?l WHERE { ?m a kg:Method ; skos:prefLabel ?l }")
    assert sorted(r["l"].value for r in labels) == ["Tree Training", "vLLM"]  # each once
    for name in ("a.md", "c.md"):
        store.drop_graph(digest_iri(name))
    assert not bool(store.query("ASK { ?p a kg:Paper }"))
    assert _default_graph(store) == _expected_default_graph(store)


def test_re_ingest_leaves_the_store_identical(make_store):
    store = make_store()
    ingest_into(store, digest("a.md"))
    ingest_into(store, digest("b.md"))
    before = (sorted(map(str, store.quads())), _default_graph(store))
    ingest_into(store, digest("a.md"))
    assert (sorted(map(str, store.quads())), _default_graph(store)) == before


# -- bindings -----------------------------------------------------------------------------------

VLLM = ox.NamedNode(entity_iri("METHOD", "vLLM"))


def _compared(key: str, method: str, baseline: str) -> Paper:
    return Paper(
        key=key,
        arxiv_id=key,
        title=method,
        heading=method,
        spans=(Span(start=0, end=9),),
        entities=(
            Entity(type="METHOD", name=method, role="proposed"),
            Entity(type="METHOD", name=baseline, role="baseline"),
        ),
    )


def _two_baselines(store) -> None:
    """Three papers in three digests (one twice): one compares with vLLM, two with SGLang."""
    one = _compared("2511.00001", "One", "vLLM")
    ingest_into(store, digest("a.md", (one,)))
    ingest_into(store, digest("b.md", (one, _compared("2511.00002", "Two", "SGLang"))))
    ingest_into(store, digest("c.md", (_compared("2511.00003", "Three", "SGLang"),)))


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p kg:comparesWith ?m }",
        "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p kg:comparesWith ?x FILTER(?x = ?m) }",
        "SELECT ?n WHERE { { SELECT (COUNT(*) AS ?n) WHERE { ?p kg:comparesWith ?m } } }",
        "SELECT ?m (COUNT(?p) AS ?n) WHERE { ?p kg:comparesWith ?m } GROUP BY ?m ORDER BY ?m",
    ],
)
def test_a_binding_is_the_value_written_in(make_store, sparql):
    store = make_store()
    _two_baselines(store)
    written = sparql.replace("?m", str(VLLM))
    written = written.replace(f"SELECT {VLLM}", f"SELECT ({VLLM} AS ?m)")
    written = written.replace(f"BY {VLLM}", f"BY ({VLLM})")
    bound = select_rows(store, sparql, m=VLLM)
    assert [r["n"] for r in bound] == [r["n"] for r in select_rows(store, written)]
    assert int(bound[0]["n"].value) == 1  # not 3 (every paper comparing with anything), not 0


def test_a_binding_keeps_its_column_and_binds_ask(make_store):
    store = make_store()
    _two_baselines(store)
    rows = select_rows(store, "SELECT ?p ?m WHERE { ?p kg:comparesWith ?m }", m=VLLM)
    assert [r["m"] for r in rows] == [VLLM]
    assert bool(store.query("ASK { ?p kg:comparesWith ?m }", bindings={"m": VLLM}))
    nobody = ox.NamedNode(entity_iri("METHOD", "nobody"))
    assert not bool(store.query("ASK { ?p kg:comparesWith ?m }", bindings={"m": nobody}))


@pytest.mark.parametrize(
    ("sparql", "value", "error", "match"),
    [
        ("SELECT ?p WHERE { ?p ?q ?o }", VLLM, UsageError, r"no variable \?m"),
        ("SELECT ?p WHERE { ?p ?q ?o BIND(?o AS ?m) }", VLLM, UsageError, r"assigns it"),
        ("SELECT ?p WHERE { VALUES ?m { 1 } ?p ?q ?m }", VLLM, UsageError, r"assigns it"),
        ("SELECT ?o WHERE { ?s ?q ?o FILTER(BOUND(?m)) }", VLLM, QueryError, r"cannot bind \?m"),
    ],
)
def test_a_binding_that_cannot_be_made_is_one_line(make_store, sparql, value, error, match):
    store = make_store()
    with pytest.raises(error, match=match) as caught:
        store.query(sparql, bindings={"m": value})
    assert "\n" not in str(caught.value)
