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
  cluster, one that every area uses (vLLM, LoRA, H100) in the middle; their names are written;
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
    _GOLDEN,
    Layout,
    _topic_label_positions,
    _topic_ring,
    pick_labels,
)

#: A graph with more nodes than this is drawn as an overview (a focused graph never is). Drawn
#: in full, 5,600 nodes (the year's largest topic under it at 6,000) took a minute to lay out and
#: 7 s to show on the busy 2-core machine; 2,700 (the corpus) 22 s and 3.5 s. So a topic page of
#: the year (600 to 8,000 nodes) is drawn in full up to 4,000 nodes, as an overview above.
OVERVIEW_NODES = 4000
#: How many of each kind of name the overview draws, the most connected first.
TOP = {"method": 45, "model": 25, "hardware": 20}
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
    unit = _topic_ring(graph, radius=1.0)
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
            pos[paper] = centre + r * np.array([math.cos(k * _GOLDEN), math.sin(k * _GOLDEN)])
    names = sorted(n for n in graph if nodes[n]["type"] in ENTITY_TYPES)
    if names:
        pos.update(_place_names(graph, names, pos, radius))
    layout = Layout(
        pos={n: (round(float(pos[n][0]), 4), round(float(pos[n][1]), 4)) for n in sorted(pos)}
    )
    layout.topic_labels = _topic_label_positions(graph, layout.pos, anchors)
    # Names only (papers are dots), with the room they really have on the screen.
    named = {n: layout.pos[n] for n in names} or layout.pos
    xs, ys = [p[0] for p in named.values()], [p[1] for p in named.values()]
    layout.labelled = pick_labels(
        graph,
        layout.pos,
        label_budget,
        only=set(names),
        width_px=max(1.0, (max(xs) - min(xs)) / _per_px(radius)),
        height_px=max(1.0, (max(ys) - min(ys)) / _per_px(radius)),
    )
    return layout


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
