"""Where the graph lives: one interface, and the embedded Oxigraph store on disk behind it.

Every command reaches the graph through `open_store`, so the rest of `kg`
does not care whether the graph is on disk or (later) on a SPARQL server.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from pyoxigraph import Quad, QueryBoolean, QuerySolutions, QueryTriples

from kgschema.iris import KGR

LABELS_GRAPH = f"{KGR}graph/labels"
VOCABULARY_GRAPH = f"{KGR}graph/vocabulary"
DERIVED_GRAPHS = (LABELS_GRAPH, VOCABULARY_GRAPH)

QueryResult = QuerySolutions | QueryBoolean | QueryTriples


class Store(Protocol):
    """What every store offers. Queries see the union of all named graphs as their default graph."""

    location: str

    def replace_graph(self, graph: str, quads: list[Quad]) -> None:
        """Swap a digest's named graph for `quads` in one transaction (readers never see half)."""

    def drop_graph(self, graph: str) -> None: ...

    def graphs(self) -> list[str]: ...

    def query(self, sparql: str, *, bindings: dict | None = None) -> QueryResult: ...

    def quads(self, graph: str | None = None) -> list[Quad]: ...

    def close(self) -> None: ...


def with_bindings(sparql: str, bindings: dict | None) -> str:
    """Bind variables with a trailing VALUES clause of terms pyoxigraph serialises and escapes.

    pyoxigraph's own substitutions need the variable in the SELECT projection, which a
    saved question should not have to show; a VALUES row binds it anywhere.

    >>> import pyoxigraph as ox
    >>> print(with_bindings("SELECT ?p WHERE { ?p ?x ?id }", {"id": ox.Literal('a" }')}))
    SELECT ?p WHERE { ?p ?x ?id }
    VALUES (?id) { ("a\\" }") }
    """
    if not bindings:
        return sparql
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(str(term) for term in bindings.values())
    return f"{sparql.rstrip()}\nVALUES ({names}) {{ ({values}) }}"


def open_store(location: str | Path, *, read_only: bool = False) -> Store:
    """Open the store at `location`: a directory (embedded Oxigraph, created if missing)."""
    from kg.store.embedded import EmbeddedStore

    return EmbeddedStore(Path(location), read_only=read_only)
