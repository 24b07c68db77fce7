"""Proposed-method recall, session 15.

- an upper-case word before a title's colon that the title's words spell (``STAGE: Streaming
  Token Aggregation for GPU Execution``) is the paper's coined name, though the word alone is
  generic; one the title does not spell (``SIMPLE: Faster Serving``) stays generic.
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
