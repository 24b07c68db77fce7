"""Awesome-list digests: ``# Title``, then one ``##`` section per paper.

A section runs from its heading to the next ``#`` or ``##`` heading; ``###``
lines are sub-headings inside it. Besides ``## Heading`` the corpus also types
``##Heading`` (no space), an empty ``##`` followed by the title line, and a few
papers under a level-1 ``# Heading`` in the middle of the list. All of these
are papers of their own (each has its own title and arXiv link), so each starts
an entry; only a level-1 heading that comes before every other heading is the
digest's title. A paper listed twice stays two entries here: merging entries of
the same paper is done later, by arXiv id or title.
"""

from __future__ import annotations

from collections.abc import Sequence

from techclaims.ingest.digest.entry import make_entry, section_end
from techclaims.ingest.digest.header import read_header
from techclaims.ingest.digest.lines import Heading, Line, find_headings, first_lines, split_lines
from techclaims.schema.records import DigestFormat, Entry

FORMAT: DigestFormat = "awesome"


def split_sections(headings: list[Heading]) -> tuple[str | None, list[Heading]]:
    """The digest title (a leading ``#`` heading) and the headings that start entries."""
    if headings and headings[0].level == 1:
        return headings[0].text or None, headings[1:]
    return None, headings


def read_awesome(text: str, source: str) -> tuple[str | None, list[Entry]]:
    """Split an awesome-list digest into one entry per ``#``/``##`` section."""
    lines = split_lines(text)
    title, starts = split_sections(find_headings(lines, max_level=2))
    entries: list[Entry] = []
    for number, heading in enumerate(starts):
        stop = starts[number + 1].index if number + 1 < len(starts) else len(lines)
        header = read_header(lines[heading.index + 1 : stop])
        entries.append(
            make_entry(
                text,
                source,
                FORMAT,
                lines[heading.index],
                section_end(lines, stop, text),
                heading=heading.text,
                title=header.title or heading.text or _first_text(lines, heading.index + 1, stop),
                arxiv_id=header.arxiv_id,
                url=header.url,
                published=header.published,
                notes=header.notes,
            )
        )
    return title, entries


def _first_text(lines: Sequence[Line], begin: int, stop: int) -> str:
    """Last resort title for an empty heading with no title line: its first line of text."""
    picked = first_lines(lines, begin, stop, 1)
    return picked[0].text.strip()[:200] if picked else ""
