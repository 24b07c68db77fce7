"""Graph pages: time to write the page, its size, and its first render in headless Chromium.

The graphs: the whole corpus (../shared/corpus ingested into a temporary store, or
`--store DIR` for one already ingested), a synthetic graph of 5,000 nodes
(`kg.viz.synthetic`; `--nodes 0` leaves it out), and with `--year DIR` a year of digests
(../shared/corpus-extended ingested: some 30,000 nodes, drawn as an overview, see
`kg.viz.overview`) with its focus pages: `--focus NAME --depth N` and `--topic` for the largest
topic drawn in full and the largest of all (or the topics given). For each it prints the steps
of `kg viz` in-process (read the store; lay out and render the page) and a cold `kg viz` run as
a user starts it, the page's size, and the first render: seconds from navigation start until
the first screen (the network, with its search and filters) is drawn (`window.kgReadyAt`), and
until the charts below it are too (`window.kgChartsAt`), in Debian's chromium driven by
playwright, the median of 3 loads. Other work on the machine slows every column alike: rows
of one run compare. Targets: every page under 10 MB with plotly.js inlined, first render under
3 s; the year's page written by `kg viz` within 30 s.

    python bench/viz.py [--store DIR] [--corpus FOLDER] [--nodes 5000]
                        [--year DIR [--focus FlashInfer --depth 2] [--topic NAME ...]]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from techclaims.kg.mapping import digest_quads  # noqa: E402
from techclaims.kg.store import open_store  # noqa: E402
from techclaims.kg.viz.graph import Filters, filter_graph, read_graph  # noqa: E402
from techclaims.kg.viz.overview import OVERVIEW_NODES  # noqa: E402
from techclaims.kg.viz.page import make_page  # noqa: E402
from techclaims.kg.viz.synthetic import synthetic_digests  # noqa: E402
from techclaims.schema.iris import digest_iri  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGE_LIMIT_MB = 10.0
RENDER_LIMIT_S = 3.0
YEAR_LIMIT_S = 30.0


def synthetic_store(path: Path, nodes: int) -> None:
    with open_store(path) as store:
        for d in synthetic_digests(nodes):
            store.replace_graph(digest_iri(d.source), digest_quads(d))


def read(store: Path):
    start = time.perf_counter()
    with open_store(store, read_only=True) as opened:
        graph = read_graph(opened)
    return graph, time.perf_counter() - start


def measure(store: Path, out: Path, args: tuple[str, ...] = (), graph=None) -> dict:
    """Steps of the page in-process (read; lay out and render: `make_page`, as `kg viz ARGS` does),
    then a cold `kg viz ARGS` (a new process, as a user runs it)."""
    figures: dict = {}
    if graph is None:
        graph, figures["read"] = read(store)
    else:
        graph, figures["read"] = graph
    options = dict(zip(args[::2], args[1::2], strict=True))
    start = time.perf_counter()
    _, shown = make_page(
        graph,
        filters=Filters(
            topics=frozenset([options["--topic"]]) if "--topic" in options else frozenset()
        ),
        focus=options.get("--focus"),
        depth=int(options.get("--depth", 1)),
    )
    figures["page"] = time.perf_counter() - start
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "techclaims.kg.cli",
            "viz",
            "-o",
            str(out),
            "--store",
            str(store),
            *args,
        ],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    figures["cli"] = time.perf_counter() - start
    figures["nodes"], figures["edges"] = shown.number_of_nodes(), shown.number_of_edges()
    figures["overview"] = shown.number_of_nodes() > OVERVIEW_NODES and not options.get("--focus")
    figures["mb"] = out.stat().st_size / 1e6
    return figures


def topics_to_show(graph) -> list[str]:
    """The largest topic drawn in full, and the largest of all (drawn as an overview if over the limit)."""
    sizes = {
        t: filter_graph(graph, Filters(topics=frozenset([t]))).number_of_nodes()
        for t in graph.graph.get("topics", {})
    }
    full = [t for t in sizes if sizes[t] <= OVERVIEW_NODES]
    chosen = [max(full, key=lambda t: (sizes[t], t))] if full else []
    largest = max(sizes, key=lambda t: (sizes[t], t)) if sizes else None
    return chosen + ([largest] if largest and largest not in chosen else [])


def first_render(pages: list[Path], loads: int = 3) -> dict[Path, tuple[float, float] | None]:
    """Median ms from navigation start to the network drawn (`kgReadyAt`) and to every chart drawn
    (`kgChartsAt`), per page; None without chromium."""
    chromium = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        chromium = None
    if chromium is None:
        print("(no chromium or playwright here: first render not measured)")
        return dict.fromkeys(pages)
    times: dict[Path, tuple[float, float] | None] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for page_path in pages:
            found = []
            for _ in range(loads):
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(page_path.as_uri())
                page.wait_for_function(
                    "window.kgReady === true && window.kgChartsDone === true", timeout=120_000
                )
                found.append(page.evaluate("[window.kgReadyAt, window.kgChartsAt]"))
                page.close()
            times[page_path] = (
                statistics.median(f[0] for f in found),
                statistics.median(f[1] for f in found),
            )
        browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--store", type=Path, help="an ingested corpus store (default: ingest --corpus)"
    )
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument(
        "--nodes", type=int, default=5000, help="size of the synthetic graph (0: none)"
    )
    parser.add_argument("--year", type=Path, help="a store of the year (../shared/corpus-extended)")
    parser.add_argument("--focus", default="FlashInfer", help="focus page of the year's store")
    parser.add_argument("--depth", default="2")
    parser.add_argument("--topic", action="append", help="topic page(s) of the year's store")
    args = parser.parse_args()
    rows: list[tuple[str, dict, Path]] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        corpus_store = args.store
        if corpus_store is None and args.corpus.is_dir():
            corpus_store = tmp_path / "corpus-store"
            start = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "techclaims.kg.cli",
                    "ingest",
                    str(args.corpus),
                    "--store",
                    str(corpus_store),
                    "--no-progress",
                ],
                check=True,
                cwd=ROOT,
                capture_output=True,
            )
            print(
                f"(ingested {args.corpus} in {time.perf_counter() - start:.0f} s; not part of the figures)"
            )
        if corpus_store is not None:
            rows.append(
                (
                    "corpus",
                    measure(corpus_store, tmp_path / "corpus.html"),
                    tmp_path / "corpus.html",
                )
            )
        else:
            print(f"(no corpus at {args.corpus}: corpus row skipped)")
        if args.nodes:
            synthetic = tmp_path / "synthetic-store"
            synthetic_store(synthetic, args.nodes)
            rows.append(
                (
                    f"synthetic {args.nodes}",
                    measure(synthetic, tmp_path / "synthetic.html"),
                    tmp_path / "synthetic.html",
                )
            )
        if args.year is not None:
            year = read(args.year)
            pages = [("year", ())]
            pages.append(
                (
                    f"year --focus {args.focus} --depth {args.depth}",
                    ("--focus", args.focus, "--depth", args.depth),
                )
            )
            for topic in args.topic or topics_to_show(year[0]):
                pages.append((f"year --topic {topic}", ("--topic", topic)))
            for i, (name, extra) in enumerate(pages):
                out = tmp_path / f"year-{i}.html"
                rows.append((name, measure(args.year, out, extra, graph=year), out))
        renders = first_render([page for _, _, page in rows])

    print()
    import os

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{os.cpu_count()} cores, load average {load} (other work slows every column alike)")
    print(
        f"{'graph':<40} {'nodes':>6} {'links':>6} {'drawn as':>9} {'read s':>7} {'page s':>7} "
        f"{'kg viz s':>9} {'page MB':>8} {'1st render s':>13} {'all charts s':>13}"
    )
    failed = []
    for name, f, page in rows:
        shown = renders[page]
        render = f"{shown[0] / 1000:.2f}" if shown is not None else "-"
        charts = f"{shown[1] / 1000:.2f}" if shown is not None else "-"
        drawn = "overview" if f["overview"] else "in full"
        print(
            f"{name:<40} {f['nodes']:>6} {f['edges']:>6} {drawn:>9} {f['read']:>7.2f} {f['page']:>7.2f} "
            f"{f['cli']:>9.2f} {f['mb']:>8.2f} {render:>13} {charts:>13}"
        )
        if name == "corpus" or name.startswith("year"):
            if f["mb"] >= PAGE_LIMIT_MB:
                failed.append(f"{name} page {f['mb']:.1f} MB >= {PAGE_LIMIT_MB} MB")
            if shown is not None and shown[0] / 1000 >= RENDER_LIMIT_S:
                failed.append(f"{name} first render {shown[0] / 1000:.2f} s >= {RENDER_LIMIT_S} s")
        if name == "year" and f["cli"] >= YEAR_LIMIT_S:
            failed.append(f"year: kg viz took {f['cli']:.0f} s >= {YEAR_LIMIT_S:g} s")
    print(
        f"\ntargets: pages < {PAGE_LIMIT_MB:g} MB with plotly.js inlined; first render < {RENDER_LIMIT_S:g} s; "
        f"the year's page within {YEAR_LIMIT_S:g} s"
    )
    if failed:
        sys.exit("missed: " + "; ".join(failed))


if __name__ == "__main__":
    main()
