"""The text around a number: lines, table rows and headers, list items, headings, clauses, phrases, asides."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from techclaims.ingest.claims.quantities import Found
from techclaims.ingest.claims.vocabulary import COMPARE_BETWEEN, LIST_CONJUNCTIONS, Cue
from techclaims.ingest.nlp import vocabulary as word_lists

#: the conjunctions that start another statement inside a clause (clause-conjunctions.txt)
PHRASE_SPLIT = re.compile(word_lists.phrase("clause-conjunctions"), re.IGNORECASE)


@dataclass
class Layout:
    """Lines, tables, headings and list items of an entry's text, for context lookups."""

    text: str
    line_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.line_starts = [0] + [i + 1 for i, c in enumerate(self.text) if c == "\n"]

    def line_index(self, pos: int) -> int:
        lo, hi = 0, len(self.line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.line_starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def line(self, index: int) -> tuple[int, int]:
        start = self.line_starts[index]
        end = (
            self.line_starts[index + 1] - 1 if index + 1 < len(self.line_starts) else len(self.text)
        )
        return start, end

    def line_text(self, index: int) -> str:
        return self.text[slice(*self.line(index))]

    def is_row(self, index: int) -> bool:
        stripped = self.line_text(index).strip()
        return stripped.startswith("|") and stripped.count("|") >= 2

    def cells(self, index: int) -> list[tuple[int, int]]:
        """`(start, end)` of each cell of a table row (between its bars)."""
        start, end = self.line(index)
        bars = [i for i in range(start, end) if self.text[i] == "|"]
        return [(a + 1, b) for a, b in zip(bars, bars[1:], strict=False)]

    def header(self, index: int) -> int | None:
        """The header row of the table that row `index` belongs to (None for the header itself)."""
        first = index
        while first > 0 and self.is_row(first - 1):
            first -= 1
        if first == index or first + 1 >= len(self.line_starts) or index == first + 1:
            return None
        if not re.fullmatch(r"\s*\|?[\s:\-|]+\|?\s*", self.line_text(first + 1)):
            return None
        return first

    def heading(self, index: int) -> tuple[int, int] | None:
        """The nearest heading line above: a markdown heading or a line that is all bold."""
        for i in range(index - 1, -1, -1):
            line = self.line_text(i).strip()
            if line.startswith("#") or re.fullmatch(r"\*\*[^*]{1,80}\*\*[:：]?", line):
                return self.line(i)
            if re.fullmatch(r"(?:-{3,}|\*{3,}|_{3,})", line):
                return None  # a rule ends the section above it
        return None

    def _marker(self, index: int) -> bool:
        line = self.line_text(index)
        return bool(re.match(r"\s*(?:[-*+•]|\d{1,3}[.)、])\s", line)) or line.lstrip().startswith(
            ("#", "|")
        )

    def _indent(self, index: int) -> int:
        line = self.line_text(index)
        return len(line) - len(line.lstrip())

    def _item_start(self, index: int) -> int:
        first = index
        while first > 0 and not self._marker(first) and self.line_text(first - 1).strip():
            first -= 1
        return first

    def head(self, index: int) -> tuple[int, int] | None:
        """The first line of the list item holding line `index` ("*   **端到端LLM推理：**"), if another line."""
        first = self._item_start(index)
        return self.line(first) if first != index and self._marker(first) else None

    def parent(self, index: int) -> tuple[int, int] | None:
        """The line that introduces the list holding line `index`: the item it is nested in ("- 在 Llama2-7B
        上，POP 实现：" above "  - 1.29× 的 MLP 层加速"), or a line ending in a colon right above the list."""
        first = self._item_start(index)
        if not self._marker(first) or self.line_text(first).lstrip().startswith(("#", "|")):
            return None
        indent = self._indent(first)
        for i in range(first - 1, -1, -1):
            other = self.line_text(i)
            if not other.strip() or other.lstrip().startswith(("#", "|")):
                return None
            if self._indent(i) > indent or self._indent(i) == indent and self._marker(i):
                continue  # a sibling item or its continuation lines
            if self._indent(i) < indent and self._marker(i):
                return self.line(i)
            return (
                self.line(i) if other.rstrip().rstrip("*").rstrip().endswith((":", "：")) else None
            )
        return None

    def item(self, index: int) -> tuple[int, int]:
        """The list item (or paragraph) holding line `index`: from its marker to the next item or blank line."""
        first = index
        while first > 0 and not self._marker(first) and self.line_text(first - 1).strip():
            first -= 1
        last = index
        while (
            last + 1 < len(self.line_starts)
            and not self._marker(last + 1)
            and self.line_text(last + 1).strip()
        ):
            last += 1
        return self.line(first)[0], self.line(last)[1]


def clause_of(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """The clause around `text[start:end]` within `[lo, hi)`: cut at clause punctuation outside parentheses."""
    stops = "，,；;。！？!?|\n"
    depth, i = 0, start - 1
    while i >= lo:
        c = text[i]
        if c in ")）]】":
            depth += 1
        elif c in "(（[【":
            depth = max(0, depth - 1)
        elif c in stops and depth == 0 and not _thousands(text, i) and not _abbreviation(text, i):
            break
        i -= 1
    depth, j = 0, end
    while j < hi:
        c = text[j]
        if c in "(（[【":
            depth += 1
        elif c in ")）]】":
            if depth == 0:
                j += 1
                continue
            depth -= 1
        elif c in stops and depth == 0 and not _thousands(text, j) and not _abbreviation(text, j):
            break
        j += 1
    return i + 1, j


def _thousands(text: str, i: int) -> bool:
    return (
        text[i] == "," and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()
    )


def _abbreviation(text: str, i: int) -> bool:
    return text[i] in "," and i > 0 and text[i + 1 : i + 2] != " " and text[i - 1].isalpha()


def phrase_of(text: str, clause: tuple[int, int], at: Found) -> tuple[int, int]:
    """The part of the clause between conjunctions ("and", 和, 并) around the number."""
    lo, hi = clause
    for match in PHRASE_SPLIT.finditer(text, lo, hi):
        if match.end() <= at.start:
            lo = match.end()
        elif match.start() >= at.end:
            hi = match.start()
            break
    return lo, hi


def are_listed(text: str, a: Found, b: Found) -> bool:
    """Whether two numbers go together: items of one list ("1.35倍、1.42倍和1.49倍", "5× 和 10×"), or a
    number and the aside that qualifies it ("1.26倍（最高达1.55倍）")."""
    first, second = (a, b) if a.start < b.start else (b, a)
    between = text[first.end : second.start]
    if re.fullmatch(r"[^\d（(，,。;；|]{0,6}[（(][^\d（()）,，;；]{0,8}", between, re.IGNORECASE):
        return True
    between = re.sub(r"[（(][^（()）]{0,40}[)）]", "", between)
    return bool(
        re.fullmatch(rf"\s*(?:、|,|，|/|{LIST_CONJUNCTIONS}|{COMPARE_BETWEEN})?\s*", between)
    )


def asides_in(text: str, lo: int, hi: int) -> tuple[tuple[int, int], ...]:
    """The outermost parenthesised groups on the lines of `text[lo:hi]`, in text order.

    Every number of a line asks for the same lines, so the scan is made once per (text, lines)
    (`asides_of_lines`): a 100,000-character line is scanned once, not once per number; and
    the lines' ends are found by bisection in the text's line breaks (`_line_breaks`), not by
    searching the line from the number each time.
    """
    breaks = _line_breaks(text)
    before = bisect_left(breaks, lo)  # the breaks before lo: the last of them ends the line above
    lo = breaks[before - 1] + 1 if before else 0
    after = bisect_left(breaks, hi)  # the first break at or after hi ends the last line
    hi = breaks[after] if after < len(breaks) else len(text)
    return asides_of_lines(text, lo, hi)


@lru_cache(maxsize=64)
def _line_breaks(text: str) -> tuple[int, ...]:
    """Where `text`'s line breaks ("\\n") are, in order."""
    return tuple(m.start() for m in _BREAK.finditer(text))


_BREAK = re.compile("\n")


@lru_cache(maxsize=256)
def asides_of_lines(text: str, lo: int, hi: int) -> tuple[tuple[int, int], ...]:
    groups, depth, start = [], 0, lo
    for match in _PARENS.finditer(text, lo, hi):
        i = match.start()
        if text[i] in "(（":
            if depth == 0:
                start = i
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                groups.append((start, i + 1))
    return tuple(groups)


_PARENS = re.compile(r"[(（)）]")


def aside_of(groups: tuple[tuple[int, int], ...], pos: int) -> tuple[int, int] | None:
    """The group holding `pos` (groups are outermost, so disjoint and in order: a bisection)."""
    index = bisect_right(groups, (pos, float("inf"))) - 1
    if index >= 0 and groups[index][0] <= pos < groups[index][1]:
        return groups[index]
    return None


def in_range(found: list[Found], lo: int, hi: int) -> list[Found]:
    """The numbers of `found` (in text order) that start in `[lo, hi)`, found by bisection."""
    return found[bisect_left(found, lo, key=_start) : bisect_left(found, hi, key=_start)]


def _start(f: Found) -> int:
    return f.start


def is_blocked(text: str, at: Found, lo: int, hi: int, others: list[Found]) -> bool:
    """Whether another number stands between `[lo, hi)` and the number: not one of its list, not in an aside.
    `others` are in text order (each caller's are a slice of the entry's numbers)."""
    groups = asides_in(text, min(lo, at.start), max(hi, at.end))
    own = aside_of(groups, at.start)
    for o in in_range(others, lo, hi):
        if o == at or not (lo <= o.start and o.end <= hi) or are_listed(text, at, o):
            continue
        aside = aside_of(groups, o.start)
        if aside is not None and aside != own:
            continue  # "1.26倍（最高1.55倍）的吞吐量": the aside does not cut the 1.26 from its metric
        return True
    return False


def nearest_cue(cues: list[Cue], at: Found, others: list[Found], text: str) -> Cue | None:
    """The cue closest to the number. A cue with another number in between (not one of its list) does
    not count; a cue in an aside the number is not in counts only when no other does."""

    def distance(cue: Cue) -> int:
        return at.start - cue.end if cue.end <= at.start else max(0, cue.start - at.end)

    def blocked(cue: Cue) -> bool:
        lo, hi = (cue.end, at.start) if cue.end <= at.start else (at.end, cue.start)
        return is_blocked(text, at, lo, hi, others)

    if not cues:
        return None
    groups = asides_in(text, min(c.start for c in cues + [at]), max(c.end for c in cues + [at]))
    own = aside_of(groups, at.start)
    free = [c for c in cues if not blocked(c)]
    plain = [c for c in free if aside_of(groups, c.start) in (None, own)]
    pool = plain or free
    return min(pool, key=lambda c: (distance(c), c.start > at.start), default=None)


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
