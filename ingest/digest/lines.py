"""Lines and headings with exact character offsets.

Every reader works on the same list of lines so that an entry's span can be
computed from line offsets and always slices the digest text exactly. Lines
break at ``\\r\\n``, ``\\n`` or a lone ``\\r`` (CRLF and old Mac files read
like Unix ones) but nowhere else: ``str.splitlines`` also breaks at form
feeds and U+2028, which would shift headings in files that contain them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

_BREAK = re.compile(r"\r\n|\r|\n")
# `#` needs a space after it (else `#hashtag` or `#1` would start an entry); deeper levels
# are also accepted without one because digests type `##开源模型 ...`.
_HEADING = re.compile(r"(?P<marks>#{1,6})(?:[ \t]+(?P<spaced>.*)|(?P<tight>[^#\s].*))?")
_RULE = re.compile(r"[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_BULLET = re.compile(r"[ \t]*(?:[-*+]|\d{1,3}[.)、])(?:[ \t]|$)")


@dataclass(frozen=True, slots=True)
class Line:
    """One line: `text` is ``digest[start:end]``, without its line break."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Heading:
    """A markdown ATX heading found on line `index` of the digest."""

    index: int
    level: int
    text: str  # without the `#` marks, stripped


def split_lines(text: str) -> tuple[Line, ...]:
    """Cut `text` into lines, remembering where each starts and ends.

    >>> [(x.start, x.end, x.text) for x in split_lines("a\\r\\nbc\\n")]
    [(0, 1, 'a'), (3, 5, 'bc')]
    """
    return _split_lines_cached(text)


@lru_cache(maxsize=2)
def _split_lines_cached(text: str) -> tuple[Line, ...]:
    # Detection and the reader both need the lines of the same (possibly 1 MB) text.
    lines: list[Line] = []
    pos = 0
    for match in _BREAK.finditer(text):
        lines.append(Line(pos, match.start(), text[pos : match.start()]))
        pos = match.end()
    if pos < len(text):
        lines.append(Line(pos, len(text), text[pos:]))
    return tuple(lines)


def parse_heading(line: str) -> tuple[int, str] | None:
    """Return ``(level, text)`` when `line` is an ATX heading, else None.

    >>> parse_heading("##开源模型 IOI金牌")
    (2, '开源模型 IOI金牌')
    >>> parse_heading("#hashtag") is None
    True
    """
    match = _HEADING.fullmatch(line)
    if match is None:
        return None
    level = len(match["marks"])
    if match["tight"] is not None and level == 1:
        return None
    body = match["spaced"] if match["spaced"] is not None else (match["tight"] or "")
    return level, body.strip()


def find_headings(lines: Sequence[Line], max_level: int = 6) -> list[Heading]:
    """All headings of level `max_level` or less, in file order."""
    found: list[Heading] = []
    for index, line in enumerate(lines):
        if not line.text.startswith("#"):
            continue
        parsed = parse_heading(line.text)
        if parsed is not None and parsed[0] <= max_level:
            found.append(Heading(index, parsed[0], parsed[1]))
    return found


def has_cjk(text: str) -> bool:
    """True when `text` holds a Chinese, Japanese or Korean character.

    >>> has_cjk("QSERVE: W4A8KV4"), has_cjk("核心技术创新")
    (False, True)
    """
    return _CJK.search(text) is not None


def is_bullet(line: str) -> bool:
    """True for a list item (``-``, ``*``, ``+`` or ``1.``), the digests' body lines."""
    return _BULLET.match(line) is not None


def trim_end(text: str, start: int, end: int, floor: int) -> int:
    """Pull `end` back over trailing blank lines and ``---`` rules, never below `floor`.

    Digests separate entries with blank lines and horizontal rules that belong to
    no entry; leaving them out keeps an entry's text to what the paper's block says.

    >>> s = "## A\\nbody\\n\\n---\\n\\n"
    >>> s[: trim_end(s, 0, len(s), 4)]
    '## A\\nbody'
    """
    while end > floor:
        stripped = end
        while stripped > floor and text[stripped - 1].isspace():
            stripped -= 1
        newline = max(text.rfind("\n", start, stripped), start - 1)
        line_start = max(newline, text.rfind("\r", newline + 1, stripped)) + 1
        if line_start > floor and _RULE.fullmatch(text[line_start:stripped]):
            end = line_start
            continue
        return max(stripped, floor)
    return floor


def first_lines(lines: Sequence[Line], begin: int, stop: int, limit: int) -> list[Line]:
    """Up to `limit` non-blank lines of ``lines[begin:stop]``, skipping horizontal rules."""
    picked: list[Line] = []
    for line in lines[begin:stop]:
        if not line.text.strip() or _RULE.fullmatch(line.text):
            continue
        picked.append(line)
        if len(picked) == limit:
            break
    return picked
