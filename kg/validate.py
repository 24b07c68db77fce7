"""Check the graph against the SHACL shapes in `schema/shapes.ttl`."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib

from techclaims.kg.mapping import as_default_graph
from techclaims.kg.store import Store, is_summary
from techclaims.schema import SHAPES


def to_rdflib(store: Store) -> rdflib.Graph:
    """The union of all graphs as an in-memory rdflib Graph (for pyshacl and rdflib users), without the
    summaries (counts derived for the saved questions, `kg.store.summary`)."""
    quads = [q for q in store.quads() if not is_summary(q)]
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in as_default_graph(quads)]
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    graph = rdflib.Graph()
    graph.parse(data=data, format="nt")
    return graph


def validate(store: Store) -> tuple[bool, str]:
    """(conforms, the report as text). RDFS inference is off: it costs 10x and the data states its types."""
    from pyshacl import validate as shacl

    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    conforms, _, text = shacl(to_rdflib(store), shacl_graph=shapes, inference="none", advanced=True)
    return bool(conforms), str(text)
