"""The rules read as labelling functions: `trace` records what each component added."""

from __future__ import annotations

from techclaims.ingest.nlp.pipeline import make_doc
from techclaims.ingest.nlp.provenance import LF_PREFIX, functions_of, trace
from techclaims.schema.records import Entry, Span

TEXT = (
    "### 1. [FastServe: Serving Qwen3-32B Quickly](https://arxiv.org/abs/2601.00001)\n"
    "We propose FastServe, which reaches 2.5x higher throughput than vLLM "
    "with Llama-3.1-8B on an H100."
)


def _entry() -> Entry:
    return Entry(
        source="day.md",
        format="arxiv-bot",
        heading=TEXT.split("\n")[0].lstrip("# "),
        title="FastServe: Serving Qwen3-32B Quickly",
        text=TEXT,
        span=Span(start=0, end=len(TEXT)),
    )


def _doc(nlp):
    return trace(nlp, make_doc(nlp, _entry()))


def test_every_entity_is_credited_to_the_function_that_added_it(nlp):
    doc = _doc(nlp)
    functions = functions_of(doc)
    assert functions, "no labelling function recorded anything"
    credited = {(s.start, s.end, s.label_) for spans in functions.values() for s in spans}
    final = {(e.start, e.end, e.label_) for e in doc.ents}
    assert final <= credited  # nothing appears from nowhere
    by_function = {f: {(s.text, s.label_) for s in spans} for f, spans in functions.items()}
    assert {("vLLM", "METHOD"), ("H100", "HARDWARE")} <= by_function["techclaims_gazetteer"]
    assert ("2.5x higher", "SPEEDUP") in by_function["techclaims_regex_entities"]
    assert all(f"{LF_PREFIX}{f}" in doc.spans for f in functions)


def test_tracing_changes_nothing_the_pipeline_finds(nlp):
    traced = _doc(nlp)
    plain = nlp(make_doc(nlp, _entry()))
    assert [(e.text, e.label_) for e in traced.ents] == [(e.text, e.label_) for e in plain.ents]
    names = {e.text for e in plain.ents}
    # a known system and a known chip, so the test has something to trace
    assert {"vLLM", "H100"} <= names
