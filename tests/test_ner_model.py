"""The shipped NER pipeline: it loads, the statistical ner finds names no list holds,
rules and model combine as configured; silver data and the merge modes."""

from __future__ import annotations

import random

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span

import techclaims.ingest.nlp  # noqa: F401 (registers the tokenizer and components before spacy.load)
from techclaims.ingest.nlp.combine import NER_KEY, RULES_KEY, merge_ner
from techclaims.ingest.nlp.pipeline import MODEL_DIR
from techclaims.ingest.nlp.silver import NER_LABELS, replace_mentions, write_docbins

#: A made-up entry: a proposed name, a framework it runs on, a model, hardware and a
#: baseline; then a sentence that names nothing.
ENTRY = (
    "我们提出了ZorvexServe，并用SGLang部署Qwen3-8B。在H100上，相比vLLM吞吐量提升2.1倍。结果见表。"
)


@pytest.fixture(scope="module")
def shipped() -> Language:
    assert (MODEL_DIR / "config.cfg").exists(), (
        "no trained pipeline in ingest/nlp/model (run make model)"
    )
    return spacy.load(MODEL_DIR)


def test_pipeline_loads_with_spacy_load(shipped: Language) -> None:
    names = shipped.pipe_names
    order = ["techclaims_lf_tags", "techclaims_stacked_ner", "techclaims_ner_merge"]
    assert [n for n in names if n in order] == order
    assert names.index("techclaims_ner_merge") < names.index("techclaims_entity_filter")
    assert names[-1] == "techclaims_method_roles"
    inner = shipped.get_pipe("techclaims_stacked_ner").inner
    assert inner is not None and inner.pipe_names == ["tok2vec", "ner"]
    assert inner.vocab is shipped.vocab and shipped.vocab.vectors.shape[0] > 0  # floret
    assert set(inner.get_pipe("ner").labels) == set(NER_LABELS)
    assert type(shipped.tokenizer).__name__ == "MixedTokenizer"
    merge = shipped.get_pipe("techclaims_ner_merge")
    assert (merge.mode, tuple(merge.judged)) == ("filter", ("METHOD", "MODEL"))


def test_the_ner_reads_only_sentences_that_hold_a_rule_name(shipped: Language) -> None:
    stacked = shipped.get_pipe("techclaims_stacked_ner")
    seen, run = stacked.tokens_seen, stacked.tokens_run
    doc = shipped(ENTRY)
    assert stacked.tokens_seen - seen == len(doc)
    assert 0 < stacked.tokens_run - run < len(doc)  # not the last sentence
    last = list(doc.sents)[-1]
    assert doc.spans[NER_KEY] and all(e.end <= last.start for e in doc.spans[NER_KEY])
    assert {e.text for e in doc.spans[NER_KEY]} <= {e.text for e in doc.spans[RULES_KEY]}


def merged(shipped: Language, text: str, confirmed: set[str]) -> Doc:
    """`text` through the shipped pipeline, with the ner's names set to the rule names in
    `confirmed` before the merge."""
    names = shipped.pipe_names
    cut = names.index("techclaims_ner_merge")
    with shipped.select_pipes(enable=names[:cut]):
        doc = shipped(text)
    doc.spans[NER_KEY] = [
        Span(doc, e.start, e.end, label=e.label_)
        for e in doc.spans[RULES_KEY]
        if e.text in confirmed
    ]
    for name in names[cut:]:
        doc = shipped.get_pipe(name)(doc)
    return doc


def test_the_ner_filters_the_rules_names(shipped: Language) -> None:
    every = merged(shipped, ENTRY, {"ZorvexServe", "SGLang", "Qwen3-8B", "H100", "vLLM"})
    assert [(e.text, e.label_) for e in every.ents] == [
        ("ZorvexServe", "METHOD"),
        ("SGLang", "METHOD"),
        ("Qwen3-8B", "MODEL"),
        ("H100", "HARDWARE"),
        ("vLLM", "METHOD"),
        ("提升2.1倍", "SPEEDUP"),
    ]
    assert every._.method_roles == {"ZorvexServe": "proposed", "SGLang": "used", "vLLM": "baseline"}
    # unconfirmed: the used framework and the model go; what the entry proposes or
    # compares against and the hardware (the gazetteer's alone) stay
    one = merged(shipped, ENTRY, {"ZorvexServe"})
    assert [e.text for e in one.ents] == ["ZorvexServe", "H100", "vLLM", "提升2.1倍"]


def test_speedups_stay_with_the_rules(shipped: Language) -> None:
    doc = shipped(ENTRY)
    assert [e.text for e in doc.ents if e.label_ == "SPEEDUP"] == ["提升2.1倍"]
    assert all(e.label_ != "SPEEDUP" for e in doc.spans[NER_KEY])
    assert doc._.method_roles["vLLM"] == "baseline"
    assert doc._.method_roles["ZorvexServe"] == "proposed"


def test_docbin_round_trip(shipped: Language) -> None:
    doc = shipped(ENTRY)
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
    doc.spans[RULES_KEY] = [han, latin]  # both proposed by a rule, both confirmed by the ner
    doc.spans[NER_KEY] = [Span(doc, s.start, s.end, label=s.label_) for s in (han, latin)]
    merge = shipped.get_pipe("techclaims_ner_merge")
    merge.keep_roles, keep = (), merge.keep_roles
    try:
        merged = [e.text for e in merge(doc).ents]
    finally:
        merge.keep_roles = keep
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
    assert "techclaims_stacked_ner" not in pipeline.load_nlp().pipe_names  # the rules pipeline
    monkeypatch.setenv(pipeline.MODEL_ENV, str(MODEL_DIR))
    assert "techclaims_stacked_ner" in pipeline.load_nlp().pipe_names
    monkeypatch.setenv(pipeline.MODEL_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(pipeline.NlpSetupError):
        pipeline.load_nlp()
    monkeypatch.delenv(pipeline.MODEL_ENV)
    assert "techclaims_stacked_ner" in pipeline.load_nlp().pipe_names  # the shipped one


def test_refresh_data_resaves_the_gazetteer_spellings(tmp_path) -> None:
    """`make model-data` writes the spellings of today's gazetteer files into a pipeline, so a
    load no longer tokenizes them again (a stale copy logs so and re-reads)."""
    import logging
    import shutil
    import subprocess
    import sys

    import srsly

    from techclaims.ingest.nlp.gazetteer_matcher import _files_digest
    from techclaims.ingest.nlp.pipeline import load_nlp

    model = tmp_path / "model"
    shutil.copytree(MODEL_DIR, model)
    srsly.write_json(model / "techclaims_gazetteer" / "source.json", {"gazetteer_sha1": "stale"})
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "techclaims.ingest.nlp.train",
            "--refresh-data",
            "--out",
            str(model),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "re-saved" in done.stdout
    saved = srsly.read_json(model / "techclaims_gazetteer" / "source.json")
    assert saved["gazetteer_sha1"] == _files_digest()
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("techclaims.ingest.nlp.gazetteer_matcher")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        nlp = load_nlp(model_path=model)
    finally:
        logger.removeHandler(handler)
    assert not [r for r in records if "changed since" in r.getMessage()]
    assert nlp.get_pipe("techclaims_gazetteer").rows  # type: ignore[attr-defined]
    missing = subprocess.run(
        [
            sys.executable,
            "-m",
            "techclaims.ingest.nlp.train",
            "--refresh-data",
            "--out",
            str(tmp_path / "none"),
        ],
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 1 and "no pipeline at" in missing.stderr


def test_the_shipped_gazetteer_is_current() -> None:
    """The shipped pipeline keeps the gazetteer's spellings of today's pattern files: a stale
    copy still works but tokenizes every file again at each load (about a second a process)."""
    import srsly

    from techclaims.ingest.nlp.gazetteer_matcher import _files_digest

    saved = srsly.read_json(MODEL_DIR / "techclaims_gazetteer" / "source.json")
    assert saved["gazetteer_sha1"] == _files_digest(), (
        "a gazetteer file changed since the shipped pipeline was saved: run `make model-data`"
    )
