"""(entry, Doc) -> pydantic records: the one module that knows both spaCy and the records.

Entries of one digest that are the same paper (same arXiv id, else the same
normalised title) become one `Paper`. Entity mentions are grouped under their
canonical name (from the gazetteers when a list knows the name, else the
spelling itself), every other spelling kept as an alias. Offsets become
digest offsets by adding the entry's start.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from techclaims.ingest.canonical import Canonical, clean
from techclaims.ingest.claims import (
    Mention,
    PaperContext,
    Statement,
    merge_claims,
    paper_qualifier,
    setup_of,
    size_qualifier,
    speedup_baseline_of,
    statements_of,
)
from techclaims.ingest.claims.vocabulary import one_named
from techclaims.ingest.nlp import vocabulary
from techclaims.ingest.nlp.combine import NER_KEY
from techclaims.ingest.nlp.extensions import doc_text
from techclaims.ingest.nlp.gazetteer import default_gazetteer
from techclaims.ingest.nlp.word_shape import has_digit, has_letter
from techclaims.ingest.topics import assign_topics
from techclaims.schema.iris import norm_key, paper_key
from techclaims.schema.records import (
    Claim,
    Digest,
    DigestFormat,
    Entity,
    EntityType,
    Entry,
    Paper,
)

ROLE_RANK = {"proposed": 0, "baseline": 1, "used": 2}

Resolver = Callable[[str, str], Canonical]  # (label, surface text) -> canonical


def as_is(label: str, text: str) -> Canonical:
    """The resolver of last resort: a name no list knows is its own canonical form."""
    return Canonical(name=text)


@dataclass
class _EntityBag:
    type: str
    canonical: Canonical
    spellings: set[str] = field(default_factory=set)
    role: str | None = None

    def add(self, spelling: str, role: str | None) -> None:
        self.spellings.add(spelling)
        if role and (self.role is None or ROLE_RANK[role] < ROLE_RANK[self.role]):
            self.role = role

    def record(self) -> Entity:
        name = self.canonical.name
        # type and role are spaCy's label strings: pydantic checks them against the schema
        return Entity.model_validate(
            {
                "type": self.type,
                "name": name,
                "aliases": tuple(sorted(self.spellings - {name})),
                "role": (self.role or "used") if self.type == "METHOD" else None,
                "family": self.canonical.family,
                "vendor": self.canonical.vendor,
                "parameters": self.canonical.parameters,
                "broader": self.canonical.broader,
            }
        )


def _clean_surface(ent: SpacySpan) -> str:
    return clean(ent.text)


@dataclass(frozen=True)
class Named:
    """A name found in a Doc: its label and surface, and the role of a method."""

    label: str
    surface: str
    start: int
    end: int
    role: str | None = None
    also: tuple[str, ...] = ()  # other spellings the text gives it there ("A800" in "A800 GPU")


_SIZE = r"\d+(?:\.\d+)?[BMK]"
_SIZE_ITEM = rf"(?:\*\*)?{_SIZE}(?:\*\*)?"
# "Llama-2 (7B/13B/70B)", "Qwen3（1.7B, 4B, 8B）"
_SIZES_IN_PARENS = re.compile(rf"\s*[（(]\s*(?P<list>{_SIZE}(?:\s*[/、,，]\s*{_SIZE})+)\s*[)）]")
_AND_HAN = vocabulary.alternation("list-conjunctions", "han")
_AND_LATIN = vocabulary.alternation("list-conjunctions", "latin")
# "LLaMA 3.1 系列：3B, 8B, 70B", "Qwen3 family: 4B / 8B"
_SIZES_AFTER_COLON = re.compile(
    rf"\s*(?:{vocabulary.alternation('model-series-words', 'han')}"
    rf"|(?i:{vocabulary.alternation('model-series-words', 'latin')}))?\s*[:：]\s*"
    rf"(?P<list>{_SIZE_ITEM}(?:\s*(?:[/、,，]|{_AND_HAN}|(?i:{_AND_LATIN}))\s*{_SIZE_ITEM})+)(?![A-Za-z0-9.])"
)
# "Qwen3-8B/32B", "Qwen2.5-7B/32B-Instruct": more sizes after a sized name, then its suffix
_MORE_SIZES = re.compile(
    rf"(?P<list>(?:/{_SIZE})+)(?P<suffix>-[A-Za-z][A-Za-z0-9]*)?(?![A-Za-z0-9./])"
)
_ENDS_WITH_SIZE = re.compile(rf"^(?P<family>.*?[A-Za-z].*?[-_ ]?)(?P<size>{_SIZE})$")


def size_variants(text: str, surface: str, end: int) -> list[str]:
    """The sized models a family or sized model name stands for when a list of sizes
    follows it (ANNOTATION.md: each variant is its own model); [] when none follows.

    >>> size_variants("Llama-2 (7B/13B/70B), x", "Llama-2", 7)
    ['Llama-2-7B', 'Llama-2-13B', 'Llama-2-70B']
    >>> size_variants("Qwen2.5-7B/32B-Instruct |", "Qwen2.5-7B", 10)
    ['Qwen2.5-7B-Instruct', 'Qwen2.5-32B-Instruct']
    """
    sized = _ENDS_WITH_SIZE.match(surface)
    if sized is not None:
        more = _MORE_SIZES.match(text, end)
        if more is None:
            return []
        suffix = more.group("suffix") or ""
        sizes = [sized.group("size"), *more.group("list").strip("/").split("/")]
        return [f"{sized.group('family')}{size}{suffix}" for size in sizes]
    if re.search(rf"(?:^|[-_ ]){_SIZE}$", surface):
        return []
    listed = _SIZES_IN_PARENS.match(text, end) or _SIZES_AFTER_COLON.match(text, end)
    if listed is None:
        return []
    sizes = re.findall(_SIZE, listed.group("list"))
    sep = "" if surface.endswith(("-", "_")) else "-"
    return [f"{surface}{sep}{size}" for size in sizes]


_VENDOR_BEFORE = re.compile(rf"(?:{vocabulary.alternation('hardware-vendors')})[ \t]+$")
_FORM_FACTOR = vocabulary.alternation("form-factors")
_FORM_AFTER = re.compile(rf"[ \t-](?:{_FORM_FACTOR})(?![A-Za-z0-9])")
# "A800 GPU", "Ascend 910B NPU": the kind of processor, written after a part number
_PROCESSOR_AFTER = re.compile(
    rf"[ \t-](?:{vocabulary.alternation('device-count-words', tags='processor')})(?![A-Za-z0-9])"
)


def hardware_extent(text: str, start: int, end: int, *, processor: bool = True) -> tuple[int, int]:
    """A hardware mention widened to the vendor before it and, after it, the form factor
    and the kind of processor (``NVIDIA A100-40GB PCIe``, ``A800 GPU``), as the text
    names the part: annotators write the part as the text does, and the canonical name
    drops the processor word. Memory in brackets after it (``A40 (48GB)``) is left out:
    the annotators of dev name the part without it, those of train with it."""
    vendor = _VENDOR_BEFORE.search(text, max(0, start - 12), start)
    if vendor is not None and text[start - len(vendor.group()) : start] == vendor.group():
        start -= len(vendor.group())
    form = _FORM_AFTER.match(text, end)
    if form is not None:
        end = form.end()
    if processor and any(c.isdigit() for c in text[start:end]):
        kind = _PROCESSOR_AFTER.match(text, end)
        if kind is not None:
            end = kind.end()
    return start, end


# words that go on naming a model after its family (Llama Nemotron Super V1)
_MODEL_TAIL = re.compile(
    rf"(?:[ \t-](?:{vocabulary.alternation('model-tail-words')}|V?\d+(?:\.\d+)?))+(?![A-Za-z0-9])"
)


def model_compound(text: str, first: SpacySpan, second: SpacySpan) -> int | None:
    """Where a model name made of two found names ends (``Llama`` + ``Nemotron``,
    ``AceReason`` + ``Nemotron``), with its tail words; None when they are two names.
    The first must be a bare name (no size), the second a model, one space between."""
    if second.label_ != "MODEL" or text[first.end_char : second.start_char] not in (" ", "\t"):
        return None
    head = first.text
    if has_digit(head) or not head[:1].isupper() or " " in head:
        return None
    tail = _MODEL_TAIL.match(text, second.end_char)
    return tail.end() if tail else second.end_char


def names_of(doc: Doc, role_of: Callable[[SpacySpan], str | None]) -> list[Named]:
    """The METHOD / MODEL / HARDWARE mentions of a Doc, with the role of each method.

    A model name followed by a list of sizes (``Llama-2 (7B/13B/70B)``, ``Qwen3-8B/32B``)
    stands for each sized variant: one mention each, at the same place."""
    named: list[Named] = []
    text = doc_text(doc)
    ents = [e for e in doc.ents if e.label_ in ("METHOD", "MODEL", "HARDWARE")]
    skip: set[int] = set()
    for i, ent in enumerate(ents):
        if i in skip:
            continue
        surface = _clean_surface(ent)
        if ent.label_ == "HARDWARE":
            start, end = hardware_extent(text, ent.start_char, ent.end_char)
            if (start, end) != (ent.start_char, ent.end_char):
                # the part without the processor word and the bare mention are spellings too
                _, shorter = hardware_extent(text, ent.start_char, ent.end_char, processor=False)
                also = tuple(dict.fromkeys([" ".join(text[start:shorter].split()), surface]))
                named.append(
                    Named("HARDWARE", " ".join(text[start:end].split()), start, end, also=also)
                )
                continue
        if ent.label_ in ("MODEL", "METHOD") and i + 1 < len(ents):
            compound = model_compound(text, ent, ents[i + 1])
            if compound is not None:
                skip.add(i + 1)
                named.append(
                    Named(
                        "MODEL",
                        " ".join(text[ent.start_char : compound].split()),
                        ent.start_char,
                        compound,
                    )
                )
                continue
        if ent.label_ == "MODEL":
            variants = size_variants(text, surface, ent.end_char)
            if variants:
                named.extend(Named("MODEL", v, ent.start_char, ent.end_char) for v in variants)
                continue
        named.append(
            Named(
                ent.label_,
                surface,
                ent.start_char,
                ent.end_char,
                role_of(ent) if ent.label_ == "METHOD" else None,
            )
        )
    return [n for n in named if norm_key(n.surface)]


def abbreviates(short: str, long: str) -> bool:
    """Whether `short` reads as an acronym of `long` (Schwartz & Hearst, 2003): its
    letters and digits appear in order in `long`, the first one at the start of a word.

    >>> abbreviates("LLEP", "Least-Loaded Expert Parallelism"), abbreviates("TCA-BME", "Tensor-Core-Aware Bitmap Encoding")
    (True, True)
    >>> abbreviates("vLLM", "PagedAttention"), abbreviates("QAD", "QAT")
    (False, False)
    """
    chars = [c.lower() for c in short if c.isalnum()]
    if (
        not 2 <= len(chars) <= 12
        or len(long) <= len(short)
        or " " in short.strip()
        and len(short.split()) > 1
    ):
        return False
    if sum(c.isupper() for c in short) < 2:
        return False
    if not has_letter(long) or norm_key(long).startswith(norm_key(short)):
        return False  # SnapKV-Decoding is a variant, not a long form
    low = long.lower()
    i = len(low) - 1
    for n, c in enumerate(reversed(chars)):
        first = n == len(chars) - 1
        while i >= 0 and (low[i] != c or (first and i > 0 and low[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return False
        i -= 1
    return len(long.split()) >= 2 or "-" in long


_DEFINE_OPEN = re.compile(r"\s*(?:\*\*)?\s*[（(]\s*(?:\*\*)?\s*|\s*[,，]\s*")
_DEFINE_CLOSE = re.compile(r"\s*(?:\*\*)?\s*[)）,，;；]")


def acronym_links(doc: Doc) -> dict[tuple[str, str], str]:
    """Acronyms the entry defines beside their long form, both found as names of one
    type: ``Least-Loaded Expert Parallelism (LLEP)``, ``MPK（Mirage Persistent Kernel）``,
    ``(Quantization-Aware Distillation, QAD)``. ``{(label, norm_key(acronym)): long form}``."""
    text = doc_text(doc)
    names = [e for e in doc.ents if e.label_ in ("METHOD", "MODEL", "HARDWARE")]
    links: dict[tuple[str, str], str] = {}
    for first, second in zip(names, names[1:], strict=False):
        if first.label_ != second.label_ or not _DEFINE_OPEN.fullmatch(
            text, first.end_char, second.start_char
        ):
            continue
        if not _DEFINE_CLOSE.match(text, second.end_char):
            continue
        a, b = _clean_surface(first), _clean_surface(second)
        if abbreviates(b, a):
            links[(first.label_, norm_key(b))] = a
        elif abbreviates(a, b):
            links[(first.label_, norm_key(a))] = b
    return links


_ACTIVE_TAIL = re.compile(r"a\d+(?:\.\d+)?b")  # a mixture of experts' active parameters (-A3B)
_ENDS_SIZED = re.compile(r"\d(?:b|m)$")


def active_parameter_links(named: Iterable[Named]) -> dict[tuple[str, str], str]:
    """A sized model written once with and once without its active parameters
    (``Qwen3-30B`` beside ``Qwen3-30B-A3B``) is one model, the mixture of experts
    (no dense model has that name too): ``{("MODEL", norm_key(short)): long}``."""
    surfaces = {norm_key(n.surface): n.surface for n in named if n.label == "MODEL"}
    links: dict[tuple[str, str], str] = {}
    for short in surfaces:
        if not _ENDS_SIZED.search(short):
            continue
        longer = [
            s
            for k, s in surfaces.items()
            if k.startswith(short) and _ACTIVE_TAIL.fullmatch(k[len(short) :])
        ]
        if len(longer) == 1:
            links[("MODEL", short)] = longer[0]
    return links


_RELEASE_WORD = rf"(?:{vocabulary.alternation('model-release-tails').lower()})"
_RELEASE_TAIL = re.compile(rf"{_RELEASE_WORD}(?:v?\d+)?|\d{{4}}")


def release_variant_links(named: Iterable[Named], resolve: Resolver) -> dict[str, str]:
    """A sized model written once bare and once as its one instruction-tuned or released
    checkpoint (``Llama-3.1-8B`` beside ``Llama-3.1-8B-Instruct``, ``Qwen3-4B`` beside
    ``Qwen3-4B-Thinking-2507``; a checkpoint beside its dated release, ``Qwen3-4B-Instruct``
    beside ``Qwen3-4B-Instruct-2507``) is one model: the entry runs the checkpoint and writes it
    short again (ANNOTATION.md: a shortened reference back to one listed model is an
    alias). Not where two checkpoints of the size are named (``-Instruct`` and ``-Chat``):
    the short name says not which. ``{norm_key(short canonical name): long canonical name}``."""
    names = {
        norm_key(c.name): c.name
        for n in named
        if n.label == "MODEL"
        for c in (resolve(n.label, n.surface),)
    }
    links: dict[str, str] = {}
    # longest first: "Qwen3-4B-Instruct" joins "...-Instruct-2507" before "Qwen3-4B" looks
    for short in sorted(names, key=len, reverse=True):
        if not (_ENDS_SIZED.search(short) or re.search(rf"\d[bm]{_RELEASE_WORD}$", short)):
            continue
        longer = [
            name
            for key, name in names.items()
            if key not in links
            and key.startswith(short)
            and _RELEASE_TAIL.fullmatch(key[len(short) :])
        ]
        if len(longer) == 1:
            links[short] = longer[0]
    return links


def joining(resolve: Resolver, links: dict[str, str], named: Iterable[Named]) -> Resolver:
    """`resolve`, with a model whose canonical key `links` holds resolved as the name it
    links to. Like `linking`'s acronyms, the short spellings (of `named`) join the entity
    but are not kept as its labels: another paper may run the bare model itself, and one
    node per real thing must not share a label with another (test_records)."""
    if not links:
        return resolve

    def joined(label: str, text: str) -> Canonical:
        canonical = resolve(label, text)
        if label != "MODEL":
            return canonical
        target = links.get(norm_key(canonical.name))
        return resolve(label, target) if target is not None else canonical

    short = {
        ("MODEL", norm_key(n.surface))
        for n in named
        if n.label == "MODEL" and norm_key(resolve(n.label, n.surface).name) in links
    }
    joined.redirected = getattr(resolve, "redirected", frozenset()) | short  # type: ignore[attr-defined]
    return joined


def linking(resolve: Resolver, links: dict[tuple[str, str], str]) -> Resolver:
    """`resolve`, with a defined acronym resolved as its long form (or the long form as the
    acronym, where only the acronym is a name the gazetteer knows)."""
    if not links:
        return resolve
    known = default_gazetteer()
    targets: dict[tuple[str, str], str] = {}
    for (label, acro_key), long in links.items():
        entry = known.lookup(acro_key)
        if entry is not None and known.lookup(long) is None:
            targets[(label, norm_key(long))] = entry.name
        else:
            targets[(label, acro_key)] = long

    def resolved(label: str, text: str) -> Canonical:
        return resolve(label, targets.get((label, norm_key(text)), text))

    resolved.redirected = frozenset(targets)  # type: ignore[attr-defined]
    return resolved


_SIZED_KEY = re.compile(r"\d(?:b|m|k)(?:$|[a-z])|\dx\d")  # a size in a norm_key: 8b, 350m, 8x7b


_SAME_PART = re.compile(rf"(?i)[ -]?(?:\d+\s?GB|{_FORM_FACTOR})(?:[ -](?:{_FORM_FACTOR}))?")


def without_bare_families(
    named: list[list[Named]], resolve: Resolver, heading: str
) -> list[list[Named]]:
    """The mentions less a bare model family the paper also names sized or versioned
    variants of (``DeepSeek/Kimi`` after ``DeepSeek-V3``, ``Kimi-K2``; ``Llama`` beside
    ``Llama-3.2-1B``): the family then refers back to its variants. A family the heading
    or title names (the paper is about it) stays. Likewise a hardware part the paper
    also names more precisely (``A100`` beside ``NVIDIA A100 40GB``)."""
    keys = {
        norm_key(resolve(n.label, n.surface).name)
        for names in named
        for n in names
        if n.label == "MODEL"
    }
    about = norm_key(heading)
    bare = {
        ("MODEL", k)
        for k in keys
        if k
        and k not in about
        and not _SIZED_KEY.search(k)
        and any(o != k and o.startswith(k) for o in keys)
    }
    # hardware: a part the paper also names more precisely (A100 beside NVIDIA A100 40GB)
    bare |= {
        ("HARDWARE", k)
        for names in named
        for n in names
        if n.label == "HARDWARE"
        for k in _same_part_broader(n.surface, resolve)
    }
    if not bare:
        return named
    return [
        [n for n in names if (n.label, norm_key(resolve(n.label, n.surface).name)) not in bare]
        for names in named
    ]


#: a gain stated on a line: "7.83倍", "1.2x", "18.12%"
_GAIN = re.compile(r"\d\s*(?:[xX×倍%]|times)")


def referred_back(
    texts: list[str],
    every: list[list[Named]],
    kept: list[list[Named]],
    entities: tuple[Entity, ...],
    resolve: Resolver,
) -> list[list[Mention]]:
    """For each entry, the bare names `without_bare_families` dropped, as mentions of the one
    precise name they refer back to (ANNOTATION.md: a shortened reference back to one listed
    model is that model), so a claim whose clause or lead-in names the bare one was measured
    on the precise one:
    - a hardware part wherever the text writes it ("A100" for the entry's NVIDIA A100 80GB,
      "H100" for H100-SXM5-80GB);
    - a versioned model family ("GLM-4.7" for GLM-4.7-FP8, "Qwen3.5" for Qwen3.5-397B) only
      on a line that states a gain: in a heading or a lead-in a family mostly names the family.
    None where the entry names two precise names it could mean (A100 40GB and A100 80GB;
    Llama-3-8B and Llama-3-70B): the bare one says not which (rule 4). The entities are
    unchanged: the bare spelling names no node of its own."""
    meant_by = _precise_names(entities, resolve)
    out: list[list[Mention]] = []
    for names, left, text in zip(every, kept, texts, strict=True):
        kept_ids = {id(n) for n in left}
        back = []
        for n in names:
            if id(n) in kept_ids or n.label not in ("HARDWARE", "MODEL"):
                continue
            if n.label == "MODEL" and not (
                has_digit(n.surface) and _GAIN.search(_line_around(text, n.start, n.end))
            ):
                continue
            meant = meant_by.get((n.label, norm_key(resolve(n.label, n.surface).name)), set())
            if len(meant) == 1:
                back.append(Mention(n.start, n.end, n.label, next(iter(meant)), None))
        out.append(back)
    return out


def with_versioned_families(
    every: list[list[Named]],
    kept: list[list[Named]],
    entities: tuple[Entity, ...],
    resolve: Resolver,
) -> tuple[Entity, ...]:
    """The entities with the model families with a version (``Qwen3``, ``Llama-3``,
    ``GPT-4o``) that `without_bare_families` dropped beside two or more of their sized or
    named variants put back (ANNOTATION.md: a family written alone is a MODEL beside the
    sized variants the entry also names). Beside one variant the family is a shortened
    reference back to it and stays dropped (its spelling is no label of the variant's node:
    another paper may name the family itself). Only the entity list changes: the claims go
    on reading such a mention as the one variant it refers back to (`referred_back`). A
    family without a version (``Llama``, ``Qwen``) stays dropped: it is mostly a generic
    word for the models."""
    kept_ids = {id(n) for names in kept for n in names}
    known = {norm_key(a) for e in entities for a in (e.name, *e.aliases)}
    meant_by = _precise_names(entities, resolve)
    dropped = [n for names in every for n in names if id(n) not in kept_ids and n.label == "MODEL"]
    own = [
        n
        for n in dropped
        for name in (resolve(n.label, n.surface).name,)
        if has_digit(name)
        and norm_key(name) not in known
        and len(meant_by.get(("MODEL", norm_key(name)), ())) != 1
    ]
    return tuple(
        sorted((*entities, *entities_of(own, resolve)), key=lambda e: (e.type, norm_key(e.name)))
    )


def _precise_names(
    entities: tuple[Entity, ...], resolve: Resolver
) -> dict[tuple[str, str], set[str]]:
    """The entities a bare name's key may mean: a model whose key it starts (the rule of
    `without_bare_families`), a hardware part it is the broader part of."""
    meant_by: dict[tuple[str, str], set[str]] = {}
    for entity in entities:
        if entity.type == "MODEL":
            key = norm_key(entity.name)
            for end in range(1, len(key)):
                meant_by.setdefault(("MODEL", key[:end]), set()).add(entity.name)
        elif entity.type == "HARDWARE":
            for broader in _same_part_broader(entity.name, resolve):
                meant_by.setdefault(("HARDWARE", broader), set()).add(entity.name)
    return meant_by


def _line_around(text: str, start: int, end: int) -> str:
    """The line of `text` that holds `text[start:end]`."""
    stop = text.find("\n", end)
    return text[text.rfind("\n", 0, start) + 1 : stop if stop >= 0 else len(text)]


def _same_part_broader(name: str, resolve: Resolver) -> set[str]:
    """The norm keys of the broader parts a hardware name is a memory size or form factor of
    (``A100`` for ``A100-80GB``), as `without_bare_families` reads them."""
    found: set[str] = set()
    canonical = resolve("HARDWARE", name)
    seen: set[str] = set()
    while canonical.broader and canonical.broader not in seen:
        seen.add(canonical.broader)
        rest = (
            canonical.name[len(canonical.broader) :]
            if canonical.name.startswith(canonical.broader)
            else ""
        )
        if _SAME_PART.fullmatch(rest):
            found.add(norm_key(canonical.broader))
        canonical = resolve("HARDWARE", canonical.broader)
    return found


def entities_of(named: Iterable[Named], resolve: Resolver) -> tuple[Entity, ...]:
    """One entity per canonical name across the paper's entries, spellings merged.

    The type is the one the knowledge base gives the name when it knows it (a model the
    NER called a method is a model)."""
    bags: dict[tuple[str, str], _EntityBag] = {}
    # a defined acronym joins its long form's entity but is not kept as its label: the same
    # acronym means other things in other papers (DS: Differential Smoothing, Deep Sets), and
    # another paper may name the method by the acronym alone: one node per real thing must not
    # share a label with another (test_records), so a paper's own coined acronym is no label either
    redirected: frozenset[tuple[str, str]] = getattr(resolve, "redirected", frozenset())
    for n in named:
        canonical = resolve(n.label, n.surface)
        kind = canonical.type or n.label
        key = (kind, norm_key(canonical.name))
        bag = bags.setdefault(key, _EntityBag(kind, canonical))
        role = n.role if kind == "METHOD" else None
        if (n.label, norm_key(n.surface)) in redirected:
            bag.add(canonical.name, role)
        else:
            bag.add(n.surface, role)
        for spelling in n.also:  # only a spelling of this node: "A100" in "A100 PCIe GPU" is not
            if norm_key(resolve(n.label, spelling).name) == key[1]:
                bag.add(spelling, role)
    return tuple(bag.record() for _, bag in sorted(bags.items()))


def to_paper(
    group: list[tuple[Entry, Doc]], resolve: Resolver, role_of: Callable[[SpacySpan], str | None]
) -> Paper:
    """One paper from the entries (and their Docs) that a digest gives for it."""
    first = group[0][0]
    links: dict[tuple[str, str], str] = {}
    for _, doc in group:
        links.update(acronym_links(doc))
    named = [names_of(doc, role_of) for _, doc in group]
    links.update(active_parameter_links(n for names in named for n in names))
    resolve = linking(resolve, links)
    flat = [n for names in named for n in names]
    resolve = joining(resolve, release_variant_links(flat, resolve), flat)
    every = named
    named = without_bare_families(named, resolve, f"{first.heading or ''} {first.title or ''}")
    entities = entities_of((n for names in named for n in names), resolve)
    referred = referred_back([doc_text(d) for _, d in group], every, named, entities, resolve)
    by_spelling = {
        (n.label, norm_key(n.surface)): resolve(n.label, n.surface)
        for names in named
        for n in names
    }
    roles = {e.name: e.role for e in entities if e.type == "METHOD"}

    def mention(n: Named) -> Mention:
        canonical = by_spelling[(n.label, norm_key(n.surface))]
        kind = canonical.type or n.label
        return Mention(
            n.start,
            n.end,
            kind,
            canonical.name,
            roles.get(canonical.name) if kind == "METHOD" else None,
        )

    context = PaperContext(
        method=main_method(group, entities, resolve),
        proposed=frozenset(e.name for e in entities if e.type == "METHOD" and e.role == "proposed"),
        baselines=frozenset(
            e.name for e in entities if e.type == "METHOD" and e.role == "baseline"
        ),
        qualifier=paper_qualifier(first.title, first.heading),
        size_qualifier=size_qualifier(first.title),
        models=frozenset(e.name for e in entities if e.type == "MODEL"),
    )
    statements: list[Statement] = []
    for (entry, doc), names, back in zip(group, named, referred, strict=True):
        mentions = sorted([*(mention(n) for n in names), *back], key=lambda m: (m.start, m.end))
        text = doc_text(doc)  # spaCy joins every token's text again on each `doc.text`
        setup = entry_setup(setup_of(text, mentions), entities)
        measured = speedup_baseline_of(text, mentions, context.proposed | {context.method or ""})
        statements.extend(
            statements_of(
                doc, entry, replace(context, setup=setup, speedup_baseline=measured), mentions
            )
        )
    claims = tuple(merge_claims(statements))
    entities = without_unvoted(group, named, entities, claims, resolve)
    entities = without_used_combinations(entities, claims)
    entities = without_reference_setups(entities, claims)
    entities = without_ner_models(group, named, entities, claims, resolve)
    entities = with_versioned_families(every, named, entities, resolve)
    text = "\n".join(entry.text for entry, _ in group)
    return Paper(
        key=paper_key(first.arxiv_id, first.title),
        title=first.title,
        heading=first.heading,
        arxiv_id=first.arxiv_id,
        url=first.url,
        authors=first.authors,
        category=first.category,
        published=first.published,
        notes=first.notes,
        spans=tuple(e.span for e, _ in group),
        entities=entities,
        claims=claims,
        topics=assign_topics(first.title, text),
    )


#: Which kinds the whole entry may give a claim when its sentence, lead-in and setup
#: section do not (ANNOTATION.md rule 3: an entry that names exactly one hardware or one
#: model holds it for every claim that does not say otherwise).
ENTRY_WIDE: tuple[str, ...] = ("MODEL", "HARDWARE")


def entry_setup(setup: dict[str, str], entities: tuple[Entity, ...]) -> dict[str, str]:
    """The setup a claim falls back on: the setup section's one model / hardware, else the
    entry's only one of that kind."""
    setup = dict(setup)
    for kind in ENTRY_WIDE:
        names = {e.name for e in entities if e.type == kind}
        if kind not in setup and (one := one_named(kind, sorted(names))):
            setup[kind] = one
    return setup


def main_method(
    group: list[tuple[Entry, Doc]], entities: tuple[Entity, ...], resolve: Resolver
) -> str | None:
    """The paper's own method: the proposed method its heading or title names, else the one mentioned most."""
    proposed = [e for e in entities if e.type == "METHOD" and e.role == "proposed"]
    if not proposed:
        return None
    names = {norm_key(e.name): e.name for e in proposed}
    for _, doc in group:
        for name in doc._.proposed_methods or ():
            resolved = norm_key(resolve("METHOD", clean(name)).name)
            if resolved in names:
                return names[resolved]
    counts = {e.name: 0 for e in proposed}
    for _, doc in group:
        for ent in doc.ents:
            if ent.label_ == "METHOD":
                name = resolve("METHOD", _clean_surface(ent)).name
                if name in counts:
                    counts[name] += 1
    return max(proposed, key=lambda e: (counts[e.name], -len(e.name))).name


#: The roles the merge keeps a rule's method for without the ner's vote (NerMerge.keep_roles).
_ROLES_KEPT = ("proposed", "baseline")


def without_unvoted(
    group: list[tuple[Entry, Doc]],
    named: list[list[Named]],
    entities: tuple[Entity, ...],
    claims: Iterable[Claim],
    resolve: Resolver,
) -> tuple[Entity, ...]:
    """The entities less the methods that stood only on their role.

    The merge keeps a rule's proposed or compared method though the trained ner tagged
    none of its mentions: a claim may need it as its method or baseline, and that is
    decided later. Here, once the claims are made, such a method is dropped when no claim
    took it, the entry does not declare it (its heading, title or proposal cue) and the
    ner tagged it nowhere in the paper. On the held-out sixth of train that the ner never
    saw, 'proposed' methods met only in a proposal section and 'compared' ones met only in
    a list or a passing 'vs' are mostly components and examples the annotation leaves out
    (docs/evaluation.md, session 11). Without a ner (a rules-only pipeline) nothing is
    dropped: there is no vote to read.
    """
    if not any(NER_KEY in doc.spans for _, doc in group):
        return entities
    voted = _ner_votes(group, named, resolve, "METHOD")
    declared: set[str] = set()
    for _, doc in group:
        declared.update(
            norm_key(resolve("METHOD", clean(p)).name)
            for p in [*(doc._.proposed_methods or ()), *(doc._.declared_methods or ())]
        )
    heading = norm_key(f"{group[0][0].heading or ''} {group[0][0].title or ''}")
    taken = _claimed(claims)

    def stood_on_role(entity: Entity) -> bool:
        if entity.type != "METHOD" or entity.role not in _ROLES_KEPT or entity.name in taken:
            return False
        keys = _spellings(entity)
        return not (keys & (voted | declared)) and not any(
            len(k) > 1 and k in heading for k in keys
        )

    seen = _ner_seen(group, named, resolve)
    titled = _title_names(group[0][0])

    def unseen(entity: Entity) -> bool:
        if entity.type != "METHOD" or entity.name in taken or seen is None:
            return False
        keys = _spellings(entity)
        return not (keys & (seen | titled))

    gone = {e.name for e in entities if stood_on_role(e) or unseen(e)}
    if not any(
        e.type == "METHOD" and e.role == "proposed" and e.name not in gone for e in entities
    ):  # the paper's own method is the claims' subject: the last proposed ones stay
        gone -= {e.name for e in entities if e.role == "proposed" and not stood_on_role(e)}
    return tuple(e for e in entities if e.name not in gone)


#: A reference setup written as a name: "Vanilla GRPO", "Standard PPO", "Naive-all", "Basic-RAG".
_REFERENCE_SETUP = re.compile(
    rf"(?i:{vocabulary.alternation('reference-setup-words')})[ \t-]+[A-Za-z0-9]"
)


def without_reference_setups(
    entities: tuple[Entity, ...], claims: Iterable[Claim]
) -> tuple[Entity, ...]:
    """The entities less the methods named as a reference setup of another ("Vanilla GRPO",
    "Standard PPO", "Naive-all"; `vocabulary/reference-setup-words.txt`): ANNOTATION.md
    counts reference setups as no METHOD. The paper's own (proposed) ones and a claim's
    name stay (the claims were read before; dropping them in the entity filter moved dev's
    claim baselines). On train 3 gold of 16 such names."""
    taken = _claimed(claims)
    return tuple(
        e
        for e in entities
        if not (
            e.type == "METHOD"
            and e.role != "proposed"
            and e.name not in taken
            and _REFERENCE_SETUP.match(e.name)
        )
    )


#: How often a method must be written for the ner's MODEL tags on it to outvote the rules.
_MODEL_TAGGED_MENTIONS = 4


def without_ner_models(
    group: list[tuple[Entry, Doc]],
    named: list[list[Named]],
    entities: tuple[Entity, ...],
    claims: Iterable[Claim],
    resolve: Resolver,
) -> tuple[Entity, ...]:
    """The entities less the methods written 4+ times that the trained ner tags, wherever
    it tags their text, as a MODEL and never as a METHOD (TimesNet, OpenVLA, MiniLM, a
    title's LimiX-2M): a coined name the rules call a method by its shape, the ner a
    model by the words around it ("模型", "a foundation model"). Not retyped: the ner's
    type alone did not carry to new papers as a MODEL (session 14); a claim's name stays.
    On train 0 gold of 22 such names by their text (held-out sixth 0 of 3; written fewer
    times, 2 of 21); as built, with a claim's names kept, 10 wrong fewer and none right lost."""
    if not any(NER_KEY in doc.spans for _, doc in group):
        return entities
    tags: dict[str, set[str]] = {}
    for _, doc in group:
        for span in _ner_spans(doc):
            tags.setdefault(norm_key(clean(span.text)), set()).add(span.label_)
    written: dict[str, int] = {}
    for names in named:
        for n in names:
            if n.label == "METHOD":
                key = norm_key(resolve(n.label, n.surface).name)
                written[key] = written.get(key, 0) + 1
    taken = _claimed(claims)

    def model_tagged(entity: Entity) -> bool:
        if entity.type != "METHOD" or entity.name in taken:
            return False
        keys = _spellings(entity)
        labels = set().union(*(tags.get(k, set()) for k in keys))
        return labels == {"MODEL"} and written.get(norm_key(entity.name), 0) >= (
            _MODEL_TAGGED_MENTIONS
        )

    return tuple(e for e in entities if not model_tagged(e))


#: Two names joined by a plus or an ampersand: ``GRPO+EM``, ``DCBS&MPDT``, ``Muon+Magma``
#: (a trailing plus, ``SALT+``, ``Heimdall++``, is a version mark, not a join).
_COMBINATION = re.compile(r"[A-Za-z0-9)][ \t]?[+&][ \t]?[A-Za-z0-9(]")


def without_used_combinations(
    entities: tuple[Entity, ...], claims: Iterable[Claim]
) -> tuple[Entity, ...]:
    """The entities less the methods that join two names with ``+`` or ``&`` and that the
    entry only uses: a setup the entry runs (a table row ``PPO+EM``, ``SFT+OPD``, a stack
    ``veRL+EPLB``), not a named technique of the annotation; one the paper proposes or
    compares against (``TD3+BC``, ``FSDP+EP``), or a claim takes, stays. On train such
    used joins were 3 gold of 32 (the held-out sixth the ner never saw: 0 of 8)."""
    taken = _claimed(claims)
    return tuple(
        e
        for e in entities
        if not (
            e.type == "METHOD"
            and e.role == "used"
            and e.name not in taken
            and _COMBINATION.search(e.name)
        )
    )


def _ner_seen(
    group: list[tuple[Entry, Doc]], named: list[list[Named]], resolve: Resolver
) -> set[str] | None:
    """Every name the trained ner tagged in the paper, of any type, by its text or by a
    mention it covers; None where it tagged nothing at all (an entry it could not read
    says nothing about any one name).

    A rule's METHOD that the ner tagged nowhere, not even as a model or a device, is no
    method of the annotation's far more often than it is one, whichever rule found it and
    whatever the heading or a proposal cue says: on train 13 gold against 83 not (data
    sets and benchmarks a paper builds, measures, sub-steps, heading acronyms met inside
    other words: "RES" in "Research")."""
    spans = [s for _, doc in group for s in _ner_spans(doc)]
    if not spans:
        return None
    return {norm_key(clean(s.text)) for s in spans} | _ner_votes(group, named, resolve)


def _ner_votes(
    group: list[tuple[Entry, Doc]],
    named: list[list[Named]],
    resolve: Resolver,
    label: str | None = None,
) -> set[str]:
    """The methods the trained ner voted for (with spans of `label`, or of any type): each
    span's text as the method it resolves to, and each rule METHOD mention a span covers."""
    votes: set[str] = set()
    for (_, doc), names in zip(group, named, strict=True):
        ner = [s for s in _ner_spans(doc) if label is None or s.label_ == label]
        votes.update(norm_key(resolve("METHOD", clean(s.text)).name) for s in ner)
        votes.update(
            norm_key(resolve(n.label, n.surface).name)
            for n in names
            if n.label == "METHOD"
            and any(s.start_char < n.end and n.start < s.end_char for s in ner)
        )
    return votes


def _claimed(claims: Iterable[Claim]) -> set[str]:
    """The methods and baselines the claims name: a name a claim takes is kept whatever a
    filter after the claims says of it."""
    return {name for claim in claims for name in (claim.method, claim.baseline) if name}


def _spellings(entity: Entity) -> set[str]:
    """An entity's name and aliases, normalised."""
    return {norm_key(entity.name), *(norm_key(a) for a in entity.aliases)}


def _ner_spans(doc: Doc) -> list[SpacySpan]:
    """The trained ner's own spans of a doc (none where it did not run)."""
    return list(doc.spans[NER_KEY]) if NER_KEY in doc.spans else []


def _title_names(entry: Entry) -> set[str]:
    """The heading and the title, whole and before a colon: a name standing there is
    the paper's own, whatever the ner says of it."""
    return {
        norm_key(part)
        for line in (entry.heading or "", entry.title or "")
        for part in (line, re.split(r"[:：]", line)[0])
        if part.strip()
    }


def group_by_paper(pairs: Iterable[tuple[Entry, Doc]]) -> list[list[tuple[Entry, Doc]]]:
    """Entries of the same paper together, in the order the paper first appears."""
    groups: dict[str, list[tuple[Entry, Doc]]] = {}
    for entry, doc in pairs:
        groups.setdefault(paper_key(entry.arxiv_id, entry.title), []).append((entry, doc))
    return list(groups.values())


def to_digest(
    source: str,
    fmt: DigestFormat,
    sha256: str,
    repaired: bool,
    title: str | None,
    pairs: Iterable[tuple[Entry, Doc]],
    resolve: Resolver = as_is,
    role_of: Callable[[SpacySpan], str | None] = lambda ent: None,
) -> Digest:
    papers = unify_types(
        tuple(to_paper(group, resolve, role_of) for group in group_by_paper(pairs))
    )
    return Digest(
        source=source, format=fmt, sha256=sha256, repaired=repaired, title=title, papers=papers
    )


def unify_types(papers: tuple[Paper, ...]) -> tuple[Paper, ...]:
    """One type per name across a digest's papers: a name the NER calls a method in one entry and a model
    in another takes the type of the paper that proposes it, else the most frequent (a method on a tie).
    A claim loses a model or hardware that is no longer one; a variant loses a broader node whose name
    is a thing of another type (SWE-32B is not a variant of the method SWE)."""
    seen: dict[str, dict[EntityType, int]] = {}
    for paper in papers:
        for e in paper.entities:
            votes = seen.setdefault(norm_key(e.name), {})
            votes[e.type] = votes.get(e.type, 0) + (100 if e.role == "proposed" else 1)
    chosen = {
        key: max(votes, key=lambda t: (votes[t], t == "METHOD"))
        for key, votes in seen.items()
        if len(votes) > 1
    }
    clashing = {
        key
        for key in (norm_key(e.broader) for p in papers for e in p.entities if e.broader)
        if key in seen
    }
    if not chosen and not clashing:
        return papers
    out = []
    for paper in papers:
        entities: dict[tuple[str, str], Entity] = {}
        for e in paper.entities:
            kind = chosen.get(norm_key(e.name), e.type)
            if kind != e.type:
                e = Entity(
                    type=kind,
                    name=e.name,
                    aliases=e.aliases,
                    role="used" if kind == "METHOD" else None,
                )
            if (
                e.broader
                and norm_key(e.broader) in seen
                and e.type not in seen[norm_key(e.broader)]
            ):
                e = e.model_copy(update={"broader": None})
            entities.setdefault((kind, norm_key(e.name)), e)
        claims = tuple(
            c.model_copy(
                update={
                    "model": c.model
                    if chosen.get(norm_key(c.model or ""), "MODEL") == "MODEL"
                    else None,
                    "hardware": c.hardware
                    if chosen.get(norm_key(c.hardware or ""), "HARDWARE") == "HARDWARE"
                    else None,
                }
            )
            for c in paper.claims
        )
        out.append(
            paper.model_copy(update={"entities": tuple(entities.values()), "claims": claims})
        )
    return tuple(out)
