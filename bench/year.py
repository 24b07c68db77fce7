"""A year of digests: ingest, update and query ../shared/corpus-extended as a user would, and print it all.

The year is 222 daily arXiv-bot pages (2025-08 to 2026-06) and three awesome-list pages, about
6,500 entries and 25 MB. The script works on a folder of symbolic links to those files (the
input is read-only and never copied), so that it can hold the last day back and add it later:

1. **Serial ingest, profiled**: every digest but the last day, through `kg.ingest_job.ingest_paths`
   in a child process, with each stage timed by wrapping the functions the pipeline calls:
   reading (decode, split into entries), repair (mis-encoding check and repair), NLP (spaCy:
   tokens, NER and the entity components), claims (`statements_of`), records (the rest of
   `extract_digest`: a paper's entities, topics and record), store (records to quads, and the SPARQL update that
   swaps the digest's graph and refreshes labels and summaries); setup is loading the pipeline.
   Time, peak RSS, kB/s of digest text per core and entries/s.
2. **`kg ingest --workers 2`** of the same digests into a second store, as a user runs it:
   time and peak RSS (the largest process, and the sum over the process tree, sampled).
3. **The next day**: the last day's link is added to the folder and `kg ingest FOLDER` runs again
   on the first store (the others are skipped as unchanged; which graphs changed is counted);
   then once more with nothing new (every digest skipped).
4. **Growth**: days spread evenly over the year (every k-th, so the sample has the year's mix of
   short abstract-only pages and long AI-summary pages) holding >= 10^2 and >= 10^3 entries,
   ingested serially into fresh stores with `kg ingest`, beside the whole year of step 1: time
   per entry and per kB of text, and store size.
5. **The year's contents**: entries (as the readers split them, and as papers per digest),
   distinct papers, papers found in several digests, per format digests and entries.
6. **Every saved question** on the year's store (`kg/queries`, defaults, plus the busiest value of
   the questions that take one, as bench/query_latency.py does): median and slowest of
   `--repeats` runs through `kg` (`saved_query` + the embedded store) and raw pyoxigraph, rows,
   and rdflib on the same quads in the same run (median of one run per question by default,
   stopped at `--rdflib-cap` seconds).

    python bench/year.py [--corpus ../shared/corpus-extended] [--work DIR] [--repeats 11]
                         [--rdflib-cap 20] [--no-rdflib] [--parts serial,workers,update,growth,queries]
                         [--every N]
    python bench/year.py --store DIR [--repeats 11] [--no-rdflib]   # step 6 alone, on a store

`--every N` takes every N-th day of the bot only (a sample with the year's mix of layouts,
for a profile on a busy machine); the load average is printed at the start and the end.

`--work DIR` keeps the stores (else a temporary folder); with `--parts` a later run can redo a
part on the stores an earlier run left in DIR. On this 2-core machine the whole run takes
about 20 minutes; the figures in docs/scaling.md came from it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

CORPUS = ROOT.parent / "shared" / "corpus-extended"
SUFFIXES = {".md", ".markdown", ".txt", ".mdown"}
STAGES = ("setup", "reading", "repair", "nlp", "claims", "records", "store")


# -- the folder of links ------------------------------------------------------------------------


def digest_files(corpus: Path) -> list[Path]:
    """The corpus's digests (relative paths), days in date order, then the awesome-list's pages."""
    found = [
        p.relative_to(corpus)
        for p in corpus.rglob("*")
        if p.is_file() and p.suffix.lower() in SUFFIXES and p.name.lower() != "readme.md"
    ]
    return sorted(found, key=lambda p: (p.parts[0] != "arxiv-bot", p.as_posix()))


def link_tree(corpus: Path, dest: Path, files: list[Path]) -> None:
    """`dest` holding a symbolic link to each of `files` at the same relative path (nothing copied)."""
    for rel in files:
        link = dest / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        if not link.is_symlink():
            link.symlink_to(corpus / rel)


def du(path: Path) -> int:
    """Bytes on disk under `path`."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


# -- 1. the profiled serial ingest (a child process) -----------------------------------------------


def child_serial(folder: Path, store: Path, out: Path) -> None:
    """Run `ingest_paths([folder], store)` with every stage timed; write the figures to `out`."""
    import techclaims.ingest.digest.load as load
    import techclaims.ingest.extract as extract
    import techclaims.ingest.nlp.pipeline as nlp_pipeline
    import techclaims.ingest.papers as records
    import techclaims.kg.ingest_job as pipeline
    from techclaims.kg.store.embedded import EmbeddedStore

    spent: Counter = Counter()
    formats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    entries_of: dict[str, int] = {}

    def timing(stage: str, func, after=None):
        def timed(*args, **kwargs):
            start = time.perf_counter()
            result = func(*args, **kwargs)
            spent[stage] += time.perf_counter() - start
            if after is not None:
                after(args, result)
            return result

        return timed

    def count(args, result) -> None:
        info, entries = result
        path = Path(args[0])
        row = formats[info.format]
        row[0] += 1
        row[1] += len(entries)
        row[2] += path.stat().st_size
        entries_of[path.resolve().as_posix()] = len(entries)

    def annotate(*args, **kwargs):
        start = time.perf_counter()
        # spaCy runs lazily, as extract_digest takes each paper's Docs: run it all here (a
        # digest's Docs are held at once, which costs memory, not time).
        pairs = list(original_annotate(*args, **kwargs))
        spent["nlp"] += time.perf_counter() - start
        return iter(pairs)

    def claims(*args, **kwargs):
        start = time.perf_counter()
        found = list(original_statements(*args, **kwargs))  # a generator: run it here
        spent["claims"] += time.perf_counter() - start
        return found

    original_statements = records.statements_of
    original_annotate = extract.annotate
    load.repair_if_garbled = timing("repair", load.repair_if_garbled)
    extract.read_digest = timing("read_digest", extract.read_digest, count)
    extract.annotate = annotate
    records.statements_of = claims
    # extract_digest is read, NLP, then a record per paper (to_paper: entities, topics, claims)
    extract.extract_digest = timing("extract", extract.extract_digest)
    nlp_pipeline.load_nlp = timing("setup", nlp_pipeline.load_nlp)
    pipeline.digest_quads = timing("quads", pipeline.digest_quads)
    EmbeddedStore.replace_graph = timing("write", EmbeddedStore.replace_graph)

    start = time.perf_counter()
    report = pipeline.ingest_paths([folder], str(store), workers=1)
    wall = time.perf_counter() - start
    stages = {
        "setup": spent["setup"],
        "reading": spent["read_digest"] - spent["repair"],
        "repair": spent["repair"],
        "nlp": spent["nlp"],
        "claims": spent["claims"],
        "records": spent["extract"] - spent["read_digest"] - spent["nlp"] - spent["claims"],
        "store": spent["quads"] + spent["write"],
    }
    figures = {
        "wall": wall,
        "stages": stages,
        "store_parts": {"quads": spent["quads"], "write": spent["write"]},
        "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "cpu": sum(resource.getrusage(resource.RUSAGE_SELF)[:2]),  # user + system, every thread
        "formats": {f: row for f, row in sorted(formats.items())},
        "entries_of": entries_of,
        "summary": report.summary(),
        "failures": report.failures,
    }
    out.write_text(json.dumps(figures, indent=1), encoding="utf-8")


# -- running kg as a user does -------------------------------------------------------------------


def run_kg(args: list[str]) -> dict:
    """`kg ARGS` in a new process: wall time, its output, and peak RSS (the largest process of its
    tree, and the largest sum over the tree, sampled every 0.2 s)."""
    import psutil

    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "techclaims.kg.cli", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = {"sum": 0, "max": 0}

    def sample() -> None:
        try:
            parent = psutil.Process(process.pid)
        except psutil.NoSuchProcess:
            return
        while process.poll() is None:
            try:
                tree = [parent, *parent.children(recursive=True)]
                rss = [p.memory_info().rss for p in tree]
            except psutil.Error:
                continue
            peak["sum"] = max(peak["sum"], sum(rss))
            peak["max"] = max(peak["max"], max(rss))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    wall = time.perf_counter() - start
    sampler.join()
    if process.returncode not in (0, 4):
        sys.exit(f"kg {' '.join(args)} failed ({process.returncode}):\n{err}")
    return {"wall": wall, "out": out.strip(), "err": err.strip(), "peak": peak}


def graph_sizes(store: Path) -> dict[str, int]:
    """Quads per named graph of a store (read-only snapshot)."""
    import pyoxigraph as ox

    sizes: Counter = Counter()
    for quad in ox.Store.read_only(str(store)).quads_for_pattern(None, None, None, None):
        sizes[str(quad.graph_name)] += 1
    return dict(sizes)


# -- 5. what the year holds ------------------------------------------------------------------------

CONTENTS = {
    "papers per digest": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?p a kg:Paper } }",
    "distinct papers": "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a kg:Paper }",
    "papers in several digests": """SELECT (COUNT(*) AS ?n) WHERE {
        { SELECT ?p WHERE { GRAPH ?g { ?p a kg:Paper } } GROUP BY ?p HAVING (COUNT(?g) > 1) } }""",
    "papers on the bot and the awesome-list": """SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {
        GRAPH ?a { ?a kg:format "arxiv-bot" . ?p a kg:Paper }
        GRAPH ?b { ?b kg:format "awesome" . ?p a kg:Paper } }""",
    "claims (distinct)": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a kg:Claim }",
    "methods, models, hardware": """SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {
        VALUES ?t { kg:Method kg:Model kg:Hardware } ?e a ?t }""",
}
PER_FORMAT = """SELECT ?format (COUNT(DISTINCT ?g) AS ?digests) (COUNT(?p) AS ?papers) WHERE {
    GRAPH ?g { ?g kg:format ?format OPTIONAL { ?p a kg:Paper } } } GROUP BY ?format ORDER BY ?format"""


def read_entries(corpus: Path, files: list[Path]) -> dict[str, tuple[str, int, int]]:
    """Per file: the format the readers take it for, its entries, its bytes (read and split only)."""
    from techclaims.ingest.digest.readers import read_digest

    found = {}
    for rel in files:
        info, entries = read_digest(corpus / rel)
        found[rel.as_posix()] = (info.format, len(entries), (corpus / rel).stat().st_size)
    return found


def contents(store: Path) -> tuple[dict[str, int], list[tuple[str, int, int]]]:
    import pyoxigraph as ox

    from techclaims.kg.mapping import PREFIXES

    opened = ox.Store.read_only(str(store))

    def ask(sparql: str):
        return list(opened.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True))

    found = {name: int(ask(q)[0]["n"].value) for name, q in CONTENTS.items()}
    formats = [
        (r["format"].value, int(r["digests"].value), int(r["papers"].value))
        for r in ask(PER_FORMAT)
    ]
    return found, formats


# -- 6. the saved questions ------------------------------------------------------------------------


def questions(store: Path, repeats: int, rdflib_cap: float | None) -> list[dict]:
    """Median and slowest of `repeats` runs per question, kg and raw pyoxigraph; rdflib once."""
    import pyoxigraph as ox
    from query_latency import busiest, cases, portable, rdflib_timed

    from techclaims.kg.mapping import PREFIXES
    from techclaims.kg.queries import saved_query
    from techclaims.kg.store import open_store

    embedded = open_store(store, read_only=True)
    raw = ox.Store.read_only(str(store))
    # The default graph kg queries: the store's own set of statements, or on a store written before
    # it was kept, the union of the named graphs; raw pyoxigraph and rdflib are given the same.
    options = {"use_default_graph_as_union": embedded.union_default()}
    dataset = None
    if rdflib_cap:
        import rdflib

        start = time.perf_counter()
        dataset = rdflib.Dataset(default_union=embedded.union_default())
        dataset.parse(data=raw.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
        print(f"  rdflib: {len(dataset):,} quads loaded in {time.perf_counter() - start:.0f} s")
    rows = []
    for name, params in cases(busiest(store)):
        text, _ = saved_query(name, params)

        def ours(name: str = name, params: dict = params) -> int:
            sparql, bindings = saved_query(name, params)
            return sum(1 for _ in embedded.query(sparql, bindings=bindings))

        def bare(sparql: str = text) -> int:
            return sum(1 for _ in raw.query(sparql, prefixes=PREFIXES, **options))

        counts = {ours(), bare()}  # warm-up; both must agree
        times: dict[str, list[float]] = {"kg": [], "raw": []}
        for i in range(repeats):
            order = [("kg", ours), ("raw", bare)]
            for engine, run in order if i % 2 else order[::-1]:
                start = time.perf_counter()
                run()
                times[engine].append((time.perf_counter() - start) * 1000)
        row = {
            "name": name + "".join(f" {k}={v}" for k, v in params.items()),
            "rows": counts.pop() if len(counts) == 1 else f"{sorted(counts)}!",
            **{f"{e}_median": statistics.median(t) for e, t in times.items()},
            **{f"{e}_max": max(t) for e, t in times.items()},
        }
        if dataset is not None:
            seconds, lib_rows = rdflib_timed(dataset, portable(text), rdflib_cap)
            row["rdflib"] = seconds * 1000
            row["rdflib_capped"] = lib_rows is None
        rows.append(row)
        print(f"  {row['name']}: {row['kg_median']:.1f} ms", flush=True)
    embedded.close()
    return rows


# -- printing ----------------------------------------------------------------------------------------


def mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


def print_questions(rows: list[dict], repeats: int, load: str) -> None:
    """The table of step 6: per saved question its rows, median and slowest (kg, raw), rdflib."""
    print(
        f"\n== 6. saved questions on the year's store (median and slowest of {repeats}; load {load})"
    )
    head = f"{'saved question':<48} {'rows':>6} {'kg med':>7} {'kg max':>7} {'raw med':>8} {'raw max':>8}"
    has_rdflib = "rdflib" in rows[0]
    if has_rdflib:
        head += f" {'rdflib':>9} {'rdflib/kg':>10}"
    print(head + "   (ms)")
    for r in rows:
        line = (
            f"{r['name'][:48]:<48} {r['rows']!s:>6} {r['kg_median']:>7.1f} {r['kg_max']:>7.1f} "
            f"{r['raw_median']:>8.1f} {r['raw_max']:>8.1f}"
        )
        if has_rdflib:
            capped = ">" if r["rdflib_capped"] else ""
            line += f" {capped + format(r['rdflib'], '.0f'):>9} {capped + format(r['rdflib'] / r['kg_median'], '.0f'):>9}x"
        print(line)
    slowest = max(rows, key=lambda r: r["kg_median"])
    print(
        f"target: every question under 50 ms: {'met' if slowest['kg_median'] < 50 else 'MISSED'} "
        f"(slowest median {slowest['name']}, {slowest['kg_median']:.1f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument(
        "--work", type=Path, help="keep the stores here (default: a temporary folder)"
    )
    parser.add_argument("--repeats", type=int, default=11)
    parser.add_argument("--rdflib-cap", type=float, default=20.0)
    parser.add_argument("--no-rdflib", action="store_true")
    parser.add_argument("--parts", default="serial,workers,update,growth,queries")
    parser.add_argument(
        "--every",
        type=int,
        default=1,
        help="only every N-th day of the bot (spread over the year): a profile on a busy machine",
    )
    parser.add_argument(
        "--store",
        type=Path,
        help="only step 6 (every saved question) on this store, e.g. a copy of the year's",
    )
    parser.add_argument("--child-serial", nargs=3, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_serial:
        child_serial(*args.child_serial)
        return
    load = lambda: ", ".join(f"{x:.1f}" for x in os.getloadavg())  # noqa: E731
    if args.store:
        if not (args.store / "CURRENT").is_file():
            sys.exit(f"{args.store}: no store here (a folder `kg ingest` wrote)")
        print(f"{args.store}: load average {load()} at the start")
        rows = questions(args.store, args.repeats, None if args.no_rdflib else args.rdflib_cap)
        print_questions(rows, args.repeats, load())
        print(f"\nload average at the end: {load()}")
        return
    if not args.corpus.is_dir():
        sys.exit(f"{args.corpus}: no such folder (the year of digests, ../shared/corpus-extended)")
    parts = set(args.parts.split(","))
    temp = None if args.work else tempfile.TemporaryDirectory(prefix="kg-year-")
    work = args.work or Path(temp.name)
    work.mkdir(parents=True, exist_ok=True)
    files = digest_files(args.corpus)
    days = [f for f in files if f.parts[0] == "arxiv-bot"]
    if args.every > 1:  # a sample of the year's days, spread over it (no awesome-list page)
        files = days = days[args.every // 2 :: args.every]
    last = days[-1]
    folder = work / "year"
    link_tree(args.corpus, folder, [f for f in files if f != last])
    store, store2 = work / "store-serial", work / "store-workers"
    figures_path = work / "serial.json"
    print(f"{len(files)} digests in {args.corpus}; held back for the update: {last}")
    print(f"machine: {os.cpu_count()} cores, load average {load()} at the start")

    if "serial" in parts:
        shutil.rmtree(store, ignore_errors=True)
        (work / "year" / last).unlink(missing_ok=True)
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--child-serial",
                str(folder),
                str(store),
                str(figures_path),
            ],
            check=True,
        )
    serial = json.loads(figures_path.read_text(encoding="utf-8"))
    text_bytes = sum(row[2] for row in serial["formats"].values())
    entries = sum(row[1] for row in serial["formats"].values())
    digests = sum(row[0] for row in serial["formats"].values())
    print(
        f"\n== 1. serial ingest of {digests} digests ({entries:,} entries, {text_bytes / 1e6:.1f} MB)"
    )
    print(serial["summary"])
    wall = serial["wall"]
    print(
        f"time {wall:.0f} s ({wall / 60:.1f} min), peak RSS {mb(serial['peak_rss'])}, "
        f"{text_bytes / 1e3 / wall:.0f} kB/s on 1 core, {entries / wall:.1f} entries/s"
    )
    total = sum(serial["stages"].values())
    print(f"{'stage':<10} {'s':>7} {'share':>7}")
    for stage in STAGES:
        print(
            f"{stage:<10} {serial['stages'][stage]:>7.1f} {serial['stages'][stage] / total:>7.1%}"
        )
    print(
        f"{'other':<10} {wall - total:>7.1f} {(wall - total) / wall:>7.1%}  (finding files, the skip check, opening the store)"
    )
    if "cpu" in serial:
        print(
            f"CPU time (user + system) {serial['cpu']:.0f} s. The store is written on a thread of "
            "its own while the next digest is extracted (kg.ingest_job._Writer), so the stages "
            "add up to more than the wall time when the machine has a core to spare ('other' "
            "is then negative)"
        )
    if "store_parts" in serial:
        quads, write = serial["store_parts"]["quads"], serial["store_parts"]["write"]
        print(
            f"store: records to quads {quads:.1f} s, the update (graph, labels, summaries, "
            f"default graph) {write:.1f} s"
        )

    if "workers" in parts:
        shutil.rmtree(store2, ignore_errors=True)
        (work / "year" / last).unlink(missing_ok=True)
        run = run_kg(
            ["ingest", str(folder), "--store", str(store2), "--workers", "2", "--no-progress"]
        )
        (work / "workers.json").write_text(json.dumps(run), encoding="utf-8")
    if (work / "workers.json").exists():
        run = json.loads((work / "workers.json").read_text(encoding="utf-8"))
        print(f"\n== 2. kg ingest --workers 2, the same {digests} digests")
        print(run["out"])
        print(
            f"time {run['wall']:.0f} s ({run['wall'] / 60:.1f} min), peak RSS {mb(run['peak']['sum'])} "
            f"over the process tree (largest process {mb(run['peak']['max'])}), "
            f"{text_bytes / 1e3 / run['wall'] / 2:.0f} kB/s per core, {entries / run['wall']:.1f} entries/s"
        )

    if "update" in parts:
        before = graph_sizes(store)
        link_tree(args.corpus, folder, [last])
        added = run_kg(["ingest", str(folder), "--store", str(store), "--no-progress"])
        after = graph_sizes(store)
        again = run_kg(["ingest", str(folder), "--store", str(store), "--no-progress"])
        final = graph_sizes(store)
        changed = sorted(g for g in set(before) | set(after) if before.get(g) != after.get(g))
        print(f"\n== 3. the next day ({last}) added to the store of step 1")
        print(added["out"])
        print(
            f"time {added['wall']:.1f} s (a new process: loading the pipeline included); "
            f"graphs whose size changed: {len(changed)} of {len(after)}"
        )
        kinds: Counter = Counter()
        for g in changed:
            name = g.strip("<>")
            kind = name.split("/id/", 1)[-1].rsplit("/", 1)[0] if "/id/" in name else name
            kinds[kind] += 1
            if "/digest/" in name:
                print(f"  {name}: {before.get(g, 0)} -> {after.get(g, 0)} quads")
        print("  by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
        print("then the same folder once more, nothing new:")
        print(again["out"])
        print(f"time {again['wall']:.1f} s; store unchanged: {final == after}")

    start = time.perf_counter()
    split = read_entries(args.corpus, files)
    split_s = time.perf_counter() - start
    if "growth" in parts:
        rows = []
        per_day = sum(split[f.as_posix()][1] for f in days) / len(days)
        for goal in (100, 1000):
            # Days spread evenly over the year, so the sample has the year's mix of layouts
            # (short abstracts before December, long AI summaries after), not its first weeks.
            stride = max(1, int(len(days) * per_day / goal))
            chosen, held = [], 0
            for f in days[stride // 2 :: stride] + days:
                if f in chosen:
                    continue
                chosen.append(f)
                held += split[f.as_posix()][1]
                if held >= goal:
                    break
            sub, sub_store = work / f"sample-{goal}", work / f"store-{goal}"
            shutil.rmtree(sub, ignore_errors=True)
            shutil.rmtree(sub_store, ignore_errors=True)
            link_tree(args.corpus, sub, chosen)
            run = run_kg(["ingest", str(sub), "--store", str(sub_store), "--no-progress"])
            text = sum(split[f.as_posix()][2] for f in chosen)
            rows.append(
                (f"every {stride}th day", len(chosen), held, text, run["wall"], du(sub_store))
            )
        rows.append(("the year (step 1)", digests, entries, text_bytes, wall, du(store)))
        (work / "growth.json").write_text(json.dumps(rows), encoding="utf-8")
    if (work / "growth.json").exists():
        rows = json.loads((work / "growth.json").read_text(encoding="utf-8"))
        print(
            "\n== 4. growth: serial ingest into a fresh store (the samples by `kg ingest` in a new "
            "process, loading the pipeline included)"
        )
        print(
            f"{'digests':<18} {'files':>6} {'entries':>8} {'text MB':>8} {'time s':>8} "
            f"{'ms/entry':>9} {'ms/kB':>7} {'store':>9} {'kB/entry':>9}"
        )
        for name, n, held, text, seconds, size in rows:
            print(
                f"{name:<18} {n:>6} {held:>8,} {text / 1e6:>8.2f} {seconds:>8.1f} "
                f"{seconds / held * 1000:>9.1f} {seconds / text * 1e6:>7.1f} {mb(size):>9} "
                f"{size / held / 1e3:>9.1f}"
            )

    found, formats = contents(store)
    print("\n== 5. what the year holds (the store of step 1, plus the day of step 3 if it ran)")
    by_format: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for fmt, n, _ in split.values():
        by_format[fmt][0] += 1
        by_format[fmt][1] += n
    print(
        f"entries as the readers split them, all {len(files)} files: "
        f"{sum(n for _, n, _ in split.values()):,} (read and split in {split_s:.0f} s)"
    )
    for name, n in found.items():
        print(f"{name}: {n:,}")
    print(
        f"cross-digest duplicates: {found['papers per digest'] - found['distinct papers']:,} entries "
        f"name a paper another digest also lists ({found['papers in several digests']:,} papers)"
    )
    print(
        f"{'format':<12} {'files':>6} {'entries':>8} {'digests stored':>15} {'papers in them':>15}"
    )
    stored = {fmt: (n, papers) for fmt, n, papers in formats}
    for fmt in sorted(set(by_format) | set(stored)):
        n_files, n_entries = by_format.get(fmt, (0, 0))
        n_digests, papers = stored.get(fmt, (0, 0))
        print(f"{fmt:<12} {n_files:>6} {n_entries:>8,} {n_digests:>15} {papers:>15,}")

    if "queries" in parts:
        rows = questions(store, args.repeats, None if args.no_rdflib else args.rdflib_cap)
        (work / "queries.json").write_text(json.dumps(rows), encoding="utf-8")
    if (work / "queries.json").exists():
        rows = json.loads((work / "queries.json").read_text(encoding="utf-8"))
        print_questions(rows, args.repeats, load())
    print(f"\nload average at the end: {load()}")


if __name__ == "__main__":
    main()
