"""Charts of the claims beside the network: plotly figures made from the graph of `kg.viz.graph`.

| name | what it shows |
|---|---|
| `speedup-by-topic` | every claim as a point per topic (x-factors on a log axis, % changes beside), boxes for the spread, one metric family at a time |
| `speedup-by-hardware` | the same per hardware the claim was measured on |
| `method-hardware` | a matrix of the best speed x-factor each method claims on each hardware |

Like is compared with like: a claim's metric family (`techclaims.schema.iris.metric_family`:
speed, throughput, latency and time are `speed`; otherwise the metric's head word, such as
`memory` or `accuracy`) and its direction pick the panel it is drawn in, chosen from a menu,
so a memory reduction, a compression ratio and a throughput gain never share an axis. The
family is derived from the claim's `kg:metric` text, so it follows whatever metric the
extraction gives. Only efficiency gains are drawn (`kg:gain`: an efficiency metric moving
the better way), never a worse result, a compression ratio or a search-time speed-up.
| `papers-per-month` | papers per month of publication, stacked by topic |

Hover shows each claim's method, baseline, model, hardware, paper and evidence sentence.
"""

from __future__ import annotations

import html
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable

import networkx as nx
import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from techclaims.kg.viz.hover import claim_text, wrap
from techclaims.schema.iris import metric_family
from techclaims.schema.metrics import is_gain

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans CJK SC', sans-serif"
_MAX_CATEGORIES = 30


def base_layout(title: str, subtitle: str = "", height: int = 520) -> dict:
    """Layout every chart shares: a plain white template, the title and a one-line subtitle."""
    text = f"<b>{title}</b>" + (
        f"<br><span style='font-size:12px;color:#666'>{subtitle}</span>" if subtitle else ""
    )
    return {
        "template": "simple_white",
        "height": height,
        "font": {"family": FONT, "size": 12},
        "title": {"text": text, "x": 0.01, "xanchor": "left"},
        "margin": {"l": 10, "r": 20, "t": 80, "b": 50},
        "hoverlabel": {"align": "left", "font": {"family": FONT, "size": 12}, "bgcolor": "white"},
    }


def topic_colors(topics: dict[str, str]) -> dict[str, str]:
    """One colour per topic, the same in every chart (topics in sorted order)."""
    palette = qualitative.Dark24
    return {t: palette[i % len(palette)] for i, t in enumerate(sorted(topics))}


def _claims(graph: nx.MultiDiGraph) -> list[tuple[str, dict, dict]]:
    """(claim, its data, its paper's data), in node order: the claims that are efficiency gains
    (`techclaims.schema.metrics.is_gain`), so a 6x energy increase, a compression ratio or a
    compile-time speed-up is never drawn as a speed-up."""
    rows = []
    for node in sorted(graph):
        data = graph.nodes[node]
        if (
            data["type"] == "claim"
            and data["paper"] in graph
            and is_gain(data.get("metric"), data.get("direction"))
        ):
            rows.append((node, data, graph.nodes[data["paper"]]))
    return rows


#: A strip chart with more points than this gets short hover texts (no evidence sentence): on a year
#: of digests the full ones were 9 MB of the page; the network's search finds any claim's paper.
BRIEF_POINTS = 2000


def _claim_hover(data: dict, paper: dict) -> str:
    return claim_text(data) + f"<br>paper: {wrap(paper['title'])}"


def _claim_brief(data: dict, paper: dict) -> str:
    """A claim in a few words: its value, and its method and baseline (else its paper's short name)."""
    said = html.escape(data["label"])
    if data.get("method"):
        said += f" · {html.escape(data['method'])}"
        if data.get("baseline"):
            said += f" vs {html.escape(data['baseline'])}"
        return said
    return f"{said} · {html.escape(paper['label'])}"


def _empty(fig: go.Figure, message: str) -> go.Figure:
    fig.add_annotation(
        text=message,
        showarrow=False,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        font={"size": 14, "color": "#888"},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def family(data: dict) -> str:
    """The kind of quantity a claim states, and which way it went: what may share an axis.

    >>> family({"metric": "decode throughput", "direction": "increase"})
    'speed, higher'
    >>> family({"metric": "KV cache memory", "direction": "decrease"}), family({"metric": None})
    ('memory, lower', 'metric not stated')
    """
    name = metric_family(data.get("metric"))
    if not name:
        return "metric not stated"
    way = {"increase": "higher", "decrease": "lower"}.get(data.get("direction") or "")
    return f"{name}, {way}" if way else name


def _families(groups: dict[str, list[tuple[dict, dict]]]) -> list[str]:
    """The families present, the most claimed first (speed ahead of its ties)."""
    counts = Counter(family(d) for claims in groups.values() for d, _ in claims)
    return sorted(counts, key=lambda f: (-counts[f], not f.startswith("speed"), f))


def _strip_chart(
    groups: dict[str, list[tuple[dict, dict]]], title: str, subtitle: str, what: str
) -> go.Figure:
    """Claims per category: x-factors on a log axis (left), % changes on a linear one (right), one
    metric family at a time (a menu picks it; the most claimed first)."""
    families = _families(groups)
    hover = _claim_brief if sum(len(v) for v in groups.values()) > BRIEF_POINTS else _claim_hover
    if hover is _claim_brief:
        subtitle += f"; hover shows each claim in brief (over {BRIEF_POINTS:,} points)"
    panels = []  # per family: (its traces' indices, category order, height)
    fig = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        column_widths=[0.68, 0.32],
        horizontal_spacing=0.03,
        subplot_titles=("factor (x, log scale)", "change (%)"),
    )
    for index, kind in enumerate(families):
        mine = {k: [c for c in v if family(c[0]) == kind] for k, v in groups.items()}
        first = len(fig.data)
        order = _draw_family(fig, mine, hover, visible=index == 0)
        panels.append((range(first, len(fig.data)), order, max(380, 115 + 26 * len(order))))
    height = panels[0][2] if panels else 380
    shown = f"{families[0]}" if families else ""
    fig.update_layout(**base_layout(title, subtitle, height), showlegend=False)
    fig.update_layout(margin={"t": 105})  # room for the subtitle above the panel titles
    if not families:
        return _empty(fig, f"no claims with a {what} yet")
    if len(families) > 1:
        buttons = []
        for kind, (traces, order, tall) in zip(families, panels, strict=True):
            count = sum(1 for v in groups.values() for c in v if family(c[0]) == kind)
            buttons.append(
                {
                    "label": f"{kind} ({count})",
                    "method": "update",
                    "args": [
                        {"visible": [i in traces for i in range(len(fig.data))]},
                        {"yaxis.categoryarray": list(reversed(order)), "height": tall},
                    ],
                }
            )
        fig.update_layout(
            updatemenus=[
                {
                    "buttons": buttons,
                    "direction": "down",
                    "x": 1.0,
                    "xanchor": "right",
                    "y": 1.16,
                    "yanchor": "bottom",
                    "showactive": True,
                }
            ],
            annotations=[
                *fig.layout.annotations,
                {
                    "text": "metric:",
                    "x": 1.0,
                    "xref": "paper",
                    "xanchor": "right",
                    "xshift": -225,
                    "y": 1.16,
                    "yref": "paper",
                    "yanchor": "bottom",
                    "yshift": 6,
                    "showarrow": False,
                },
            ],
        )
    fig.update_xaxes(type="log", row=1, col=1, showgrid=True, gridcolor="#eee", dtick="D2")
    fig.update_xaxes(row=1, col=2, showgrid=True, gridcolor="#eee", rangemode="tozero")
    fig.update_yaxes(
        categoryorder="array", categoryarray=list(reversed(panels[0][1])), automargin=True
    )
    fig.layout.meta = {"families": families, "shown": shown}
    return fig


def _draw_family(
    fig: go.Figure, groups: dict[str, list[tuple[dict, dict]]], hover: Callable, *, visible: bool
) -> list[str]:
    """The traces of one family's claims (a box per category and unit); their category names."""
    factors = {k: [c for c in v if c[0]["unit"] == "x"] for k, v in groups.items()}
    percents = {k: [c for c in v if c[0]["unit"] == "%"] for k, v in groups.items()}

    def median(values: list[float]) -> float:
        values = sorted(values)
        return values[len(values) // 2] if values else 0.0

    order = sorted(
        groups,
        key=lambda k: (0 if factors[k] else 1, -median([c[0]["best"] for c in factors[k]]), k),
    )
    order = [k for k in order if groups[k]][:_MAX_CATEGORIES]
    names = {k: f"{k} ({len(groups[k])})" for k in order}
    for col, chosen, color in ((1, factors, "#d95f02"), (2, percents, "#7570b3")):
        for key in reversed(order):
            claims = chosen[key]
            if not claims:
                continue
            values = [c[0]["best"] if c[0]["unit"] == "x" else c[0]["value"] for c in claims]
            fig.add_trace(
                go.Box(
                    x=values,
                    y0=names[key],  # one position for the whole box, not a name per point
                    orientation="h",
                    name=names[key],
                    boxpoints="all",
                    jitter=0.5,
                    pointpos=0,
                    hoveron="points",
                    hovertext=[hover(d, p) for d, p in claims],
                    hoverinfo="text",
                    marker={"size": 6, "opacity": 0.75, "color": color},
                    line={"width": 1, "color": "#888"},
                    fillcolor="rgba(0,0,0,0)",
                    showlegend=False,
                    visible=visible,
                ),
                row=1,
                col=col,
            )
    return [names[k] for k in order]


def speedup_by_topic(graph: nx.MultiDiGraph) -> go.Figure:
    """Every claim under each topic of its paper."""
    topics = graph.graph.get("topics", {})
    groups: dict[str, list] = defaultdict(list)
    untopical = 0
    for _, data, paper in _claims(graph):
        if not paper["topics"]:
            untopical += 1
        for topic in paper["topics"] or ():
            groups[topics.get(topic, topic)].append((data, paper))
    subtitle = "each point is one claim, under every topic of its paper; hover for the evidence"
    if untopical:
        subtitle += f"; {untopical} claim(s) of papers without a topic not shown"
    return _strip_chart(groups, "Claims by topic", subtitle, "topic")


def speedup_by_hardware(graph: nx.MultiDiGraph) -> go.Figure:
    """Every claim under the hardware it was measured on (else the paper's only hardware)."""
    groups: dict[str, list] = defaultdict(list)
    unknown = 0
    for _, data, paper in _claims(graph):
        hardware = data["hardware"]
        if hardware is None and len(_paper_hardware(graph, data["paper"])) == 1:
            hardware = _paper_hardware(graph, data["paper"])[0]
        if hardware is None:
            unknown += 1
            continue
        groups[hardware].append((data, paper))
    subtitle = (
        "each point is one claim, under the hardware it names (else its paper's only hardware)"
    )
    if unknown:
        subtitle += f"; {unknown} claim(s) without hardware not shown"
    return _strip_chart(groups, "Claims by hardware", subtitle, "named hardware")


def _paper_hardware(graph: nx.MultiDiGraph, paper: str) -> list[str]:
    return sorted(
        graph.nodes[t]["label"]
        for _, t, k in graph.out_edges(paper, keys=True)
        if k == "usesHardware"
    )


def method_hardware(graph: nx.MultiDiGraph) -> go.Figure:
    """The best x-factor each method claims on each hardware (log colour scale, evidence on hover)."""
    best: dict[tuple[str, str], tuple[float, dict, dict]] = {}
    other = 0
    for _, data, paper in _claims(graph):
        if data["unit"] != "x" or not data["method"]:
            continue
        if metric_family(data.get("metric")) != "speed":  # a compression ratio is no speed-up
            other += 1
            continue
        hardware = data["hardware"]
        if hardware is None and len(_paper_hardware(graph, data["paper"])) == 1:
            hardware = _paper_hardware(graph, data["paper"])[0]
        if hardware is None:
            continue
        key = (data["method"], hardware)
        if key not in best or data["best"] > best[key][0]:
            best[key] = (data["best"], data, paper)
    methods = Counter(m for m, _ in best)
    kit = Counter(h for _, h in best)
    rows = sorted(
        methods, key=lambda m: (-methods[m], -max(v[0] for k, v in best.items() if k[0] == m), m)
    )[:40]
    cols = sorted({h for m, h in best if m in rows}, key=lambda h: (-kit[h], h))[:_MAX_CATEGORIES]
    subtitle = (
        "best claimed speed x-factor (speed, throughput, latency, time) of each method (rows, "
        "most hardware first) on each hardware; hover for the claim and its evidence"
    )
    if other:
        subtitle += f"; {other} x-factor claim(s) of other metrics (memory, ...) not shown"
    fig = go.Figure(
        layout=base_layout(
            "Best claimed speed-up: method × hardware", subtitle, max(380, 130 + 22 * len(rows))
        )
    )
    if not rows:
        return _empty(fig, "no x-factor claims that name a method and hardware yet")
    z, text, hover = [], [], []
    for method in rows:
        z.append([math.log10(best[method, h][0]) if (method, h) in best else None for h in cols])
        text.append([f"{best[method, h][0]:g}x" if (method, h) in best else "" for h in cols])
        hover.append(
            [
                _claim_hover(best[method, h][1], best[method, h][2]) if (method, h) in best else ""
                for h in cols
            ]
        )
    top = max(v for row in z for v in row if v is not None)
    ticks = [
        t for t in (1, 1.5, 2, 3, 5, 10, 20, 50, 100) if math.log10(t) <= max(top, math.log10(2))
    ]
    fig.add_trace(
        go.Heatmap(
            z=z,
            x=cols,
            y=rows,
            text=text,
            texttemplate="%{text}",
            hovertext=hover,
            hoverinfo="text",
            colorscale="YlOrRd",
            zmin=0,
            zmax=max(top, math.log10(2)),
            xgap=2,
            ygap=2,
            textfont={"size": 10},
            colorbar={
                "title": {"text": "best x"},
                "tickvals": [math.log10(t) for t in ticks],
                "ticktext": [f"{t:g}x" for t in ticks],
            },
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(side="bottom", tickangle=-35, automargin=True)
    return fig


_ARXIV_MONTH = re.compile(r"^(\d{2})(0[1-9]|1[0-2])\.\d{4,5}")
#: Months at either end holding fewer papers than this share of the busiest month are left out.
_STRAY_SHARE = 0.02


def paper_month(data: dict) -> str | None:
    """A paper's month: its date of publication, else the month in its arXiv id (2508.01234: 2025-08).

    >>> paper_month({"issued": "2026-01-05", "arxiv": "2512.00001"}), paper_month({"issued": "", "arxiv": "2508.01234"})
    ('2026-01', '2025-08')
    """
    if data.get("issued"):
        return data["issued"][:7]
    found = _ARXIV_MONTH.match(data.get("arxiv") or "")
    return f"20{found[1]}-{found[2]}" if found else None


def _span(totals: Counter) -> list[str]:
    """The months to chart: from the first to the last month, less stray months at either end (a
    mistyped date two years out, one old paper a digest cites) that would stretch the axis."""
    months = sorted(totals)
    floor = _STRAY_SHARE * max(totals.values())
    while len(months) > 1 and totals[months[0]] < floor:
        months.pop(0)
    while len(months) > 1 and totals[months[-1]] < floor:
        months.pop()
    return months


def papers_per_month(graph: nx.MultiDiGraph) -> go.Figure:
    """Papers per month of publication (else of their arXiv id), stacked by topic (a paper counts under
    each of its topics); the months run from the first to the last that hold a share of the papers."""
    topics = graph.graph.get("topics", {})
    colors = topic_colors(topics)
    counts: dict[str, Counter] = defaultdict(Counter)
    totals: Counter = Counter()
    undated = 0
    titles: dict[tuple[str, str], list[str]] = defaultdict(list)
    for node in sorted(graph):
        data = graph.nodes[node]
        if data["type"] != "paper":
            continue
        month = paper_month(data)
        if month is None:
            undated += 1
            continue
        totals[month] += 1
        for topic in data["topics"] or ("",):
            counts[topic][month] += 1
            titles[topic, month].append(data["label"])
    months = _span(totals) if totals else []
    outside = sum(n for m, n in totals.items() if m not in months)
    subtitle = (
        "by date of publication (else the month of the arXiv id); a paper counts once under each "
        "of its topics"
    )
    if undated:
        subtitle += f"; {undated} paper(s) without a date not shown"
    if outside:
        subtitle += f"; {outside} paper(s) dated outside {months[0]} to {months[-1]} not shown"
    fig = go.Figure(layout=base_layout("Papers per month by topic", subtitle, 540))
    if not counts:
        return _empty(fig, "no dated papers yet")
    order = sorted(counts, key=lambda t: (-sum(counts[t].values()), t))
    for topic in order:
        name = topics.get(topic, topic) if topic else "(no topic)"
        fig.add_trace(
            go.Bar(
                x=[f"{m}-01" for m in months],
                y=[counts[topic][m] for m in months],
                name=name,
                marker_color=colors.get(topic, "#bbbbbb"),
                hovertext=[
                    f"<b>{name}</b>, {m}: {counts[topic][m]}<br>"
                    + wrap(
                        ", ".join(titles[topic, m][:12])
                        + (" …" if len(titles[topic, m]) > 12 else ""),
                        60,
                    )
                    for m in months
                ],
                hoverinfo="text",
            )
        )
    fig.update_layout(
        barmode="stack", legend={"font": {"size": 11}, "traceorder": "reversed"}, bargap=0.15
    )
    fig.update_xaxes(type="date", dtick="M1", tickformat="%Y-%m", tickangle=-45)
    fig.update_yaxes(title_text="papers", showgrid=True, gridcolor="#eee")
    return fig


#: Every chart by the name `kg viz --chart NAME` takes, in page order.
CHARTS: dict[str, Callable[[nx.MultiDiGraph], go.Figure]] = {
    "speedup-by-topic": speedup_by_topic,
    "speedup-by-hardware": speedup_by_hardware,
    "method-hardware": method_hardware,
    "papers-per-month": papers_per_month,
}
