"""Issue 17's hostile inputs, measured: time and peak memory of `kg ingest` on each, and `kg serve`
with 200 idle sockets held open.

    .venv/bin/python bench/hardening.py            # every case but 50mb (name it: an hour of CPU)
    .venv/bin/python bench/hardening.py long-line headings   # some of them

Cases (each in a fresh process, so its peak memory is its own; the store is a fresh directory):

- ``long-line``: one entry that is a single line of claims, 12,500 / 25,000 / 100,000 characters
  (the last is over the per-entry limit, so it is skipped with one line);
- ``headings``: 100,000 ``##`` headings with a body each (over the heading limit: refused), and
  2,000 of them (ingested);
- ``memory``, ``50mb``: digests of ~3 KB entries, 1 and 2 MB, or 50 MB (an hour of CPU), ingested;
- ``write``: the store's side of a 50 MB digest without its hour of NLP: the records of 40
  entries of the ``mb`` digest, extracted, copied under new arXiv ids up to the 16,000-odd entries
  a 50 MB one holds, written by `kg ingest`'s writer (batched above ``ONE_WRITE_QUADS``), into a
  fresh store and again over itself (a re-ingest); ``write-one`` writes 2 MB worth in one
  transaction, as every digest was written before (the slope the batches remove);
- ``coined-line``: the NLP pipeline on one line of varied text with many coined names (the
  ingest refuses an entry over 32,000 characters, so this calls the pipeline itself), 12,500 to
  100,000 characters: seconds per component, `techclaims_coined_names` first;
- ``staging-latency [STORE]``: every saved question through `kg`'s store on STORE (default: the
  corpus ingested) and on a copy holding a big digest's staging graph, which queries must not
  see (their dataset is then given explicitly): milliseconds each, and raw pyoxigraph's;
- ``idle-sockets``: `kg serve` on the example digests, 200 sockets opened (half send half a
  request head), then one query timed; and whether the idle ones are closed.

Figures print as one line per case: seconds, peak resident memory (MiB), what happened.
"""

from __future__ import annotations

import resource
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = (
    "QServe achieves 2.4x higher throughput than TensorRT-LLM on A100 (up to 3.5x faster), "
    "and 40% lower latency. "
)
BODY = (
    "- 核心是 IO-aware：用 tiling 把 Q/K/V 分块搬进 SRAM，HBM 访问量大幅下降。\n"
    "- BERT-large 端到端训练比 MLPerf 1.1 的纪录快15%；GPT-2 训练加速3倍；Long-Range Arena 加速2.4倍。\n"
    "- H100 上 FP16 比 FlashAttention-2 快 1.5~2.0 倍，最高 740 TFLOPs/s（75% 利用率）。\n"
    "- TinyChat 在桌面和移动 GPU 上相比 Huggingface FP16 加速超过3倍，Llama-2-7B 上吞吐提升 2.7x。\n"
)


def entry(number: int, body: str) -> str:
    return f"## [Paper {number}: kernels](https://arxiv.org/abs/{2400 + number // 99999}.{number % 99999:05d})\n\n{body}\n"


def write_case(case: str, folder: Path) -> Path:
    path = folder / f"{case}.md"
    if case.startswith("line-"):
        size = int(case[5:])
        path.write_text(f"# Notes\n\n{entry(1, (SENTENCE * (size // len(SENTENCE) + 1))[:size])}")
    elif case.startswith("headings-"):
        count = int(case[9:])
        with path.open("w", encoding="utf-8") as out:
            out.write("# Notes\n\n")
            for number in range(1, count + 1):
                out.write(entry(number, BODY.splitlines()[number % 4] + "\n"))
    elif case.startswith("mb-"):
        body = BODY * 7  # ~3 KB an entry
        with path.open("w", encoding="utf-8") as out:
            out.write("# Notes\n\n")
            number = 0
            while out.tell() < int(case[3:]) * 1_000_000:
                number += 1
                out.write(entry(number, body))
    return path


def run_case(case: str) -> None:
    """In this process: write the digest, ingest it into a fresh store, print one line."""
    from techclaims.ingest.nlp.pipeline import load_nlp
    from techclaims.kg.ingest_job import ingest_paths

    load_nlp()  # loaded once per process (cached), so the time below is reading and writing
    loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        path = write_case(case, Path(tmp))
        size = path.stat().st_size
        notices: list[str] = []
        started, cpu = time.perf_counter(), time.process_time()
        report = ingest_paths([path], str(Path(tmp) / "store"), notice=notices.append)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        dropped = sum(len(d.dropped) for d in report.digests)
        papers = sum(len(d.papers) for d in report.digests)
        outcome = (
            f"refused: {notices[0][:110]}"
            if report.failures
            else f"ingested {papers} papers"
            + (
                f", {dropped} entries skipped: {report.digests[0].dropped[0][:90]}"
                if dropped
                else ""
            )
        )
        print(
            f"{case:>16}  {size / 1e6:7.2f} MB  {elapsed:7.2f} s (CPU {cpu:.2f} s)  peak {peak:5.0f} MiB "
            f"({loaded:.0f} with the model loaded)  {outcome}",
            flush=True,
        )


def idle_sockets(count: int = 200) -> None:
    """`kg serve` on the example digests; `count` sockets held open; one query timed."""
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        store = Path(tmp) / "store"
        subprocess.run(
            [sys.executable, "-m", "techclaims.kg.cli", "ingest", str(ROOT / "examples" / "digests"),
             "--store", str(store)],
            check=True, capture_output=True,
        )  # fmt: skip
        server = subprocess.Popen(
            [sys.executable, "-m", "techclaims.kg.cli", "serve", "--store", str(store), "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            url = server.stdout.readline().split(" at ")[1].split()[0]
            host, port = url.split("//")[1].strip("/").split(":")
            sockets = []
            for number in range(count):
                sock = socket.create_connection((host, int(port)), timeout=5)
                if number % 2:
                    sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n")
                sockets.append(sock)
            request = urllib.request.Request(
                url + "sparql",
                data=b"SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
            )
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=30) as answer:
                status, rows = answer.status, answer.read().decode().split()
            answered = time.perf_counter() - started
            started = time.perf_counter()
            closed = 0
            for sock in sockets:
                sock.settimeout(15)
                try:
                    closed += sock.recv(1) == b""
                except OSError:
                    pass
                sock.close()
            print(
                f"{'idle-sockets':>16}  {count} sockets open ({count // 2} half-sent): a query answered "
                f"{status} ({rows[-1]} triples) in {answered * 1000:.0f} ms; {closed} of {count} "
                f"closed by the server {time.perf_counter() - started + answered:.1f} s later "
                "(--header-timeout 5)",
                flush=True,
            )
        finally:
            server.terminate()
            server.wait(10)


def store_case(case: str) -> None:
    """In this process: records worth a `case` digest (``write-50``: 50 MB) written to a fresh
    store by `kg ingest`'s writer, then again (a re-ingest); one line each."""
    from pyoxigraph import Literal, NamedNode, Quad

    from techclaims.ingest.extract import extract_digest
    from techclaims.ingest.nlp.pipeline import load_nlp
    from techclaims.kg.ingest_job import write_digest
    from techclaims.kg.mapping import statement_count
    from techclaims.kg.store import embedded, open_store
    from techclaims.schema.iris import KG, digest_iri

    one = case.startswith("write-one-")
    megabytes = int(case.rsplit("-", 1)[1])
    if one:
        embedded.ONE_WRITE_QUADS = 10**12
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        sample = Path(tmp) / "sample.md"
        body = BODY * 7
        sample.write_text(
            "# Notes\n\n" + "".join(entry(n, body) for n in range(1, 41)), encoding="utf-8"
        )
        record = extract_digest(sample, load_nlp(), source="big.md")
        per_entry = sample.stat().st_size / len(record.papers)
        count = int(megabytes * 1_000_000 / per_entry)
        papers = tuple(
            record.papers[n % len(record.papers)].model_copy(
                update={"key": f"{2400 + n // 99999}.{n % 99999:05d}",
                        "arxiv_id": f"{2400 + n // 99999}.{n % 99999:05d}"}
            )
            for n in range(count)
        )  # fmt: skip
        digest = record.model_copy(update={"papers": papers})
        loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        graph = digest_iri(digest.source)
        stamp = Quad(NamedNode(graph), NamedNode(f"{KG}extractor"), Literal("x"), NamedNode(graph))
        size = statement_count(digest)
        for label in ("fresh store", "re-ingest"):
            started = time.perf_counter()
            with open_store(Path(tmp) / "store") as store:
                write_digest(store, graph, digest, stamp)
                counted = store.query(
                    f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
                )
                stored = int(next(iter(counted))["n"].value)  # type: ignore[call-overload]
                del counted  # it holds the store open (and its lock) while it lives
            elapsed = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            how = "one transaction" if one else f"batches of {embedded.WRITE_BATCH:,}"
            print(
                f"{case:>16}  {megabytes:5d} MB of records ({count:,} entries, {size:,} statements, "
                f"{stored:,} distinct)  {label}: {elapsed:7.1f} s  peak {peak:5.0f} MiB "
                f"({loaded:.0f} with the model and the records)  {how}",
                flush=True,
            )


def staging_latency(store: Path | None = None, repeats: int = 9) -> None:
    """Every saved question through `kg`'s own store (`EmbeddedStore.query`, what `kg query` runs)
    on a store as it is, and on a copy of it that holds a staging graph (its largest digest's
    statements under `staging_iri`: what a batched switch's step 1 leaves), where every query's
    dataset is given explicitly so that the staging graph stays out of it (`visible_options`);
    raw pyoxigraph on the copy (staging graph seen) for scale. Medians of `repeats` runs, ms."""
    import shutil
    import statistics

    import pyoxigraph as ox

    sys.path.insert(0, str(ROOT / "bench"))
    from query_latency import busiest, cases, corpus_store

    from techclaims.kg.mapping import PREFIXES
    from techclaims.kg.queries import saved_query
    from techclaims.kg.store import SYSTEM_GRAPHS, bind, open_store
    from techclaims.kg.store.embedded import staging_iri

    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        if store is None:
            store = Path(tmp) / "corpus"
            corpus_store(store)
        current, staged = Path(tmp) / "as-is", Path(tmp) / "staged"
        shutil.copytree(store, current, ignore=shutil.ignore_patterns("LOCK"))
        with open_store(current):  # a writer's open brings a store of another version up to date
            pass  # (its summaries and default graph), as any `kg ingest` that stages would have
        store = current
        shutil.copytree(current, staged, ignore=shutil.ignore_patterns("LOCK"))
        raw = ox.Store(str(staged))
        sizes = {
            g: sum(1 for _ in raw.quads_for_pattern(None, None, None, g))
            for g in raw.named_graphs()
            if not g.value.startswith(SYSTEM_GRAPHS)
        }
        largest = max(sizes, key=sizes.__getitem__)
        node = ox.NamedNode(staging_iri(largest.value))
        raw.extend(
            ox.Quad(q.subject, q.predicate, q.object, node)
            for q in raw.quads_for_pattern(None, None, None, largest)
        )
        raw.flush()
        del raw
        print(
            f"{'staging-latency':>16}  {store}: {len(sizes)} digests; the copy stages "
            f"{sizes[largest]:,} statements (a copy of {largest.value.rsplit('/', 1)[-1]})",
            flush=True,
        )
        opened = {
            "as is": open_store(store, read_only=True),
            "staged": open_store(staged, read_only=True),
        }
        bare = ox.Store.read_only(str(staged))
        totals = {"as is": 0.0, "staged": 0.0, "raw": 0.0}
        for name, params in cases(busiest(store)):
            sparql, bindings = saved_query(name, params)
            bound = bind(sparql, bindings)  # raw pyoxigraph runs the bound text
            runs = {
                label: (lambda s=s, q=sparql, b=bindings: sum(1 for _ in s.query(q, bindings=b)))
                for label, s in opened.items()
            }
            runs["raw"] = lambda q=bound: sum(1 for _ in bare.query(q, prefixes=PREFIXES))
            counts = {label: run() for label, run in runs.items()}  # warm-up
            times: dict[str, list[float]] = {label: [] for label in runs}
            for _ in range(repeats):
                for label, run in runs.items():
                    started = time.perf_counter()
                    run()
                    times[label].append(time.perf_counter() - started)
            medians = {label: statistics.median(t) * 1000 for label, t in times.items()}
            for label in totals:
                totals[label] += medians[label]
            same = counts["as is"] == counts["staged"]
            print(
                f"{'':>16}  {name:<40} rows {counts['as is']:>5}{'' if same else ' (staged: ' + str(counts['staged']) + '!)'}  "
                f"as is {medians['as is']:7.1f} ms  staged {medians['staged']:7.1f} ms  "
                f"raw {medians['raw']:7.1f} ms",
                flush=True,
            )
        print(
            f"{'staging-latency':>16}  sum of medians: as is {totals['as is']:.0f} ms, with a "
            f"staging graph hidden {totals['staged']:.0f} ms, raw pyoxigraph {totals['raw']:.0f} ms",
            flush=True,
        )


def coined_line(sizes: tuple[int, ...] = (12_500, 25_000, 50_000, 100_000)) -> None:
    """The pipeline on one long line with many distinct coined names, component by component."""
    import random

    from techclaims.ingest.nlp.pipeline import load_nlp

    nlp = load_nlp()
    rng = random.Random(0)
    syllables = "ka zo ri mu te vo xi lu pa ne qu sa di fo ge hy".split()

    def name() -> str:
        base = "".join(rng.choice(syllables) for _ in range(rng.randrange(2, 4)))
        return rng.choice(
            [
                base.capitalize() + rng.choice(["Serve", "KV", "Attn", "LLM", "Spec"]),
                base.upper()[:4] + str(rng.randrange(10)),
                base.capitalize() + "-" + rng.choice(["Lite", "Pro", "X", "V2"]),
                "v" + base.upper()[:3],
                base.capitalize() + "Net",
            ]
        )

    def sentence() -> str:
        a, b, c, d = (name() for _ in range(4))
        return rng.choice(
            [
                f"{a} achieves {rng.randrange(2, 9)}.{rng.randrange(10)}x higher throughput than {b} on A100. ",
                f"相比 {a}、{b} 和 {c}，{d} 的延迟降低了 {rng.randrange(10, 60)}%。",
                f"We compare {a} vs. {b} and {c}. ",
                f"Sparse Kernel {a.capitalize()} Tiling ({a.upper()[:4]}) reduces memory; "
                f"{a.upper()[:4]} is {rng.randrange(2, 5)}x faster. ",
                f"组内支架差异化（{b} Scaffolding）与 {c} 框架结合，优于 {d}。",
                f"{a}, {b}, {c} and {d} are used as baselines. ",
                f"提出了{a}，一种新的推理系统，基于 {b} 和 {c}。",
            ]
        )

    text = ""
    while len(text) < max(sizes):
        text += sentence()
    nlp(text[:1000])  # warm
    for size in sizes:
        doc = nlp.make_doc(text[:size])
        times = {}
        for component, process in nlp.pipeline:
            started = time.perf_counter()
            doc = process(doc)
            times[component.removeprefix("techclaims_")] = time.perf_counter() - started
        ranked = sorted(times.items(), key=lambda kv: -kv[1])[:4]
        print(
            f"{'coined-line':>16}  {size:7,} chars  {sum(times.values()):6.2f} s  "
            f"coined_names {times['coined_names']:.2f} s; slowest: "
            + ", ".join(f"{k} {v:.2f}" for k, v in ranked),
            flush=True,
        )


CASES = {
    "long-line": ["line-12500", "line-25000", "line-30000", "line-100000"],
    "headings": ["headings-100000", "headings-2000"],
    "memory": ["mb-1", "mb-2"],  # how peak memory grows with the file (minutes each)
    "50mb": ["mb-50"],  # ~16,000 entries: an hour of CPU or more
    "write": ["write-50", "write-one-2"],
}


def main(args: list[str]) -> None:
    if args and args[0] == "--case":
        (store_case if args[1].startswith("write-") else run_case)(args[1])
        return
    chosen = args or ["long-line", "headings", "memory", "write", "coined-line", "idle-sockets"]
    print(f"{'case':>16}  {'size':>10}  {'time':>9}  {'peak memory':>17}  outcome")
    for name in chosen:
        if name == "idle-sockets":
            idle_sockets()
            continue
        if name == "coined-line":
            coined_line()
            continue
        if name == "staging-latency":
            staging_latency(Path(args[-1]) if Path(args[-1]).is_dir() else None)
            return
        for case in CASES[name]:
            subprocess.run([sys.executable, __file__, "--case", case], check=True)


if __name__ == "__main__":
    main(sys.argv[1:])
