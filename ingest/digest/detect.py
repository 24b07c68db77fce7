"""Tell which digest format a text is written in.

Detection looks at structure only (headings, bot fields, link lines), never at
the language of the text, so a mis-encoded file is detected like its repaired
form. Checks go from the most specific format to the most general one:
arXiv-bot items are unmistakable, daily picks have their page title or their
fixed Chinese sub-headings under upper-case titles, an awesome list has ``##``
sections that mostly start with a title and a link, and anything else is read
as generic markdown.
"""

from __future__ import annotations

import re

from techclaims.ingest.digest.arxiv_bot import is_item
from techclaims.ingest.digest.awesome import split_sections
from techclaims.ingest.digest.daily_picks import PAGE_TITLE, is_paper_heading, is_upper_title
from techclaims.ingest.digest.header import read_header
from techclaims.ingest.digest.lines import Line, find_headings, split_lines
from techclaims.schema.records import DigestFormat

#: Sub-headings every daily-picks paper block has.
DAILY_SUBHEADINGS = frozenset({"核心技术创新", "启示"})
#: Share of ``##`` sections that must open with a link line for an awesome list.
AWESOME_LINKED_SHARE = 0.5

_BOT_FIELD = re.compile(r"\*\*(?:Authors|ArXiv ID|Category|Published)\*\*[ \t]*:", re.IGNORECASE)


def detect_format(text: str) -> DigestFormat:
    """The digest format of `text`: "arxiv-bot", "daily-picks", "awesome" or "markdown".

    >>> detect_format("# Notes\\n\\n## vLLM\\nEfficient Memory Management\\nhttps://arxiv.org/abs/2309.06180\\n")
    'awesome'
    """
    lines = split_lines(text)
    if _is_arxiv_bot(lines):
        return "arxiv-bot"
    if _is_daily_picks(lines):
        return "daily-picks"
    if _is_awesome(lines):
        return "awesome"
    return "markdown"


_BOT_STATISTICS = re.compile(r"[-*][ \t]+\*\*Total Papers Found\*\*[ \t]*:")


def _is_arxiv_bot(lines: tuple[Line, ...]) -> bool:
    items = sum(1 for line in lines if is_item(line.text))
    if items == 0:  # a day the bot found nothing: its statistics block still says whose page it is
        return any(_BOT_STATISTICS.match(line.text) for line in lines)
    return items >= 3 or any(_BOT_FIELD.match(line.text) for line in lines)


def _is_daily_picks(lines: tuple[Line, ...]) -> bool:
    headings = find_headings(lines, max_level=3)
    if any(h.level == 1 and h.text == PAGE_TITLE for h in headings):
        return True
    has_subheadings = any(h.text in DAILY_SUBHEADINGS for h in headings)
    upper_papers = any(is_paper_heading(h) and is_upper_title(h.text) for h in headings)
    return has_subheadings and upper_papers


def _is_awesome(lines: tuple[Line, ...]) -> bool:
    _, starts = split_sections(find_headings(lines, max_level=2))
    sections = [h for h in starts if h.level == 2]
    if not sections:
        return False
    positions = [h.index for h in starts] + [len(lines)]
    linked = 0
    for number, heading in enumerate(starts):
        if heading.level == 2 and read_header(lines[heading.index + 1 : positions[number + 1]]).url:
            linked += 1
    return linked >= AWESOME_LINKED_SHARE * len(sections)
