"""Daily-picks digests: a ``# 每日精选`` page with one upper-case title block per paper.

The page opens with a list of ``- **TITLE:** summary`` bullets, one line for
some of the papers that follow, then gives each paper a block headed by ``#``
or ``##`` with its title in upper case, an author bullet and an organisation
bullet (names with ``<sup>`` affiliation marks), and sub-headings
``核心技术创新`` and ``启示`` (at ``##`` or ``###``).

Decisions:

* A paper heading is a ``#``/``##`` heading without Chinese/Japanese/Korean
  characters: paper titles are English, while the page title and the
  sub-headings are Chinese. Sub-headings, whatever their level, belong to the
  paper above them, so an entry runs to the next paper heading.
* The entries are the title blocks only. The opening summary bullets are not
  entries (they are no new papers) and are not joined to their paper's entry:
  an entry has one span, and a span that jumped from the opening list to the
  paper's block would have to cover every paper in between. What a summary
  bullet says is restated in its paper's block (in the corpus, the gold
  evidence for those facts is quoted from the blocks), so nothing is lost.
* ``authors`` comes from the first bullet with ``<sup>`` marks, ``notes`` from
  the second (the organisations), marks removed. Headings and titles are kept
  as written, upper case included.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from techclaims.ingest.digest.entry import make_entry, section_end
from techclaims.ingest.digest.lines import (
    Heading,
    Line,
    find_headings,
    first_lines,
    has_cjk,
    split_lines,
)
from techclaims.ingest.digest.links import find_arxiv
from techclaims.schema.records import DigestFormat, Entry

FORMAT: DigestFormat = "daily-picks"
#: The page title the corpus uses; any heading with CJK text is treated the same way.
PAGE_TITLE = "每日精选"
#: Non-blank lines under a paper heading searched for the author and organisation bullets.
BYLINE_LINES = 5

_SUP = re.compile(r"<sup>[^<]*</sup>", re.IGNORECASE)
_BULLET_MARK = re.compile(r"[ \t]*[-*+][ \t]*")
_LETTER = re.compile(r"[A-Za-z]")
_SPACE_COMMA = re.compile(r"\s+,")


def is_paper_heading(heading: Heading) -> bool:
    """A ``#``/``##`` heading with a Latin-script title (sub-headings are Chinese)."""
    return heading.level <= 2 and not has_cjk(heading.text) and bool(_LETTER.search(heading.text))


def is_upper_title(text: str) -> bool:
    """True when most letters of `text` are upper case, as daily-picks titles are.

    >>> is_upper_title("QSERVE: W4A8KV4 QUANTIZATION"), is_upper_title("Tree Training")
    (True, False)
    """
    letters = [c for c in text if c.isalpha() and c.isascii()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def read_daily_picks(text: str, source: str) -> tuple[str | None, list[Entry]]:
    """Split a daily-picks digest into one entry per paper title block."""
    lines = split_lines(text)
    headings = find_headings(lines, max_level=2)
    papers = [h for h in headings if is_paper_heading(h)]
    title = next((h.text for h in headings if not is_paper_heading(h) and h.level == 1), None)
    entries: list[Entry] = []
    for number, heading in enumerate(papers):
        stop = papers[number + 1].index if number + 1 < len(papers) else len(lines)
        entries.append(_paper_entry(text, source, lines, heading, stop))
    return title, entries


def _paper_entry(
    text: str, source: str, lines: Sequence[Line], heading: Heading, stop: int
) -> Entry:
    top = first_lines(lines, heading.index + 1, stop, BYLINE_LINES)
    byline = [line for line in top if "<sup>" in line.text.lower()]
    link = next((x for x in (find_arxiv(line.text) for line in top) if x), None)
    return make_entry(
        text,
        source,
        FORMAT,
        lines[heading.index],
        section_end(lines, stop, text),
        heading=heading.text,
        title=heading.text,
        arxiv_id=link.arxiv_id if link else None,
        url=link.url if link else None,
        authors=_names(byline[0].text) if byline else (),
        notes=_plain(byline[1].text) if len(byline) > 1 else None,
    )


def _plain(bullet: str) -> str:
    """A byline bullet without its marker and ``<sup>`` marks."""
    mark = _BULLET_MARK.match(bullet)
    without = _SUP.sub("", bullet[mark.end() :] if mark else bullet)
    return _SPACE_COMMA.sub(",", " ".join(without.split()))


def _names(bullet: str) -> tuple[str, ...]:
    """Author names: the byline split at commas once affiliation marks are gone."""
    return tuple(name.strip() for name in _plain(bullet).split(",") if name.strip())
