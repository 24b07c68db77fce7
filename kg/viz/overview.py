"""The overview of a large graph: every paper by topic and the most connected names, the rest found by search.

A year of daily digests is some 30,000 nodes (6,300 papers, 14,500 methods, 2,600 models,
300 hardware, 7,000 claims): drawn in full, it is a grey disc that no one can read and a page
of 30 MB. Most of those nodes are the long tail: 13,000 of the methods are named by one paper
only. So above `OVERVIEW_NODES` nodes the network shows

- every paper, as a small dot (one WebGL trace: thousands of points stay fast), in the cluster
  of its topic; a paper of several topics sits between their clusters. Within a cluster the
  papers are laid in a sunflower disc by date, oldest in the middle, so the rim is the newest
  work and a topic's growth over the period reads as the width of its rim;
- the `TOP` most connected methods, models and hardware (by the number of papers that link to
  them), each placed among the papers that use it: a method of one area sits in that area's
  cluster, one that every area uses (vLLM, LoRA, H100) in the middle. Ninety markers packed
  around the middle leave no room to write every name beside its marker (written as marker
  text, names hid under the next markers and one another), so only the most connected get
  their name, as a callout (`place_callouts`): a boxed name beside its marker, or a little
  away with a thin line to it, wherever it covers no marker, topic name or other callout;
  the others show theirs on hover, and every name in view is written once the view is
  zoomed in to a few of them;
- the topics' names on a rim around the picture.

Claims are left out of the picture (they stay in the charts), and so is every other method,
model and hardware: the search box finds them (`tail`), circles the papers that name them and
says how to draw them in full (`kg viz --focus NAME`, `--topic TOPIC`). Nothing here depends on
the time or on chance: the same graph gives the same overview.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

import networkx as nx
import numpy as np

from techclaims.kg.viz.graph import ENTITY_TYPES
from techclaims.kg.viz.layout import (
    GOLDEN_ANGLE,
    Layout,
    importance,
    topic_label_positions,
    topic_ring,
)

#: A graph with more nodes than this is drawn as an overview (a focused graph never is). Drawn
#: in full, 5,600 nodes (the year's largest topic under it at 6,000) took a minute to lay out and
#: 7 s to show on the busy 2-core machine; 2,700 (the corpus) 22 s and 3.5 s. So a topic page of
#: the year (600 to 8,000 nodes) is drawn in full up to 4,000 nodes, as an overview above.
OVERVIEW_NODES = 4000
#: How many of each kind of name the overview draws, the most connected first.
TOP = {"method": 45, "model": 25, "hardware": 20}
#: How many of the drawn names of each kind may get a callout (those that find room), the most
#: connected first: some 30 boxed names is what the picture holds without hiding its markers.
CALLOUTS = {"method": 16, "model": 8, "hardware": 8}
#: Size of a callout's text (px) and an estimate of its width per character: the box is checked
#: for room with it (DejaVu/Helvetica at 11 px average under 6.4 px a character).
CALLOUT_FONT = 11
CHAR_PX = 6.4
#: Distance between neighbouring papers in a cluster, in layout units.
_SPACING = 1.0


@dataclass
class Overview:
    """What the overview draws (`graph`: papers, the top names, their links) and what it leaves to search."""

    graph: nx.MultiDiGraph
    #: Every method, model and hardware not drawn: their names and the drawn papers that name them.
    tail: list[tuple[str, list[str]]]
    #: Nodes of the whole graph per type, and how many of them are drawn.
    counts: dict[str, tuple[int, int]]


def wants_overview(graph: nx.MultiDiGraph, limit: int = OVERVIEW_NODES) -> bool:
    """Whether `graph` is too large to draw node by node (and is not a focused neighbourhood)."""
    return graph.number_of_nodes() > limit and graph.graph.get("focus") is None


def _papers_of(graph: nx.MultiDiGraph, node: str) -> set[str]:
    """The papers that link to an entity, directly or through one of their claims."""
    nodes = graph.nodes
    found = set()
    for n in nx.all_neighbors(graph, node):
        kind = nodes[n]["type"]
        if kind == "paper":
            found.add(n)
        elif kind == "claim" and nodes[n]["paper"] in graph:
            found.add(nodes[n]["paper"])
    return found


def make_overview(graph: nx.MultiDiGraph, top: dict[str, int] | None = None) -> Overview:
    """Papers and the `top` most connected methods, models and hardware of `graph`; the rest as `tail`."""
    top = top or TOP
    nodes = graph.nodes
    papers_of = {n: _papers_of(graph, n) for n in sorted(graph) if nodes[n]["type"] in ENTITY_TYPES}
    kept: set[str] = {n for n in graph if nodes[n]["type"] == "paper"}
    by_type: dict[str, list[str]] = defaultdict(list)
    for node in sorted(papers_of, key=lambda n: (-len(papers_of[n]), nodes[n]["label"], n)):
        by_type[nodes[node]["type"]].append(node)
    for kind, ranked in by_type.items():
        kept.update(n for n in ranked[: top.get(kind, 0)] if papers_of[n])
    drawn = graph.subgraph(sorted(kept)).copy()
    drawn.graph.update(graph.graph)
    drawn.graph["overview"] = True
    tail = [(n, sorted(papers_of[n])) for n in sorted(papers_of) if n not in kept and papers_of[n]]
    everything = Counter(data["type"] for _, data in graph.nodes(data=True))
    shown = Counter(data["type"] for _, data in drawn.nodes(data=True))
    counts = {kind: (everything[kind], shown[kind]) for kind in everything}
    return Overview(drawn, tail, counts)


def _per_px(radius: float) -> float:
    """Layout units per pixel: the ring of clusters with the topic names around it (some 3.4 ring
    radii across) is drawn about 800 px wide."""
    return radius / 235


def name_size(papers: float) -> float:
    """Marker size (px) of a drawn method, model or hardware in an overview: grows with the square
    root of its papers, to at most 28 px (a hundred of them share the middle of the picture)."""
    return round(min(28.0, 5 + 1.4 * math.sqrt(papers)), 2)


def _month_key(data: dict) -> str:
    """When a paper appeared, for ordering within its cluster: its date, else its arXiv id."""
    return data.get("issued") or data.get("arxiv") or "~"


def overview_layout(graph: nx.MultiDiGraph, label_budget: int = 80) -> Layout:
    """Positions for an overview graph (see the module's docstring): papers in topic discs, names among them."""
    nodes = graph.nodes
    papers = sorted(n for n in graph if nodes[n]["type"] == "paper")
    if not papers:
        return Layout(pos={})
    unit = topic_ring(graph, radius=1.0)
    weight: defaultdict[str, float] = defaultdict(float)  # a paper's share of each topic
    for paper in papers:
        topics = nodes[paper]["topics"] or ("",)
        for topic in topics:
            weight[topic] += 1 / len(topics)
    # The ring gives each topic an arc in proportion to the square root of its papers, as a disc's
    # diameter grows: a radius that makes each arc 1.5 discs wide keeps the clusters apart.
    disc = 0.62 * _SPACING
    radius = 1.5 * 2 * disc * sum(math.sqrt(w) for w in weight.values()) / (2 * math.pi)
    anchors = {t: radius * np.asarray(a) for t, a in unit.items()}
    groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for paper in papers:
        groups[nodes[paper]["topics"] or ("",)].append(paper)
    pos: dict[str, np.ndarray] = {}
    for topics, members in sorted(groups.items()):
        centre = np.mean([anchors[t] for t in topics], axis=0)
        members.sort(key=lambda n: (_month_key(nodes[n]), n))
        for k, paper in enumerate(members):
            r = disc * math.sqrt(k + 0.5)
            pos[paper] = centre + r * np.array(
                [math.cos(k * GOLDEN_ANGLE), math.sin(k * GOLDEN_ANGLE)]
            )
    names = sorted(n for n in graph if nodes[n]["type"] in ENTITY_TYPES)
    if names:
        pos.update(_place_names(graph, names, pos, radius))
    layout = Layout(
        pos={n: (round(float(pos[n][0]), 4), round(float(pos[n][1]), 4)) for n in sorted(pos)}
    )
    layout.topic_labels = rim_labels(
        graph, layout, anchors, topic_label_positions(graph, layout.pos, anchors)
    )
    layout.per_px = screen_per_px(graph, layout)
    if names:
        budget = {k: min(n, label_budget) for k, n in CALLOUTS.items()}
        layout.callouts = place_callouts(graph, names, layout, layout.per_px, budget)
    layout.labelled = sorted(layout.callouts)
    return layout


#: The network's plot area on a usual screen (px): the page at 1,400 px wide draws it 807 x 805.
PLOT_PX = (800.0, 805.0)


def screen_per_px(graph: nx.MultiDiGraph, layout: Layout) -> float:
    """Layout units per screen pixel at first view: the page shows every node and both ends of
    every topic name (kg.viz.page), at one scale on both axes, in `PLOT_PX`."""
    topics = graph.graph.get("topics", {})
    xs = [p[0] for p in layout.pos.values()]
    ys = [p[1] for p in layout.pos.values()]
    unit = (max(xs) - min(xs) or 1.0) / 850  # as page.network_figure frames the topic names
    for t, (x, y) in layout.topic_labels.items():
        half = 4.8 * max(map(len, topic_lines(topics.get(t, t) or "(no topic)"))) * unit
        xs += [x - half, x + half]
        ys.append(y)
    # Plotly's autorange leaves some 45 px on each side around the markers (measured: the year's
    # overview 2.30 px a unit, its kernels topic 9.09; this gives 2.34 and 9.0).
    room = 90.0
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    return max(width / (PLOT_PX[0] - room), height / (PLOT_PX[1] - room), 1e-9)


#: An overview writes a topic name longer than this on two lines (`topic_lines`): the names left and
#: right of the picture take its width from the clusters, and there is room above and below.
WRAP_CHARS = 18


def topic_lines(label: str) -> list[str]:
    """A topic name as an overview writes it: one line, or two cut at the space nearest the middle.

    >>> topic_lines("KV-cache compression and management")
    ['KV-cache compression', 'and management']
    """
    spaces = [i for i, c in enumerate(label) if c == " "]
    if len(label) <= WRAP_CHARS or not spaces:
        return [label]
    cut = min(spaces, key=lambda i: (abs(2 * i - len(label)), i))
    return [label[:cut], label[cut + 1 :]]


def topic_box_px(label: str) -> tuple[float, float]:
    """Half the width and height (px) of a topic name as an overview page writes it (`kg.viz.page`:
    14 px bold, about 9.2 px a character and 18 px a line, 2 px of padding)."""
    lines = topic_lines(label)
    return 4.6 * max(len(line) for line in lines) + 6, 9.0 * len(lines) + 4


_TOPIC_GAP_PX = 3.0
#: Turns (radians) a topic name may take from its anchor's direction, nearest first, to find room on
#: the rim before it moves further out (names stacked in one direction would shrink the picture).
_TURNS = [0.0] + [sign * k * math.pi / 30 for k in range(1, 6) for sign in (1, -1)]
_PAPER_RADIUS_PX = 2.0  # a paper is a 4 px dot in an overview (kg.viz.page._size)


def rim_labels(
    graph: nx.MultiDiGraph,
    layout: Layout,
    anchors: dict[str, np.ndarray],
    start: dict[str, tuple[float, float]],
) -> dict[str, tuple[float, float]]:
    """The topics' names moved out along their anchor's direction, from where `start` (the rim of
    `topic_label_positions`) puts them, until each name's box covers no paper, no marker of a name
    and no other topic name, at the scale the page opens at.

    The rim is a circle past 97% of the papers, and a name is wide: on the year's overview 17 of
    the 21 names lay over the edge of a cluster (the largest hid 270 papers under its white box),
    mostly names left and right of the picture, whose half-width reaches back inward. The scale
    depends on where the names end up (the page frames them too), so the names are placed for a
    scale a little smaller than the last one found, until the page's scale (`screen_per_px`) is
    no smaller than that: then every box is at most the size it was placed with.
    """
    nodes = graph.nodes
    topics = graph.graph.get("topics", {})
    kinds = [(n, nodes[n]["type"]) for n in sorted(layout.pos)]
    xy = np.array([layout.pos[n] for n, _ in kinds]).reshape(-1, 2)
    radius_px = np.array(
        [
            _PAPER_RADIUS_PX if kind == "paper" else name_size(importance(graph, n)) / 2
            for n, kind in kinds
        ]
    )
    members = Counter(
        (nodes[n]["topics"] or ("",))[0] for n, kind in kinds if kind == "paper"
    )  # the largest topics choose first, as on the rim
    order = sorted(start, key=lambda t: (-members[t], t))

    def place(per_px: float) -> dict[str, tuple[float, float]]:
        placed: dict[str, tuple[float, float]] = {}
        boxes: list[tuple[float, float, float, float]] = []
        for topic in order:
            half_w, half_h = (
                v * per_px for v in topic_box_px(topics.get(topic, topic) or "(no topic)")
            )
            gap = _TOPIC_GAP_PX * per_px
            anchor = anchors.get(topic)
            first = np.array(start[topic], dtype=float)
            direction = anchor if anchor is not None and np.any(anchor) else first
            angle = math.atan2(direction[1], direction[0])
            reach = float(np.linalg.norm(first))
            reach_x = (half_w + gap) + radius_px * per_px
            reach_y = (half_h + gap) + radius_px * per_px
            c = first
            for _ in range(2000):
                for turn in _TURNS:  # beside a name already there before further out
                    c = reach * np.array([math.cos(angle + turn), math.sin(angle + turn)])
                    if not np.any(
                        (np.abs(xy[:, 0] - c[0]) < reach_x) & (np.abs(xy[:, 1] - c[1]) < reach_y)
                    ) and not any(
                        c[0] - half_w - gap < b[1]
                        and b[0] < c[0] + half_w + gap
                        and c[1] - half_h - gap < b[3]
                        and b[2] < c[1] + half_h + gap
                        for b in boxes
                    ):
                        break
                else:
                    reach += 4 * per_px
                    continue
                break
            boxes.append((c[0] - half_w, c[0] + half_w, c[1] - half_h, c[1] + half_h))
            placed[topic] = (round(float(c[0]), 4), round(float(c[1]), 4))
        return placed

    labels = dict(start)
    per_px = screen_per_px(graph, Layout(pos=layout.pos, topic_labels=labels))
    for _ in range(12):
        labels = place(per_px * 1.05)
        found = screen_per_px(graph, Layout(pos=layout.pos, topic_labels=labels))
        if found <= per_px * 1.05:
            break
        per_px = found
    return dict(sorted(labels.items()))


def _boxes_overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def _segment_near(p: np.ndarray, q: np.ndarray, centre: np.ndarray, reach: float) -> bool:
    """Whether the segment p-q passes within `reach` of `centre`."""
    d = q - p
    t = float(np.clip(np.dot(centre - p, d) / (np.dot(d, d) or 1.0), 0.0, 1.0))
    return bool(np.linalg.norm(p + t * d - centre) < reach)


def _segment_crosses(p: np.ndarray, q: np.ndarray, box: tuple[float, ...]) -> bool:
    """Whether the segment p-q passes through `box` (sampled: boxes are wider than 6 px)."""
    for t in np.linspace(0.0, 1.0, 17):
        x, y = p + t * (q - p)
        if box[0] < x < box[1] and box[2] < y < box[3]:
            return True
    return False


def place_callouts(
    graph: nx.MultiDiGraph,
    names: list[str],
    layout: Layout,
    per_px: float,
    budget: dict[str, int] | None = None,
) -> dict[str, tuple[float, float]]:
    """Where to write the names of the most connected of `names`: node -> offset (px, y down) of
    its name's box centre from its marker, for those that find room (greedy, deterministic).

    Most connected first, up to `budget` of each kind. A name tries spots around its marker,
    nearest first, and on each ring the directions pointing away from the middle of the names
    first (the middle is where markers are packed, the rim has room). A spot is taken if its
    box covers no marker of a name (its own included), no topic name and no callout already
    placed, and its line to the marker crosses no other marker. A name that finds no spot
    within 150 px is left to its hover text.
    """
    budget = budget or CALLOUTS
    nodes = graph.nodes
    at = {n: np.array(layout.pos[n]) / per_px for n in names}  # screen px, y up
    radius = {n: name_size(importance(graph, n)) / 2 for n in names}
    middle = np.mean(list(at.values()), axis=0)
    topics = graph.graph.get("topics", {})
    boxes: list[tuple[float, ...]] = []
    for t, (x, y) in layout.topic_labels.items():  # 14 px bold, as the page writes them
        half, half_h = topic_box_px(topics.get(t, t) or "(no topic)")
        cx, cy = x / per_px, y / per_px
        boxes.append((cx - half, cx + half, cy - half_h, cy + half_h))
    ranked = sorted(names, key=lambda n: (-importance(graph, n), nodes[n]["label"], n))
    taken: Counter = Counter()
    placed: dict[str, tuple[float, float]] = {}
    angles = [k * math.pi / 8 for k in range(16)]
    for node in ranked:
        kind = nodes[node]["type"]
        if taken[kind] >= budget.get(kind, 0):
            continue
        centre, r = at[node], radius[node]
        half_w, half_h = (CHAR_PX * len(nodes[node]["label"]) + 6) / 2, (CALLOUT_FONT + 6) / 2
        outward = math.atan2(*(centre - middle)[::-1]) if np.any(centre != middle) else math.pi / 2
        order = sorted(angles, key=lambda a: (abs(math.remainder(a - outward, 2 * math.pi)), a))
        spot = None
        # Beside the marker if there is room, a little away with a line that crosses no marker
        # next; else further away, the line allowed across markers (never across a callout).
        tries = [(gap, True) for gap in (2.0, 12.0, 24.0, 40.0)]
        tries += [(gap, False) for gap in (24.0, 40.0, 60.0, 85.0, 115.0, 150.0)]
        for gap, strict in tries:
            for angle in order:
                u = np.array([math.cos(angle), math.sin(angle)])
                reach = r + gap + abs(u[0]) * half_w + abs(u[1]) * half_h
                c = centre + reach * u
                box = (c[0] - half_w, c[0] + half_w, c[1] - half_h, c[1] + half_h)
                if any(_boxes_overlap(box, b) for b in boxes):
                    continue
                if any(
                    box[0] - radius[m] < at[m][0] < box[1] + radius[m]
                    and box[2] - radius[m] < at[m][1] < box[3] + radius[m]
                    for m in names
                ):
                    continue
                start = centre + r * u
                edge = centre + (reach - abs(u[0]) * half_w - abs(u[1]) * half_h) * u
                if (
                    gap > 2.0
                    and strict
                    and any(
                        m != node and _segment_near(start, edge, at[m], radius[m] + 1)
                        for m in names
                    )
                ):
                    continue
                if gap > 2.0 and any(_segment_crosses(start, edge, b) for b in boxes):
                    continue
                spot = (box, c)
                break
            if spot is not None:
                break
        if spot is None:
            continue
        boxes.append(spot[0])
        taken[kind] += 1
        offset = spot[1] - centre
        placed[node] = (round(float(offset[0]), 1), round(float(-offset[1]), 1))
    return placed


def _place_names(
    graph: nx.MultiDiGraph, names: list[str], pos: dict[str, np.ndarray], radius: float
) -> dict[str, np.ndarray]:
    """Each name at the middle of its papers, then pushed apart until no two markers overlap."""
    nodes = graph.nodes
    at = np.zeros((len(names), 2))
    size = np.zeros(len(names))
    for i, node in enumerate(names):
        papers = [n for n in nx.all_neighbors(graph, node) if nodes[n]["type"] == "paper"]
        near = [pos[p] for p in sorted(set(papers))]
        at[i] = np.mean(near, axis=0) if near else np.zeros(2)
        size[i] = math.sqrt(len(set(papers)))
    per_px = _per_px(radius)
    reach = per_px * (np.array([name_size(s**2) for s in size]) / 2 + 3)
    rng = np.random.default_rng(0)
    at += rng.normal(
        0.0, 1e-3 * radius, at.shape
    )  # names with the same papers: apart from the start
    for _ in range(300):
        diff = at[:, None, :] - at[None, :, :]
        dist = np.linalg.norm(diff, axis=2) + np.eye(len(names))
        need = reach[:, None] + reach[None, :]
        overlap = np.clip(need - dist, 0.0, None) * (1 - np.eye(len(names)))
        if not overlap.any():
            break
        at += 0.5 * np.einsum("ij,ijk->ik", overlap / dist, diff) / 2
    return {node: at[i] for i, node in enumerate(names)}
