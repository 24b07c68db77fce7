"""Custom attributes the pipeline sets on `Doc`, `Token` and `Span`.

Stored values are plain strings, lists and dicts (a stored `Span` breaks `DocBin`);
attributes on tokens and spans are computed from them.

========================  =========================================================
``Doc._.heading``         the entry's heading line (without ``#`` marks); set by
                          `annotate`, or taken from the text's first line
``Doc._.title``           the entry's title, set by `annotate` ("" when unknown)
``Doc._.markup``          merged ``[start_char, end_char]`` intervals of markup
                          (``**``, ``$...$``, HTML tags, URLs, link targets, ...)
``Doc._.proposed_methods``  names the entry proposes (heading, title, cue phrases)
``Doc._.declared_methods``  names a layout declares parts of the paper's method (a proposal
                          section's sub-heading that leads with the name; `coined`)
``Doc._.method_roles``    ``{METHOD mention text: "proposed"|"baseline"|"used"}``
``Doc._.method_hints``    ``{normalised name: "proposed"|"baseline"}`` from where a
                          name was found (a proposal or baseline section, a table)
``Token._.is_markup``     the token overlaps markup (getter)
``Span._.is_markup``      the span overlaps markup (getter)
========================  =========================================================
"""

from __future__ import annotations

import re
from bisect import bisect_left

from spacy.tokens import Doc, Span, Token

__all__ = [
    "register_extensions",
    "overlaps_markup",
    "doc_heading_title",
    "doc_text",
    "DOC_EXTENSIONS",
]

_TEXT_KEY = "techclaims.text"


def doc_text(doc: Doc) -> str:
    """`doc.text`, cached in `doc.user_data` (the tokenizer puts it there): spaCy
    rebuilds `doc.text` from every token on each access, and each rule component
    needs it."""
    cached = doc.user_data.get(_TEXT_KEY)
    if cached is not None and len(doc) and len(cached) == doc[-1].idx + len(doc[-1].text_with_ws):
        return cached
    text = doc.text
    doc.user_data[_TEXT_KEY] = text
    return text


DOC_EXTENSIONS = (
    "heading",
    "title",
    "markup",
    "proposed_methods",
    "declared_methods",
    "method_roles",
    "method_hints",
)


def overlaps_markup(doc: Doc, start_char: int, end_char: int) -> bool:
    """Whether `[start_char, end_char)` overlaps one of `doc._.markup`'s intervals."""
    intervals = doc._.markup
    if not intervals:
        return False
    i = bisect_left(intervals, end_char, key=_start) - 1  # last interval starting before end
    return i >= 0 and intervals[i][1] > start_char


def _start(interval: list[int]) -> int:
    return interval[0]


_TITLE_LINE = re.compile(r"^\s*(?:\*\*)?\s*[^:：\n]{1,60}?\s*(?:\*\*)?\s*[:：]\s*\S")


def doc_heading_title(doc: Doc, text: str | None = None) -> tuple[str, str]:
    """`doc._.heading` and `doc._.title`; when neither is set, the first line if it is
    a markdown heading, and the next line if it reads like a title ("Name: ...").
    Pass `text` (`doc.text`) if you have it: spaCy rebuilds it on every access."""
    heading, title = doc._.heading, doc._.title
    if not heading and not title:
        lines = (doc.text if text is None else text).lstrip().split("\n", 2)
        if lines and lines[0].startswith("#"):
            heading = lines[0].lstrip("#").strip()
            if len(lines) > 1 and _TITLE_LINE.match(lines[1]):
                title = lines[1].strip()
    return heading, title


def _token_is_markup(token: Token) -> bool:
    return overlaps_markup(token.doc, token.idx, token.idx + len(token.text))


def _span_is_markup(span: Span) -> bool:
    return overlaps_markup(span.doc, span.start_char, span.end_char)


def register_extensions() -> None:
    """Register the attributes (idempotent)."""
    defaults = {
        "heading": "",
        "title": "",
        "markup": None,
        "proposed_methods": None,
        "declared_methods": None,
        "method_roles": None,
        "method_hints": None,
    }
    for name, default in defaults.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    if not Token.has_extension("is_markup"):
        Token.set_extension("is_markup", getter=_token_is_markup)
    if not Span.has_extension("is_markup"):
        Span.set_extension("is_markup", getter=_span_is_markup)


register_extensions()
