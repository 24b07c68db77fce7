"""METHOD recall, session 13: a name after a proposing cue is read whole, up to seven words
(``提出了 Quill Feather Ink Blotting Noise Scheduler``), instead of being cut at four words
into a name the paper never uses; a run of words longer than that names nothing."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


def methods(doc: Doc) -> set[str]:
    return {e.text for e in doc.ents if e.label_ == "METHOD"}


def test_a_long_name_after_a_proposing_cue_is_read_whole(nlp: Language) -> None:
    doc = nlp("## QuillNet\n\n本文提出了 Quill Feather Ink Blotting Scheduler，用于加速写作。\n")
    assert "Quill Feather Ink Blotting Scheduler" in (doc._.proposed_methods or [])
    assert "Quill Feather Ink Blotting Scheduler" in methods(doc)
    assert "Quill Feather Ink Blotting" not in methods(doc)


def test_a_short_name_after_a_cue_is_unchanged(nlp: Language) -> None:
    doc = nlp("## QuillNet\n\n本文提出了 Feather Scheduler，用于加速写作。\n")
    assert "Feather Scheduler" in (doc._.proposed_methods or [])


def test_a_run_longer_than_seven_words_names_nothing(nlp: Language) -> None:
    text = (
        "## QuillNet\n\n本文提出了 Alpha Beta Gamma Delta Epsilon Zeta Eta Theta，用于加速写作。\n"
    )
    doc = nlp(text)
    proposed = doc._.proposed_methods or []
    assert not any(name.startswith("Alpha") for name in proposed)
    assert not any(e.text.startswith("Alpha") for e in doc.ents)


TABLE = """## QuillServe: serving with quills

### 实验设置

| 类别 | 代表方法 |
|---|---|
| 缓存类 | Inkwell, Blotter |
| 调度类 | Nibsched |

| 类别 | 本文方法 |
|---|---|
| 缓存类 | Parchment |
"""


def test_a_column_headed_as_representative_methods_lists_methods(nlp: Language) -> None:
    found = methods(nlp(TABLE))
    assert {"Inkwell", "Blotter", "Nibsched"} <= found
    assert "Parchment" not in found  # a header that describes the paper's method, not a list
