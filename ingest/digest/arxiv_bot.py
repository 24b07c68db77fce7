"""arXiv-bot digests: a bot's README listing numbered ``### N. [Title](arxiv URL)`` items.

Each item carries ``**Authors**:``, ``**Category**:``, ``**Published**:`` and
``**ArXiv ID**:`` fields, an abstract, and often a ``<details>`` block with an
AI summary whose own ``#``/``##`` headings must not end the item (in early December
2025 the summary is a ``#### AI Summary`` section instead, with the same headings). An
item runs to the next numbered item; the last one runs to the first ``#``/``##``
heading outside ``<details>`` and outside an AI summary section (the bot's
"Configuration" postamble) or the end of file. A page that lists no paper is not
read as another format: it is refused as empty.
The preamble (repository description, statistics) is not an entry.

The entry's ``heading`` is the item's title, as in the gold annotations
(``"heading": "Mapping Gemma3 onto an Edge Dataflow Architecture"``), not the
raw ``1. [Title](url)`` markdown.

In the corpus these files are mis-encoded, but every character the structure
needs is ASCII and survives the damage; the reader runs on the repaired text so
that offsets match what ``kg repair`` prints.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from techclaims.ingest.digest.entry import make_entry, section_end
from techclaims.ingest.digest.lines import Line, parse_heading, split_lines
from techclaims.ingest.digest.links import arxiv_id_of, find_arxiv, parse_iso_date
from techclaims.schema.records import DigestFormat, Entry

FORMAT: DigestFormat = "arxiv-bot"

# The URL may not hold brackets or parentheses: that keeps matching linear on hostile lines
# such as ``### 1. [`` followed by thousands of ``](``.
ITEM = re.compile(
    r"###[ \t]+(?P<number>\d+)\.[ \t]+\[(?P<title>.+)\]\((?P<url>https?://[^()\[\]\s]+)\)[ \t]*"
)
_FIELD = re.compile(r"\*\*(?P<key>[A-Za-z][A-Za-z ]{0,30})\*\*[ \t]*[:：](?P<value>.*)")
_OPEN = re.compile(r"<details\b", re.IGNORECASE)
_CLOSE = re.compile(r"</details\s*>", re.IGNORECASE)
#: An item's AI summary written as a section (early December 2025) rather than in <details>:
#: its own ``#``/``##`` headings (the summary's title, its numbered parts) stay in the item.
_SUMMARY = re.compile(r"#{3,6}[ \t]+AI Summary\b", re.IGNORECASE)
#: The bot's own sections after the list (``## 🔧 Configuration``) start with a symbol, never a
#: letter or digit: they end the last item even after an AI summary section.
_BOT_SECTION = re.compile(r"#{1,2}[ \t]+[^\w\s]")
_FIELDS_END = re.compile(r"[ \t]*(?:#|<details\b)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where items start, and which lines end the item list (top-level headings)."""

    items: list[int]
    boundaries: list[int]
    title: str | None


def is_item(line: str) -> bool:
    """True for a numbered bot item heading."""
    return line.startswith("###") and ITEM.fullmatch(line) is not None


def _is_malformed_item(line: str) -> bool:
    """A line that starts like a numbered item (``### 5. [``) but is not one: its link is
    malformed (no URL, a space in it). It ends the item above it, and is reported as dropped."""
    return line.startswith("###") and bool(_ITEM_START.match(line)) and not is_item(line)


_ITEM_START = re.compile(r"###[ \t]+\d+\.[ \t]+\[")


def malformed_items(text: str) -> list[str]:
    """One line per numbered item that was not read because its heading is malformed."""
    return [
        f"line {number}: the item {line.text[:80]!r} has no well-formed link (### N. [Title](URL)); "
        "skipped"
        for number, line in enumerate(split_lines(text), start=1)
        if line.text.startswith("###") and _is_malformed_item(line.text)
    ]


def read_arxiv_bot(text: str, source: str) -> tuple[str | None, list[Entry]]:
    """Split an arXiv-bot digest into one entry per numbered item."""
    lines = split_lines(text)
    layout = _layout(lines)
    entries: list[Entry] = []
    for number, index in enumerate(layout.items):
        stop = _item_stop(layout, number, len(lines))
        entries.append(_item_entry(text, source, lines, index, stop))
    return layout.title, entries


def _layout(lines: Sequence[Line]) -> _Layout:
    """One pass that keeps track of ``<details>`` nesting, so summary headings are ignored."""
    items: list[int] = []
    boundaries: list[int] = []
    title: str | None = None
    depth = 0
    summary = False  # inside an item's "#### AI Summary" section, outside <details>
    for index, line in enumerate(lines):
        if depth == 0 and line.text.startswith("#"):
            if is_item(line.text):
                items.append(index)
                summary = False
            elif _is_malformed_item(line.text):
                boundaries.append(index)  # not an item, and not part of the item above either
            elif items and _SUMMARY.match(line.text):
                summary = True
            else:
                parsed = parse_heading(line.text)
                if (
                    parsed is not None
                    and parsed[0] <= 2
                    and (not summary or _BOT_SECTION.match(line.text))
                ):
                    boundaries.append(index)
                    if title is None and parsed[0] == 1 and not items:
                        title = parsed[1] or None
        if "details" in line.text:
            depth = max(0, depth + len(_OPEN.findall(line.text)) - len(_CLOSE.findall(line.text)))
    return _Layout(items, boundaries, title)


def _item_stop(layout: _Layout, number: int, line_count: int) -> int:
    """Index of the line where item `number` stops (exclusive)."""
    start = layout.items[number]
    stop = layout.items[number + 1] if number + 1 < len(layout.items) else line_count
    after = bisect.bisect_right(layout.boundaries, start)
    if after < len(layout.boundaries) and layout.boundaries[after] < stop:
        return layout.boundaries[after]
    return stop


def _item_entry(text: str, source: str, lines: Sequence[Line], index: int, stop: int) -> Entry:
    match = ITEM.fullmatch(lines[index].text)
    assert match is not None  # _layout only keeps lines that match
    fields = _fields(lines[index + 1 : stop])
    link = find_arxiv(match["url"])
    arxiv_id = arxiv_id_of(fields["arxiv id"]) if fields.get("arxiv id") else None
    if arxiv_id is None and link is not None:
        arxiv_id = link.arxiv_id
    title = match["title"].strip()
    return make_entry(
        text,
        source,
        FORMAT,
        lines[index],
        section_end(lines, stop, text),
        heading=title,
        title=title,
        arxiv_id=arxiv_id,
        url=match["url"],
        authors=_authors(fields.get("authors", "")),
        category=fields.get("category"),
        published=parse_iso_date(fields["published"]) if fields.get("published") else None,
    )


def _fields(lines: Sequence[Line]) -> dict[str, str]:
    """The ``**Key**: value`` lines between the item heading and its abstract."""
    fields: dict[str, str] = {}
    for line in lines:
        if _FIELDS_END.match(line.text):
            break
        match = _FIELD.fullmatch(line.text)
        if match is not None:
            fields.setdefault(match["key"].strip().lower(), match["value"].strip())
    return fields


def _authors(value: str) -> tuple[str, ...]:
    """``"A, B, C"`` -> ``("A", "B", "C")``, names kept as written (LaTeX escapes too)."""
    return tuple(name.strip() for name in value.split(",") if name.strip())
