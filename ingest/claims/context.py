"""What the rules read a number with: entity mentions, the paper, the prepared entry text and the contexts of a number."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc

from techclaims.ingest.claims.layout import (
    Layout,
    aside_of,
    asides_in,
    clause_of,
    in_range,
    phrase_of,
)
from techclaims.ingest.claims.quantities import Found
from techclaims.schema.records import Claim


@dataclass(frozen=True)
class Mention:
    """An entity mention in the entry text, resolved to its canonical name."""

    start: int
    end: int
    type: str
    name: str
    role: str | None = None


@dataclass(frozen=True)
class PaperContext:
    """What the claims of one paper share: its methods and the entry-level setup."""

    method: str | None = None  # the paper's own (main proposed) method
    proposed: frozenset[str] = frozenset()
    baselines: frozenset[str] = frozenset()
    qualifier: str | None = (
        None  # what the paper speeds up when a sentence does not say (training, kernel, ...)
    )
    size_qualifier: str | None = None  # what the paper compresses (KV cache, model)
    setup: dict[str, str] = field(
        default_factory=dict
    )  # type -> the one model / hardware of the setup
    use_setup: bool = True  # fall back on the setup for a claim's model / hardware (rule 3)
    speedup_baseline: str | None = None  # what the entry says its speed-ups are measured against
    models: frozenset[str] = frozenset()  # every model the entry names (sizes refer to them)


@dataclass(frozen=True)
class Statement:
    """A claim as one sentence states it; `in_table` for a table row (rows are separate measurements)."""

    claim: Claim
    in_table: bool = False
    local_metric: bool = (
        True  # the metric was read next to the number, not from a heading or the title
    )
    model_from_setup: bool = (
        False  # the model is the entry's fallback, read nowhere near the number
    )


@dataclass
class Text:
    """One entry's text prepared for reading claims: masked, laid out, with its sentences and numbers."""

    text: str
    masked: str
    layout: Layout
    sentences: list[tuple[int, int]]
    found: list[Found]
    mentions: list[Mention]
    #: `mentions` ordered by start (their places in `mentions`, and the starts), made at first use.
    _by_start: tuple[list[int], list[int]] | None = field(default=None, repr=False, compare=False)
    #: What a rule works out once per entry rather than once per number (keyed by the rule).
    memo: dict[object, Any] = field(default_factory=dict, repr=False, compare=False)

    def mentions_starting(self, lo: int, hi: int) -> list[Mention]:
        """The mentions that start in [lo, hi], in `mentions`' order: what
        ``[m for m in t.mentions if lo <= m.start <= hi]`` gives, found by bisection, so that a
        number's look at its clause costs the mentions there, not every mention of the entry
        (a long line of numbers was quadratic)."""
        if self._by_start is None:
            order = sorted(range(len(self.mentions)), key=lambda i: self.mentions[i].start)
            self._by_start = (order, [self.mentions[i].start for i in order])
        order, starts = self._by_start
        places = order[bisect_left(starts, lo) : bisect_right(starts, hi)]
        return [self.mentions[i] for i in sorted(places)]

    def mentions_in(self, span: tuple[int, int] | None) -> list[Mention]:
        """The mentions `within` `span`, in `mentions`' order (none for no span)."""
        if span is None:
            return []
        return [m for m in self.mentions_starting(span[0], span[1]) if m.end <= span[1]]


def masked_text(text: str, mentions: list[Mention]) -> str:
    """The text with markup emphasis blanked and entity names masked (same length, same offsets)."""
    chars = [" " if c in "*`" else c for c in text]
    for m in mentions:
        chars[m.start : m.end] = "\x00" * (m.end - m.start)
    return "".join(chars)


def _sentence(t: Text, at: Found) -> tuple[int, int]:
    start, end = t.layout.line(t.layout.line_index(at.start))
    index = bisect_right(t.sentences, (at.start, float("inf"))) - 1  # sentences: in order, disjoint
    if index >= 0 and t.sentences[index][0] <= at.start < t.sentences[index][1]:
        start, end = t.sentences[index]
    index = t.layout.line_index(at.start)
    if t.layout.is_row(index):  # a table row is one sentence, bars included
        start, end = t.layout.line(index)
    return start, end


@dataclass
class Where:
    """The contexts around one number, narrowest first."""

    sent: tuple[int, int]
    clause: tuple[int, int]
    phrase: tuple[int, int]
    line: int
    row: bool
    header_cell: tuple[int, int] | None
    row_label: tuple[int, int] | None
    item: tuple[int, int]
    head: tuple[int, int] | None
    parent: tuple[int, int] | None
    heading: tuple[int, int] | None
    siblings: list[Found]
    aside: tuple[int, int] | None = None  # the parentheses the number stands in
    #: for a table row, the line that introduces its table ("在 Qwen3 上进行组件拆解分析：")
    table_lead_in: tuple[int, int] | None = None
    #: for a table row whose first cell is blank, the first cell of the row above that opens
    #: its group ("| **Qwen2.5-7B** | veRL | ..." over "| | FooRL | -19.6% |")
    row_group: tuple[int, int] | None = None
    #: for a line right under a table, that table's header row ("> 💡 延迟降低约 30%" under
    #: "| 方法 | Llama-3.1-70B（均值 / P90） |")
    table_above: tuple[int, int] | None = None


def where_of(t: Text, at: Found) -> Where:
    sent = _sentence(t, at)
    line = t.layout.line_index(at.start)
    row = t.layout.is_row(line)
    clause = clause_of(t.masked, at.start, at.end, *sent)
    header_cell = row_label = None
    siblings = in_range(t.found, *sent)
    if row:
        cells = t.layout.cells(line)
        column = next((i for i, (a, b) in enumerate(cells) if a <= at.start < b), None)
        if column is not None:  # a table's cells are read apart: numbers in other cells cut nothing
            siblings = [f for f in siblings if cells[column][0] <= f.start < cells[column][1]]
        header = t.layout.header(line)
        if header is not None and column is not None:
            header_cells = t.layout.cells(header)
            header_cell = header_cells[column] if column < len(header_cells) else None
        if cells and column:
            row_label = (cells[0][0], cells[column - 1][1])
    return Where(
        sent,
        clause,
        phrase_of(t.masked, clause, at),
        line,
        row,
        header_cell,
        row_label,
        t.layout.line(line) if row else t.layout.item(line),
        None if row else t.layout.head(line),
        None if row else t.layout.parent(line),
        t.layout.heading(line),
        siblings,
        aside_of(asides_in(t.masked, at.start, at.end), at.start),
        _table_lead_in(t.layout, line) if row else None,
        _row_group(t.layout, line) if row else None,
        None if row else _table_above(t.layout, line),
    )


def _table_above(layout: Layout, line: int) -> tuple[int, int] | None:
    """The header row of the table right above a line (a blank line between allowed): a note
    under a table sums it up, and the header's one model or hardware is its setting
    (ANNOTATION.md rule 2, the lead-in). Claim model F1 train 0.680 = (+1 right), validation
    0.582 -> 0.607 (+1 right), dev 0.794 =; hardware train +1 wrong (0.827 =)."""
    above = line - 1
    if above >= 0 and not layout.line_text(above).strip():
        above -= 1
    if above < 0 or not layout.is_row(above):
        return None
    header = layout.header(above)
    return layout.line(header) if header is not None else None


def _row_group(layout: Layout, line: int) -> tuple[int, int] | None:
    """The first cell of the row that opens a blank-first-cell row's group: the row label a
    table writes once for the rows under it, as a merged cell (ANNOTATION.md rule 1: the row
    header is part of the row). Read for a claim's model and hardware: train claim model F1
    0.677 -> 0.680 (+3 right, one entry), dev hardware 0.901 -> 0.908 (+1 right), validation
    unchanged, no wrong one added."""
    cells = layout.cells(line)
    if not cells or layout.text[slice(*cells[0])].strip(" *"):
        return None
    header = layout.header(line)
    for above in range(line - 1, (header if header is not None else line) + 1, -1):
        first = layout.cells(above)[:1]
        if first and layout.text[slice(*first[0])].strip(" *"):
            return first[0]
    return None


def _table_lead_in(layout: Layout, line: int) -> tuple[int, int] | None:
    """The line right above a table (a blank line between allowed) that ends in a colon and is no
    heading: the lead-in of every row (ANNOTATION.md rule 2)."""
    first = line
    while first > 0 and layout.is_row(first - 1):
        first -= 1
    above = first - 1
    if above >= 0 and not layout.line_text(above).strip():
        above -= 1
    if above < 0:
        return None
    text = layout.line_text(above).strip().rstrip("*").rstrip()
    if text.startswith("#") or not text.endswith((":", "：")):
        return None
    return layout.line(above)


def mentions_of(
    doc: Doc,
    canonical: Callable[[str, str], tuple[str, str] | None],
    role_of: Callable[[object], str | None] = lambda ent: None,
) -> list[Mention]:
    """The METHOD / MODEL / HARDWARE mentions of a Doc with canonical names and roles."""
    out = []
    for ent in doc.ents:
        if ent.label_ not in ("METHOD", "MODEL", "HARDWARE"):
            continue
        resolved = canonical(ent.label_, ent.text)
        if resolved is not None:
            kind, name = resolved
            out.append(
                Mention(
                    ent.start_char,
                    ent.end_char,
                    kind,
                    name,
                    role_of(ent) if kind == "METHOD" else None,
                )
            )
    return out


def within(m: Mention, span: tuple[int, int] | None) -> bool:
    return span is not None and span[0] <= m.start and m.end <= span[1]
