"""Proposed-method recall, session 14: a proposed name the entry gives is kept whole.

- a model name inside a hyphenated proposed name (``Heron-Llama`` holds ``Llama``) does not
  hide the proposed name; a release named with a space or a size around the model
  (``Quill Llama 3``, ``Heron-Llama-7B``) stays the model's;
- the acronym a paper coins for its own method joins the long form's entity without being its
  label (another paper may name the method by the acronym alone: one node per thing, no
  label shared between nodes);
- an acronym a proposing cue defines by a long form the cue's name rule does not take
  (``提出 **Quill Early Stopping for FL (QES-FL)**``) is proposed;
- a method mention a bracket marks as the paper's own (``**Heronroute（本文方法）**``) is
  proposed, though it stands in a baseline list.
"""

from __future__ import annotations

from entry_claims import paper_of
from spacy.language import Language
from spacy.tokens import Doc

from techclaims.schema.records import Paper


def methods(doc: Doc) -> set[str]:
    return {e.text for e in doc.ents if e.label_ == "METHOD"}


def test_a_model_inside_the_proposed_name_does_not_hide_it(nlp: Language) -> None:
    doc = nlp("## Heron-Llama: Fast Decoding\n\nHeron-Llama 比 Llama 快 2 倍。\n")
    assert "Heron-Llama" in (doc._.proposed_methods or [])
    assert "Heron-Llama" in methods(doc)


def test_a_sized_name_around_a_model_is_not_made_a_method(nlp: Language) -> None:
    doc = nlp("## Heron-Llama-7B: Fast Decoding\n\nHeron-Llama-7B 比 Llama 快 2 倍。\n")
    assert not any(m.startswith("Heron-Llama") for m in methods(doc))


def labels_of(paper: Paper, role: str) -> set[str]:
    return {
        label
        for e in paper.entities
        if e.type == "METHOD" and e.role == role
        for label in (e.name, *e.aliases)
    }


def test_the_acronym_a_paper_coins_for_its_method_joins_it_without_a_label(
    nlp: Language,
) -> None:
    paper = paper_of(
        nlp,
        "本文提出 Quill Ledger Sandbox (QUILLS)，一种经济沙盒。QUILLS 比 Baseline 快 2 倍。",
        heading="QUILLS",
        title="QUILLS: A Quill Ledger Sandbox",
    )
    assert "Quill Ledger Sandbox" in labels_of(paper, "proposed")
    assert "QUILLS" not in {label for e in paper.entities for label in (e.name, *e.aliases)}


def test_an_acronym_a_cue_defines_by_a_long_form_with_connectors_is_proposed(
    nlp: Language,
) -> None:
    text = "## 方法\n本文提出 **Quill Early Stopping for FL (QES-FL)**，一种早停机制。QES-FL 减少 22% 步数。\n"
    doc = nlp(text)
    assert "QES-FL" in (doc._.proposed_methods or [])
    assert doc._.method_roles.get("QES-FL") == "proposed"


def test_an_acronym_beside_a_long_form_the_cue_reads_whole_adds_nothing(nlp: Language) -> None:
    doc = nlp("## 方法\n我们提出 Quill Ledger Sandbox (QLS)，一种沙盒。\n")
    assert "QLS" not in (doc._.proposed_methods or [])


def test_a_name_marked_as_the_papers_own_is_proposed_in_a_baseline_list(nlp: Language) -> None:
    text = (
        "## FooPaper\n\n### 对比基线方法\n- **Quillserve**：现有系统。\n"
        "- **Heronroute（本文方法）**：本文系统。\n\nHeronroute 比 Quillserve 快 2 倍。\n"
    )
    roles = nlp(text)._.method_roles
    assert roles.get("Heronroute") == "proposed"
    assert roles.get("Quillserve") == "baseline"
