"""Graph pages and network exports: the example digests ingested for real, and small hand-made records.

The page itself is opened in a browser by test_viz_chromium.py; here we check what goes into it.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from conftest import kg
from records_factory import digest, paper

from techclaims.kg.errors import UsageError
from techclaims.kg.mapping import digest_quads
from techclaims.kg.sparql import load
from techclaims.kg.store import open_store
from techclaims.kg.viz import CHART_NAMES
from techclaims.kg.viz.charts import CHARTS, paper_month
from techclaims.kg.viz.graph import (
    RELATIONS,
    Filters,
    filter_graph,
    find_node,
    focus_graph,
    read_graph,
)
from techclaims.kg.viz.layout import compute_layout
from techclaims.kg.viz.page import render_page
from techclaims.schema.iris import digest_iri
from techclaims.schema.records import Claim, Entity, Span

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "digests"
_STORES: dict[str, Path] = {}


def ingested_examples(tmp_path_factory) -> Path:
    """`kg ingest examples/digests` into a store, once per test run (test_viz_chromium.py shares it)."""
    if "examples" not in _STORES:
        store = tmp_path_factory.mktemp("viz-examples") / "store"
        done = kg("ingest", EXAMPLES, "--store", store, check=False)
        if done.returncode != 0 and re.search(
            r"(ModuleNotFoundError|ImportError).*ingest\.nlp", done.stderr
        ):
            pytest.skip(
                f"the ingest pipeline is not importable yet: {done.stderr.strip().splitlines()[-1]}"
            )
        assert done.returncode == 0, done.stderr
        _STORES["examples"] = store
    return _STORES["examples"]


@pytest.fixture(scope="module")
def example_store(tmp_path_factory) -> Path:
    return ingested_examples(tmp_path_factory)


@pytest.fixture(scope="module")
def example_graph(example_store) -> nx.MultiDiGraph:
    with open_store(example_store, read_only=True) as store:
        return read_graph(store)


def _records_store(path: Path, *digests) -> nx.MultiDiGraph:
    with open_store(path) as store:
        for d in digests:
            store.replace_graph(digest_iri(d.source), digest_quads(d))
        return read_graph(store)


# -- the graph --------------------------------------------------------------


def test_graph_holds_every_paper_entity_and_claim_of_the_store(example_store, example_graph):
    with open_store(example_store, read_only=True) as store:
        row = next(iter(store.query(load("stats"))))
        labels = {
            r["e"].value: r["l"].value
            for r in store.query(
                "SELECT ?e ?l WHERE { ?e a ?c ; skos:prefLabel ?l VALUES ?c { kg:Method kg:Model kg:Hardware } }"
            )
        }
    types = nx.get_node_attributes(example_graph, "type")
    for kind, column in (
        ("paper", "papers"),
        ("claim", "claims"),
        ("method", "methods"),
        ("model", "models"),
        ("hardware", "hardware"),
    ):
        assert sum(1 for t in types.values() if t == kind) == int(row[column].value), kind
    assert labels and all(example_graph.nodes[e]["label"] == label for e, label in labels.items())
    assert {k for _, _, k in example_graph.edges(keys=True)} <= set(RELATIONS)
    for node, data in example_graph.nodes(data=True):
        if data["type"] == "claim":
            assert data["unit"] in ("x", "%") and data["evidence"] and math.isfinite(data["value"])
            assert example_graph.has_edge(data["paper"], node, key="reports")
        if data["type"] == "paper":
            assert data["title"] and data["digests"]


def _hand_made(tmp_path) -> nx.MultiDiGraph:
    """Three papers: serving on an A100-80GB (6.2x), quantization on an H100 (1.5x), one without claims."""
    fast = paper("2501.00001", "Fast: serving", method="FastServe", value=6.2)
    slow = paper("2501.00002", "Slow: quantization", method="SlowQuant", value=1.5).model_copy(
        update={
            "entities": (
                Entity(type="METHOD", name="SlowQuant", role="proposed"),
                Entity(type="HARDWARE", name="H100"),
            ),
            "claims": (
                Claim(
                    value=1.5,
                    unit="x",
                    method="SlowQuant",
                    hardware="H100",
                    evidence="1.5x faster",
                    span=Span(start=0, end=10),
                ),
                Claim(
                    value=30,
                    unit="%",
                    method="SlowQuant",
                    evidence="30% less memory",
                    span=Span(start=11, end=20),
                ),
            ),
            "topics": ("quantization",),
        }
    )
    quiet = paper("2501.00003", "Quiet", method="Quiet").model_copy(
        update={
            "entities": (Entity(type="METHOD", name="Quiet", role="proposed"),),
            "claims": (),
            "topics": (),
        }
    )
    fast = fast.model_copy(update={"topics": ("serving",)})
    return _records_store(tmp_path / "s", digest("a.md", (fast, quiet)), digest("b.md", (slow,)))


def test_filters_keep_papers_that_pass_and_what_they_link_to(tmp_path):
    graph = _hand_made(tmp_path)
    assert filter_graph(graph, Filters()) is graph

    def titles(g):
        return sorted(d["title"] for _, d in g.nodes(data=True) if d["type"] == "paper")

    assert titles(filter_graph(graph, Filters(topics=frozenset({"Serving and Scheduling"})))) == [
        "Fast: serving"
    ]
    assert titles(filter_graph(graph, Filters(hardware=frozenset({"a100"})))) == [
        "Fast: serving"
    ]  # A100-80GB
    assert titles(filter_graph(graph, Filters(digests=frozenset({"b.md"})))) == [
        "Slow: quantization"
    ]
    kept = filter_graph(graph, Filters(min_speedup=2))
    assert titles(kept) == ["Fast: serving"]
    assert all(d["best"] >= 2 for _, d in kept.nodes(data=True) if d["type"] == "claim")
    assert {d["label"] for _, d in kept.nodes(data=True) if d["type"] == "method"} >= {
        "FastServe",
        "vLLM",
    }
    assert "SlowQuant" not in {d["label"] for _, d in kept.nodes(data=True)}
    only = filter_graph(graph, Filters(types=frozenset({"paper", "hardware"})))
    assert {d["type"] for _, d in only.nodes(data=True)} == {"paper", "hardware"}
    with pytest.raises(UsageError, match="unknown node type"):
        filter_graph(graph, Filters(types=frozenset({"papers"})))


def _hub(graph: nx.MultiDiGraph) -> tuple[str, str]:
    """The method with the most links, and its name."""
    hub = max(
        (n for n, d in graph.nodes(data=True) if d["type"] == "method"),
        key=lambda n: (graph.degree(n), n),
    )
    return hub, graph.nodes[hub]["label"]


def test_focus_draws_one_neighbourhood(example_graph):
    hub, name = _hub(example_graph)
    assert find_node(example_graph, name.upper().replace("-", " ")) == hub
    assert list(focus_graph(example_graph, name, 0)) == [hub]
    near = focus_graph(example_graph, name, 1)
    assert set(near) == {hub, *nx.all_neighbors(example_graph, hub)} and near.graph["focus"] == hub
    assert len(focus_graph(example_graph, name, 2)) >= len(near)
    with pytest.raises(UsageError, match="did you mean"):
        focus_graph(example_graph, name + "zz", 1)


# -- layout -----------------------------------------------------------------


def test_layout_is_deterministic_and_spreads_nodes(example_graph):
    first = compute_layout(example_graph)
    assert (
        first.pos == compute_layout(example_graph).pos
        and first.labelled == compute_layout(example_graph).labelled
    )
    assert set(first.pos) == set(example_graph)
    points = list(first.pos.values())
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in points)
    assert len(set(points)) == len(points)  # no two nodes on the same spot
    assert first.labelled and set(first.labelled) <= set(example_graph)
    assert first.topic_labels  # topic names on the rim

    hub, name = _hub(example_graph)
    focused = compute_layout(focus_graph(example_graph, name, 2))
    assert focused.pos[hub] == (0.0, 0.0) and not focused.topic_labels


def test_layout_reads_at_corpus_scale(tmp_path):
    """~1,500 synthetic nodes: few names on the picture, the most used one among them; it takes seconds."""
    import time

    from techclaims.kg.viz.layout import importance
    from techclaims.kg.viz.synthetic import synthetic_digests

    graph = _records_store(tmp_path / "s", *synthetic_digests(1500))
    assert 1500 <= len(graph) <= 1700
    started = time.perf_counter()
    layout = compute_layout(graph)
    assert time.perf_counter() - started < 20
    assert 20 <= len(layout.labelled) <= 70
    top = max(graph, key=lambda n: (importance(graph, n), n))
    assert top in layout.labelled  # the most used node is named


# -- charts and page --------------------------------------------------------


def test_charts_show_every_claim_with_its_evidence(example_graph):
    assert tuple(CHARTS) == CHART_NAMES
    by_topic = CHARTS["speedup-by-topic"](example_graph)
    factors = [t for t in by_topic.data if t.xaxis == "x"]
    expected = sum(
        len(d_p["topics"])
        for n, d in example_graph.nodes(data=True)
        if d["type"] == "claim" and d["unit"] == "x"
        for d_p in [example_graph.nodes[d["paper"]]]
    )
    assert sum(len(t.x) for t in factors) == expected > 0
    assert by_topic.layout.xaxis.type == "log"
    evidence = next(
        d["evidence"] for _, d in example_graph.nodes(data=True) if d["type"] == "claim"
    )
    hovers = " ".join(h for t in by_topic.data for h in t.hovertext)
    assert evidence[:12].replace("<", "&lt;") in hovers.replace("<br>", "")
    matrix = CHARTS["method-hardware"](example_graph)
    if matrix.data:
        best = max(v for row in matrix.data[0].z for v in row if v is not None)
        top = max(
            d["best"]
            for _, d in example_graph.nodes(data=True)
            if d["type"] == "claim" and d["best"] and d["method"]
        )
        assert 0 < best <= math.log10(top) + 1e-9
    months = CHARTS["papers-per-month"](example_graph)
    dated = sum(  # by date, else by the month of the arXiv id
        max(1, len(d["topics"]))
        for _, d in example_graph.nodes(data=True)
        if d["type"] == "paper" and paper_month(d)
    )
    assert sum(sum(t.y) for t in months.data) == dated


def _scripts(page: str) -> dict[str, object]:
    found = re.findall(r'<script type="application/json" id="([^"]+)">(.*?)</script>', page, re.S)
    return {name: json.loads(text) for name, text in found}


def test_page_is_self_contained_deterministic_and_small(example_store, tmp_path):
    one, two = tmp_path / "one.html", tmp_path / "two.html"
    done = kg("viz", "-o", one, "--store", example_store)
    assert "nodes" in done.stdout
    kg("viz", "-o", two, "--store", example_store)
    assert one.read_bytes() == two.read_bytes()
    page = one.read_text(encoding="utf-8")
    assert one.stat().st_size < 10_000_000
    assert "plotly.js v" in page[:20000]  # the library itself, inlined
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|<img[^>]+src=|@import", page)
    data = _scripts(page)
    assert set(data) == {"fig-kg-network", "kg-data", *(f"fig-{name}" for name in CHART_NAMES)}
    network = data["fig-kg-network"]
    names = {t["meta"]["type"] for t in network["data"] if t.get("meta", {}).get("kind") == "node"}
    assert names == {"paper", "method", "model", "hardware", "claim"}
    table = data["kg-data"]
    assert len(table["nodes"]["label"]) == sum(
        len(t["customdata"]) for t in network["data"] if t.get("meta", {}).get("kind") == "node"
    )


def test_page_hover_tells_name_type_topics_and_claim_details(example_graph):
    page = render_page(example_graph, charts=())
    hovers = [h for t in _scripts(page)["fig-kg-network"]["data"] for h in t.get("hovertext") or []]
    claim = next(
        d for _, d in sorted(example_graph.nodes(data=True)) if d["type"] == "claim" and d["method"]
    )
    text = next(h for h in hovers if h.startswith(f"<b>{claim['label']}</b>"))
    assert claim["method"] in text and "“" in text and "paper:" in text
    assert any("<br>method" in h for h in hovers) and any("topics:" in h for h in hovers)


def test_cli_viz_one_chart_focus_and_mistakes(example_store, example_graph, tmp_path):
    out = tmp_path / "chart.html"
    kg("viz", "-o", out, "--store", example_store, "--chart", "speedup-by-hardware")
    assert set(_scripts(out.read_text(encoding="utf-8"))) == {"fig-speedup-by-hardware"}
    hub, name = _hub(example_graph)
    kg(
        "viz",
        "-o",
        out,
        "--store",
        example_store,
        "--focus",
        name.lower(),
        "--depth",
        "1",
        "--chart",
        "network",
    )
    table = _scripts(out.read_text(encoding="utf-8"))["kg-data"]
    assert len(table["nodes"]["label"]) == len(focus_graph(example_graph, name, 1))
    assert table["nodes"]["label"][table["focus"]] == name
    for args, message in (
        (("--depth", "2"), "--depth goes with --focus"),
        (("--focus", "no such thing at all"), "no method, model, hardware or paper"),
        (("--chart", "pie"), "Invalid value"),
    ):
        done = kg("viz", "-o", out, "--store", example_store, *args, check=False)
        assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


def test_viz_never_imports_spacy(example_store, tmp_path):
    code = (
        "import sys; from click.testing import CliRunner; from techclaims.kg.cli import main; "
        f"r = CliRunner().invoke(main, ['viz', '-o', {str(tmp_path / 'p.html')!r}, '--store', {str(example_store)!r}]); "
        "assert r.exit_code == 0, r.output; assert 'spacy' not in sys.modules, 'spacy imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=300)


# -- exports ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_exports_open_in_networkx(example_store, example_graph, tmp_path, fmt):
    out = tmp_path / f"graph.{fmt}"
    kg("export", "--format", fmt, "-o", out, "--store", example_store)
    read = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert set(read) == set(example_graph)
    assert read.number_of_edges() == example_graph.number_of_edges()
    for node, data in example_graph.nodes(data=True):
        assert (
            read.nodes[node]["type"] == data["type"] and read.nodes[node]["label"] == data["label"]
        )
        if data["type"] == "claim":
            assert read.nodes[node]["value"] == pytest.approx(data["value"])
            assert (
                read.nodes[node]["evidence"] == data["evidence"]
                and read.nodes[node]["unit"] == data["unit"]
            )
    assert {d["relation"] for _, _, d in read.edges(data=True)} <= set(RELATIONS)
