"""The Python API: the graph as pandas DataFrames, networkx graphs and an rdflib Dataset.

Notebooks and scripts start here::

    import techclaims
    g = techclaims.open("out/store")                       # read-only; runs beside `kg ingest`
    g.saved("top-speedups-per-hardware")           # a saved question -> DataFrame
    g.query("SELECT ?t WHERE { ?p dcterms:title ?t }")

A runnable example, on a store written from hand-made records (no NLP needed):

>>> import tempfile, techclaims
>>> from techclaims.schema.records import Claim, Digest, Entity, Paper, Span
>>> paper = Paper(key="2405.04532", arxiv_id="2405.04532", heading="QServe", spans=(Span(start=0, end=9),),
...     title="QServe: W4A8KV4 Quantization and System Co-design for Efficient LLM Serving",
...     entities=(Entity(type="METHOD", name="QServe", role="proposed"),
...               Entity(type="METHOD", name="TensorRT-LLM", role="baseline"),
...               Entity(type="HARDWARE", name="L40S")),
...     claims=(Claim(value=3.5, unit="x", method="QServe", baseline="TensorRT-LLM", hardware="L40S",
...                   evidence="3.5x over TensorRT-LLM on L40S", span=Span(start=0, end=9)),),
...     topics=("quantization",))
>>> store = techclaims.write_records(tempfile.mkdtemp(), [Digest(source="notes.md", format="markdown",
...                                                       sha256="0" * 64, papers=(paper,))])
>>> g = techclaims.open(store)
>>> g.saved("top-speedups-per-hardware")[["hardware", "value", "method", "baseline"]]
  hardware  value  method      baseline
0     L40S    3.5  QServe  TensorRT-LLM
>>> g.query("ASK { ?p kg:arxivId ?id }", id="2405.04532")
True
>>> net = g.to_networkx(focus="QServe", depth=2)
>>> sorted(label for _, label in net.nodes(data="label"))
['3.5x', 'L40S', 'QServe', 'QServe', 'TensorRT-LLM']
>>> [row.v.toPython() for row in g.rdflib.query("SELECT ?v WHERE { ?c kg:value ?v }", initNs=techclaims.PREFIXES)]
[Decimal('3.5')]
>>> g.close()
"""

from __future__ import annotations

import re
import time
import warnings
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pyoxigraph as ox

from techclaims.kg.errors import StoreError, UsageError
from techclaims.kg.queries import fill_placeholders, saved_queries, saved_query
from techclaims.kg.settings import default_store
from techclaims.kg.store import QueryResult, Store, is_url, legacy_dataset, open_store
from techclaims.schema.iris import digest_iri, entity_iri, topic_iri

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    import rdflib

    from techclaims.schema.records import Digest

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}
_FLOATS = {XSD + t for t in ("decimal", "double", "float")}

Term = ox.NamedNode | ox.BlankNode | ox.Literal
T = TypeVar("T")


def python_value(term: object) -> object:
    """A term as the Python value a DataFrame cell should hold.

    IRIs and blank nodes become strings, numbers become int or float (decimals too:
    they are for sorting and plotting here), dates and booleans their Python types.

    >>> python_value(ox.Literal("3.5", datatype=ox.NamedNode(XSD + "decimal")))
    3.5
    >>> python_value(ox.Literal("2024-01-19", datatype=ox.NamedNode(XSD + "date")))
    datetime.date(2024, 1, 19)
    >>> python_value(ox.NamedNode("https://w3id.org/techclaims/id/method/vllm"))
    'https://w3id.org/techclaims/id/method/vllm'
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if not isinstance(term, ox.Literal):
        return str(term)
    datatype = term.datatype.value
    try:
        if datatype in _INTEGERS:
            return int(term.value)
        if datatype in _FLOATS:
            return float(term.value)
        if datatype == XSD + "boolean":
            return term.value in ("true", "1")
        if datatype == XSD + "date":
            return date.fromisoformat(term.value)
        if datatype == XSD + "dateTime":
            return datetime.fromisoformat(term.value.replace("Z", "+00:00"))
    except ValueError:
        pass  # an ill-typed literal keeps its text
    return term.value


def as_term(value: Any) -> Term:
    """A Python value (or a pyoxigraph/rdflib term) as the RDF term to bind.

    >>> as_term(2)
    <Literal value=2 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
    >>> as_term("vLLM")
    <Literal value=vLLM datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>
    """
    if isinstance(value, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return value
    if type(value).__module__.startswith("rdflib"):
        return _from_rdflib(value)
    if isinstance(value, bool):
        return ox.Literal(str(value).lower(), datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, Decimal):
        return ox.Literal(format(value, "f"), datatype=ox.NamedNode(XSD + "decimal"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(XSD + "double"))
    if isinstance(value, datetime):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "dateTime"))
    if isinstance(value, date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    if isinstance(value, str):
        return ox.Literal(value)
    raise UsageError(f"cannot bind a {type(value).__name__} as an RDF term")


def _from_rdflib(value: Any) -> Term:
    import rdflib

    if isinstance(value, rdflib.URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, rdflib.BNode):
        return ox.BlankNode(str(value))
    if isinstance(value, rdflib.Literal):
        if value.language:
            return ox.Literal(str(value), language=value.language)
        return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype or XSD + "string")))
    raise UsageError(f"cannot bind rdflib {type(value).__name__} as an RDF term")


def entity(kind: str, name: str) -> ox.NamedNode:
    """The node of a method, model, hardware or topic, by name, to bind in a query.

    >>> entity("method", "vllm") == entity("method", "vLLM")
    True
    """
    if kind == "topic":
        return ox.NamedNode(topic_iri(name))
    if kind not in ("method", "model", "hardware"):
        raise UsageError(f"kind is method, model, hardware or topic, not {kind!r}")
    return ox.NamedNode(entity_iri(kind.upper(), name))


def to_frame(result: QueryResult) -> pd.DataFrame | bool:
    """A pyoxigraph result as a DataFrame (a row per solution or per triple), or a bool for ASK."""
    import pandas as pd

    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QueryTriples):
        rows = [
            (python_value(t.subject), python_value(t.predicate), python_value(t.object))
            for t in result
        ]
        return pd.DataFrame(rows, columns=["subject", "predicate", "object"])
    columns = [v.value for v in result.variables]
    table = [[python_value(row[c]) for c in columns] for row in result]
    return pd.DataFrame(table, columns=columns)


class Graph:
    """The knowledge graph in a store, for Python users. Read-only: writing is `kg ingest`'s job.

    It opens the store as a read-only snapshot, so it can be used while `kg ingest`
    writes the same directory; reopen (`techclaims.open` again) to see what landed since.
    (When the writer's compaction removes a file the snapshot still needs, the snapshot is
    opened afresh and the query read again: it then sees what landed since.)
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def location(self) -> str:
        return self.store.location

    def __repr__(self) -> str:
        return f"kg.Graph({self.location!r})"

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Let go of the store (and of the rdflib view, if one was made)."""
        self.__dict__.pop("rdflib", None)
        self.store.close()

    def query(self, sparql: str, **bindings: Any) -> pd.DataFrame | bool:
        """Run SPARQL over every digest's statements (each once): SELECT and CONSTRUCT give a
        DataFrame, ASK a bool.

        The prefixes of CONTRACT.md are declared. Keyword arguments bind variables to
        values (`str` is a literal; use `techclaims.entity("method", "vLLM")` for a node): a
        `VALUES ?name { UNDEF }` placeholder in the query is filled, else every occurrence
        of the variable is replaced by the value before the query runs (aggregates and
        FILTERs included: `kg.sparql.bind`); a binding that cannot be made is an error.
        """
        terms = {name: as_term(value) for name, value in bindings.items()}
        text, rest = fill_placeholders(sparql, terms)
        self._warn_if_stale(text)
        return self._answer(text, rest)

    def saved(self, name: str, **params: Any) -> pd.DataFrame | bool:
        """Run a saved question (see `saved_questions()`); parameters as `kg query --param` takes them."""
        text, bindings = saved_query(
            name, {key: "" if value is None else str(value) for key, value in params.items()}
        )
        self._warn_if_stale(text)
        return self._answer(text, bindings)

    def _answer(self, text: str, bindings: dict) -> pd.DataFrame | bool:
        """The query's answer as a frame. Results stream, so a writer's compaction can remove a
        file the snapshot needs while the rows are read: `reading` reads them again from a
        fresh snapshot then."""
        from techclaims.kg.store.embedded import EmbeddedStore

        def answer() -> pd.DataFrame | bool:
            return to_frame(self.store.query(text, bindings=bindings))

        return self.store.reading(answer) if isinstance(self.store, EmbeddedStore) else answer()

    def _warn_if_stale(self, sparql: str) -> None:
        from techclaims.kg.store import stale_notice

        notice = stale_notice(self.store, sparql, self.location)
        if notice:
            warnings.warn(notice, stacklevel=3)

    @staticmethod
    def saved_questions() -> pd.DataFrame:
        """The saved questions: name, description and parameters (with their defaults)."""
        import pandas as pd

        rows = [(q.name, q.description, q.signature()) for q in saved_queries()]
        return pd.DataFrame(rows, columns=["name", "description", "parameters"])

    def to_networkx(self, focus: str | None = None, depth: int = 1) -> nx.MultiDiGraph:
        """Papers, methods, models, hardware and claims as a typed networkx graph.

        Nodes are IRIs with `type` and `label` attributes (and more: see
        `kg.viz.graph`); edges are keyed by relation (`proposes`, `comparesWith`,
        `reports`, `onHardware`, ...). With `focus`, only the nodes within `depth`
        links of the node of that name (any spelling, or an arXiv id).
        """
        from techclaims.kg.viz.graph import focus_graph, read_graph

        graph = read_graph(self.store)
        return focus_graph(graph, focus, depth) if focus else graph

    @cached_property
    def rdflib(self) -> rdflib.Dataset:
        """The same store as a read-only rdflib `Dataset` (oxrdflib); the default graph is the store's,
        every digest's statements once each (rdflib's `initBindings` bind as a VALUES clause would).

        rdflib's SPARQL runs inside Oxigraph here; pass `initNs=techclaims.PREFIXES` for the prefixes.
        Adding to it raises: the view is a read-only snapshot. On a remote store (a SPARQL
        endpoint URL) it is an rdflib `SPARQLStore` client of that endpoint instead: queries
        are sent to the server (union default graph asked for, credentials from the same
        environment variables), and it is read-only too.
        """
        import rdflib

        if is_url(self.location):
            return _sparql_view(self.store)
        from oxrdflib import OxigraphStore

        from techclaims.kg.store.embedded import EmbeddedStore

        snapshot = open_snapshot(self.location)  # refused in one line while a switch is under way
        assert isinstance(snapshot, EmbeddedStore)
        # The view hides a big digest's staging graph (`UserView`), as `query` does.
        return _bound_view(rdflib.Dataset)(
            store=OxigraphStore(store=snapshot.user_view()),  # type: ignore[arg-type]
            default_union=snapshot.union_default(),
        )


def _sparql_view(store: Store) -> rdflib.Dataset:
    """An rdflib Dataset over a remote store's query endpoint (rdflib's SPARQLStore, read-only)."""
    import os

    import rdflib
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    query_url = getattr(store, "query_url", None)
    if query_url is None:
        raise StoreError(f"{store.location}: no SPARQL query endpoint to make an rdflib view of")
    headers = {"User-Agent": "techclaims-kg"}
    auth = None
    if os.environ.get("KG_STORE_TOKEN"):
        headers["Authorization"] = f"Bearer {os.environ['KG_STORE_TOKEN']}"
    elif os.environ.get("KG_STORE_USER") and os.environ.get("KG_STORE_PASSWORD"):
        auth = (os.environ["KG_STORE_USER"], os.environ["KG_STORE_PASSWORD"])
    client = SPARQLStore(
        query_endpoint=query_url,
        auth=auth,
        headers=headers,
        params={"union-default-graph": ""} if legacy_dataset(store) else {},
        returnFormat="json",
    )
    # default_union=True only stops rdflib from naming a default graph of its own: the server's is used.
    return _bound_view(rdflib.Dataset)(store=client, default_union=True)


def _bound_view(base: type) -> type:
    """An rdflib Dataset whose `query(..., initBindings=...)` binds as `Graph.query` does: each
    variable replaced by its value in the text before the query runs (`kg.sparql.bind`), aggregates
    and FILTERs included. (oxrdflib hands initBindings to pyoxigraph, which refuses any variable
    not projected; SPARQLStore appends a VALUES clause, joined after GROUP BY.)"""
    from techclaims.kg.sparql import bind

    class BoundDataset(base):
        def query(
            self, query_object: Any, *args: Any, initBindings: Any = None, **kwargs: Any
        ) -> Any:  # noqa: N803 - rdflib's name
            if initBindings and isinstance(query_object, str):
                terms = {str(name): as_term(value) for name, value in initBindings.items()}
                query_object, initBindings = bind(query_object, terms), None
            return super().query(query_object, *args, initBindings=initBindings, **kwargs)

    return BoundDataset


def open(store: str | Path | None = None) -> Graph:  # noqa: A001 - `techclaims.open` is the entry point
    """Open the graph in `store` (a directory; default: `$KG_STORE`, else the documented location)."""
    return Graph(open_snapshot(store or default_store()))


def open_snapshot(store: str | Path) -> Store:
    """Open a read-only snapshot of a store, retrying while a writer swaps its files."""
    return retry_open(store, lambda: open_store(store, read_only=True))


def retry_open(store: str | Path, opener: Callable[[], T], attempts: int = 8) -> T:
    """Run `opener`, again a moment later if a writer was compacting.

    A writer (`kg ingest`) compacts files on open and after writes; a snapshot opened at
    that moment can find a file of its manifest already deleted (RocksDB reports
    "Corruption ... No such file"). Opening again a moment later reads the new manifest.
    """
    from techclaims.kg.store.embedded import rewritten

    for attempt in range(attempts):
        try:
            return opener()
        except RuntimeError as err:
            if not rewritten(err) or attempt == attempts - 1:
                raise StoreError(f"{store}: cannot open a snapshot of the store: {err}") from err
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


#: What the project's shapes (schema/shapes.ttl) accept as an arXiv id and a SHA-256, in ASCII digits.
_ARXIV_ID = re.compile(r"[0-9]{4}\.[0-9]{4,5}|[a-z\-]+(\.[A-Z]{2})?/[0-9]{7}")
_SHA256 = re.compile(r"[0-9a-f]{64}")


def write_records(store: str | Path, digests: Iterable[Digest]) -> Path:
    """Write digest records into a store, one named graph each: for records made without `kg ingest`.

    As safe as `kg ingest`'s writes: each digest replaces its own graph in one transaction,
    or, over `ONE_WRITE_QUADS` statements, in batches with a journalled switch (memory follows
    the batch); and what `kg ingest` refuses is refused in one line before anything is
    written: two digests of one call with one `source` (one graph: the second would silently
    replace the first), and an arXiv id or SHA-256 the project's shapes reject (digits of
    other scripts included: ingest normalises them, hand-made records must too), so that
    `kg validate` passes on what was written.
    """
    digests = list(digests)
    _check_records(digests)
    with open_store(store) as opened:
        for digest in digests:
            _write_digest(opened, digest)
    return Path(store)


def _check_records(digests: list[Digest]) -> None:
    taken: dict[str, int] = {}
    for number, digest in enumerate(digests, start=1):
        graph = digest_iri(digest.source)
        if graph in taken:
            raise UsageError(
                f"digests {taken[graph]} and {number} are both named {digest.source!r} (one graph, "
                "so one would replace the other); nothing was written: give each its own source"
            )
        taken[graph] = number
        if not _SHA256.fullmatch(digest.sha256):
            raise UsageError(
                f"{digest.source}: sha256 {digest.sha256!r} is not 64 lower-case hex digits; "
                "nothing was written"
            )
        for paper in digest.papers:
            if paper.arxiv_id is not None and not _ARXIV_ID.fullmatch(paper.arxiv_id):
                raise UsageError(
                    f"{digest.source}: paper {paper.key!r} has the arXiv id {paper.arxiv_id!r}, "
                    "which is no arXiv id in ASCII digits (2401.15077, hep-th/9901001); "
                    "nothing was written"
                )


def _write_digest(store: Store, digest: Digest) -> None:
    """One digest's graph swapped in as `kg ingest` swaps it (`kg.ingest_job.write_digest`)."""
    from techclaims.kg.mapping import digest_quad_batches, digest_quads, statement_count
    from techclaims.kg.store import embedded

    graph = digest_iri(digest.source)
    batched = getattr(store, "replace_graph_in_batches", None)
    if batched is None or statement_count(digest) <= embedded.ONE_WRITE_QUADS:
        store.replace_graph(graph, digest_quads(digest))
    else:
        batched(graph, digest_quad_batches(digest, embedded.WRITE_BATCH))
