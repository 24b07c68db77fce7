"""Proposed-method recall, session 15.

- an upper-case word before a title's colon that the title's words spell (``STAGE: Streaming
  Token Aggregation for GPU Execution``) is the paper's coined name, though the word alone is
  generic; one the title does not spell (``SIMPLE: Faster Serving``) stays generic;
- a name a cue or label takes that runs on in lower-case words or connectors to a bracketed
  acronym the whole long form spells (``Heron instruction Replay (HeR)``) is named by the
  acronym, not by the words before the first lower-case one;
- a name at the head of a list item or table row whose description opens by saying it is the
  paper's own (``| **Multiscale Heron-BO** | 本文提出的多尺度方法 |``) is proposed;
- a name set in bold right after a naming cue (``名为 **Warden** 的算法``, ``被命名为
  **q3-hull**``) is proposed as written, one plain or lower-case word though it be (not one
  plain lower-case word alone: ``称为 **tracks**``);
- a bold name a dash sets after a proposing cue's description (``提出了一个**统一的理论框架**——
  **Quill-Error Framework**``) is proposed;
- a proposed acronym whose long form ends in a generic word that alone gives too few of its
  letters (``Amber Quill for Attention (AQA)``: "Attention" gives one of three) is not
  dropped as the acronym of a generic term;
- a name in bold Chinese quote marks after a proposing cue (``提出 **“Thinking Frugally”**``) is
  proposed (quote marks without bold are not read: dev METHOD fell).
"""

from __future__ import annotations

from entry_claims import paper_of
from spacy.language import Language

from techclaims.ingest.nlp.methods import spells_out
from techclaims.schema.records import Paper


def labels_of(paper: Paper, role: str) -> set[str]:
    return {
        label
        for e in paper.entities
        if e.type == "METHOD" and e.role == role
        for label in (e.name, *e.aliases)
    }


def test_an_acronym_the_title_spells_is_proposed_though_generic(nlp: Language) -> None:
    title = "STAGE: Streaming Token Aggregation for GPU Execution"
    paper = paper_of(nlp, "STAGE aggregates tokens while streaming.", heading=title, title=title)
    assert "STAGE" in labels_of(paper, "proposed")


def test_a_generic_word_the_title_does_not_spell_is_no_name(nlp: Language) -> None:
    title = "SIMPLE: Faster Serving of Language Models"
    paper = paper_of(nlp, "SIMPLE serves models faster.", heading=title, title=title)
    assert "SIMPLE" not in labels_of(paper, "proposed")


def test_spells_out_reads_initials_and_inner_capitals() -> None:
    assert spells_out("STAGE", "STAGE: A Symbolic Tensor grAph GEnerator")
    assert spells_out("TOPS", "TOPS: Visual Pruning via Token Optimal Preservation Sets")
    assert not spells_out("Stage", "Stage: Streaming Token Aggregation for GPU Execution")
    assert not spells_out("ST", "ST: Streaming Tokens")


def test_a_label_cut_at_a_lower_case_word_gives_the_acronym(nlp: Language) -> None:
    text = (
        "## 方法\n\n### 提出的新方法：Heron instruction Replay (HeR)\n"
        "HeR 将失败样本重写为成功样本，训练速度提升 2 倍。\n"
    )
    proposed = nlp(text)._.proposed_methods or []
    assert "HeR" in proposed
    assert "Heron" not in proposed


def test_a_cue_name_cut_at_a_connector_gives_the_acronym_not_the_cut_words(
    nlp: Language,
) -> None:
    text = (
        "## 方法\nWe propose Quill Influence for Reasoning (QIR), a data selector. "
        "QIR halves the training time.\n"
    )
    proposed = nlp(text)._.proposed_methods or []
    assert "Quill Influence" not in proposed
    assert "QIR" in proposed


def test_a_table_row_described_as_the_papers_own_is_proposed(nlp: Language) -> None:
    text = (
        "## 方法\n\n| 方法 | 说明 |\n|---|---|\n| **Heron-BO** | 单尺度基线 |\n"
        "| **Multiscale Heron-BO** | 本文提出的多尺度方法 |\n"
    )
    doc = nlp(text)
    assert "Multiscale Heron-BO" in (doc._.proposed_methods or [])
    assert doc._.method_roles.get("Multiscale Heron-BO") == "proposed"
    assert "Heron-BO" not in (doc._.proposed_methods or [])


def test_a_list_item_described_as_the_proposed_method_is_proposed(nlp: Language) -> None:
    doc = nlp(
        "## 基线\n\n- **Offline Quill-GMM**：离线训练。\n- **Adaptive Quill-GMM**：本文提出的在线方法。\n"
    )
    assert (doc._.proposed_methods or []) == ["Adaptive Quill-GMM"]


def test_a_bold_name_after_a_naming_cue_is_proposed_whatever_its_shape(nlp: Language) -> None:
    word = nlp("## 方法\n\n作者提出了一种名为 **Warden** 的早停算法。Warden 减少 30% 的计算。\n")
    assert "Warden" in (word._.proposed_methods or [])
    lower = nlp("## 方法\n\n该组合策略被命名为 **q3-hull**。q3-hull 快 2 倍。\n")
    assert "q3-hull" in (lower._.proposed_methods or [])


def test_one_plain_lower_case_word_in_bold_after_a_naming_cue_is_no_name(nlp: Language) -> None:
    doc = nlp("## 方法\n\n这些片段被称为 **tracks**，每段独立调度。\n")
    assert "tracks" not in (doc._.proposed_methods or [])


def test_a_bold_name_a_dash_sets_after_a_proposing_cue_is_proposed(nlp: Language) -> None:
    text = (
        "## 方法\n\n作者提出了一个**统一的理论框架**——**Quill-Error Framework**，"
        "将三类误差统一起来。\n"
    )
    assert "Quill-Error Framework" in (nlp(text)._.proposed_methods or [])


def test_a_proposed_acronym_a_generic_word_spells_loosely_is_kept(nlp: Language) -> None:
    text = (
        "## 方法\n\n### 提出的新方法：Amber Quill for Attention (AQA)\n"
        "AQA 将注意力转移到实体名词，准确率提升 3%。\n"
    )
    doc = nlp(text)
    assert "AQA" in (doc._.proposed_methods or [])
    assert "AQA" in {e.text for e in doc.ents if e.label_ == "METHOD"}


def test_a_name_in_bold_quote_marks_after_a_proposing_cue_is_proposed(nlp: Language) -> None:
    doc = nlp("## 方法\n\n作者提出 **“Thinking Frugally”** 原则，在推理中节省 30% 的 token。\n")
    assert "Thinking Frugally" in (doc._.proposed_methods or [])
