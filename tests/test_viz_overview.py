"""The overview page of a large graph (`kg.viz.overview`): every paper, the most connected names,
the rest found by the search box; and in Chromium, that the search does find the rest.

A real store of synthetic digests (`kg.viz.synthetic`, about 2,500 nodes) stands in for a year
of digests; the overview is asked for above 1,000 nodes instead of 4,000, which changes nothing
else. The year itself is measured by bench/viz.py (`--store` the year's store).
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict

import numpy as np
import pytest
from test_viz_chromium import ARGS, chromium_executable

from techclaims.kg.mapping import digest_quads
from techclaims.kg.store import open_store
from techclaims.kg.viz.graph import ENTITY_TYPES, read_graph
from techclaims.kg.viz.layout import importance
from techclaims.kg.viz.overview import (
    CALLOUTS,
    CHAR_PX,
    TOP,
    make_overview,
    name_size,
    overview_layout,
    topic_box_px,
    topic_lines,
)
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


def _callout_boxes(graph, layout) -> dict[str, tuple[float, float, float, float]]:
    """Each callout's box on the screen (px, y up), as `place_callouts` sized it."""
    out = {}
    for node, (dx, dy) in layout.callouts.items():
        x, y = (np.array(layout.pos[node]) / layout.per_px) + np.array([dx, -dy])
        half_w, half_h = (CHAR_PX * len(graph.nodes[node]["label"]) + 6) / 2, 8.5
        out[node] = (x - half_w, x + half_w, y - half_h, y + half_h)
    return out


def test_overview_callouts_name_the_most_connected_and_cover_no_marker(big_graph):
    drawn = make_overview(big_graph).graph
    layout = overview_layout(drawn)
    nodes = drawn.nodes
    names = [n for n in drawn if nodes[n]["type"] in ENTITY_TYPES]
    assert layout.callouts and set(layout.labelled) == set(layout.callouts)
    for kind, most in CALLOUTS.items():
        ranked = sorted(
            (n for n in names if nodes[n]["type"] == kind), key=lambda n: -importance(drawn, n)
        )
        named = [n for n in ranked if n in layout.callouts]
        assert 0 < len(named) <= most
        assert ranked[0] in named  # the most connected of each kind has its name written
    boxes = _callout_boxes(drawn, layout)
    listed = sorted(boxes.values())
    for i, a in enumerate(listed):  # no two callouts overlap
        assert not any(
            a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3] for b in listed[i + 1 :]
        )
    for box in boxes.values():  # and none covers the centre of a marker of a name
        for n in names:
            x, y = np.array(layout.pos[n]) / layout.per_px
            assert not (box[0] < x < box[1] and box[2] < y < box[3]), nodes[n]["label"]
    assert overview_layout(drawn).callouts == layout.callouts  # deterministic


def test_overview_topic_names_cover_no_marker_and_no_other_name(big_graph):
    """Each topic's name on the rim clears every paper dot and name marker at the scale the page
    opens at (on this graph 14 of 17 names lay over a cluster's edge when they were set on a
    circle past 97% of the papers), and no two names overlap."""
    drawn = make_overview(big_graph).graph
    layout = overview_layout(drawn)
    nodes, topics, per_px = drawn.nodes, drawn.graph.get("topics", {}), layout.per_px
    boxes = []
    for t, (x, y) in layout.topic_labels.items():
        half_w, half_h = topic_box_px(topics.get(t, t) or "(no topic)")
        cx, cy = x / per_px, y / per_px
        boxes.append((cx - half_w, cx + half_w, cy - half_h, cy + half_h))
    assert len(boxes) >= 10
    for node in drawn:
        px, py = np.array(layout.pos[node]) / per_px
        r = 2.0 if nodes[node]["type"] == "paper" else name_size(importance(drawn, node)) / 2
        for box in boxes:
            assert not (box[0] - r < px < box[1] + r and box[2] - r < py < box[3] + r), node
    listed = sorted(boxes)
    for i, a in enumerate(listed):
        assert not any(
            a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3] for b in listed[i + 1 :]
        )


def test_long_topic_names_are_written_on_two_lines(big_graph):
    """Names left and right of the picture took its width from the clusters: long ones are cut."""
    assert topic_lines("quantization") == ["quantization"]
    assert topic_lines("KV-cache compression and management") == [
        "KV-cache compression",
        "and management",
    ]
    figure = _scripts(render_page(big_graph, overview_nodes=LIMIT, charts=()))["fig-kg-network"]
    written = {a["text"] for a in figure["layout"]["annotations"]}
    long = [name for name in big_graph.graph["topics"].values() if len(topic_lines(name)) == 2]
    assert long
    for name in long:
        first, second = topic_lines(name)
        assert f"<b>{html.escape(first)}</b><br><b>{html.escape(second)}</b>" in written


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
    # Names are callouts above every marker, not marker text: each names its node in the table.
    callouts = [
        a for a in figure["layout"]["annotations"] if a.get("name", "").startswith("callout:")
    ]
    assert callouts
    for a in callouts:
        assert html.unescape(a["text"]) == labels[int(a["name"].split(":")[1])]
        assert a["showarrow"] and a["bgcolor"]
    node_traces = [t for t in figure["data"] if t.get("meta", {}).get("kind") == "node"]
    assert not any(text for t in node_traces for text in t.get("text", []))
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
    executable = chromium_executable()
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


@pytest.mark.chromium
def test_overview_callouts_follow_filters_legend_and_zoom_in_chromium(big_graph, tmp_path):
    """The callouts show at full view, go with their nodes when a filter or the legend hides them,
    and give way to names written on the markers once the view is zoomed in to a few names."""
    executable = chromium_executable()
    sync_api = pytest.importorskip("playwright.sync_api")
    page_file = tmp_path / "overview.html"
    page_file.write_text(render_page(big_graph, overview_nodes=LIMIT), encoding="utf-8")
    table = _scripts(page_file.read_text(encoding="utf-8"))["kg-data"]
    shown = (
        "() => document.getElementById('kg-network').layout.annotations"
        ".filter((a) => a.name && a.name.startsWith('callout:') && a.visible !== false)"
        ".map((a) => +a.name.slice(8))"
    )
    written = (
        "() => document.getElementById('kg-network').data"
        ".filter((t) => t.meta && t.meta.kind === 'node' && t.meta.type !== 'paper')"
        ".reduce((n, t) => n + (t.text || []).filter(Boolean).length, 0)"
    )
    types = [table["types"][t] for t in table["nodes"]["type"]]
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(page_file.as_uri())
        page.wait_for_function("window.kgReady === true", timeout=60_000)
        first = page.evaluate(shown)
        assert first and page.evaluate(written) == 0
        assert {types[i] for i in first} == {"method", "model", "hardware"}
        page.evaluate(
            "() => { const gd = document.getElementById('kg-network');"
            " const i = gd.data.findIndex((t) => t.meta && t.meta.type === 'method');"
            " return Plotly.restyle(gd, {visible: 'legendonly'}, [i]); }"
        )
        assert page.evaluate(shown) == [i for i in first if types[i] != "method"]
        page.evaluate(
            "() => { const gd = document.getElementById('kg-network');"
            " const i = gd.data.findIndex((t) => t.meta && t.meta.type === 'method');"
            " return Plotly.restyle(gd, {visible: true}, [i]); }"
        )
        assert page.evaluate(shown) == first
        # A digest's papers alone: only the names they link to keep their callouts.
        page.select_option("#kg-digest", index=1)
        kept = page.evaluate("() => window.kgVisibleCount()")
        assert kept < len(types)
        assert set(page.evaluate(shown)) < set(first)
        page.select_option("#kg-digest", index=0)
        assert page.evaluate(shown) == first
        # Zoomed in on one name: the callouts give way to the names on the markers.
        index = first[0]
        page.evaluate(
            "(i) => { const gd = document.getElementById('kg-network');"
            " const t = gd.data.find((t) => t.meta && t.meta.kind === 'node' && t.customdata.includes(i));"
            " const j = t.customdata.indexOf(i), x = t.x[j], y = t.y[j], w = 0.5;"
            " return Plotly.relayout(gd, {'xaxis.range': [x - w, x + w], 'yaxis.range': [y - w, y + w]}); }",
            index,
        )
        assert page.evaluate(shown) == [] and page.evaluate(written) > 0
        browser.close()
    assert not errors
