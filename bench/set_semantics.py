"""What the set-semantics default graph costs: write time and disk, with and without it.

The store keeps its default graph as the set of every digest's statements (`kg.store.union_before`,
`union_after`), in the same update that swaps a digest's graph. This writes the same made-up
digests (`bench/synthetic.records_quads`: 200 papers each, one in six repeating 40 earlier papers)
into two stores, one as shipped and one with those two operations replaced by a no-op, and prints
the seconds spent writing, the store's size on disk, and whether a second write of every digest
leaves the N-Quads dump byte-identical.

    python bench/set_semantics.py [TRIPLES ...]     # default: 50000 200000
    python bench/set_semantics.py --store DIR       # the digests of a store `kg ingest` made (the corpus)
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import records_quads  # noqa: E402

import techclaims.kg.store as kg_store  # noqa: E402
from techclaims.kg.export import export_rdf  # noqa: E402
from techclaims.kg.store import open_store  # noqa: E402


def disk(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def write(path: Path, digests: dict[str, list[ox.Quad]]) -> tuple[float, float, str, int]:
    """(seconds for every digest, seconds for every digest again, sha256 of the N-Quads, bytes on disk)."""
    with open_store(path) as store:
        clock = time.perf_counter()
        for graph, quads in digests.items():
            store.replace_graph(graph, quads)
        first = time.perf_counter() - clock
        dump = path.with_suffix(".a.nq")
        export_rdf(store, dump, "nq")
        clock = time.perf_counter()
        for graph, quads in digests.items():
            store.replace_graph(graph, quads)
        second = time.perf_counter() - clock
        again = path.with_suffix(".b.nq")
        export_rdf(store, again, "nq")
        default = len(list(store.query("CONSTRUCT WHERE { ?s ?p ?o }")))
    same = dump.read_bytes() == again.read_bytes()
    digest = hashlib.sha256(dump.read_bytes()).hexdigest()[:12] + ("" if same else " (CHANGED)")
    print(f"    default graph: {default} triples")
    return first, second, digest, disk(path)


def _from_store(location: str) -> dict[str, list[ox.Quad]]:
    """The digests' graphs of an existing store, as `kg ingest` wrote them."""
    with open_store(location, read_only=True) as store:
        return {graph: store.quads(graph) for graph in store.graphs()}


def main() -> None:
    print(
        "| triples (distinct) | digests | quads | write, set default graph | write, without | "
        "re-write, with | re-write, without | disk with | disk without | re-ingest identical |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    if sys.argv[1:2] == ["--store"]:
        digests = _from_store(sys.argv[2])
        quads = [q for graph in digests.values() for q in graph]
        _row(len({(q.subject, q.predicate, q.object) for q in quads}), digests, len(quads))
        return
    for size in [int(a) for a in sys.argv[1:]] or [50_000, 200_000]:
        made, distinct = records_quads(size)
        digests: dict[str, list[ox.Quad]] = defaultdict(list)
        for q in made:
            digests[q.graph_name.value].append(q)
        _row(distinct, digests, len(made))


def _row(distinct: int, digests: dict[str, list[ox.Quad]], quads: int) -> None:
    """Write `digests` with and without the default graph kept; print one table row."""
    real = (kg_store.union_before, kg_store.union_after)
    with tempfile.TemporaryDirectory() as tmp:
        print(f"  {distinct}: with the default graph", file=sys.stderr)
        with_set = write(Path(tmp) / "with", digests)
        noop = lambda graph: "CLEAR SILENT GRAPH <urn:x-bench:none>"  # noqa: E731
        kg_store.union_before = kg_store.union_after = noop
        try:
            print(f"  {distinct}: without", file=sys.stderr)
            without = write(Path(tmp) / "without", digests)
        finally:
            kg_store.union_before, kg_store.union_after = real
    print(
        f"| {distinct:,} | {len(digests)} | {quads:,} | {with_set[0]:.1f} s | {without[0]:.1f} s "
        f"| {with_set[1]:.1f} s | {without[1]:.1f} s | {with_set[3] / 1e6:.1f} MB "
        f"| {without[3] / 1e6:.1f} MB | {with_set[2]} |"
    )


if __name__ == "__main__":
    main()
