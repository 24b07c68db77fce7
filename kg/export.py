"""Write the store out as an RDF file."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from techclaims.kg.errors import UsageError
from techclaims.kg.mapping import PREFIXES, as_default_graph
from techclaims.kg.store import Store, is_summary

# format -> (pyoxigraph format, keeps named graphs)
RDF_FORMATS: dict[str, tuple[ox.RdfFormat, bool]] = {
    "nt": (ox.RdfFormat.N_TRIPLES, False),
    "ttl": (ox.RdfFormat.TURTLE, False),
    "nq": (ox.RdfFormat.N_QUADS, True),
    "trig": (ox.RdfFormat.TRIG, True),
    "jsonld": (ox.RdfFormat.JSON_LD, True),
}


def export_rdf(store: Store, path: Path, fmt: str) -> int:
    """Write every graph to `path`; `nt`/`ttl` flatten them into their union. Returns the statement count.

    The summaries (counts `kg ingest` derives for the saved questions, `kg.store.summary`) are left
    out: they are not statements of any digest, and `kg ingest` counts them again from these.
    The file is written to a temporary name and renamed, so a failed export never leaves half a file.
    """
    if fmt not in RDF_FORMATS:
        raise UsageError(f"unknown RDF format {fmt!r} (choose from {', '.join(RDF_FORMATS)})")
    rdf_format, keeps_graphs = RDF_FORMATS[fmt]
    quads = [q for q in store.quads() if not is_summary(q)]
    statements: list[ox.Quad] | list[ox.Triple] = quads
    if not keeps_graphs:
        statements = [ox.Triple(q.subject, q.predicate, q.object) for q in as_default_graph(quads)]
    prefixes = PREFIXES if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    tmp = path.with_name(path.name + ".part")
    with tmp.open("wb") as out:
        ox.serialize(statements, out, format=rdf_format, prefixes=prefixes)
    tmp.replace(path)
    return len(statements)
