"""`kg serve` as a client sees it: a real server process on a free loopback port, SPARQLWrapper as the client."""

from __future__ import annotations

import hashlib
import json
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest
from example_store import example_store
from records_factory import digest, paper
from SPARQLWrapper import CSV, JSON, JSONLD, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from techclaims import kg
from techclaims.kg.mapping import PREFIXES, digest_quads
from techclaims.kg.queries import saved_query
from techclaims.kg.store import open_store
from techclaims.schema.iris import digest_iri

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.filterwarnings(
    "ignore::DeprecationWarning"
)  # SPARQLWrapper uses ConjunctiveGraph
TIMEOUT_S = 2
MAX_ROWS = 200


class Server:
    """`kg serve --port 0` in its own process; the URL comes from the line it prints when ready."""

    def __init__(self, store: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "techclaims.kg.cli",
                "serve",
                "--store",
                str(store),
                "--port",
                "0",
                *args,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        line = self.process.stdout.readline()
        match = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        if not match:
            self.stop()
            raise AssertionError(
                f"kg serve did not start: {line!r} {self.process.stderr.read()[-2000:]}"
            )
        self.url = match.group(1)
        self.endpoint = self.url + "sparql"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return example_store(tmp_path_factory)


@pytest.fixture(scope="module")
def server(store):
    running = Server(
        store, "--timeout", str(TIMEOUT_S), "--max-rows", str(MAX_ROWS), "--workers", "2"
    )
    yield running
    running.stop()
    assert running.process.returncode == 0, running.process.stderr.read()


def direct(store: Path, sparql: str) -> list[tuple]:
    """The answer straight from pyoxigraph, as sorted tuples of N-Triples terms."""
    snapshot = ox.Store.read_only(str(store))
    result = snapshot.query(sparql, prefixes=PREFIXES)  # the store's default graph: a set
    names = [v.value for v in result.variables]
    return sorted(tuple("" if row[n] is None else str(row[n]) for n in names) for row in result)


def as_tuples(data: dict) -> list[tuple]:
    """SPARQL JSON results as sorted tuples of N-Triples terms (to compare with `direct`)."""

    def term(cell: dict | None) -> str:
        if cell is None:
            return ""
        if cell["type"] == "uri":
            return str(ox.NamedNode(cell["value"]))
        if cell["type"] == "bnode":
            return str(ox.BlankNode(cell["value"]))
        if "xml:lang" in cell:
            return str(ox.Literal(cell["value"], language=cell["xml:lang"]))
        return str(
            ox.Literal(cell["value"], datatype=ox.NamedNode(cell["datatype"]))
            if "datatype" in cell
            else ox.Literal(cell["value"])
        )

    names = data["head"]["vars"]
    return sorted(tuple(term(b.get(n)) for n in names) for b in data["results"]["bindings"])


def client(
    server: Server, sparql: str, fmt: str = JSON, method: str | None = None
) -> SPARQLWrapper:
    wrapper = SPARQLWrapper(server.endpoint)
    wrapper.setQuery(sparql)
    wrapper.setReturnFormat(fmt)
    if method == POSTDIRECTLY:
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(POSTDIRECTLY)
    elif method:
        wrapper.setMethod(method)
    return wrapper


def http(
    url: str, data: bytes | None = None, headers: dict | None = None
) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


PAPERS = "SELECT DISTINCT ?p ?id WHERE { ?p a kg:Paper ; kg:arxivId ?id }"


# -- the protocol through SPARQLWrapper ----------------------------------------------------------


@pytest.mark.parametrize(
    "method", [None, POST, POSTDIRECTLY], ids=["GET", "POST-form", "POST-query"]
)
def test_select_json_matches_the_store(server, store, method):
    answer = client(server, PAPERS, JSON, method).queryAndConvert()
    assert as_tuples(answer) == direct(store, PAPERS) and len(answer["results"]["bindings"]) >= 10


def test_other_result_formats(server, store):
    expected = direct(store, PAPERS)
    xml = client(server, PAPERS, XML).queryAndConvert()  # a DOM document
    assert len(xml.getElementsByTagName("result")) == len(expected)
    csv = client(server, PAPERS, CSV).queryAndConvert().decode("utf-8").splitlines()
    assert csv[0] == "p,id" and len(csv) == len(expected) + 1
    tsv = client(server, PAPERS, TSV).queryAndConvert().decode("utf-8").splitlines()
    assert tsv[0] == "?p\t?id" and len(tsv) == len(expected) + 1
    assert client(server, "ASK { ?p kg:arxivId '2401.10774' }").queryAndConvert()["boolean"] is True


def test_graph_formats(server, store):
    sparql = "CONSTRUCT { ?p dcterms:title ?t } WHERE { ?p a kg:Paper ; dcterms:title ?t }"
    expected = {
        str(t)
        for t in ox.Store.read_only(str(store)).query(
            sparql, prefixes=PREFIXES, use_default_graph_as_union=True
        )
    }
    turtle = client(server, sparql, TURTLE).queryAndConvert()
    assert {str(t) for t in ox.parse(turtle, format=ox.RdfFormat.TURTLE)} == expected
    jsonld = client(server, sparql, JSONLD).queryAndConvert()  # SPARQLWrapper parses it into rdflib
    assert len(jsonld) == len(expected)
    status, headers, body = http(
        server.endpoint + "?" + urllib.parse.urlencode({"query": sparql}),
        headers={"Accept": "application/n-triples"},
    )
    assert status == 200 and headers["content-type"].startswith("application/n-triples")
    assert {str(t) for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)} == expected


def test_malformed_query_is_400_with_the_parsers_message(server):
    with pytest.raises(QueryBadFormed, match=r"2:\d+"):
        client(server, "SELECT ?p\nWHERE { ?p a }").query()


def test_updates_are_refused_and_the_store_is_untouched(server, store):
    def fingerprint() -> str:
        quads = sorted(str(q) for q in ox.Store.read_only(str(store)))
        return hashlib.sha256("\n".join(quads).encode()).hexdigest()

    before = fingerprint()
    insert = "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }"
    with pytest.raises(
        urllib.error.HTTPError
    ) as refused:  # SPARQLWrapper posts `update=` for updates
        client(server, insert, JSON, POST).query()
    assert refused.value.code == 403
    for data, kind in (
        (urllib.parse.urlencode({"update": insert}).encode(), "application/x-www-form-urlencoded"),
        (insert.encode(), "application/sparql-update"),
        (insert.encode(), "application/sparql-query"),
    ):
        status, _, body = http(server.endpoint, data, {"Content-Type": kind})
        assert status == 403 and b"read-only" in body
    assert (
        http(server.url + "update", insert.encode(), {"Content-Type": "application/sparql-update"})[
            0
        ]
        == 403
    )
    assert client(server, "ASK { <urn:a> ?p ?o }").queryAndConvert()["boolean"] is False
    assert fingerprint() == before


# -- limits ---------------------------------------------------------------------------------------


def test_result_size_limit_refuses_never_truncates(server):
    status, _, body = http(
        server.endpoint + "?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}),
        headers={"Accept": "text/csv"},
    )
    assert status == 422 and f"more than {MAX_ROWS} rows".encode() in body
    status, _, body = http(
        server.endpoint
        + "?"
        + urllib.parse.urlencode({"query": f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {MAX_ROWS}"}),
        headers={"Accept": "text/csv"},
    )
    assert status == 200 and len(body.decode().splitlines()) == MAX_ROWS + 1


def test_timeout_stops_the_query_and_the_server_recovers(server):
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.monotonic()
    status, _, body = http(server.endpoint + "?" + urllib.parse.urlencode({"query": endless}))
    assert status == 503 and b"limit" in body
    assert time.monotonic() - started < TIMEOUT_S + 3
    for _ in range(3):  # the other worker answers at once; the killed one is replaced
        assert client(server, "ASK { ?p a kg:Paper }").queryAndConvert()["boolean"] is True


# -- the rest of the HTTP surface ---------------------------------------------------------------


def test_query_page_works_offline(server):
    status, headers, body = http(server.url)
    page = body.decode("utf-8")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "<textarea" in page and "fetch(" in page
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|https?://(?!w3id\.org)", page), "no CDN"
    status, _, body = http(server.url + "saved")
    assert status == 200 and "top-speedups-per-hardware" in {q["name"] for q in json.loads(body)}


def test_saved_question_over_http(server, store):
    status, _, body = http(server.url + "saved/paper?arxiv_id=2401.10774&format=json")
    text, _ = saved_query("paper", {"arxiv_id": "2401.10774"})
    assert status == 200 and as_tuples(json.loads(body)) == direct(store, text)
    assert http(server.url + "saved/nope")[0] == 404
    assert http(server.url + "saved/paper?nope=1")[0] == 400


def test_negotiation_and_bad_requests(server):
    url = server.endpoint + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    assert http(url, headers={"Accept": "image/png"})[0] == 406
    assert http(url, headers={"Accept": "text/*, application/json;q=0.1"})[1][
        "content-type"
    ].startswith("text/csv")
    assert http(server.endpoint)[0] == 400  # no query
    assert http(server.endpoint, b"ASK {}", {"Content-Type": "text/plain"})[0] == 415


def test_default_graph_uri_narrows_the_dataset(server, store):
    one = digest_iri("reading-notes.md")
    sparql = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a kg:Paper }"
    status, _, body = http(
        server.endpoint + "?" + urllib.parse.urlencode({"query": sparql, "default-graph-uri": one})
    )
    narrowed = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    whole = int(direct(store, sparql)[0][0].split('"')[1])
    assert status == 200 and 0 < narrowed < whole


def test_the_endpoint_answers_as_a_set(server, store):
    """A paper several digests list is one row and one count, as `kg query` answers; GRAPH ?g still
    gives one match per digest."""
    plain = "SELECT (COUNT(*) AS ?n) WHERE { ?p a kg:Paper }"
    per_digest = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?p a kg:Paper } }"

    def count(sparql: str) -> int:
        status, _, body = http(server.endpoint + "?" + urllib.parse.urlencode({"query": sparql}))
        assert status == 200
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])

    distinct = len(direct(store, "SELECT DISTINCT ?p WHERE { GRAPH ?g { ?p a kg:Paper } }"))
    assert count(plain) == distinct < count(per_digest)


# -- under load -----------------------------------------------------------------------------------


def test_concurrent_load_every_answer_correct(server, store):
    """16 client threads x 25 queries each, over a mix of saved questions and ad-hoc queries."""
    queries = [
        PAPERS,
        "SELECT DISTINCT ?m WHERE { ?m a kg:Method }",
        saved_query("papers-in-several-digests", {})[0],
        saved_query("most-used-baselines", {})[0],
        saved_query("paper", {"arxiv_id": "2401.15077"})[0],
    ]
    expected = {q: direct(store, q) for q in queries}
    threads, per_thread = 16, 25
    latencies: list[float] = []
    lock = threading.Lock()

    def one(i: int) -> bool:
        sparql = queries[i % len(queries)]
        started = time.perf_counter()
        answer = client(server, sparql, JSON, POST if i % 2 else None).queryAndConvert()
        with lock:
            latencies.append(time.perf_counter() - started)
        return as_tuples(answer) == expected[sparql]

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        outcomes = list(pool.map(one, range(threads * per_thread)))
    elapsed = time.perf_counter() - started
    assert Counter(outcomes) == Counter({True: threads * per_thread})
    latencies.sort()
    print(
        f"\nload: {threads}x{per_thread} queries in {elapsed:.2f} s ({len(latencies) / elapsed:.0f}/s); "
        f"latency p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95)] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )


# -- beside a writer ------------------------------------------------------------------------------


def test_serves_beside_a_writer_and_picks_up_new_digests(tmp_path):
    path = kg.write_records(tmp_path / "store", [digest("a.md")])
    running = Server(path, "--workers", "1")
    try:
        ask = "ASK { ?p kg:arxivId '2501.00001' }"
        assert client(running, ask).queryAndConvert()["boolean"] is False
        with open_store(path) as writer:  # what `kg ingest` does, while the server runs
            new = digest("b.md", (paper(key="2501.00001", title="New"),))
            writer.replace_graph(digest_iri(new.source), digest_quads(new))
        deadline = time.monotonic() + 10
        while not client(running, ask).queryAndConvert()["boolean"]:
            assert time.monotonic() < deadline, "the new digest never showed"
            time.sleep(0.3)
    finally:
        running.stop()


def test_a_url_store_is_refused_in_one_line():
    """`kg serve` serves a store directory; an endpoint URL already is a server."""
    from click.testing import CliRunner

    from techclaims.kg.cli import main

    done = CliRunner().invoke(
        main, ["serve", "--store", "http://127.0.0.1:9/sparql", "--port", "0"]
    )
    assert done.exit_code == 2
    lines = done.output.strip().splitlines()
    assert (
        len(lines) == 1
        and "not a SPARQL endpoint" in lines[0]
        and "http://127.0.0.1:9/sparql" in lines[0]
    )


def test_a_digest_half_switched_is_refused_not_mixed(store, tmp_path):
    """While `kg ingest` switches a big digest in steps (its journal records the switch), the
    endpoint answers 503 in one line instead of mixing the old and the new graph."""
    import shutil

    from techclaims.kg.store.embedded import JOURNAL_GRAPH, SWITCH_TO

    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    running = Server(copy)
    try:
        raw = ox.Store(str(copy))  # what kg ingest writes at the switch's commit point
        staging = "https://w3id.org/techclaims/id/graph/switch/x"
        target = digest_iri("a.md")
        raw.update(
            f"INSERT DATA {{ GRAPH <{JOURNAL_GRAPH}> {{ <{staging}> <{SWITCH_TO}> <{target}> }} }}"
        )
        raw.flush()
        del raw
        time.sleep(2.5)  # past the endpoint's refresh (1 s)
        query = urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{running.endpoint}?{query}", timeout=30)
        assert refused.value.code == 503
        assert b"switching" in refused.value.read()
    finally:
        running.stop()
