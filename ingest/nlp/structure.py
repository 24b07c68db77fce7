"""Markup and sentence boundaries: the two components that read a digest's layout.

``techclaims_markup`` records where markdown / HTML / LaTeX markup is
(`Doc._.markup`), so that no entity is ever made of it. ``techclaims_sentences``
sets `Token.is_sent_start`: after 。！？；!?; and a sentence-final ``.``, at every
line break, and around list markers and headings: the marker (``-``, ``*``,
``1.``, ``##``) is a sentence of its own, so a bullet's text is one sentence
exactly as written.
"""

from __future__ import annotations

import re

import numpy
from spacy.attrs import IDX, LENGTH, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc

from .extensions import doc_text, register_extensions
from .word_shape import HAN

__all__ = [
    "MARKUP",
    "MARKUP_BRANCHES",
    "MARKUP_STARTS",
    "markup_intervals",
    "sentence_starts",
    "MarkupMarker",
    "SentenceSplitter",
]

register_extensions()

MARKUP_BRANCHES = r"""
    (?P<meta>^[ \t]*\*\*(?:Authors?|Categor(?:y|ies)|Published|Updated|Score|Type|ArXiv\ ID|arXiv\ ID|Comments|Affiliations?)\*\*[ \t]*[:：].*$)
    |(?P<credit><summary>[^\n]*?\((?:by|via|from)\ [^)\n]{1,40}\)[^\n]*?</summary>)
    |(?P<affil>^.*<sup>[^<\n]*</sup>.*<sup>[^<\n]*</sup>.*$)
    |(?P<fence>^[ \t]*(?:```|~~~).*$)
    |(?P<image>!\[[^\]\n]*\]\([^)\s]*\))
    |(?P<target>(?<=\])\((?:https?://|www\.|\.{0,2}/|\#)[^)\s]*\))
    |(?P<url>(?:https?|ftp)://[^\s<>"'`()\[\]{}|，。、；：！？（）【】《》“”]+|www\.[A-Za-z0-9-]+\.[^\s<>"'`()\[\]{}|，。、；：！？（）【】《》“”]+)
    |(?P<tag><!--[\s\S]*?-->|</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>\n]*?)?/?>)
    |(?P<math>\$\$[\s\S]+?\$\$|(?<!\\)\$[^$\n]+?(?<!\\)\$)
    |(?P<emph>\*{1,3}|_{2,3}|`+|~~)
    |(?P<heading>^\#{1,6}(?=[ \t]))
    |(?P<rule>^[ \t]*(?:-{3,}|_{3,}|={3,})[ \t]*$)
    |(?P<bullet>^[ \t]*(?:[-+•·▪‣]|\d{1,3}[.)、])(?=[ \t]))
    |(?P<quote>^[ \t]*>)
    |(?P<cite>\[\d{1,3}(?:[,，\-–]\s?\d{1,3})*\])
    |(?P<bracket>[\[\]|])
    |(?P<entity>&[A-Za-z]{2,8};|&\#\d{1,6};)
    """
#: Every character a branch can start with, other than at a line start (`^`): where neither is
#: the case no branch can match, and the guard fails at once instead of trying the seventeen
#: branches (the same matches, three to four times faster; tests/test_structure.py compares).
MARKUP_STARTS = "<!(hfw$*_`~[]|&"
MARKUP = re.compile(
    rf"(?:^|(?=[{re.escape(MARKUP_STARTS)}]))(?:{MARKUP_BRANCHES})",
    re.VERBOSE | re.MULTILINE,
)


def markup_intervals(text: str) -> list[list[int]]:
    """Sorted, merged ``[start, end)`` intervals of markup in `text`.

    >>> markup_intervals("**vLLM** [1] $x$")
    [[0, 2], [6, 8], [9, 12], [13, 16]]
    """
    merged: list[list[int]] = []
    for match in MARKUP.finditer(text):
        start, end = match.span()
        if match.lastgroup == "url":
            end = start + len(match.group().rstrip(".,;:!?'\""))
        if start == end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


_TERMINALS = frozenset("。！？；!?;…")
_CLOSERS = frozenset(
    ["”", "’", "」", "』", "）", ")", "】", "]", "》", '"', "'", "*", "**", "***", "`"]
)
_BULLETS = frozenset(["-", "*", "+", "•", "·", "▪", "‣", ">", "|"])
_NUMBERED = re.compile(r"\d{1,3}[.)、]")
_CIRCLED = frozenset("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳")
_OPEN = frozenset(["(", "（"])
_CLOSE = frozenset([")", "）"])
_AFTER_POINT = frozenset(["，", ",", "；", ";", "：", ":", "。"])


def sentence_starts(words: list[str], spaces: list[str]) -> list[bool]:
    """Sentence starts for tokens `words` with trailing whitespace `spaces` (only their truth
    is read: `SentenceSplitter` passes spaCy's 0/1 flags).

    >>> sentence_starts(["- ", "a", "。", "b"], ["", "", "", ""])[1:]
    [False, False, True]
    """
    n = len(words)
    starts = [False] * n
    line_start = True
    pending = False  # a sentence ended: the next token that is not a closer starts one
    marker = False  # a list marker / heading mark ended: the next token starts one
    last = ""  # last non-space token
    for i, word in enumerate(words):
        if word.isspace():
            if "\n" in word:
                line_start = True
            continue
        if line_start or marker:
            starts[i] = True
            pending = marker = False
            followed_by_space = bool(spaces[i]) or (i + 1 < n and words[i + 1].isspace())
            if (
                line_start
                and followed_by_space
                and (word in _BULLETS or _NUMBERED.fullmatch(word) or word.strip("#") == "")
            ):
                marker = True
        elif pending and word not in _CLOSERS:
            starts[i] = True
            pending = False
        elif word in _CIRCLED or (
            word in _OPEN
            and last in _AFTER_POINT
            and i + 2 < n
            and words[i + 1].isdigit()
            and len(words[i + 1]) <= 2
            and words[i + 2] in _CLOSE
        ):
            starts[i] = True
            pending = False
        line_start = False
        if word in _TERMINALS:
            pending = True
        elif word == "." and (
            spaces[i] or i + 1 == n or words[i + 1].isspace() or HAN.match(words[i + 1])
        ):
            pending = True
        last = word
    if n:
        starts[0] = True
    return starts


class MarkupMarker:
    """Component: sets `Doc._.markup`."""

    def __init__(self, nlp: Language, name: str = "techclaims_markup"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.markup = markup_intervals(doc_text(doc))
        return doc


class SentenceSplitter:
    """Component: sets `Token.is_sent_start` on every token."""

    def __init__(self, nlp: Language, name: str = "techclaims_sentences"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        # Token texts sliced from the cached text: making a Token object per token
        # (twice) cost more than the splitting itself.
        text = doc_text(doc)
        spans = doc.to_array([IDX, LENGTH]).tolist()
        # the trailing-space flags as they are (0 or 1): sentence_starts only tests their truth
        spaces = doc.to_array(SPACY)
        starts = sentence_starts([text[i : i + n] for i, n in spans], spaces)  # type: ignore[arg-type]
        values = numpy.where(numpy.asarray(starts, dtype=bool), 1, -1).astype("int64")
        # thinc's Ints2d is an ndarray at run time
        doc.from_array([SENT_START], values.view("uint64").reshape(-1, 1))  # type: ignore[arg-type]
        return doc


@Language.factory("techclaims_markup", assigns=["doc._.markup"])
def make_markup_marker(nlp: Language, name: str) -> MarkupMarker:
    return MarkupMarker(nlp, name)


@Language.factory(
    "techclaims_sentences", assigns=["token.is_sent_start"], requires=["doc._.markup"]
)
def make_sentence_splitter(nlp: Language, name: str) -> SentenceSplitter:
    return SentenceSplitter(nlp, name)
