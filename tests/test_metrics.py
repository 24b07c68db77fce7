"""Metric kinds (schema/metrics.py, the kg:MetricKind individuals of ontology.ttl)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from techclaims.schema.metrics import is_gain, kinds, metric_kind

CUES = Path(__file__).resolve().parents[1] / "ingest" / "claims" / "data" / "metric_cues.jsonl"


def test_every_metric_the_extractor_writes_has_a_kind():
    metrics = [json.loads(line).get("metric") for line in CUES.read_text().splitlines() if line]
    unknown = [m for m in metrics if m and metric_kind(m) is None]
    assert not unknown


def test_no_label_names_two_kinds_and_every_kind_is_complete():
    seen: dict[str, str] = {}
    for kind in kinds():
        assert kind.better in ("increase", "decrease") and kind.family
        for label in kind.labels:
            assert seen.setdefault(label.lower(), kind.name) == kind.name, label
    assert len(kinds()) >= 15


@pytest.mark.parametrize(
    ("metric", "name", "family"),
    [
        ("end-to-end training speed", "speed", "speed"),
        ("decode throughput", "throughput", "throughput"),
        ("GPU kernel time", "time", "time"),
        ("TTFT", "TTFT", "latency"),
        ("KV cache size", "memory", "memory"),
        ("peak memory", "memory", "memory"),
        ("inference cost", "cost", "cost"),
        ("training energy", "energy", "energy"),
        ("compile time", "search time", "search"),
        ("speedup", "speed", "speed"),
    ],
)
def test_a_qualified_metric_takes_the_kind_of_its_base(metric, name, family):
    kind = metric_kind(metric)
    assert kind is not None and (kind.name, kind.family) == (name, family)


def test_words_that_only_end_like_a_label_name_no_kind():
    assert metric_kind("bespoke") is None  # ends in "speed"-like letters, not the word
    assert metric_kind(None) is None and metric_kind("") is None


@pytest.mark.parametrize(
    ("metric", "direction", "gain"),
    [
        ("energy", "increase", False),  # a 6x energy increase is not a speed-up
        ("energy", "decrease", True),
        ("throughput", "increase", True),
        ("latency", "increase", False),
        ("size", "decrease", False),  # a compression ratio of the inputs
        ("parameters", "decrease", False),
        ("compile time", "decrease", False),  # a one-off search cost, not the job's speed
        ("speedup", None, True),
        (None, None, True),
    ],
)
def test_gain_needs_an_efficiency_kind_moving_the_better_way(metric, direction, gain):
    assert is_gain(metric, direction) is gain


def test_rankings_and_wins_leave_out_claims_that_are_no_gain(tmp_path):
    """A 6x throughput loss against vLLM on the H100 is in the graph, and neither the top
    speed-ups per hardware nor the methods beating vLLM show it."""
    from conftest import kg
    from records_factory import digest, measured

    from techclaims.kg.api import write_records

    setting = {"baseline": "vLLM", "model": "Llama-3-8B", "hardware": "H100"}
    papers = (
        measured("2511.00001", "Fast", ((2.0, "x", "throughput", "increase"),), **setting),
        measured("2511.00002", "Hot", ((6.0, "x", "throughput", "decrease"),), **setting),  # worse
    )
    store = write_records(tmp_path / "store", [digest("a.md", papers)])
    wins = kg(
        "query", "--store", store, "--saved", "methods-beating-baseline", "--format", "csv"
    ).stdout
    assert "Fast" in wins and "Hot" not in wins
    top = kg(
        "query", "--store", store, "--saved", "top-speedups-per-hardware", "--format", "csv"
    ).stdout
    rows = list(csv.DictReader(io.StringIO(top)))
    assert [(float(r["value"]), r["method"]) for r in rows] == [(2.0, "Fast")]
