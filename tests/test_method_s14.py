"""METHOD names, session 14 (helper meth14): what stands before a title's colon is no name
when it reads as a slogan (a verb, pronoun, article or quantifier in it: "Quill May Be
Enough: ..."), and the leading words of a heading that is the paper's whole title, with no
colon, are a phrase cut short ("Weave of Inkblot Thought" gives no "Inkblot Thought")."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from techclaims.ingest.nlp.methods import title_candidates


def _doc(nlp: Language, heading: str, title: str, body: str) -> Doc:
    doc = nlp.make_doc(f"## {heading}\n\n{body}\n")
    doc._.heading = heading
    doc._.title = title
    return nlp(doc)


def test_a_slogan_before_a_titles_colon_is_no_name() -> None:
    assert title_candidates("Quill May Be Enough: Toward the Essence of Ink") == []
    assert title_candidates("Blotting Meets Parchment: Ink Equivalence") == []
    assert title_candidates("One Quill, Infinite Pages: Shared Ink Policies") == []
    assert title_candidates("Long Live The Inkwell: Bottleneck Driven Pens") == []


def test_a_name_before_a_titles_colon_is_still_one() -> None:
    assert title_candidates("Quill Feather: Accelerating Ink Drying") == ["Quill Feather"]
    assert title_candidates("QuillNet: Fast Pens") == ["QuillNet"]


def test_a_slogan_title_proposes_nothing(nlp: Language) -> None:
    title = "Quill May Be Enough: Toward the Essence of Ink"
    doc = _doc(nlp, title, title, "Quill May Be Enough 研究了墨水的本质。")
    assert "Quill May Be Enough" not in (doc._.proposed_methods or [])


def test_the_leading_words_of_a_whole_title_heading_are_no_name(nlp: Language) -> None:
    title = "Weave of Inkblot Thought"
    doc = _doc(nlp, title, title, "本文研究 Inkblot Thought 的编织方式。")
    assert "Inkblot Thought" not in (doc._.proposed_methods or [])


def test_a_heading_that_is_the_whole_title_still_names_it(nlp: Language) -> None:
    title = "Inkblot Thought Weaving"
    doc = _doc(nlp, title, title, "Inkblot Thought Weaving 提升了写作速度。")
    assert "Inkblot Thought Weaving" in (doc._.proposed_methods or [])


def test_a_short_heading_beside_its_title_still_names_its_words(nlp: Language) -> None:
    doc = _doc(nlp, "QuillServe 墨水加速", "Serving Quills Fast", "QuillServe 提升了写作速度。")
    assert "QuillServe" in (doc._.proposed_methods or [])


# -- a low-bit format the entry keeps writing is one it works in ------------------------------

_FORMATS = (
    "## QuillNet\n\n"
    "QuillNet 把权重存为 INT4，激活保持 BF16。\n"
    "- 每次读取 INT4 权重后在 BF16 下累加；\n"
    "- 逐元素解包之外，INT4 的打包方式减少了访存；\n"
    "- 最终采用 INT4 时 BF16 模型快 2.1 倍。\n"
)


def test_a_low_bit_format_written_four_times_is_a_method(nlp: Language) -> None:
    found = {e.text for e in nlp(_FORMATS).ents if e.label_ == "METHOD"}
    assert "INT4" in found
    assert "BF16" not in found  # the precision the experiment runs in, however often


def test_a_low_bit_format_written_twice_is_still_dropped(nlp: Language) -> None:
    text = "## QuillNet\n\nQuillNet 把权重存为 INT4。\n- 每次读取 INT4 权重。\n"
    found = {e.text for e in nlp(text).ents if e.label_ == "METHOD"}
    assert "INT4" not in found
