"""`papers.without_unvoted`: a method the merge kept only for its role (proposed or compared)
stays in the paper when the ner tagged it somewhere, a claim took it, or the entry declares
it; otherwise it goes. Docs are built by hand so the ner's vote is the test's own."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from techclaims.ingest.extract import resolve
from techclaims.ingest.nlp.combine import NER_KEY
from techclaims.ingest.nlp.extensions import register_extensions
from techclaims.ingest.papers import Named, without_unvoted
from techclaims.schema.records import Claim, Entity, Entry, Span

TEXT = "FooServe beats BarAttn and BazLib , with QuxCache and a Zed module ."


def _doc(ner_words: tuple[str, ...] | None) -> tuple[Doc, list[Named]]:
    register_extensions()
    doc = spacy.blank("en")(TEXT)
    doc._.proposed_methods = ["FooServe"]
    roles = {"FooServe": "proposed", "BarAttn": "baseline", "BazLib": "baseline"}
    roles |= {"QuxCache": "proposed", "Zed": "proposed"}
    named = [
        Named("METHOD", t.text, t.idx, t.idx + len(t.text), roles[t.text])
        for t in doc
        if t.text in roles
    ]
    if ner_words is not None:
        doc.spans[NER_KEY] = [
            SpacySpan(doc, t.i, t.i + 1, "METHOD") for t in doc if t.text in ner_words
        ]
    return doc, named


def _kept(doc: Doc, named: list[Named], claims: list[Claim], title: str = "FooServe") -> set[str]:
    entities = tuple(
        Entity.model_validate({"type": "METHOD", "name": n.surface, "role": n.role}) for n in named
    )
    entry = Entry(
        source="t.md",
        format="awesome",
        heading=title,
        title=title,
        text=TEXT,
        span=Span(start=0, end=len(TEXT)),
    )
    kept = without_unvoted([(entry, doc)], [named], entities, claims, resolve)
    return {e.name for e in kept}


def _claim(baseline: str | None) -> Claim:
    return Claim(
        value=2.0,
        unit="x",
        method="FooServe",
        baseline=baseline,
        evidence="FooServe beats BarAttn",
        span=Span(start=0, end=10),
    )


def test_a_method_only_its_role_kept_goes_and_a_voted_one_stays() -> None:
    doc, named = _doc(("BarAttn",))
    assert _kept(doc, named, []) == {"FooServe", "BarAttn"}


def test_a_claims_baseline_stays_without_a_vote() -> None:
    doc, named = _doc(())
    assert _kept(doc, named, [_claim("BazLib")]) == {"FooServe", "BazLib"}


def test_a_name_the_heading_gives_stays() -> None:
    doc, named = _doc(())
    doc._.proposed_methods = []
    assert _kept(doc, named, [], title="QuxCache: a cache") == {"QuxCache"}


def test_the_vote_is_read_by_place_as_well_as_by_name() -> None:
    doc, named = _doc(())
    # the ner's span runs past "QuxCache": no name of the paper, but it covers the mention
    doc.spans[NER_KEY] = [SpacySpan(doc, 7, 9, "METHOD")]
    assert "QuxCache" in _kept(doc, named, [])
    assert "Zed" not in _kept(doc, named, [])


def test_without_a_ner_nothing_is_dropped() -> None:
    doc, named = _doc(())
    del doc.spans[NER_KEY]
    assert _kept(doc, named, []) == {"FooServe", "BarAttn", "BazLib", "QuxCache", "Zed"}
