"""The few lines under a paper's heading: title, link, organisation and date notes.

Hand-written digests put, under a short nickname heading, the paper's full
title on one line and its link on the next, followed on the same line by
organisations, venue and dates (``https://arxiv.org/pdf/2511.00413 快手
2025.11.1``). They are not consistent: the title line is sometimes missing, a
subtitle sometimes follows it, the link may be prefixed (``paper: ``), may not
be arXiv, or may be missing altogether. The rules below read all the shapes
found in the corpus and fall back to the heading rather than guess a title from
body text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from techclaims.ingest.digest.lines import Line, is_bullet
from techclaims.ingest.digest.links import find_arxiv, find_urls, first_date

#: How many non-blank lines under a heading may hold its title and link.
HEADER_LINES = 5

# Lines where an entry's body starts: numbered points, images, headings, quotes.
_BODY_START = re.compile(r"[ \t]*(?:\d{1,3}[.)、][ \t]|<img\b|#|>)")
# Links to code, blogs or model cards are not the paper's link.
_NOT_PAPER_HOSTS = re.compile(
    r"https?://(?:www\.)?(?:github\.com|gitee\.com|mp\.weixin\.qq\.com|zhuanlan\.zhihu\.com"
    r"|huggingface\.co/(?!papers/)|zenodo\.org|x\.com|twitter\.com|youtube\.com)",
    re.IGNORECASE,
)
_PAPER_LABEL = re.compile(
    r"[ \t]*(?:[-*+][ \t]*)?(?:paper|论文|arxiv|pdf)[ \t]*[:：]", re.IGNORECASE
)
_LABEL = re.compile(r"[ \t]*(?:[-*+][ \t]*)?(?:(?:[A-Za-z]{2,10}|论文|代码)[ \t]*[:：])?[ \t]*")
_EMPHASIS = re.compile(r"\*\*|__")
_ASCII_LETTER = re.compile(r"[A-Za-z]")


@dataclass(frozen=True, slots=True)
class Header:
    """What the lines under a heading say about the paper; None where they say nothing."""

    title: str | None = None
    arxiv_id: str | None = None
    url: str | None = None
    notes: str | None = None
    published: date | None = None


def header_block(lines: Sequence[Line]) -> list[Line]:
    """The first non-blank lines under a heading, before the body starts."""
    block: list[Line] = []
    for line in lines:
        if not line.text.strip():
            continue
        if _BODY_START.match(line.text) or len(block) == HEADER_LINES:
            break
        block.append(line)
    return block


def read_header(lines: Sequence[Line]) -> Header:
    """Title, link and notes from the lines that follow a heading (body lines excluded)."""
    block = header_block(lines)
    link_at = _link_line(block)
    if link_at is None:
        return Header(title=_title_from(block[:1]))
    line = block[link_at].text
    arxiv = find_arxiv(line)
    if arxiv is not None:
        url, arxiv_id, url_start, url_end = arxiv.url, arxiv.arxiv_id, arxiv.start, arxiv.end
    else:
        url, url_start, url_end = find_urls(line)[0]
        arxiv_id = None
    notes = _notes(line, url_start, url_end)
    return Header(
        title=_title_from(block[:link_at]),
        arxiv_id=arxiv_id,
        url=url,
        notes=notes,
        published=first_date(notes) if notes else None,
    )


def looks_like_title(line: str) -> bool:
    """A paper title line: mostly Latin letters, not a URL, not a list item.

    Digest titles are the papers' English titles; Chinese lines under a heading
    are the author's remarks (``田渊栋等``, ``小米``) and must not become titles.

    >>> looks_like_title("Tree Training: Accelerating Agentic LLMs Training")
    True
    >>> looks_like_title("田渊栋等"), looks_like_title("- Micro25：软件+硬件。")
    (False, False)
    """
    text = clean_title(line)
    if len(text) < 3 or len(text) > 300 or find_urls(text) or is_bullet(line):
        return False
    visible = [c for c in text if not c.isspace()]
    letters = len(_ASCII_LETTER.findall(text))
    return letters >= 3 and letters >= 0.5 * len(visible)


def clean_title(line: str) -> str:
    """A title line without markdown emphasis and surrounding spaces."""
    return " ".join(_EMPHASIS.sub("", line).split())


def _link_line(block: Sequence[Line]) -> int | None:
    """Index of the line holding the paper's link: arXiv first, else a labelled or paper-like URL."""
    for index, line in enumerate(block):
        if find_arxiv(line.text) is not None:
            return index
    for index, line in enumerate(block):
        urls = find_urls(line.text)
        if not urls:
            continue
        if _PAPER_LABEL.match(line.text) or not _NOT_PAPER_HOSTS.match(urls[0][0]):
            return index
    return None


def _title_from(candidates: Sequence[Line]) -> str | None:
    for line in candidates:
        if looks_like_title(line.text):
            return clean_title(line.text)
    return None


def _notes(line: str, url_start: int, url_end: int) -> str | None:
    """The link line without its URL and label: organisations, venue, dates."""
    prefix = line[:url_start]
    label = _LABEL.match(prefix)
    before = prefix[label.end() :] if label else prefix
    rest = (before + " " + line[url_end:]).strip()
    return " ".join(rest.split()) or None
