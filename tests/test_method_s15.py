"""Session 15, METHOD precision: `papers.without_unvoted` drops a rule's METHOD that the
trained ner tagged nowhere in the paper, of any type, by its text or over a mention, unless
a claim took it, the heading or title names it, or it is the paper's last proposed method.
Docs are built by hand so the ner's tags are the test's own."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from techclaims.ingest.extract import resolve
from techclaims.ingest.nlp.combine import NER_KEY
from techclaims.ingest.nlp.extensions import register_extensions
from techclaims.ingest.papers import Named, without_unvoted
from techclaims.schema.records import Claim, Entity, Entry, Span

TEXT = "PlumServe uses GrapeKit and the OrchardBench set with PearLib on KiwiNet ."
ROLES = {
    "PlumServe": "proposed",
    "GrapeKit": "used",
    "OrchardBench": "proposed",
    "PearLib": "baseline",
    "KiwiNet": "used",
}


def _doc(ner: dict[str, str]) -> tuple[Doc, list[Named]]:
    """The entry's doc with the ner's spans on the words of `ner` (word -> label)."""
    register_extensions()
    doc = spacy.blank("en")(TEXT)
    doc._.proposed_methods = ["PlumServe"]
    doc._.declared_methods = ["OrchardBench"]
    named = [
        Named("METHOD", t.text, t.idx, t.idx + len(t.text), ROLES[t.text])
        for t in doc
        if t.text in ROLES
    ]
    doc.spans[NER_KEY] = [SpacySpan(doc, t.i, t.i + 1, ner[t.text]) for t in doc if t.text in ner]
    return doc, named


def _kept(
    doc: Doc, named: list[Named], claims: tuple[Claim, ...] = (), title: str = "A study"
) -> set[str]:
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
    return {e.name for e in without_unvoted([(entry, doc)], [named], entities, claims, resolve)}


def test_a_declared_or_used_name_the_ner_tagged_nowhere_goes() -> None:
    doc, named = _doc({"PlumServe": "METHOD", "GrapeKit": "METHOD", "PearLib": "METHOD"})
    assert _kept(doc, named) == {"PlumServe", "GrapeKit", "PearLib"}


def test_a_tag_of_another_type_is_a_vote_too() -> None:
    doc, named = _doc({"PlumServe": "METHOD", "KiwiNet": "MODEL", "OrchardBench": "HARDWARE"})
    assert {"KiwiNet", "OrchardBench"} <= _kept(doc, named)


def test_the_vote_is_read_over_a_mention_as_well_as_by_name() -> None:
    doc, named = _doc({"PlumServe": "METHOD"})
    doc.spans[NER_KEY] = [*doc.spans[NER_KEY], SpacySpan(doc, 2, 4, "METHOD")]  # "GrapeKit and"
    assert "GrapeKit" in _kept(doc, named)


def test_a_name_a_claim_takes_or_the_title_gives_stays() -> None:
    doc, named = _doc({"PlumServe": "METHOD"})
    claim = Claim(
        value=2.0,
        unit="x",
        method="PlumServe",
        baseline="PearLib",
        evidence="PlumServe beats PearLib",
        span=Span(start=0, end=10),
    )
    assert "PearLib" in _kept(doc, named, (claim,))
    assert "OrchardBench" in _kept(doc, named, title="OrchardBench: a set for serving")


def test_the_last_proposed_method_stays() -> None:
    doc, named = _doc({"GrapeKit": "METHOD"})
    assert _kept(doc, named) == {"PlumServe", "OrchardBench", "GrapeKit"}


def test_a_ner_that_tagged_nothing_drops_nothing_new() -> None:
    doc, named = _doc({})
    assert _kept(doc, named) == {"PlumServe", "OrchardBench", "GrapeKit", "KiwiNet"}


def _entity(name: str, role: str) -> Entity:
    return Entity.model_validate({"type": "METHOD", "name": name, "role": role})


def test_a_used_join_of_two_names_goes() -> None:
    from techclaims.ingest.papers import without_used_combinations

    entities = (
        _entity("PlumRL+EM", "used"),
        _entity("FigOpt & Mango", "used"),
        _entity("PlumRL", "used"),
        _entity("SALT+", "used"),
        _entity("TD9+BC", "baseline"),
        _entity("Plum+Verify", "proposed"),
    )
    kept = {e.name for e in without_used_combinations(entities, ())}
    assert kept == {"PlumRL", "SALT+", "TD9+BC", "Plum+Verify"}


def test_a_used_join_a_claim_takes_stays() -> None:
    from techclaims.ingest.papers import without_used_combinations

    claim = Claim(
        value=1.5,
        unit="x",
        method="PlumServe",
        baseline="PlumRL+EM",
        evidence="PlumServe beats PlumRL+EM",
        span=Span(start=0, end=10),
    )
    entities = (_entity("PlumRL+EM", "used"),)
    assert [e.name for e in without_used_combinations(entities, (claim,))] == ["PlumRL+EM"]


def test_a_name_the_ner_tags_only_as_a_model_four_times_goes() -> None:
    from techclaims.ingest.papers import without_ner_models

    register_extensions()
    text = "KiwiNet , KiwiNet , KiwiNet and KiwiNet beat PearLib ; PearLib , PearLib , PearLib ."
    doc = spacy.blank("en")(text)
    named = [
        Named("METHOD", t.text, t.idx, t.idx + len(t.text), "baseline")
        for t in doc
        if t.text in ("KiwiNet", "PearLib")
    ]
    kiwi = [t.i for t in doc if t.text == "KiwiNet"]
    pear = [t.i for t in doc if t.text == "PearLib"]
    doc.spans[NER_KEY] = [SpacySpan(doc, kiwi[0], kiwi[0] + 1, "MODEL")] + [
        SpacySpan(doc, pear[0], pear[0] + 1, "MODEL"),
        SpacySpan(doc, pear[1], pear[1] + 1, "METHOD"),
    ]
    entities = (_entity("KiwiNet", "baseline"), _entity("PearLib", "baseline"))
    entry = Entry(
        source="t.md",
        format="awesome",
        heading="A study",
        title="A study",
        text=text,
        span=Span(start=0, end=len(text)),
    )
    kept = without_ner_models([(entry, doc)], [named], entities, (), resolve)
    assert {e.name for e in kept} == {"PearLib"}  # PearLib: the ner calls it a METHOD too
    fewer = [n for n in named if n.surface != "KiwiNet" or n.start < 20]  # written twice
    kept = without_ner_models([(entry, doc)], [fewer], entities, (), resolve)
    assert {e.name for e in kept} == {"KiwiNet", "PearLib"}


def test_a_reference_setup_written_as_a_name_is_no_method() -> None:
    from techclaims.ingest.papers import without_reference_setups

    names = ["Vanilla PlumRL", "Standard PlumRL", "Naive-all", "Basic-RAG", "vanilla-Fig"]
    names += ["PlumRL", "Vanilla", "StandardNet", "Basics"]
    entities = tuple(_entity(n, "baseline") for n in names)
    kept = {e.name for e in without_reference_setups(entities, ())}
    assert kept == {"PlumRL", "Vanilla", "StandardNet", "Basics"}


def test_a_proposed_or_claimed_reference_name_stays() -> None:
    from techclaims.ingest.papers import without_reference_setups

    claim = Claim(
        value=1.5,
        unit="x",
        method="PlumServe",
        baseline="Naive-all",
        evidence="PlumServe beats Naive-all",
        span=Span(start=0, end=10),
    )
    entities = (_entity("Vanilla Midpoint Reuse", "proposed"), _entity("Naive-all", "baseline"))
    kept = {e.name for e in without_reference_setups(entities, (claim,))}
    assert kept == {"Vanilla Midpoint Reuse", "Naive-all"}
