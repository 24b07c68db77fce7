"""One suite, both stores: embedded Oxigraph in a directory, and a real `oxigraph serve` over HTTP.

The server is the `oxigraph` binary from PyPI (a dev extra), started on a free
port of 127.0.0.1 for this module and stopped after it; each test starts from
an empty dataset. Failures of the network (down, slow, refusing, wanting
credentials) are played by a small local HTTP server.
"""

from __future__ import annotations

import base64
import http.server
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from conftest import kg
from example_store import example_store
from records_factory import digest, paper

from techclaims.kg.errors import QueryError, StoreError, UsageError
from techclaims.kg.mapping import digest_quads
from techclaims.kg.store import LABELS_GRAPH, VOCABULARY_GRAPH, open_store
from techclaims.kg.store.remote import STAGING_GRAPHS, RemoteSettings, RemoteStore
from techclaims.schema.iris import digest_iri, paper_iri

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "digests"
FAST = {"KG_STORE_RETRIES": "3", "KG_STORE_BACKOFF": "0.01", "KG_STORE_TIMEOUT": "5"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _oxigraph() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        pytest.skip(
            "the oxigraph server binary is not installed (pip install oxigraph: a dev extra)"
        )
    return found


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`oxigraph serve` on a free local port; its URL."""
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph") / "data"
    process = subprocess.Popen(
        [_oxigraph(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"oxigraph serve did not start: {process.stderr.read().decode()[-500:]}"
                    )
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _clear(url: str) -> None:
    httpx.post(
        f"{url}/update",
        content="DROP ALL",
        headers={"Content-Type": "application/sparql-update"},
        timeout=10,
    ).raise_for_status()


@pytest.fixture(params=["embedded", "server"])
def make_store(request, tmp_path, monkeypatch):
    """Opens an empty store of either kind (again with `read_only=True` to read it)."""
    for name, value in FAST.items():
        monkeypatch.setenv(name, value)
    if request.param == "embedded":
        location = str(tmp_path / "store")
    else:
        location = request.getfixturevalue("server")
        _clear(location)
    opened = []

    def make(read_only: bool = False):
        store = open_store(location, read_only=read_only)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


def ingest_into(store, d):
    store.replace_graph(digest_iri(d.source), digest_quads(d))


def select_rows(store, sparql, **bindings):
    return list(store.query(sparql, bindings=bindings or None))


# -- the shared suite -------------------------------------------------------


def test_replace_is_idempotent(make_store):
    store = make_store()
    ingest_into(store, digest())
    first = [str(q) for q in store.quads()]
    ingest_into(store, digest())
    assert [str(q) for q in store.quads()] == first


def test_replace_swaps_the_whole_graph(make_store):
    store = make_store()
    ingest_into(store, digest(papers=(paper(value=6.2),)))
    ingest_into(store, digest(papers=(paper(value=7.5),)))
    assert {row["v"].value for row in select_rows(store, "SELECT ?v WHERE { ?c kg:value ?v }")} == {
        "7.5",
        "1.3",
    }


def test_shared_paper_survives_removal_of_one_digest(make_store):
    store = make_store()
    ingest_into(store, digest("a.md"))
    ingest_into(store, digest("b.md"))
    sources = f"SELECT ?d WHERE {{ <{paper_iri('2511.00413')}> prov:wasDerivedFrom ?d }}"
    assert len(select_rows(store, sources)) == 2
    assert store.graphs() == sorted([digest_iri("a.md"), digest_iri("b.md")])
    store.drop_graph(digest_iri("a.md"))
    assert len(select_rows(store, sources)) == 1
    assert store.graphs() == [digest_iri("b.md")]


def test_one_preferred_label_per_entity_across_spellings(make_store):
    store = make_store()
    ingest_into(store, digest("a.md", (paper(method="Tree Training"),)))
    ingest_into(store, digest("b.md", (paper(method="Tree-Training"),)))
    ingest_into(store, digest("c.md", (paper(method="Tree-Training"),)))

    def labels() -> list[str]:
        query = "SELECT DISTINCT ?m ?l WHERE { ?m a kg:Method ; skos:prefLabel ?l FILTER(CONTAINS(?l, 'Tree')) }"
        return sorted(r["l"].value for r in select_rows(store, query))

    assert labels() == ["Tree-Training"]  # the spelling two digests chose
    store.drop_graph(digest_iri("b.md"))
    store.drop_graph(digest_iri("c.md"))
    assert labels() == ["Tree Training"]  # recomputed when those digests went


def test_query_forms_and_prefixes(make_store):
    store = make_store()
    ingest_into(store, digest())
    assert bool(store.query("ASK { ?p a kg:Paper }"))
    solutions = store.query("SELECT ?t WHERE { ?p a kg:Paper ; dcterms:title ?t }")
    assert [v.value for v in solutions.variables] == ["t"]
    assert [row["t"].value for row in solutions] == [
        "Tree Training: Accelerating Agentic LLM Training"
    ]
    triples = store.query(
        "CONSTRUCT { ?p dcterms:title ?t } WHERE { ?p a kg:Paper ; dcterms:title ?t }"
    )
    assert isinstance(triples, ox.QueryTriples) and len(list(triples)) == 1
    # the ontology is there for its labels
    assert bool(store.query(f"ASK {{ GRAPH <{VOCABULARY_GRAPH}> {{ kg:Claim rdfs:label ?l }} }}"))


def test_bad_sparql_reports_line_and_column(make_store):
    with pytest.raises(QueryError, match=r"1:\d+"):
        make_store().query("SELECT * WHERE { ?s ?p }")


def test_parameters_are_bound_not_pasted(make_store):
    store = make_store()
    ingest_into(store, digest())
    sparql = "SELECT ?p WHERE { ?p kg:arxivId ?id }"
    assert len(select_rows(store, sparql, id=ox.Literal("2511.00413"))) == 1
    assert select_rows(store, sparql, id=ox.Literal('x" } UNION { ?p ?q ?r } #')) == []


def test_read_only_store_refuses_to_write(make_store):
    with make_store() as writer:
        writer.replace_graph(digest_iri("a.md"), digest_quads(digest()))
    reader = make_store(read_only=True)
    assert reader.graphs() == [digest_iri("a.md")]
    with pytest.raises(StoreError):
        reader.drop_graph(digest_iri("a.md"))


def test_both_kinds_hold_the_same_quads(server, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_STORE_CHUNK", "40")  # the second digest goes through a staging graph
    _clear(server)
    records = [
        digest("a.md", (paper(method="Tree Training"),)),
        digest("b.md", (paper(), paper(key="2401.00001", title="Other", method="Tree-Training"))),
    ]
    with open_store(tmp_path / "s") as embedded, open_store(server) as remote:
        for d in records:
            ingest_into(embedded, d)
            ingest_into(remote, d)
        assert len(remote.quads(digest_iri("b.md"))) > 40
        assert [str(q) for q in remote.quads()] == [str(q) for q in embedded.quads()]
        assert remote.graphs() == embedded.graphs()


# -- a server: big graphs, failures, credentials -----------------------------


def test_large_graph_keeps_the_old_version_until_the_swap(server, monkeypatch):
    _clear(server)
    settings = RemoteSettings(chunk=30, attempts=2, backoff_s=0.01)
    old = digest(papers=(paper(value=6.2), paper(key="2401.00001", title="Other", value=2.0)))
    new = digest(papers=(paper(value=7.5), paper(key="2401.00001", title="Other", value=3.0)))
    values = "SELECT ?v WHERE { ?c kg:value ?v }"
    with (
        RemoteStore(server, settings=settings) as writer,
        RemoteStore(server, read_only=True) as reader,
    ):
        ingest_into(writer, old)
        before = [str(q) for q in reader.quads()]
        seen: list[set[str]] = []
        send = writer._send

        def watch(what, url, **request):  # a reader's view before each request of the writer
            seen.append({row["v"].value for row in reader.query(values)})
            if what.startswith("swap") and len(seen) < 50:
                raise StoreError("the network went away")  # the last request never lands
            return send(what, url, **request)

        monkeypatch.setattr(writer, "_send", watch)
        with pytest.raises(StoreError, match="went away"):
            ingest_into(writer, new)
        assert len(seen) > 3  # several chunks went before the swap
        assert all(view == {"6.2", "2", "1.3"} for view in seen), seen
        assert [str(q) for q in reader.quads()] == before  # old graph intact, staging graph dropped
        assert not reader.query(
            f"ASK {{ GRAPH ?g {{ ?s ?p ?o }} FILTER STRSTARTS(STR(?g), '{STAGING_GRAPHS}') }}"
        )
        monkeypatch.setattr(writer, "_send", send)
        ingest_into(writer, new)
        assert {row["v"].value for row in reader.query(values)} == {"7.5", "3", "1.3"}
        swap = RemoteStore._swap(digest_iri(old.source), f"{STAGING_GRAPHS}gone")
        writer._update(swap)  # a swap sent twice changes nothing
        assert {row["v"].value for row in reader.query(values)} == {"7.5", "3", "1.3"}


class _Stub(http.server.BaseHTTPRequestHandler):
    """Plays a server: `behaviour(handler)` -> (status, body, content type), with a record of requests."""

    behaviour = staticmethod(lambda handler: (503, b"busy", "text/plain"))
    requests: list[dict] = []

    def do_POST(self):  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(length)
        type(self).requests.append({"path": self.path, "headers": dict(self.headers)})
        try:
            status, body, media = type(self).behaviour(self)
        except ConnectionError:
            return
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def stub(monkeypatch):
    for name, value in {**FAST, "KG_STORE_TIMEOUT": "0.5"}.items():
        monkeypatch.setenv(name, value)
    handler = type("Handler", (_Stub,), {"requests": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield handler, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


EMPTY = json.dumps({"head": {"vars": ["named", "union"]}, "results": {"bindings": [{}]}}).encode()


def test_server_down_is_one_line_after_bounded_retries(monkeypatch):
    for name, value in FAST.items():
        monkeypatch.setenv(name, value)
    url = f"http://127.0.0.1:{_free_port()}"
    start = time.monotonic()
    with pytest.raises(StoreError) as err:
        open_store(url)
    assert time.monotonic() - start < 5
    message = str(err.value)
    assert "\n" not in message and url in message
    assert "after 3 attempts" in message and "cannot connect" in message


def test_refusing_server_is_retried_then_reported(stub):
    handler, url = stub
    with pytest.raises(StoreError, match=r"after 3 attempts: the server answered 503"):
        open_store(url)
    assert len(handler.requests) == 3


def test_slow_server_times_out(stub):
    handler, url = stub

    def slow(_):
        time.sleep(1.5)
        return 200, EMPTY, "application/sparql-results+json"

    handler.behaviour = staticmethod(slow)
    with pytest.raises(StoreError, match=r"no answer within 0.5 s"):
        open_store(url, read_only=True)


def test_read_only_server_refuses_at_once(stub):
    handler, url = stub
    handler.behaviour = staticmethod(
        lambda h: (
            (200, EMPTY, "application/sparql-results+json")
            if h.path.endswith("/query")
            else (403, b"read-only", "text/plain")
        )
    )
    with pytest.raises(StoreError, match=r"refused to write \(403"):
        open_store(url)  # opening for writing uploads the vocabulary graph
    assert [r["path"] for r in handler.requests] == ["/query", "/update"]  # a 403 is not retried


def test_credentials_come_from_the_environment_only(stub, monkeypatch):
    handler, url = stub
    handler.behaviour = staticmethod(lambda h: (200, EMPTY, "application/sparql-results+json"))
    with pytest.raises(UsageError, match="KG_STORE_USER"):
        open_store(url.replace("://", "://ann:s3cret@"))
    monkeypatch.setenv("KG_STORE_USER", "ann")
    monkeypatch.setenv("KG_STORE_PASSWORD", "s3cret")
    with open_store(url, read_only=True) as store:
        assert "s3cret" not in store.location
    sent = handler.requests[-1]["headers"]["Authorization"]
    assert sent == "Basic " + base64.b64encode(b"ann:s3cret").decode()
    monkeypatch.setenv("KG_STORE_TOKEN", "t0ken")
    open_store(url, read_only=True).close()
    assert handler.requests[-1]["headers"]["Authorization"] == "Bearer t0ken"


def test_unauthorised_is_one_line_without_the_secret(stub, monkeypatch):
    handler, url = stub
    handler.behaviour = staticmethod(lambda h: (401, b"who are you", "text/plain"))
    monkeypatch.setenv("KG_STORE_TOKEN", "t0ken")
    with pytest.raises(StoreError, match="401") as err:
        open_store(url)
    assert "t0ken" not in str(err.value)


# -- the command line against a server ----------------------------------------


def test_kg_commands_work_on_a_server(server, tmp_path_factory, tmp_path):
    _clear(server)
    embedded = example_store(tmp_path_factory)  # `kg ingest examples/digests` into a directory
    kg("ingest", str(EXAMPLES), "--store", server, "--no-progress")
    for where, name in ((str(embedded), "embedded.nq"), (server, "server.nq")):
        kg("export", "--format", "nq", "-o", str(tmp_path / name), "--store", where)
    exported = (tmp_path / "server.nq").read_text()
    assert exported and exported == (tmp_path / "embedded.nq").read_text()
    lines = sorted(exported.splitlines())
    assert lines == sorted(set(lines)) and any(LABELS_GRAPH in line for line in lines)
    stats = [
        kg("stats", "--store", where).stdout.split("\n", 1)[1] for where in (str(embedded), server)
    ]
    assert stats[0] == stats[1]
    query = ["query", "--saved", "top-speedups-per-hardware", "--format", "csv", "--store"]
    assert kg(*query, server).stdout == kg(*query, str(embedded)).stdout
    import techclaims

    with techclaims.open(server) as remote, techclaims.open(embedded) as local:  # the Python API
        assert remote.saved("most-used-baselines").equals(local.saved("most-used-baselines"))
        assert len(remote.to_networkx()) == len(local.to_networkx())


# -- views and errors of a remote store ----------------------------------------


def test_rdflib_view_of_a_remote_store_asks_the_server(server, monkeypatch):
    """`kg.open(URL).rdflib` is rdflib's SPARQLStore client: the same answers, read-only."""
    import rdflib

    from techclaims import kg

    for name, value in FAST.items():
        monkeypatch.setenv(name, value)
    _clear(server)
    with open_store(server) as remote:
        ingest_into(
            remote,
            digest(
                "a.md",
                (
                    paper(method="Tree Training"),
                    paper(key="2401.00001", title="Other", method="Tree-Training"),
                ),
            ),
        )
    g = kg.open(server)
    sparql = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a kg:Paper }"
    via_rdflib = next(iter(g.rdflib.query(sparql, initNs=kg.PREFIXES)))[0].toPython()
    assert via_rdflib == g.query(sparql)["n"][0] == 2
    with pytest.raises(TypeError):  # SPARQLStore is read-only
        g.rdflib.add((rdflib.URIRef("urn:a"), rdflib.URIRef("urn:b"), rdflib.URIRef("urn:c")))
    g.close()


def test_read_only_open_retries_while_a_writer_compacts(tmp_path, monkeypatch):
    from techclaims.kg.store import embedded

    with open_store(tmp_path / "s"):
        pass
    real, calls = ox.Store.read_only, []

    def flaky(path):
        calls.append(path)
        if len(calls) < 3:
            raise RuntimeError(
                f"Corruption: IO error: No such file or directory: {path}/000123.sst"
            )
        return real(path)

    monkeypatch.setattr(embedded.ox.Store, "read_only", staticmethod(flaky))
    with open_store(tmp_path / "s", read_only=True) as store:
        assert store.graphs() == [] and len(calls) == 3

    def broken(path):
        raise RuntimeError("Corruption: IO error: No such file or directory\nmore detail")

    monkeypatch.setattr(embedded.ox.Store, "read_only", staticmethod(broken))
    with pytest.raises(StoreError) as err:
        open_store(tmp_path / "s", read_only=True)
    message = str(err.value)
    assert str(tmp_path / "s") in message and "\n" not in message and "being rewritten" in message
