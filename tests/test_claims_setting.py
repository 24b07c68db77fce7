"""Where a claim's baseline comes from when its own clause names none (ANNOTATION.md rules 1-4), on
made-up entries through the real pipeline: a near cue before a bold name, a label that opens the
list item ("**对比 X**：")."""

from __future__ import annotations

from spacy.language import Language

from techclaims.ingest.extract import resolve
from techclaims.ingest.nlp import make_doc
from techclaims.ingest.nlp.pipeline import role_of
from techclaims.ingest.papers import to_paper
from techclaims.schema.records import Claim, Entry, Span


def claims(nlp: Language, body: str, heading: str = "FooServe") -> list[Claim]:
    text = f"## {heading}\nFooServe: Fast LLM Serving\n\n{body}\n"
    entry = Entry(
        source="t.md",
        format="awesome",
        heading=heading,
        title="FooServe: Fast LLM Serving",
        text=text,
        span=Span(start=0, end=len(text)),
    )
    return list(to_paper([(entry, nlp(make_doc(nlp, entry)))], resolve, role_of).claims)


def baselines(nlp: Language, body: str) -> list[tuple[float, str | None]]:
    return [(c.value, c.baseline) for c in claims(nlp, body)]


# -- rule 1: the sentence --------------------------------------------


def test_a_near_cue_reaches_a_bold_name(nlp: Language) -> None:
    # the markup is blanked before the cues are read: "比 **vLLM**" is "比   vLLM"
    assert baselines(nlp, "- FooServe 比 **vLLM** 快 **1.9×**。") == [(1.9, "vLLM")]


# -- rule 2: the lead-in ------------------------------------------------------------------------


def test_a_comparison_label_leads_in_the_sentences_of_its_item(nlp: Language) -> None:
    body = "- **对比 SGLang**：FooServe 性能一致更高。在长上下文下吞吐提升高达 3.1 倍。"
    assert baselines(nlp, body) == [(3.1, "SGLang")]


def test_an_opening_and_closing_comparison_label_leads_in_its_sentence(nlp: Language) -> None:
    body = "- **与 SGLang 对比**：FooServe 在长上下文下吞吐提升 3.1 倍。"
    assert baselines(nlp, body) == [(3.1, "SGLang")]


def test_a_label_that_is_no_comparison_names_no_baseline(nlp: Language) -> None:
    body = "- **端到端性能**：FooServe 吞吐提升 3.1 倍，SGLang 作为后端。"
    assert baselines(nlp, body) == [(3.1, None)]
