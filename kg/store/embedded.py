"""The default store: embedded Oxigraph in a directory.

What ../shared/STACK.md found shapes this module: one SPARQL update is one
transaction (so a digest's graph is swapped with `DROP` + `INSERT DATA` in a
single update, and a killed ingest leaves either the old or the new graph),
a directory has one writer at a time (a second writer gets a clear error, not
a hang), and a large write must be followed by `flush()` or the next open is
slow.

One transaction holds everything it writes in memory (about 5 KiB per statement
with the labels and summaries it recomputes), so a digest graph larger than
`ONE_WRITE_QUADS` is written in batches instead (`replace_graph_in_batches`):
staged in a graph of its own, then switched in bounded steps that a journal
records, so a kill at any moment leaves the old graph (before the switch is
recorded) or, once the next writer has finished the switch, the new one.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from techclaims.kg.errors import QueryError, StoreError, StoreLockedError
from techclaims.kg.mapping import PREFIXES
from techclaims.kg.sparql import syntax_message
from techclaims.kg.store import (
    SWITCH_GRAPHS,
    SYSTEM_GRAPHS,
    VOCABULARY_GRAPH,
    QueryResult,
    bind,
    change_marks,
    graph_change,
    hidden_graph,
    legacy_dataset,
    rebuild_summaries,
    rename_digests,
    settle_marks,
    shown_elsewhere,
    summary,
    visible_options,
    vocabulary_update,
)
from techclaims.schema import ONTOLOGY, TOPICS
from techclaims.schema.iris import KG

log = logging.getLogger(__name__)
T = TypeVar("T")

#: A digest graph of more statements than this is written by `replace_graph_in_batches`, not in
#: one transaction: the largest corpus digest writes 15,588, so every real digest keeps the
#: one-transaction swap (readers never see a mix), and memory stays bounded for generated ones.
ONE_WRITE_QUADS = 50_000
#: Statements per transaction of a batched write: bounds its memory (~100 MiB at 20,000).
WRITE_BATCH = 20_000
#: The journal of batched switches: ``<staging> kg:switchTo <graph>`` once the staging graph is
#: whole (the switch is then finished, never undone), ``<staging> kg:switchStep "move"`` once the
#: old graph's statements the new one lacks are gone.
JOURNAL_GRAPH = f"{SWITCH_GRAPHS}journal"
SWITCH_TO = f"{KG}switchTo"
_SWITCH_STEP = f"{KG}switchStep"


def staging_iri(graph: str) -> str:
    """The staging graph of a batched write of `graph`."""
    return f"{SWITCH_GRAPHS}staging/{hashlib.sha256(graph.encode('utf-8')).hexdigest()[:24]}"


def _marks_iri(staging: str) -> str:
    return f"{SWITCH_GRAPHS}marks/{staging.rsplit('/', 1)[1]}"


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
        except (RuntimeError, FileNotFoundError) as err:
            if not rewritten(err):  # only a writer's compaction is worth a retry
                raise StoreError(_open_failure(path, err)) from err
            if attempt == attempts - 1:
                first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
                raise StoreError(
                    f"{path}: cannot open a snapshot of the store while it is being "
                    f"rewritten (tried {attempts} times): {first}"
                ) from err
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def rewritten(err: BaseException) -> bool:
    """Whether a snapshot's read failed because a writer removed a table file it still listed.

    A read-only snapshot does not pin its files: a writer's compaction deletes the ones it
    merged, and the snapshot finds that out only when it first reads one (pyoxigraph raises
    FileNotFoundError, or RocksDB says "No such file"). A snapshot opened afresh reads the
    writer's new manifest.
    """
    return isinstance(err, FileNotFoundError) or "No such file" in str(err)


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
        self._graphs: list[ox.NamedNode | ox.BlankNode] | None = None  # a snapshot's, once read
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
        if read_only:
            self._refuse_mid_switch()
        else:
            self._recover()
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

    def replace_graph_in_batches(self, graph: str, batches: Iterable[list[ox.Quad]]) -> None:
        """Swap a digest's named graph for the quads of `batches`, `WRITE_BATCH` at a time, so memory
        follows the batch, not the digest (`replace_graph` holds the whole graph in one transaction).

        1. The quads are written to a staging graph (under `SWITCH_GRAPHS`: no reader's default
           graph, export or label sees it). A kill here leaves the old graph; the next
           write-open drops the staging graph.
        2. One small transaction records the switch in the journal: from here on it is finished,
           by this process or, after a kill, by the next write-open (`_recover`).
        3. `_finish_switch`: marks, prune, move, settle, each step in bounded transactions.
        Readers (`read_only`) opened while 3 is under way are refused with one line, so nobody
        reads a mix. Set semantics (issue 16) kept: a statement leaves the default graph only
        when no other digest, the labels or the vocabulary state it; what the graph states
        enters it once. The result is the store `replace_graph` gives (a test compares).
        """
        staging = staging_iri(graph)
        self._drop_in_batches(staging)  # a staging graph a killed run left (normally none)
        node = ox.NamedNode(staging)
        for batch in batches:
            self._write(ox.Quad(q.subject, q.predicate, q.object, node) for q in batch)
        self._update(
            f"INSERT DATA {{ GRAPH <{JOURNAL_GRAPH}> {{ <{staging}> <{SWITCH_TO}> <{graph}> }} }}"
        )
        self._finish_switch(staging, graph)

    def _finish_switch(self, staging: str, graph: str) -> None:
        """Make `graph` what `staging` holds, after the journal recorded the switch; safe to run
        again from any point (a kill mid-way is finished by the next write-open)."""
        scratch = _marks_iri(staging)
        moving = f'ASK {{ GRAPH <{JOURNAL_GRAPH}> {{ <{staging}> <{_SWITCH_STEP}> "move" }} }}'
        if not self._store.query(moving):
            # Marks first, before the old graph changes: what its labels and counts touch, and
            # what the new one's do (insert-only: a repeat marks no less).
            self._update(
                summary.PREFIXES
                + " ;\n".join(change_marks(graph, scratch) + change_marks(staging, scratch))
            )
            self._prune(graph, staging)
            self._update(
                f'INSERT DATA {{ GRAPH <{JOURNAL_GRAPH}> {{ <{staging}> <{_SWITCH_STEP}> "move" }} }}'
            )
        self._move(staging, graph)
        self._update(
            summary.PREFIXES
            + " ;\n".join(
                [
                    *settle_marks(scratch),
                    f"DELETE WHERE {{ GRAPH <{JOURNAL_GRAPH}> {{ <{staging}> ?p ?o }} }}",
                    f"DROP SILENT GRAPH <{staging}>",
                ]
            )
        )
        if not self._pending_switches():
            self._update(f"DROP SILENT GRAPH <{JOURNAL_GRAPH}>")

    def _prune(self, graph: str, staging: str) -> None:
        """Remove from `graph` what the staged graph does not state, in batches; each statement also
        leaves the default graph unless another digest (or the labels, the vocabulary) states it."""
        old, new = ox.NamedNode(graph), ox.NamedNode(staging)
        doomed: list[ox.Quad] = []
        for quad in self._store.quads_for_pattern(None, None, None, old):  # a snapshot
            if ox.Quad(quad.subject, quad.predicate, quad.object, new) not in self._store:
                doomed.append(quad)
            if len(doomed) >= WRITE_BATCH:
                self._delete(doomed, graph)
                doomed = []
        self._delete(doomed, graph)

    def _delete(self, quads: list[ox.Quad], graph: str) -> None:
        if not quads:
            return
        unshown = [
            q
            for q in quads
            if not any(
                shown_elsewhere(other.graph_name, graph)
                for other in self._store.quads_for_pattern(q.subject, q.predicate, q.object, None)
            )
        ]
        self._update(
            f"DELETE DATA {{ GRAPH <{graph}> {{\n{_ntriples(quads)}}}\n{_ntriples(unshown)}}}"
        )

    def _move(self, staging: str, graph: str) -> None:
        """Move the staged statements into `graph` and the default graph, a batch a transaction."""
        batch: list[ox.Quad] = []
        for quad in self._store.quads_for_pattern(None, None, None, ox.NamedNode(staging)):
            batch.append(quad)
            if len(batch) >= WRITE_BATCH:
                self._move_batch(batch, staging, graph)
                batch = []
        self._move_batch(batch, staging, graph)

    def _move_batch(self, quads: list[ox.Quad], staging: str, graph: str) -> None:
        if not quads:
            return
        body = _ntriples(quads)
        self._update(
            f"DELETE DATA {{ GRAPH <{staging}> {{\n{body}}} }} ;\n"
            f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}}}\n{body}}}"
        )

    def _drop_in_batches(self, graph: str) -> None:
        """Empty `graph` a batch a transaction (`DROP GRAPH` would hold all of it in one)."""
        node = ox.NamedNode(graph)
        batch: list[ox.Quad] = []
        for quad in self._store.quads_for_pattern(None, None, None, node):
            batch.append(quad)
            if len(batch) >= WRITE_BATCH:
                self._update(f"DELETE DATA {{ GRAPH <{graph}> {{\n{_ntriples(batch)}}} }}")
                batch = []
        if batch:
            self._update(f"DELETE DATA {{ GRAPH <{graph}> {{\n{_ntriples(batch)}}} }}")
        self._update(f"DROP SILENT GRAPH <{graph}>")

    def _pending_switches(self) -> list[tuple[str, str]]:
        rows = self._store.query(
            f"SELECT ?s ?g WHERE {{ GRAPH <{JOURNAL_GRAPH}> {{ ?s <{SWITCH_TO}> ?g }} }}"
        )
        return [(row["s"].value, row["g"].value) for row in rows]  # type: ignore[union-attr]

    def _recover(self) -> None:
        """At a write-open: finish every switch the journal recorded (a kill after step 2 of
        `replace_graph_in_batches`), and drop what a kill before it left (the old graph stands)."""
        pending = self._pending_switches()
        for staging, graph in pending:
            log.warning(
                "%s: finishing the switch of %s that an interrupted `kg ingest` left",
                self.location,
                graph,
            )
            self._finish_switch(staging, graph)
        for name in self._store.named_graphs():
            if name.value.startswith(SWITCH_GRAPHS) and name.value != JOURNAL_GRAPH:
                self._drop_in_batches(name.value)

    def _refuse_mid_switch(self) -> None:
        """A reader never reads a graph half switched: one line instead, saying what to do."""
        pending = self._pending_switches()
        if pending:
            raise StoreError(
                f"{self.location}: the digest graph {pending[0][1]} is being switched to a new "
                "version in batches (or a killed `kg ingest` left it so); wait for the ingest "
                "to finish, or run `kg ingest` again to finish it"
            )

    def _write(self, quads: Iterable[ox.Quad]) -> None:
        """Add `quads` in one transaction (`Store.extend`), flushed."""
        try:
            self._store.extend(quads)
            self._store.flush()  # RocksDB's memtables would keep ~1 KiB a statement until full
        except (RuntimeError, OSError) as err:
            raise StoreError(f"{self.location}: write failed: {err}") from err

    def _update(self, sparql: str) -> None:
        try:
            self._store.update(sparql)
            self._store.flush()  # after each batch too: memtables unflushed grow ~1 KiB a statement
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

    def reopen(self) -> None:
        """Open a read-only snapshot afresh: what a writer committed since becomes visible, and
        the table files its compaction removed are no longer asked for (`rewritten`)."""
        if not self.read_only:
            raise StoreError(f"{self.location}: only a read-only snapshot is reopened")
        self._store = _open_read_only(Path(self.location))
        self._graphs = self._legacy = None
        self._refuse_mid_switch()

    def reading(self, read: Callable[[], T], attempts: int = 3) -> T:
        """`read()`, on a snapshot again from a fresh one if a writer's compaction removed a file
        it needed (a writer's store reads its own files and never needs this)."""
        for attempt in range(attempts):
            try:
                return read()
            except (RuntimeError, OSError) as err:
                if not self.read_only or not rewritten(err) or attempt == attempts - 1:
                    raise
                log.info(
                    "%s: a writer rewrote the store's files; reading a fresh snapshot",
                    self.location,
                )
                self.reopen()
        raise AssertionError("unreachable")

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self.named_graphs() if not g.value.startswith(SYSTEM_GRAPHS))

    def query(self, sparql: str, *, bindings: dict | None = None) -> QueryResult:
        """Run a user's query. A switch's graphs (staging, journal, marks) are none of its
        business: `visible_options` leaves them out of its dataset, whatever it names."""
        text = bind(sparql, bindings)

        def run() -> QueryResult:
            options = {"prefixes": PREFIXES, "use_default_graph_as_union": self.union_default()}
            return self._store.query(text, **visible_options(text, options, self.named_graphs()))

        try:
            return self.reading(run)
        except SyntaxError as err:
            raise QueryError(syntax_message(err, text)) from err
        except (RuntimeError, OSError) as err:
            raise QueryError(f"query failed: {err}") from err

    def named_graphs(self) -> list[ox.NamedNode | ox.BlankNode]:
        """Every named graph of the store, the switch's included (read once for a snapshot, which
        does not change; each time for a writer)."""
        if self._graphs is not None:
            return self._graphs
        graphs = self.reading(lambda: list(self._store.named_graphs()))
        if self.read_only:
            self._graphs = graphs
        return graphs

    def user_view(self) -> UserView:
        """This store as the pyoxigraph store a user's code may be handed (the rdflib view)."""
        return UserView(self._store, self.named_graphs())

    def union_default(self) -> bool:
        """Whether queries read the union of the named graphs as their default graph: only on a store
        written before the store kept its own (each statement once; `legacy_dataset`)."""
        if self._legacy is None:
            self._legacy = self.reading(lambda: legacy_dataset(self._store))
        return self._legacy

    def quads(self, graph: str | None = None) -> list[ox.Quad]:
        if graph is None:
            found = self.reading(
                lambda: list(self._store.quads_for_pattern(None, None, None, None))
            )
            return sorted(
                (
                    q
                    for q in found
                    if isinstance(q.graph_name, ox.NamedNode)
                    and not q.graph_name.value.startswith(SWITCH_GRAPHS)
                ),
                key=str,
            )
        node = ox.NamedNode(graph)
        return sorted(
            self.reading(lambda: list(self._store.quads_for_pattern(None, None, None, node))),
            key=str,
        )

    def close(self) -> None:
        self._store = None  # type: ignore[assignment]  # pyoxigraph releases the lock when dropped

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class UserView:
    """A pyoxigraph store as a user's code sees it (`kg.api.Graph.rdflib` hands it to oxrdflib): its
    queries, `named_graphs` and `quads_for_pattern` leave out a switch's graphs (`hidden_graph`);
    everything else is the store's."""

    def __init__(self, store: ox.Store, graphs: list[ox.NamedNode | ox.BlankNode]) -> None:
        self._store, self._graphs = store, graphs

    def query(self, sparql: str, **options: object) -> QueryResult:
        return self._store.query(sparql, **visible_options(sparql, options, self._graphs))

    def named_graphs(self) -> Iterable[ox.NamedNode | ox.BlankNode]:
        return iter([g for g in self._graphs if not hidden_graph(g)])

    def quads_for_pattern(
        self, subject: object, predicate: object, object_: object, graph_name: object = None
    ) -> Iterable[ox.Quad]:
        if hidden_graph(graph_name):
            return iter(())
        found = self._store.quads_for_pattern(subject, predicate, object_, graph_name)  # type: ignore[arg-type]
        return (q for q in found if not hidden_graph(q.graph_name))

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)
