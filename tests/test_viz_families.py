"""Speed-up charts compare like with like: one metric family (and direction) per panel, picked
from a menu, and the method x hardware matrix holds speed claims only."""

from __future__ import annotations

import pytest
from records_factory import digest, measured

from techclaims.kg.api import write_records
from techclaims.kg.store import open_store
from techclaims.kg.viz.charts import CHARTS, family
from techclaims.kg.viz.graph import read_graph


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    papers = (
        measured("2511.00001", "Fast", ((3.0, "x", "decode throughput", "increase"),)),
        measured("2511.00002", "Quick", ((2.0, "x", "end-to-end latency", "decrease"),)),
        measured("2511.00003", "Small", ((8.0, "x", "KV cache memory", "decrease"),)),
        measured("2511.00004", "Lean", ((40.0, "%", "memory", "decrease"),)),
        # not efficiency gains: drawn nowhere
        measured("2511.00005", "Hot", ((6.0, "x", "energy", "increase"),)),
        measured("2511.00006", "Tuned", ((12.0, "x", "compile time", "decrease"),)),
    )
    store = write_records(tmp_path_factory.mktemp("fam") / "store", [digest("a.md", papers)])
    with open_store(store, read_only=True) as opened:
        return read_graph(opened)


@pytest.mark.parametrize("name", ["speedup-by-topic", "speedup-by-hardware"])
def test_each_panel_holds_one_family(graph, name):
    figure = CHARTS[name](graph)
    families = figure.layout.meta["families"]
    assert set(families) == {"speed, higher", "speed, lower", "memory, lower"}
    (menu,) = figure.layout.updatemenus
    assert [b.label.rsplit(" (", 1)[0] for b in menu.buttons] == families
    of_value = {
        3.0: "speed, higher",
        2.0: "speed, lower",
        8.0: "memory, lower",
        40.0: "memory, lower",
    }
    for button, kind in zip(menu.buttons, families, strict=True):
        shown = [t for t, on in zip(figure.data, button.args[0]["visible"], strict=True) if on]
        assert shown and {of_value[v] for t in shown for v in t.x} == {kind}
    # at first only the most claimed family is drawn
    first = {of_value[v] for t in figure.data if t.visible is not False for v in t.x}
    assert first == {families[0]}


def test_the_matrix_holds_speed_claims_only(graph):
    matrix = CHARTS["method-hardware"](graph)
    assert list(matrix.data[0].y) == ["Fast", "Quick"]  # Small's 8x is memory, not speed
    assert "other metrics" in matrix.layout.title.text


def test_family_follows_the_metric_text():
    assert family({"metric": "TTFT", "direction": "decrease"}) == "speed, lower"
    assert family({"metric": "weight compression ratio"}) == "ratio"


def test_a_claim_that_is_no_efficiency_gain_is_drawn_nowhere(graph, tmp_path):
    values = {d["value"] for _, d in graph.nodes(data=True) if d["type"] == "claim"}
    assert {6.0, 12.0} <= values  # in the graph, with their evidence
    for name in ("speedup-by-topic", "speedup-by-hardware"):
        drawn = {v for trace in CHARTS[name](graph).data for v in trace.x}
        assert drawn == {3.0, 2.0, 8.0, 40.0}
    assert "Hot" not in CHARTS["method-hardware"](graph).data[0].y


def test_the_store_types_each_claim_gain_and_metric_kind(tmp_path):
    papers = (
        measured("2511.00005", "Hot", ((6.0, "x", "energy", "increase"),)),
        measured("2511.00001", "Fast", ((3.0, "x", "decode throughput", "increase"),)),
    )
    store = write_records(tmp_path / "store", [digest("a.md", papers)])
    with open_store(store, read_only=True) as opened:
        rows = opened.query(
            "PREFIX kg: <https://w3id.org/techclaims/kg#> "
            "SELECT ?value ?gain ?family WHERE { GRAPH ?g { ?c kg:value ?value ; kg:gain ?gain ; "
            "kg:metricKind ?kind } ?kind kg:metricFamily ?family } ORDER BY ?value"
        )
        got = [(float(r["value"].value), r["gain"].value, r["family"].value) for r in rows]
    assert got == [(3.0, "true", "throughput"), (6.0, "false", "energy")]


def test_a_model_compared_against_is_drawn_as_a_model(tmp_path):
    """kg:baseline's range types a compared model kg:Method too; the page still calls it a model."""
    paper = measured(
        "2511.00009",
        "Tiny",
        ((3.0, "x", "decode throughput", "increase"),),
        baseline="Qwen3-8B",
        model="Qwen3-8B",
        hardware=None,
    )
    store = write_records(tmp_path / "store", [digest("a.md", (paper,))])
    with open_store(store, read_only=True) as opened:
        graph = read_graph(opened)
    (node,) = [n for n, d in graph.nodes(data=True) if d.get("label") == "Qwen3-8B"]
    assert graph.nodes[node]["type"] == "model"
