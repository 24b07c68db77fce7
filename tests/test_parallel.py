"""Parallel ingest: local processes (`--workers`) and a Dask cluster (`--scheduler`) give the serial graph.

Each run kills workers on purpose through the test-only hook of
`ingest.distributed` (`KG_TEST_KILL_WORKER`): `arxiv-bot.md` kills its worker
once (it must be retried and land), `daily-picks.md` every time (it must be
reported and skipped). The other digests land, every digest is written once,
and the graph equals the serial run's (`kg ingest examples/digests`) without
the skipped digest.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from example_store import example_store

from techclaims.ingest.distributed import KILL_HOOK
from techclaims.kg.errors import UsageError
from techclaims.kg.store import open_store
from techclaims.schema.iris import digest_iri

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "digests"
ONCE, ALWAYS = "arxiv-bot.md", "daily-picks.md"


@pytest.fixture(scope="module")
def expected(tmp_path_factory) -> list[str]:
    """The serial graph without the digest that always kills its worker."""
    copy = tmp_path_factory.mktemp("serial") / "store"
    shutil.copytree(example_store(tmp_path_factory), copy)
    with open_store(copy) as store:
        store.drop_graph(digest_iri(ALWAYS))
        return [str(q) for q in store.quads()]


@pytest.fixture
def writes(monkeypatch) -> list[str]:
    """The graphs the ingest writes, in order."""
    from techclaims.kg import ingest_job as pipeline

    written: list[str] = []

    def counting(location, **kwargs):
        store = open_store(location, **kwargs)
        replace = store.replace_graph

        def replace_graph(graph, quads):
            written.append(graph)
            replace(graph, quads)

        store.replace_graph = replace_graph
        return store

    monkeypatch.setattr(pipeline, "open_store", counting)
    return written


def _check(report, written, store, expected, marker):
    assert marker.exists()  # the first worker given arxiv-bot.md did die
    assert [f.split(":")[0] for f in report.failures] == [str(EXAMPLES / ALWAYS)]
    assert "died" in report.failures[0]
    assert len(report.digests) == 4
    assert (
        sorted(written) == sorted(set(written)) and digest_iri(ONCE) in written
    )  # each stored once
    with open_store(store, read_only=True) as opened:
        assert [str(q) for q in opened.quads()] == expected


def test_worker_processes_give_the_serial_graph(tmp_path, monkeypatch, expected, writes):
    from techclaims.kg.ingest_job import ingest_paths

    marker = tmp_path / "killed-once"
    monkeypatch.setenv(KILL_HOOK, f"{ONCE}:{marker},{ALWAYS}")
    report = ingest_paths([EXAMPLES], str(tmp_path / "store"), workers=2, notice=lambda _: None)
    _check(report, writes, tmp_path / "store", expected, marker)
    assert "killed by SIGKILL" in report.failures[0]  # a death says why (issue 17)


def test_dask_cluster_gives_the_serial_graph(tmp_path, monkeypatch, expected, writes):
    dask = pytest.importorskip("dask")
    distributed = pytest.importorskip("distributed")
    from techclaims.kg.ingest_job import ingest_paths

    marker = tmp_path / "killed-once"
    monkeypatch.setenv(KILL_HOOK, f"{ONCE}:{marker},{ALWAYS}")  # workers inherit it when they start
    # A worker that dies takes the blame for every task queued on it: one task per worker at a time
    # keeps the blame on the digest that killed it, and one allowed failure keeps the test short.
    config = {
        "distributed.scheduler.allowed-failures": 1,
        "distributed.scheduler.worker-saturation": 1.0,
    }
    with (
        dask.config.set(config),
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
    ):
        report = ingest_paths(
            [EXAMPLES],
            str(tmp_path / "store"),
            scheduler=cluster.scheduler_address,
            notice=lambda _: None,
        )
    _check(report, writes, tmp_path / "store", expected, marker)


def test_workers_and_scheduler_do_not_go_together(tmp_path):
    from techclaims.kg.ingest_job import ingest_paths

    with pytest.raises(UsageError, match="--workers and --scheduler"):
        ingest_paths([EXAMPLES], str(tmp_path / "store"), workers=2, scheduler="tcp://127.0.0.1:1")
