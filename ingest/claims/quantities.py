"""Numbers, ranges and units: every speed-up factor or percentage change a text states."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from techclaims.ingest.nlp import vocabulary as word_lists
from techclaims.schema.records import Unit

_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"


_X = r"(?:\s?[xX×](?![A-Za-z0-9])(?!\s?\d)|\s?倍|-?fold(?![A-Za-z])|\s?times(?![A-Za-z]))"


_PCT = r"\s?[%％]"


_SEP = r"\s?(?:~|～|∼|〜|-|–|—|至|到|to)\s?"


#: no number inside a word, a version, a fraction or a formula; but the second of a slash list
#: of factors or percentages is one ("1.25x/1.32x", "48.6%/61.9%")
_LEFT = r"(?:(?<=\d[xX×%％倍]/)|(?<=\d\s[xX×%％倍]/)|(?<![A-Za-z0-9_./^=]))(?<![A-Za-z0-9]-)"


_QUANTITY = re.compile(
    rf"{_LEFT}(?P<sign>[+＋\-−])?(?P<low>{_NUM})(?:(?P<lu>{_X}|{_PCT})?(?P<sep>{_SEP})(?P<high>{_NUM}))?"
    rf"(?P<unit>{_X}|{_PCT})(?![\d])"
)


_BETWEEN = re.compile(
    rf"(?i:between)\s+(?P<low>{_NUM})\s?(?P<lu>{_X}|{_PCT})?\s+and\s+(?P<high>{_NUM})(?P<unit>{_X}|{_PCT})"
)


#: a speed-up's noun (speedup-words.txt, ratio): Han as written, Latin in any case
_SPEEDUP_HAN = word_lists.alternation("speedup-words", "han", tags="ratio")
_SPEEDUP_LATIN = word_lists.alternation("speedup-words", "latin", tags="ratio")


_UNITLESS = re.compile(
    rf"(?:{_SPEEDUP_HAN}|(?i:{_SPEEDUP_LATIN}))\s?(?:(?i:of)\s+|[为是:：=]|达到?|高达|可达|最高达?|约为?|(?i:up to)\s+|(?i:about)\s+|~)?\s?"
    rf"(?P<low>{_NUM})(?!\s?(?:[xX×倍%％.\d]|-?fold|times))"
)


@dataclass(frozen=True)
class Quantity:
    value: float
    value_max: float | None
    unit: Unit  # "x" or "%"


@dataclass(frozen=True)
class Found:
    """A quantity found in a text: where, what, and how it was written."""

    start: int
    end: int
    quantity: Quantity
    decimals: int = 0
    sign: str = ""


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def decimals_in(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def _unit(text: str) -> Unit:
    return "%" if text.strip() in ("%", "％") else "x"


class _Spans:
    """Spans asked whether they hold a position, by bisection (linear in the entry, not quadratic)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.reach: list[int] = []  # the furthest end of any span starting at or before starts[i]

    def update(self, found: Iterable[Found]) -> None:
        self.starts, self.reach = [], []
        furthest = -1
        for f in sorted(found, key=lambda f: f.start):
            furthest = max(furthest, f.end)
            self.starts.append(f.start)
            self.reach.append(furthest)

    def holds(self, pos: int) -> bool:
        index = bisect_right(self.starts, pos) - 1
        return index >= 0 and self.reach[index] > pos


def find_quantities(text: str) -> list[Found]:
    """Every factor or percentage `text` states, a range as one quantity, in text order.

    >>> [f.quantity for f in find_quantities("提升1.3x~1.6x，降低20%")]
    [Quantity(value=1.3, value_max=1.6, unit='x'), Quantity(value=20.0, value_max=None, unit='%')]
    >>> find_quantities("Mixtral-8x7B on 8 GPUs, Llama-3 8B")
    []
    """
    found: dict[int, Found] = {}
    spans = _Spans()

    def taken(pos: int) -> bool:
        return spans.holds(pos)

    for match in _BETWEEN.finditer(text):
        low, high = _number(match["low"]), _number(match["high"])
        if match["lu"] and _unit(match["lu"]) != _unit(match["unit"]) or low >= high:
            continue
        found[match.start()] = Found(
            match.start(),
            match.end(),
            Quantity(low, high, _unit(match["unit"])),
            decimals_in(match["low"]),
        )
    spans.update(found.values())  # a later _QUANTITY match starts after every earlier one's span
    for match in _QUANTITY.finditer(text):
        if taken(match.start()):
            continue
        unit = _unit(match["unit"])
        low = _number(match["low"])
        sign = match["sign"] or ""
        start = match.start("low") if not sign else match.start()
        if match["high"] is not None:
            high = _number(match["high"])
            same_unit = match["lu"] is None or _unit(match["lu"]) == unit
            if same_unit and low < high:
                found[start] = Found(
                    start, match.end(), Quantity(low, high, unit), decimals_in(match["low"]), sign
                )
                continue
            if match["lu"] is not None:  # "2x-3%": two quantities
                end = match.start("sep")
                found[start] = Found(
                    start,
                    end,
                    Quantity(low, None, _unit(match["lu"])),
                    decimals_in(match["low"]),
                    sign,
                )
            second = match.start("high")
            found[second] = Found(
                second, match.end(), Quantity(high, None, unit), decimals_in(match["high"])
            )
            continue
        found[start] = Found(
            start, match.end(), Quantity(low, None, unit), decimals_in(match["low"]), sign
        )
    spans.update(found.values())
    for match in _UNITLESS.finditer(text):
        start = match.start("low")
        if not taken(start):
            found[start] = Found(
                start,
                match.end("low"),
                Quantity(_number(match["low"]), None, "x"),
                decimals_in(match["low"]),
            )
    return sorted(found.values(), key=lambda f: f.start)


def parse_speedup(text: str) -> Quantity | None:
    """The first number (or range) and unit a speed-up mention states.

    >>> parse_speedup("1.3x~1.6x")
    Quantity(value=1.3, value_max=1.6, unit='x')
    >>> parse_speedup("高达2.2倍")
    Quantity(value=2.2, value_max=None, unit='x')
    >>> parse_speedup("40% lower latency")
    Quantity(value=40.0, value_max=None, unit='%')
    >>> parse_speedup("1.3至1.6倍")
    Quantity(value=1.3, value_max=1.6, unit='x')
    >>> parse_speedup("between 1.3 and 1.6x")
    Quantity(value=1.3, value_max=1.6, unit='x')
    >>> parse_speedup("加速比为3.2")
    Quantity(value=3.2, value_max=None, unit='x')
    >>> parse_speedup("3-fold") == Quantity(3.0, None, "x")
    True
    """
    found = find_quantities(text)
    return found[0].quantity if found else None
