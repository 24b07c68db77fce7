"""Acronyms an entry defines, and which of them name a measure rather than a technique.

``Potential Overlap Ratio (POR)`` defines POR as a quantity a paper reports, not a
method it builds; the same holds for ``Intelligence Per Watt (IPW)`` or a Chinese long
form such as ``压缩率（CR）``. Both the coined-name rules (before a name is added) and
the entity filter (for names the heading cues or the trained ner found) ask here, so a
measure is dropped whichever component proposed it.
"""

from __future__ import annotations

import re
import string

from . import vocabulary
from .gazetteer import normalize_name
from .word_shape import HAN_CHARS

__all__ = ["ACRONYM_DEF", "acronym_definitions", "measure_names"]

#: ``(LFW)``, ``（CR）`` after a long form: the acronym it defines.
_ACRONYM_IN_BRACKETS = r"[ \t]*[（(][ \t]*(?P<acr>[A-Z][A-Za-z0-9]{1,9})[ \t]*[)）]"

#: ``Long Form Words (LFW)``: a capitalised phrase of up to nine words before an acronym.
ACRONYM_DEF = re.compile(
    r"(?P<long>(?<![A-Za-z0-9-])[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*"
    rf"(?:[ \t]+(?:(?:{vocabulary.alternation('connectors')})[ \t]+)?[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*){{1,8}})"
    + _ACRONYM_IN_BRACKETS
)
#: ``压缩率（CR）``, ``首 token 延迟 (TTFT)``: a Chinese long form ending in a word for a
#: quantity (rate, ratio, degree, metric, score, cost, time, latency, throughput, usage).
_MEASURE_ZH = re.compile(
    rf"(?P<long>[{HAN_CHARS}A-Za-z ]{{0,12}}(?:{vocabulary.alternation('quantity-words')}))"
    + _ACRONYM_IN_BRACKETS
)

#: An acronym in brackets, ``(POR)``, ``（CR）``: every match of `ACRONYM_DEF` and of
#: `_MEASURE_ZH` ends in one, and none holds another bracket.
_BRACKETED = re.compile(r"[（(][ \t]*[A-Z][A-Za-z0-9]{1,9}[ \t]*[)）]")
#: What `ACRONYM_DEF`'s long form and the blanks after it are made of (its connectors are
#: words of letters): a match starts inside the run of these before its bracket.
_LONG_FORM_CHARS = string.ascii_letters + string.digits + "- \t"
#: `_MEASURE_ZH` without the up to 12 characters before the quantity word: `measure_names`
#: reads only the acronym, and those characters may be none, so a bracket this matches
#: is one `_MEASURE_ZH` matches. Its quantity words all begin with a literal character,
#: so the regex engine skips ahead to one (`_MEASURE_ZH` was tried at every character:
#: 0.48 s -> 0.01 s per 1,400 entries, the same acronyms).
_MEASURE_ZH_ACRONYM = re.compile(
    rf"(?:{vocabulary.alternation('quantity-words')})" + _ACRONYM_IN_BRACKETS
)

_last_definitions: tuple[str, tuple[re.Match[str], ...]] = ("", ())


def acronym_definitions(text: str) -> tuple[re.Match[str], ...]:
    """The matches of `ACRONYM_DEF` in `text`, the same as ``ACRONYM_DEF.finditer(text)``
    gives, found cheaper and kept for the last text asked about (the coined names and the
    entity filter both ask, once or twice each, for every entry).

    `ACRONYM_DEF` alone is tried at every capital letter and reads up to nine words from
    there; here it is searched only in the run of long-form characters before each bracketed
    acronym (`_BRACKETED`). A match holds no bracket before its own, and all it holds before
    the bracket are long-form characters, so it starts in that run and ends at that
    bracket: each bracket's search finds the match `finditer` finds there, if any, and
    `finditer` finds none elsewhere. The lookbehind still sees the character before the run.
    """
    global _last_definitions
    last_text, last = _last_definitions
    if last_text is text or last_text == text:
        return last
    found = []
    for bracket in _BRACKETED.finditer(text):
        start = len(text[: bracket.start()].rstrip(_LONG_FORM_CHARS))
        match = ACRONYM_DEF.search(text, start, bracket.end())
        if match is not None:
            found.append(match)
    _last_definitions = (text, tuple(found))
    return _last_definitions[1]


def measure_names(text: str, head_other: re.Pattern[str]) -> frozenset[str]:
    """Normalised acronyms (and long forms) `text` defines as a measure: the long form's
    head word is a descriptive one (`head_other`: ``Ratio``, ``Efficiency``, ``Watt``), or
    one follows the acronym (``Combined Recency and Frequency (CRF) Score``), it is a rate
    (``Tokens Per Second (TPS)``), or the long form is a Chinese quantity word
    (``压缩率（CR）``)."""
    out: set[str] = set()
    for match in acronym_definitions(text):
        head = match.group("long").split()[-1].split("-")[-1]
        after = re.match(r"[ \t]*([A-Za-z]+)", text[match.end() : match.end() + 20])
        rate = re.search(r"\s[Pp]er\s", match.group("long"))  # Tokens Per Second, Joules per Query
        if rate or head_other.fullmatch(head) or (after and head_other.fullmatch(after.group(1))):
            out.add(normalize_name(match.group("acr")))
            out.add(normalize_name(match.group("long")))
    for match in _MEASURE_ZH_ACRONYM.finditer(text):
        out.add(normalize_name(match.group("acr")))
    return frozenset(out)
