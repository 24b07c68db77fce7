"""METHOD recall: names a digest's layout gives as parts of the paper's own method, which
the name rules read as proposed METHODs (ANNOTATION.md: a named technique, system or
component proposed by the paper), while the layout's other headings give nothing."""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from techclaims.ingest.extract import resolve
from techclaims.ingest.nlp.combine import NER_KEY
from techclaims.ingest.nlp.extensions import register_extensions
from techclaims.ingest.nlp.pipeline import role_of
from techclaims.ingest.papers import Named, without_unvoted
from techclaims.schema.records import Entity, Entry, Span

SUBHEADINGS = """## QuillServe: serving with quills

### 🔧 核心方法

#### （1）**Feather Token Packing**
将请求打包为羽毛块。

#### 2. Inkwell Prefetch Scheduler (IPS)
预取下一批请求。

#### （3）Quill Design
一种设计。

### 📊 实验结果

#### （1）Latency Breakdown Study
延迟下降 30%。
"""


def methods(doc: Doc) -> dict[str, str]:
    return {e.text: role_of(e) or "" for e in doc.ents if e.label_ == "METHOD"}


def test_a_proposal_sections_sub_heading_names_a_part_of_the_method(nlp: Language) -> None:
    doc = nlp(SUBHEADINGS)
    found = methods(doc)
    assert found.get("Feather Token Packing") == "proposed"
    assert found.get("Inkwell Prefetch Scheduler") == "proposed"
    assert doc._.declared_methods == ["Feather Token Packing", "Inkwell Prefetch Scheduler"]


def test_a_descriptive_or_a_results_sub_heading_names_nothing(nlp: Language) -> None:
    found = methods(nlp(SUBHEADINGS))
    assert "Quill Design" not in found  # a descriptive head word (head-other)
    assert "Latency Breakdown Study" not in found  # a results section, not a proposal


def test_a_sub_heading_that_does_not_lead_with_the_name_gives_none(nlp: Language) -> None:
    text = "## QuillServe: serving\n\n### 核心方法\n\n#### （1）基于 Feather Token Packing 的打包\n正文。\n"
    doc = nlp(text)
    assert "Feather Token Packing" not in methods(doc)
    assert doc._.declared_methods is None


def test_a_declared_part_stays_in_the_paper_without_the_ners_vote() -> None:
    """The ner tagged nothing: a name kept only for its role goes, a declared one stays."""
    register_extensions()
    text = "QuillServe packs with FeatherPack and ZedCache ."
    doc = spacy.blank("en")(text)
    doc.spans[NER_KEY] = []
    doc._.proposed_methods = ["QuillServe"]
    named = [
        Named("METHOD", t.text, t.idx, t.idx + len(t.text), "proposed")
        for t in doc
        if t.text in ("QuillServe", "FeatherPack", "ZedCache")
    ]
    entities = tuple(
        Entity.model_validate({"type": "METHOD", "name": n.surface, "role": n.role}) for n in named
    )
    entry = Entry(
        source="t.md",
        format="awesome",
        heading="QuillServe",
        title="QuillServe",
        text=text,
        span=Span(start=0, end=len(text)),
    )

    def kept() -> set[str]:
        return {e.name for e in without_unvoted([(entry, doc)], [named], entities, [], resolve)}

    assert kept() == {"QuillServe"}
    doc._.declared_methods = ["FeatherPack"]
    assert kept() == {"QuillServe", "FeatherPack"}
