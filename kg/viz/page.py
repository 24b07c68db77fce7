"""Plotly figures -> one self-contained HTML page (plotly.js inlined; opens from file:// with no network).

`network_figure` draws the graph from `kg.viz.graph` at the positions of `kg.viz.layout`:
a trace per node type (so the legend toggles types) and per relation, node size by degree,
names on the nodes that matter most, everything else on hover. `render_page` puts it in
a page with a search box, filters (topic, hardware, digest, minimum speed-up) and the charts
of `kg.viz.charts`. Nothing in the page depends on the time or on chance: the same graph
gives the same bytes.
"""

from __future__ import annotations

import html
import json
import math
from collections import Counter

import networkx as nx
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from techclaims.kg.viz import assets
from techclaims.kg.viz.charts import CHARTS, FONT, base_layout
from techclaims.kg.viz.graph import NODE_TYPES, RELATIONS
from techclaims.kg.viz.hover import node_text
from techclaims.kg.viz.layout import Layout, compute_layout, importance
from techclaims.kg.viz.overview import (
    CALLOUT_FONT,
    OVERVIEW_NODES,
    Overview,
    make_overview,
    name_size,
    overview_layout,
    topic_lines,
    wants_overview,
)

#: type -> (legend name, colour, marker symbol, smallest size)
NODE_STYLE = {
    "paper": ("papers", "#4c78a8", "circle", 6),
    "method": ("methods", "#f58518", "circle", 6),
    "model": ("models", "#54a24b", "square", 6),
    "hardware": ("hardware", "#e45756", "diamond", 7),
    "claim": ("claims", "#b279a2", "triangle-up", 5),
}
#: relation -> (legend name, colour, dash, drawn at first)
EDGE_STYLE = {
    "proposes": ("proposes", "rgba(245,133,24,0.55)", "solid", True),
    "comparesWith": ("compares with", "rgba(120,120,120,0.35)", "dot", True),
    "usesMethod": ("uses method", "rgba(120,120,120,0.30)", "solid", True),
    "evaluatesModel": ("evaluates model", "rgba(84,162,75,0.22)", "solid", True),
    "usesHardware": ("uses hardware", "rgba(228,87,86,0.28)", "solid", True),
    "reports": ("reports claim", "rgba(178,121,162,0.45)", "solid", True),
    "aboutMethod": ("claim about", "rgba(178,121,162,0.35)", "solid", False),
    "baseline": ("claim baseline", "rgba(178,121,162,0.35)", "dash", False),
    "onModel": ("claim on model", "rgba(84,162,75,0.35)", "dot", False),
    "onHardware": ("claim on hardware", "rgba(228,87,86,0.35)", "dot", False),
    "broader": ("narrower than", "rgba(228,87,86,0.6)", "dash", True),
}
PAGE_CHARTS = tuple(CHARTS)
#: A node trace with more points than this is drawn with WebGL (`scattergl`): SVG slows down past it.
GL_POINTS = 1500


def _topic_text(graph: nx.MultiDiGraph, topics: dict[str, str], topic: str) -> list[str]:
    """A topic's name as the network writes it: one line, or two in an overview (`topic_lines`)."""
    name = topics.get(topic, topic) if topic else "(no topic)"
    return topic_lines(name) if graph.graph.get("overview") else [name]


def _size(graph: nx.MultiDiGraph, node: str) -> float:
    """Marker size: grows with the square root of how many papers use the node (or its links).

    In an overview (`kg.viz.overview`) a paper is a small dot of one size: there are thousands.
    """
    data = graph.nodes[node]
    base = NODE_STYLE[data["type"]][3]
    if graph.graph.get("overview"):
        return 4.0 if data["type"] == "paper" else name_size(importance(graph, node))
    if data["type"] == "claim":
        best = data.get("best") or 1.0
        return round(base + 1.5 * math.log2(max(1.0, best)), 2)
    return round(min(42.0, base + 2.6 * math.sqrt(max(importance(graph, node), 0.0))), 2)


def network_figure(
    graph: nx.MultiDiGraph, layout: Layout, index: dict[str, int] | None = None, title: str = ""
) -> go.Figure:
    """The graph as a plotly figure: a trace per relation (lines), per node type (markers), and the highlight.

    An overview (`graph.graph["overview"]`, see `kg.viz.overview`) starts with its links hidden
    (thousands of lines from papers to the hubs hide the clusters; a click shows a node's own),
    and a node trace of more than `GL_POINTS` points is drawn with WebGL.
    """
    index = index or {n: i for i, n in enumerate(sorted(graph))}
    overview = bool(graph.graph.get("overview"))
    topics = graph.graph.get("topics", {})
    pos = layout.pos
    fig = go.Figure()
    for relation in RELATIONS:
        edges = sorted((u, v) for u, v, k in graph.edges(keys=True) if k == relation)
        if not edges:
            continue
        name, color, dash, shown = EDGE_STYLE[relation]
        xs: list[float | None] = []
        ys: list[float | None] = []
        for u, v in edges:
            xs += [pos[u][0], pos[v][0], None]
            ys += [pos[u][1], pos[v][1], None]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                name=f"{name} ({len(edges)})",
                line={"color": color, "width": 0.8, "dash": dash},
                hoverinfo="skip",
                legendgroup="links",
                legendgrouptitle_text="links",
                visible=True if shown and not overview else "legendonly",
                meta={"kind": "edge", "relation": relation},
            )
        )
    # An overview writes its names as callouts (annotations, drawn above every marker), not as
    # marker text, which the next trace's markers would cover.
    labelled = set() if layout.callouts else set(layout.labelled)
    for kind in NODE_TYPES:
        nodes = sorted(
            (n for n in graph if graph.nodes[n]["type"] == kind), key=lambda n: (_size(graph, n), n)
        )  # big ones drawn last, on top
        if not nodes:
            continue
        name, color, symbol, _ = NODE_STYLE[kind]
        many = len(nodes) > GL_POINTS
        brief = overview and kind == "paper"
        fig.add_trace(
            (go.Scattergl if many else go.Scatter)(
                x=[pos[n][0] for n in nodes],
                y=[pos[n][1] for n in nodes],
                mode="markers+text",
                name=f"{name} ({len(nodes)})",
                customdata=[index[n] for n in nodes],
                text=[graph.nodes[n]["label"] if n in labelled else "" for n in nodes],
                textposition="top center",
                textfont={"size": 11, "color": "#222"},
                # An overview's thousands of papers get their hover text in the page, from the node
                # table (`paperHover` in kg.viz.assets): written out here it would be 1.5 MB more.
                hovertext=None if brief else [node_text(graph, n, topics) for n in nodes],
                hoverinfo="text",
                marker={
                    "size": [_size(graph, n) for n in nodes],
                    "color": color,
                    "symbol": symbol,
                    "line": {"width": 0 if brief else 0.6, "color": "white"},
                    "opacity": 0.55 if brief else 0.9,
                },
                legendgroup="nodes",
                legendgrouptitle_text="nodes (click to hide)",
                meta={"kind": "node", "type": kind, "name": name, "hoverFromTable": brief},
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[],
            y=[],
            mode="lines",
            name="found links",
            showlegend=False,
            hoverinfo="skip",
            line={"width": 1.6, "color": "rgba(11,99,197,0.7)"},
            meta={"kind": "highlight-links"},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[],
            y=[],
            mode="markers",
            name="found",
            showlegend=False,
            hoverinfo="skip",
            marker={
                "size": [],
                "color": "#0b63c5",  # an open symbol's ring is drawn in the marker's colour
                "symbol": "circle-open",
                "line": {"width": 3, "color": "#0b63c5"},
            },
            meta={"kind": "highlight"},
        )
    )
    if (
        layout.topic_labels
    ):  # invisible points at both ends of each topic name keep it inside the view
        xs_all = [p[0] for p in pos.values()]
        unit = (max(xs_all) - min(xs_all) or 1.0) / 850
        ends = [
            (x + side * 4.8 * max(map(len, _topic_text(graph, topics, t))) * unit, y)
            for t, (x, y) in sorted(layout.topic_labels.items())
            for side in (-1, 1)
        ]
        fig.add_trace(
            go.Scatter(
                x=[e[0] for e in ends],
                y=[e[1] for e in ends],
                mode="markers",
                marker={"opacity": 0, "size": 1},
                hoverinfo="skip",
                showlegend=False,
                meta={"kind": "frame"},
            )
        )
    annotations = [
        {
            "x": x,
            "y": y,
            "text": "<br>".join(
                f"<b>{html.escape(line)}</b>" for line in _topic_text(graph, topics, t)
            ),
            "showarrow": False,
            "font": {"size": 14, "color": "#555"},
            "bgcolor": "rgba(255,255,255,0.75)",
            "borderpad": 2,
        }
        for t, (x, y) in sorted(layout.topic_labels.items())
    ]
    annotations += _callouts(graph, layout, index)
    layout_dict = base_layout(title, "", 820)
    layout_dict["margin"] = {"l": 5, "r": 5, "t": 40 if title else 10, "b": 5}
    fig.update_layout(
        **layout_dict,
        annotations=annotations,
        hovermode="closest",
        dragmode="pan",
        legend={
            "itemsizing": "constant",
            "groupclick": "toggleitem",
            "font": {"size": 12},
            "tracegroupgap": 6,
            "bgcolor": "rgba(255,255,255,0.85)",
        },
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x", "scaleratio": 1},
        uirevision="kg",
    )
    return fig


def _callouts(graph: nx.MultiDiGraph, layout: Layout, index: dict[str, int]) -> list[dict]:
    """An overview's names (`kg.viz.overview.place_callouts`): a boxed name at its offset from the
    marker, a thin line in the kind's colour to the marker's edge. `name` ("callout:<node
    index>") lets the page's script hide a callout with its node (filters, legend, zoom)."""
    out = []
    for node, (dx, dy) in sorted(layout.callouts.items()):
        data = graph.nodes[node]
        color = NODE_STYLE[data["type"]][1]
        x, y = layout.pos[node]
        out.append(
            {
                "x": x,
                "y": y,
                "ax": dx,
                "ay": dy,
                "text": html.escape(data["label"]),
                "showarrow": True,
                "arrowhead": 0,
                "arrowwidth": 1,
                "arrowcolor": color,
                "standoff": _size(graph, node) / 2,
                "font": {"size": CALLOUT_FONT, "color": "#222"},
                "bgcolor": "rgba(255,255,255,0.85)",
                "bordercolor": color,
                "borderwidth": 1,
                "borderpad": 2,
                "name": f"callout:{index[node]}",
            }
        )
    return out


def _node_table(graph: nx.MultiDiGraph, order: list[str]) -> dict:
    """What the page's script filters and searches on, as compact columns (indices into sorted lists)."""
    nodes = graph.nodes
    topics = sorted(graph.graph.get("topics", {}))
    digests = sorted({d for n in order for d in nodes[n].get("digests", ())})
    hardware = sorted({h for n in order for h in nodes[n].get("runs_on", ())})
    t_index = {t: i for i, t in enumerate(topics)}
    d_index = {d: i for i, d in enumerate(digests)}
    h_index = {h: i for i, h in enumerate(hardware)}
    index = {n: i for i, n in enumerate(order)}
    papers_on = Counter(
        h for n in order if nodes[n]["type"] == "paper" for h in nodes[n]["runs_on"]
    )
    papers_in = Counter(
        d for n in order if nodes[n]["type"] == "paper" for d in nodes[n]["digests"]
    )
    papers_of = Counter(t for n in order if nodes[n]["type"] == "paper" for t in nodes[n]["topics"])
    return {
        "types": list(NODE_TYPES),
        "relations": list(RELATIONS),
        "topics": [[t, graph.graph["topics"][t], papers_of[t]] for t in topics],
        "digests": [[d, papers_in[d]] for d in digests],
        "hardware": [[h, papers_on[h]] for h in hardware],
        "nodes": {
            "label": [nodes[n]["label"] for n in order],
            "title": [nodes[n].get("title", "") for n in order],
            "aliases": [
                [
                    *nodes[n].get("aliases", ()),
                    *([nodes[n]["arxiv"]] if nodes[n].get("arxiv") else []),
                ]
                for n in order
            ],
            "type": [NODE_TYPES.index(nodes[n]["type"]) for n in order],
            "topics": [
                [t_index[t] for t in nodes[n].get("topics", ()) if t in t_index] for n in order
            ],
            "digests": [[d_index[d] for d in nodes[n].get("digests", ())] for n in order],
            "hardware": [[h_index[h] for h in nodes[n].get("runs_on", ())] for n in order],
            "best": [nodes[n].get("best") for n in order],
            "paper": [
                index.get(nodes[n].get("paper", ""), -1) if nodes[n]["type"] == "claim" else -1
                for n in order
            ],
        },
        "edges": sorted(
            [index[u], index[v], RELATIONS.index(k)] for u, v, k in graph.edges(keys=True)
        ),
        "focus": index.get(graph.graph.get("focus", "")),
    }


def _json_script(element_id: str, value: object) -> str:
    """A JSON value in a script element; `</` is escaped so text can never close the element."""
    if isinstance(value, go.Figure):
        text = pio.to_json(value, validate=False, pretty=False, engine="json")
    else:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f'<script type="application/json" id="{element_id}">{text}</script>'


def _options(rows: list, label) -> str:
    return "".join(
        f'<option value="{i}">{html.escape(label(row))}</option>' for i, row in enumerate(rows)
    )


def _summary(graph: nx.MultiDiGraph) -> str:
    counts = Counter(data["type"] for _, data in graph.nodes(data=True))
    names = {
        "paper": "papers",
        "method": "methods",
        "model": "models",
        "hardware": "hardware",
        "claim": "claims",
    }
    return ", ".join(f"{counts[t]} {names[t]}" for t in NODE_TYPES)


def render_page(
    graph: nx.MultiDiGraph,
    *,
    charts: tuple[str, ...] = PAGE_CHARTS,
    network: bool = True,
    title: str = "techclaims",
    subtitle: str = "",
    layout: Layout | None = None,
    chart_graph: nx.MultiDiGraph | None = None,
    overview_nodes: int = OVERVIEW_NODES,
) -> str:
    """The whole page as text: network (with search and filters) and the named charts.

    `chart_graph` is what the charts count (default: `graph`); a focused page draws the
    neighbourhood but may chart the same neighbourhood or the whole graph. A graph of more
    than `overview_nodes` nodes (not focused) is drawn as an overview (`kg.viz.overview`).
    """
    unknown = [c for c in charts if c not in CHARTS]
    if unknown:
        raise ValueError(f"unknown chart(s) {unknown}; choose from {list(CHARTS)}")
    parts: list[str] = []
    nav: list[str] = []
    if network:
        drawn, overview = graph, None
        if layout is None and wants_overview(graph, overview_nodes):
            overview = make_overview(graph)
            drawn = overview.graph
            layout = overview_layout(drawn)
        order = sorted(drawn)
        layout = layout or compute_layout(drawn)
        table = _node_table(drawn, order)
        if overview is not None:
            table["tail"] = _tail_table(graph, overview, {n: i for i, n in enumerate(order)})
            table["nodes"]["issued"] = [drawn.nodes[n].get("issued", "") for n in order]
        figure = network_figure(drawn, layout, {n: i for i, n in enumerate(order)})
        nav.append('<a href="#network">network</a>')
        parts.append(_network_section(table, figure, overview))
    for name in charts:
        nav.append(f'<a href="#{name}">{name.replace("-", " ")}</a>')
        figure = CHARTS[name](chart_graph if chart_graph is not None else graph)
        parts.append(
            f'<section id="sec-{name}"><div class="chart" id="{name}"></div>'
            f"{_json_script('fig-' + name, figure)}</section>"
        )
    head = (
        f"<h1>{html.escape(title)}</h1><p>{html.escape(subtitle or _summary(graph))}</p>"
        f"<nav>{''.join(nav)}</nav>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.escape(title)}</title>'
        f"<style>{assets.CSS}</style>\n<script>{get_plotlyjs()}</script>\n</head><body>\n"
        f"<header>{head}</header>\n{''.join(parts)}\n<script>{assets.JS}</script>\n</body></html>\n"
    )


def _tail_table(graph: nx.MultiDiGraph, overview: Overview, index: dict[str, int]) -> dict:
    """The names an overview does not draw, for the page's search: label, type, other spellings,
    and the drawn papers that name each (indices into the node table)."""
    nodes = graph.nodes
    rows = sorted(overview.tail, key=lambda row: (-len(row[1]), nodes[row[0]]["label"], row[0]))
    return {
        "label": [nodes[n]["label"] for n, _ in rows],
        "type": [NODE_TYPES.index(nodes[n]["type"]) for n, _ in rows],
        "aliases": [list(nodes[n].get("aliases", ())) for n, _ in rows],
        "papers": [[index[p] for p in papers if p in index] for _, papers in rows],
    }


def _overview_note(overview: Overview) -> str:
    """What the overview leaves out, in one paragraph above it."""
    parts = []
    for kind in ("method", "model", "hardware"):
        total, shown = overview.counts.get(kind, (0, 0))
        if total:
            parts.append(f"the {shown:,} most connected of {total:,} {NODE_STYLE[kind][0]}")
    claims = overview.counts.get("claim", (0, 0))[0]
    papers = overview.counts.get("paper", (0, 0))[0]
    return (
        f'<p class="overview">An overview: all {papers:,} papers, one dot each, in the cluster of '
        f"their topic (oldest in the middle, newest at the rim), and {', '.join(parts)}, each "
        "among the papers that name it. The search box finds every other name and circles its "
        f"papers; the {claims:,} claims are in the charts below. "
        "<code>kg viz --focus NAME</code> or <code>--topic TOPIC</code> draws any part in full.</p>"
    )


def _network_section(table: dict, figure: go.Figure, overview: Overview | None = None) -> str:
    topics = _options(table["topics"], lambda r: f"{r[1]} ({r[2]})")
    kit = _options(table["hardware"], lambda r: f"{r[0]} ({r[1]})")
    digests = _options(table["digests"], lambda r: f"{r[0]} ({r[1]})")
    names = sorted(
        {
            label
            for label, t in zip(table["nodes"]["label"], table["nodes"]["type"], strict=True)
            if NODE_TYPES[t] != "claim"
        },
        key=lambda n: (n.casefold(), n),
    )
    datalist = "".join(f'<option value="{html.escape(n)}">' for n in names)
    hint = (
        '<p class="hint">Hover a node for its details; click one, or search, to circle it with its '
        "neighbours and read about it here. Drag to pan, scroll to zoom, double-click to see everything. "
        "Click a legend entry to hide that type of node or link, double-click to show it alone. "
        "Papers gather around their topics; what many topics share sits in the middle. Node size "
        "grows with the number of papers; a claim's with its speed-up.</p>"
    )
    if overview is not None:
        hint = (
            '<p class="hint">Hover a dot for its paper; click a name, or search for any name, '
            "paper title or arXiv id, to circle it with its papers and read about it here. Drag to "
            "pan, scroll to zoom (names appear as you zoom in), double-click to see everything. "
            "The legend shows or hides a kind of node, and the links (hidden at first).</p>"
        )
    note = _overview_note(overview) if overview is not None else ""
    return f"""<section id="network">
<h2>Network</h2>
{note}
<div class="controls">
<label>find a node<input type="search" id="kg-search" list="kg-names" placeholder="FlashInfer, H100, Qwen3-32B, a paper title…" autocomplete="off"></label>
<datalist id="kg-names">{datalist}</datalist>
<label>topic<select id="kg-topic"><option value="">all topics</option>{topics}</select></label>
<label>hardware<select id="kg-hardware"><option value="">any hardware</option>{kit}</select></label>
<label>digest<select id="kg-digest"><option value="">every digest</option>{digests}</select></label>
<label>min. speed-up (x)<input type="number" id="kg-speedup" min="0" step="0.5" placeholder="none"></label>
<button id="kg-reset" type="button">reset</button>
</div>
<div id="kg-status"></div>
<div class="network-wrap"><div id="kg-network"></div><aside id="kg-details">{hint}</aside></div>
<template id="kg-details-hint">{hint}</template>
{_json_script("fig-kg-network", figure)}
{_json_script("kg-data", table)}
</section>"""


__all__ = ["FONT", "NODE_STYLE", "EDGE_STYLE", "network_figure", "render_page"]


def _describe(filters, focus: str | None, depth: int) -> str:
    said = []
    if focus:
        said.append(f"within {depth} link{'s' if depth != 1 else ''} of {focus}")
    if filters.topics:
        said.append("topic " + " or ".join(sorted(filters.topics)))
    if filters.hardware:
        said.append("on " + " or ".join(sorted(filters.hardware)))
    if filters.digests:
        said.append("from " + " or ".join(sorted(filters.digests)))
    if filters.min_speedup is not None:
        said.append(f"claiming at least {filters.min_speedup:g}x")
    if filters.types:
        said.append("only " + ", ".join(t for t in NODE_TYPES if t in filters.types))
    return "; ".join(said)


def make_page(
    graph: nx.MultiDiGraph,
    *,
    filters=None,
    focus: str | None = None,
    depth: int = 1,
    chart: str | None = None,
    title: str = "techclaims",
    overview_nodes: int = OVERVIEW_NODES,
) -> tuple[str, nx.MultiDiGraph]:
    """The page `kg viz` writes, and the graph it draws.

    `filters` (a `kg.viz.graph.Filters`) and then `focus`/`depth` cut the graph; `chart` is None
    for the whole page, `"network"` for the network alone, or one name of `CHARTS`.
    """
    from techclaims.kg.viz.graph import Filters, filter_graph, focus_graph

    filters = filters or Filters()
    shown = filter_graph(graph, filters)
    if focus:
        shown = focus_graph(shown, focus, depth)
        focus = shown.nodes[shown.graph["focus"]]["label"]
    said = _describe(filters, focus, depth)
    summary = _summary(shown) + (f" ({said})" if said else "")
    if chart is None:
        text = render_page(shown, title=title, subtitle=summary, overview_nodes=overview_nodes)
    elif chart == "network":
        text = render_page(
            shown, charts=(), title=title, subtitle=summary, overview_nodes=overview_nodes
        )
    else:
        text = render_page(shown, charts=(chart,), network=False, title=title, subtitle=summary)
    return text, shown
