"""The shipped NER pipeline: it loads, the statistical ner finds names no list holds,
rules and model combine as configured; silver data and the merge modes."""

from __future__ import annotations

import random

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span

import techclaims.ingest.nlp  # noqa: F401 (registers the tokenizer and components before spacy.load)
from techclaims.ingest.nlp.combine import NER_KEY, merge_ner
from techclaims.ingest.nlp.gazetteer import default_gazetteer
from techclaims.ingest.nlp.pipeline import MODEL_DIR
from techclaims.ingest.nlp.silver import NER_LABELS, replace_mentions, write_docbins

#: Made-up names (in no list) in sentences the model has never seen.
UNLISTED = [
    ("我们提出了ZorvexServe，一种新的推理系统，相比vLLM吞吐量提升2.1倍。", "ZorvexServe", "METHOD"),
    ("实验表明，QuillKV在长上下文任务上优于SnapKV和H2O，内存减少60%。", "QuillKV", "METHOD"),
]


@pytest.fixture(scope="module")
def shipped() -> Language:
    assert (MODEL_DIR / "config.cfg").exists(), (
        "no trained pipeline in ingest/nlp/model (run make model)"
    )
    return spacy.load(MODEL_DIR)


def test_pipeline_loads_with_spacy_load(shipped: Language) -> None:
    names = shipped.pipe_names
    assert names[:3] == ["tok2vec", "ner", "techclaims_ner_stash"]
    assert "techclaims_ner_merge" in names and names[-1] == "techclaims_method_roles"
    assert set(shipped.get_pipe("ner").labels) == set(NER_LABELS)
    assert type(shipped.tokenizer).__name__ == "MixedTokenizer"


@pytest.mark.parametrize("text, name, label", UNLISTED)
def test_model_finds_unlisted_names(shipped: Language, text: str, name: str, label: str) -> None:
    assert default_gazetteer().lookup(name) is None
    doc = shipped(text)
    assert (name, label) in [(e.text, e.label_) for e in doc.spans[NER_KEY]]


def test_names_only_the_model_found_pass_the_gate(shipped: Language) -> None:
    once = shipped(UNLISTED[1][0])  # no rule context, one mention: held back
    assert "QuillKV" in [e.text for e in once.spans[NER_KEY]]
    assert "QuillKV" not in [e.text for e in once.ents]
    text = UNLISTED[1][0] + "QuillKV的显存占用更低。QuillKV在H100上同样有效。"
    again = shipped(text)  # three mentions: the merge adds it
    assert [e.text for e in again.ents if e.label_ == "METHOD"].count("QuillKV") == 3
    assert again._.method_roles["QuillKV"] == "used"
    assert merge_modes(shipped) == ("fill", True, 3)


def merge_modes(nlp: Language) -> tuple[str, bool, int]:
    merge = nlp.get_pipe("techclaims_ner_merge")
    return merge.mode, merge.gate, merge.min_mentions


def test_speedups_stay_with_the_rules(shipped: Language) -> None:
    doc = shipped(UNLISTED[0][0])
    assert [e.text for e in doc.ents if e.label_ == "SPEEDUP"] == ["提升2.1倍"]
    assert all(e.label_ != "SPEEDUP" for e in doc.spans[NER_KEY])
    assert doc._.method_roles["vLLM"] == "baseline"
    assert doc._.method_roles["ZorvexServe"] == "proposed"


def test_docbin_round_trip(shipped: Language) -> None:
    doc = shipped(UNLISTED[1][0])
    stored = DocBin(store_user_data=True)
    stored.add(doc)
    [back] = DocBin(store_user_data=True).from_bytes(stored.to_bytes()).get_docs(shipped.vocab)
    assert [(e.text, e.label_) for e in back.ents] == [(e.text, e.label_) for e in doc.ents]
    assert [e.text for e in back.spans[NER_KEY]] == [e.text for e in doc.spans[NER_KEY]]


# -- merge modes -------------------------------------------------------------------------


def _spans(doc: Doc, *items: tuple[int, int, str]) -> list[Span]:
    return [Span(doc, start, end, label=label) for start, end, label in items]


def test_merge_modes() -> None:
    doc = Doc(spacy.blank("xx").vocab, words=["A", "B", "C", "D", "2x"])
    rules = _spans(doc, (0, 1, "METHOD"), (4, 5, "SPEEDUP"))
    ner = _spans(doc, (0, 2, "METHOD"), (2, 3, "MODEL"), (4, 5, "METHOD"))

    def texts(spans: list[Span]) -> list[tuple[str, str]]:
        return sorted((s.text, s.label_) for s in spans)

    assert texts(merge_ner(rules, ner, "rules")) == [("2x", "SPEEDUP"), ("A", "METHOD")]
    assert texts(merge_ner(rules, ner, "fill")) == [
        ("2x", "SPEEDUP"),
        ("A", "METHOD"),
        ("C", "MODEL"),
    ]
    assert texts(merge_ner(rules, ner, "override")) == [
        ("2x", "SPEEDUP"),
        ("A B", "METHOD"),
        ("C", "MODEL"),
    ]
    assert texts(merge_ner(rules, ner, "model")) == [
        ("2x", "SPEEDUP"),
        ("A B", "METHOD"),
        ("C", "MODEL"),
    ]
    with pytest.raises(ValueError):
        merge_ner(rules, ner, "vote")


def test_merge_drops_ner_spans_running_into_chinese(shipped: Language) -> None:
    doc = shipped.make_doc("实现可扩展AI-硬件协同，ZetaNet 更快。")
    words = [t.text for t in doc]
    han = Span(doc, words.index("AI"), words.index("硬") + 1, label="METHOD")
    latin = Span(doc, words.index("ZetaNet"), words.index("ZetaNet") + 1, label="METHOD")
    doc.spans[NER_KEY] = [han, latin]
    merge = shipped.get_pipe("techclaims_ner_merge")
    merge.gate, gate = False, merge.gate
    try:
        merged = [e.text for e in merge(doc).ents]
    finally:
        merge.gate = gate
    assert merged == ["ZetaNet"]


# -- silver data ---------------------------------------------------------------------------


def test_silver_docbins(tmp_path, examples_dir, shipped: Language) -> None:
    stats = write_docbins(examples_dir, tmp_path, dev_share=0.3, seed=1)
    assert stats.docs["train"] > 0 and stats.entities.get("METHOD", 0) > 0
    docs = list(DocBin().from_disk(tmp_path / "train.spacy").get_docs(shipped.vocab))
    assert len(docs) == stats.docs["train"]
    assert {e.label_ for d in docs for e in d.ents} <= set(NER_LABELS)
    again = write_docbins(examples_dir, tmp_path / "again", dev_share=0.3, seed=1)
    assert again.summary() == stats.summary()  # a fixed seed: the same split and copies


def test_mention_replacement_keeps_context(shipped: Language) -> None:
    nlp = spacy.blank("xx")
    nlp.tokenizer = shipped.tokenizer
    doc = nlp.make_doc("相比vLLM，Qwen3-8B在H100上更快。")
    doc.ents = [
        doc.char_span(2, 6, "METHOD"),
        doc.char_span(7, 15, "MODEL"),
        doc.char_span(16, 20, "HARDWARE"),
    ]
    copy = replace_mentions(doc, nlp, random.Random(3))
    assert copy is not None and copy.text.startswith("相比") and copy.text.endswith("上更快。")
    labels = [(e.label_, e.text) for e in copy.ents]
    assert [lab for lab, _ in labels] == ["METHOD", "MODEL", "HARDWARE"]
    assert labels[0][1] != "vLLM" and labels[1][1] != "Qwen3-8B" and labels[2][1] == "H100"


# -- choosing the pipeline -----------------------------------------------------------------


def test_load_nlp_follows_the_environment(monkeypatch, tmp_path) -> None:
    from techclaims.ingest.nlp import pipeline

    monkeypatch.setattr(pipeline, "_LOADED", {})
    monkeypatch.setenv(pipeline.MODEL_ENV, "rules")
    assert "ner" not in pipeline.load_nlp().pipe_names  # the rules pipeline
    monkeypatch.setenv(pipeline.MODEL_ENV, str(MODEL_DIR))
    assert pipeline.load_nlp().pipe_names[:2] == ["tok2vec", "ner"]
    monkeypatch.setenv(pipeline.MODEL_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(pipeline.NlpSetupError):
        pipeline.load_nlp()
    monkeypatch.delenv(pipeline.MODEL_ENV)
    assert pipeline.load_nlp().pipe_names[:2] == ["tok2vec", "ner"]  # the shipped one
