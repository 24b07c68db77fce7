"""Records -> quads: the one place that knows how a record becomes RDF.

Pure functions from `techclaims.schema.records` to pyoxigraph quads in the digest's
named graph. Nothing here touches a store, so the mapping can be tested by
comparing graphs, and the same quads go to the embedded store or a server.

Methods get the topics (`dcterms:subject`) of the papers that propose them,
and of the papers that use or compare with them their first topic, so every
method has one (a method family, the `skos:broader` of a named variant, gets its
variants' topics). Entity nodes get `rdfs:label` (the name this digest's extraction chose) and
`skos:altLabel` (every spelling seen) in the digest graph. The single
`skos:prefLabel` of a node is not stated by any digest: it is derived across
all digests into the labels graph (see `kg.store.LABELS_GRAPH`), so two
digests that spell a name differently never give a node two preferred labels.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad

from techclaims.schema.iris import (
    KG,
    claim_iri,
    digest_iri,
    entity_iri,
    metric_family,
    paper_iri,
    topic_iri,
)
from techclaims.schema.metrics import is_gain, metric_kind
from techclaims.schema.records import Claim, Digest, Entity, Paper

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCTERMS = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"

PREFIXES = {
    "kg": KG,
    "kgr": "https://w3id.org/techclaims/id/",
    "dcterms": DCTERMS,
    "skos": SKOS,
    "prov": PROV,
    "xsd": XSD,
    "rdf": RDF,
    "rdfs": RDFS,
}

A = NamedNode(RDF + "type")
ROLE_PROPERTY = {"proposed": "proposes", "baseline": "comparesWith", "used": "usesMethod"}
TYPE_PROPERTY = {"MODEL": "evaluatesModel", "HARDWARE": "usesHardware"}
CLASS = {"METHOD": "Method", "MODEL": "Model", "HARDWARE": "Hardware"}

Subject = NamedNode | BlankNode
Term = NamedNode | BlankNode | Literal


def kg(local: str) -> NamedNode:
    return NamedNode(KG + local)


def _string(value: str) -> Literal:
    return Literal(value)


def _decimal(value: float) -> Literal:
    """xsd:decimal in plain notation: `6.2`, never `6.2000000001` or `1e1`."""
    text = format(Decimal(repr(float(value))).normalize(), "f")
    return Literal(text, datatype=NamedNode(XSD + "decimal"))


def digest_quads(digest: Digest) -> list[Quad]:
    """Every statement one digest makes, in its own named graph, sorted for reproducibility."""
    graph = NamedNode(digest_iri(digest.source))
    triples = list(_digest_triples(digest, graph))
    quads = {Quad(s, p, o, graph) for s, p, o in triples}
    return sorted(quads, key=str)


def digest_quad_batches(digest: Digest, size: int) -> Iterator[list[Quad]]:
    """The statements of `digest_quads`, `size` at most at a time and in no set order (a statement
    repeated across batches is stated once by the store): for writing a large digest in batches
    without holding its quads all at once."""
    graph = NamedNode(digest_iri(digest.source))
    batch: dict[Quad, None] = {}
    for s, p, o in _digest_triples(digest, graph):
        batch[Quad(s, p, o, graph)] = None
        if len(batch) >= size:
            yield list(batch)
            batch = {}
    if batch:
        yield list(batch)


def statement_count(digest: Digest) -> int:
    """How many statements `digest_quads` gives at most (a repeated one counted each time), found
    without building them: `kg ingest` refuses a digest too large to write before it costs the
    memory of its quads."""
    node = NamedNode(digest_iri(digest.source))
    return sum(1 for _ in _digest_triples(digest, node))


def _digest_triples(digest: Digest, node: NamedNode) -> Iterator[tuple[Subject, NamedNode, Term]]:
    yield node, A, kg("Digest")
    yield node, NamedNode(DCTERMS + "source"), _string(digest.source)
    yield node, kg("format"), _string(digest.format)
    yield node, kg("sha256"), _string(digest.sha256)
    yield (
        node,
        kg("repaired"),
        Literal(str(digest.repaired).lower(), datatype=NamedNode(XSD + "boolean")),
    )
    if digest.title:
        yield node, NamedNode(DCTERMS + "title"), _string(digest.title)
    for paper in digest.papers:
        yield from _paper_triples(paper, node)


def _paper_triples(paper: Paper, digest: NamedNode) -> Iterator[tuple[Subject, NamedNode, Term]]:
    node = NamedNode(paper_iri(paper.key))
    yield node, A, kg("Paper")
    yield node, NamedNode(DCTERMS + "title"), _string(paper.title)
    yield node, kg("heading"), _string(paper.heading)
    yield node, NamedNode(PROV + "wasDerivedFrom"), digest
    if paper.arxiv_id:
        yield node, kg("arxivId"), _string(paper.arxiv_id)
    if paper.url:
        yield node, NamedNode(RDFS + "seeAlso"), NamedNode(paper.url)
    for author in paper.authors:
        yield node, NamedNode(DCTERMS + "creator"), _string(author)
    if paper.category:
        yield node, kg("category"), _string(paper.category)
    if paper.published:
        yield (
            node,
            NamedNode(DCTERMS + "issued"),
            Literal(paper.published.isoformat(), datatype=NamedNode(XSD + "date")),
        )
    if paper.notes:
        yield node, kg("notes"), _string(paper.notes)
    for span in paper.spans:
        yield node, kg("span"), _string(f"{span.start}-{span.end}")
    for topic in paper.topics:
        yield node, NamedNode(DCTERMS + "subject"), NamedNode(topic_iri(topic))
    for entity in paper.entities:
        entity_node = NamedNode(entity_iri(entity.type, entity.name))
        yield from _entity_triples(entity, entity_node)
        if entity.type == "METHOD":
            yield node, kg(ROLE_PROPERTY[entity.role or "used"]), entity_node
            # the family node (ZeRO of ZeRO-3) is a method of the same topics: a family no
            # paper names alone would otherwise be the one method without a topic
            family = NamedNode(entity_iri(entity.type, entity.broader)) if entity.broader else None
            for topic in method_topics(entity, paper):
                yield entity_node, NamedNode(DCTERMS + "subject"), NamedNode(topic_iri(topic))
                if family is not None:
                    yield family, NamedNode(DCTERMS + "subject"), NamedNode(topic_iri(topic))
        else:
            yield node, kg(TYPE_PROPERTY[entity.type]), entity_node
    for claim in paper.claims:
        yield from _claim_triples(claim, paper, node, digest)


def method_topics(entity: Entity, paper: Paper) -> tuple[str, ...]:
    """The topics a method gets from a paper: all of the paper's when the paper proposes it, else the
    paper's first (a baseline or a building block is at least used in that area). Across digests a
    method collects the topics of every paper that names it, those that propose it first of all."""
    if entity.role == "proposed":
        return paper.topics
    return paper.topics[:1]


def _entity_triples(entity: Entity, node: NamedNode) -> Iterator[tuple[Subject, NamedNode, Term]]:
    yield node, A, kg(CLASS[entity.type])
    yield node, NamedNode(RDFS + "label"), _string(entity.name)
    for alias in {entity.name, *entity.aliases}:
        yield node, NamedNode(SKOS + "altLabel"), _string(alias)
    if entity.family:
        yield node, kg("family"), _string(entity.family)
    if entity.vendor:
        yield node, kg("vendor"), _string(entity.vendor)
    if entity.parameters:
        yield node, kg("parameters"), _decimal(entity.parameters)
    if entity.broader:
        broader = NamedNode(entity_iri(entity.type, entity.broader))
        yield node, NamedNode(SKOS + "broader"), broader
        yield broader, A, kg(CLASS[entity.type])
        yield broader, NamedNode(RDFS + "label"), _string(entity.broader)
        yield broader, NamedNode(SKOS + "altLabel"), _string(entity.broader)


def _referenced(entity_type: str, name: str) -> Iterator[tuple[Subject, NamedNode, Term]]:
    """A claim may name a baseline the entity list lacks; the node still needs its type and a label."""
    node = NamedNode(entity_iri(entity_type, name))
    yield node, A, kg(CLASS[entity_type])
    yield node, NamedNode(RDFS + "label"), _string(name)
    yield node, NamedNode(SKOS + "altLabel"), _string(name)


def _claim_triples(
    claim: Claim, paper: Paper, paper_node: NamedNode, digest: NamedNode
) -> Iterator[tuple[Subject, NamedNode, Term]]:
    node = NamedNode(
        claim_iri(
            paper.key,
            claim.value,
            claim.value_max,
            claim.unit,
            metric_family(claim.metric),
            claim.method,
        )
    )
    yield paper_node, kg("reports"), node
    yield node, A, kg("Claim")
    yield node, kg("value"), _decimal(claim.value)
    if claim.value_max is not None:
        yield node, kg("valueMax"), _decimal(claim.value_max)
    yield node, kg("unit"), _string(claim.unit)
    if claim.metric:
        yield node, kg("metric"), _string(claim.metric)
    kind = metric_kind(claim.metric)
    if kind is not None:
        yield node, kg("metricKind"), NamedNode(kind.iri)
    # what rankings of speed-ups read: an efficiency metric that moved the better way
    gain = is_gain(claim.metric, claim.direction)
    yield node, kg("gain"), Literal(str(gain).lower(), datatype=NamedNode(XSD + "boolean"))
    if claim.direction:
        yield node, kg("direction"), _string(claim.direction)
    if claim.condition:
        yield node, kg("condition"), _string(claim.condition)
    yield node, kg("evidence"), _string(claim.evidence)
    yield (
        node,
        kg("startOffset"),
        Literal(str(claim.span.start), datatype=NamedNode(XSD + "integer")),
    )
    yield node, kg("endOffset"), Literal(str(claim.span.end), datatype=NamedNode(XSD + "integer"))
    yield node, NamedNode(PROV + "wasDerivedFrom"), digest
    for prop, entity_type, name in (
        ("aboutMethod", "METHOD", claim.method),
        ("baseline", "METHOD", claim.baseline),
        ("onModel", "MODEL", claim.model),
        ("onHardware", "HARDWARE", claim.hardware),
    ):
        if not name:
            continue
        if prop == "baseline" and _type_of(paper, name) == "MODEL":
            # a model compared against is the model's node, also typed kg:Method (the range of kg:baseline)
            target = NamedNode(entity_iri("MODEL", name))
            yield node, kg(prop), target
            yield from _referenced("MODEL", name)
            yield target, A, kg("Method")
            for topic in paper.topics[:1]:  # as for any method the paper compares with
                yield target, NamedNode(DCTERMS + "subject"), NamedNode(topic_iri(topic))
            continue
        yield node, kg(prop), NamedNode(entity_iri(entity_type, name))
        yield from _referenced(entity_type, name)


def _type_of(paper: Paper, name: str) -> str | None:
    """The type of the paper's entity with that canonical name."""
    return next((e.type for e in paper.entities if e.name == name), None)


def as_default_graph(quads: Iterable[Quad]) -> list[Quad]:
    """The union of named graphs as plain triples (for N-Triples and Turtle exports)."""
    return sorted({Quad(q.subject, q.predicate, q.object, DefaultGraph()) for q in quads}, key=str)
