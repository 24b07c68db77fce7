"""The store as a networkx graph: typed nodes with the attributes the pages and exports show.

`read_graph` runs the `kg/sparql/viz_*.rq` queries and folds their rows into one
`networkx.MultiDiGraph` whose nodes are IRIs and whose edges are keyed by relation:

| node `type` | attributes |
|---|---|
| `paper` | label, title, arxiv, issued (ISO date or ""), digests, topics |
| `method`, `model`, `hardware` | label (skos:prefLabel), aliases (skos:altLabel) |
| `claim` | label, value, value_max, unit, metric, direction, condition, method, baseline, model, hardware (names), evidence, digests, paper |

Every node also carries what the filters need, derived from its papers:
`topics`, `digests`, `runs_on` (hardware names, with the broader node: a paper on an
A100-80GB is also on an A100) and `best` (the largest claimed x-factor, or None).
Lists are sorted tuples, so the same store always gives the same graph.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx
import pyoxigraph as ox

from techclaims.kg.errors import UsageError
from techclaims.kg.sparql import load
from techclaims.kg.store import Store, select
from techclaims.schema.iris import KG, norm_key

NODE_TYPES = ("paper", "method", "model", "hardware", "claim")
ENTITY_TYPES = ("method", "model", "hardware")
#: Paper -> entity relations, then claim relations, then entity -> entity.
PAPER_RELATIONS = ("proposes", "comparesWith", "usesMethod", "evaluatesModel", "usesHardware")
CLAIM_RELATIONS = ("reports", "aboutMethod", "baseline", "onModel", "onHardware")
RELATIONS = PAPER_RELATIONS + CLAIM_RELATIONS + ("broader",)
_CLASS_TYPE = {f"{KG}Method": "method", f"{KG}Model": "model", f"{KG}Hardware": "hardware"}
_CLAIM_ROLES = (
    ("method", "aboutMethod"),
    ("baseline", "baseline"),
    ("model", "onModel"),
    ("hardware", "onHardware"),
)


@dataclass(frozen=True)
class Filters:
    """What to keep. Empty fields keep everything; names match in any spelling (case, spaces, hyphens).

    A paper is kept when it has one of the `topics`, was read from one of the `digests`, ran on
    one of the `hardware` (or a narrower model of it) and claims an x-factor of at least
    `min_speedup`; each given condition must hold. Its claims are kept when they also meet
    `min_speedup` (x-factors only) and `hardware` (or name none); a method, model or hardware is
    kept when a kept paper or claim links to it. `types` then limits which kinds of node are drawn.
    """

    topics: frozenset[str] = field(default_factory=frozenset)
    types: frozenset[str] = field(default_factory=frozenset)
    min_speedup: float | None = None
    hardware: frozenset[str] = field(default_factory=frozenset)
    digests: frozenset[str] = field(default_factory=frozenset)

    def __bool__(self) -> bool:
        return bool(
            self.topics
            or self.types
            or self.min_speedup is not None
            or self.hardware
            or self.digests
        )


def _value(term) -> str | None:
    return None if term is None else term.value


def _number(term) -> float | None:
    return None if term is None else float(term.value)


def _short_label(title: str) -> str:
    """A paper's name on the page: the part before the colon when it is short, else the cut title.

    >>> _short_label("Tree Training: Accelerating Agentic LLMs Training via Shared Prefix Reuse")
    'Tree Training'
    >>> _short_label("A study of many things that are too long to show in a label on a node")
    'A study of many things that are too lo…'
    """
    head, sep, _ = title.partition(":")
    if sep and 2 <= len(head.strip()) <= 40:
        return head.strip()
    return title if len(title) <= 40 else title[:38].rstrip() + "…"


def _claim_label(value: float, value_max: float | None, unit: str, metric: str | None) -> str:
    """
    >>> _claim_label(1.3, 1.6, "x", "throughput")
    '1.3–1.6x throughput'
    >>> _claim_label(40.0, None, "%", None)
    '40%'
    """
    amount = f"{value:g}" if value_max is None else f"{value:g}–{value_max:g}"
    return f"{amount}{unit}" + (f" {metric}" if metric else "")


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _collect(
    rows: ox.QuerySolutions, subject: str, sources: dict[str, str]
) -> dict[str, dict[str, set[str]]]:
    """Query rows of (subject, property, value) as subject -> property -> values.

    A digest (prov:wasDerivedFrom) is recorded by its name (`sources`: digest IRI -> dcterms:source).
    """
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        prop = _local(row["property"].value)
        value = row["value"].value
        if prop == "wasDerivedFrom":
            value = sources.get(value)
            if value is None:
                continue
        found[row[subject].value][prop].add(value)
    return found


def read_graph(store: Store) -> nx.MultiDiGraph:
    """Papers, methods, models, hardware and claims of the whole store as one typed graph.

    Every query asks for DISTINCT rows matched inside one digest's graph: the union default graph
    is a bag, and on a year of digests (6,300 papers, 17,000 entities) the bag's repeats were
    750,000 rows and most of a 30 s read.
    """
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    topic_labels: dict[str, str] = {}
    sources = {
        row["digest"].value: row["source"].value for row in select(store, load("viz_digests"))
    }
    papers = _collect(select(store, load("viz_papers")), "paper", sources)
    topics: dict[str, set[str]] = defaultdict(set)
    for row in select(store, load("viz_topics")):
        local = _local(row["topic"].value)
        topics[row["paper"].value].add(local)
        topic_labels[local] = _value(row["label"]) or topic_labels.get(local) or local
    for iri in sorted(papers):
        found = papers[iri]
        title = min(found["title"], key=lambda t: (len(t), t), default=_local(iri))
        graph.add_node(
            iri,
            type="paper",
            label=_short_label(title),
            title=title,
            arxiv=min(found["arxivId"], default=""),
            issued=min(found["issued"], default=""),
            digests=tuple(sorted(found["wasDerivedFrom"])),
            topics=tuple(sorted(topics[iri])),
        )

    types: dict[str, set[str]] = defaultdict(set)
    for row in select(store, load("viz_entities")):
        types[row["entity"].value].add(_CLASS_TYPE[row["class"].value])
    entities: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in select(store, load("viz_entity_names")):
        iri = row["entity"].value
        if iri in types:
            entities[iri][_local(row["property"].value)].add(row["value"].value)
    for iri in sorted(types):
        found = entities[iri]
        label = min(found["prefLabel"], default=None) or min(
            found["altLabel"], key=lambda a: (len(a), a), default=_local(iri)
        )
        graph.add_node(
            iri,
            # a model compared against is also typed kg:Method (the range of kg:baseline):
            # it is drawn as the model it is
            type=next(k for k in ("model", "hardware", "method") if k in types[iri]),
            label=label,
            aliases=tuple(sorted(a for a in found["altLabel"] if a != label)),
        )
    for iri in sorted(types):
        for broader in sorted(entities[iri]["broader"]):
            if broader in graph:
                graph.add_edge(iri, broader, key="broader", relation="broader")

    links = sorted(
        (row["paper"].value, _local(row["relation"].value), row["entity"].value)
        for row in select(store, load("viz_links"))
    )
    for paper, relation, entity in links:
        if paper in graph and entity in graph:
            graph.add_edge(paper, entity, key=relation, relation=relation)

    _add_claims(graph, store, sources)
    _derive(graph)
    graph.graph["topics"] = dict(sorted(topic_labels.items()))
    return graph


def _add_claims(graph: nx.MultiDiGraph, store: Store, sources: dict[str, str]) -> None:
    """Claims as nodes. Where digests disagree (two baselines, two evidence sentences) every link is
    kept and the attribute shows the first in sorted order."""
    papers: dict[str, set[str]] = defaultdict(set)
    for row in select(store, load("viz_reports")):
        papers[row["claim"].value].add(row["paper"].value)
    claims = _collect(select(store, load("viz_claims")), "claim", sources)
    for iri in sorted(claims):
        found = claims[iri]
        if not papers[iri] or "value" not in found or "unit" not in found:
            continue
        paper = min(papers[iri])

        def first(prop: str, found: dict = found) -> str | None:
            return min(found[prop], default=None)

        value = min(float(v) for v in found["value"])
        value_max = min((float(v) for v in found["valueMax"]), default=None)
        roles = {
            name: sorted(n for n in found[relation] if n in graph)
            for name, relation in _CLAIM_ROLES
        }
        names = {
            name: min((graph.nodes[n]["label"] for n in nodes), default=None)
            for name, nodes in roles.items()
        }
        graph.add_node(
            iri,
            type="claim",
            label=_claim_label(value, value_max, first("unit") or "", first("metric")),
            value=value,
            value_max=value_max,
            unit=first("unit"),
            metric=first("metric"),
            direction=first("direction"),
            condition=first("condition"),
            evidence=first("evidence") or "",
            digests=tuple(sorted(found["wasDerivedFrom"])),
            paper=paper,
            **names,
        )
        if paper in graph:
            graph.add_edge(paper, iri, key="reports", relation="reports")
        for name, relation in _CLAIM_ROLES:
            for node in roles[name]:
                graph.add_edge(iri, node, key=relation, relation=relation)


def _derive(graph: nx.MultiDiGraph) -> None:
    """Topics, digests, hardware and best x-factor on every node, from the papers it touches."""
    nodes = graph.nodes
    for node, data in graph.nodes(data=True):
        if data["type"] == "claim":
            # The best an x-factor claim states: the top of a range ("1.3x~1.6x" -> 1.6).
            data["best"] = (
                max(data["value"], data["value_max"] or 0) if data["unit"] == "x" else None
            )
            paper = nodes[data["paper"]] if data["paper"] in graph else {}
            data["topics"] = paper.get("topics", ())
            data["runs_on"] = _with_broader(
                graph, [t for _, t, k in graph.out_edges(node, keys=True) if k == "onHardware"]
            )
    for node, data in graph.nodes(data=True):
        if data["type"] != "paper":
            continue
        claims = [c for _, c, k in graph.out_edges(node, keys=True) if k == "reports"]
        kit = [t for _, t, k in graph.out_edges(node, keys=True) if k == "usesHardware"]
        kit += [t for c in claims for _, t, k in graph.out_edges(c, keys=True) if k == "onHardware"]
        data["runs_on"] = _with_broader(graph, kit)
        values = [nodes[c]["best"] for c in claims if nodes[c]["best"] is not None]
        data["best"] = max(values, default=None)
    for node, data in graph.nodes(data=True):
        if data["type"] not in ENTITY_TYPES:
            continue
        touching = {
            n for n in nx.all_neighbors(graph, node) if nodes[n]["type"] in ("paper", "claim")
        }
        papers = {n if nodes[n]["type"] == "paper" else nodes[n]["paper"] for n in touching}
        papers = {p for p in papers if p in graph}
        data["topics"] = tuple(sorted({t for p in papers for t in nodes[p]["topics"]}))
        data["digests"] = tuple(sorted({d for n in touching for d in nodes[n]["digests"]}))
        data["runs_on"] = _with_broader(graph, [node]) if data["type"] == "hardware" else ()
        about = [
            nodes[c]["best"]
            for c, _, k in graph.in_edges(node, keys=True)
            if k == "aboutMethod" and nodes[c]["best"] is not None
        ]
        data["best"] = max(about, default=None)


def _with_broader(graph: nx.MultiDiGraph, hardware: Iterable[str]) -> tuple[str, ...]:
    names = set()
    for node in hardware:
        names.add(graph.nodes[node]["label"])
        names.update(
            graph.nodes[b]["label"]
            for _, b, k in graph.out_edges(node, keys=True)
            if k == "broader"
        )
    return tuple(sorted(names))


# -- filters and focus ------------------------------------------------------


def _matches(wanted: frozenset[str], names: Iterable[str]) -> bool:
    keys = {norm_key(w) for w in wanted}
    return any(norm_key(n) in keys for n in names)


def filter_graph(graph: nx.MultiDiGraph, filters: Filters) -> nx.MultiDiGraph:
    """The part of `graph` that `filters` keeps (see `Filters`); the whole graph when no filter is set."""
    if not filters:
        return graph
    unknown = set(filters.types) - set(NODE_TYPES)
    if unknown:
        raise UsageError(
            f"unknown node type(s) {', '.join(sorted(unknown))}: choose from {', '.join(NODE_TYPES)}"
        )
    nodes = graph.nodes
    topic_names = {t: [t, label] for t, label in graph.graph.get("topics", {}).items()}
    kept: set[str] = set()
    for node, data in nodes(data=True):
        if data["type"] != "paper":
            continue
        if filters.topics and not _matches(
            filters.topics, [n for t in data["topics"] for n in topic_names.get(t, [t])]
        ):
            continue
        if filters.digests and not _matches(filters.digests, data["digests"]):
            continue
        if filters.hardware and not _matches(filters.hardware, data["runs_on"]):
            continue
        if filters.min_speedup is not None and (
            data["best"] is None or data["best"] < filters.min_speedup
        ):
            continue
        kept.add(node)
    for node, data in nodes(data=True):
        if data["type"] != "claim" or data["paper"] not in kept:
            continue
        if filters.min_speedup is not None and (
            data["best"] is None or data["best"] < filters.min_speedup
        ):
            continue
        if filters.hardware and data["runs_on"] and not _matches(filters.hardware, data["runs_on"]):
            continue
        if filters.digests and not _matches(filters.digests, data["digests"]):
            continue
        kept.add(node)
    for node, data in nodes(data=True):
        if data["type"] in ENTITY_TYPES and any(
            n in kept
            for n in nx.all_neighbors(graph, node)
            if nodes[n]["type"] in ("paper", "claim")
        ):
            kept.add(node)
    if filters.types:
        kept = {n for n in kept if nodes[n]["type"] in filters.types}
    return graph.subgraph(sorted(kept)).copy()


def _names(data: dict) -> list[str]:
    names = [data["label"], *data.get("aliases", ())]
    if data["type"] == "paper":
        names += [data["title"], data["arxiv"]]
    return [n for n in names if n]


def find_node(graph: nx.MultiDiGraph, name: str) -> str:
    """The node called `name` (label, alias, paper title or arXiv id; any spelling); UsageError if none."""
    key = norm_key(name)
    found = sorted(
        (data["type"] != "method", -graph.degree(node), node)
        for node, data in graph.nodes(data=True)
        if data["type"] != "claim" and key in {norm_key(n) for n in _names(data)}
    )
    if found:
        return found[0][2]
    labels = sorted(
        {data["label"] for _, data in graph.nodes(data=True) if data["type"] != "claim"}
    )
    close = difflib.get_close_matches(name, labels, n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
    raise UsageError(f"no method, model, hardware or paper called {name!r} in the graph{hint}")


def focus_graph(graph: nx.MultiDiGraph, name: str, depth: int = 1) -> nx.MultiDiGraph:
    """The neighbourhood of the node called `name`: every node within `depth` links (either direction).

    The focused node is marked with the graph attribute `focus`.
    """
    if depth < 0:
        raise UsageError("--depth must be 0 or more")
    center = find_node(graph, name)
    near = nx.single_source_shortest_path_length(
        graph.to_undirected(as_view=True), center, cutoff=depth
    )
    sub = graph.subgraph(sorted(near)).copy()
    sub.graph["focus"] = center
    return sub
