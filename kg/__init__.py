"""techclaims: a knowledge graph of ML-systems techniques and the claims papers make about them.

The Python API, in short (see `kg.api`)::

    from techclaims import kg
    g = kg.open("out/store")      # the store `kg ingest` wrote; read-only
    g.saved("top-speedups-per-hardware")
    g.query("SELECT ?title WHERE { ?p a kg:Paper ; dcterms:title ?title }")
    g.to_networkx(focus="vLLM", depth=2)
    g.rdflib                      # the same store as an rdflib Dataset

The names below are loaded on first use, so `import kg` (and the `kg` command)
stays quick: pandas and rdflib are imported only by code that asks for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from techclaims.kg.api import Graph, entity, open, write_records
    from techclaims.kg.mapping import PREFIXES

__all__ = ["Graph", "PREFIXES", "entity", "open", "write_records"]


def __getattr__(name: str) -> Any:
    if name in ("Graph", "entity", "open", "write_records"):
        from techclaims.kg import api

        return getattr(api, name)
    if name == "PREFIXES":
        from techclaims.kg.mapping import PREFIXES

        return PREFIXES
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
