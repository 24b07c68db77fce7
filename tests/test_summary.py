"""The summaries (kg/store/summary.py): kept by every digest change, always what counting every
digest gives, left out of exports and validation, counted again for a store made without them."""

from __future__ import annotations

import importlib.util
import random
import shutil
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import kg

from techclaims.kg.export import export_rdf
from techclaims.kg.store import LABELS_GRAPH, is_summary, open_store, rebuild_summaries
from techclaims.kg.store.summary import SUMMARY_STATE
from techclaims.kg.validate import validate

ROOT = Path(__file__).resolve().parents[1]
SPELLINGS = "https://w3id.org/techclaims/kg#spellings"


def _synthetic():
    spec = importlib.util.spec_from_file_location(
        "bench_synthetic", ROOT / "bench" / "synthetic.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def digests() -> dict[ox.NamedNode, list[ox.Quad]]:
    """Made-up digests: papers in several digests, claims with and without hardware, many topics."""
    quads, _ = _synthetic().records_quads(80_000, seed=3)
    graphs: dict[ox.NamedNode, list[ox.Quad]] = defaultdict(list)
    for quad in quads:
        graphs[quad.graph_name].append(quad)
    assert len(graphs) >= 7  # the 6th repeats papers of earlier ones
    return dict(graphs)


@pytest.fixture(scope="module")
def whole(tmp_path_factory, digests) -> Path:
    """Every digest written once, in order."""
    path = tmp_path_factory.mktemp("whole") / "store"
    with open_store(path) as store:
        for name in sorted(digests, key=str):
            store.replace_graph(name.value, digests[name])
    return path


def _derived(store) -> list[str]:
    """The summaries and the spelling counts, as text."""
    return [
        str(q)
        for q in store.quads()
        if is_summary(q)
        and not q.graph_name.value == SUMMARY_STATE
        or q.predicate.value == SPELLINGS
    ]


def _counted_again(path: Path, tmp_path: Path) -> list[str]:
    copy = tmp_path / "recount"
    shutil.copytree(path, copy)
    raw = ox.Store(str(copy))
    raw.update(rebuild_summaries())
    del raw
    with open_store(copy, read_only=True) as store:
        return _derived(store)


def test_every_change_keeps_the_counts_of_a_full_count(tmp_path, digests, whole):
    path = tmp_path / "store"
    names = sorted(digests, key=str)
    rng = random.Random(7)
    with open_store(path) as store:
        for name in rng.sample(names, len(names)):
            store.replace_graph(name.value, digests[name])
        dropped = names[1]
        store.drop_graph(dropped.value)  # papers also found elsewhere lose a digest
        store.replace_graph(
            names[2].value, digests[names[2]][: len(digests[names[2]]) // 2]
        )  # half of one
        store.replace_graph(names[0].value, digests[names[0]])  # the same again: nothing changes
        kept = _derived(store)
    assert len(kept) > 1000
    assert kept == _counted_again(path, tmp_path)
    with open_store(path) as store:
        store.replace_graph(dropped.value, digests[dropped])
        store.replace_graph(names[2].value, digests[names[2]])
        again = _derived(store)
    with open_store(whole, read_only=True) as store:
        assert _derived(store) == again  # the order digests came in does not matter


def test_counts_have_the_summary_vocabulary(digests, whole):
    with open_store(whole, read_only=True) as store:
        ask = lambda q: bool(store.query(q))  # noqa: E731
        assert ask(
            "ASK { GRAPH ?g { ?g kg:summaryOf ?t . ?m kg:papersProposing ?n ; kg:claimsAbout ?c "
            "; kg:bestSpeedup ?x . ?h kg:papersOnHardware ?k . ?r kg:month ?mo ; kg:papersInMonth ?j } }"
        )
        assert ask(f"ASK {{ GRAPH <{LABELS_GRAPH}> {{ ?e kg:spellings ?n FILTER(?n > 1) }} }}")
        assert ask(
            "ASK { GRAPH ?g { ?p kg:digestCount ?n ; kg:firstTitle ?t ; kg:digestSources ?s } "
            'FILTER(?n > 1 && CONTAINS(?s, ", ")) }'
        )  # papers in several digests
        assert not ask("ASK { GRAPH ?g { ?p kg:digestCount 1 } }")
        assert not ask("ASK { ?e kg:spellings 1 }")
        assert store.graphs() == sorted(
            name.value for name in digests
        )  # the summaries are no digests


def test_exports_and_validation_leave_the_summaries_out(tmp_path, digests):
    with open_store(tmp_path / "store") as store:
        for name, quads in list(digests.items())[:3]:
            store.replace_graph(name.value, quads)
        assert any(is_summary(q) for q in store.quads())
        for fmt, rdf in (("nq", ox.RdfFormat.N_QUADS), ("nt", ox.RdfFormat.N_TRIPLES)):
            out = tmp_path / f"graph.{fmt}"
            export_rdf(store, out, fmt)
            quads = list(ox.parse(path=str(out), format=rdf))
            predicates = {q.predicate.value.rsplit("#", 1)[-1] for q in quads}
            assert (
                not {"papersProposing", "paperMonth", "papersOnHardware", "summaryOf"} & predicates
            )
            assert not any("graph/summary" in str(q.graph_name) for q in quads)
            assert "spellings" in predicates  # a fact about an entity, kept in the labels graph
        conforms, report = validate(store)
        assert conforms, report


def test_a_store_without_summaries_is_counted_when_opened_for_writing(tmp_path, whole):
    path = tmp_path / "store"
    shutil.copytree(whole, path)
    with open_store(path, read_only=True) as store:
        before = _derived(store)
    raw = ox.Store(str(path))  # as a store written before the summaries existed
    raw.update(
        f"DROP GRAPH <{SUMMARY_STATE}> ; DELETE WHERE {{ GRAPH ?g {{ ?m <https://w3id.org/techclaims/kg#"
        f"papersProposing> ?n }} }} ; DELETE WHERE {{ GRAPH ?g {{ ?e <{SPELLINGS}> ?n }} }}"
    )
    del raw
    with open_store(path, read_only=True) as reader:
        assert _derived(reader) != before
    with open_store(path) as store:
        assert _derived(store) == before


def test_the_largest_value_falls_back_when_its_claim_goes(tmp_path):
    from records_factory import digest, paper

    from techclaims.kg.mapping import digest_quads
    from techclaims.schema.iris import digest_iri

    def top(store) -> list[str]:
        rows = store.query(
            'SELECT ?v WHERE { GRAPH ?s { ?r kg:topUnit "x" ; kg:topOnHardware ?h ; kg:topValue ?v } '
            '?h skos:prefLabel "A100-80GB" }'
        )
        return [row["v"].value for row in rows]

    high = digest("high.md", (paper("2511.00001", "High", "HighMethod", value=6.2),))
    low = digest("low.md", (paper("2511.00002", "Low", "LowMethod", value=3.0),))
    with open_store(tmp_path / "store") as store:
        for d in (high, low):
            store.replace_graph(digest_iri(d.source), digest_quads(d))
        assert top(store) == ["6.2"]
        store.drop_graph(digest_iri(high.source))
        assert top(store) == ["3"]
        store.replace_graph(digest_iri(high.source), digest_quads(high))
        assert top(store) == ["6.2"]
        lower = digest("high.md", (paper("2511.00001", "High", "HighMethod", value=5.0),))
        store.replace_graph(digest_iri(lower.source), digest_quads(lower))
        assert top(store) == ["5"]


def test_every_summary_term_is_defined_with_label_and_comment():
    from techclaims.kg.store.summary import SUMMARY_PROPERTIES
    from techclaims.schema import ONTOLOGY

    ontology = ox.Store()
    ontology.load(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE)
    for name in (*SUMMARY_PROPERTIES, "spellings", "version"):
        term = f"<https://w3id.org/techclaims/kg#{name}>"
        assert bool(
            ontology.query(
                f"ASK {{ {term} <http://www.w3.org/2000/01/rdf-schema#label> ?l ; "
                f"<http://www.w3.org/2000/01/rdf-schema#comment> ?c }}"
            )
        ), name


def test_reading_a_stale_store_warns_once_per_question(tmp_path, whole):
    """A store whose summaries another version wrote answers the seven summary questions with
    nothing useful until the next write: `kg query` and the Python API say so; other
    questions run without a word."""
    import warnings

    import techclaims

    path = tmp_path / "store"
    shutil.copytree(whole, path)
    raw = ox.Store(str(path))
    raw.update(f"DROP GRAPH <{SUMMARY_STATE}>")  # as if written by another version
    del raw
    run = ["query", "--store", path, "--format", "csv", "--saved"]
    stale = kg(*run, "methods-in-topic")
    fresh = kg(*run, "most-evaluated-models")
    assert "summary counts" in stale.stderr and stale.stderr.count("\n") == 1
    assert "warning" not in fresh.stderr
    with techclaims.open(path) as graph, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        graph.saved("hardware-per-topic")
        graph.saved("most-used-baselines")
    assert [str(w.message).count("summary counts") for w in caught] == [1]
    with open_store(path):  # a write-open counts them again
        pass
    again = kg(*run, "methods-in-topic")
    assert "warning" not in again.stderr


@pytest.mark.parametrize(
    "metric",
    [
        "decode throughput",
        "TTFT",
        "KV cache memory",
        "weight compression ratio",
        "accuracy",
        "end-to-end  latency",
        "speed",
        None,
    ],
)
def test_the_sparql_family_is_metric_family(metric):
    """The hardware counts and top-speedups-per-hardware rank by the family SPARQL computes: it must
    be what `techclaims.schema.iris.metric_family` says (the charts' family), "" for no metric."""
    from techclaims.kg.store.summary import family
    from techclaims.schema.iris import metric_family

    value = f'("{metric}")' if metric is not None else "(UNDEF)"
    rows = ox.Store().query(
        f"SELECT ?f WHERE {{ VALUES (?m) {{ {value} }} BIND({family('?m')} AS ?f) }}"
    )
    assert next(iter(rows))["f"].value == (metric_family(metric) or "")
