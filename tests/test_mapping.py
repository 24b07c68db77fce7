"""Records -> RDF: stable IRIs, provenance, and the SHACL shapes every export passes."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib
from hypothesis import given
from hypothesis import strategies as st
from pyshacl import validate
from records_factory import digest, paper

from techclaims.kg.export import export_rdf
from techclaims.kg.mapping import digest_quads
from techclaims.kg.store import open_store
from techclaims.schema import ONTOLOGY, SHAPES, TOPICS
from techclaims.schema.iris import digest_iri, entity_iri, norm_key, paper_iri
from techclaims.schema.records import Entity


def test_quads_are_deterministic_and_in_the_digest_graph():
    first, second = digest_quads(digest()), digest_quads(digest())
    assert [str(q) for q in first] == [str(q) for q in second]
    assert {q.graph_name.value for q in first} == {digest_iri("a.md")}


def test_every_claim_points_to_its_digest_and_evidence():
    quads = digest_quads(digest())
    claims = {
        q.subject for q in quads if q.object == ox.NamedNode("https://w3id.org/techclaims/kg#Claim")
    }
    assert len(claims) == 2
    for claim in claims:
        props = {
            q.predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            for q in quads
            if q.subject == claim
        }
        assert {"evidence", "wasDerivedFrom", "startOffset", "endOffset", "value", "unit"} <= props


def test_a_method_family_gets_the_topics_of_its_variants():
    """ZeRO-3 names its family ZeRO (skos:broader); no paper names ZeRO alone, and the family
    is a method of the same topics all the same."""
    base = paper()
    variant = Entity(type="METHOD", name="ZeRO-3", role="used", broader="ZeRO")
    quads = digest_quads(
        digest(papers=(base.model_copy(update={"entities": (*base.entities, variant)}),))
    )
    subject = ox.NamedNode("http://purl.org/dc/terms/subject")
    topics = {
        name: {q.object for q in quads if q.subject == node and q.predicate == subject}
        for name in ("ZeRO-3", "ZeRO")
        for node in [ox.NamedNode(entity_iri("METHOD", name))]
    }
    assert topics["ZeRO"] == topics["ZeRO-3"] != set()


def test_export_conforms_to_the_shapes(tmp_path):
    with open_store(tmp_path / "s") as store:
        for source in ("a.md", "b.md"):
            store.replace_graph(digest_iri(source), digest_quads(digest(source)))
        export_rdf(store, tmp_path / "g.ttl", "ttl")
    data = rdflib.Graph().parse(tmp_path / "g.ttl", format="turtle")
    conforms, _, text = validate(data, shacl_graph=rdflib.Graph().parse(SHAPES), inference="none")
    assert conforms, text


def test_shapes_catch_a_broken_claim(tmp_path):
    bad = paper()
    quads = [
        q
        for q in digest_quads(digest(papers=(bad,)))
        if q.predicate.value != "https://w3id.org/techclaims/kg#unit"
    ]
    with open_store(tmp_path / "s") as store:
        store.replace_graph(digest_iri("a.md"), quads)
        export_rdf(store, tmp_path / "g.nt", "nt")
    data = rdflib.Graph().parse(tmp_path / "g.nt", format="nt")
    conforms, _, _ = validate(data, shacl_graph=rdflib.Graph().parse(SHAPES), inference="none")
    assert not conforms


def test_every_contract_term_is_defined_with_label_and_comment():
    onto = rdflib.Graph().parse(ONTOLOGY)
    kg = rdflib.Namespace("https://w3id.org/techclaims/kg#")
    terms = [
        "Paper",
        "Method",
        "Model",
        "Hardware",
        "Claim",
        "Digest",
        "arxivId",
        "proposes",
        "comparesWith",
        "usesMethod",
        "evaluatesModel",
        "usesHardware",
        "reports",
        "value",
        "valueMax",
        "unit",
        "metric",
        "direction",
        "aboutMethod",
        "baseline",
        "onModel",
        "onHardware",
        "evidence",
    ]
    for term in terms:
        assert (kg[term], rdflib.RDFS.label, None) in onto, term
        assert (kg[term], rdflib.RDFS.comment, None) in onto, term


def test_topic_cues_match_the_concept_scheme():
    from techclaims.ingest.topics import topic_cues

    scheme = rdflib.Graph().parse(TOPICS)
    concepts = {
        str(s).rsplit("/", 1)[-1] for s in scheme.subjects(rdflib.RDF.type, rdflib.SKOS.Concept)
    }
    assert set(topic_cues()) == concepts


@given(st.text(min_size=1, max_size=40))
def test_entity_iris_depend_only_on_the_normalised_name(name):
    variant = name.upper().replace(" ", "-")
    if norm_key(variant) == norm_key(name):
        assert entity_iri("METHOD", name) == entity_iri("METHOD", variant)


@given(st.text(min_size=1, max_size=80), st.text(min_size=1, max_size=80))
def test_distinct_names_get_distinct_iris(a, b):
    if norm_key(a) != norm_key(b):
        assert entity_iri("MODEL", a) != entity_iri("MODEL", b)


def test_paper_iri_from_arxiv_id_or_title():
    assert paper_iri("2511.00413").endswith("/paper/2511.00413")
    assert paper_iri("title:flashinfer").startswith("https://w3id.org/techclaims/id/paper/t-")
