"""Build `Entry` records whose text is exactly the digest slice they point at."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from techclaims.ingest.digest.lines import Line, trim_end
from techclaims.schema.records import DigestFormat, Entry, Span

_LINK_TARGET = re.compile(r"\]\([^)\n]*\)")
_NUMBERING = re.compile(r"^[\s#*]*\d{1,3}[.)、]\s*")
_NOT_WORD = re.compile(r"[\W_]+")


def _squashed(text: str) -> str:
    return _NOT_WORD.sub("", _NUMBERING.sub("", _LINK_TARGET.sub("", text)).lower())


def names_the_paper(line: str, *names: str) -> bool:
    """Whether a heading line of an entry is the paper's own title, not a section of it.

    Section cues are read off headings to say what the text under them holds
    (section-words.txt: "Future", "Benchmark", "Hardware", "Problem"). In a title
    ("ConFu: Contemplate the Future ...", "Hardware-Aware ...") they say nothing of
    the kind: read there, every name of such an entry was taken for a passing
    mention. A heading names the paper when it links to it (the arXiv bot's
    ``### 3. [Title](url)``) or holds one of `names`, the entry's heading or title
    (an AI summary's ``# 论文总结：Title``), ignoring case, markup and numbering.

    >>> names_the_paper("### 3. [ConFu: Contemplate the Future](https://arxiv.org/abs/1)")
    True
    >>> names_the_paper("# **论文总结：ConFu: Contemplate the Future**", "ConFu: Contemplate the Future")
    True
    >>> names_the_paper("### 未来工作方向", "ConFu: Contemplate the Future")
    False
    """
    if _LINK_TARGET.search(line):
        return True
    squashed = _squashed(line)
    return any(len(key) >= 8 and key in squashed for key in map(_squashed, names))


def section_end(lines: Sequence[Line], stop: int, text: str) -> int:
    """Character offset where a section that ends before line `stop` ends."""
    return lines[stop].start if stop < len(lines) else len(text)


def make_entry(
    text: str,
    source: str,
    fmt: DigestFormat,
    heading_line: Line,
    end: int,
    *,
    heading: str,
    title: str,
    arxiv_id: str | None = None,
    url: str | None = None,
    authors: Sequence[str] = (),
    category: str | None = None,
    published: date | None = None,
    notes: str | None = None,
) -> Entry:
    """An entry from its heading line to `end`, trailing blank lines and rules left out.

    The text is sliced from `text` here, in one place, so that
    ``text[e.span.start:e.span.end] == e.text`` holds by construction.
    """
    start = heading_line.start
    end = trim_end(text, start, end, floor=heading_line.end)
    return Entry(
        source=source,
        format=fmt,
        heading=heading,
        title=title,
        arxiv_id=arxiv_id,
        url=url,
        authors=tuple(authors),
        category=category or None,
        published=published,
        notes=notes or None,
        text=text[start:end],
        span=Span(start=start, end=end),
    )
