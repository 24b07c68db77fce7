"""The layout components' speed-ups give what the plain rules give: the markup pattern's guard
(`MARKUP_STARTS`) finds the matches of its branches alone, and the sentence splitter reads
spaCy's space flags as the strings it was written for."""

from __future__ import annotations

import re

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from techclaims.ingest.nlp import structure
from techclaims.ingest.nlp.structure import MARKUP, MARKUP_BRANCHES, markup_intervals
from techclaims.ingest.nlp.tokenizer import MixedTokenizer

_UNGUARDED = re.compile(MARKUP_BRANCHES, MARKUP.flags)

_PIECES = st.sampled_from(
    [
        "a",
        "Z",
        "h",
        "f",
        "w",
        "x",
        "0",
        "12",
        " ",
        "\t",
        "\n",
        "\n\n",
        "-",
        "+",
        "•",
        "1.",
        "3)",
        "#",
        "## ",
        ">",
        "*",
        "**",
        "***",
        "_",
        "__",
        "`",
        "```",
        "~",
        "~~",
        "~~~",
        "$",
        "$$",
        "\\$",
        "[",
        "]",
        "[1]",
        "[2-3]",
        "(",
        ")",
        "|",
        "&",
        "&amp;",
        "&#12;",
        "<",
        "<b>",
        "</b>",
        "<!--",
        "-->",
        "<sup>",
        "</sup>",
        "<summary>",
        "</summary>",
        "(by x)",
        "![a](b)",
        "](#x)",
        "http://a.b/c",
        "https://x.y",
        "ftp://f",
        "www.a-b.c",
        "**Authors**:",
        "---",
        "===",
        "。",
        "，",
        "模型",
        "vLLM",
        "**Type**: x",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_the_guard_finds_what_the_branches_find(text: str) -> None:
    guarded = [(m.lastgroup, m.span()) for m in MARKUP.finditer(text)]
    assert guarded == [(m.lastgroup, m.span()) for m in _UNGUARDED.finditer(text)]


def test_each_branch_starts_with_a_guarded_character_or_at_a_line_start() -> None:
    """A branch added later that starts with another character would be skipped by the guard."""
    for line in MARKUP_BRANCHES.strip().splitlines():
        body = re.sub(r"^\|?\(\?P<\w+>", "", line.strip())
        first = body.lstrip("(?:")[:1]
        assert (
            body.startswith("^")
            or first in structure.MARKUP_STARTS
            or body.startswith(("(?<=\\])\\(", "(?:https?|ftp)", "\\"))
        ), line


def test_markup_intervals_of_a_digest_line() -> None:
    text = "- **vLLM** [1] $x$ see https://github.com/vllm-project/vllm. <b>x</b> &amp;"
    found = [text[a:b] for a, b in markup_intervals(text)]
    assert found == [
        "-",
        "**",
        "**",
        "[1]",
        "$x$",
        "https://github.com/vllm-project/vllm",
        "<b>",
        "</b>",
        "&amp;",
    ]


def test_sentence_starts_read_spacy_space_flags() -> None:
    nlp = spacy.blank("xx")
    nlp.tokenizer = MixedTokenizer(nlp.vocab)
    nlp.add_pipe("techclaims_markup")
    nlp.add_pipe("techclaims_sentences")
    text = "- Hello world. This is it.\n1. Next one 。then\n## Heading\nEnd"
    doc = nlp(text)
    words = [t.text for t in doc]
    spaces = [t.whitespace_ for t in doc]
    assert [t.is_sent_start for t in doc] == structure.sentence_starts(words, spaces)
    assert [s.text.strip() for s in doc.sents] == [
        "-",
        "Hello world.",
        "This is it.",
        "1.",
        "Next one 。",
        "then",
        "##",
        "Heading",
        "End",
    ]
