"""Topics: a small SKOS scheme, cue words as data, at least one topic per paper, methods inherit theirs."""

from __future__ import annotations

import rdflib
from example_store import example_store

from techclaims.ingest.topics import FALLBACK, assign_topics, topic_cues
from techclaims.kg.mapping import method_topics
from techclaims.kg.store import open_store
from techclaims.schema import TOPICS
from techclaims.schema.records import Entity, Paper, Span


def test_the_scheme_is_small_and_every_concept_is_described() -> None:
    scheme = rdflib.Graph().parse(TOPICS)
    concepts = set(scheme.subjects(rdflib.RDF.type, rdflib.SKOS.Concept))
    assert 10 <= len(concepts) <= 25
    for concept in concepts:
        assert (concept, rdflib.SKOS.prefLabel, None) in scheme
        assert (concept, rdflib.SKOS.definition, None) in scheme
        assert (None, rdflib.SKOS.hasTopConcept, concept) in scheme
    assert {str(c).rsplit("/", 1)[-1] for c in concepts} == set(topic_cues())


def test_title_words_weigh_more_than_passing_words() -> None:
    assert assign_topics(
        "QServe: W4A8KV4 Quantization and System Co-design for Efficient LLM Serving", ""
    ) == ("quantization", "serving")
    assert (
        assign_topics(
            "EAGLE-3: Scaling up Inference Acceleration via Training-Time Test",
            "speculative decoding with a draft model; 投机解码",
        )[0]
        == "speculative-decoding"
    )
    text = (
        "We cut KV cache memory with eviction; the kv cache shrinks 4x. Prefix caching helps too."
    )
    assert "kv-cache" in assign_topics("A Paper", text)


def test_every_paper_gets_a_topic() -> None:
    assert assign_topics("Untitled", "") == (FALLBACK,)
    assert assign_topics("Something", "only one kernel mention") == ("kernels",)
    assert (
        len(assign_topics("Quantized sparse attention kernels for MoE serving on the edge", ""))
        == 3
    )


def test_methods_inherit_the_topics_of_the_papers_that_propose_them() -> None:
    paper = Paper(
        key="1",
        title="t",
        heading="h",
        spans=(Span(start=0, end=1),),
        topics=("quantization", "serving"),
    )
    assert method_topics(Entity(type="METHOD", name="QServe", role="proposed"), paper) == (
        "quantization",
        "serving",
    )
    assert method_topics(Entity(type="METHOD", name="vLLM", role="baseline"), paper) == (
        "quantization",
    )


def test_every_paper_and_method_of_the_examples_has_a_topic(tmp_path_factory) -> None:
    with open_store(str(example_store(tmp_path_factory)), read_only=True) as store:
        missing = list(
            store.query("""SELECT ?n WHERE { { ?n a kg:Paper } UNION { ?n a kg:Method }
                                                        FILTER NOT EXISTS { ?n dcterms:subject ?t } }""")
        )
        qserve = {
            row["t"].value.rsplit("/", 1)[-1]
            for row in store.query(
                "SELECT ?t WHERE { ?m skos:prefLabel 'QServe' ; dcterms:subject ?t }"
            )
        }
    assert missing == []
    assert "quantization" in qserve
