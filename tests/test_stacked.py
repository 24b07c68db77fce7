"""The stacked recognizer's parts: the rules recorded as labelling functions, their votes
as token tags, the reader that keeps the tags in training, and the merge modes."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc, DocBin, Span

from techclaims.ingest.nlp.combine import LF_PREFIX, RULES_KEY, merge_ner
from techclaims.ingest.nlp.gold_docs import tagged_corpus
from techclaims.ingest.nlp.train import LABELLING_FUNCTIONS, labelling_pipeline

TEXT = "我们提出了ZorvexServe，在H100上相比vLLM吞吐量提升2.1倍。ZorvexServe开源。"


def test_each_rule_records_what_it_added_and_the_votes_become_tags() -> None:
    nlp = labelling_pipeline()
    names = nlp.pipe_names
    for component, function in LABELLING_FUNCTIONS.items():
        assert names.index(f"lf_{function}") == names.index(component) + 1
    assert names[-1] == "techclaims_lf_tags"
    doc = nlp(TEXT)
    rules = list(doc.spans[RULES_KEY])
    assert not doc.ents  # set aside for the ner
    found = {
        (e.text, e.label_): key[len(LF_PREFIX) :]
        for key, group in doc.spans.items()
        if key.startswith(LF_PREFIX)
        for e in group
    }
    assert found[("H100", "HARDWARE")] == "gazetteer"
    assert found[("vLLM", "METHOD")] == "gazetteer"
    assert ("ZorvexServe", "METHOD") in found and found[("ZorvexServe", "METHOD")] != "gazetteer"
    for ent in rules:  # every token of a rule's name carries its vote, the rest is O
        tags = [t.tag_ for t in doc[ent.start : ent.end]]
        assert tags[0].startswith(f"B-{ent.label_}_")
        assert all(t.startswith(f"I-{ent.label_}_") for t in tags[1:])
    inside = {i for e in rules for i in range(e.start, e.end)}
    assert all(t.tag_ == "O" for t in doc if t.i not in inside)
    assert doc[[t.text for t in doc].index("H100")].tag_ == "B-HARDWARE_gazetteer"
    analysis = nlp.analyze_pipes(pretty=False)
    assert not any(analysis["problems"].values()), analysis["problems"]


def test_the_training_reader_keeps_the_tags(tmp_path) -> None:
    nlp = spacy.blank("xx")
    doc = Doc(nlp.vocab, words=["SGLang", "beats", "vLLM"], tags=["B-METHOD_coined", "O", "O"])
    doc.ents = [Span(doc, 0, 1, label="METHOD")]
    DocBin(attrs=["ORTH", "TAG", "ENT_IOB", "ENT_TYPE"], docs=[doc]).to_disk(tmp_path / "d.spacy")
    [example] = list(tagged_corpus(tmp_path / "d.spacy")(nlp))
    assert [t.tag_ for t in example.predicted] == ["B-METHOD_coined", "O", "O"]
    assert not example.predicted.ents  # the ner must find them itself
    assert [e.text for e in example.reference.ents] == ["SGLang"]


def test_filter_and_agree() -> None:
    nlp = spacy.blank("xx")
    doc = nlp.make_doc("SGLang and FooNet beat vLLM by 2x")
    sglang, foonet, vllm = (Span(doc, i, i + 1, label="METHOD") for i in (0, 2, 4))
    speedup = Span(doc, 5, 7, label="SPEEDUP")
    ner = [Span(doc, 0, 1, label="METHOD"), Span(doc, 4, 5, label="MODEL")]
    rules = [sglang, foonet, vllm, speedup]

    def texts(spans: list[Span]) -> list[tuple[str, str]]:
        return sorted((e.text, e.label_) for e in spans)

    # filter: the rules' names the ner also tagged (the rule's label and span)
    assert texts(merge_ner(rules, ner, "filter")) == [
        ("SGLang", "METHOD"),
        ("by 2x", "SPEEDUP"),
        ("vLLM", "METHOD"),
    ]
    # agree: the ner's names a rule proposed (the ner's label and span)
    assert texts(merge_ner(rules, ner, "agree")) == [
        ("SGLang", "METHOD"),
        ("by 2x", "SPEEDUP"),
        ("vLLM", "MODEL"),
    ]
    # methods: the ner decides METHODs, the rules keep the rest
    assert ("FooNet", "METHOD") not in texts(merge_ner(rules, ner, "methods"))
