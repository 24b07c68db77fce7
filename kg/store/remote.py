"""A SPARQL 1.1 server as the store: the SPARQL 1.1 Protocol over HTTP (httpx).

`--store http://host:7878` (Oxigraph: `/query` and `/update` under it) or
`--store http://host:3030/ds` (Fuseki: `/ds/query`, `/ds/update`); an address
ending in `/query` or `/sparql` is the query endpoint itself, and updates go to
`update` beside it.

Writing keeps the embedded store's promise that a reader never sees half a
digest:

* A digest's graph up to `KG_STORE_CHUNK` triples is replaced by **one update
  request** (`graph_change`: drop, `INSERT DATA`, and the preferred labels of
  the entities it touches), which Oxigraph runs as one transaction.
* A larger graph is first uploaded in chunks into a staging graph under
  `kgr:graph/staging/`, with every predicate disguised as
  `urn:x-techclaims:staged:<predicate IRI>`, so no query that names a predicate
  (and no `quads()`/export) sees the half-uploaded data. One final update then
  swaps the old graph for the staged one and recomputes the labels. Until that
  request lands, the previous version is intact; if the upload fails the
  staging graph is dropped.
* Every request is idempotent (the final swap only deletes the old graph while
  the staging graph still holds data), so a request whose answer was lost can
  be sent again. Refused connections, timeouts, 429 and 502/503/504 are
  retried `KG_STORE_RETRIES` times in all with exponential backoff, then end in
  one `StoreError` line naming the server, what failed and what to check.

Credentials come from the environment only: `KG_STORE_TOKEN` (a bearer token)
or `KG_STORE_USER` and `KG_STORE_PASSWORD` (HTTP basic). An address carrying a
user or password is refused, so a secret never sits in shell history, process
lists or logs; `location` and every message show the address without them.

Queries see the server's default graph, which the same updates keep as the set
of every digest's statements (`kg.store.union_before`): the server must not
replace it by the union of its named graphs (Fuseki: leave
`tdb2:unionDefaultGraph` off). A store written before the default graph was
kept is read with Oxigraph's `union-default-graph` parameter, as before, until
the next write builds it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import random
import time
import uuid
from dataclasses import dataclass

import httpx
import pyoxigraph as ox

from techclaims.kg.errors import QueryError, StoreError, UsageError
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
if logging.getLogger("httpx").level == logging.NOTSET:
    logging.getLogger("httpx").setLevel(
        logging.WARNING
    )  # one INFO line per request is noise under -v

STAGING_GRAPHS = f"{SYSTEM_GRAPHS}staging/"
STAGED = "urn:x-techclaims:staged:"
_SHA = "https://w3id.org/techclaims/kg#sha256"
_RETRY_STATUS = {429, 502, 503, 504}
_RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9, text/tab-separated-values;q=0.8"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8"


@dataclass(frozen=True)
class RemoteSettings:
    """How patient the client is, and how much goes in one request; from `KG_STORE_*` variables."""

    timeout_s: float = 60.0  # KG_STORE_TIMEOUT: seconds to wait for an answer
    connect_timeout_s: float = 5.0
    attempts: int = 4  # KG_STORE_RETRIES: tries per request, the first included
    backoff_s: float = 0.5  # KG_STORE_BACKOFF: first pause; doubled each time, at most 8 s
    chunk: int = 50_000  # KG_STORE_CHUNK: triples per request

    @classmethod
    def from_env(cls) -> RemoteSettings:
        def number(name: str, default: float, cast: type = float) -> float:
            raw = os.environ.get(name)
            if raw is None or raw == "":
                return default
            try:
                value = cast(raw)
            except ValueError:
                raise UsageError(f"${name} is {raw!r}, not a number") from None
            if value <= 0:
                raise UsageError(f"${name} must be positive, not {raw!r}")
            return value

        return cls(
            timeout_s=number("KG_STORE_TIMEOUT", cls.timeout_s),
            attempts=int(number("KG_STORE_RETRIES", cls.attempts, int)),
            backoff_s=number("KG_STORE_BACKOFF", cls.backoff_s),
            chunk=int(number("KG_STORE_CHUNK", cls.chunk, int)),
        )


def endpoints(url: str) -> tuple[str, str]:
    """(query endpoint, update endpoint) of a store address.

    >>> endpoints("http://127.0.0.1:7878")
    ('http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update')
    >>> endpoints("https://example.org/fuseki/ds/sparql")
    ('https://example.org/fuseki/ds/sparql', 'https://example.org/fuseki/ds/update')
    """
    base = url.rstrip("/")
    head, _, last = base.rpartition("/")
    if last in ("query", "sparql") and "://" in head:
        return base, f"{head}/update"
    return f"{base}/query", f"{base}/update"


def auth_from_env() -> httpx.Auth | dict[str, str] | None:
    """Basic auth or a bearer token header from the environment, else None."""
    token = os.environ.get("KG_STORE_TOKEN")
    if token:
        return {"Authorization": f"Bearer {token}"}
    user, password = os.environ.get("KG_STORE_USER"), os.environ.get("KG_STORE_PASSWORD")
    if user or password:
        if not (user and password):
            raise UsageError("set both KG_STORE_USER and KG_STORE_PASSWORD (or KG_STORE_TOKEN)")
        return httpx.BasicAuth(user, password)
    return None


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _ntriples(triples: list[ox.Triple]) -> str:
    return (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")


class _Unavailable(StoreError):
    """A transient failure: worth another try."""


class RemoteStore:
    """A store on a SPARQL 1.1 server, behind the same interface as the embedded store."""

    def __init__(
        self, url: str, *, read_only: bool = False, settings: RemoteSettings | None = None
    ) -> None:
        parsed = httpx.URL(url)
        if parsed.userinfo:
            raise UsageError(
                "the store address carries a user or password: put them in KG_STORE_USER and "
                "KG_STORE_PASSWORD (or KG_STORE_TOKEN) instead, never on the command line"
            )
        if not parsed.host:
            raise UsageError(f"{url}: not a server address (write http://HOST:PORT[/PATH])")
        self.location = url
        self.read_only = read_only
        self.settings = settings or RemoteSettings.from_env()
        self.query_url, self.update_url = endpoints(url)
        auth = auth_from_env()
        headers = {"User-Agent": "techclaims-kg"}
        if isinstance(auth, dict):
            headers.update(auth)
            auth = None
        timeout = httpx.Timeout(self.settings.timeout_s, connect=self.settings.connect_timeout_s)
        self._client = httpx.Client(
            timeout=timeout, auth=auth, headers=headers, follow_redirects=True
        )
        self._parser = (
            ox.Store()
        )  # empty, in memory: checks syntax and tells the query form, as embedded does
        self._prologue = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
        try:
            self._check_dataset()
        except BaseException:
            self.close()
            raise

    # -- HTTP -------------------------------------------------------------

    def _send(
        self,
        what: str,
        url: str,
        *,
        attempts: int | None = None,
        data: dict[str, str] | None = None,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """POST with bounded retries and backoff on transient failures; the last one raises one line."""
        settings = self.settings
        attempts = attempts or settings.attempts
        problem = ""
        for attempt in range(attempts):
            if attempt:
                pause = min(8.0, settings.backoff_s * 2 ** (attempt - 1)) * random.uniform(
                    1.0, 1.25
                )
                log.info("%s: %s; trying again in %.1f s", self.location, problem, pause)
                time.sleep(pause)
            try:
                response = self._client.post(url, data=data, content=content, headers=headers)
            except httpx.TimeoutException:
                problem = f"no answer within {settings.timeout_s:g} s"
                continue
            except httpx.TransportError as err:
                problem = f"cannot connect ({_one_line(str(err) or type(err).__name__, 120)})"
                continue
            if response.status_code in _RETRY_STATUS:
                problem = f"the server answered {response.status_code} {response.reason_phrase}"
                continue
            self._raise_for_status(what, response)
            return response
        tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
        raise _Unavailable(
            f"{self.location}: {what} failed after {tries}: {problem}; check that the "
            "SPARQL server is up and reachable (KG_STORE_TIMEOUT, KG_STORE_RETRIES)"
        )

    def _raise_for_status(self, what: str, response: httpx.Response) -> None:
        status = response.status_code
        if status < 400:
            return
        detail = _one_line(response.text) or response.reason_phrase
        if status == 400:
            if what == "query":
                raise QueryError(f"the server rejected the query: {detail}")
            raise StoreError(f"{self.location}: the server rejected the {what}: {detail}")
        if status == 401:
            raise StoreError(
                f"{self.location}: the server wants credentials (401): set KG_STORE_USER and "
                "KG_STORE_PASSWORD, or KG_STORE_TOKEN"
            )
        if status == 403:
            verb = "write" if what != "query" else "answer"
            raise StoreError(
                f"{self.location}: the server refused to {verb} (403 Forbidden): a read-only "
                "endpoint, or credentials without that right"
            )
        if status == 404:
            raise StoreError(
                f"{self.location}: no SPARQL endpoint at {response.request.url} (404): check the "
                "address (the server's base, or its /query endpoint)"
            )
        raise StoreError(
            f"{self.location}: the {what} failed: {status} {response.reason_phrase}: {detail}"
        )

    def _select(self, sparql: str) -> ox.QuerySolutions | ox.QueryBoolean:
        return self._parse_results(self._post_query(sparql, _RESULTS_ACCEPT))

    def _rows(self, sparql: str) -> ox.QuerySolutions:
        """The rows of one of the store's own SELECTs."""
        result = self._select(sparql)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError(f"{self.location}: the server answered a SELECT with a boolean")
        return result

    def _post_query(self, sparql: str, accept: str) -> httpx.Response:
        return self._send(
            "query",
            self.query_url,
            data={"query": sparql, "union-default-graph": ""}
            if getattr(self, "_legacy", True)
            else {"query": sparql},
            headers={"Accept": accept},
        )

    def _update(self, sparql: str, what: str = "update", attempts: int | None = None) -> None:
        if self.read_only:
            raise StoreError(f"{self.location}: opened read-only; cannot write")
        self._send(
            what,
            self.update_url,
            attempts=attempts,
            content=sparql.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        )

    def _parse_results(self, response: httpx.Response) -> ox.QuerySolutions | ox.QueryBoolean:
        media = response.headers.get("content-type", "").split(";")[0].strip()
        fmt = ox.QueryResultsFormat.from_media_type(media) if media else None
        if fmt is None or fmt == ox.QueryResultsFormat.CSV:
            raise StoreError(
                f"{self.location}: the server answered {media or 'no content type'}, not SPARQL "
                "results in JSON, XML or TSV"
            )
        try:
            return ox.parse_query_results(response.content, fmt)
        except (SyntaxError, ValueError) as err:
            raise StoreError(
                f"{self.location}: the server's answer is cut or malformed "
                f"({_one_line(str(err), 160)}); a server-side timeout?"
            ) from err

    def _parse_graph(self, response: httpx.Response) -> ox.QueryTriples:
        media = response.headers.get("content-type", "").split(";")[0].strip()
        fmt = ox.RdfFormat.from_media_type(media) if media else None
        if fmt is None:
            raise StoreError(
                f"{self.location}: the server answered {media or 'no content type'}, not RDF"
            )
        graph = ox.Store()
        try:
            graph.load(response.content, format=fmt, to_graph=ox.DefaultGraph())
        except (SyntaxError, ValueError) as err:
            raise StoreError(
                f"{self.location}: the server's answer is cut or malformed "
                f"({_one_line(str(err), 160)}); a server-side timeout?"
            ) from err
        triples = graph.query("CONSTRUCT WHERE { ?s ?p ?o }")
        assert isinstance(triples, ox.QueryTriples)  # a CONSTRUCT gives triples
        return triples

    # -- opening ----------------------------------------------------------

    def _check_dataset(self) -> None:
        """Reach the server once: is the vocabulary graph current, is the default graph built?"""
        self._legacy = True
        rows = list(
            self._rows(
                f"SELECT ?named WHERE {{ "
                f"OPTIONAL {{ GRAPH <{VOCABULARY_GRAPH}> {{ <{VOCABULARY_GRAPH}> <{_SHA}> ?named }} }} }}"
            )
        )
        named = rows[0]["named"] if rows else None
        if self.read_only:
            self._legacy = legacy_dataset(self)
            return
        self._ensure_vocabulary(named)
        rename_digests(self)  # graphs named by an earlier version: renamed once
        if not bool(self._select(summary.current_query())):
            # Summaries made by another version, or none yet: counted again from every digest, once.
            scratch = f"{SYSTEM_GRAPHS}relabel/{uuid.uuid4().hex}"
            self._update(rebuild_summaries(scratch=scratch), "summary count")
        self._legacy = legacy_dataset(self)

    def _ensure_vocabulary(self, named: ox.Literal | None) -> None:
        data = ONTOLOGY.read_bytes() + TOPICS.read_bytes()
        tag = hashlib.sha256(data).hexdigest()
        if named is not None and named.value == tag:
            return
        triples = [ox.Triple(ox.NamedNode(VOCABULARY_GRAPH), ox.NamedNode(_SHA), ox.Literal(tag))]
        for path in (ONTOLOGY, TOPICS):
            triples += [
                ox.Triple(t.subject, t.predicate, t.object)
                for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
            ]
        self._update(vocabulary_update(_ntriples(triples)), "vocabulary upload")

    # -- writing ----------------------------------------------------------

    def replace_graph(self, graph: str, quads: list[ox.Quad]) -> None:
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        scratch = f"{SYSTEM_GRAPHS}relabel/{uuid.uuid4().hex}"
        blank = any(
            isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)
            for t in triples
        )
        if len(triples) <= self.settings.chunk or blank:  # blank nodes cannot span requests
            change = f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{_ntriples(triples)}}} }}"
            self._update(graph_change(graph, change, scratch=scratch), f"write of {graph}")
            return
        staging = f"{STAGING_GRAPHS}{uuid.uuid4().hex}"
        try:
            step = self.settings.chunk
            for start in range(0, len(triples), step):
                staged = [
                    ox.Triple(t.subject, ox.NamedNode(STAGED + t.predicate.value), t.object)
                    for t in triples[start : start + step]
                ]
                self._update(
                    f"INSERT DATA {{ GRAPH <{staging}> {{\n{_ntriples(staged)}}} }}",
                    f"upload of {graph} (triples {start + 1}-{start + len(staged)} of {len(triples)})",
                )
            self._update(
                graph_change(graph, self._swap(graph, staging), scratch=scratch), f"swap of {graph}"
            )
        except BaseException:
            self._discard(staging)
            raise

    @staticmethod
    def _swap(graph: str, staging: str) -> str:
        """Staged triples into `graph`, replacing it; a no-op once the staging graph is gone (idempotent)."""
        return (
            f"DELETE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}\n"
            f"WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} FILTER EXISTS {{ GRAPH <{staging}> {{ ?a ?b ?c }} }} }} ;\n"
            f"INSERT {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}\n"
            f"WHERE {{ GRAPH <{staging}> {{ ?s ?staged ?o }} "
            f'BIND(IRI(STRAFTER(STR(?staged), "{STAGED}")) AS ?p) }} ;\n'
            f"DROP SILENT GRAPH <{staging}>"
        )

    def _discard(self, staging: str) -> None:
        try:
            self._update(
                f"DROP SILENT GRAPH <{staging}>", "clean-up of a staging graph", attempts=1
            )
        except StoreError as err:
            log.warning(
                "%s: left the staging graph %s behind (%s); it is invisible to queries that name "
                "a predicate and can be dropped with DROP GRAPH",
                self.location,
                staging,
                err,
            )

    def drop_graph(self, graph: str) -> None:
        scratch = f"{SYSTEM_GRAPHS}relabel/{uuid.uuid4().hex}"
        self._update(
            graph_change(graph, f"DROP SILENT GRAPH <{graph}>", scratch=scratch), f"drop of {graph}"
        )

    # -- reading ----------------------------------------------------------

    def graphs(self) -> list[str]:
        rows = self._rows("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return sorted(
            row["g"].value
            for row in rows
            if isinstance(row["g"], ox.NamedNode) and not row["g"].value.startswith(SYSTEM_GRAPHS)
        )

    def query(self, sparql: str, *, bindings: dict | None = None) -> QueryResult:
        text = bind(sparql, bindings)
        try:
            form = self._parser.query(text, prefixes=PREFIXES)
        except SyntaxError as err:
            raise QueryError(syntax_message(err, text)) from err
        except (RuntimeError, OSError, ValueError) as err:
            raise QueryError(f"query failed: {err}") from err
        if isinstance(form, ox.QueryTriples):
            return self._parse_graph(self._post_query(self._prologue + text, _GRAPH_ACCEPT))
        return self._select(self._prologue + text)

    def quads(self, graph: str | None = None) -> list[ox.Quad]:
        if graph is not None:
            rows = self._rows(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
            name = ox.NamedNode(graph)
            return sorted((ox.Quad(r["s"], r["p"], r["o"], name) for r in rows), key=str)
        rows = self._rows(
            f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
            f'FILTER(!STRSTARTS(STR(?g), "{STAGING_GRAPHS}")) }}'
        )
        return sorted((ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows), key=str)

    def close(self) -> None:
        client = getattr(self, "_client", None)
        if client is not None:
            client.close()

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
