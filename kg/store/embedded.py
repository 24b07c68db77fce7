"""The default store: embedded Oxigraph in a directory.

What ../shared/STACK.md found shapes this module: one SPARQL update is one
transaction (so a digest's graph is swapped with `DROP` + `INSERT DATA` in a
single update, and a killed ingest leaves either the old or the new graph),
a directory has one writer at a time (a second writer gets a clear error, not
a hang), and a large write must be followed by `flush()` or the next open is
slow.
"""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path

import pyoxigraph as ox

from techclaims.kg.errors import QueryError, StoreError, StoreLockedError
from techclaims.kg.mapping import PREFIXES
from techclaims.kg.sparql import syntax_message
from techclaims.kg.store import (
    SYSTEM_GRAPHS,
    VOCABULARY_GRAPH,
    QueryResult,
    bind,
    graph_change,
    legacy_dataset,
    rebuild_summaries,
    rename_digests,
    summary,
    vocabulary_update,
)
from techclaims.schema import ONTOLOGY, TOPICS

log = logging.getLogger(__name__)


def _ntriples(quads: list[ox.Quad]) -> str:
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    return (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")


def _open_read_only(path: Path, attempts: int = 8) -> ox.Store:
    """A read-only snapshot, opened again a moment later if a writer was compacting.

    A writer (`kg ingest`) compacts files on open and after writes; a snapshot opened at that
    moment can find a file of its manifest already deleted (RocksDB: "Corruption ... No such
    file"). Opening again a moment later reads the new manifest; if it keeps failing, the
    caller gets one line naming the store.
    """
    for attempt in range(attempts):
        try:
            return ox.Store.read_only(str(path))
        except RuntimeError as err:
            if "No such file" not in str(err):  # only a writer's compaction is worth a retry
                raise StoreError(_open_failure(path, err)) from err
            if attempt == attempts - 1:
                first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
                raise StoreError(
                    f"{path}: cannot open a snapshot of the store while it is being "
                    f"rewritten (tried {attempts} times): {first}"
                ) from err
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def _open_failure(path: Path, err: Exception) -> str:
    """One line for a store that will not open: damaged files say so, and what to do."""
    first = " ".join(str(err).split())[:300] or type(err).__name__
    if "Corruption" in first:
        return (
            f"{path}: the store is damaged ({first}); restore it from a copy, or ingest the "
            "digests again into a new store"
        )
    return f"{path}: cannot open the store: {first}"


class EmbeddedStore:
    """A pyoxigraph store on disk, opened for writing or as a read-only snapshot."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.location = str(path)
        self.read_only = read_only
        self._legacy: bool | None = None
        try:
            if read_only:
                if not (path / "CURRENT").exists():
                    raise StoreError(
                        f"{path}: no store here (run `kg ingest` first, or pass --store)"
                    )
                self._store = _open_read_only(path)
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except RuntimeError as err:  # RocksDB: a damaged file (a lock is an OSError)
            raise StoreError(_open_failure(path, err)) from err
        except OSError as err:
            if "lock" in str(err).lower():
                raise StoreLockedError(
                    f"{path}: the store is being written by another process (one writer at a time); "
                    "wait for it to finish"
                ) from err
            raise StoreError(f"{path}: cannot open the store: {err}") from err
        if not read_only:
            self._ensure_vocabulary()
            if rename_digests(self):
                log.info("%s: digest graphs renamed to the current naming (once)", self.location)
            self._ensure_summaries()
            self._legacy = None  # asked again: the writes above may have built the default graph

    # -- writing ----------------------------------------------------------

    def replace_graph(self, graph: str, quads: list[ox.Quad]) -> None:
        body = _ntriples(quads)
        self._update(
            graph_change(
                graph,
                f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}",
            )
        )

    def drop_graph(self, graph: str) -> None:
        self._update(graph_change(graph, f"DROP SILENT GRAPH <{graph}>"))

    def _update(self, sparql: str) -> None:
        try:
            self._store.update(sparql)
            self._store.flush()
        except (RuntimeError, OSError) as err:
            raise StoreError(f"{self.location}: write failed: {err}") from err

    def _ensure_vocabulary(self) -> None:
        """Keep the ontology and topic scheme in the store, so queries can use their labels."""
        data = ONTOLOGY.read_bytes() + TOPICS.read_bytes()
        tag = hashlib.sha256(data).hexdigest()
        marker = ox.Quad(
            ox.NamedNode(VOCABULARY_GRAPH),
            ox.NamedNode("https://w3id.org/techclaims/kg#sha256"),
            ox.Literal(tag),
            ox.NamedNode(VOCABULARY_GRAPH),
        )
        if marker in self._store:
            return
        quads = [marker]
        for path in (ONTOLOGY, TOPICS):
            quads += [
                ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(VOCABULARY_GRAPH))
                for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
            ]
        self._update(vocabulary_update(_ntriples(quads)))

    def _ensure_summaries(self) -> None:
        """Count the summaries again from every digest if this store's were made by another version
        (or before there were any): once, at the first write after an upgrade."""
        if bool(self._store.query(summary.current_query())):
            return
        log.info(
            "%s: counting the summaries from every digest (once, for this version)", self.location
        )
        self._update(rebuild_summaries())

    # -- reading ----------------------------------------------------------

    def graphs(self) -> list[str]:
        return sorted(
            g.value for g in self._store.named_graphs() if not g.value.startswith(SYSTEM_GRAPHS)
        )

    def query(self, sparql: str, *, bindings: dict | None = None) -> QueryResult:
        text = bind(sparql, bindings)
        try:
            return self._store.query(
                text, prefixes=PREFIXES, use_default_graph_as_union=self.union_default()
            )
        except SyntaxError as err:
            raise QueryError(syntax_message(err, text)) from err
        except (RuntimeError, OSError) as err:
            raise QueryError(f"query failed: {err}") from err

    def union_default(self) -> bool:
        """Whether queries read the union of the named graphs as their default graph: only on a store
        written before the store kept its own (each statement once; `legacy_dataset`)."""
        if self._legacy is None:
            self._legacy = legacy_dataset(self._store)
        return self._legacy

    def quads(self, graph: str | None = None) -> list[ox.Quad]:
        if graph is None:
            found = self._store.quads_for_pattern(None, None, None, None)
            return sorted(
                (q for q in found if not isinstance(q.graph_name, ox.DefaultGraph)), key=str
            )
        return sorted(self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)), key=str)

    def close(self) -> None:
        self._store = None  # type: ignore[assignment]  # pyoxigraph releases the lock when dropped

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
