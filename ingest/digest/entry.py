"""Build `Entry` records whose text is exactly the digest slice they point at."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from techclaims.ingest.digest.lines import Line, trim_end
from techclaims.schema.records import DigestFormat, Entry, Span


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
