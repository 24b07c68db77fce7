"""A regex that rejects a starting position at its first character, with the same matches.

Python's regex engine, searching, tries the whole pattern at every position of the text
unless the pattern starts with a literal or a character class: a cue alternation such
as ``(?:基于|使用|(?i:built\\s+on|using))\\s*LIST`` is entered, branch by branch, at each of
an entry's thousands of characters. `guarded` puts in front a lookahead for the characters
a match can start with (``(?=[基使bBuU])``), computed from the parsed pattern, so most
positions fail after one class test. A lookahead reads nothing and captures nothing, and
every match starts with one of those characters, so ``guarded(p).finditer(text)`` gives
exactly the matches (spans, groups) of ``p.finditer(text)``.

The coined-name cues scanned so: 0.2-0.6 s -> 0.08-0.18 s each per 1,200 entries
(``bench/ingest_parts.py``); a pattern that starts with a lookbehind and a plain
letter class gains nothing (each capital is still a start), so only cue patterns are
guarded. A pattern whose first characters cannot be listed (``.``, a backreference, an
empty match) is returned as it is.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

__all__ = ["guarded", "guarded_if_blind", "first_characters", "scans_blind"]

_c: Any
_p: Any
_k: Any
try:  # the parser the `re` module compiles with (Python 3.11+; no stubs: private)
    _c = importlib.import_module("re._constants")
    _p = importlib.import_module("re._parser")
    _k = importlib.import_module("re._compiler")
except ImportError:  # pragma: no cover - a Python without them: no guard
    _c = _p = _k = None

# (flags the class is read under, the parser's class items)
_Items = list[tuple[int, list[tuple[Any, Any]]]]

_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}


def _sequence(items: Any, flags: int) -> tuple[_Items, bool] | None:
    """The classes the first character of a match of `items` (a parsed sequence) is in,
    and whether `items` can match the empty string; None when they cannot be listed."""
    out: _Items = []
    for op, av in items:
        one = _one(op, av, flags)
        if one is None:
            return None
        out += one[0]
        if not one[1]:
            return out, False
    return out, True


def _one(op: Any, av: Any, flags: int) -> tuple[_Items, bool] | None:
    if op is _c.LITERAL:
        return [(flags, [(op, av)])], False
    if op is _c.IN:
        return [(flags, list(av))], False
    if op is _c.BRANCH:
        out: _Items = []
        empty = False
        for branch in av[1]:
            got = _sequence(branch.data, flags)
            if got is None:
                return None
            out += got[0]
            empty = empty or got[1]
        return out, empty
    if op is _c.SUBPATTERN:
        _group, add, remove, sub = av
        return _sequence(sub.data, (flags | add) & ~remove)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        least, most, sub = av
        if most == 0:
            return [], True
        got = _sequence(sub.data, flags)
        return None if got is None else (got[0], got[1] or least == 0)
    if op is _c.ATOMIC_GROUP:
        return _sequence(av.data, flags)
    if op in (_c.ASSERT, _c.ASSERT_NOT, _c.AT):  # reads nothing: the next item starts it
        return [], True
    return None  # ANY, GROUPREF, ...: no short list


def _class(items: list[tuple[Any, Any]]) -> tuple[str, bool] | None:
    """A parsed class as regex text (its items, between brackets) and whether it is negated."""
    negated = False
    parts = []
    for op, av in items:
        if op is _c.NEGATE:
            negated = True
        elif op is _c.LITERAL:
            parts.append(f"\\U{av:08x}")
        elif op is _c.RANGE:
            parts.append(f"\\U{av[0]:08x}-\\U{av[1]:08x}")
        elif op is _c.CATEGORY and str(av) in _CATEGORIES:
            parts.append(_CATEGORIES[str(av)])
        else:
            return None
    return "".join(parts), negated


def first_characters(pattern: re.Pattern[str]) -> str | None:
    """A regex for one character that every match of `pattern` starts with, read under
    the flags each part of `pattern` is (``[abc]|(?i:[xy])``); None when there is no
    such list (the pattern can match nothing, or starts with ``.`` or a backreference)."""
    if _p is None or not isinstance(pattern.pattern, str):
        return None
    try:
        parsed = _p.parse(pattern.pattern, pattern.flags)
        found = _sequence(parsed.data, parsed.state.flags)
    except (AttributeError, TypeError, ValueError, re.error):  # another parser's shape
        return None
    if found is None or found[1] or not found[0]:
        return None
    base = pattern.flags
    plain: dict[str, list[str]] = {}  # scoped flags -> class items
    alternatives: list[str] = []
    for flags, items in found[0]:
        if (flags ^ base) & ~(re.IGNORECASE | re.ASCII) or (
            base & re.ASCII and not flags & re.ASCII
        ):
            return None  # a scope that changes what a class means other than case or ASCII
        scope = ("i" if flags & re.IGNORECASE and not base & re.IGNORECASE else "") + (
            "a" if flags & re.ASCII and not base & re.ASCII else ""
        )
        if base & re.IGNORECASE and not flags & re.IGNORECASE:
            scope += "-i"
        rendered = _class(items)
        if rendered is None:
            return None
        text, negated = rendered
        if negated:
            alternatives.append(f"(?{scope}:[^{text}])" if scope else f"[^{text}]")
        else:
            plain.setdefault(scope, []).append(text)
    for scope, texts in plain.items():
        joined = "[" + "".join(texts) + "]"
        alternatives.append(f"(?{scope}:{joined})" if scope else joined)
    return "|".join(alternatives)


def guarded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern` with a lookahead for its first characters in front: the same matches,
    found sooner; `pattern` itself when its first characters cannot be listed."""
    first = first_characters(pattern)
    if first is None:
        return pattern
    try:
        return re.compile(f"(?=(?:{first}))(?:{pattern.pattern})", pattern.flags)
    except re.error:  # e.g. global flags written inside the pattern
        return pattern


def scans_blind(pattern: re.Pattern[str]) -> bool:
    """Whether Python's engine, searching, enters `pattern` at every position: it found
    no literal prefix and no set of first characters to skip ahead with (the test
    ``re._compiler`` makes for the pattern's INFO block). A pattern that starts with a
    lookbehind (``(?<![A-Za-z0-9])``), a word-boundary group or an optional part is
    blind; one that starts with a letter or a class is not. False when unsure."""
    if _k is None or _p is None or not isinstance(pattern.pattern, str):
        return False
    try:
        parsed = _p.parse(pattern.pattern, pattern.flags)
        flags = parsed.state.flags
        if parsed.getwidth()[0] == 0:
            return False  # may match nothing: no guard either (`first_characters`)
        prefix, _skip, _all = _k._get_literal_prefix(parsed, flags)
        return not prefix and not _k._get_charset_prefix(parsed, flags)
    except (AttributeError, TypeError, ValueError, re.error):
        return False


def guarded_if_blind(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`guarded(pattern)` where the engine would enter `pattern` at every position
    (`scans_blind`), else `pattern`: a pattern the engine already skips ahead for (a
    literal start, such as ``加速比``) searches slower behind a lookahead."""
    return guarded(pattern) if scans_blind(pattern) else pattern
