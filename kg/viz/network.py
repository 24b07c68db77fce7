"""The graph for other tools: GraphML (networkx, Cytoscape, yEd) and GEXF (Gephi).

Nodes keep their IRI as id and carry `type`, `label` and every attribute of
`kg.viz.graph` that has a value (lists joined with "; "): aliases, topics, digests,
and for claims value, value_max, unit, metric, direction, method, baseline, model,
hardware and evidence. Edges carry their `relation`. Both files hold the page's layout
too: `x`, `y` in GraphML, `viz` position, colour and size in GEXF, so Gephi opens
with the same picture.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from techclaims.kg.errors import KgError, UsageError
from techclaims.kg.store import Store
from techclaims.kg.viz.graph import read_graph
from techclaims.kg.viz.layout import compute_layout

FORMATS = ("graphml", "gexf")
_COLORS = {
    "paper": (76, 120, 168),
    "method": (245, 133, 24),
    "model": (84, 162, 75),
    "hardware": (228, 87, 86),
    "claim": (178, 121, 162),
}
_SKIP = {"best"}  # derived for the page's filters; `value`/`value_max` say it for a claim


def _plain(value: object) -> str | int | float | bool | None:
    """A value GraphML and GEXF can hold: str, int, float or bool; lists joined; None dropped."""
    if value is None:
        return None
    if isinstance(value, (tuple, list, set, frozenset)):
        return "; ".join(str(v) for v in value) if value else None
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def export_graph(graph: nx.MultiDiGraph, fmt: str, *, with_layout: bool = True) -> nx.MultiDiGraph:
    """A copy of `graph` whose attributes GraphML/GEXF writers accept (and, for GEXF, Gephi's `viz`)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown network format {fmt!r} (choose from {', '.join(FORMATS)})")
    layout = compute_layout(graph, label_budget=0) if with_layout and len(graph) else None
    out: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    # Every claim attribute, even when a claim lacks it, is declared with one type per key.
    for node in sorted(graph):
        data = graph.nodes[node]
        # plain values, then GEXF's nested `viz` dict: the writers take both
        attrs: dict[str, Any] = {
            k: v
            for k, v in ((k, _plain(v)) for k, v in sorted(data.items()) if k not in _SKIP)
            if v is not None
        }
        if data["type"] == "claim":
            for key in ("value", "value_max"):
                if key in attrs:
                    attrs[key] = float(attrs[key])
        if layout is not None:
            x, y = layout.pos[node]
            if fmt == "gexf":
                r, g, b = _COLORS[data["type"]]
                attrs["viz"] = {
                    "position": {"x": x * 10, "y": y * 10, "z": 0.0},
                    "color": {"r": r, "g": g, "b": b, "a": 1.0},
                    "size": float(2 + graph.degree(node) ** 0.5 * 2),
                }
            else:
                attrs["x"], attrs["y"] = float(x), float(y)
        out.add_node(node, **attrs)
    for u, v, key in sorted(graph.edges(keys=True)):
        out.add_edge(u, v, key=key, relation=key)
    return out


def export_network(store: Store, path: Path, fmt: str) -> int:
    """Write the store's graph to `path` as GraphML or GEXF; returns the number of nodes.

    Written to a temporary name and renamed, so a failed export never leaves half a file.
    """
    graph = export_graph(read_graph(store), fmt)
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    try:
        if fmt == "graphml":
            nx.write_graphml(graph, tmp, named_key_ids=True)
        else:
            nx.write_gexf(graph, tmp)
        tmp.replace(path)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise KgError(f"{path}: cannot write the {fmt} file: {err.strerror or err}") from err
    return graph.number_of_nodes()
