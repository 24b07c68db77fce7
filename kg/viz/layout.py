"""Where each node goes: a deterministic, clustered layout that stays readable at a few thousand nodes.

The picture is built in three steps, all seeded, over nodes taken in sorted order, so the
same graph always gets the same positions:

1. **Topic anchors.** Each topic gets a point on a ring; topics that share papers sit next
   to each other. A paper is pulled toward the anchors of its topics, so papers gather in
   topic clusters and the methods, models and hardware many topics share end up between
   them, near the middle.
2. **Forces on the core.** Papers and every node linked to two or more others are placed by
   a ForceAtlas2-like simulation (linear springs along links, repulsion weighted by how many
   leaves a node carries) in numpy.
3. **Leaves.** A node linked to just one other (a claim of its paper, a method only one paper
   names) is set in a small sunflower disc around that node instead of being simulated, which
   keeps the simulation small and the picture free of long single edges.

A focused graph (`kg viz --focus NAME --depth N`) is drawn in layers instead: NAME in the
middle, the nodes one link away on a ring around it, those two links away on the next ring,
each placed near the nodes that lead to it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from techclaims.kg.viz.graph import CLAIM_RELATIONS, ENTITY_TYPES
from techclaims.schema.iris import norm_key

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
_LEAF_STEP = 0.32  # distance between leaves in a disc, in units of the ideal link length
_NO_TOPIC = ""


@dataclass
class Layout:
    """Positions, where to write topic names, and which nodes get their name drawn."""

    pos: dict[str, tuple[float, float]]
    topic_labels: dict[str, tuple[float, float]] = field(default_factory=dict)
    labelled: list[str] = field(default_factory=list)
    #: An overview's names, written as callouts: node -> where its name's box centre sits, in
    #: screen pixels from its marker (x right, y down), a thin line joining the two.
    callouts: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: Layout units per screen pixel the callouts were placed for (the page at its usual size).
    per_px: float | None = None


def _skeleton(graph: nx.MultiDiGraph) -> nx.Graph:
    """The links that shape the layout: papers to what they name and report, and broader hardware.

    A claim's links to methods, models and hardware would tie every claim to the hubs; they
    only count for an entity that nothing else links to.
    """
    nodes = graph.nodes
    skeleton: nx.Graph[str] = nx.Graph()
    skeleton.add_nodes_from(sorted(graph))
    claim_only = set()
    for u, v, relation in sorted(graph.edges(keys=True)):
        if relation in CLAIM_RELATIONS and relation != "reports":
            claim_only.add((u, v))
        else:
            skeleton.add_edge(u, v)
    for u, v in sorted(claim_only):
        if nodes[v]["type"] in ENTITY_TYPES and skeleton.degree(v) == 0:
            skeleton.add_edge(u, v)
    return skeleton


def _leaves(skeleton: nx.Graph, graph: nx.MultiDiGraph) -> dict[str, str]:
    """Leaf -> the one node it hangs from. Papers are never leaves; chains of leaves are followed."""
    nodes = graph.nodes
    parent: dict[str, str] = {}
    for node in sorted(skeleton):
        if nodes[node]["type"] != "paper" and skeleton.degree(node) == 1:
            parent[node] = next(iter(skeleton[node]))
    # A pair of leaves hanging from each other has no root: keep the bigger name in the core.
    for node in sorted(parent):
        if node in parent and parent.get(parent[node]) == node:
            del parent[max(node, parent[node])]
    return parent


def topic_ring(graph: nx.MultiDiGraph, radius: float) -> dict[str, np.ndarray]:
    """A point per topic on a circle; neighbours on the ring share the most papers."""
    weight: dict[str, float] = defaultdict(float)
    shared: dict[tuple[str, str], float] = defaultdict(float)
    for _, data in sorted(graph.nodes(data=True), key=lambda item: item[0]):
        if data["type"] != "paper":
            continue
        topics = data["topics"] or (_NO_TOPIC,)
        for topic in topics:
            weight[topic] += 1 / len(topics)
        for a in topics:
            for b in topics:
                if a < b:
                    shared[a, b] += 1
    ordered = sorted(weight, key=lambda t: (-weight[t], t))
    if not ordered:
        return {}
    ring = [ordered[0]]
    rest = ordered[1:]
    while rest:
        last = ring[-1]
        best = max(
            rest,
            key=lambda t: (shared[min(t, last), max(t, last)], weight[t], [-ord(c) for c in t]),
        )
        ring.append(best)
        rest.remove(best)
    if len(ring) == 1:
        return {ring[0]: np.zeros(2)}
    # Each topic gets an arc as wide as its share of the papers, so big clusters get room.
    total = sum(math.sqrt(weight[t]) for t in ring)
    anchors, start = {}, math.pi / 2
    for topic in ring:
        span = 2 * math.pi * math.sqrt(weight[topic]) / total
        angle = start - span / 2
        start -= span
        anchors[topic] = radius * np.array([math.cos(angle), math.sin(angle)])
    return anchors


def _simulate(
    positions: np.ndarray,
    mass: np.ndarray,
    edges: np.ndarray,
    weights: np.ndarray,
    targets: np.ndarray,
    pull: np.ndarray,
    pinned: np.ndarray,
    iterations: int,
) -> np.ndarray:
    """ForceAtlas2-like: repulsion m_i m_j / d, weighted linear springs, linear pull to a target, cooling."""
    pos = positions.copy()
    n = len(pos)
    chunk = max(1, 4_000_000 // max(1, n))
    step0 = max(1.0, math.sqrt(n) / 4)
    for it in range(iterations):
        force = np.zeros_like(pos)
        for start in range(0, n, chunk):
            block = pos[start : start + chunk]
            diff = block[:, None, :] - pos[None, :, :]
            dist2 = np.einsum("ijk,ijk->ij", diff, diff) + 1e-4
            strength = mass[start : start + chunk, None] * mass[None, :] / dist2
            force[start : start + chunk] += np.einsum("ij,ijk->ik", strength, diff)
        if len(edges):
            spring = (pos[edges[:, 1]] - pos[edges[:, 0]]) * weights[:, None]
            np.add.at(force, edges[:, 0], spring)
            np.add.at(force, edges[:, 1], -spring)
        force += pull[:, None] * mass[:, None] * (targets - pos)
        move = force / mass[:, None]
        length = np.linalg.norm(move, axis=1, keepdims=True) + 1e-12
        step = step0 * (1 - it / iterations) + 0.02
        pos += move * np.minimum(1.0, step / length) * ~pinned[:, None]
    return pos


def _clusters(
    graph: nx.MultiDiGraph,
    skeleton: nx.Graph,
    core: list[str],
    index: dict[str, int],
    mass: np.ndarray,
    edges: np.ndarray,
    seed: int,
    iterations: int | None,
) -> np.ndarray:
    """The core around topic anchors (step 1 and 2 of the module's docstring)."""
    nodes = graph.nodes
    rng = np.random.default_rng(seed)
    degree = np.array([skeleton.degree(n) for n in core], dtype=float)
    # A hub (vLLM, H100) pulls on each of its papers with 1/degree: it settles among its papers
    # instead of dragging every cluster into the middle.
    weights = (
        1.0 / np.maximum(1.0, np.maximum(degree[edges[:, 0]], degree[edges[:, 1]]) / 2)
        if len(edges)
        else np.zeros(0)
    )
    targets = np.zeros((len(core), 2))
    pull = np.zeros(len(core))
    anchors = topic_ring(graph, radius=1.6 * math.sqrt(mass.sum()))
    spread = 0.25 * math.sqrt(mass.sum() / max(1, len(anchors)))
    start = np.zeros((len(core), 2))
    for node in core:  # papers first: they carry the anchors
        i = index[node]
        if nodes[node]["type"] == "paper" and anchors:
            topics = nodes[node]["topics"] or (_NO_TOPIC,)
            targets[i] = np.mean([anchors[t] for t in topics], axis=0)
            pull[i] = 1.0
        start[i] = targets[i] + rng.normal(0.0, spread, 2)
    for node in core:  # the rest start between the papers they link
        i = index[node]
        if nodes[node]["type"] != "paper":
            near = [
                index[n]
                for n in sorted(skeleton[node])
                if n in index and nodes[n]["type"] == "paper"
            ]
            if near:
                start[i] = start[near].mean(axis=0) + rng.normal(0.0, 0.3, 2)
            pull[i] = 0.3
    if iterations is None:
        iterations = 300 if len(core) <= 800 else max(80, int(300 * 800 / len(core)))
    pinned = np.zeros(len(core), dtype=bool)
    return _simulate(start, mass, edges, weights, targets, pull, pinned, iterations)


def _rings(
    graph: nx.MultiDiGraph, core: list[str], focus: str, mass: np.ndarray, index: dict[str, int]
) -> dict[str, np.ndarray]:
    """The focus in the middle, then a ring per number of links from it; a node sits near its way in."""
    undirected = graph.to_undirected(as_view=True)
    hops = nx.single_source_shortest_path_length(undirected, focus)
    layers: dict[int, list[str]] = defaultdict(list)
    for node in core:
        layers[hops.get(node, max(hops.values()) + 1)].append(node)
    pos: dict[str, np.ndarray] = {focus: np.zeros(2)}
    angle: dict[str, float] = {focus: 0.0}
    radius = 0.0
    order = {"paper": 0, "method": 1, "model": 2, "hardware": 3, "claim": 4}
    for depth in sorted(k for k in layers if k > 0):
        ring = layers[depth]
        wanted = {}
        for node in ring:
            inner = [
                angle[n] for n in sorted(undirected[node]) if n in angle and hops.get(n, -1) < depth
            ]
            wanted[node] = (
                math.atan2(sum(math.sin(a) for a in inner), sum(math.cos(a) for a in inner))
                if inner and depth > 1
                else 0.0
            )
        ring.sort(
            key=lambda n: (
                round(wanted[n] % (2 * math.pi), 6),
                order[graph.nodes[n]["type"]],
                graph.nodes[n]["label"],
                n,
            )
        )
        # Room on the ring for each node and the disc of leaves around it.
        room = [2 * _LEAF_STEP * (1.2 + math.sqrt(mass[index[n]])) + 0.6 for n in ring]
        radius = max(1.5 * radius + 3.0, sum(room) / (2 * math.pi))
        steps = [w / radius for w in room]
        if depth == 1 or sum(steps) > 1.6 * math.pi:
            at = [math.pi / 2 + sum(steps[:i]) + steps[i] / 2 for i in range(len(ring))]
            if depth > 1:  # a full ring: turn it so that it lines up best with the inner one
                shift = math.atan2(
                    sum(math.sin(wanted[n] - a) for n, a in zip(ring, at, strict=True)),
                    sum(math.cos(wanted[n] - a) for n, a in zip(ring, at, strict=True)),
                )
                at = [a + shift for a in at]
        else:  # room to spare: each node at its wanted angle, pushed along just enough not to overlap
            at = []
            for i, node in enumerate(ring):
                want = wanted[node] % (2 * math.pi)
                at.append(want if not at else max(want, at[-1] + (steps[i - 1] + steps[i]) / 2))
        for node, a in zip(ring, at, strict=True):
            angle[node] = a
            pos[node] = radius * np.array([math.cos(a), math.sin(a)])
    return pos


def _leaf_discs(pos: dict[str, np.ndarray], parent: dict[str, str], graph: nx.MultiDiGraph) -> None:
    """Leaves around their node in a sunflower disc, first leaf pointing away from the middle."""
    children: dict[str, list[str]] = defaultdict(list)
    for leaf, node in parent.items():
        children[node].append(leaf)
    order = {"claim": 0, "method": 1, "model": 2, "hardware": 3, "paper": 4}
    pending = sorted(n for n in children if n in pos)
    while pending:
        node = pending.pop(0)
        centre = pos[node]
        base = math.atan2(centre[1], centre[0]) if np.any(centre) else 0.0
        kids = sorted(
            children[node],
            key=lambda n: (order[graph.nodes[n]["type"]], graph.nodes[n]["label"], n),
        )
        for i, leaf in enumerate(kids):
            radius = _LEAF_STEP * (1.2 + math.sqrt(i + 0.5))
            angle = base + i * GOLDEN_ANGLE
            pos[leaf] = centre + radius * np.array([math.cos(angle), math.sin(angle)])
            if leaf in children:
                pending.append(leaf)


def compute_layout(
    graph: nx.MultiDiGraph,
    *,
    seed: int = 0,
    iterations: int | None = None,
    label_budget: int | None = None,
) -> Layout:
    """Positions for every node of `graph` (see the module's docstring); the same graph, the same layout."""
    if graph.number_of_nodes() == 0:
        return Layout(pos={})
    skeleton = _skeleton(graph)
    parent = _leaves(skeleton, graph)
    core = [n for n in sorted(graph) if n not in parent]
    index = {n: i for i, n in enumerate(core)}
    mass = np.ones(len(core))
    for leaf in sorted(parent):
        root = leaf
        while root in parent:
            root = parent[root]
        mass[index[root]] += 1
    edges = np.array(
        sorted((index[u], index[v]) for u, v in skeleton.edges() if u in index and v in index),
        dtype=np.int64,
    ).reshape(-1, 2)
    focus = graph.graph.get("focus")
    if focus is not None and focus in index:
        pos = _rings(graph, core, focus, mass, index)
    else:
        placed = _clusters(graph, skeleton, core, index, mass, edges, seed, iterations)
        pos = {node: placed[index[node]] for node in core}
    _leaf_discs(pos, parent, graph)
    layout = Layout(
        pos={n: (round(float(pos[n][0]), 4), round(float(pos[n][1]), 4)) for n in sorted(graph)}
    )
    anchors = {} if focus is not None else topic_ring(graph, radius=1.6 * math.sqrt(mass.sum()))
    layout.topic_labels = topic_label_positions(graph, layout.pos, anchors)
    layout.labelled = pick_labels(graph, layout.pos, label_budget)
    return layout


def topic_label_positions(
    graph: nx.MultiDiGraph, pos: dict[str, tuple[float, float]], anchors: dict[str, np.ndarray]
) -> dict[str, tuple[float, float]]:
    """Each topic's name on a rim around the picture, in the direction of its anchor.

    Names that would overlap a name already placed move further out.
    """
    members: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for node, data in graph.nodes(data=True):
        if data["type"] == "paper":
            members[data["topics"][0] if data["topics"] else _NO_TOPIC].append(pos[node])
    if not pos:
        return {}
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    x_unit, y_unit = (max(xs) - min(xs) or 1.0) / 900, (max(ys) - min(ys) or 1.0) / 760
    labels: dict[str, tuple[float, float]] = {}
    boxes: list[tuple[float, float, float, float]] = []
    topic_names = graph.graph.get("topics", {})
    papers = np.array([p for ps in members.values() for p in ps])
    rim = (
        float(np.percentile(np.linalg.norm(papers, axis=1), 97)) + 24 * y_unit
        if len(papers)
        else 0.0
    )
    for topic in sorted(anchors, key=lambda t: (-len(members[t]), t)):
        if not members[topic]:
            continue
        direction = anchors[topic] / (np.linalg.norm(anchors[topic]) or 1.0)
        reach = rim
        half_w = 5.4 * len(topic_names.get(topic, topic) or "(no topic)") * x_unit
        for _ in range(40):
            spot = direction * reach
            box = (spot[0] - half_w, spot[0] + half_w, spot[1] - 10 * y_unit, spot[1] + 10 * y_unit)
            if not any(
                box[0] < b[1] and b[0] < box[1] and box[2] < b[3] and b[2] < box[3] for b in boxes
            ):
                break
            reach += 12 * y_unit
        boxes.append(box)
        labels[topic] = (round(float(spot[0]), 4), round(float(spot[1]), 4))
    return dict(sorted(labels.items()))


def importance(graph: nx.MultiDiGraph, node: str) -> float:
    """How much a node deserves its name on the picture: papers linking to it, or links it has."""
    data = graph.nodes[node]
    if data["type"] == "claim":
        return 0.0
    papers = {n for n in nx.all_neighbors(graph, node) if graph.nodes[n]["type"] == "paper"}
    if data["type"] == "paper":
        return 0.5 * graph.degree(node)
    return float(len(papers))


def _named_like_its_method(graph: nx.MultiDiGraph, node: str) -> bool:
    """A paper whose name is that of a method it links to: the name is written once, on the method."""
    data = graph.nodes[node]
    if data["type"] != "paper":
        return False
    key = norm_key(data["label"])
    return any(
        norm_key(graph.nodes[n]["label"]) == key
        for n in nx.all_neighbors(graph, node)
        if graph.nodes[n]["type"] in ENTITY_TYPES
    )


def pick_labels(
    graph: nx.MultiDiGraph,
    pos: dict[str, tuple[float, float]],
    budget: int | None = None,
    width_px: float = 850,
    height_px: float = 760,
    only: set[str] | None = None,
) -> list[str]:
    """The most important nodes whose names fit without overlapping one another (greedy, deterministic).

    `only` limits the candidates (an overview names its methods, models and hardware, not its papers).
    """
    if not pos:
        return []
    if budget is None:
        budget = graph.number_of_nodes() if graph.number_of_nodes() <= 60 else 70
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    x_unit = (max(xs) - min(xs) or 1.0) / width_px
    y_unit = (max(ys) - min(ys) or 1.0) / height_px
    candidates = sorted(
        (
            n
            for n in graph
            if (graph.nodes[n]["type"] != "claim" or graph.number_of_nodes() <= 60)
            and (only is None or n in only)
        ),
        key=lambda n: (-importance(graph, n), graph.nodes[n]["label"], n),
    )
    boxes: list[tuple[float, float, float, float]] = []
    chosen: list[str] = []
    for node in candidates:
        if len(chosen) >= budget:
            break
        if _named_like_its_method(graph, node):
            continue
        x, y = pos[node]
        half = 3.4 * len(graph.nodes[node]["label"]) * x_unit + 2 * x_unit
        box = (
            x - half,
            x + half,
            y + 4 * y_unit,
            y + 20 * y_unit,
        )  # the name sits above its marker
        if any(box[0] < b[1] and b[0] < box[1] and box[2] < b[3] and b[2] < box[3] for b in boxes):
            continue
        boxes.append(box)
        chosen.append(node)
    return sorted(chosen)
