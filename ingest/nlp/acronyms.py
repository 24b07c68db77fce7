"""Acronyms an entry defines, and which of them name a measure rather than a technique.

``Potential Overlap Ratio (POR)`` defines POR as a quantity a paper reports, not a
method it builds; the same holds for ``Intelligence Per Watt (IPW)`` or a Chinese long
form such as ``压缩率（CR）``. Both the coined-name rules (before a name is added) and
the entity filter (for names the heading cues or the trained ner found) ask here, so a
measure is dropped whichever component proposed it.
"""

from __future__ import annotations

import re

from . import vocabulary
from .gazetteer import normalize_name
from .word_shape import HAN_CHARS

__all__ = ["ACRONYM_DEF", "measure_names"]

#: ``Long Form Words (LFW)``: a capitalised phrase of up to nine words before an acronym.
ACRONYM_DEF = re.compile(
    r"(?P<long>(?<![A-Za-z0-9-])[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*"
    rf"(?:[ \t]+(?:(?:{vocabulary.alternation('connectors')})[ \t]+)?[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*){{1,8}})"
    r"[ \t]*[（(][ \t]*(?P<acr>[A-Z][A-Za-z0-9]{1,9})[ \t]*[)）]"
)
#: ``压缩率（CR）``, ``首 token 延迟 (TTFT)``: a Chinese long form ending in a word for a
#: quantity (rate, ratio, degree, metric, score, cost, time, latency, throughput, usage).
_MEASURE_ZH = re.compile(
    rf"(?P<long>[{HAN_CHARS}A-Za-z ]{{0,12}}(?:{vocabulary.alternation('quantity-words')}))"
    r"[ \t]*[（(][ \t]*(?P<acr>[A-Z][A-Za-z0-9]{1,9})[ \t]*[)）]"
)


def measure_names(text: str, head_other: re.Pattern[str]) -> frozenset[str]:
    """Normalised acronyms (and long forms) `text` defines as a measure: the long form's
    head word is a descriptive one (`head_other`: ``Ratio``, ``Efficiency``, ``Watt``), or
    one follows the acronym (``Combined Recency and Frequency (CRF) Score``), it is a rate
    (``Tokens Per Second (TPS)``), or the long form is a Chinese quantity word
    (``压缩率（CR）``)."""
    out: set[str] = set()
    for match in ACRONYM_DEF.finditer(text):
        head = match.group("long").split()[-1].split("-")[-1]
        after = re.match(r"[ \t]*([A-Za-z]+)", text[match.end() : match.end() + 20])
        rate = re.search(r"\s[Pp]er\s", match.group("long"))  # Tokens Per Second, Joules per Query
        if rate or head_other.fullmatch(head) or (after and head_other.fullmatch(after.group(1))):
            out.add(normalize_name(match.group("acr")))
            out.add(normalize_name(match.group("long")))
    for match in _MEASURE_ZH.finditer(text):
        out.add(normalize_name(match.group("acr")))
    return frozenset(out)
