"""The annotated papers in data/annotations: every span resolves, every claim names its paper's entities,
the split keeps months apart, and no dev paper or later date leaks in (see data/annotations/README.md)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from techclaims.schema.gold import read_gold
from techclaims.schema.iris import norm_key

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "annotations"
SHARED = ROOT.parent / "shared"
TEXTS = SHARED / "corpus-extended"
SPLITS = {
    split: sorted((DATA / split).glob("*.jsonl")) for split in ("train", "validation", "test")
}

pytestmark = pytest.mark.skipif(
    not TEXTS.is_dir(), reason="../shared/corpus-extended is not beside the checkout"
)


def _raw(split: str) -> list[dict]:
    return [
        json.loads(line)
        for path in SPLITS[split]
        for line in path.open(encoding="utf-8")
        if line.strip()
    ]


def _resolved(split: str) -> list[dict]:
    return [paper for path in SPLITS[split] for paper in read_gold(path, TEXTS)]


@pytest.mark.parametrize("split", ["train", "validation", "test"])
def test_every_span_resolves_inside_its_entry(split):
    papers = _resolved(split)  # read_gold refuses a span outside its file or its entry
    for paper in papers:
        text = (TEXTS / paper["source"]).read_text(encoding="utf-8")
        raw_entry = next(r for r in _raw(split) if r["pid"] == paper["pid"])["entry"]
        start, end = raw_entry["span"]
        assert text[start:end].lstrip().startswith("#"), paper[
            "pid"
        ]  # an entry starts at its heading
        if paper["arxiv_id"]:
            assert paper["arxiv_id"] in text[start:end], paper["pid"]
        for claim in paper["claims"]:
            assert claim["evidence"].strip(), paper["pid"]


@pytest.mark.parametrize("split", ["train", "validation", "test"])
def test_claim_attributes_name_entities_of_their_paper(split):
    for paper in _resolved(split):
        names = {
            key: {norm_key(n) for e in paper[key] for n in (e["name"], *e["aliases"])}
            for key in ("methods", "models", "hardware")
        }
        allowed = {
            "method": names["methods"],
            "baseline": names["methods"] | names["models"],
            "model": names["models"],
            "hardware": names["hardware"],
        }
        for claim in paper["claims"]:
            assert claim["unit"] in ("x", "%") and claim["direction"] in ("increase", "decrease")
            for attribute, spellings in allowed.items():
                value = claim[attribute]
                assert value is None or norm_key(value) in spellings, (
                    paper["pid"],
                    attribute,
                    value,
                )


def test_months_never_cross_the_split_and_sizes_hold():
    train, test = _raw("train"), _raw("test")
    assert not {p["month"] for p in train} & {p["month"] for p in test}
    assert len(train) >= 240 and len(test) >= 60
    kinds = Counter(p["source"].split("/")[0] for p in train + test)
    assert kinds["awesome"] >= 100 and kinds["arxiv-bot"] >= 180
    days = {
        p["source"]
        for p in train + test
        if p["source"].startswith("arxiv-bot/") and p["month"] >= "2025-12"
    }
    assert len(days) >= 40


def test_no_dev_paper_and_nothing_after_june_2026():
    dev = [json.loads(line) for line in (SHARED / "gold" / "dev.jsonl").open(encoding="utf-8")]
    dev_ids = {g["arxiv_id"] for g in dev if g.get("arxiv_id")}
    dev_names = {norm_key(g[k]) for g in dev for k in ("heading", "title")}
    papers = _resolved("train") + _resolved("validation") + _resolved("test")
    for paper in papers:
        assert paper["arxiv_id"] not in dev_ids or paper["arxiv_id"] is None
        assert (
            norm_key(paper["heading"]) not in dev_names
            and norm_key(paper["title"]) not in dev_names
        )
        assert (
            paper["month"] == "undated" or paper["month"] <= "2026-06"
        )  # undated: README sections
    pids = [p["pid"] for p in papers]
    assert len(pids) == len(set(pids))


def test_the_validation_split_shares_no_paper_and_no_test_month():
    validation = _resolved("validation")
    assert len(validation) >= 60
    test_months = {p["month"] for p in _raw("test")}
    assert not {p["month"] for p in validation} & test_months
    others = _resolved("train") + _resolved("test")
    ids = {p["arxiv_id"] for p in others if p["arxiv_id"]}
    titles = {norm_key(p["title"]) for p in others}
    for paper in validation:
        assert paper["arxiv_id"] not in ids
        assert norm_key(paper["title"]) not in titles


def test_the_double_annotations_cover_thirty_papers():
    for n in ("-2", "-5"):
        first = read_gold(DATA / "double" / f"first{n}.jsonl", TEXTS)
        second = read_gold(DATA / "double" / f"second{n}.jsonl", TEXTS)
        assert len(first) == len(second) >= 35
        assert [p["pid"] for p in first] == [p["pid"] for p in second]
    first = read_gold(DATA / "double" / "first.jsonl", TEXTS)
    second = read_gold(DATA / "double" / "second.jsonl", TEXTS)
    assert len(first) == len(second) >= 30
    assert [p["pid"] for p in first] == [p["pid"] for p in second]
