"""The composed job: digest files -> records (`ingest`) -> named graphs in a store (`kg`).

With `kg.cli` this is the only module that imports both halves; the rest of
`kg` never imports spaCy. Each digest is extracted in full before its graph
is swapped, so a failure (or a kill) mid-run leaves every digest either as it
was or wholly new: in one transaction, or for a graph over
`kg.store.embedded.ONE_WRITE_QUADS` statements in batches with a journalled
switch (`EmbeddedStore.replace_graph_in_batches`), so that memory follows the
batch and the entry, not the file.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import logging
import os
import queue
import threading
import time
import uuid
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from pyoxigraph import Literal, NamedNode, Quad

from techclaims.kg.errors import KgError, UsageError
from techclaims.kg.mapping import digest_quad_batches, digest_quads, statement_count
from techclaims.kg.store import Store, open_store
from techclaims.schema.iris import KG, digest_iri, metric_family
from techclaims.schema.records import Digest

if TYPE_CHECKING:
    from techclaims.ingest.distributed import Outcome

log = logging.getLogger(__name__)

DIGEST_SUFFIXES = {".md", ".markdown", ".txt", ".mdown"}


@dataclass
class IngestReport:
    store: str
    digests: list[Digest] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # skipped: same bytes, same extractor

    def summary(self) -> str:
        # Distinct papers and claims, as `kg stats` counts them: a paper two digests list is one.
        papers = len({p.key for d in self.digests for p in d.papers})
        claims = len(
            {
                (p.key, c.value, c.value_max, c.unit, metric_family(c.metric), c.method)
                for d in self.digests
                for p in d.papers
                for c in p.claims
            }
        )
        lines = [
            f"ingested {len(self.digests)} digest(s): {papers} papers, {claims} claims -> {self.store}"
        ]
        if self.unchanged:
            lines.append(
                f"skipped {len(self.unchanged)} unchanged digest(s): the store holds them from the "
                "same bytes (SHA-256) read by the same extractor"
            )
        dropped = [f"{d.source}: {why}" for d in self.digests for why in d.dropped]
        if dropped:
            lines.append(f"skipped {len(dropped)} entr{'y' if len(dropped) == 1 else 'ies'}:")
            lines += [f"  {line}" for line in dropped[:20]]
            if len(dropped) > 20:
                lines.append(f"  ... and {len(dropped) - 20} more")
        if self.failures:
            lines.append(f"skipped {len(self.failures)} file(s) (see the errors above)")
        return "\n".join(lines)


def find_digests(paths: list[Path]) -> tuple[dict[Path, str], list[str]]:
    """Files as given, folders searched for digest files -> ({file: its digest name}, problems).

    A digest's name (`Digest.source`, `dcterms:source`, and through `digest_iri` its graph) is
    its path below the folder named on the command line (``2026-01-02/README.md`` for
    ``kg ingest daily``), or its file name when the file itself is named: the same file named
    the same way always lands in the same graph. A file found twice (a folder and a file in it)
    is read once. Missing and unreadable paths are reported, not fatal: the rest lands.
    """
    found: dict[Path, str] = {}
    seen: set[Path] = set()
    missing: list[str] = []

    def add(path: Path, name: str) -> None:
        real = path.resolve()
        if real not in seen:
            seen.add(real)
            found[path] = name

    for path in paths:
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                if (
                    p.is_file()
                    and p.suffix.lower() in DIGEST_SUFFIXES
                    and not p.name.startswith(".")
                    and p.name.lower() != "readme.md"
                ):
                    add(p, p.relative_to(path).as_posix())
        elif path.exists() or path.is_symlink():
            add(path, path.name)
        else:
            missing.append(f"{path}: no such file or directory")
    return found, missing


def check_names(files: dict[Path, str]) -> None:
    """Refuse, before anything is written, two files of one run that would land in one graph.

    Names differ whenever paths do (`digest_iri` hashes the exact name), so this fires for two
    files named one by one that share a file name (``kg ingest a/notes.md b/notes.md``).
    """
    taken: dict[str, Path] = {}
    for path, name in files.items():
        graph = digest_iri(name)
        if graph in taken:
            raise UsageError(
                f"{taken[graph]} and {path} would both be stored as the digest {name!r} (one "
                "graph, so one would replace the other); nothing was written: ingest their "
                "common folder instead, so each is named by its path below it, or rename one"
            )
        taken[graph] = path


def extract_all(
    files: list[Path],
    *,
    gpu: bool,
    workers: int,
    scheduler: str | None,
    notice: Callable[[str], None],
    sources: dict[Path, str] | None = None,
) -> Iterator[tuple[Path, Digest | Exception]]:
    """Records for each file, in the order of `files`; an ingest error is yielded in place of its digest.
    `sources` names each digest (see `find_digests`; its file name when missing).

    One process by default. `workers` > 1 spreads the files over that many local processes
    (a single file instead gets spaCy's own `n_process`); `scheduler` spreads them over the
    workers of a Dask cluster. Whatever runs where, the results come back here in order, so
    the one writer stores exactly what a serial run would.
    """
    names = {path: (sources or {}).get(path, path.name) for path in files}
    if scheduler:
        if workers > 1:
            raise UsageError(
                "--workers and --scheduler do not go together: with a scheduler, the "
                "cluster's workers are the processes"
            )
        yield from _extract_on_cluster(files, scheduler, gpu=gpu, sources=names)
    elif workers > 1 and len(files) > 1:
        yield from _extract_in_processes(files, workers, gpu=gpu, sources=names)
    else:
        yield from _extract_here(files, gpu=gpu, n_process=workers, notice=notice, sources=names)


def _extract_here(
    files: list[Path],
    *,
    gpu: bool,
    n_process: int,
    notice: Callable[[str], None],
    sources: dict[Path, str],
) -> Iterator[tuple[Path, Digest | Exception]]:
    from techclaims.ingest.distributed import ForkedWorkers, forked_children_die_with_me
    from techclaims.ingest.errors import IngestError
    from techclaims.ingest.extract import extract_digest, freeze_heap
    from techclaims.ingest.nlp.pipeline import load_nlp

    nlp = load_nlp(gpu=gpu, notice=notice)
    freeze_heap()
    if n_process > 1:  # spaCy forks its own workers: they too must not outlive this process
        forked_children_die_with_me()
    for path in files:
        with ForkedWorkers(n_process > 1) as workers:  # spaCy's, for this file
            try:
                yield path, extract_digest(path, nlp, n_process=n_process, source=sources[path])
            except IngestError as err:
                yield path, err
            except Exception as err:  # a bug (or a dead worker): one line, the traceback under -v
                if workers.why:  # a worker died, so spaCy's pipe broke: say how it died
                    workers.abandon(err)
                    yield (
                        path,
                        RuntimeError(
                            f"{path}: a worker process died while extracting it ({workers.why}); "
                            "skipped"
                        ),
                    )
                    continue
                log.info("extracting %s failed", path, exc_info=True)
                yield (
                    path,
                    RuntimeError(
                        f"{path}: internal error while extracting ({type(err).__name__}: {err}); "
                        "run with -v for the traceback"
                    ),
                )


def _result(path: Path, outcome: Outcome) -> Digest | Exception:
    """A worker's outcome (see `ingest.distributed`) as a record or an error to report."""
    if outcome[0] == "ok":
        return outcome[1]
    if outcome[0] == "internal":
        log.info("extracting %s failed on a worker:\n%s", path, outcome[2])
    return RuntimeError(outcome[1])


class _InOrder:
    """Results that arrive in any order, handed out in the order of the files."""

    def __init__(self, files: list[Path]) -> None:
        self.files = files
        self.ready: dict[int, Digest | Exception] = {}
        self.next = 0

    def put(self, index: int, result: Digest | Exception) -> None:
        self.ready.setdefault(index, result)  # a digest that ran twice is still handed out once

    def take(self) -> Iterator[tuple[Path, Digest | Exception]]:
        while self.next in self.ready:
            yield self.files[self.next], self.ready.pop(self.next)
            self.next += 1


def _extract_in_processes(
    files: list[Path], workers: int, *, gpu: bool, sources: dict[Path, str]
) -> Iterator[tuple[Path, Digest | Exception]]:
    """Files over a pool of local processes, `2 * workers` digests in flight.

    A process that dies breaks the pool, and which digest killed it is unknown: a new pool
    then runs the digests that were in flight one at a time, so a digest that kills its
    process again is the culprit, reported and skipped; the others land.
    """
    import multiprocessing
    from collections import deque
    from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, ProcessPoolExecutor, wait

    from techclaims.ingest.distributed import extract_file, ready, warm

    order = _InOrder(files)
    todo = deque(range(len(files)))
    suspects: set[int] = set()  # in flight when a process died: run alone until cleared
    context = multiprocessing.get_context(
        "spawn"
    )  # the writer holds the store's threads: never fork them
    while todo:
        pool = ProcessPoolExecutor(
            workers, mp_context=context, initializer=warm, initargs=(gpu, os.getpid())
        )
        seen: dict = {}  # every worker process of this pool, to tell why one died
        running: dict = {}
        try:
            try:
                pool.submit(ready).result()
            except BrokenExecutor as err:  # not a digest's fault: the processes cannot even start
                raise KgError(
                    f"the --workers processes could not start ({err}); run without --workers, "
                    "or with -v, to see why"
                ) from err
            while todo or running:
                limit = 1 if suspects else 2 * workers
                while todo and len(running) < limit:
                    index = todo.popleft()
                    path = files[index]
                    future = pool.submit(extract_file, str(path), gpu, None, sources[path])
                    running[future] = index
                    seen.update(getattr(pool, "_processes", None) or {})  # pid -> process
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                broken = []
                for future in done:
                    index = running.pop(future)
                    try:
                        order.put(index, _result(files[index], future.result()))
                        suspects.discard(index)
                    except BrokenExecutor:
                        broken.append(index)
                    except Exception as err:  # the outcome did not come back (pickling, memory)
                        order.put(
                            index,
                            RuntimeError(
                                f"{files[index]}: a worker process failed to extract it "
                                f"({type(err).__name__}: {err}); skipped"
                            ),
                        )
                yield from order.take()
                if broken:
                    broken += running.values()  # the rest of the pool's work is lost too
                    why = _why_died(list(seen.values()))
                    if len(broken) == 1 and broken[0] in suspects:
                        index = broken[0]
                        suspects.discard(index)
                        order.put(
                            index,
                            RuntimeError(
                                f"{files[index]}: its worker process died while extracting "
                                f"it, twice ({why}); skipped"
                            ),
                        )
                    else:
                        suspects.update(broken)
                        todo.extendleft(sorted(set(broken) - set(order.ready), reverse=True))
                    log.warning("a worker process died (%s); starting a new pool", why)
                    yield from order.take()
                    break
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    yield from order.take()


def _why_died(processes: list) -> str:
    """Why a pool's dead worker died, in words (its signal or exit status), as far as known."""
    from techclaims.ingest.distributed import exit_reason

    # The pool's manager thread reaps its dead children too; whichever thread's waitpid comes
    # second sees no child and leaves exitcode None until the other records it: wait a moment.
    deadline = time.monotonic() + 2.0
    while True:
        codes = [process.exitcode for process in processes if process.exitcode not in (None, 0)]
        if codes or time.monotonic() > deadline:
            return exit_reason(codes[0]) if codes else "no exit status known"
        time.sleep(0.02)


def _extract_on_cluster(
    files: list[Path], address: str, *, gpu: bool, sources: dict[Path, str]
) -> Iterator[tuple[Path, Digest | Exception]]:
    """Files over the workers of a Dask cluster: each task gets a digest's name and bytes (no shared
    file system needed), reads, repairs and extracts it, and sends the records back.

    A worker that dies mid-digest makes the scheduler run that digest again elsewhere, up to its
    `distributed.scheduler.allowed-failures`; after that the digest is reported and skipped.
    The others land either way, and each digest is stored once (results are taken once, in order).
    """
    try:
        from distributed import Client, as_completed
        from distributed.scheduler import KilledWorker
    except ImportError as err:
        raise KgError("--scheduler needs dask.distributed: pip install 'techclaims[dask]'") from err
    from techclaims.ingest.distributed import extract_file

    try:
        client = Client(address, timeout="20s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as err:
        raise KgError(f"cannot reach the Dask scheduler at {address}: {err}") from err
    order = _InOrder(files)
    run = uuid.uuid4().hex[:8]
    try:
        threads = max(1, sum(client.nthreads().values()))
        window = 4 * threads
        todo = iter(enumerate(files))
        running: dict[Hashable, int] = {}  # Dask key -> index of the file
        pending = as_completed(loop=client.loop)

        def submit() -> bool:
            item = next(todo, None)
            if item is None:
                return False
            index, path = item
            try:
                data = path.read_bytes()
            except OSError as err:
                order.put(index, RuntimeError(f"{path}: cannot read it ({err.strerror or err})"))
                return True
            future = client.submit(
                extract_file,
                str(path),
                gpu,
                data,
                sources[path],
                pure=False,
                key=f"kg-extract-{run}-{index}",
            )
            running[future.key] = index
            pending.add(future)
            return True

        while len(running) < window and submit():
            pass
        for future in pending:
            index = running.pop(future.key)
            try:
                result = _result(files[index], future.result())
            except KilledWorker:
                result = RuntimeError(
                    f"{files[index]}: Dask workers died while extracting it, as many times as "
                    "the scheduler allows; skipped"
                )
            except Exception as err:  # the cluster lost the task: report it, keep the others
                result = RuntimeError(
                    f"{files[index]}: the Dask cluster failed to extract it "
                    f"({type(err).__name__}: {err}); skipped"
                )
            future.release()
            order.put(index, result)
            yield from order.take()
            while len(running) < window and len(order.ready) < 8 * window and submit():
                pass
    finally:
        client.close()
    yield from order.take()


@cache
def extractor_tag() -> str:
    """A hash of everything that turns a digest's bytes into its graph: the `ingest` package (code,
    patterns, the trained model), `schema` and `kg.mapping`.

    Stored beside the file's SHA-256 in each digest's graph (`kg:extractor`), so an unchanged
    digest is skipped only while the extractor is unchanged too: after an upgrade (a new
    recognizer, a retrained model) the next `kg ingest` reads every digest again. The work
    folder of `make model` (ingest/nlp/training: vectors, DocBins, checkpoints; not shipped)
    is left out: it is not what extracts.
    """
    from techclaims import ingest, schema
    from techclaims.kg import mapping

    digest = hashlib.sha256()
    files = [Path(mapping.__file__)]
    for package in (ingest, schema):
        root = Path(package.__path__[0])
        files += sorted(
            p
            for p in root.rglob("*")
            if p.is_file() and not {"__pycache__", "training"} & set(p.relative_to(root).parts)
        )
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _unchanged(store: Store, path: Path, source: str) -> bool:
    """Whether `store` already holds `path`'s graph from these very bytes and this extractor.

    The graph named here must be the one the write in `ingest_paths` names for this file.
    An unreadable file is not unchanged: extraction reports it.
    """
    try:
        if not path.is_file():  # a FIFO would block the read: extraction reports it instead
            return False
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return False
    graph = digest_iri(source)
    return bool(
        store.query(
            f'ASK {{ GRAPH <{graph}> {{ <{graph}> <{KG}sha256> "{sha}" ; '
            f'<{KG}extractor> "{extractor_tag()}" }} }}'
        )
    )


def write_digest(store: Store, graph: str, digest: Digest, stamp: Quad) -> None:
    """Swap `digest`'s graph in: in one transaction while it is small (every real digest), else in
    batches, so that its quads are never all in memory (a store without batched writes, a
    server, gets them in one update)."""
    from techclaims.kg.store.embedded import ONE_WRITE_QUADS, WRITE_BATCH

    batched = getattr(store, "replace_graph_in_batches", None)
    if batched is None or statement_count(digest) + 1 <= ONE_WRITE_QUADS:
        store.replace_graph(graph, [*digest_quads(digest), stamp])
    else:
        batched(graph, itertools.chain(digest_quad_batches(digest, WRITE_BATCH), [[stamp]]))


def ingest_paths(
    paths: list[Path],
    store: str,
    *,
    gpu: bool = False,
    workers: int = 1,
    scheduler: str | None = None,
    progress: bool = False,
    notice: Callable[[str], None] = log.warning,
) -> IngestReport:
    """Ingest every digest under `paths` into `store`; bad files are reported through `notice`."""
    from tqdm import tqdm

    sources, missing = find_digests(paths)
    check_names(sources)
    files = list(sources)
    report = IngestReport(store=store, failures=list(missing))
    for problem in missing:
        notice(f"error: {problem}")
    if not files:
        return report
    with open_store(store) as opened:
        report.unchanged = [str(p) for p in files if _unchanged(opened, p, sources[p])]
        skip = set(report.unchanged)
        files = [p for p in files if str(p) not in skip]
        bar = tqdm(total=len(files), unit="digest", disable=not progress, leave=False)
        results = (
            extract_all(
                files,
                gpu=gpu,
                workers=workers,
                scheduler=scheduler,
                notice=notice,
                sources=sources,
            )
            if files
            else iter(())
        )
        with _Writer(opened) as writer:
            for path, result in results:
                bar.set_postfix_str(path.name[-30:])
                if isinstance(result, Exception):
                    report.failures.append(str(result))
                    notice(f"error: {result}")
                else:
                    writer.write(result)
                    report.digests.append(result)
                bar.update()
        bar.close()
    return report


class _Writer:
    """The one writer, on a thread of its own: digest k's graph is swapped in while digest k+1 is
    extracted, so a serial `kg ingest` keeps both cores busy (the store's update and flush release
    the GIL, and a flush mostly waits for the disk).

    The digests are written one at a time, in the order given, each as `write_digest` writes it
    (one transaction, or batches and a journalled switch): the store is the one a write in the
    loop would leave. At most one digest waits while another is written, so memory holds two
    digests' records at most. A failed write is raised in the caller at its next `write` or at
    the end of the `with` block, and nothing after it is written; leaving the block on an error
    (or Ctrl-C) drops the waiting digest and waits for the write under way, so the store is
    closed with no transaction open.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.queue: queue.Queue[Digest | None] = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="kg-writer", daemon=True)

    def __enter__(self) -> _Writer:
        self.thread.start()
        return self

    def write(self, digest: Digest) -> None:
        """Queue `digest`'s graph (blocking while another already waits)."""
        while True:
            self._raise()
            try:
                self.queue.put(digest, timeout=0.2)
                return
            except queue.Full:
                continue

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None:  # an error (or Ctrl-C) in the caller: write nothing more
            self.stopped.set()
            with contextlib.suppress(queue.Empty):
                self.queue.get_nowait()
        while self.thread.is_alive():
            with contextlib.suppress(queue.Full):
                self.queue.put(None, timeout=0.2)
                break
        self.thread.join()
        if kind is None:
            self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        tag = extractor_tag()
        while True:
            digest = self.queue.get()
            if digest is None or self.stopped.is_set():
                return
            graph = digest_iri(digest.source)
            stamp = Quad(
                NamedNode(graph), NamedNode(f"{KG}extractor"), Literal(tag), NamedNode(graph)
            )
            try:
                write_digest(self.store, graph, digest, stamp)
            except BaseException as err:  # raised again in the caller's thread
                self.error = err
                self.stopped.set()
                return
