"""MODEL entities of a paper (ANNOTATION.md: a family written alone is a MODEL beside its sized
variants; a shortened reference back to one listed model is its alias), session 14: on made-up
names and entries."""

from __future__ import annotations

from entry_claims import paper_of
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from techclaims.ingest.extract import resolve
from techclaims.ingest.nlp.combine import extended_by_ner
from techclaims.ingest.papers import Named, release_variant_links


def _models(nlp: Language, body: str) -> dict[str, set[str]]:
    paper = paper_of(nlp, body)
    return {e.name: set(e.aliases) for e in paper.entities if e.type == "MODEL"}


def test_a_sized_model_beside_its_one_instruct_checkpoint_is_that_checkpoint() -> None:
    named = [
        Named("MODEL", "Zeta-3.1-8B", 0, 1),
        Named("MODEL", "Zeta-3.1-8B-Instruct", 2, 3),
        Named("MODEL", "Zeta-4B", 4, 5),
        Named("MODEL", "Zeta-4B-Thinking-2507", 6, 7),
    ]
    assert release_variant_links(named, resolve) == {
        "zeta318b": "Zeta-3.1-8B-Instruct",
        "zeta4b": "Zeta-4B-Thinking-2507",
    }


def test_two_checkpoints_of_one_size_or_a_base_one_link_nothing() -> None:
    named = [
        Named("MODEL", "Zeta-7B", 0, 1),
        Named("MODEL", "Zeta-7B-Instruct", 2, 3),
        Named("MODEL", "Zeta-7B-Chat", 4, 5),
        Named("MODEL", "Zeta-2B", 6, 7),
        Named("MODEL", "Zeta-2B-Base", 8, 9),
        Named("MODEL", "Zeta-2B-FT", 10, 11),
    ]
    assert release_variant_links(named, resolve) == {}


def test_an_entry_writing_the_checkpoint_short_again_has_one_model(nlp: Language) -> None:
    body = "- 实验在 Qwen2.5-7B-Instruct 上进行。\n- FooServe 在 Qwen2.5-7B 上吞吐提升 2.5 倍。"
    models = _models(nlp, body)
    # one node; the short spelling is no label of it (another paper may run the bare model)
    assert models == {"Qwen2.5-7B-Instruct": set()}


def test_a_versioned_family_beside_two_of_its_sized_models_is_its_own_model(
    nlp: Language,
) -> None:
    body = "- FooServe 支持 Qwen3 系列模型。\n- 在 Qwen3-8B 与 Qwen3-32B 上吞吐提升 2.5 倍。"
    assert set(_models(nlp, body)) == {"Qwen3", "Qwen3-8B", "Qwen3-32B"}


def test_a_versioned_family_beside_one_sized_model_refers_back_to_it(nlp: Language) -> None:
    body = "- FooServe 支持 Qwen3 系列模型。\n- 在 Qwen3-8B 上吞吐提升 2.5 倍。"
    assert _models(nlp, body) == {"Qwen3-8B": set()}
    # the claim still reads the family's mention as the one sized model
    assert [c.model for c in paper_of(nlp, body).claims] == ["Qwen3-8B"]


def test_a_family_without_a_version_stays_dropped(nlp: Language) -> None:
    body = "- FooServe 支持 Qwen 系列模型。\n- 在 Qwen3-8B 与 Qwen3-32B 上吞吐提升 2.5 倍。"
    assert set(_models(nlp, body)) == {"Qwen3-8B", "Qwen3-32B"}


def test_a_checkpoint_beside_its_dated_release_is_that_release() -> None:
    named = [
        Named("MODEL", "Zeta-4B", 0, 1),
        Named("MODEL", "Zeta-4B-Instruct", 2, 3),
        Named("MODEL", "Zeta-4B-Instruct-2507", 4, 5),
        Named("MODEL", "Zeta-9B", 6, 7),
        Named("MODEL", "Zeta-9B-200K", 8, 9),
    ]
    assert release_variant_links(named, resolve) == {
        "zeta4binstruct": "Zeta-4B-Instruct-2507",
        "zeta4b": "Zeta-4B-Instruct-2507",
    }


def test_a_rule_model_inside_a_longer_sized_ner_model_gives_way_to_it() -> None:
    doc = Doc(Vocab(), words=["we", "run", "Whisper", "-", "small"], spaces=[1, 1, 0, 0, 0])
    rules = [Span(doc, 2, 3, label="MODEL")]
    ner = [Span(doc, 2, 5, label="MODEL")]
    assert [e.text for e in extended_by_ner(rules, ner)] == ["Whisper-small"]


def test_a_ner_model_holding_a_method_or_without_a_size_changes_nothing() -> None:
    doc = Doc(Vocab(), words=["Qwen3-8B", "GRPO", "and", "Zeta", "Omni"])
    rules = [
        Span(doc, 0, 1, label="MODEL"),
        Span(doc, 1, 2, label="METHOD"),
        Span(doc, 3, 4, label="MODEL"),
    ]
    ner = [Span(doc, 0, 2, label="MODEL"), Span(doc, 3, 5, label="MODEL")]
    assert extended_by_ner(rules, ner) == rules
