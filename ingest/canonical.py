"""One canonical name per real thing: models, hardware and methods, the same from any digest.

`canonical(label, surface)` depends on the name alone (never on the other
names of a digest), so every digest mints the same IRI for the same thing and
a re-ingested digest keeps its IRIs. It asks the gazetteer first; a name no
list knows is parsed:

- a model as family + size + variant: ``Llama-3.1-8B-Instruct`` is a variant
  of ``Llama-3.1-8B`` (family ``Llama-3.1``, 8 billion parameters), and
  ``Granite-350M`` has family ``Granite`` and 0.35 billion;
- hardware as vendor + base + memory / form factor: ``NVIDIA A100-40GB PCIe``
  is ``A100-40GB PCIe``, vendor NVIDIA, broader ``A100-40GB``; ``MTIA v3`` is
  a variant of ``MTIA``;
- a method with a run-configuration suffix as its base (``SGLang-1024`` is
  SGLang), ``FlashAttention V3`` as ``FlashAttention-3`` when the list knows it.

The type is the gazetteer's, else the one a model / hardware family pattern of
the NER gives the whole name (``GPT-5`` is a model wherever a digest calls it a
method), else the mention's.

Names that only look alike stay apart: ``Llama-3-8B`` and ``Llama-3.1-8B`` are
two models because their versions differ.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from techclaims.ingest.nlp import vocabulary
from techclaims.ingest.nlp.gazetteer import GazetteerEntry, default_gazetteer, read_jsonl
from techclaims.ingest.nlp.word_shape import GEFORCE_NUMBER

Lookup = Callable[[str], GazetteerEntry | None]


@dataclass(frozen=True)
class Canonical:
    """What the knowledge base says about a name: its type, canonical form and properties."""

    name: str
    family: str | None = None
    vendor: str | None = None
    parameters: float | None = None
    broader: str | None = None
    type: str | None = (
        None  # the label the thing really has (a gazetteer may know better than a mention)
    )


_SIZE = re.compile(
    r"^(?P<family>.*?[A-Za-z].*?)[-_ ]?(?P<size>\d+(?:\.\d+)?[BMK](?:[-_]?A\d+(?:\.\d+)?B?)?|\d+x\d+(?:\.\d+)?B)"
    r"(?:[-_ ](?P<variant>[A-Za-z][\w.\- ]*))?$",
    re.IGNORECASE,
)
_VENDOR = re.compile(rf"^(?P<vendor>{vocabulary.alternation('hardware-vendors')})\s+(?P<rest>.+)$")
# "3090", "NVIDIA 5090", "3080Ti": a GeForce card written by its number alone
_GEFORCE_NUMBER = re.compile(rf"(?P<number>{GEFORCE_NUMBER})\s?(?P<ti>Ti)?")
_MEMORY = re.compile(r"(?P<base>.+?)[-\s]?(?P<memory>\d+\s?GB)(?P<rest>.*)$", re.IGNORECASE)
_FORM = re.compile(
    rf"^(?P<base>.+?)[-\s](?P<form>{vocabulary.alternation('form-factors')}"
    rf"|{vocabulary.alternation('hardware-editions')})$",
    re.IGNORECASE,
)
_HW_VARIANT = re.compile(
    rf"^(?P<base>.+?)[-\s](?P<variant>{vocabulary.alternation('hardware-variants')})$",
    re.IGNORECASE,
)
# "A800 GPU", "Ascend 910B NPU": what kind of processor a part number is, not part of its name
_PROCESSOR_AFTER = re.compile(
    rf"^(?P<base>.*\d.*?)[-\s]+(?:{vocabulary.alternation('device-count-words', tags='processor')})$",
    re.IGNORECASE,
)
# "Ascend NPU", "Hexagon NPU": a kind of processor after a family name that the list knows
_PROCESSOR_WORD = re.compile(
    rf"^(?P<base>.*?[A-Za-z].*?)[-\s]+(?:{vocabulary.alternation('device-count-words', tags='processor')})$",
    re.IGNORECASE,
)
# the memory's type after its size ("80GB HBM3"): the same part, not a variant of it
_MEMORY_TYPE = re.compile(r"^\s*(?:HBM\d[eE]?|GDDR\d[XxWw]?|LPDDR\d[Xx]?)(?![A-Za-z0-9])")
_MEMORY_IN_BRACKETS = re.compile(r"\s*[（(](\d+\s?GB)(?:[)）]|$)", re.IGNORECASE)
# a memory size written without its B ("A100 80G"): gigabytes, as "A100 80GB" is
_GIGABYTES_SHORT = re.compile(r"(?<=\d[\s-])(\d{2,3})G$")
_RUN_SUFFIX = re.compile(r"^(?P<base>.+?)[-_ ](?:\d{3,}|bs\d+|tp\d+|\d+k)$", re.IGNORECASE)
_METHOD_VERSION = re.compile(r"^(?P<base>.+?)[-_ ]?[Vv](?P<version>\d+(?:\.\d+)?)$")


def clean(surface: str) -> str:
    """A mention as a name: markup, quotes and extra spaces removed.

    A closing bracket that closes one the name opened is kept ("NVIDIA TITAN X(Pascal)",
    "A100 (80GB)"): the text's spelling is the name annotators write, and a cut bracket
    matches no spelling of it. With the TITAN and vendor-part patterns of families.jsonl,
    train claim hardware F1 0.896 -> 0.902 (+10 right, 4 wrong fewer), HARDWARE 0.883 -> 0.885;
    validation and dev unchanged, METHOD and MODEL unchanged.

    >>> clean("**Qwen3-32B** ")
    'Qwen3-32B'
    >>> clean("NVIDIA TITAN X(Pascal)"), clean("(vLLM)")
    ('NVIDIA TITAN X(Pascal)', 'vLLM')
    """
    spaced = " ".join(surface.split())
    name = spaced.strip(_LOOSE)
    if not name:
        return name
    after = spaced[spaced.index(name) + len(name) :]
    for opening, closing in ("()", "（）"):
        if name.count(opening) > name.count(closing) and after.startswith(closing):
            name += closing  # "NVIDIA A100 (80GB)", "TITAN X(Pascal)": the bracket is the name's
    return name


#: what `clean` strips from the ends of a mention: markup, quotes, brackets and punctuation
_LOOSE = "*`_ '\"“”‘’()（）[]:：,，;；.。"


def parameters_of(size: str) -> float | None:
    """Billions of parameters written as a size: ``8B`` 8, ``350M`` 0.35, ``30B-A3B`` 30.

    >>> parameters_of("8B"), parameters_of("350M"), parameters_of("30B-A3B"), parameters_of("8x7B")
    (8.0, 0.35, 30.0, None)
    """
    match = re.match(r"(\d+(?:\.\d+)?)([BMK])", size, re.IGNORECASE)
    if match is None or re.match(r"\d+x", size):
        return None
    value = float(match.group(1))
    scale = {"B": 1.0, "M": 1e-3, "K": 1e-6}[match.group(2).upper()]
    return round(value * scale, 6)


def _from_entry(entry: GazetteerEntry) -> Canonical:
    return Canonical(
        name=entry.name,
        family=entry.family,
        vendor=entry.vendor,
        parameters=entry.parameters,
        broader=entry.broader,
        type=entry.label,
    )


def canonical(label: str, surface: str, lookup: Lookup | None = None) -> Canonical:
    """The canonical form of a METHOD / MODEL / HARDWARE name and what is known about it.

    >>> canonical("MODEL", "qwen-3-32b").name
    'Qwen3-32B'
    >>> c = canonical("MODEL", "Llama-3.1-8B-Instruct")
    >>> c.name, c.family, c.parameters, c.broader
    ('Llama-3.1-8B-Instruct', 'Llama-3.1', 8.0, 'Llama-3.1-8B')
    >>> canonical("MODEL", "Llama-3-8B").name != canonical("MODEL", "Llama-3.1-8B").name
    True
    >>> c = canonical("HARDWARE", "NVIDIA A100-40GB PCIe")
    >>> c.name, c.vendor, c.broader
    ('A100-40GB PCIe', 'NVIDIA', 'A100-40GB')
    >>> canonical("HARDWARE", "NVIDIA A800 GPU").name, canonical("HARDWARE", "Ascend 910B NPU").name
    ('A800', 'Ascend 910B')
    >>> canonical("METHOD", "SGLang-1024").name
    'SGLang'
    """
    lookup = lookup or _default_lookup
    name = clean(surface)
    entry = lookup(name)
    if entry is not None:
        return _from_entry(entry)
    label = family_label(name) or label  # a model name typed METHOD in one digest is still a model
    if label == "MODEL":
        return _model(name, lookup)
    if label == "HARDWARE":
        return _hardware(name, lookup)
    return _method(name, lookup)


def _default_lookup(name: str) -> GazetteerEntry | None:
    return default_gazetteer().lookup(name)


@lru_cache(maxsize=1)
def _family_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The NER's model and hardware family patterns (patterns/families.jsonl), to type a name no list holds."""
    from techclaims.ingest.nlp.regex_entities import (
        compile_family,  # the patterns are the NER's data, read the same way
    )

    rows = read_jsonl("families.jsonl")
    defaults = next((row for row in rows if row.get("defaults")), {})
    return tuple(
        (row["label"], compile_family(row, defaults).regex)
        for row in rows
        if not row.get("defaults")
    )


def family_label(name: str) -> str | None:
    """MODEL or HARDWARE when a family pattern spells the whole name, else None.

    >>> family_label("GPT-5"), family_label("Qwen2.5-VL-7B"), family_label("TraceRL")
    ('MODEL', 'MODEL', None)
    """
    labels = {label for label, regex in _family_patterns() if regex.fullmatch(name)}
    return labels.pop() if len(labels) == 1 else None


def _model(name: str, lookup: Lookup) -> Canonical:
    match = _SIZE.match(name)
    if match is None:
        return Canonical(name=name, type="MODEL")
    family, size, variant = match["family"].rstrip("-_ "), match["size"], match["variant"]
    base = lookup(f"{family}-{size}")
    if base is not None and base.label == "MODEL":
        if not variant:
            return _from_entry(base)
        return Canonical(
            name=f"{base.name}-{variant.replace(' ', '-')}",
            family=base.family,
            parameters=base.parameters,
            broader=base.name,
            type="MODEL",
        )
    known_family = lookup(family)
    family_name = (
        known_family.name if known_family is not None and known_family.label == "MODEL" else family
    )
    parameters = parameters_of(size)
    if variant:
        return Canonical(
            name=name,
            family=family_name,
            parameters=parameters,
            broader=f"{family_name}-{size}",
            type="MODEL",
        )
    return Canonical(
        name=name,
        family=family_name,
        parameters=parameters,
        broader=family_name if re.search(r"[A-Za-z]", family_name) else None,
        type="MODEL",
    )


def _geforce_by_number(name: str, lookup: Lookup) -> GazetteerEntry | None:
    """The GeForce card that a bare number names ("3090", "8x 4090" -> RTX 3090, RTX 4090; "1080"
    -> GTX 1080): digests drop the series, and the card is one the list knows, so the number and
    "RTX 3090" in one entry are one device (ANNOTATION.md: a shortened reference back to one
    listed part), and the written number stays a spelling (alias)."""
    match = _GEFORCE_NUMBER.fullmatch(name)
    if match is None:
        return None
    tail = " Ti" if match["ti"] else ""
    for series in ("RTX", "GTX"):
        entry = lookup(f"{series} {match['number']}{tail}")
        if entry is not None and entry.label == "HARDWARE":
            return entry
    return None


#: the families whose parts digests write without the family's name ("910B NPU", "AGX Orin"):
#: a part number the list knows with the family before it is that part
_BARE_PART_FAMILIES = ("Ascend", "Jetson")


def _part_without_family(name: str, lookup: Lookup) -> GazetteerEntry | None:
    """The part that a name without its family names ("910B" -> Ascend 910B, "AGX Orin" ->
    Jetson AGX Orin), when the list knows it: the bare spelling and the full one in an entry
    are one device (ANNOTATION.md: a shortened reference back to one listed part)."""
    for family in _BARE_PART_FAMILIES:
        entry = lookup(f"{family} {name}")
        if entry is not None and entry.label == "HARDWARE":
            return entry
    return None


#: a trademark mark in a part's name ("AMD EPYC™ 9684X", "AMD Radeon(TM) 780M"): no part of the
#: name the list knows it by (the written spelling stays an alias)
_TRADEMARK = re.compile(r"\s*(?:™|®|\((?:TM|R)\))")
#: a part written after its generation ("Blackwell B200"): the part the list knows
_GENERATION_BEFORE = re.compile(
    rf"^(?:{vocabulary.alternation('hardware-generations')})\s+(?P<part>[A-Z]{{1,2}}\d.*)$"
)


def _hardware(name: str, lookup: Lookup) -> Canonical:
    vendor = None
    name = _GIGABYTES_SHORT.sub(r"\1GB", _TRADEMARK.sub("", name))
    name = rest = _MEMORY_IN_BRACKETS.sub(r" \1", name)  # "A100 (80GB)" is "A100 80GB"
    if (match := _PROCESSOR_WORD.match(name)) and not _PROCESSOR_AFTER.match(name):
        entry = lookup(match["base"])  # "Ascend NPU" is the Ascend the list knows
        if entry is not None and entry.label == "HARDWARE":
            return _from_entry(entry)
    if match := _PROCESSOR_AFTER.match(name):
        name = rest = match["base"]  # the written "NVIDIA A800 GPU" stays a spelling (alias)
        entry = lookup(name)
        if entry is not None and entry.label == "HARDWARE":
            return _from_entry(entry)
    if match := _VENDOR.match(name):
        vendor, rest = match["vendor"], match["rest"]
        if vendor.casefold() == "nvidia":
            vendor = "NVIDIA"
        entry = lookup(rest)
        if entry is not None and entry.label == "HARDWARE":
            return _from_entry(entry)
    if (entry := _geforce_by_number(rest, lookup)) is not None:
        return _from_entry(entry)
    if (entry := _part_without_family(rest, lookup)) is not None:
        return _from_entry(entry)
    if (match := _GENERATION_BEFORE.match(rest)) and (entry := lookup(match["part"])) is not None:
        if entry.label == "HARDWARE":
            return _from_entry(entry)
    for pattern, joiner in ((_FORM, " "), (_MEMORY, "-"), (_HW_VARIANT, " ")):
        match = pattern.match(rest)
        if match is None:
            continue
        base_text = match["base"].strip("-_ ")
        base = lookup(base_text)
        if base is None or base.label != "HARDWARE":
            deeper = _hardware(base_text, lookup) if base_text != rest else None
            if deeper is None or deeper.broader is None and deeper.vendor is None:
                continue
            base_name, base_vendor, base_family = deeper.name, deeper.vendor, deeper.family
        else:
            base_name, base_vendor, base_family = base.name, base.vendor, base.family
        if pattern is _MEMORY:
            rest_after = _MEMORY_TYPE.sub("", match["rest"])
            suffix = match["memory"].replace(" ", "") + rest_after
            full = f"{base_name}-{suffix.strip()}"
            known = lookup(full)
            if known is not None:
                return _from_entry(known)
            memory_name = f"{base_name}-{match['memory'].replace(' ', '')}"
            memory_entry = lookup(memory_name)
            tail = rest_after.strip(" -")
            if memory_entry is not None and tail:
                return Canonical(
                    name=f"{memory_entry.name} {tail}",
                    vendor=memory_entry.vendor or vendor,
                    family=memory_entry.family,
                    broader=memory_entry.name,
                    type="HARDWARE",
                )
            return Canonical(
                name=f"{memory_name} {tail}".strip(),
                vendor=base_vendor or vendor,
                family=base_family,
                broader=base_name,
                type="HARDWARE",
            )
        variant = match["form"] if pattern is _FORM else match["variant"]
        return Canonical(
            name=f"{base_name}{joiner}{variant}",
            vendor=base_vendor or vendor,
            family=base_family,
            broader=base_name,
            type="HARDWARE",
        )
    return Canonical(name=rest, vendor=vendor, type="HARDWARE")


def _method(name: str, lookup: Lookup) -> Canonical:
    if match := _METHOD_VERSION.match(name):
        entry = lookup(f"{match['base']}-{match['version']}")
        if entry is not None and entry.label == "METHOD":
            return _from_entry(entry)
    if match := _RUN_SUFFIX.match(name):
        entry = lookup(match["base"])
        if entry is not None and entry.label == "METHOD":
            return _from_entry(entry)
    return Canonical(name=name, type="METHOD")


@lru_cache(maxsize=65536)
def resolve(label: str, surface: str) -> Canonical:
    """`canonical` with the packaged gazetteer, cached per process."""
    return canonical(label, surface)
