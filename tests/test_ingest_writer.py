"""The writer thread of `kg ingest` (`kg.ingest_job._Writer`): digests are written in the order of
the files, each once, while the next is extracted; a failed write stops the run with its error,
and nothing after it is written. A real store on disk, real digests."""

from __future__ import annotations

from pathlib import Path

import pytest

from techclaims.kg import ingest_job
from techclaims.kg.errors import StoreError
from techclaims.kg.store import open_store
from techclaims.schema.iris import digest_iri

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "digests"
FILES = ["arxiv-bot.md", "awesome-list.md", "daily-picks.md"]


def _watched(monkeypatch, fail_on: str | None = None) -> list[str]:
    """The graphs written, in order; the write of `fail_on` fails as a full disk would."""
    written: list[str] = []

    def opening(location, **kwargs):
        store = open_store(location, **kwargs)
        replace = store.replace_graph

        def replace_graph(graph, quads):
            if fail_on is not None and graph == digest_iri(fail_on):
                raise StoreError(f"{location}: write failed: No space left on device")
            replace(graph, quads)
            written.append(graph)

        store.replace_graph = replace_graph
        return store

    monkeypatch.setattr(ingest_job, "open_store", opening)
    return written


def test_digests_are_written_in_order_each_once(tmp_path, monkeypatch):
    written = _watched(monkeypatch)
    files = [EXAMPLES / name for name in FILES]
    report = ingest_job.ingest_paths(files, str(tmp_path / "store"), notice=lambda _: None)
    assert [d.source for d in report.digests] == FILES
    assert written == [digest_iri(name) for name in FILES]
    with open_store(tmp_path / "store", read_only=True) as store:
        for name in FILES:
            assert store.query(f"ASK {{ GRAPH <{digest_iri(name)}> {{ ?s ?p ?o }} }}")


def test_a_failed_write_stops_the_run_and_nothing_after_it_is_written(tmp_path, monkeypatch):
    written = _watched(monkeypatch, fail_on=FILES[1])
    files = [EXAMPLES / name for name in FILES]
    with pytest.raises(StoreError, match="No space left on device"):
        ingest_job.ingest_paths(files, str(tmp_path / "store"), notice=lambda _: None)
    assert written == [digest_iri(FILES[0])]
    with open_store(tmp_path / "store", read_only=True) as store:
        assert store.query(f"ASK {{ GRAPH <{digest_iri(FILES[0])}> {{ ?s ?p ?o }} }}")
        for name in FILES[1:]:
            assert not store.query(f"ASK {{ GRAPH <{digest_iri(name)}> {{ ?s ?p ?o }} }}")
