"""`kg serve`: a read-only SPARQL 1.1 Protocol endpoint over the store.

Why a small ASGI app of our own and not `oxigraph serve-read-only` (the server in the
`oxigraph` wheel, which opens the same directory): the endpoint must enforce a query
timeout and a result-size limit, and ../shared/STACK.md found that server's
`--timeout-s` answering HTTP 200 with a truncated body, or not firing at all, and no
result limit. A thread cannot stop a pyoxigraph query, so here each query runs in a
worker *process* that holds its own read-only snapshot of the store; the server waits
for the answer up to the deadline and otherwise kills that worker, starts a fresh
one and answers 503. Workers also count rows while they build the answer and give up
past the limit (422), so a client gets a whole answer or a clear error, never a cut one.

While `kg ingest` writes the store (one writer per directory), the workers keep
answering from their snapshot, and reopen a newer snapshot once the store's files
change (checked at most once a second, before a query). Each digest lands in one
transaction, so a snapshot holds every digest either as it was or wholly new.

Layout: `negotiate` (content negotiation, pure), `run_job` (one query in a worker,
pure apart from the store), `WorkerPool` (processes and deadlines), `create_app`
(Starlette routes) and `serve` (uvicorn on a socket bound first, so port 0 works).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import re
import signal
import socket
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from techclaims.kg.errors import KgError, QueryError, UsageError
from techclaims.kg.sparql import syntax_message
from techclaims.kg.store import legacy_dataset, switch_pending, visible_options

if TYPE_CHECKING:  # starlette comes with the `server` extra, imported when the server starts
    from starlette.requests import Request
    from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger(__name__)

DEFAULT_PORT = 7878
MAX_QUERY_BYTES = 1 << 20
#: Relative IRIs in a query resolve against this (the project's resource namespace), so
#: ``CONSTRUCT { <a> <b> <c> } WHERE {}`` parses, as the SPARQL 1.1 Protocol tests expect.
BASE_IRI = "https://w3id.org/techclaims/id/"

RESULT_FORMATS = {  # canonical media type -> format; the first is the default
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
ALIASES = {  # other names clients use for the same formats
    "application/json": ("application/sparql-results+json", "application/ld+json"),
    "application/xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "text/xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "application/turtle": ("text/turtle",),
    "application/x-turtle": ("text/turtle",),
    "text/plain": ("application/n-triples",),
    "application/x-json+ld": ("application/ld+json",),
}
FORMAT_PARAM = {  # ?format= (also what SPARQLWrapper sends) -> media types, results first
    "json": ("application/sparql-results+json", "application/ld+json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "csv": ("text/csv",),
    "tsv": ("text/tab-separated-values",),
    "turtle": ("text/turtle",),
    "ttl": ("text/turtle",),
    "nt": ("application/n-triples",),
    "ntriples": ("application/n-triples",),
    "n-triples": ("application/n-triples",),
    "json-ld": ("application/ld+json",),
    "jsonld": ("application/ld+json",),
    "rdf": ("application/rdf+xml",),
    "rdfxml": ("application/rdf+xml",),
}
TEXTUAL = {"text/csv", "text/tab-separated-values", "text/turtle", "application/n-triples"}

_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.I,
)


@dataclass(frozen=True)
class Settings:
    """What `kg serve` takes; every limit is configurable."""

    store: str
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    timeout_s: float = 10.0
    max_rows: int = 100_000
    workers: int = 2
    refresh_s: float = 1.0
    #: SERVICE endpoints a query may call (exact IRIs); none by default: the endpoint never
    #: leaves the machine on a query's behalf.
    allow_service: tuple[str, ...] = ()
    #: Seconds a connection may take to send a request's head (and, once answered, to start the
    #: next): idle and half-sent connections are closed after it.
    header_timeout_s: float = 5.0
    #: Requests handled at once (idle sockets do not count); more are answered 503 at once.
    max_requests: int = 64


@dataclass
class Job:
    """One query for a worker: the text, the protocol's dataset and what the client accepts."""

    query: str
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    accept: list[tuple[str, float]] = field(default_factory=list)


@dataclass
class Reply:
    status: int
    media_type: str
    body: bytes


def text_reply(status: int, message: str) -> Reply:
    return Reply(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8"))


# -- content negotiation ------------------------------------------------------------------------


def parse_accept(header: str | None, fmt: str | None = None) -> list[tuple[str, float]]:
    """Media ranges with their q-values, in the client's order; `?format=` goes first.

    >>> parse_accept("text/csv;q=0.5, application/json")
    [('text/csv', 0.5), ('application/json', 1.0)]
    >>> parse_accept(None, "csv")[0]
    ('text/csv', 2.0)
    """
    ranges: list[tuple[str, float]] = [
        (media, 2.0) for media in FORMAT_PARAM.get((fmt or "").lower(), ())
    ]
    for part in (header or "*/*").split(","):
        media, *params = [p.strip() for p in part.split(";")]
        if not media:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media.lower(), q))
    return ranges


def negotiate(accept: list[tuple[str, float]], offered: dict[str, Any]) -> str | None:
    """The offered media type the client likes best (None: nothing acceptable, 406).

    Exact types (and their aliases) beat `type/*`, which beats `*/*`; among equals the
    client's order decides, then ours (the first offered is the default).

    >>> negotiate(parse_accept("text/*;q=0.9, application/sparql-results+xml"), RESULT_FORMATS)
    'application/sparql-results+xml'
    >>> negotiate(parse_accept("application/json"), GRAPH_FORMATS)
    'application/ld+json'
    >>> negotiate(parse_accept("image/png"), RESULT_FORMATS) is None
    True
    """
    best: tuple[float, int, int, int] | None = None
    chosen = None
    for rank, media in enumerate(offered):
        for order, (wanted, q) in enumerate(accept):
            if wanted == media or media in ALIASES.get(wanted, ()):
                specificity = 2
            elif wanted.endswith("/*") and media.startswith(wanted[:-1]):
                specificity = 1
            elif wanted == "*/*":
                specificity = 0
            else:
                continue
            if q <= 0:
                continue
            key = (q, specificity, -order, -rank)
            if best is None or key > best:
                best, chosen = key, media
    return chosen


def content_type(media: str) -> str:
    return f"{media}; charset=utf-8" if media in TEXTUAL else media


def looks_like_update(sparql: str) -> bool:
    """True for SPARQL Update text, so a read-only endpoint can say so instead of a parse error.

    >>> looks_like_update("PREFIX a: <x:> INSERT DATA { a:b a:c a:d }")
    True
    >>> looks_like_update("SELECT * WHERE { ?s ?p ?o }")
    False
    """
    text = re.sub(r"(?m)#.*$", "", sparql)
    return bool(_UPDATE.match(text))


_IRI = r"""<[^<>"{}|^`\\\x00-\x20]*>"""
_LEXEMES = re.compile(
    r"""(?P<skip>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"""
    r'''|"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'''
    r"""|'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*"|\\.|#[^\n\r]*|"""
    + _IRI
    + r""")|(?P<service>(?<![\w:?$.\-])SERVICE(?![\w:\-]))""",
    re.IGNORECASE,
)
_SERVICE_TARGET = re.compile(
    r"(?:\s|#[^\n\r]*)*(?:SILENT(?:\s|#[^\n\r]*)*)?(" + _IRI + ")?", re.IGNORECASE
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def service_refusal(sparql: str, allowed: tuple[str, ...] = ()) -> str | None:
    """Why a query may not run here (one line) when it calls a SERVICE endpoint not in `allowed`;
    None otherwise. A SERVICE clause makes the engine fetch a URL, so whoever can query the
    endpoint could make this machine call any address, internal ones included.

    The query is read as the SPARQL parser reads it: codepoint escapes (``\\u0053ERVICE``)
    first, then strings, comments and IRIs skipped whole, so a ``SERVICE`` inside them is no
    call and no call hides in them. Only a full ``<IRI>`` listed exactly is allowed: a
    variable, a prefixed name or a relative IRI never is.

    >>> service_refusal('SELECT * { ?s ?p "SERVICE <http://x/>" }') is None
    True
    >>> service_refusal("SELECT * { service <http://10.0.0.1/> { ?s ?p ?o } }")[:40]
    'SERVICE <http://10.0.0.1/> is refused: t'
    >>> service_refusal("SELECT * { SERVICE <http://a/> {} }", ("http://a/",)) is None
    True
    """
    text = _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), sparql)
    for match in _LEXEMES.finditer(text):
        if match.group("service") is None:
            continue
        found = _SERVICE_TARGET.match(text, match.end())
        target = found.group(1) if found else None
        if target is not None and target[1:-1] in allowed:
            continue
        hint = (
            f"allowed: {', '.join(f'<{a}>' for a in allowed)}"
            if allowed
            else "start `kg serve` with --allow-service IRI to allow one"
        )
        return (
            f"SERVICE {target or 'with a variable or prefixed name'} is refused: this endpoint "
            f"does not call other servers on a query's behalf ({hint})"
        )
    return None


# -- one query, in a worker ---------------------------------------------------------------------


def _tsv(result: ox.QuerySolutions, max_rows: int) -> bytes | None:
    """The solutions as SPARQL TSV (terms in N-Triples syntax), or None past `max_rows`.

    pyoxigraph cannot count rows while it serialises, so the rows are counted here, written
    in the simplest standard form, and parsed back for pyoxigraph to write the asked format.
    """
    names = [v.value for v in result.variables]
    lines = ["\t".join(f"?{n}" for n in names)]
    for count, row in enumerate(result, start=1):
        if count > max_rows:
            return None
        lines.append("\t".join("" if row[n] is None else str(row[n]) for n in names))
    return ("\n".join(lines) + "\n").encode("utf-8")


def run_job(
    store: ox.Store,
    job: Job,
    max_rows: int,
    prefixes: dict[str, str],
    graphs: list[ox.NamedNode | ox.BlankNode] | None = None,
) -> Reply:
    """Run one query and write the negotiated answer; every failure is a Reply with a 4xx/5xx.

    `graphs` are the store's named graphs (read once per snapshot), of which a big digest's
    staging graph is kept out of every query's dataset (`visible_options`)."""
    if switch_pending(store):  # its snapshot holds a big digest's graph half switched
        return text_reply(503, "kg ingest is switching a digest's graph: ask again in a moment")
    try:
        options: dict[str, Any] = {"prefixes": prefixes, "base_iri": BASE_IRI}
        if job.default_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
        elif legacy_dataset(store):  # a store written before its default graph was kept
            options["use_default_graph_as_union"] = True
        if job.named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
        named = list(store.named_graphs()) if graphs is None else graphs
        result = store.query(job.query, **visible_options(job.query, options, named))
    except QueryError as err:  # a FROM clause whose graph cannot be told while one is hidden
        return text_reply(400, str(err))
    except SyntaxError as err:
        if looks_like_update(job.query):
            return text_reply(403, "this endpoint is read-only: SPARQL updates are refused")
        return text_reply(400, syntax_message(err, job.query))
    except ValueError as err:  # a default-graph-uri or named-graph-uri that is no IRI
        return text_reply(400, f"bad dataset IRI: {err}")
    offered = GRAPH_FORMATS if isinstance(result, ox.QueryTriples) else RESULT_FORMATS
    media = negotiate(job.accept, offered)
    if media is None:
        kind = "a graph" if offered is GRAPH_FORMATS else "a table or boolean"
        return text_reply(406, f"this query gives {kind}, written as: {', '.join(offered)}")
    if isinstance(result, ox.QueryBoolean):
        return Reply(
            200, content_type(media), result.serialize(format=RESULT_FORMATS[media]) or b""
        )
    if isinstance(result, ox.QueryTriples):
        triples: list[ox.Triple] = []
        for triple in result:
            if len(triples) == max_rows:
                return _too_large(max_rows, "triples")
            triples.append(triple)
        prefixes_out = {k: v for k, v in prefixes.items() if k != "kgr"}  # kgr: IRIs all hold a "/"
        body = ox.serialize(
            triples,
            format=GRAPH_FORMATS[media],
            prefixes=prefixes_out if media == "text/turtle" else None,
        )
        return Reply(200, content_type(media), body or b"")
    tsv = _tsv(result, max_rows)
    if tsv is None:
        return _too_large(max_rows, "rows")
    parsed = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV)
    return Reply(200, content_type(media), parsed.serialize(format=RESULT_FORMATS[media]) or b"")


def _too_large(limit: int, what: str) -> Reply:
    return text_reply(
        422,
        f"the result has more than {limit} {what} (the endpoint's limit): "
        "add LIMIT, or start `kg serve` with a larger --max-rows",
    )


def _store_stamp(path: str) -> tuple:
    """What changes when a writer commits: the names, sizes and times of the store's files."""
    try:
        with os.scandir(path) as entries:
            return tuple(
                sorted(
                    (e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in entries if e.is_file()
                )
            )
    except OSError:
        return ()


class _Snapshot:
    """A worker's read-only view of the store, reopened when the store's files change."""

    def __init__(self, path: str, refresh_s: float) -> None:
        from techclaims.kg.api import retry_open

        self.path, self.refresh_s = path, refresh_s
        self._open = lambda: retry_open(path, lambda: ox.Store.read_only(path))
        self.stamp = _store_stamp(path)
        self.store = self._open()
        self.graphs = list(self.store.named_graphs())  # a snapshot's do not change
        self.checked = time.monotonic()

    def current(self) -> ox.Store:
        now = time.monotonic()
        if now - self.checked >= self.refresh_s:
            self.checked = now
            stamp = _store_stamp(self.path)
            if stamp != self.stamp:
                self.reopen(stamp)
        return self.store

    def reopen(self, stamp: tuple | None = None) -> None:
        try:
            self.store = self._open()
            self.graphs = list(self.store.named_graphs())
            self.stamp = stamp if stamp is not None else _store_stamp(self.path)
        except KgError as err:  # keep answering from the old snapshot; try again later
            log.warning("%s", err)


def worker_main(conn: Connection, path: str, max_rows: int, refresh_s: float) -> None:
    """A worker process: open a snapshot, then answer jobs until the pipe closes."""
    from techclaims.kg.mapping import PREFIXES
    from techclaims.kg.store.embedded import rewritten

    try:
        snapshot = _Snapshot(path, refresh_s)
    except Exception as err:  # noqa: BLE001 - reported to the parent, which turns it into an error
        conn.send(("failed", str(err)))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            store = snapshot.current()
            reply = run_job(store, job, max_rows, PREFIXES, snapshot.graphs)
        except (RuntimeError, OSError) as err:
            if rewritten(err):  # a writer removed a file this snapshot still needed
                snapshot.reopen()
                store = snapshot.current()
                reply = run_job(store, job, max_rows, PREFIXES, snapshot.graphs)
            else:
                reply = text_reply(500, f"query failed: {err}")
        conn.send(reply)


# -- the pool of worker processes ---------------------------------------------------------------


class _Worker:
    def __init__(self, process: multiprocessing.process.BaseProcess, conn: Connection) -> None:
        self.process, self.conn = process, conn

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()

    def death(self, err: BaseException) -> str:
        """Why the worker went away, in words: its signal or exit status (blocking: a thread)."""
        self.process.join(2)
        code = self.process.exitcode
        if code is None:
            return f"its pipe broke: {err or type(err).__name__}"
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            why = ", often the machine running out of memory" if name == "SIGKILL" else ""
            return f"killed by {name}{why}"
        return f"it exited with status {code}"


class WorkerPool:
    """N worker processes; a query gets an idle one, and a deadline after which that one is killed."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._context = multiprocessing.get_context("spawn")  # no fork of a server's threads
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._threads = ThreadPoolExecutor(
            max_workers=2 * settings.workers + 2, thread_name_prefix="kg-serve"
        )
        self.restarts = 0

    def _spawn(self) -> _Worker:
        """Start a worker and wait for it to open its snapshot (blocking: run it in a thread)."""
        parent, child = self._context.Pipe()
        s = self.settings
        process = self._context.Process(
            target=worker_main,
            args=(child, s.store, s.max_rows, s.refresh_s),
            daemon=True,
            name="kg-serve-worker",
        )
        process.start()
        child.close()
        if not parent.poll(60):
            process.kill()
            raise KgError(f"{s.store}: a query worker did not start within 60 s")
        status, detail = parent.recv()
        if status != "ready":
            process.join(5)
            raise KgError(f"{s.store}: a query worker could not open the store: {detail}")
        worker = _Worker(process, parent)
        self._all.add(worker)
        return worker

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        workers = await asyncio.gather(
            *(
                loop.run_in_executor(self._threads, self._spawn)
                for _ in range(self.settings.workers)
            )
        )
        for worker in workers:
            self._idle.put_nowait(worker)

    async def _replace(self, worker: _Worker) -> None:
        self._all.discard(worker)
        await asyncio.get_running_loop().run_in_executor(self._threads, worker.kill)
        self.restarts += 1
        try:
            fresh = await asyncio.get_running_loop().run_in_executor(self._threads, self._spawn)
        except KgError as err:
            log.error("%s", err)
            return
        self._idle.put_nowait(fresh)

    async def run(self, job: Job) -> Reply:
        timeout = self.settings.timeout_s
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout)
        except TimeoutError:
            return text_reply(
                503, f"every query worker stayed busy for {timeout:g} s; try again later"
            )
        loop = asyncio.get_running_loop()
        try:
            worker.conn.send(job)
            reply = await asyncio.wait_for(
                loop.run_in_executor(self._threads, worker.conn.recv), timeout
            )
        except TimeoutError:
            asyncio.create_task(self._replace(worker))
            return text_reply(
                503,
                f"the query ran past the {timeout:g} s limit and was stopped "
                "(start `kg serve` with a larger --timeout to allow more)",
            )
        except (EOFError, OSError) as err:
            reason = await loop.run_in_executor(self._threads, worker.death, err)
            asyncio.create_task(self._replace(worker))
            return text_reply(503, f"the query worker died while answering ({reason}); try again")
        except asyncio.CancelledError:  # the request went away: its answer is not worth waiting for
            asyncio.create_task(self._replace(worker))
            raise
        self._idle.put_nowait(worker)
        return reply

    async def close(self) -> None:
        for worker in list(self._all):
            worker.kill()
        self._all.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)


# -- HTTP -----------------------------------------------------------------------------------------


def create_app(settings: Settings, ready: Callable[[str], None] | None = None) -> _Limited:
    """The Starlette app: `/` (query page), `/sparql` and `/query` (the protocol), `/update` (403),
    `/saved` (the saved questions as JSON) and `/saved/NAME` (run one; parameters from the URL)."""
    from contextlib import asynccontextmanager

    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, JSONResponse, Response
    from starlette.routing import Route

    from techclaims.kg.queries import saved_queries, saved_query

    pool = WorkerPool(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette):
        await pool.start()
        app.state.pool = pool
        if ready:
            ready(f"http://{_url_host(settings.host)}:{settings.port}/")
        try:
            yield
        finally:
            await pool.close()

    def respond(reply: Reply) -> Response:
        return Response(
            reply.body,
            status_code=reply.status,
            media_type=reply.media_type,
            headers={"Vary": "Accept"},
        )

    async def sparql(request: Request) -> Response:
        found = await _read_protocol(request, settings.header_timeout_s)
        if isinstance(found, Reply):
            return respond(found)
        refusal = service_refusal(found.query, settings.allow_service)
        if refusal is not None:
            return respond(text_reply(400, refusal))
        return respond(await pool.run(found))

    async def update(request: Request) -> Response:
        return respond(text_reply(403, "this endpoint is read-only: SPARQL updates are refused"))

    async def page(request: Request) -> Response:
        return HTMLResponse(PAGE)

    async def saved_list(request: Request) -> Response:
        return JSONResponse(
            [
                {
                    "name": q.name,
                    "description": q.description,
                    "text": q.text,
                    "params": [
                        {"name": p.name, "type": p.type, "default": p.default} for p in q.params
                    ],
                }
                for q in saved_queries()
            ]
        )

    async def saved_run(request: Request) -> Response:
        params = {k: v for k, v in request.query_params.items() if k != "format"}
        try:
            text, _ = saved_query(request.path_params["name"], params)
        except UsageError as err:
            return respond(text_reply(404 if "no saved question" in str(err) else 400, str(err)))
        accept = parse_accept(request.headers.get("accept"), request.query_params.get("format"))
        return respond(await pool.run(Job(query=text, accept=accept)))

    routes = [
        Route("/", page, methods=["GET"]),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/query", sparql, methods=["GET", "POST"]),
        Route("/update", update, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        Route("/saved", saved_list, methods=["GET"]),
        Route("/saved/{name}", saved_run, methods=["GET"]),
    ]
    return _Limited(Starlette(routes=routes, lifespan=lifespan), settings.max_requests)


class _Limited:
    """ASGI middleware: at most `limit` requests handled at once, the rest answered 503 at once.

    uvicorn's own `limit_concurrency` counts open connections, so 127 idle sockets locked every
    client out; this counts requests whose head has arrived, and idle sockets are closed by
    `_HeadTimeout` anyway.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit, self.active = app, limit, 0

    def __getattr__(self, name: str) -> Any:  # router, state, ... of the app inside
        return getattr(self.app, name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.active >= self.limit:
            body = b"the endpoint is answering as many requests as it takes at once; try again\n"
            await send(
                {
                    "type": "http.response.start",
                    "status": 503,
                    "headers": [
                        (b"content-type", b"text/plain; charset=utf-8"),
                        (b"content-length", str(len(body)).encode()),
                        (b"retry-after", b"1"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        self.active += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.active -= 1


def _head_timeout_protocol(seconds: float) -> type:
    """uvicorn's h11 protocol, closing a connection that has not sent a whole request head within
    `seconds` of opening (or of its last answer): idle and half-sent connections cannot pile up.

    uvicorn closes a keep-alive connection that stays silent, but any byte cancels that timer,
    and a connection that never sends a whole head is never closed.
    """
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeadTimeout(H11Protocol):
        _head_timer: asyncio.TimerHandle | None = None
        _head_cycle: Any = None

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._arm()

        def _arm(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
            self._head_cycle = self.cycle
            self._head_timer = self.loop.call_later(seconds, self._expired)

        def handle_events(self) -> None:
            super().handle_events()
            if self._head_timer is not None and self.cycle is not self._head_cycle:
                self._head_timer.cancel()  # a whole head arrived: the request's own limits apply
                self._head_timer = None

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing() and (
                self.cycle is None or self.cycle.response_complete
            ):
                self._arm()

        def _expired(self) -> None:
            self._head_timer = None
            waiting = self.cycle is self._head_cycle and (
                self.cycle is None or self.cycle.response_complete
            )
            if waiting and not self.transport.is_closing():
                self.transport.close()

        def connection_lost(self, exc: Exception | None) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None
            super().connection_lost(exc)

    return HeadTimeout


async def _read_body(request: Request, timeout_s: float) -> bytes | Reply:
    """The request body, read as it streams in: refused (413) as soon as it passes
    `MAX_QUERY_BYTES` (a declared Content-Length before any byte is read), and (408) when it
    takes longer than `timeout_s` to arrive, so a client cannot make the server hold gigabytes
    or a request slot forever."""
    too_large = text_reply(413, f"the request is larger than {MAX_QUERY_BYTES} bytes")
    declared = request.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > MAX_QUERY_BYTES:
        return too_large
    chunks: list[bytes] = []
    size = 0

    async def read() -> Reply | None:
        nonlocal size
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_QUERY_BYTES:
                return too_large
            chunks.append(chunk)
        return None

    try:
        refused = await asyncio.wait_for(read(), timeout_s)
    except TimeoutError:
        return text_reply(408, f"the request body did not arrive within {timeout_s:g} s")
    return refused if refused is not None else b"".join(chunks)


async def _read_protocol(request: Request, body_timeout_s: float = 5.0) -> Job | Reply:
    """The query and dataset of a SPARQL 1.1 Protocol request, or the error reply for a bad one."""
    from urllib.parse import parse_qs

    args = {k: request.query_params.getlist(k) for k in request.query_params.keys()}
    query: list[str] = list(args.get("query", []))
    if request.method == "POST":
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await _read_body(request, body_timeout_s)
        if isinstance(body, Reply):
            return body
        if kind == "application/x-www-form-urlencoded":
            form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
            if "update" in form:
                return text_reply(403, "this endpoint is read-only: SPARQL updates are refused")
            query += form.get("query", [])
            for key in ("default-graph-uri", "named-graph-uri"):
                args.setdefault(key, []).extend(form.get(key, []))
        elif kind == "application/sparql-query":
            query.append(body.decode("utf-8", errors="replace"))
        elif kind == "application/sparql-update":
            return text_reply(403, "this endpoint is read-only: SPARQL updates are refused")
        else:
            return text_reply(
                415, "POST a query as application/x-www-form-urlencoded or application/sparql-query"
            )
    elif "update" in args:
        return text_reply(403, "this endpoint is read-only: SPARQL updates are refused")
    if len(query) != 1 or not query[0].strip():
        return text_reply(
            400,
            "give exactly one query (the `query` parameter, or an application/sparql-query body)",
        )
    accept = parse_accept(request.headers.get("accept"), request.query_params.get("format"))
    return Job(
        query=query[0],
        default_graphs=args.get("default-graph-uri", []),
        named_graphs=args.get("named-graph-uri", []),
        accept=accept,
    )


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def bind_socket(host: str, port: int) -> socket.socket:
    """Bind before serving, so `--port 0` can report the port it got, and a busy port fails early."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as err:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {err.strerror}") from err
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(
    settings: Settings, ready: Callable[[str], None] | None = None, verbose: bool = False
) -> None:
    """Serve until interrupted. `ready` gets the page's URL once the workers have opened the store."""
    try:
        import starlette  # noqa: F401
        import uvicorn
    except ImportError as err:
        raise UsageError(f"kg serve needs {err.name}: pip install 'techclaims[server]'") from err

    from techclaims.kg.api import open_snapshot
    from techclaims.kg.store import is_url, summaries_stale

    if is_url(str(settings.store)):
        raise UsageError(
            f"kg serve serves a store directory, not a SPARQL endpoint ({settings.store}): "
            "that server already answers SPARQL; pass --store DIR"
        )
    if settings.workers < 1 or settings.timeout_s <= 0 or settings.max_rows < 1:
        raise UsageError("--workers, --timeout and --max-rows must be positive")
    for iri in settings.allow_service:
        if not re.fullmatch(r"https?://[^\s<>\"{}|^`\\]+", iri):
            raise UsageError(f"--allow-service {iri!r}: not an http(s) endpoint IRI")
    snapshot = open_snapshot(settings.store)  # a missing store fails here, before the port is taken
    try:
        if summaries_stale(snapshot):
            print(
                f"kg: warning: {settings.store}: this store's summary counts were written by another "
                "version of techclaims (or before there were any): the saved questions that read them "
                "answer nothing until `kg ingest` writes into the store once",
                file=sys.stderr,
            )
    finally:
        snapshot.close()
    sock = bind_socket(settings.host, settings.port)
    settings = replace(settings, store=store_path(settings.store), port=sock.getsockname()[1])
    app = create_app(settings, ready)
    config = uvicorn.Config(
        app,
        http=_head_timeout_protocol(settings.header_timeout_s),
        log_level="info" if verbose else "warning",
        access_log=verbose,
        # typed int, but uvicorn only hands the seconds to call_later: a fraction works
        timeout_keep_alive=min(5, settings.header_timeout_s),  # type: ignore[arg-type]
    )
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # Ctrl-C is how a server is stopped: uvicorn has shut down cleanly by now
    finally:
        sock.close()


def store_path(store: str) -> str:
    """The store directory as the workers will open it (absolute, since they may chdir)."""
    return str(Path(store).expanduser().resolve())


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>techclaims SPARQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
 body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
 textarea { width: 100%; height: 14em; font: 13px/1.4 ui-monospace, monospace; }
 table { border-collapse: collapse; margin-top: 1em; }
 th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; max-width: 40em; }
 th { background: #f3f3f3; } #status { margin-left: 1em; color: #555; } .error { color: #b00; white-space: pre-wrap; }
 select, button { font-size: 14px; margin: 0.5em 0.5em 0 0; }
 #params input { font-size: 14px; width: 10em; margin-right: 0.8em; }
</style></head>
<body>
<h1>techclaims: SPARQL</h1>
<p>Read-only SPARQL 1.1 over every digest's statements (each once; <code>GRAPH ?g</code> for one digest's). Declared prefixes: kg, kgr, dcterms, skos, prov,
xsd, rdf, rdfs. Endpoint: <code>/sparql</code>; saved questions: <code>/saved</code>.</p>
<select id="saved"><option value="">saved questions…</option></select>
<span id="params"></span>
<textarea id="q" spellcheck="false">SELECT ?title ?arxiv WHERE {
  ?paper a kg:Paper ; dcterms:title ?title .
  OPTIONAL { ?paper kg:arxivId ?arxiv }
} LIMIT 20</textarea>
<div><button id="run">Run</button>
<button data-format="csv">CSV</button><button data-format="tsv">TSV</button>
<button data-format="json">JSON</button><button data-format="ttl">Turtle</button><span id="status"></span></div>
<div id="out"></div>
<script>
"use strict";
const q = document.getElementById("q"), out = document.getElementById("out"), status = document.getElementById("status");
const saved = document.getElementById("saved"), params = document.getElementById("params");
let questions = {}, chosen = null;  // chosen: the saved question whose text is in the box, unedited
function cell(term) {
  if (!term) return "";
  return term.type === "uri" ? term.value.replace("https://w3id.org/techclaims/", "…/") : term.value;
}
function table(data) {
  const t = document.createElement("table"), head = t.insertRow();
  if ("boolean" in data) { out.textContent = String(data.boolean); return; }
  for (const v of data.head.vars) { const th = document.createElement("th"); th.textContent = v; head.appendChild(th); }
  for (const b of data.results.bindings) {
    const row = t.insertRow();
    for (const v of data.head.vars) row.insertCell().textContent = cell(b[v]);
  }
  out.replaceChildren(t);
  status.textContent = data.results.bindings.length + " rows";
}
// A saved question runs as /saved/NAME with its parameters, exactly what kg query --saved answers.
function savedUrl(format) {
  const args = new URLSearchParams();
  for (const input of params.querySelectorAll("input")) args.set(input.name, input.value);
  if (format) args.set("format", format);
  return "saved/" + encodeURIComponent(chosen) + "?" + args.toString();
}
async function run() {
  status.textContent = "running…"; out.replaceChildren();
  const started = performance.now();
  const accept = "application/sparql-results+json, text/turtle;q=0.9";
  const r = chosen
    ? await fetch(savedUrl(null), { headers: { "Accept": accept } })
    : await fetch("sparql", { method: "POST",
        headers: { "Content-Type": "application/sparql-query", "Accept": accept }, body: q.value });
  const text = await r.text();
  if (!r.ok) { const p = document.createElement("p"); p.className = "error"; p.textContent = r.status + ": " + text;
               out.replaceChildren(p); status.textContent = ""; return; }
  if ((r.headers.get("content-type") || "").startsWith("text/turtle")) {
    const pre = document.createElement("pre"); pre.textContent = text; out.replaceChildren(pre); status.textContent = "";
  } else table(JSON.parse(text));
  status.textContent += " in " + Math.round(performance.now() - started) + " ms";
}
function choose(name) {
  chosen = name || null;
  params.replaceChildren();
  if (!chosen) return;
  const s = questions[chosen];
  q.value = s.text;
  for (const p of s.params) {
    const label = document.createElement("label"), input = document.createElement("input");
    input.name = p.name; input.value = p.default || ""; input.placeholder = p.type + (p.default ? "" : " (any)");
    input.addEventListener("keydown", e => { if (e.key === "Enter") run(); });
    label.append(" " + p.name + " ", input); params.appendChild(label);
  }
}
document.getElementById("run").onclick = run;
q.addEventListener("keydown", e => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) run(); });
q.addEventListener("input", () => { if (chosen) { saved.value = ""; choose(null); } });  // edited: your own SPARQL
for (const b of document.querySelectorAll("button[data-format]"))
  b.onclick = () => { location.href = chosen ? savedUrl(b.dataset.format)
    : "sparql?format=" + b.dataset.format + "&query=" + encodeURIComponent(q.value); };
fetch("saved").then(r => r.json()).then(list => {
  for (const s of list) { questions[s.name] = s; const o = document.createElement("option"); o.value = s.name;
    o.textContent = s.name + " - " + s.description; saved.appendChild(o); }
});
saved.onchange = () => choose(saved.value);
</script>
</body></html>
"""
