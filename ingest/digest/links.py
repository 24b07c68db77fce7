"""arXiv links, other URLs and dates as digests write them.

arXiv ids are what papers are matched on across digests, so every spelling a
digest uses (abs, pdf, html, ``www.``, a version suffix, a ``.pdf`` tail, a
Hugging Face papers mirror) must give the same bare id.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

_ID = r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?P<version>v\d+)?(?!\d)"
_ARXIV_URL = re.compile(
    r"https?://(?:"
    r"(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/"
    r"|(?:www\.)?alphaxiv\.org/abs/"
    r"|huggingface\.co/papers/"
    r"|(?:www\.)?paperscope\.ai/hf/"
    r")" + _ID + r"(?:\.pdf)?",
    re.IGNORECASE,
)
_BARE_ID = re.compile(r"(?:arXiv:)?" + _ID, re.IGNORECASE)
# A URL ends at whitespace, markdown/HTML delimiters or full-width punctuation.
_URL = re.compile(r"https?://[^\s<>()\[\]{}\"'，。；、）（【】]+")
_URL_TAIL = ".,;:!?*_`"
_DATE = re.compile(
    r"(?<!\d)(?P<y>20\d{2})(?P<sep>[.\-/])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)"
)


@dataclass(frozen=True, slots=True)
class ArxivLink:
    """An arXiv link found in a line: the bare id and the URL as written."""

    arxiv_id: str
    url: str
    start: int
    end: int


def find_arxiv(line: str) -> ArxivLink | None:
    """The first arXiv link of `line`, its version stripped.

    >>> find_arxiv("paper: https://arxiv.org/pdf/2510.14232v1.pdf 2025.10.16").arxiv_id
    '2510.14232'
    >>> find_arxiv("see https://github.com/x/y") is None
    True
    """
    match = _ARXIV_URL.search(line)
    if match is None:
        return None
    return ArxivLink(ascii_digits(match["id"]), match.group(0), match.start(), match.end())


def ascii_digits(text: str) -> str:
    """Every decimal digit as its ASCII digit: ``\\d`` matches full-width (２) and Arabic-Indic
    (٢) digits too, and an id stored with them would fail the project's own shapes.

    >>> ascii_digits("２４０１.１５０７７"), ascii_digits("٢٤٠١.١٥٠٧٧")
    ('2401.15077', '2401.15077')
    """
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def arxiv_id_of(value: str) -> str | None:
    """A bare arXiv id from a field's value (``arXiv:2401.15077v2``), digits in ASCII; None when
    the value is no arXiv id (then the entry's link, if any, gives it)."""
    match = _BARE_ID.fullmatch(value.strip())
    return ascii_digits(match["id"]) if match else None


def strip_version(arxiv_id: str) -> str:
    """Drop a ``vN`` suffix (and an ``arXiv:`` prefix) from an arXiv id.

    >>> strip_version("2602.06063v1"), strip_version("arXiv:2401.15077")
    ('2602.06063', '2401.15077')
    """
    match = _BARE_ID.fullmatch(arxiv_id.strip())
    return ascii_digits(match["id"]) if match else arxiv_id.strip()


def find_urls(line: str) -> list[tuple[str, int, int]]:
    """Every URL of `line` as ``(url, start, end)``, trailing punctuation left out."""
    found = []
    for match in _URL.finditer(line):
        url = match.group(0).rstrip(_URL_TAIL)
        found.append((url, match.start(), match.start() + len(url)))
    return found


def first_date(text: str) -> date | None:
    """The first valid ``YYYY.M.D`` (or ``-``, ``/``) date of `text`.

    >>> first_date("快手 首次更新2025.11.1；最后更新2026.2.9")
    datetime.date(2025, 11, 1)
    >>> first_date("2025.13.40 no") is None
    True
    """
    for match in _DATE.finditer(text):
        try:
            return date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            continue
    return None


def parse_iso_date(text: str) -> date | None:
    """A ``YYYY-MM-DD`` date, or None when the field holds something else."""
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None
