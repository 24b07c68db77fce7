"""Latency of every saved question: our embedded store, raw pyoxigraph and rdflib, side by side.

Two graphs: the full corpus (../shared/corpus ingested into a temporary store; the
example digests when the corpus or the NLP pipeline is not there, with a message)
and a synthetic graph of about 10^6 triples of the same shape, made from records by
`kg.mapping` (papers that propose, compare with and build on methods, evaluate models,
run on hardware and report claims; one digest in six repeats papers of another, as
the real digests do).

For each question, with its default parameters:

- `kg`: `saved_query` + `EmbeddedStore.query` + reading every row: what `kg query` does;
- `raw`: pyoxigraph's `Store.query` on the same text, with nothing of ours around it;
- `api`: `kg.open(...).saved(...)`, i.e. `kg` plus turning the rows into a DataFrame;
- `rdflib`: the same text on an in-memory `rdflib.Dataset` holding the same quads.

Targets at 10^6 triples: median under 50 ms per question for `kg`, at least 20x
faster than rdflib, within 10% of raw pyoxigraph.

    python bench/query_latency.py [--triples 1000000] [--repeats 15] [--rdflib-repeats 1] [--no-rdflib]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kgschema.iris import paper_key  # noqa: E402
from kgschema.records import Claim, Digest, Entity, Paper, Span  # noqa: E402

import kg  # noqa: E402
from kg.mapping import PREFIXES, RDFS, SKOS, digest_quads  # noqa: E402
from kg.queries import saved_queries, saved_query  # noqa: E402
from kg.store import LABELS_GRAPH, open_store  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
EXAMPLES = ROOT / "examples" / "digests"

# -- a synthetic graph of the corpus's shape --------------------------------------------------------

SYSTEMS = ("vLLM", "SGLang", "TensorRT-LLM", "FlashInfer", "FlashAttention-2", "FlashAttention-3",
           "PagedAttention", "DeepSpeed", "Megatron-LM", "llama.cpp", "GPTQ", "AWQ", "SmoothQuant", "QServe",
           "EAGLE", "EAGLE-2", "Medusa", "FSDP", "NCCL", "Triton", "CUTLASS", "LoRA", "H2O", "StreamingLLM",
           "SnapKV", "DistServe", "Orca", "Sarathi-Serve", "Mooncake", "FasterTransformer", "xFormers")
MODELS = ("Llama-3-8B", "Llama-3.1-70B", "Qwen1.5-72B", "Qwen3-32B", "Qwen2.5-7B", "DeepSeek-V3", "Mixtral-8x7B",
          "Mistral-7B", "OPT-175B", "OPT-13B", "Llama-2-7B", "Llama-2-70B", "Vicuna-7B", "GPT-2", "Yi-34B")
HARDWARE = ("A100", "A100-80GB", "H100", "H200", "L40S", "RTX 4090", "MI300X", "Jetson Orin", "A800", "V100",
            "B200", "Ascend 910B", "TPU v5e", "RTX 3090", "Gaudi 2")
TOPICS = ("quantization", "sparse-attention", "kv-cache", "speculative-decoding", "parallelism", "serving",
          "rl-training", "kernels", "moe", "attention", "training", "edge", "agents", "pruning",
          "long-context", "communication", "multimodal")
METRICS = (("throughput", "increase"), ("latency", "decrease"), ("training speed", "increase"),
           ("decode speed", "increase"), ("TTFT", "decrease"), ("memory", "decrease"))
SYLLABLES = ("Flash", "Turbo", "Spec", "Quant", "Sparse", "Tree", "Ring", "Lite", "Mega", "Hydra", "Fast",
             "Pipe", "Shard", "Kernel", "Cache", "Route", "Fuse", "Tile", "Stream", "Prefix", "Zero", "Swift")
SPAN = Span(start=0, end=80)


def _zipf(rng: random.Random, names: tuple[str, ...] | list[str], k: int, skew: float = 0.8) -> list[str]:
    """k distinct names, the first ones far more often (a long tail, as in the corpus)."""
    weights = [1 / (i + 1) ** skew for i in range(len(names))]
    picked: list[str] = []
    while len(picked) < min(k, len(names)):
        name = rng.choices(names, weights)[0]
        if name not in picked:
            picked.append(name)
    return picked


def _others(rng: random.Random, earlier: list[str], k: int, exclude: list[str]) -> list[str]:
    """k methods to compare with or build on: 40% well-known systems, 60% methods of earlier papers.

    In ../shared/corpus vLLM is named in roughly one paper in ten; drawing baselines only
    from the famous systems would put it in most papers and make every question about it huge.
    """
    out: list[str] = []
    for _ in range(k):
        if earlier and rng.random() < 0.6:
            name = rng.choice(earlier)
        else:
            name = _zipf(rng, SYSTEMS, 1)[0]
        if name not in out and name not in exclude:
            out.append(name)
    return out


def _paper(rng: random.Random, i: int, extra_models: tuple[str, ...], earlier: list[str]) -> Paper:
    month = date(2022 + rng.randrange(4), rng.randrange(1, 13), 1)
    arxiv = f"{month:%y%m}.{10000 + i:05d}" if i else "2405.04532"  # the `paper` question's default
    own = [f"{rng.choice(SYLLABLES)}{rng.choice(SYLLABLES)}-{i}" for _ in range(rng.randint(1, 2))]
    if rng.random() < 0.04:  # a paper of one of the well-known systems: claims about vLLM exist too
        own[0] = rng.choice(SYSTEMS)
    baselines = _others(rng, earlier, rng.randint(1, 3), own) or [next(s for s in SYSTEMS if s not in own)]
    used = _others(rng, earlier, rng.randint(0, 2), own + baselines)
    models = _zipf(rng, MODELS + extra_models, rng.randint(1, 3), skew=1.0)
    hardware = _zipf(rng, HARDWARE, rng.randint(1, 2), skew=1.0)
    entities = ([Entity(type="METHOD", name=m, role="proposed", aliases=(m.lower(),)) for m in own]
                + [Entity(type="METHOD", name=b, role="baseline") for b in baselines]
                + [Entity(type="METHOD", name=u, role="used") for u in used]
                + [Entity(type="MODEL", name=m) for m in models]
                + [Entity(type="HARDWARE", name=h, vendor="NVIDIA") for h in hardware])
    claims = []
    for _ in range(rng.randint(0, 4)):
        metric, direction = rng.choice(METRICS)
        unit = "x" if rng.random() < 0.8 else "%"
        value = round(rng.lognormvariate(0.6, 0.5), 2) if unit == "x" else float(rng.randint(5, 80))
        claims.append(Claim(value=value, value_max=round(value * 1.5, 2) if rng.random() < 0.2 else None,
                            unit=unit, metric=metric, direction=direction, method=own[0],
                            baseline=rng.choice(baselines) if rng.random() < 0.7 else None,
                            model=rng.choice(models) if rng.random() < 0.6 else None,
                            hardware=rng.choice(hardware) if rng.random() < 0.6 else None,
                            evidence=f"{own[0]} is {value}{unit} better ({metric}).", span=SPAN))
    title = f"{own[0]}: {rng.choice(SYLLABLES)} {rng.choice(SYLLABLES)} for Efficient LLM Systems"
    earlier.extend(own)
    return Paper(key=paper_key(arxiv, title), title=title, heading=own[0], arxiv_id=arxiv,
                 published=month if rng.random() < 0.5 else None, spans=(SPAN,), entities=tuple(entities),
                 claims=tuple(claims), topics=tuple(rng.sample(TOPICS, rng.randint(1, 3))))


def synthetic_quads(target: int, seed: int = 0) -> tuple[list[ox.Quad], int]:
    """Quads of synthetic digests, 200 papers each, until the union holds `target` triples."""
    rng = random.Random(seed)
    extra_models = tuple(f"Model-{i}B" for i in range(300))
    quads: list[ox.Quad] = []
    papers: list[Paper] = []
    earlier: list[str] = []
    triples: set[tuple] = set()
    d = 0
    while len(triples) < target:
        fresh = [_paper(rng, len(papers) + j, extra_models, earlier) for j in range(200)]
        papers += fresh
        again = tuple(rng.sample(papers[:-200], 40)) if d % 6 == 5 and len(papers) > 400 else ()
        digest = Digest(source=f"synthetic-{d:04d}.md", format="markdown", sha256=f"{d:064x}",
                        papers=tuple(fresh) + again)
        batch = digest_quads(digest)
        quads += batch
        triples.update((q.subject, q.predicate, q.object) for q in batch)
        d += 1
    return quads, len(triples)


def load_store(path: Path, quads: list[ox.Quad]) -> None:
    """Bulk-load the quads and the labels graph, then compact, as a long-lived store would be.

    `kg ingest` swaps one digest per update and derives `skos:prefLabel` as it goes; here each
    synthetic entity has one name, so its label is that name and the quads go in at once.
    """
    label, pref = ox.NamedNode(RDFS + "label"), ox.NamedNode(SKOS + "prefLabel")
    labels = {q.subject: q.object for q in quads if q.predicate == label}
    graph = ox.NamedNode(LABELS_GRAPH)
    with open_store(path):  # creates the store with its vocabulary graph
        pass
    store = ox.Store(str(path))
    store.bulk_extend(quads + [ox.Quad(s, pref, o, graph) for s, o in labels.items()])
    store.optimize()
    store.flush()


# -- the engines ------------------------------------------------------------------------------------


def portable(sparql: str) -> str:
    """The query without Oxigraph's LATERAL, for rdflib: the same answers, planned rdflib's way.

    `LATERAL { OPTIONAL { P } }` is `OPTIONAL { P }` and `LATERAL { P }` a plain join wherever the
    saved questions use them (they only look labels up, or count, for variables bound before;
    P may hold braces of its own, such as a subquery).

    >>> portable("?a x ?b LATERAL { OPTIONAL { ?b y ?c } } LATERAL { GRAPH ?g { ?b z ?d } }")
    '?a x ?b OPTIONAL { ?b y ?c } { GRAPH ?g { ?b z ?d } }'
    >>> portable("LATERAL { OPTIONAL { SELECT ?b WHERE { ?b y ?c } GROUP BY ?b } }")
    'OPTIONAL { SELECT ?b WHERE { ?b y ?c } GROUP BY ?b }'
    """
    out, at = [], 0
    for found in re.finditer(r"LATERAL\s*\{", sparql):
        if found.start() < at:
            continue
        close = _matching(sparql, found.end() - 1)
        inner = sparql[found.end():close].strip()
        optional = re.fullmatch(r"OPTIONAL\s*(\{.*\})", inner, re.S)
        if optional and _matching(optional.group(1), 0) == len(optional.group(1)) - 1:
            out += [sparql[at:found.start()], "OPTIONAL ", portable(optional.group(1))]
        else:
            out += [sparql[at:found.start()], "{ ", portable(inner), " }"]
        at = close + 1
    out.append(sparql[at:])
    return "".join(out)


def _matching(text: str, start: int) -> int:
    """The index of the brace closing the one at `start` (the saved questions hold no braces in strings)."""
    depth = 0
    for i in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return i
    raise ValueError("unbalanced braces")


def rdflib_timed(dataset: object, sparql: str, cap_s: float) -> tuple[float, int | None]:
    """(seconds, rows) of one rdflib query, run in a forked child that is stopped at `cap_s`.

    Some questions take rdflib many minutes at 10^6 triples; past the cap the time is
    reported as "more than cap_s" (rows None) and the ratio as a lower bound.
    """
    context = multiprocessing.get_context("fork")  # the child shares the loaded Dataset
    parent, child = context.Pipe(duplex=False)

    def run() -> None:
        start = time.perf_counter()
        rows = sum(1 for _ in dataset.query(sparql, initNs=PREFIXES))
        child.send((time.perf_counter() - start, rows))

    process = context.Process(target=run, daemon=True)
    process.start()
    answer = parent.recv() if parent.poll(cap_s) else None
    process.kill()
    process.join()
    return answer if answer is not None else (cap_s, None)


def timed(run: Callable[[], int]) -> tuple[float, int]:
    start = time.perf_counter()
    rows = run()
    return time.perf_counter() - start, rows


def measure(path: Path, repeats: int, rdflib_repeats: int, rdflib_cap: float) -> list[dict]:
    embedded = open_store(path, read_only=True)
    raw = ox.Store.read_only(str(path))
    graph = kg.open(path)
    dataset = None
    if rdflib_repeats:
        import rdflib

        start = time.perf_counter()
        dataset = rdflib.Dataset(default_union=True)
        dataset.parse(data=raw.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
        print(f"  rdflib: loaded {len(dataset):,} triples in memory in {time.perf_counter() - start:.0f} s",
              flush=True)
    rows = []
    for query in saved_queries():
        text, _ = saved_query(query.name, {})

        def ours(name: str = query.name) -> int:
            sparql, bindings = saved_query(name, {})
            return sum(1 for _ in embedded.query(sparql, bindings=bindings))

        def bare(sparql: str = text) -> int:
            return sum(1 for _ in raw.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True))

        def api(name: str = query.name) -> int:
            return len(graph.saved(name))

        times: dict[str, list[float]] = {"kg": [], "raw": [], "api": []}
        counts = {ours(), bare(), api()}  # warm-up, and the three must agree
        for i in range(repeats):
            order = [("kg", ours), ("raw", bare), ("api", api)]
            for name, run in (order if i % 2 else order[::-1]):
                times[name].append(timed(run)[0])
        row = {"name": query.name, "rows": counts.pop() if len(counts) == 1 else f"{sorted(counts)}!",
               **{k: statistics.median(v) * 1000 for k, v in times.items()}}
        if dataset is not None:
            lib = [rdflib_timed(dataset, portable(text), rdflib_cap) for _ in range(rdflib_repeats)]
            row["rdflib"] = statistics.median(t for t, _ in lib) * 1000
            row["rdflib_rows"] = lib[0][1]
            row["rdflib_capped"] = any(n is None for _, n in lib)
        rows.append(row)
        print(f"  {query.name}: {row['kg']:.1f} ms", flush=True)
    graph.close()
    embedded.close()
    return rows


def report(title: str, rows: list[dict], targets: bool) -> None:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{title}; {os.cpu_count()} cores, load average {load} (other work on the machine slows every column)")
    has_rdflib = "rdflib" in rows[0]
    head = f"{'saved question':<28} {'rows':>6} {'kg ms':>8} {'raw ms':>8} {'layer':>7} {'api ms':>8}"
    head += f" {'rdflib ms':>10} {'rdflib/kg':>10}" if has_rdflib else ""
    print(head)
    print("-" * len(head))
    for r in rows:
        line = (f"{r['name']:<28} {r['rows']!s:>6} {r['kg']:>8.1f} {r['raw']:>8.1f} "
                f"{(r['kg'] / r['raw'] - 1) * 100:>+6.1f}% {r['api']:>8.1f}")
        if has_rdflib:
            if r["rdflib_capped"]:
                line += f" {'>' + format(r['rdflib'], '.0f'):>10} {'>' + format(r['rdflib'] / r['kg'], '.0f'):>9}x"
            else:
                mark = "" if r["rdflib_rows"] == r["rows"] else " (rows differ)"
                line += f" {r['rdflib']:>10.1f} {r['rdflib'] / r['kg']:>9.0f}x{mark}"
        print(line)
    kg_ms = [r["kg"] for r in rows]
    total_kg, total_raw = sum(kg_ms), sum(r["raw"] for r in rows)
    summary = (f"{'median':<28} {'':>6} {statistics.median(kg_ms):>8.1f} "
               f"{statistics.median(r['raw'] for r in rows):>8.1f} {(total_kg / total_raw - 1) * 100:>+6.1f}% "
               f"{statistics.median(r['api'] for r in rows):>8.1f}")
    if has_rdflib:
        ratios = [r["rdflib"] / r["kg"] for r in rows]
        summary += f" {statistics.median(r['rdflib'] for r in rows):>10.1f} {statistics.median(ratios):>9.0f}x"
    print(summary)
    print("(layer: kg over raw pyoxigraph, per question; on the median line, summed over all questions)")
    if targets:
        slowest = max(rows, key=lambda r: r["kg"])
        print(f"target: every question under 50 ms on the embedded store: "
              f"{'met' if slowest['kg'] < 50 else 'MISSED'} (slowest {slowest['name']}, {slowest['kg']:.1f} ms)")
        print(f"target: within 10% of raw pyoxigraph: {'met' if total_kg <= 1.1 * total_raw else 'MISSED'} "
              f"({(total_kg / total_raw - 1) * 100:+.1f}% over all questions)")
        if has_rdflib:
            worst = min(rows, key=lambda r: r["rdflib"] / r["kg"])
            print(f"target: at least 20x faster than rdflib: "
                  f"{'met' if worst['rdflib'] / worst['kg'] >= 20 else 'MISSED'} "
                  f"(least gain {worst['name']}, {worst['rdflib'] / worst['kg']:.0f}x; "
                  f"median {statistics.median(r['rdflib'] / r['kg'] for r in rows):.0f}x)")


def corpus_store(path: Path) -> str | None:
    """Ingest the corpus (else the examples) into `path`; the title of the graph, or None if no ingest works."""
    try:
        from kg.pipeline import ingest_paths

        folder = CORPUS if CORPUS.is_dir() else EXAMPLES
        if folder is EXAMPLES:
            print(f"no corpus at {CORPUS}: using the example digests instead", flush=True)
        start = time.perf_counter()
        done = ingest_paths([folder], str(path))
        print(f"  {done.summary()} ({time.perf_counter() - start:.0f} s)", flush=True)
        return f"{'corpus' if folder is CORPUS else 'example digests'} ({folder})"
    except Exception as err:  # noqa: BLE001 - the benchmark goes on with the synthetic graph
        print(f"cannot ingest the corpus or the examples ({type(err).__name__}: {err}); "
              "showing the synthetic graph only", flush=True)
        return None


def count_triples(path: Path) -> int:
    store = ox.Store.read_only(str(path))
    return len({(q.subject, q.predicate, q.object) for q in store})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the synthetic graph")
    parser.add_argument("--repeats", type=int, default=15, help="runs per question and engine (median)")
    parser.add_argument("--rdflib-repeats", type=int, default=1, help="runs per question on rdflib")
    parser.add_argument("--rdflib-cap", type=float, default=60.0, help="seconds an rdflib query may take")
    parser.add_argument("--no-rdflib", action="store_true", help="leave rdflib out (it needs minutes at 10^6)")
    parser.add_argument("--no-corpus", action="store_true", help="only the synthetic graph")
    args = parser.parse_args()
    lib_repeats = 0 if args.no_rdflib else args.rdflib_repeats
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_corpus:
            print("corpus graph:", flush=True)
            path = Path(tmp) / "corpus"
            title = corpus_store(path)
            if title:
                rows = measure(path, args.repeats, lib_repeats, args.rdflib_cap)
                report(f"{title}: {count_triples(path):,} triples", rows, targets=False)
        print(f"\nsynthetic graph of {args.triples:,} triples:", flush=True)
        start = time.perf_counter()
        quads, triples = synthetic_quads(args.triples)
        path = Path(tmp) / "synthetic"
        load_store(path, quads)
        print(f"  {len(quads):,} quads ({triples:,} distinct triples) made and loaded in "
              f"{time.perf_counter() - start:.0f} s", flush=True)
        del quads
        rows = measure(path, args.repeats, lib_repeats, args.rdflib_cap)
        report(f"synthetic: {triples:,} triples (median of {args.repeats} runs; rdflib {lib_repeats or 'not run'})",
               rows, targets=True)


if __name__ == "__main__":
    main()
