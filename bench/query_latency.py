"""Latency of every saved question: our embedded store, raw pyoxigraph and rdflib, side by side.

Two graphs: the corpus graph (../shared/corpus ingested into a temporary store, or the store
given with --store; the example digests when the corpus or the NLP pipeline is not there, with
a message) and a graph of about 10^6 triples of the corpus's shape, made from it by
`synthetic.load_copies`: the corpus's quads copied K times, each copy with fresh IRIs for its
digests, papers and claims, its papers k months earlier (dates and arXiv ids), and fresh names
for the methods its papers propose, while models, hardware, topics and well-known methods stay
shared nodes (see bench/synthetic.py). Per paper and per claim it has the corpus's shape by
construction; the benchmark prints both shapes side by side.

For each question, with its default parameters:

- `kg`: `saved_query` + `EmbeddedStore.query` + reading every row: what `kg query` does;
- `raw`: pyoxigraph's `Store.query` on the same text, with nothing of ours around it;
- `api`: `kg.open(...).saved(...)`, i.e. `kg` plus turning the rows into a DataFrame;
- `rdflib`: the same text on an in-memory `rdflib.Dataset` holding the same quads.

Targets at 10^6 triples: median under 50 ms per question for `kg`, at least 20x
faster than rdflib, within 10% of raw pyoxigraph.

    python bench/query_latency.py [--store CORPUS_STORE] [--triples 1000000] [--repeats 15]
                                  [--rdflib-repeats 1] [--rdflib-cap 60] [--no-rdflib]
                                  [--large DIR]

`--large DIR` keeps the large graph in DIR, and times the one already there if there is one
(it must have been made from the same corpus store: it is not checked), to save rebuilding
it (about a minute at 10^6 triples) between runs.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import synthetic  # noqa: E402

from techclaims import kg  # noqa: E402
from techclaims.kg.mapping import PREFIXES  # noqa: E402
from techclaims.kg.queries import saved_queries, saved_query  # noqa: E402
from techclaims.kg.store import open_store  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
EXAMPLES = ROOT / "examples" / "digests"

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
        inner = sparql[found.end() : close].strip()
        optional = re.fullmatch(r"OPTIONAL\s*(\{.*\})", inner, re.S)
        if optional and _matching(optional.group(1), 0) == len(optional.group(1)) - 1:
            out += [sparql[at : found.start()], "OPTIONAL ", portable(optional.group(1))]
        else:
            out += [sparql[at : found.start()], "{ ", portable(inner), " }"]
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


# The defaults of some questions name things the corpus barely has (they suit the example digests):
# these questions are also timed with the corpus's busiest value, found by the query given.
BUSIEST = {
    "claims-about-method": (
        "method",
        "SELECT ?v WHERE { ?c kg:aboutMethod ?m . ?m skos:prefLabel ?v } "
        "GROUP BY ?v ORDER BY DESC(COUNT(DISTINCT ?c)) ?v LIMIT 1",
    ),
    "competitors-of": (
        "method",
        "SELECT ?v WHERE { ?p kg:comparesWith ?m . ?m skos:prefLabel ?v } "
        "GROUP BY ?v ORDER BY DESC(COUNT(DISTINCT ?p)) ?v LIMIT 1",
    ),
    "methods-compared-against": (
        "baseline",
        "SELECT ?v WHERE { ?p kg:comparesWith ?m . ?m skos:prefLabel ?v } "
        "GROUP BY ?v ORDER BY DESC(COUNT(DISTINCT ?p)) ?v LIMIT 1",
    ),
    "methods-beating-baseline": (
        "baseline",
        "SELECT ?v WHERE { ?c kg:baseline ?m ; kg:onModel ?x ; kg:onHardware ?h . "
        "?m skos:prefLabel ?v } GROUP BY ?v ORDER BY DESC(COUNT(DISTINCT ?c)) ?v "
        "LIMIT 1",
    ),
    "speedups-across-hardware": (
        "method",
        "SELECT ?v WHERE { ?c kg:aboutMethod ?m ; kg:onHardware ?h . "
        "?m skos:prefLabel ?v } GROUP BY ?v "
        "ORDER BY DESC(COUNT(DISTINCT ?h)) DESC(COUNT(DISTINCT ?c)) ?v LIMIT 1",
    ),
    "paper": (
        "arxiv_id",
        "SELECT ?v WHERE { ?p kg:arxivId ?v ; kg:reports ?c } GROUP BY ?v "
        "ORDER BY DESC(COUNT(DISTINCT ?c)) ?v LIMIT 1",
    ),
}


def busiest(path: Path) -> dict[str, dict[str, str]]:
    """{question: {param: value}}: the corpus's busiest value for each question in BUSIEST."""
    store = ox.Store.read_only(str(path))
    out = {}
    for name, (param, sparql) in BUSIEST.items():
        found = list(store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True))
        if found:
            out[name] = {param: found[0]["v"].value}
    return out


def cases(extra: dict[str, dict[str, str]]) -> list[tuple[str, dict[str, str]]]:
    """Every saved question with its defaults, then those of `extra` with their busiest value."""
    out: list[tuple[str, dict[str, str]]] = []
    for query in saved_queries():
        out.append((query.name, {}))
        if query.name in extra:
            out.append((query.name, extra[query.name]))
    return out


def measure(
    path: Path,
    repeats: int,
    rdflib_repeats: int,
    rdflib_cap: float,
    extra: dict[str, dict[str, str]] | None = None,
) -> list[dict]:
    embedded = open_store(path, read_only=True)
    raw = ox.Store.read_only(str(path))
    graph = kg.open(path)
    # The default graph kg queries: the store's own set of statements, or the union of the named
    # graphs on a store written before it was kept; raw pyoxigraph and rdflib read the same.
    union = embedded.union_default()
    dataset = None
    if rdflib_repeats:
        import rdflib

        start = time.perf_counter()
        dataset = rdflib.Dataset(default_union=union)
        dataset.parse(data=raw.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
        print(
            f"  rdflib: loaded {len(dataset):,} triples in memory in {time.perf_counter() - start:.0f} s",
            flush=True,
        )
    rows = []
    for query_name, params in cases(extra or {}):
        text, _ = saved_query(query_name, params)

        def ours(name: str = query_name, params: dict = params) -> int:
            sparql, bindings = saved_query(name, params)
            return sum(1 for _ in embedded.query(sparql, bindings=bindings))

        def bare(sparql: str = text) -> int:
            return sum(
                1 for _ in raw.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=union)
            )

        def api(name: str = query_name, params: dict = params) -> int:
            return len(graph.saved(name, **params))

        times: dict[str, list[float]] = {"kg": [], "raw": [], "api": []}
        counts = {ours(), bare(), api()}  # warm-up, and the three must agree
        for i in range(repeats):
            order = [("kg", ours), ("raw", bare), ("api", api)]
            for name, run in order if i % 2 else order[::-1]:
                times[name].append(timed(run)[0])
        label = query_name + "".join(f" {k}={v}" for k, v in params.items())
        row = {
            "name": label,
            "rows": counts.pop() if len(counts) == 1 else f"{sorted(counts)}!",
            **{k: statistics.median(v) * 1000 for k, v in times.items()},
        }
        if dataset is not None:
            lib = [rdflib_timed(dataset, portable(text), rdflib_cap) for _ in range(rdflib_repeats)]
            row["rdflib"] = statistics.median(t for t, _ in lib) * 1000
            row["rdflib_rows"] = lib[0][1]
            row["rdflib_capped"] = any(n is None for _, n in lib)
        rows.append(row)
        print(f"  {label}: {row['kg']:.1f} ms", flush=True)
    graph.close()
    embedded.close()
    return rows


def report(title: str, rows: list[dict], targets: bool) -> None:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\n{title}; {os.cpu_count()} cores, load average {load} (other work on the machine slows every column)"
    )
    has_rdflib = "rdflib" in rows[0]
    head = (
        f"{'saved question':<44} {'rows':>6} {'kg ms':>8} {'raw ms':>8} {'layer':>7} {'api ms':>8}"
    )
    head += f" {'rdflib ms':>10} {'rdflib/kg':>10}" if has_rdflib else ""
    print(head)
    print("-" * len(head))
    for r in rows:
        line = (
            f"{r['name']:<44} {r['rows']!s:>6} {r['kg']:>8.1f} {r['raw']:>8.1f} "
            f"{(r['kg'] / r['raw'] - 1) * 100:>+6.1f}% {r['api']:>8.1f}"
        )
        if has_rdflib:
            if r["rdflib_capped"]:
                line += f" {'>' + format(r['rdflib'], '.0f'):>10} {'>' + format(r['rdflib'] / r['kg'], '.0f'):>9}x"
            else:
                mark = "" if r["rdflib_rows"] == r["rows"] else " (rows differ)"
                line += f" {r['rdflib']:>10.1f} {r['rdflib'] / r['kg']:>9.0f}x{mark}"
        print(line)
    kg_ms = [r["kg"] for r in rows]
    total_kg, total_raw = sum(kg_ms), sum(r["raw"] for r in rows)
    summary = (
        f"{'median':<44} {'':>6} {statistics.median(kg_ms):>8.1f} "
        f"{statistics.median(r['raw'] for r in rows):>8.1f} {(total_kg / total_raw - 1) * 100:>+6.1f}% "
        f"{statistics.median(r['api'] for r in rows):>8.1f}"
    )
    if has_rdflib:
        ratios = [r["rdflib"] / r["kg"] for r in rows]
        summary += f" {statistics.median(r['rdflib'] for r in rows):>10.1f} {statistics.median(ratios):>9.0f}x"
    print(summary)
    print(
        "(layer: kg over raw pyoxigraph, per question; on the median line, summed over all questions)"
    )
    if targets:
        slowest = max(rows, key=lambda r: r["kg"])
        print(
            f"target: every question under 50 ms on the embedded store: "
            f"{'met' if slowest['kg'] < 50 else 'MISSED'} (slowest {slowest['name']}, {slowest['kg']:.1f} ms)"
        )
        print(
            f"target: within 10% of raw pyoxigraph: {'met' if total_kg <= 1.1 * total_raw else 'MISSED'} "
            f"({(total_kg / total_raw - 1) * 100:+.1f}% over all questions)"
        )
        if has_rdflib:
            worst = min(rows, key=lambda r: r["rdflib"] / r["kg"])
            print(
                f"target: at least 20x faster than rdflib: "
                f"{'met' if worst['rdflib'] / worst['kg'] >= 20 else 'MISSED'} "
                f"(least gain {worst['name']}, {worst['rdflib'] / worst['kg']:.0f}x; "
                f"median {statistics.median(r['rdflib'] / r['kg'] for r in rows):.0f}x)"
            )


def _select_digests(store: ox.Store) -> list:
    return list(
        store.query(
            "SELECT DISTINCT ?d WHERE { ?d a kg:Digest }",
            prefixes=PREFIXES,
            use_default_graph_as_union=True,
        )
    )


def corpus_store(path: Path) -> str | None:
    """Ingest the corpus (else the examples) into `path`; the title of the graph, or None if no ingest works."""
    try:
        from techclaims.kg.ingest_job import ingest_paths

        folder = CORPUS if CORPUS.is_dir() else EXAMPLES
        if folder is EXAMPLES:
            print(f"no corpus at {CORPUS}: using the example digests instead", flush=True)
        start = time.perf_counter()
        done = ingest_paths([folder], str(path))
        print(f"  {done.summary()} ({time.perf_counter() - start:.0f} s)", flush=True)
        return f"{'corpus' if folder is CORPUS else 'example digests'} ({folder})"
    except Exception as err:  # noqa: BLE001 - the benchmark goes on with the synthetic graph
        print(
            f"cannot ingest the corpus or the examples ({type(err).__name__}: {err}); "
            "showing the synthetic graph only",
            flush=True,
        )
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--store", type=Path, help="a store of the corpus already ingested (else ingest it here)"
    )
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the large graph")
    parser.add_argument(
        "--repeats", type=int, default=15, help="runs per question and engine (median)"
    )
    parser.add_argument("--rdflib-repeats", type=int, default=1, help="runs per question on rdflib")
    parser.add_argument(
        "--rdflib-cap", type=float, default=60.0, help="seconds an rdflib query may take"
    )
    parser.add_argument(
        "--no-rdflib", action="store_true", help="leave rdflib out (it needs minutes at 10^6)"
    )
    parser.add_argument(
        "--no-corpus",
        action="store_true",
        help="time only the large graph (still made from the corpus)",
    )
    parser.add_argument(
        "--large", type=Path, help="keep the large graph here, or reuse the one already here"
    )
    args = parser.parse_args()
    lib_repeats = 0 if args.no_rdflib else args.rdflib_repeats
    with tempfile.TemporaryDirectory() as tmp:
        if args.store:
            corpus, title = args.store, f"corpus ({args.store})"
        else:
            print("corpus graph:", flush=True)
            corpus = Path(tmp) / "corpus"
            title = corpus_store(corpus)
            if not title:
                sys.exit("no corpus graph to copy: give --store")
        corpus_shape = synthetic.shape(ox.Store.read_only(str(corpus)))
        extra = busiest(corpus)
        if not args.no_corpus:
            rows = measure(corpus, args.repeats, lib_repeats, args.rdflib_cap, extra)
            report(f"{title}: {corpus_shape['triples']:,} triples", rows, targets=False)
        print(f"\ncopies of the corpus graph up to {args.triples:,} triples:", flush=True)
        start = time.perf_counter()
        path = args.large or Path(tmp) / "copies"
        if args.large and (path / "CURRENT").exists():
            large = ox.Store.read_only(str(path))
            copies = len(_select_digests(large)) // max(
                1, len(_select_digests(ox.Store.read_only(str(corpus))))
            )
            triples = synthetic.distinct_triples(large)
            print(f"  {copies} copies, {triples:,} distinct triples, already in {path}", flush=True)
        else:
            copies, triples = synthetic.load_copies(corpus, path, args.triples)
            print(
                f"  {copies} copies, {triples:,} distinct triples, made and loaded in "
                f"{time.perf_counter() - start:.0f} s (the summaries counted included)",
                flush=True,
            )
        print(
            "\nshape (per paper and per claim the same by construction; models, hardware, topics "
            "and well-known methods shared):"
        )
        print(
            synthetic.shape_table(
                {
                    "corpus": corpus_shape,
                    f"{copies} copies": synthetic.shape(ox.Store.read_only(str(path))),
                }
            ),
            flush=True,
        )
        rows = measure(path, args.repeats, lib_repeats, args.rdflib_cap, extra)
        report(
            f"{copies} copies of the corpus: {triples:,} triples (median of {args.repeats} runs; "
            f"rdflib {lib_repeats or 'not run'})",
            rows,
            targets=True,
        )


if __name__ == "__main__":
    main()
