"""How ingest and queries grow with the number of entries: serial, local processes, Dask, disk or server.

Synthetic digests are made by recombining the corpus entries that have an arXiv
id (../shared/corpus, read with `read_digest`, repaired text) under fresh arXiv
ids, `--per-digest` entries to a digest file, each file in the format of the
corpus digest its entries come from. For every size (entries) it prints, as it
goes:

* ingest, end to end, into a fresh store: `serial` (one process, timed stage by
  stage: read+repair, NLP+records, mapping, store write), `workers 2`
  (`ingest_paths(workers=2)`, a pool of local processes), `dask 2` (a
  `LocalCluster` of two one-thread workers), and `serial -> server` (the same
  into a fresh `oxigraph serve`); entries/s, triples/s, and whether the graph
  equals the serial one;
* the store alone: the serial run's records written again into a fresh
  embedded store and a fresh server (triples/s, first and last tenth of the
  digests, to see whether a write slows down as the store fills);
* the median latency of every saved question (kg/queries/*.rq) on both stores;

and at the end the growth exponent of each time between sizes (1.0 = linear).

    python bench/scale.py [--sizes 100,1000,10000] [--per-digest 25] [--modes serial,workers,dask,server]
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from techclaims.ingest.digest.readers import read_digest  # noqa: E402

MODES = ("serial", "workers", "dask", "server")


def say(text: str = "") -> None:
    print(text, flush=True)


# -- synthetic digests --------------------------------------------------------


def corpus_entries(corpus: Path) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Per corpus digest with arXiv entries: (preamble, separator, [(arxiv id, entry text)])."""
    sources = []
    for path in sorted(p for p in corpus.iterdir() if p.is_file()):
        info, entries = read_digest(path)
        usable = [(e.arxiv_id, e.text) for e in entries if e.arxiv_id and e.arxiv_id in e.text]
        if not usable:
            continue
        preamble = info.text[: entries[0].span.start]
        gaps = [
            info.text[a.span.end : b.span.start] for a, b in zip(entries, entries[1:], strict=False)
        ]
        separator = max(set(gaps), key=gaps.count) if gaps else "\n\n"
        sources.append((preamble, separator, usable))
    if not sources:
        sys.exit(f"{corpus}: no digest with arXiv entries")
    return sources


def fresh_id(n: int) -> str:
    """The n-th synthetic arXiv id (3901.00000, ...): no real paper has one."""
    return f"{3901 + n // 100_000}.{n % 100_000:05d}"


def make_digests(sources, entries: int, per_digest: int, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files, n, cursor = [], 0, [0] * len(sources)
    while n < entries:
        k = len(files)
        preamble, separator, usable = sources[k % len(sources)]
        parts = []
        for _ in range(min(per_digest, entries - n)):
            arxiv, text = usable[cursor[k % len(sources)] % len(usable)]
            cursor[k % len(sources)] += 1
            parts.append(re.sub(re.escape(arxiv) + r"(v\d+)?", fresh_id(n), text))
            n += 1
        path = folder / f"synthetic-{k:05d}.md"
        path.write_text(preamble + separator.join(parts) + "\n", encoding="utf-8")
        files.append(path)
    return files


# -- a server --------------------------------------------------------------------


class Server:
    """`oxigraph serve` on a free port of 127.0.0.1, in a fresh directory."""

    def __init__(self, folder: Path) -> None:
        import httpx

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
        self.process = subprocess.Popen(
            [binary, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(
                    f"{self.url}/query", params={"query": "ASK {}"}, timeout=1
                ).raise_for_status()
                return
            except httpx.HTTPError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("oxigraph serve did not start") from None
                time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


# -- measurements ------------------------------------------------------------------


def nquads(store_location: str) -> list[str]:
    from techclaims.kg.store import open_store

    with open_store(store_location, read_only=True) as store:
        return [str(q) for q in store.quads()]


def serial_staged(files: list[Path], store_location: str) -> tuple[dict[str, float], list]:
    """What `kg ingest` does in one process, with the time of each stage."""
    from techclaims.ingest.extract import extract_digest
    from techclaims.ingest.nlp.pipeline import load_nlp
    from techclaims.kg.mapping import digest_quads
    from techclaims.kg.store import open_store
    from techclaims.schema.iris import digest_iri

    stages = dict.fromkeys(
        ("load NLP", "read+repair", "NLP+records", "mapping", "store write"), 0.0
    )
    clock = time.perf_counter()
    nlp = load_nlp()
    stages["load NLP"] = time.perf_counter() - clock
    records = []
    with open_store(store_location) as store:
        for path in files:
            clock = time.perf_counter()
            read_digest(path)
            read = time.perf_counter() - clock
            clock = time.perf_counter()
            digest = extract_digest(path, nlp)
            stages["read+repair"] += read
            stages["NLP+records"] += max(0.0, time.perf_counter() - clock - read)
            clock = time.perf_counter()
            quads = digest_quads(digest)
            stages["mapping"] += time.perf_counter() - clock
            clock = time.perf_counter()
            store.replace_graph(digest_iri(digest.source), quads)
            stages["store write"] += time.perf_counter() - clock
            records.append(digest)
    return stages, records


def write_only(records, store_location: str) -> tuple[float, int, float, float]:
    """(seconds, triples, mean s/digest of the first tenth, of the last tenth) to write the records."""
    from techclaims.kg.mapping import digest_quads
    from techclaims.kg.store import open_store
    from techclaims.schema.iris import digest_iri

    prepared = [(digest_iri(d.source), digest_quads(d)) for d in records]
    times = []
    with open_store(store_location) as store:
        for graph, quads in prepared:
            clock = time.perf_counter()
            store.replace_graph(graph, quads)
            times.append(time.perf_counter() - clock)
    tenth = max(1, len(times) // 10)
    return (
        sum(times),
        sum(len(q) for _, q in prepared),
        statistics.mean(times[:tenth]),
        statistics.mean(times[-tenth:]),
    )


def query_latencies(
    store_location: str,
    repeats: int,
    size: int,
    budget_s: float,
    before: dict[str, tuple[int, float]],
) -> dict[str, float]:
    """Median milliseconds per saved question (default parameters), every row read.

    A question whose time at the previous size, scaled by the square of the growth in
    entries, would pass `budget_s` is skipped (NaN), and so is the rest of its runs
    once one run passes it: a slow question must not hold the benchmark for hours.
    """
    from techclaims.kg.queries import saved_queries, saved_query
    from techclaims.kg.store import open_store

    out = {}
    with open_store(store_location, read_only=True) as store:
        for query in saved_queries():
            if query.name in before:
                then, ms = before[query.name]
                if ms != ms or ms / 1000 * (size / then) ** 2 > budget_s:
                    out[query.name] = float("nan")
                    continue
            text, bindings = saved_query(query.name, {})
            runs = []
            for _ in range(repeats + 1):
                clock = time.perf_counter()
                result = store.query(text, bindings=bindings)
                if not isinstance(result, bool) and hasattr(result, "__iter__"):
                    for _row in result:
                        pass
                runs.append(time.perf_counter() - clock)
                if runs[-1] > budget_s / 4:
                    break
            out[query.name] = statistics.median(runs[1:] or runs) * 1000
            before[query.name] = (size, out[query.name])
    return out


def disk(folder: str | Path) -> int:
    """Bytes in the files under `folder`."""
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


def triples_in(records) -> int:
    from techclaims.kg.mapping import digest_quads

    return sum(len(digest_quads(d)) for d in records)


# -- the run ----------------------------------------------------------------------


def run_size(size: int, args, sources, work: Path, table: list[dict]) -> None:
    from techclaims.kg.ingest_job import ingest_paths

    folder = work / f"digests-{size}"
    files = make_digests(sources, size, args.per_digest, folder)
    say(
        f"\n== {size:,} entries in {len(files)} digests ({sum(f.stat().st_size for f in files) / 1e6:.1f} MB)"
    )
    serial_store = str(work / f"serial-{size}")
    clock = time.perf_counter()
    stages, records = serial_staged(files, serial_store)
    total = time.perf_counter() - clock - stages["load NLP"]  # once per process, not per entry
    entries = sum(len(d.papers) for d in records)
    triples = triples_in(records)
    reference = nquads(serial_store)
    say(
        f"   {entries:,} papers extracted, {triples:,} triples in digest graphs, {len(reference):,} quads in all"
    )
    say("   serial, by stage: " + ", ".join(f"{k} {v:.1f} s" for k, v in stages.items()))
    say(
        f"   embedded store on disk: {disk(serial_store) / 1e6:.1f} MB ({disk(serial_store) / len(reference):.0f} bytes/quad)"
    )

    def row(mode: str, store: str, seconds: float, same: bool | None) -> None:
        entry = dict(
            size=size,
            mode=mode,
            store=store,
            seconds=seconds,
            entries_s=size / seconds,
            triples_s=triples / seconds,
            same=same,
        )
        table.append(entry)
        same_text = "" if same is None else ("yes" if same else "NO")
        say(
            f"   {mode:<16}{store:<10}{seconds:>9.1f} s{size / seconds:>10.1f} entries/s"
            f"{triples / seconds:>12,.0f} triples/s   same graph as serial: {same_text}"
        )

    row("serial", "embedded", total, None)
    if "workers" in args.modes:
        location = str(work / f"workers-{size}")
        clock = time.perf_counter()
        report = ingest_paths(files, location, workers=2, notice=say)
        seconds = time.perf_counter() - clock
        row("workers 2", "embedded", seconds, not report.failures and nquads(location) == reference)
    if "dask" in args.modes:
        from distributed import LocalCluster

        location = str(work / f"dask-{size}")
        with LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster:
            clock = time.perf_counter()
            report = ingest_paths(files, location, scheduler=cluster.scheduler_address, notice=say)
            seconds = time.perf_counter() - clock
        row(
            "dask 2 workers",
            "embedded",
            seconds,
            not report.failures and nquads(location) == reference,
        )
    server = None
    if "server" in args.modes:
        server = Server(work / f"server-{size}")
        try:
            clock = time.perf_counter()
            report = ingest_paths(files, server.url, notice=say)
            seconds = time.perf_counter() - clock
            row(
                "serial", "server", seconds, not report.failures and nquads(server.url) == reference
            )
            size_on_disk = disk(work / f"server-{size}")
            say(
                f"   server store on disk: {size_on_disk / 1e6:.1f} MB ({size_on_disk / len(reference):.0f} bytes/quad)"
            )
            # the store alone: the same records into fresh stores
            again = Server(work / f"server-write-{size}")
            try:
                for kind, location in (
                    ("embedded", str(work / f"write-{size}")),
                    ("server", again.url),
                ):
                    seconds, count, first, last = write_only(records, location)
                    say(
                        f"   write only      {kind:<10}{seconds:>9.1f} s{count / seconds:>22,.0f} triples/s   "
                        f"per digest: first tenth {first * 1000:.0f} ms, last tenth {last * 1000:.0f} ms"
                    )
                    table.append(
                        dict(
                            size=size,
                            mode="write only",
                            store=kind,
                            seconds=seconds,
                            entries_s=size / seconds,
                            triples_s=count / seconds,
                            same=None,
                        )
                    )
            finally:
                again.stop()
            latencies = {
                "embedded": query_latencies(
                    serial_store,
                    args.repeats,
                    size,
                    args.query_budget,
                    args.seen.setdefault("embedded", {}),
                ),
                "server": query_latencies(
                    server.url,
                    args.repeats,
                    size,
                    args.query_budget,
                    args.seen.setdefault("server", {}),
                ),
            }
        finally:
            server.stop()
    else:
        latencies = {
            "embedded": query_latencies(
                serial_store,
                args.repeats,
                size,
                args.query_budget,
                args.seen.setdefault("embedded", {}),
            )
        }
    say(
        f"   saved questions, median ms ({args.repeats} runs; nan: skipped, over the budget): "
        + "  ".join(
            f"{kind} slowest {max(ms, key=lambda k: ms[k] if ms[k] == ms[k] else -1)}"
            for kind, ms in latencies.items()
        )
    )
    for name in latencies["embedded"]:
        say(
            f"      {name:<32}"
            + "".join(f"{kind} {ms[name]:>8.1f}   " for kind, ms in latencies.items())
        )
        table.append(
            dict(size=size, mode="query", store=name, **{k: v[name] for k, v in latencies.items()})
        )


def summary(table: list[dict]) -> None:
    say("\n== summary (entries/s; triples/s)")
    sizes = sorted({r["size"] for r in table})
    keys = []
    for r in table:
        if r["mode"] != "query" and (r["mode"], r["store"]) not in keys:
            keys.append((r["mode"], r["store"]))
    say(f"{'run':<28}" + "".join(f"{s:>26,}" for s in sizes) + "   growth of time")
    for mode, store in keys:
        cells, times = [], []
        for size in sizes:
            found = [r for r in table if (r["size"], r["mode"], r["store"]) == (size, mode, store)]
            if found:
                cells.append(f"{found[0]['entries_s']:>9.1f}; {found[0]['triples_s']:>11,.0f}   ")
                times.append((size, found[0]["seconds"]))
            else:
                cells.append(" " * 26)
        growth = " ".join(f"{_exponent(a, b):.2f}" for a, b in zip(times, times[1:], strict=False))
        say(f"{mode + ' / ' + store:<28}" + "".join(f"{c:>26}" for c in cells) + f"   {growth}")
    say("(growth: log(t2/t1)/log(n2/n1) between consecutive sizes; 1.00 is linear)")
    for kind in ("embedded", "server"):
        rows = [r for r in table if r["mode"] == "query" and kind in r]
        names = list(dict.fromkeys(r["store"] for r in rows))
        if rows:
            say(f"saved questions on the {kind} store, median ms at each size")
            for name in names:
                cells = [
                    next(
                        (r[kind] for r in rows if r["store"] == name and r["size"] == s),
                        float("nan"),
                    )
                    for s in sizes
                ]
                say(f"  {name:<32}" + "".join(f"{c:>12.1f}" for c in cells))


def _exponent(a: tuple[int, float], b: tuple[int, float]) -> float:
    import math

    return math.log(b[1] / a[1]) / math.log(b[0] / a[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="entries, comma-separated")
    parser.add_argument("--per-digest", type=int, default=25, help="entries per synthetic digest")
    parser.add_argument(
        "--modes", default=",".join(MODES), help=f"any of {', '.join(MODES)} (serial always runs)"
    )
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument(
        "--repeats", type=int, default=3, help="runs per saved question (after one warm-up)"
    )
    parser.add_argument(
        "--query-budget",
        type=float,
        default=60.0,
        help="seconds a saved question may take; one predicted slower is skipped",
    )
    parser.add_argument(
        "--keep", type=Path, help="work in this folder and keep it (default: a temporary one)"
    )
    args = parser.parse_args()
    args.seen = {}
    args.modes = {m.strip() for m in args.modes.split(",") if m.strip()}
    if unknown := args.modes - set(MODES):
        parser.error(f"unknown mode(s): {', '.join(sorted(unknown))}")
    if not args.corpus.is_dir():
        sys.exit(f"{args.corpus}: no corpus here (pass --corpus)")
    sources = corpus_entries(args.corpus)
    say(
        f"corpus: {sum(len(s[2]) for s in sources)} entries with arXiv ids from {len(sources)} digests"
    )
    table: list[dict] = []
    work = args.keep or Path(tempfile.mkdtemp(prefix="kg-scale-"))
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            run_size(size, args, sources, work, table)
            summary(table)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
