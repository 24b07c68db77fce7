"""The shape of a word: what its case, digits and parts say about whether it names something.

A name no list holds is recognised by how it is written: ``vLLM``, ``SparTA``, ``R2N1`` or
``Flash-LLM`` is hardly ever an English word; ``TASD`` may be a method's acronym or a
term's; ``Sputnik`` is a capitalised word, ``attention`` a plain one. Every "is this
written like a name" test of the recognizer is here, so a word's shape is decided in one
place and each test is checked by the property tests of ``tests/test_word_shape.py``.

The tests come in two strengths, kept apart because they answer different questions:

- `is_distinctive` is strict and looks at a word part by part (split at ``-``, ``_``,
  ``.``): is the word *by itself* evidence of a coined name, wherever it stands? It says
  no to ids and sizes (``L2``, ``H100``, ``8B``), to plural acronyms and capitalised
  plurals (``GPUs``, ``Experts``) and to descriptions (``GPU-free``, ``Multi-GPU``). The
  coined-name rules rest on it, since they look at any word of an entry.
- `has_mixed_case_or_digit` and `has_inner_capital_or_digit` are loose and look at the
  whole word: the heading and title rules ask them of words that already stand where a
  paper names its method (a heading, a title's prefix), so any mark of a name will do
  (``H100`` and ``PLA-Serve`` pass; ``TSA`` passes the second, not the first).

The other tests say what kind of word it is: `is_acronym`, `is_title_word` (may stand
in a Title Case name), `is_plain_capitalised` (``Tree``, ``Co-Design``),
`is_capitalised_part` (a part a hyphen may add to a name), `is_lower_word`,
`is_numberish` (a count, size or unit), `is_capitalised_gerund`, `has_size` (a model
size part: ``-7B``), and the plain character tests (`has_han`, `has_digit`, ...).
The word lists they read (generic prefixes and tails) are ``patterns/vocabulary`` files.
"""

from __future__ import annotations

import re

from . import vocabulary

__all__ = [
    "HAN",
    "HAN_CHARS",
    "GEFORCE_NUMBER",
    "has_han",
    "has_digit",
    "has_letter",
    "has_lower",
    "has_size",
    "word_parts",
    "is_lower_word",
    "is_acronym",
    "is_distinctive",
    "starts_capital_or_digit",
    "is_capitalised_part",
    "is_title_word",
    "is_plain_capitalised",
    "has_inner_capital_or_digit",
    "has_mixed_case_or_digit",
    "has_lower_tail",
    "is_numberish",
    "is_capitalised_gerund",
]

#: Han ideographs (CJK extension A and the unified block), as the body of a character
#: class: the one range of the recognizer that says a character is Chinese (frames that
#: need it inside a class write ``[{HAN_CHARS}A-Za-z]``).
HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff"
#: one Han character: Chinese text.
HAN = re.compile(f"[{HAN_CHARS}]")

#: A GeForce card's number written alone ("3090", "5090"), as a pattern body: the one shape of a
#: device name without a letter, which the entity filter keeps and canonical names read as the
#: RTX / GTX card (families.jsonl's geforce-number finds it in context).
GEFORCE_NUMBER = r"[1-5]0[5-9]0"

_GENERIC_PREFIXES = vocabulary.words("generic-prefixes")
_GENERIC_TAIL = re.compile(f"(?i){vocabulary.alternation('generic-tails')}")
_NAME_CHARS = re.compile(r"[A-Za-z0-9+#]+")
# counts, sizes and units: 3rd, 8B, 80GB, 1D, 4x, 16bit, 32K
_NUMBERISH = re.compile(r"\d+(?:\.\d+)?(?:st|nd|rd|th|[a-z]{1,3}|[KMGT]B?|B|M|D|x|X|bit|bits|K|k)")
# one or two letters and a number: an id (L2, x16, CP1), not a name
_ID = re.compile(r"[A-Za-z]{1,2}\d+[a-z]?")
# a capitalised word, a capitalised plural, or capitals and a plural s: English or an acronym
_PLAIN = re.compile(r"[A-Z][a-z]+s?|[A-Z]+s")
_PLAIN_CAPITALISED = re.compile(r"^[A-Z][a-z]+\.?$|^[A-Z][a-z]+(?:-[A-Z][a-z]*)+$")
_LOWER_TAIL = re.compile(r"-[a-z]+$")
_GERUND = re.compile(r"[A-Z][a-z]{3,}ing")
_SIZE = re.compile(r"(?:^|[-_ ])\d+(?:\.\d+)?[BM](?:$|[-_ ])")
_CAPITALISED_PART = re.compile(r"[A-Z][A-Za-z0-9]*")


def has_han(text: str) -> bool:
    """Whether `text` holds a Han character (Chinese); names are written in Latin letters."""
    return HAN.search(text) is not None


def has_digit(text: str) -> bool:
    """Whether `text` holds a digit (``H100``, ``Qwen3``)."""
    return any(c.isdigit() for c in text)


def has_letter(text: str) -> bool:
    """Whether `text` holds a letter (any script); a mention without one names nothing."""
    return any(c.isalpha() for c in text)


def has_lower(text: str) -> bool:
    """Whether `text` holds a lower-case letter (``LFM2`` has none, ``Qwen3`` has)."""
    return any(c.islower() for c in text)


def has_size(name: str) -> bool:
    """Whether a part of `name` is a model size in billions or millions (``Foo-7B``,
    ``Bar 1.5B``, ``Baz-350M-Chat``): a model's name, not a method's."""
    return _SIZE.search(name) is not None


def word_parts(word: str) -> list[str]:
    """The parts of a compound, split at ``-``, ``_`` and ``.`` (empty parts dropped).

    >>> word_parts("Flash-LLM_v2.1")
    ['Flash', 'LLM', 'v2', '1']
    """
    return [p for p in re.split(r"[-_.]", word) if p]


def is_lower_word(word: str) -> bool:
    """Lower-case letters and no digit: an English word (``retrieval``), never a name's
    start in a heading (it ends a run of name words there)."""
    return word.islower() and not has_digit(word)


def is_acronym(word: str) -> bool:
    """Two or more capitals and nothing lower-case but a plural s (after three characters
    or more), starting with a letter: ``TASD``, ``R2N1``, ``LLMs``, not ``KVs``."""
    core = word[:-1] if word.endswith("s") and len(word) > 3 else word
    return (
        sum(c.isupper() for c in core) >= 2
        and not any(c.islower() for c in core)
        and core[0].isalpha()
    )


def is_distinctive(word: str) -> bool:
    """Mixed case beyond a first capital (``SparTA``, ``vLLM``, ``KVzip``), letters
    with digits (``R2N1``, ``TT-1D``), or a compound with such a part or an acronym
    (``Flash-LLM``, ``R-KV``, ``pass-KV``), but not a generic prefix compound
    (``Multi-GPU``), an id or size (``L2``, ``8B``) or a description (``GPU-free``).

    The strict test (see the module docstring): a word that passes is evidence of a
    coined name by itself.
    """
    parts = word_parts(word)
    if not parts or not has_letter(word):
        return False
    if len(parts) > 1 and parts[0].lower() in _GENERIC_PREFIXES and len(parts) == 2:
        return _is_distinctive_part(parts[1]) and not is_acronym(parts[1])
    if any(_is_distinctive_part(p) for p in parts):
        return True
    return (
        len(parts) > 1
        and any(is_acronym(p) for p in parts)
        and all(has_letter(p) for p in parts)
        and not any(p.islower() and _GENERIC_TAIL.fullmatch(p) for p in parts)
    )


def _is_distinctive_part(part: str) -> bool:
    if not _NAME_CHARS.fullmatch(part):
        return False
    digit, letter = has_digit(part), has_letter(part)
    if digit and letter:
        return any(c.isupper() for c in part) and not is_numberish(part) and not _ID.fullmatch(part)
    upper_inner = any(c.isupper() for c in part[1:])
    lower = any(c.islower() for c in part)
    return upper_inner and lower and not _PLAIN.fullmatch(part)


def starts_capital_or_digit(word: str) -> bool:
    """A first capital or digit (``Pretraining``, ``7B``): a part that may go on a name
    (a lower-case part describes it: ``Llama-based``)."""
    return word[:1].isupper() or word[:1].isdigit()


def is_capitalised_part(part: str) -> bool:
    """A capital, then letters and digits only (``SWA``, ``Nano``, ``V2``): a part a hyphen
    may add to a name (``FlowKV-SWA``, ``Nano-vLLM``)."""
    return _CAPITALISED_PART.fullmatch(part) is not None


def is_title_word(word: str) -> bool:
    """A word that may stand in a Title Case name: it starts with a capital or a digit,
    or is distinctive (``Flash``, ``2``, ``vLLM`` in ``Flash Attention 2``, ``vLLM Serve``)."""
    return starts_capital_or_digit(word) or is_distinctive(word)


def is_plain_capitalised(word: str) -> bool:
    """A capital then lower-case letters only, perhaps a final dot (``Tree``, ``Inc.``), or
    such words hyphenated (``Co-Design``, ``Mixture-Of-Experts``): a Title Case phrase of
    these reads as a name only as a whole (``Tree Training``), unlike `is_title_word`,
    which also takes marked words."""
    return _PLAIN_CAPITALISED.match(word) is not None


def has_inner_capital_or_digit(word: str) -> bool:
    """A capital after the first letter, or a digit (``SpeContext``, ``vLLM``, ``TSA``,
    ``M2XFP``): a name rather than an English word, in a place that names one (the loose
    test of the module docstring: all-capitals pass)."""
    return any(c.isupper() for c in word[1:]) or has_digit(word)


def has_mixed_case_or_digit(word: str) -> bool:
    """A digit, or a capital after the first letter beside a lower-case letter (``QServe``,
    ``vLLM``, ``PLA-Serve``, ``H100``): hardly ever an English word or a common acronym
    (``TSA`` fails, unlike `has_inner_capital_or_digit`). Loose: see the module docstring."""
    return has_digit(word) or (
        any(c.isupper() for c in word[1:]) and any(c.islower() for c in word)
    )


def has_lower_tail(word: str) -> bool:
    """A last hyphenated part in lower case (``GPU-free``, ``SM-level``, ``Top-k``): a
    description, not a name."""
    return _LOWER_TAIL.search(word) is not None


def is_numberish(part: str) -> bool:
    """A number with a unit, ordinal or scale (``3rd``, ``8B``, ``80GB``, ``1D``, ``4x``,
    ``16bit``, ``32K``): a count or size, not a name."""
    return _NUMBERISH.fullmatch(part) is not None


def is_capitalised_gerund(word: str) -> bool:
    """A capitalised word ending in -ing (``Quantifying``, ``Scaling``): a title that opens
    with one is a verb phrase, not a name."""
    return _GERUND.fullmatch(word) is not None
