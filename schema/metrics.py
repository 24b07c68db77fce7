"""Metric kinds: what a claim's metric measures, its family, which way is better.

The kinds are individuals of ``kg:MetricKind`` in ``ontology.ttl`` (so the store holds
them beside the claims that link them); this module reads them once, so `ingest` and
`kg` type a metric the same way. A metric as the extractor writes it is a base word
narrowed by qualifiers ("end-to-end training speed", "GPU kernel time"); its kind is
the kind whose label or alternative label the metric is, else the longest one it ends
with ("end-to-end training speed" -> speed, "compile time" -> search time).

>>> metric_kind("end-to-end training speed").name, metric_kind("TTFT").family
('speed', 'latency')
>>> is_gain("energy", "increase"), is_gain("memory", "decrease"), is_gain("compile time", "decrease")
(False, True, False)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox

from . import ONTOLOGY

__all__ = ["MetricKind", "kinds", "metric_kind", "is_gain", "METRIC_NS"]

METRIC_NS = "https://w3id.org/techclaims/id/metric/"
_KG = "https://w3id.org/techclaims/kg#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"


@dataclass(frozen=True)
class MetricKind:
    """One kind of metric (``iri`` names it in the graph)."""

    iri: str
    name: str  # skos:prefLabel
    labels: tuple[str, ...]  # prefLabel and altLabels
    family: str
    better: str  # "increase" | "decrease"
    efficiency: bool


@cache
def kinds() -> tuple[MetricKind, ...]:
    """Every metric kind of the ontology, in IRI order."""
    store = ox.Store()
    store.load(ONTOLOGY.read_bytes(), ox.RdfFormat.TURTLE)
    rows = store.query(
        f"""SELECT ?kind ?name (GROUP_CONCAT(DISTINCT ?alt; separator="\\u0001") AS ?alts)
                   ?family ?better ?efficiency WHERE {{
            ?kind a <{_KG}MetricKind> ; <{_SKOS}prefLabel> ?name ;
                  <{_KG}metricFamily> ?family ; <{_KG}betterWhen> ?better ;
                  <{_KG}efficiencyMetric> ?efficiency .
            OPTIONAL {{ ?kind <{_SKOS}altLabel> ?alt }}
        }} GROUP BY ?kind ?name ?family ?better ?efficiency ORDER BY ?kind"""
    )
    out = []
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        alts = tuple(a for a in str(row["alts"].value).split("\u0001") if a) if row["alts"] else ()
        out.append(
            MetricKind(
                iri=row["kind"].value,
                name=row["name"].value,
                labels=(row["name"].value, *alts),
                family=row["family"].value,
                better=row["better"].value,
                efficiency=row["efficiency"].value == "true",
            )
        )
    return tuple(out)


@cache
def _by_label() -> dict[str, MetricKind]:
    return {label.lower(): kind for kind in kinds() for label in kind.labels}


@cache
def metric_kind(metric: str | None) -> MetricKind | None:
    """The kind of a metric as the extractor writes it; None when it names none."""
    if not metric:
        return None
    text = " ".join(metric.lower().split())
    table = _by_label()
    if text in table:
        return table[text]
    best: MetricKind | None = None
    best_length = 0
    for label, kind in table.items():
        if len(label) > best_length and text.endswith(" " + label):
            best, best_length = kind, len(label)
    return best


def is_gain(metric: str | None, direction: str | None) -> bool:
    """Whether a claim with this metric and direction is an efficiency gain: its kind is an
    efficiency metric and it moved the better way. A claim whose metric names no kind, or
    that states no direction, is read as the speed-up the paper claims (True)."""
    kind = metric_kind(metric)
    if kind is None:
        return True
    if not kind.efficiency:
        return False
    return direction is None or direction == kind.better
