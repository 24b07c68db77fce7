"""What a person reads when the pointer rests on a node or a point: short HTML for plotly hover boxes."""

from __future__ import annotations

import html
import re
import unicodedata

import networkx as nx

TYPE_NAMES = {
    "paper": "paper",
    "method": "method",
    "model": "model",
    "hardware": "hardware",
    "claim": "claim",
}


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def wrap(text: str, width: int = 72) -> str:
    """Escape `text` for a hover box and break it into lines of about `width` columns (CJK counts 2).

    >>> wrap("a <b> c", 80)
    'a &lt;b&gt; c'
    >>> wrap("one two three", 8)
    'one two<br>three'
    """
    lines, line, used = [], "", 0
    for word in _words(text):
        size = sum(_width(c) for c in word)
        if used + size > width and line.strip():
            lines.append(line.rstrip())
            line, used = "", 0
            word = word.lstrip()
            size = sum(_width(c) for c in word)
        line += word
        used += size
    if line.strip():
        lines.append(line.rstrip())
    return "<br>".join(html.escape(part, quote=False) for part in lines)


def _words(text: str) -> list[str]:
    """Latin words with their leading space; every wide (CJK) character on its own (lines may break there).

    >>> _words("Tree Training在真实 trace 上")
    ['Tree', ' Training', '在', '真', '实', ' trace', ' 上']
    """
    words: list[str] = []
    for token in _TOKEN.findall(" ".join(text.split())):
        words.append(token)
    return words


_TOKEN = re.compile(
    r" ?(?:[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]"
    r"|[^\s\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]+)"
)


def _listed(name: str, values, limit: int = 8) -> str:
    values = [v for v in values if v]
    if not values:
        return ""
    shown = ", ".join(values[:limit]) + (
        f" and {len(values) - limit} more" if len(values) > limit else ""
    )
    return f"<br>{name}: {wrap(shown, 72)}"


def claim_text(data: dict) -> str:
    """The hover text of a claim: what it states, against what, where, and the evidence sentence."""
    arrow = {"increase": "↑", "decrease": "↓"}.get(data.get("direction") or "", "")
    parts = [f"<b>{html.escape(data['label'])}</b> {arrow}"]
    if data.get("method"):
        against = f" vs {html.escape(data['baseline'])}" if data.get("baseline") else ""
        parts.append(f"{html.escape(data['method'])}{against}")
    elif data.get("baseline"):
        parts.append(f"vs {html.escape(data['baseline'])}")
    where = [x for x in (data.get("model"), data.get("hardware")) if x]
    if where:
        parts.append("on " + html.escape(", ".join(where)))
    if data.get("condition"):
        parts.append(wrap(data["condition"]))
    if data.get("evidence"):
        parts.append("<i>" + wrap(f"“{data['evidence']}”") + "</i>")
    return "<br>".join(parts)


def node_text(graph: nx.MultiDiGraph, node: str, topic_labels: dict[str, str] | None = None) -> str:
    """The hover text of any node: name, type, aliases, topics and what matters for its type."""
    data = graph.nodes[node]
    kind = data["type"]
    if kind == "claim":
        paper = graph.nodes[data["paper"]]["title"] if data["paper"] in graph else ""
        return (
            claim_text(data)
            + (f"<br>paper: {wrap(paper)}" if paper else "")
            + _listed("digest", data["digests"])
        )
    topics = [(topic_labels or {}).get(t, t) for t in data.get("topics", ())]
    if kind == "paper":
        text = f"<b>{wrap(data['title'])}</b><br>paper"
        if data["arxiv"]:
            text += f" · arXiv {html.escape(data['arxiv'])}"
        if data["issued"]:
            text += f" · {html.escape(data['issued'])}"
        claims = [c for _, c, k in graph.out_edges(node, keys=True) if k == "reports"]
        text += _listed("topics", topics) + _listed("hardware", list(data.get("runs_on", ())))
        if claims:
            best = data.get("best")
            text += f"<br>claims: {len(claims)}" + (f", best {best:g}x" if best else "")
        return text + _listed("digest", list(data["digests"]))
    papers = sorted({n for n in nx.all_neighbors(graph, node) if graph.nodes[n]["type"] == "paper"})
    text = f"<b>{html.escape(data['label'])}</b><br>{TYPE_NAMES[kind]}"
    text += _listed("also written", list(data.get("aliases", ())))
    text += f"<br>papers: {len(papers)}" if papers else ""
    if data.get("best"):
        text += f"<br>best claimed speed-up: {data['best']:g}x"
    text += _listed("topics", topics, limit=5)
    names = [graph.nodes[p]["label"] for p in papers]
    return text + _listed("in", names, limit=6)


def paper_brief(
    graph: nx.MultiDiGraph, node: str, topic_labels: dict[str, str] | None = None
) -> str:
    """A paper's hover text in an overview, where there are thousands: title, arXiv id, date, topics
    and its best claim (what it links to is one click away)."""
    data = graph.nodes[node]
    text = f"<b>{wrap(data['title'])}</b><br>paper"
    if data["arxiv"]:
        text += f" · arXiv {html.escape(data['arxiv'])}"
    if data["issued"]:
        text += f" · {html.escape(data['issued'])}"
    topics = [(topic_labels or {}).get(t, t) for t in data.get("topics", ())]
    text += _listed("topics", topics)
    if data.get("best"):
        text += f"<br>best claim: {data['best']:g}x"
    return text
