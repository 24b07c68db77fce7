"""`kg eval`: the scorer counts what ANNOTATION.md says, on hand-made gold and graphs."""

from __future__ import annotations

import json

import pytest
from conftest import kg
from records_factory import digest

from techclaims.kg.evaluate import evaluate, read_predictions
from techclaims.kg.mapping import digest_quads
from techclaims.kg.store import open_store
from techclaims.schema.iris import digest_iri


def _gold(**overrides):
    base = {
        "source": "a.md",
        "heading": "Tree Training",
        "title": "Tree Training: Accelerating Agentic LLM Training",
        "arxiv_id": "2511.00413",
        "methods": [
            {"name": "Tree Training", "role": "proposed", "aliases": []},
            {"name": "vLLM", "role": "baseline", "aliases": []},
            {"name": "Gradient Restoration", "role": "proposed", "aliases": []},
        ],
        "models": [{"name": "Qwen3 32B", "aliases": []}],
        "hardware": [{"name": "A100", "aliases": ["A100-80GB"]}],
        "claims": [
            {
                "value": 6.25,
                "value_max": None,
                "unit": "x",
                "metric": "training speed",
                "direction": "increase",
                "method": "Tree Training",
                "baseline": "vLLM",
                "model": "Qwen3-32B",
                "hardware": "A100",
                "evidence": "...",
            },
            {
                "value": 9.0,
                "value_max": None,
                "unit": "%",
                "metric": "memory",
                "direction": "decrease",
                "method": "Tree Training",
                "baseline": None,
                "model": None,
                "hardware": None,
                "evidence": "...",
            },
        ],
    }
    base.update(overrides)
    return base


def _scores(tmp_path, gold):
    with open_store(tmp_path / "s") as store:
        store.replace_graph(digest_iri("a.md"), digest_quads(digest()))
        return evaluate(gold, read_predictions(store))


def test_entities_match_by_normalised_name_and_alias(tmp_path):
    scores = _scores(tmp_path, [_gold()])
    assert scores.papers_found == 1
    method = scores.entities["METHOD"]
    assert (method.tp, method.fp, method.fn) == (2, 0, 1)  # Gradient Restoration missed
    assert (scores.entities["MODEL"].tp, scores.entities["MODEL"].fp) == (
        1,
        0,
    )  # "Qwen3 32B" ~ "Qwen3-32B"
    assert scores.entities["HARDWARE"].tp == 1  # via the gold alias A100-80GB
    assert scores.proposed == [1, 1]


def test_claims_match_within_one_percent_and_ranges_need_both_ends(tmp_path):
    scores = _scores(tmp_path, [_gold()])
    # 6.2 vs 6.25 is within 1%; the 1.3~1.6 range has no gold; the 9% claim was not predicted
    assert (scores.claims.tp, scores.claims.fp, scores.claims.fn) == (1, 1, 1)
    assert scores.attributes["baseline"].tp == 1 and scores.metric == [1, 1]
    assert scores.attributes["hardware"].tp == 1  # A100-80GB is a gold alias of A100


def test_a_paper_not_in_the_graph_costs_recall(tmp_path):
    scores = _scores(tmp_path, [_gold(arxiv_id="9999.99999", title="Other", heading="Other")])
    assert scores.papers_found == 0
    assert scores.overall.fn == 5 and scores.overall.tp == 0 and scores.claims.fn == 2


def test_paper_matched_by_title_without_arxiv_id(tmp_path):
    scores = _scores(
        tmp_path, [_gold(arxiv_id=None, title="TREE TRAINING: accelerating agentic LLM training")]
    )
    assert scores.papers_found == 1


def test_a_gold_claim_pairs_with_the_prediction_that_states_it():
    from techclaims.kg.evaluate import Scores, score_claims

    gold = _gold(
        claims=[
            {
                "value": 50.0,
                "value_max": None,
                "unit": "%",
                "metric": "memory",
                "baseline": None,
                "model": None,
                "hardware": None,
                "evidence": "Tree Training cuts KV memory by 50%",
            }
        ]
    )
    said = {
        "value": 50.0,
        "value_max": None,
        "unit": "%",
        "method": None,
        "baseline": None,
        "model": None,
        "hardware": None,
    }
    predicted = [
        {
            **said,
            "iri": "a",
            "metric": "latency",
            "evidence": {"and lowers TTFT by 50% on long inputs"},
        },
        {
            **said,
            "iri": "b",
            "metric": "memory",
            "evidence": {"Tree Training cuts KV memory by 50%"},
        },
    ]
    for order in (predicted, predicted[::-1]):  # whatever order the store returns them in
        scores = Scores()
        score_claims(gold, order, scores)
        assert (scores.claims.tp, scores.claims.fp) == (1, 1)
        assert scores.metric == [1, 1]


def _claim(value, **attributes):
    base = {
        "value": value,
        "value_max": None,
        "unit": "x",
        "metric": "throughput",
        "method": None,
        "baseline": None,
        "model": None,
        "hardware": None,
        "evidence": f"{value}x",
    }
    return {**base, **attributes}


def test_attributes_are_precision_and_recall_of_stated_values():
    """ANNOTATION.md: agreeing nulls not counted; a wrong value is a FP and a FN; silence where gold
    states one is a FN; a value where gold has none is a FP; any alias of the gold entity is right."""
    from techclaims.kg.evaluate import Scores, score_claims

    gold = _gold(
        claims=[
            _claim(2.0, baseline="vLLM", hardware="A100"),  # baseline right, hardware via alias
            _claim(3.0, baseline="vLLM"),  # baseline predicted wrong
            _claim(4.0, model="Qwen3 32B"),  # model not predicted
            _claim(5.0),  # nothing stated: a predicted hardware is a FP
            _claim(6.0),  # nothing stated, nothing predicted: not counted
        ]
    )
    predicted = [
        {**_claim(2.0, baseline="vLLM", hardware="A100-80GB"), "iri": "a", "evidence": {"2.0x"}},
        {**_claim(3.0, baseline="SGLang"), "iri": "b", "evidence": {"3.0x"}},
        {**_claim(4.0), "iri": "c", "evidence": {"4.0x"}},
        {**_claim(5.0, hardware="H100"), "iri": "d", "evidence": {"5.0x"}},
        {**_claim(6.0), "iri": "e", "evidence": {"6.0x"}},
    ]
    scores = Scores()
    score_claims(gold, predicted, scores)
    baseline, model, hardware = (scores.attributes[a] for a in ("baseline", "model", "hardware"))
    assert (baseline.tp, baseline.fp, baseline.fn) == (1, 1, 1)
    assert (model.tp, model.fp, model.fn) == (0, 0, 1)
    assert (hardware.tp, hardware.fp, hardware.fn) == (1, 1, 0)
    assert baseline.precision == 0.5 and baseline.recall == 0.5
    assert scores.metric == [5, 5]


def test_agreement_of_an_annotation_with_itself_is_perfect_and_drops_with_changes():
    from techclaims.kg.evaluate import agreement

    same = agreement([_gold()], [_gold()])
    assert (
        same.overall.f1 == 1.0 and same.claims.f1 == 1.0 and same.attributes["baseline"].f1 == 1.0
    )
    other = _gold(hardware=[], claims=[{**_gold()["claims"][0], "hardware": None}])
    changed = agreement([_gold()], [other])
    assert changed.entities["HARDWARE"].fn == 1 and changed.claims.fn == 1
    assert changed.attributes["hardware"].fn == 1


def _span_gold(tmp_path):
    """A digest under shared/corpus-extended and a span-form annotation of it, as data/annotations keeps them."""
    texts = tmp_path / "shared" / "corpus-extended"
    (texts / "arxiv-bot").mkdir(parents=True)
    digest_text = (
        "# Bot\n\n### 1. [Tree Training: Accelerating Agentic LLM Training](https://arxiv.org/abs/2511.00413)\n\n"
        "Tree Training is 6.2x faster than vLLM on A100.\n"
    )
    (texts / "arxiv-bot" / "2026-01-02.md").write_text(digest_text, encoding="utf-8")
    start = digest_text.index("### 1.")
    sentence = digest_text.index("Tree Training is")
    paper = {
        "source": "arxiv-bot/2026-01-02.md",
        "entry": {"arxiv_id": "2511.00413", "span": [start, len(digest_text)]},
        "methods": [{"name": "Tree Training", "role": "proposed", "aliases": []}],
        "models": [],
        "hardware": [{"name": "A100", "aliases": []}],
        "claims": [
            {
                **_claim(6.2, method="Tree Training", hardware="A100"),
                "evidence": [sentence, digest_text.index(" on A100") + len(" on A100.")],
            }
        ],
    }
    gold_dir = tmp_path / "project" / "data"
    gold_dir.mkdir(parents=True)
    path = gold_dir / "train.jsonl"
    path.write_text(json.dumps(paper) + "\n", encoding="utf-8")
    return path, digest_text


def test_span_annotations_resolve_against_their_digest(tmp_path):
    from techclaims.schema.gold import read_gold

    path, _ = _span_gold(tmp_path)
    (paper,) = read_gold(path)
    assert paper["title"] == "Tree Training: Accelerating Agentic LLM Training"
    assert paper["claims"][0]["evidence"] == "Tree Training is 6.2x faster than vLLM on A100."
    assert paper["gold_file"] == "train.jsonl"


def test_a_span_outside_its_file_is_a_one_line_error(tmp_path):
    from techclaims.schema.gold import GoldError, read_gold

    path, digest_text = _span_gold(tmp_path)
    paper = json.loads(path.read_text())
    paper["claims"][0]["evidence"] = [0, len(digest_text) + 5]
    path.write_text(json.dumps(paper) + "\n")
    with pytest.raises(GoldError, match=r"train.jsonl:1: claim 1's evidence span"):
        read_gold(path)


def test_eval_takes_several_gold_files_by_source_and_writes_json(tmp_path):
    path, _ = _span_gold(tmp_path)
    second = path.with_name("test.jsonl")
    second.write_text(json.dumps(_gold()) + "\n")
    store = tmp_path / "s"
    with open_store(store) as opened:
        opened.replace_graph(digest_iri("a.md"), digest_quads(digest()))
    out = tmp_path / "eval.json"
    done = kg("eval", path, second, "--store", store, "--by-source", "--json", out)
    assert "== train.jsonl" in done.stdout and "== test.jsonl" in done.stdout
    figures = json.loads(out.read_text())
    assert figures["overall"]["papers"] == 2
    assert set(figures["groups"]) == {"train.jsonl", "test.jsonl"}
    assert set(figures["overall"]["attributes"]) == {"baseline", "model", "hardware"}
    assert figures["groups"]["test.jsonl"]["claims"]["TP"] == 1


def test_an_attribute_is_right_when_any_label_of_its_node_spells_the_gold_entity():
    """The store names a node by its preferred label (A100); gold may prefer another spelling
    (NVIDIA A100) of the same entity: the node's other labels count (ANNOTATION.md: any alias)."""
    from techclaims.kg.evaluate import Scores, score_claims

    gold = _gold(
        hardware=[{"name": "NVIDIA A100", "aliases": []}],
        claims=[_claim(2.0, hardware="NVIDIA A100")],
    )
    predicted = [
        {
            **_claim(2.0, hardware="A100"),
            "iri": "a",
            "evidence": {"2.0x"},
            "hardware_labels": {"a100", "nvidiaa100"},
        }
    ]
    scores = Scores()
    score_claims(gold, predicted, scores)
    assert scores.attributes["hardware"].tp == 1
    predicted[0]["hardware_labels"] = {"a100"}
    scores = Scores()
    score_claims(gold, predicted, scores)
    assert (scores.attributes["hardware"].fp, scores.attributes["hardware"].fn) == (1, 1)


def test_eval_by_rule_scores_each_labelling_function_on_the_gold_papers(tmp_path):
    """`kg eval --by-rule` runs the rules over the gold paper's own entry: vLLM and A100 are
    known names (the gazetteer finds them), and only A100 is in this gold paper's names."""
    path, _ = _span_gold(tmp_path)
    done = kg("eval", path, "--by-rule")
    lines = done.stdout.splitlines()
    assert "precision" in lines[0] and "recall" in lines[0]
    rows = {line.rsplit(maxsplit=6)[0]: line.rsplit(maxsplit=6)[1:] for line in lines[1:]}
    assert rows["gazetteer HARDWARE"][:3] == ["1", "/", "1"]  # A100, right
    assert rows["gazetteer METHOD"][:3] == ["0", "/", "1"]  # vLLM: not in gold
    assert rows["gazetteer"][:3] == ["1", "/", "2"]
    assert rows["gazetteer"][4:] == [
        "0.500",
        "0.500",
    ]  # precision, recall of 2 gold names


def test_eval_by_rule_names_a_missing_digest(tmp_path):
    path, _ = _span_gold(tmp_path)
    (tmp_path / "shared" / "corpus-extended" / "arxiv-bot" / "2026-01-02.md").unlink()
    done = kg("eval", path, "--by-rule", check=False)
    assert done.returncode != 0
    assert "2026-01-02.md" in done.stderr and "Traceback" not in done.stderr
