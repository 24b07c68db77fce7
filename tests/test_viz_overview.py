"""The overview page of a large graph (`kg.viz.overview`): every paper, the most connected names,
the rest found by the search box; and in Chromium, that the search does find the rest.

A real store of synthetic digests (`kg.viz.synthetic`, about 2,500 nodes) stands in for a year
of digests; the overview is asked for above 1,000 nodes instead of 4,000, which changes nothing
else. The year itself is measured by bench/viz.py (`--store` the year's store).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict

import numpy as np
import pytest
from test_viz_chromium import ARGS, _chromium

from techclaims.kg.mapping import digest_quads
from techclaims.kg.store import open_store
from techclaims.kg.viz.graph import ENTITY_TYPES, read_graph
from techclaims.kg.viz.overview import TOP, make_overview, overview_layout
from techclaims.kg.viz.page import make_page, render_page
from techclaims.kg.viz.synthetic import synthetic_digests
from techclaims.schema.iris import digest_iri

LIMIT = 1000


@pytest.fixture(scope="module")
def big_graph(tmp_path_factory):
    store = tmp_path_factory.mktemp("overview") / "store"
    with open_store(store) as opened:
        for digest in synthetic_digests(2500):
            opened.replace_graph(digest_iri(digest.source), digest_quads(digest))
    with open_store(store, read_only=True) as opened:
        graph = read_graph(opened)
    assert graph.number_of_nodes() > LIMIT
    return graph


def _scripts(page: str) -> dict[str, object]:
    found = re.findall(r'<script type="application/json" id="([^"]+)">(.*?)</script>', page, re.S)
    return {name: json.loads(text) for name, text in found}


def _papers(graph, node) -> set[str]:
    nodes = graph.nodes
    out = set()
    for n in set(graph.predecessors(node)) | set(graph.successors(node)):
        if nodes[n]["type"] == "paper":
            out.add(n)
        elif nodes[n]["type"] == "claim":
            out.add(nodes[n]["paper"])
    return out


def test_overview_draws_every_paper_and_the_most_connected_names(big_graph):
    overview = make_overview(big_graph)
    drawn = overview.graph
    nodes = big_graph.nodes
    papers = {n for n in big_graph if nodes[n]["type"] == "paper"}
    assert {n for n in drawn if drawn.nodes[n]["type"] == "paper"} == papers
    assert not any(drawn.nodes[n]["type"] == "claim" for n in drawn)
    tail = dict(overview.tail)
    for kind in ENTITY_TYPES:
        shown = [n for n in drawn if drawn.nodes[n]["type"] == kind]
        hidden = [n for n in tail if nodes[n]["type"] == kind]
        assert 0 < len(shown) <= TOP[kind]
        # The drawn ones are the most connected: none left out has more papers than one drawn.
        if hidden:
            assert min(len(_papers(big_graph, n)) for n in shown) >= max(
                len(_papers(big_graph, n)) for n in hidden
            )
    # Every name with a paper is drawn or searchable, and a hidden one keeps all its papers.
    for node in big_graph:
        if nodes[node]["type"] in ENTITY_TYPES and _papers(big_graph, node):
            assert (node in drawn) != (node in tail)
    for node, linked in tail.items():
        assert set(linked) == _papers(big_graph, node)


def test_overview_layout_gathers_papers_by_topic_and_keeps_names_apart(big_graph):
    drawn = make_overview(big_graph).graph
    layout = overview_layout(drawn)
    nodes = drawn.nodes
    by_topic = defaultdict(list)
    for n in drawn:
        if nodes[n]["type"] == "paper" and len(nodes[n]["topics"]) == 1:
            by_topic[nodes[n]["topics"][0]].append(np.array(layout.pos[n]))
    centres = {t: np.mean(ps, axis=0) for t, ps in by_topic.items()}
    near_own = [
        min(centres, key=lambda c: np.linalg.norm(p - centres[c])) == t
        for t, ps in by_topic.items()
        for p in ps
    ]
    assert sum(near_own) / len(near_own) > 0.95  # a one-topic paper sits in its topic's cluster
    names = [np.array(layout.pos[n]) for n in drawn if nodes[n]["type"] in ENTITY_TYPES]
    closest = min(np.linalg.norm(a - b) for i, a in enumerate(names) for b in names[i + 1 :])
    assert closest > 0.5  # no two names on top of each other
    assert layout.labelled and all(nodes[n]["type"] in ENTITY_TYPES for n in layout.labelled)
    assert set(layout.topic_labels) >= set(by_topic)
    assert overview_layout(drawn).pos == layout.pos  # the same graph, the same picture


def test_overview_page_holds_the_tail_for_search_and_is_deterministic(big_graph):
    page = render_page(big_graph, overview_nodes=LIMIT)
    assert page == render_page(big_graph, overview_nodes=LIMIT)
    scripts = _scripts(page)
    table, figure = scripts["kg-data"], scripts["fig-kg-network"]
    labels = table["nodes"]["label"]
    assert len(labels) == make_overview(big_graph).graph.number_of_nodes()
    tail = table["tail"]
    assert len(tail["label"]) == len(make_overview(big_graph).tail) > 0
    types = [table["types"][t] for t in table["nodes"]["type"]]
    assert all(types[i] == "paper" for papers in tail["papers"] for i in papers)
    # Papers are one WebGL trace whose hover texts the page makes from the table.
    paper_trace = next(t for t in figure["data"] if t.get("meta", {}).get("type") == "paper")
    assert paper_trace["type"] == "scattergl" or len(paper_trace["x"]) <= 1500
    assert paper_trace["meta"]["hoverFromTable"] and "hovertext" not in paper_trace
    # The links start hidden; the note says what is left out.
    edges = [t for t in figure["data"] if t.get("meta", {}).get("kind") == "edge"]
    assert edges and all(t.get("visible") == "legendonly" for t in edges)
    assert 'class="overview"' in page and "kg viz --focus NAME" in page
    # A small graph is drawn node by node, as before.
    assert "tail" not in _scripts(render_page(big_graph))["kg-data"]


def test_focus_and_topic_pages_are_drawn_in_full(big_graph):
    hub = max(
        (n for n in big_graph if big_graph.nodes[n]["type"] == "method"),
        key=lambda n: (len(_papers(big_graph, n)), n),
    )
    text, shown = make_page(
        big_graph, focus=big_graph.nodes[hub]["label"], depth=1, overview_nodes=10
    )
    table = _scripts(text)["kg-data"]
    assert "tail" not in table and len(table["nodes"]["label"]) == shown.number_of_nodes()
    from techclaims.kg.viz.graph import Filters

    topic = sorted(big_graph.graph["topics"])[0]
    text, shown = make_page(big_graph, filters=Filters(topics=frozenset([topic])))
    table = _scripts(text)["kg-data"]
    assert "tail" not in table and len(table["nodes"]["label"]) == shown.number_of_nodes()
    assert any(t == table["types"].index("claim") for t in table["nodes"]["type"])


@pytest.mark.chromium
def test_overview_in_chromium_finds_a_name_it_does_not_draw(big_graph, tmp_path):
    executable = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    page_file = tmp_path / "overview.html"
    page_file.write_text(render_page(big_graph, overview_nodes=LIMIT), encoding="utf-8")
    table = _scripts(page_file.read_text(encoding="utf-8"))["kg-data"]
    tail = table["tail"]
    hidden = next(i for i, papers in enumerate(tail["papers"]) if len(papers) >= 1)
    name = tail["label"][hidden]
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(page_file.as_uri())
        page.wait_for_function("window.kgReady === true", timeout=60_000)
        found = page.evaluate("(q) => window.kgSearch(q)", name)
        assert found == -2 - hidden  # the tail's own entry
        status = page.locator("#kg-status").inner_text()
        assert name in status and "circled" in status
        ring = page.evaluate(
            "() => { const gd = document.getElementById('kg-network');"
            " const i = gd.data.findIndex((t) => t.meta && t.meta.kind === 'highlight');"
            " return gd.data[i].x.length; }"
        )
        assert ring == len(tail["papers"][hidden])
        assert name in page.locator("#kg-details").inner_text()
        # A drawn name still circles its own node; the paper dots have their hover texts.
        drawn = next(
            label
            for label, t in zip(table["nodes"]["label"], table["nodes"]["type"], strict=True)
            if table["types"][t] == "method"
        )
        assert page.evaluate("(q) => window.kgSearch(q)", drawn) >= 0
        hovers = page.evaluate(
            "() => { const gd = document.getElementById('kg-network');"
            " const t = gd.data.find((t) => t.meta && t.meta.type === 'paper');"
            " return [t.hovertext.length, t.hovertext[0]]; }"
        )
        assert hovers[0] == sum(1 for t in table["nodes"]["type"] if table["types"][t] == "paper")
        assert "paper" in hovers[1] and "<b>" in hovers[1]
        browser.close()
    assert not errors
