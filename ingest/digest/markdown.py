"""Fallback reader for markdown that fits none of the known digest formats.

Headings of level 1 to 3 are candidates. When some of them carry an arXiv link
(in the heading, ``### [Title](https://arxiv.org/abs/...)``, or in the lines
just below it), exactly those headings are papers. Otherwise every heading of
the shallowest level that has text under it is one. A lone level-1 heading at
the top that is not itself a paper is the digest's title. An entry runs to the
next heading of its level or above, or to the next paper heading.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from techclaims.ingest.digest.entry import make_entry, section_end
from techclaims.ingest.digest.header import Header, read_header
from techclaims.ingest.digest.lines import Heading, Line, find_headings, split_lines
from techclaims.ingest.digest.links import find_arxiv
from techclaims.schema.records import DigestFormat, Entry

FORMAT: DigestFormat = "markdown"
MAX_LEVEL = 3

_LINK = re.compile(r"\[(?P<label>[^\[\]]+)\]\((?P<url>[^()\[\]\s]+)\)")


def read_markdown(text: str, source: str) -> tuple[str | None, list[Entry]]:
    """Split generic markdown into one entry per paper heading."""
    lines = split_lines(text)
    headings = find_headings(lines, max_level=MAX_LEVEL)
    sections = [_own_lines(lines, headings, pos) for pos in range(len(headings))]
    linked = [_has_arxiv(lines, h, own) for h, own in zip(headings, sections, strict=True)]
    first = _first_entry_heading(headings, linked)
    title = (headings[0].text or None) if first == 1 else None
    picked = [pos for pos in range(first, len(headings)) if linked[pos]]
    if not picked:
        picked = _text_headings(headings, sections, first)
    chosen = set(picked)
    entries = []
    for pos in picked:
        stop = _stop(headings, chosen, pos, len(lines))
        entries.append(_entry(text, source, lines, headings[pos], stop))
    return title, entries


def malformed_links(text: str) -> list[str]:
    """One line per heading that names arXiv but whose link gives no arXiv id (``arxiv.org/abs/2401.1``,
    ``arxiv.org/abs/ 2401.15077``), in a digest whose paper headings are its linked ones: such a
    heading is not read as a paper, and says so instead of vanishing."""
    lines = split_lines(text)
    headings = find_headings(lines, max_level=MAX_LEVEL)
    sections = [_own_lines(lines, headings, pos) for pos in range(len(headings))]
    linked = [_has_arxiv(lines, h, own) for h, own in zip(headings, sections, strict=True)]
    if not any(linked):
        return []
    return [
        f"line {h.index + 1}: the heading {h.text[:80]!r} links arXiv, but not to a well-formed "
        "arXiv id; skipped"
        for h, has in zip(headings, linked, strict=True)
        if not has and "arxiv" in lines[h.index].text.lower()
    ]


def heading_label(heading: str) -> str:
    """Heading text with markdown links reduced to their labels.

    >>> heading_label("[EAGLE: Speculative Sampling](https://arxiv.org/abs/2401.15077)")
    'EAGLE: Speculative Sampling'
    """
    return " ".join(_LINK.sub(lambda m: m["label"], heading).split())


def _own_lines(lines: Sequence[Line], headings: Sequence[Heading], pos: int) -> Sequence[Line]:
    """The lines between heading `pos` and the next heading of any level."""
    stop = headings[pos + 1].index if pos + 1 < len(headings) else len(lines)
    return lines[headings[pos].index + 1 : stop]


def _has_arxiv(lines: Sequence[Line], heading: Heading, own: Sequence[Line]) -> bool:
    return (
        find_arxiv(lines[heading.index].text) is not None or read_header(own).arxiv_id is not None
    )


def _first_entry_heading(headings: Sequence[Heading], linked: Sequence[bool]) -> int:
    """1 when the first heading is the digest's title (a lone ``#`` with no link), else 0."""
    if len(headings) < 2 or headings[0].level != 1 or linked[0]:
        return 0
    return 0 if any(h.level == 1 for h in headings[1:]) else 1


def _text_headings(
    headings: Sequence[Heading], sections: Sequence[Sequence[Line]], first: int
) -> list[int]:
    """Positions of the shallowest headings that have some text under them."""
    with_text = [
        pos
        for pos in range(first, len(headings))
        if any(line.text.strip() for line in sections[pos])
    ]
    if not with_text:
        return []
    level = min(headings[pos].level for pos in with_text)
    return [pos for pos in with_text if headings[pos].level == level]


def _stop(headings: Sequence[Heading], chosen: set[int], pos: int, line_count: int) -> int:
    """Line index where the entry of heading `pos` ends: next heading at its level or above,
    or the next chosen heading. The scan never passes the next chosen heading, so all
    entries together cost one pass over the headings."""
    level = headings[pos].level
    for later in range(pos + 1, len(headings)):
        if headings[later].level <= level or later in chosen:
            return headings[later].index
    return line_count


def _entry(text: str, source: str, lines: Sequence[Line], heading: Heading, stop: int) -> Entry:
    label = heading_label(heading.text)
    header = read_header(lines[heading.index + 1 : stop])
    own = find_arxiv(lines[heading.index].text)
    if own is not None:
        same = header.arxiv_id in (None, own.arxiv_id)
        header = Header(
            title=label,
            arxiv_id=own.arxiv_id,
            url=own.url,
            notes=header.notes if same else None,
            published=header.published if same else None,
        )
    return make_entry(
        text,
        source,
        FORMAT,
        lines[heading.index],
        section_end(lines, stop, text),
        heading=label,
        title=header.title or label,
        arxiv_id=header.arxiv_id,
        url=header.url,
        published=header.published,
        notes=header.notes,
    )
