"""techclaims: a knowledge graph of ML-systems techniques and the claims papers make about them.

One import root with three parts, each a folder of the repository:
`techclaims.ingest` (digests -> records, the only part that uses spaCy),
`techclaims.kg` (records -> graph -> answers, the only part that uses rdflib
and pyoxigraph) and `techclaims.schema` (the contract both share).

The Python API, in short (see `techclaims.kg.api`)::

    import techclaims
    g = techclaims.open("out/store")   # the store `kg ingest` wrote; read-only
    g.saved("top-speedups-per-hardware")
    g.query("SELECT ?title WHERE { ?p a kg:Paper ; dcterms:title ?title }")

The names are loaded on first use, so `import techclaims` (and the `kg`
command) stays quick: pandas and rdflib come only when something asks.
"""

from __future__ import annotations

from pkgutil import extend_path
from typing import TYPE_CHECKING, Any

# A checkout's `techclaims/` folder and the installed package are one package
# (running from the repository root puts this folder first on sys.path).
__path__ = extend_path(__path__, __name__)

if TYPE_CHECKING:
    from techclaims.kg.api import Graph, entity, open, write_records
    from techclaims.kg.mapping import PREFIXES

__all__ = ["Graph", "PREFIXES", "entity", "open", "write_records"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from techclaims import kg

        return getattr(kg, name)
    raise AttributeError(f"module 'techclaims' has no attribute {name!r}")
