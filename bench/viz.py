"""Graph pages: time to write the page, its size, and its first render in headless Chromium.

Two graphs: the whole corpus (../shared/corpus ingested into a temporary store, or
`--store DIR` for one already ingested) and a synthetic graph of 5,000 nodes
(`kg.viz.synthetic`). For each it prints the steps of `kg viz` in-process (read the
store, lay out, render) and a cold `kg viz` run as a user starts it, the page's size, and
the first render: seconds from navigation start until the first screen (the network, with
its search and filters) is drawn (`window.kgReadyAt`), and until the charts below it are too
(`window.kgChartsAt`), in Debian's chromium driven by playwright, the median of 3 loads.
Targets: the corpus page under 10 MB with plotly.js inlined, first render under 3 s.

    python bench/viz.py [--store DIR] [--corpus FOLDER] [--nodes 5000]
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
from techclaims.kg.viz.graph import read_graph  # noqa: E402
from techclaims.kg.viz.layout import compute_layout  # noqa: E402
from techclaims.kg.viz.page import render_page  # noqa: E402
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


def synthetic_store(path: Path, nodes: int) -> None:
    with open_store(path) as store:
        for d in synthetic_digests(nodes):
            store.replace_graph(digest_iri(d.source), digest_quads(d))


def measure(store: Path, out: Path) -> dict:
    """Steps of the page in-process, then a cold `kg viz` (a new process, as a user runs it)."""
    figures: dict = {}
    start = time.perf_counter()
    with open_store(store, read_only=True) as opened:
        graph = read_graph(opened)
    figures["read"] = time.perf_counter() - start
    start = time.perf_counter()
    layout = compute_layout(graph)
    figures["layout"] = time.perf_counter() - start
    start = time.perf_counter()
    render_page(graph, layout=layout)
    figures["render"] = time.perf_counter() - start
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "techclaims.kg.cli", "viz", "-o", str(out), "--store", str(store)],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    figures["cli"] = time.perf_counter() - start
    figures["nodes"], figures["edges"] = graph.number_of_nodes(), graph.number_of_edges()
    figures["mb"] = out.stat().st_size / 1e6
    return figures


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
    parser.add_argument("--nodes", type=int, default=5000, help="size of the synthetic graph")
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
        synthetic = tmp_path / "synthetic-store"
        synthetic_store(synthetic, args.nodes)
        rows.append(
            (
                f"synthetic {args.nodes}",
                measure(synthetic, tmp_path / "synthetic.html"),
                tmp_path / "synthetic.html",
            )
        )
        renders = first_render([page for _, _, page in rows])

    print()
    print(
        f"{'graph':<16} {'nodes':>6} {'links':>6} {'read s':>7} {'layout s':>9} {'render s':>9} "
        f"{'kg viz s':>9} {'page MB':>8} {'1st render s':>13} {'all charts s':>13}"
    )
    failed = []
    for name, f, page in rows:
        shown = renders[page]
        render = f"{shown[0] / 1000:.2f}" if shown is not None else "-"
        charts = f"{shown[1] / 1000:.2f}" if shown is not None else "-"
        print(
            f"{name:<16} {f['nodes']:>6} {f['edges']:>6} {f['read']:>7.2f} {f['layout']:>9.2f} "
            f"{f['render']:>9.2f} {f['cli']:>9.2f} {f['mb']:>8.2f} {render:>13} {charts:>13}"
        )
        if name == "corpus":
            if f["mb"] >= PAGE_LIMIT_MB:
                failed.append(f"corpus page {f['mb']:.1f} MB >= {PAGE_LIMIT_MB} MB")
            if shown is not None and shown[0] / 1000 >= RENDER_LIMIT_S:
                failed.append(f"corpus first render {shown[0] / 1000:.2f} s >= {RENDER_LIMIT_S} s")
    print(
        f"\ntargets: corpus page < {PAGE_LIMIT_MB:g} MB with plotly.js inlined; first render < {RENDER_LIMIT_S:g} s"
    )
    if failed:
        sys.exit("missed: " + "; ".join(failed))


if __name__ == "__main__":
    main()
