"""Where the graph lives: one interface, two implementations.

Every command reaches the graph through `open_store`, so the rest of `kg`
does not care whether the graph is embedded Oxigraph on disk
(`kg.store.embedded`) or a SPARQL 1.1 server reached over HTTP
(`kg.store.remote`). Both write a digest's graph with the same SPARQL update
(`graph_change`), which also recomputes the preferred labels of the entities
the change touches, so a reader never sees a half graph or a stale label.

Queries answer as a set. The store's default graph holds every statement of
every digest once, with the preferred labels and the vocabulary: the same
update that swaps a digest's graph removes from it what only that digest
stated and adds what it states now (`union_before`, `union_after`). So a
user's `COUNT`, `SUM` or plain SELECT over the default graph counts a paper
found in three digests once, while `GRAPH ?g { ... }` still gives one match
per digest that states it (provenance). The summaries (`kg.store.summary`)
stay in their own graphs only. A store written before this (its summaries are
stale) is read as before, with the union of its named graphs as the default
graph, until the next `kg ingest` into it builds the default graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol, Self

from pyoxigraph import DefaultGraph, NamedNode, Quad, QueryBoolean, QuerySolutions, QueryTriples
from pyoxigraph import Store as OxStore

from techclaims.kg.errors import QueryError
from techclaims.kg.store import summary
from techclaims.schema.iris import KG, KGR, digest_iri

LABELS_GRAPH = f"{KGR}graph/labels"
VOCABULARY_GRAPH = f"{KGR}graph/vocabulary"
#: Scratch graph of one update: the entities whose preferred label it recomputes (never outlives the update).
RELABEL_GRAPH = f"{KGR}graph/relabel"
#: Every graph the store keeps for itself lives under this prefix; digests' graphs never do.
SYSTEM_GRAPHS = f"{KGR}graph/"
#: A digest graph written in batches (`EmbeddedStore.replace_graph_in_batches`) is staged and
#: switched under this prefix: its staging graph, the marks of the switch and the journal that
#: says which switch is under way. Never part of the default graph, an export or `graphs()`.
SWITCH_GRAPHS = f"{KGR}graph/switch/"
#: Graphs whose statements the default graph holds (with every digest's): the labels and the vocabulary.
_SHOWN = f'?h IN (<{LABELS_GRAPH}>, <{VOCABULARY_GRAPH}>) || !STRSTARTS(STR(?h), "{SYSTEM_GRAPHS}")'

_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
_MARK = "https://w3id.org/techclaims/kg#relabel"

QueryResult = QuerySolutions | QueryBoolean | QueryTriples


class Store(Protocol):
    """What every store offers. Queries see every digest's statements, once each, as their default graph."""

    location: str

    def replace_graph(self, graph: str, quads: list[Quad]) -> None:
        """Swap a digest's named graph for `quads` in one transaction (readers never see half)."""

    def drop_graph(self, graph: str) -> None: ...

    def graphs(self) -> list[str]: ...

    def query(self, sparql: str, *, bindings: dict | None = None) -> QueryResult: ...

    def quads(self, graph: str | None = None) -> list[Quad]: ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...


def select(store: Store, sparql: str, *, bindings: dict | None = None) -> QuerySolutions:
    """The rows of a SELECT, for code that iterates them (`Store.query` may also answer an ASK's
    boolean or a CONSTRUCT's triples); another form of query is a mistake of the caller."""
    result = store.query(sparql, bindings=bindings)
    if not isinstance(result, QuerySolutions):
        raise QueryError(f"expected a SELECT query, got {type(result).__name__}: {sparql[:80]!r}")
    return result


def bind(sparql: str, bindings: dict | None) -> str:
    """`sparql` with each bound variable replaced by its term, wherever it occurs (see `kg.sparql.bind`)."""
    if not bindings:
        return sparql
    from techclaims.kg.sparql import bind as substitute
    from techclaims.kg.sparql import check

    bound = substitute(sparql, bindings)
    try:
        check(bound)
    except QueryError as err:
        check(sparql)  # the query itself is wrong: say so
        names = ", ".join(f"?{n} to {t}" for n, t in bindings.items())
        raise QueryError(
            f"cannot bind {names}: the query uses it where that value cannot stand ({err})"
        ) from None
    return bound


def union_before(graph: str) -> str:
    """Before a change of `graph`: drop from the default graph what no other digest (nor the labels or
    the vocabulary) states too. A lookup per triple of `graph`: the cost follows the digest."""
    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }}\n"
        f"  FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER(?h != <{graph}> && ({_SHOWN})) }} }}"
    )


def union_after(graph: str) -> str:
    """After a change of `graph`: its statements into the default graph (a set: none twice)."""
    return f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"


def union_rebuild() -> list[str]:
    """Operations that make the default graph again from every digest, the labels and the vocabulary."""
    return [
        "DROP SILENT DEFAULT",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?h {{ ?s ?p ?o }} FILTER({_SHOWN}) }}",
    ]


def vocabulary_update(ntriples: str) -> str:
    """One update that replaces the vocabulary graph (and its statements in the default graph)."""
    return " ;\n".join(
        [
            union_before(VOCABULARY_GRAPH),
            f"DROP SILENT GRAPH <{VOCABULARY_GRAPH}>",
            f"INSERT DATA {{ GRAPH <{VOCABULARY_GRAPH}> {{\n{ntriples}}} }}",
            union_after(VOCABULARY_GRAPH),
        ]
    )


def legacy_dataset(store: Store | OxStore) -> bool:
    """Whether a store's default graph is not built yet (written before it, or by another version):
    then queries read the union of its named graphs instead, as they used to (a bag)."""
    return not bool(store.query(summary.current_query()))


def switch_pending(store: Store | OxStore) -> bool:
    """Whether the switch journal records a big digest's switch that is not finished: a
    reader would see part old and part new graph (`EmbeddedStore.replace_graph_in_batches`)."""
    from techclaims.kg.store.embedded import JOURNAL_GRAPH, SWITCH_TO

    return bool(store.query(f"ASK {{ GRAPH <{JOURNAL_GRAPH}> {{ ?s <{SWITCH_TO}> ?g }} }}"))


def hidden_graph(name: object) -> bool:
    """Whether a named graph is one of a batched switch's (staging, journal, marks): the store's
    own bookkeeping, which no user query sees (`visible_options`)."""
    return isinstance(name, NamedNode) and name.value.startswith(SWITCH_GRAPHS)


def visible_options(sparql: str, options: dict[str, Any], graphs: Iterable) -> dict[str, Any]:
    """`options` for pyoxigraph's `Store.query` of a user's `sparql`, made so that the query cannot
    see a switch's graphs (`hidden_graph`) among the store's named `graphs`.

    While a digest over `ONE_WRITE_QUADS` statements is staged, the staging graph is a named
    graph of the store like any other: a `GRAPH ?g`, `GRAPH <its IRI>`, `FROM` or `FROM NAMED`
    would read it. When the store holds none (always, but during such a write), `options` are
    returned as they are: no cost to any query; so they are for a query that reads the default
    graph only (no `GRAPH`, no `FROM`). Else the dataset is given explicitly, as the
    query (or the protocol's default-graph-uri / named-graph-uri, in `options`) asked for it,
    less those graphs: the named graphs are the visible ones, or those its `FROM NAMED`
    clauses name; the default graph the store's (the union of the visible graphs on a store
    without its own, `use_default_graph_as_union`), or those its `FROM` clauses name.
    """
    from techclaims.kg.sparql import dataset_clauses, reads_named_graphs

    names = list(graphs)
    if not any(hidden_graph(g) for g in names):
        return options
    dataset = ("use_default_graph_as_union", "default_graph", "named_graphs")
    if not any(options.get(key) for key in dataset) and not reads_named_graphs(sparql):
        return options  # it reads the store's default graph only, where no switch graph is
    out = dict(options)
    union = out.pop("use_default_graph_as_union", False)
    default, named = out.get("default_graph"), out.get("named_graphs")
    if default is None or named is None:
        clauses = dataset_clauses(
            sparql, prefixes=out.get("prefixes"), base_iri=out.get("base_iri")
        )
        if clauses is not None:
            default = clauses[0] if default is None else default
            named = clauses[1] if named is None else named
    visible = [g for g in names if not hidden_graph(g)]
    if default is None:
        default = [DefaultGraph(), *visible] if union else [DefaultGraph()]
    elif not isinstance(default, list):
        default = [default]
    out["default_graph"] = [g for g in default if not hidden_graph(g)]
    out["named_graphs"] = visible if named is None else [g for g in named if not hidden_graph(g)]
    return out


def graph_change(graph: str, change: str, *, scratch: str = RELABEL_GRAPH) -> str:
    """One SPARQL update: `change` (operations on `graph`), the labels it affects, recomputed, and
    the summary counts it affects (`kg.store.summary`), recounted.

    The preferred label of an entity is the name most digests chose for it (ties: the
    shortest, then the first in code-point order). Only the entities labelled in
    `graph` before or after the change can get a new one, so only they are
    recomputed: they are marked in `scratch`, which the same update drops again.
    The same goes for the summaries: the papers `graph` holds before or after the
    change are marked, and only the counts they belong to are made again.
    Run as one transaction (Oxigraph, embedded or server), readers see the old graph,
    labels and counts or the new ones, never a mix; the cost follows the digest, not the store.
    """
    return summary.PREFIXES + " ;\n".join(
        [
            f"DROP SILENT GRAPH <{scratch}>",
            *change_marks(graph, scratch),
            union_before(graph),
            change.strip().rstrip(";"),
            union_after(graph),
            *change_marks(graph, scratch),
            *settle_marks(scratch),
        ]
    )


def change_marks(graph: str, scratch: str) -> list[str]:
    """Operations marking in `scratch` what a change of `graph` can affect: the entities it labels
    (their preferred label) and its papers and claims (the summary counts they are in). Insert-only,
    so running them again, or on more graphs, only marks more (and more is recounted, still right)."""
    return [
        f"INSERT {{ GRAPH <{scratch}> {{ ?e <{_MARK}> true }} }}\n"
        f"WHERE {{ GRAPH <{graph}> {{ ?e <{_RDFS_LABEL}> ?l }} }}",
        *summary.mark(graph, scratch),
    ]


def settle_marks(scratch: str) -> list[str]:
    """Operations that, after the change, make the marked entities' labels and the marked summary
    counts again from every digest, then drop `scratch`."""
    return [
        # The marked entities' labels leave the default graph, are made again, and come back.
        f"DELETE {{ ?e ?p ?o }} WHERE {{ GRAPH <{scratch}> {{ ?e <{_MARK}> true }} GRAPH <{LABELS_GRAPH}> {{ ?e ?p ?o }} }}",
        f"DELETE {{ GRAPH <{LABELS_GRAPH}> {{ ?e <{_PREF_LABEL}> ?old }} }}\n"
        f"WHERE {{ GRAPH <{scratch}> {{ ?e <{_MARK}> true }} GRAPH <{LABELS_GRAPH}> {{ ?e <{_PREF_LABEL}> ?old }} }}",
        _relabel(scratch),
        *summary.respell(scratch, LABELS_GRAPH, _MARK),
        f"INSERT {{ ?e ?p ?o }} WHERE {{ GRAPH <{scratch}> {{ ?e <{_MARK}> true }} GRAPH <{LABELS_GRAPH}> {{ ?e ?p ?o }} }}",
        *summary.refresh(scratch),
        f"DROP SILENT GRAPH <{scratch}>",
    ]


def shown_elsewhere(graph_name: object, changed: str) -> bool:
    """Whether a statement in the graph `graph_name` keeps it in the default graph when the digest
    graph `changed` no longer states it: another digest's graph, the labels or the vocabulary
    (the test `union_before` makes in SPARQL)."""
    if not isinstance(graph_name, NamedNode) or graph_name.value == changed:
        return False
    name = graph_name.value
    return name in (LABELS_GRAPH, VOCABULARY_GRAPH) or not name.startswith(SYSTEM_GRAPHS)


def rebuild_summaries(*, scratch: str = RELABEL_GRAPH) -> str:
    """One SPARQL update that makes every summary count again from every digest (`kg.store.summary`)."""
    return summary.rebuild(scratch, LABELS_GRAPH, _MARK, SYSTEM_GRAPHS, union_rebuild())


def _relabel(scratch: str) -> str:
    return f"""INSERT {{ GRAPH <{LABELS_GRAPH}> {{ ?e <{_PREF_LABEL}> ?label }} }}
WHERE {{
  {{ SELECT ?e (MIN(?key) AS ?best) WHERE {{
      {{ SELECT ?e ?l (COUNT(DISTINCT ?g) AS ?n) WHERE {{
          GRAPH <{scratch}> {{ ?e <{_MARK}> true }}
          GRAPH ?g {{ ?e <{_RDFS_LABEL}> ?l }}
          FILTER(!STRSTARTS(STR(?g), "{SYSTEM_GRAPHS}"))
      }} GROUP BY ?e ?l }}
      BIND(CONCAT(STR(2000000 - ?n), STR(1000 + STRLEN(?l)), "|", ?l) AS ?key)
  }} GROUP BY ?e }}
  BIND(STRAFTER(?best, "|") AS ?label)
}}"""


#: Every digest graph with the name of its digest: what `rename_digests` compares.
DIGEST_NAMES = (
    f"SELECT ?g ?source WHERE {{ GRAPH ?g {{ ?g a <{KG}Digest> ; "
    "<http://purl.org/dc/terms/source> ?source } }"
)


def rename_digests(store: Store) -> int:
    """Give every digest graph an earlier version named the name `digest_iri` gives its
    `dcterms:source` now; -> how many were renamed. Run at each write-open (a no-op once done).

    Earlier versions named a digest's graph (and its node) by the slug of its file name alone,
    so files whose names fold to one slug shared a graph. Such a store is read as it is
    (queries do not care what the graphs are called); the first write-open (`kg ingest`)
    renames its graphs, so re-ingesting a file replaces its graph instead of adding a copy.
    Each digest is written under its new name before the old graph is dropped, both through
    `replace_graph`/`drop_graph` (labels and summaries kept right): a kill in between leaves
    the old graph too, which the next write-open renames again, to the same graph.
    """
    moves = sorted(
        {
            (row["g"].value, digest_iri(row["source"].value))
            for row in store.query(DIGEST_NAMES)  # type: ignore[union-attr]
            if row["g"].value != digest_iri(row["source"].value)
        }
    )
    for old, new in moves:
        before, after = NamedNode(old), NamedNode(new)

        def renamed(term: Any, before: NamedNode = before, after: NamedNode = after) -> Any:
            return after if term == before else term

        quads = [
            Quad(renamed(q.subject), q.predicate, renamed(q.object), after)
            for q in store.quads(old)
        ]
        store.replace_graph(new, quads)
        store.drop_graph(old)
    return len(moves)


def summaries_stale(store: Store) -> bool:
    """Whether `store`'s summary counts were made by another version of this code, or are
    missing (a store written before them): the saved questions that read them answer nothing
    useful until the next `kg ingest` into the store counts them again."""
    return not bool(store.query(summary.current_query()))


def stale_notice(store: Store, sparql: str, location: str | Path) -> str | None:
    """A one-line warning when `sparql` reads summary counts that `store` does not hold for
    this version; None otherwise (and for every other query)."""
    if not summary.reads_summaries(sparql) or not summaries_stale(store):
        return None
    return (
        f"{location}: this store's summary counts were written by another version of techclaims "
        "(or before there were any), so this question may answer nothing; run `kg ingest` on "
        "any digest into the store once to count them again"
    )


def is_summary(quad: Quad) -> bool:
    """Whether a quad belongs to the summaries (`kg.store.summary`): counts derived from the digests
    for the saved questions, kept by `kg ingest`; exports and validation leave them out."""
    graph = quad.graph_name
    return isinstance(graph, NamedNode) and graph.value.startswith(summary.SUMMARY_STATE)


def is_url(location: str | Path) -> bool:
    """Whether `--store` names a SPARQL server rather than a directory.

    >>> is_url("https://sparql.example.org/ds"), is_url("out/store")
    (True, False)
    """
    return isinstance(location, str) and location.lower().startswith(("http://", "https://"))


def open_store(location: str | Path, *, read_only: bool = False) -> Store:
    """Open the store at `location`: a directory (embedded Oxigraph, created if missing) or the
    `http(s)://` address of a SPARQL 1.1 server (`kg.store.remote`)."""
    if is_url(location):
        from techclaims.kg.store.remote import RemoteStore

        return RemoteStore(str(location), read_only=read_only)
    from techclaims.kg.store.embedded import EmbeddedStore

    return EmbeddedStore(Path(location), read_only=read_only)
