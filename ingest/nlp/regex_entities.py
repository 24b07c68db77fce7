"""Regular-expression entities and the final entity filter.

``techclaims_regex_entities`` finds

- model and hardware names built from a family name, a version and a size or
  variant (``families.jsonl``: ``Qwen3-14B-Instruct``, ``Llama-3.2-3B``,
  ``H100 SXM5``, ``RTX 4070 Ti``), names no list can hold all of;
- speed-ups (``speedups.jsonl``: ``6.2x``, ``1.3x~1.6x``, ``up to 3.5×``,
  ``2.2倍``, ``提升24%``, ``40% lower``);
- regular names such as ``W4A8KV4`` (``regex_names.jsonl``).

Matches run on `doc.text`, so they do not depend on how the tokenizer cut it;
a match that overlaps markup is dropped, and a longer match replaces a shorter
entity it overlaps (ties keep the entity already there).

``techclaims_entity_filter`` runs last: it drops entities made of markup or of
generic words (``not_entities.jsonl``), speed-up look-alikes that count devices
(``8× H100``), number formats that are only mentioned in passing, and sets each
entity's `ent_id_` to its gazetteer id.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from techclaims.ingest.digest.entry import names_the_paper

from . import vocabulary
from .acronyms import measure_names
from .datalists import JsonlDataMixin
from .extensions import doc_heading_title, doc_text, overlaps_markup, register_extensions
from .gazetteer import GazetteerError, normalize_name, shared_gazetteer
from .regex_guard import guarded_if_blind
from .word_shape import GEFORCE_NUMBER, HAN_CHARS, has_letter, starts_capital_or_digit

__all__ = [
    "RegexEntities",
    "EntityFilter",
    "compile_family",
    "compile_patterns",
    "merge_entities",
    "set_entities",
    "char_span",
]

register_extensions()

#: a GeForce card written by its number alone ("8x 3090", "NVIDIA 5090"): the one name of a
#: device without a letter that families.jsonl (geforce-number) finds, and only in context
_CARD_NUMBER = re.compile(GEFORCE_NUMBER)


def _is_card_number(text: str, label: str) -> bool:
    """A hardware name that is a GeForce card's number: kept though it has no letter."""
    return label == "HARDWARE" and _CARD_NUMBER.fullmatch(text) is not None


_LEFT = r"(?<![A-Za-z0-9])"
_RIGHT = r"(?![A-Za-z0-9]|\.[A-Za-z0-9])"
_MACRO = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")


#: the rest of a bracket, to its closing bracket on the same line (`EntityFilter._examples`)
_TO_CLOSING = re.compile(r"[^\n)）]*[)）]")


@dataclass(frozen=True)
class _Pattern:
    id: str
    label: str
    regex: re.Pattern[str]
    group: str | int = 0
    require: tuple[str, ...] = ()
    kind: str | None = None
    trigger: re.Pattern[str] | None = None  # run `regex` only near matches of this
    window: tuple[int, int] = (0, 0)  # characters before / after a trigger to search
    names: str | None = None  # a family's name alternatives (families only)


def char_span(doc: Doc, start: int, end: int, label: str, span_id: str = "") -> Span | None:
    """The span for characters `[start, end)`, widened to token boundaries if need be."""
    span = doc.char_span(start, end, label=label, span_id=span_id)
    if span is None:
        span = doc.char_span(start, end, label=label, span_id=span_id, alignment_mode="expand")
    return span


def set_entities(doc: Doc, spans: list[Span]) -> None:
    """`doc.ents = spans`, and clear a stale `ent_id` where a span has none (spaCy
    keeps the old token-level id otherwise)."""
    doc.ents = spans
    for span in spans:
        if not span.id:
            for token in span:
                token.ent_id = 0


def merge_entities(doc: Doc, spans: list[Span]) -> None:
    """Add `spans` to `doc.ents`: longest first, ties keep the entities already there."""
    if spans:
        set_entities(doc, filter_spans(list(doc.ents) + spans))


def compile_family(row: dict[str, Any], defaults: dict[str, Any]) -> _Pattern:
    """A regex for one family row: ``names`` + ``versions`` + ``variants`` + ``sizes``
    + ``suffixes``; `require` lists groups one of which must have matched."""
    where = f"families.jsonl id={row.get('id')!r}"
    if "pattern" in row:
        raw = row["pattern"]
        regex = rf"{_LEFT}(?:{raw}){_RIGHT}"
    else:
        model = row.get("label") == "MODEL"

        def part(key: str) -> str | None:
            value = row.get(key)
            if value is None and model:
                value = defaults.get(key)
            extra = row.get(f"{key}_extra")
            if extra:
                value = f"{extra}|{value}" if value else extra
            return value

        sep = row.get("sep", r"[-_ ]?")
        names = row["names"]
        names = names if row.get("case_sensitive") else f"(?i:{names})"
        regex = rf"{_LEFT}(?P<name>{names})"
        if part("versions"):
            regex += rf"(?:{sep}(?P<version>(?i:{part('versions')})))?"
        if part("variants"):
            regex += rf"(?:{sep}(?P<variant>(?i:{part('variants')})))*"
            if part("versions"):  # Nemotron Nano V2: a version after the variant
                regex += rf"(?:{sep}(?P<late>(?i:{part('versions')})))?"
        if part("sizes"):
            regex += rf"(?:{sep}(?P<size>(?i:{part('sizes')})))?"
        if part("suffixes"):
            regex += rf"(?:[-_](?P<suffix>(?i:{part('suffixes')})))*"
        if row.get("plural"):
            regex += r"s?"
        regex += _RIGHT
    try:
        compiled = re.compile(regex)
    except re.error as err:
        raise GazetteerError(f"{where}: bad regex: {err}") from err
    require = tuple(row.get("require", ("version", "size") if "pattern" not in row else ()))
    if "version" in require and "(?P<late>" in regex:
        require += ("late",)
    names = None
    if "pattern" not in row:
        names = row["names"] if row.get("case_sensitive") else f"(?i:{row['names']})"
    return _Pattern(row["id"], row["label"], compiled, 0, require, row.get("kind"), names=names)


def compile_patterns(rows: list[dict[str, Any]]) -> list[_Pattern]:
    """Compile pattern rows; ``{"macro": NAME, "pattern": ...}`` rows define ``{NAME}``.
    ``{HAN}`` is predefined: the Han range of `word_shape.HAN_CHARS`, for a character class."""
    macros: dict[str, str] = {"HAN": HAN_CHARS}

    def expand(text: str, depth: int = 0) -> str:
        if depth > 10:
            raise GazetteerError(f"macro expansion too deep in {text[:60]!r}")
        return _MACRO.sub(
            lambda m: expand(macros[m.group(1)], depth + 1) if m.group(1) in macros else m.group(0),
            text,
        )

    out: list[_Pattern] = []
    for row in rows:
        if "macro" in row:
            macros[row["macro"]] = row["pattern"]
            continue
        flags = re.IGNORECASE if "i" in row.get("flags", "") else 0
        body = expand(row["pattern"])
        if "(?P<" not in body:
            body = rf"{_LEFT}(?:{body}){_RIGHT}"
        try:
            regex = re.compile(body, flags)
            trigger = re.compile(expand(row["trigger"]), flags) if row.get("trigger") else None
        except re.error as err:
            raise GazetteerError(f"pattern {row.get('id')!r}: bad regex: {err}") from err
        window = tuple(row.get("window", (80, 40)))
        group = row.get("group", 0)
        out.append(
            _Pattern(row["id"], row["label"], regex, group, (), row.get("kind"), trigger, window)
        )
    return out


def _windows(pattern: _Pattern, text: str) -> list[tuple[int, int]]:
    """Merged character windows around the trigger's matches (the whole text without one)."""
    if pattern.trigger is None:
        return [(0, len(text))]
    before, after = pattern.window
    windows: list[tuple[int, int]] = []
    for match in pattern.trigger.finditer(text):
        start, end = max(0, match.start() - before), min(len(text), match.end() + after)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], end))
        else:
            windows.append((start, end))
    return windows


# a hyphenated continuation after a model family match ("Nemotron-Pretraining-Dataset")
_CONTINUATION = re.compile(r"(?:-[A-Za-z][A-Za-z0-9.]*(?<!\.))+(?![A-Za-z0-9])")
_NOT_MODEL_PARTS = vocabulary.words("not-model-parts")


class RegexEntities(JsonlDataMixin):
    """Component ``techclaims_regex_entities``; see the module docstring."""

    DEFAULTS = {
        "families": ("families.jsonl",),
        "patterns": ("speedups.jsonl", "regex_names.jsonl"),
    }

    def __init__(self, nlp: Language, name: str = "techclaims_regex_entities"):
        self.name = name
        self._init_data()
        self._families: list[_Pattern] = []
        self._patterns: list[_Pattern] = []

    def initialize(
        self,
        get_examples: Any = None,
        *,
        nlp: Language | None = None,
        families: list[dict[str, Any]] | None = None,
        patterns: list[dict[str, Any]] | None = None,
    ) -> None:
        """`families`: family rows (``families.jsonl``); `patterns`: regex rows
        (``speedups.jsonl``, ``regex_names.jsonl``). Missing lists: the packaged files."""
        self._initialize_lists(families=families, patterns=patterns)

    def _compile(self) -> None:
        defaults: dict[str, Any] = {}
        families = []
        for row in self.data["families"]:
            if row.get("defaults"):
                defaults = row
            else:
                families.append(row)
        compiled = [compile_family(row, defaults) for row in families]
        # families are tried only where one of their names starts (one scan for all)
        self._families = [p for p in compiled if p.names is not None]
        # The scans below start with a lookbehind, so Python's engine entered them at every
        # character; guarded, a position fails at one class test unless a match can start
        # there (`regex_guard`; same matches): 2-3% of an ingest's CPU less.
        self._scanned = [
            replace(p, regex=guarded_if_blind(p.regex)) for p in compiled if p.names is None
        ]
        names = "|".join(f"(?:{p.names})" for p in self._families) or r"(?!)"
        self._family_trigger = guarded_if_blind(re.compile(rf"{_LEFT}(?:{names})"))
        self._patterns = [
            replace(p, regex=guarded_if_blind(p.regex))
            for p in compile_patterns(self.data["patterns"])
        ]

    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        """``(start, end, label, pattern id)`` of every match in `text`."""
        self._ensure()
        found: set[tuple[int, int, str, str]] = set()
        for pos in sorted({m.start() for m in self._family_trigger.finditer(text)}):
            for pattern in self._families:
                match = pattern.regex.match(text, pos)
                if match and (not pattern.require or any(match.group(g) for g in pattern.require)):
                    end = match.end()
                    if pattern.label == "MODEL":
                        more = _CONTINUATION.match(text, end)
                        if more:  # a longer compound: a data set, method or model variant
                            parts = {p.lower() for p in more.group().split("-") if p}
                            if parts & _NOT_MODEL_PARTS:
                                continue
                            if all(
                                starts_capital_or_digit(p) for p in more.group().split("-") if p
                            ):
                                end = more.end()
                    found.add((match.start(), end, pattern.label, pattern.id))
        for pattern in self._scanned:
            for match in pattern.regex.finditer(text):
                if not pattern.require or any(match.group(g) for g in pattern.require):
                    found.add((match.start(), match.end(), pattern.label, pattern.id))
        for pattern in self._patterns:
            for window_start, window_end in _windows(pattern, text):
                for match in pattern.regex.finditer(text, window_start, window_end):
                    start, end = match.span(pattern.group)
                    if start < end:
                        found.add((start, end, pattern.label, pattern.id))
        return sorted(found)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for start, end, label, _ in self.find(doc_text(doc)):
            if overlaps_markup(doc, start, end):
                continue
            span = char_span(doc, start, end, label)
            if span is not None and not span._.is_markup:
                spans.append(span)
        merge_entities(doc, spans)
        text = doc_text(doc)
        kept = []
        changed = False
        for ent in doc.ents:
            if ent.label_ == "MODEL" and _part_of_other_name(text, ent):
                changed = True
                continue
            if ent.label_ == "METHOD":
                version = _METHOD_VERSION.match(text, ent.end_char)
                if version:  # PaddleOCR-v5, vLLM v0.6
                    longer = char_span(doc, ent.start_char, version.end(), "METHOD")
                    if longer is not None and not any(
                        o.start < longer.end and longer.start < o.end and o != ent for o in doc.ents
                    ):
                        ent, changed = longer, True
            kept.append(ent)
        if changed:
            set_entities(doc, kept)
        return doc


# a model-style version joined to a method name (PaddleOCR-v5); not a release
# number after a space (DeepSpeed v0.16.2 is DeepSpeed)
_METHOD_VERSION = re.compile(r"-[vV]\d+(?![A-Za-z0-9.])")


def _part_of_other_name(text: str, ent: Span) -> bool:
    """A model name that begins a longer compound naming something else
    (``Nemotron-Pretraining-Dataset``, ``DeepSeekMath-RL``). A family name followed by a
    list of sizes (``Llama-2 (7B/13B/70B)``) stays: the records layer reads it as the
    sized variants (`ingest.papers.size_variants`)."""
    more = _CONTINUATION.match(text, ent.end_char)
    return bool(more and {p.lower() for p in more.group().split("-") if p} & _NOT_MODEL_PARTS)


# a format the entry studies as such, where its heading and title name none: "NF4 量化", "FP8 training"
_FORMAT_STUDIED = re.compile(
    rf"\s*(?:\*\*)?\s*(?:{vocabulary.alternation('format-study-words', 'han')}"
    rf"|(?i:{vocabulary.alternation('format-study-words', 'latin')})\b)"
)

# a format a speed-up is measured against: "相比BF16", "over BF16", "vs. FP16 training"
_FORMAT_COMPARED = re.compile(rf"{vocabulary.phrase('comparison-cues', 'format')}\s*(?:\*\*)?\s*$")

# a data set's name: "`Megatron-Math` 数据集", "the ShareGPT dataset"
_DATASET_AFTER = re.compile(rf"[`*'\"”’]*\s*{vocabulary.phrase('dataset-words')}")
# a microarchitecture, not a part: "XDNA2 架构", "the Hopper architecture"
_ARCHITECTURE_AFTER = re.compile(
    rf"\s*(?:{vocabulary.alternation('architecture-words', 'han')}"
    rf"|(?i:{vocabulary.alternation('architecture-words', 'latin')})\b)"
)
# a word joined to a name by a hyphen or an underscore: "-Math-17K", "-style", "-based", "_rank"
# after it, "Mini-", "hailo-" before it; an all-caps name or a version after the hyphen
# (GPTQ-NVFP4, EAGLE-3) is another name or the same name's version, not a longer word
_WORD_JOINED_AFTER = re.compile(r"[-_](?:[a-z]|[A-Z][a-z])")
_WORD_JOINED_BEFORE = re.compile(r"[a-z][-_]$")


def part_of_longer_word(text: str, start: int, end: int) -> bool:
    """Whether the method name at ``text[start:end]`` is only a piece of a longer hyphenated
    word: the tokenizer splits ``DAPO-Math-17K`` (a data set), ``PPO-based DRL`` (a
    description) and ``Mini-SGLang`` (another system), and the gazetteer then finds DAPO,
    PPO and SGLang there, where the entry names none of them. On train, of the METHOD names
    met only so, 19 were wrong and 1 right (``GRPO-style RL``)."""
    return bool(
        _WORD_JOINED_AFTER.match(text, end)
        or _WORD_JOINED_BEFORE.search(text[max(0, start - 2) : start])
    )


# a name cut off by a truncated abstract: "This paper presents KernelEv..."
_TRUNCATED_AFTER = re.compile(r"(?:\.\.\.|…)")
# a part's memory written by its size ends the name ("H100 80GB"); the memory's type after the
# size belongs to it too ("NVIDIA H100 80GB HBM3", "H100 80 GB HBM3"): the part's full name
_MEMORY_SIZE_END = re.compile(r"\d+\s?GB$", re.IGNORECASE)
_MEMORY_TYPE_AFTER = re.compile(r"\s?(?:HBM\d[eE]?|GDDR\d[XxWw]?|LPDDR\d[Xx]?)(?![A-Za-z0-9])")
# text no technique's name has: a setting ("FIXED_E=16", "RTT≈60ms"), an amount ("316k",
# "4 MiB", "12kW") or a cut-off escape ("LASER\\")
_NOT_A_METHOD = re.compile(
    r"[=≈<>]|\\$|^\d+(?:\.\d+)?\s?(?:[kKMBGT]|[KMG]iB|[KMGT][Bb]|[kM]?W|ms)?$"
)
# an ablation's removed part ("| -Depth |", "-Size, -Depth"): a dash opening a cell or item,
# not one inside a longer word that the tokens split ("$\\alpha$-PFN", whose row is a method's)
_ABLATED = re.compile(r"(?m)(?:^|(?<=[\s|,，、(（]))[-/]")
# an acronym defined beside its long form: "Weight Decay (WD)", "（Test-Time Adaptation, TTA）"
_DEFINED_ACRONYM = re.compile(
    r"([A-Za-z][A-Za-z0-9-]*(?:[ \t]+[A-Za-z][A-Za-z0-9-]*){0,7})[ \t]*(?:[（(]|[,，])[ \t]*"
    r"\**([A-Z][A-Za-z0-9]{1,7})\**[ \t]*[)）,，;；]"
)
_SECTION_HEADING = re.compile(r"(?m)^(\#{1,6})[ \t]+([^\n]+)")
_HEADING_LEVELS = 6
# a line that is only a bold label, maybe numbered or bulleted ("**业界存在哪些不足**",
# "**7. 潜在局限或不足：**", "- **传统方法的局限性**："): it opens a part of the section it
# sits in, one level below any heading, until the next such label or heading
_BOLD_LEAD = re.compile(
    r"(?m)^[ \t]*(?:[-*+][ \t]+|\d+[.)][ \t]+)?\*\*([^*\n]+)\*\*[ \t]*[:：]?[ \t]*$"
)


def _sections(text: str) -> list[tuple[int, int, str, str]]:
    """The headings and bold labels of an entry, in order: ``(start, level, line, words)``.
    A bold label is one level below the deepest heading, so the next heading closes it and
    the next label replaces it."""
    found = [
        (m.start(), len(m.group(1)), m.group(0), m.group(2))
        for m in _SECTION_HEADING.finditer(text)
    ]
    found += [
        (m.start(), _HEADING_LEVELS + 1, m.group(0), m.group(1)) for m in _BOLD_LEAD.finditer(text)
    ]
    return sorted(found)


_COUNT_AFTER = re.compile(rf"\s?(?:{vocabulary.alternation('device-count-words')})", re.IGNORECASE)


class EntityFilter(JsonlDataMixin):
    """Component ``techclaims_entity_filter``; see the module docstring.

    `formats`: ``"salient"`` keeps a number format (FP8, INT4, W4A8KV4) as METHOD
    only where the heading or title names it (what the paper targets), or, where they
    name no format, where the entry studies it as one (``NF4 量化``, ``FP8 training``),
    else where a speed-up is measured against it (``相比BF16``, ``over FP16``);
    ``"all"`` keeps every mention, ``"none"`` drops them all.
    """

    DEFAULTS = {
        "gazetteer": ("models.jsonl", "hardware.jsonl", "methods.jsonl"),
        "not_entities": ("not_entities.jsonl",),
        "format_patterns": ("regex_names.jsonl",),
        "cues": ("cues.jsonl",),
    }

    def __init__(
        self,
        nlp: Language,
        name: str = "techclaims_entity_filter",
        *,
        formats: str = "salient",
        drop_counts: bool = True,
    ):
        if formats not in ("salient", "all", "none"):
            raise ValueError(f"{name}: formats must be 'salient', 'all' or 'none', not {formats!r}")
        self.name = name
        self.formats = formats
        self.drop_counts = drop_counts
        self._init_data()

    def initialize(
        self,
        get_examples: Any = None,
        *,
        nlp: Language | None = None,
        gazetteer: list[dict[str, Any]] | None = None,
        not_entities: list[dict[str, Any]] | None = None,
        format_patterns: list[dict[str, Any]] | None = None,
        cues: list[dict[str, Any]] | None = None,
    ) -> None:
        """Gazetteer rows (for ids and formats), generic words to drop, regex rows
        whose ``kind`` is ``format``, and cue words (passing mentions). Missing lists:
        the packaged files."""
        self._initialize_lists(
            gazetteer=gazetteer,
            not_entities=not_entities,
            format_patterns=format_patterns,
            cues=cues,
        )

    def _compile(self) -> None:
        self.gazetteer = shared_gazetteer(self.data["gazetteer"])
        self._stop: dict[str, set[str]] = {}
        for row in self.data["not_entities"]:
            for label in row.get("labels", ["METHOD", "MODEL", "HARDWARE"]):
                self._stop.setdefault(label, set()).add(normalize_name(row["text"]))
        self._format_res = [
            p.regex for p in compile_patterns(self.data["format_patterns"]) if p.kind == "format"
        ]
        cues = vocabulary.cue_alternations(self.data["cues"])
        self._passing_section = re.compile(vocabulary.cue_alternation(cues, "section-passing"))
        self._passing_after = re.compile(vocabulary.cue_alternation(cues, "passing-after"))
        self._passing_example = re.compile(vocabulary.cue_alternation(cues, "passing-example"))
        self._head_measure = re.compile(vocabulary.cue_alternation(cues, "head-measure"))
        self._descriptor = re.compile(
            rf"-(?:{vocabulary.cue_alternation(cues, 'descriptor-tail')})$"
        )

    def is_stopword(self, text: str, label: str) -> bool:
        self._ensure()
        return normalize_name(text) in self._stop.get(label, ())

    def is_format(self, text: str) -> bool:
        self._ensure()
        entry = self.gazetteer.lookup(text)
        if entry is not None:
            return entry.kind == "format"
        return any(r.fullmatch(text) for r in self._format_res)

    def __call__(self, doc: Doc) -> Doc:
        self._ensure()
        ents = list(doc.ents)
        if not ents:
            return doc
        text = doc_text(doc)
        titles = doc_heading_title(doc, text)
        context = "\n".join(titles)
        method_counts: dict[str, int] = {}
        for ent in ents:
            if ent.label_ == "METHOD":
                key = normalize_name(ent.text)
                method_counts[key] = method_counts.get(key, 0) + 1
        passing = self._passing_names(text, ents, titles)
        # a measure the entry defines (POR, IPW, 压缩率（CR）) is no technique, whichever
        # component found it, unless the heading or title names it
        measures = measure_names(text, self._head_measure) - {
            normalize_name(w) for w in re.findall(r"[A-Za-z][A-Za-z0-9-]*", context)
        }
        proposed = {normalize_name(n) for n in doc._.proposed_methods or ()}
        # and acronyms of generic terms; not one the entry proposes whose generic long form
        # spells too few of its letters ("Adversarial Feedback for Attention (AFA)": the
        # generic "Attention" gives one letter of three)
        generic, loose = self._generic_acronyms(text)
        measures |= generic | (loose - proposed)
        targeted: set[str] | None = None
        kept = []
        for i, ent in enumerate(ents):
            label = ent.label_
            if ent._.is_markup or (
                self.is_stopword(ent.text, label)
                and not (label == "METHOD" and normalize_name(ent.text) in proposed)
            ):
                continue
            if label != "SPEEDUP" and (
                normalize_name(ent.text) in passing
                or not (has_letter(ent.text) or _is_card_number(ent.text, label))
            ):
                continue
            if label == "METHOD" and normalize_name(ent.text) in measures:
                continue
            if label in ("METHOD", "MODEL") and _DATASET_AFTER.match(text, ent.end_char):
                continue
            if label == "HARDWARE" and _ARCHITECTURE_AFTER.match(text, ent.end_char):
                continue
            if label != "SPEEDUP" and _TRUNCATED_AFTER.match(text, ent.end_char):
                continue
            if label == "METHOD" and (
                _NOT_A_METHOD.search(ent.text) or _ABLATED.match(text, ent.start_char)
            ):
                continue
            if (
                label == "METHOD"
                and part_of_longer_word(text, ent.start_char, ent.end_char)
                and normalize_name(ent.text) not in proposed
            ):
                continue  # DAPO in DAPO-Math-17K, PPO in PPO-based, SGLang in Mini-SGLang
            if (
                label != "SPEEDUP"
                and " " not in ent.text
                and self._descriptor.search(ent.text)
                and normalize_name(ent.text) not in proposed
            ):
                continue  # RL-Heavy, memory-bound: a description
            if label == "SPEEDUP":
                if self.drop_counts and self._is_count(
                    text, ent, ents[i + 1] if i + 1 < len(ents) else None
                ):
                    continue
                kept.append(ent)
                continue
            if label == "METHOD" and self.formats != "all" and self.is_format(ent.text):
                if targeted is None:
                    targeted = self._targeted_formats(ents, context, text)
                salient = normalize_name(ent.text) in targeted
                if self.formats == "none" or not salient:
                    continue
            if label == "HARDWARE":
                ent = _with_memory_type(doc, ent, text)
            if not ent.id_:
                entry = self.gazetteer.lookup(ent.text)
                if entry is not None and entry.label == label:
                    ent = Span(doc, ent.start, ent.end, label=label, span_id=entry.id)
            kept.append(ent)
        set_entities(doc, kept)
        return doc

    def _generic_acronyms(self, text: str) -> tuple[set[str], set[str]]:
        """Acronyms the entry defines for a generic term ("Weight Decay (WD)", "多目标优化
        （Multi-Objective Optimization, MOO）"): as generic as their long form, which the
        stop list drops. The long form is the run of words before the bracket whose first
        letters begin the acronym and appear in it in order (MDS: Multidimensional Scaling).
        Those whose long form gives fewer than all but one of the acronym's letters come
        second (loosely read: "Attention (AFA)")."""
        stop = self._stop.get("METHOD", set())
        found: set[str] = set()
        loose: set[str] = set()
        for match in _DEFINED_ACRONYM.finditer(text):
            words, acronym = match.group(1).split(), match.group(2)
            letters = acronym.lower().removesuffix("s") if acronym[-1] == "s" else acronym.lower()
            for k in range(len(words), 0, -1):
                initials = "".join(p[0] for w in words[-k:] for p in w.split("-") if p).lower()
                if initials[:1] == letters[:1] and _in_order(initials, letters):
                    if normalize_name(" ".join(words[-k:])) in stop:
                        keys = {normalize_name(acronym), normalize_name(letters)}
                        (found if len(initials) >= len(letters) - 1 else loose).update(keys)
                    break
        return found, loose - found

    def _targeted_formats(self, ents: list[Span], context: str, text: str) -> set[str]:
        """The number formats the paper targets: those its heading or title names, else
        those the entry studies as such (``NF4 量化``, ``FP8 training``), else those it
        compares with; and with them any low-bit format the entry keeps writing
        (`_frequent_low_bit`)."""
        formats = [e for e in ents if e.label_ == "METHOD" and self.is_format(e.text)]
        frequent = _frequent_low_bit(formats)
        named = {
            normalize_name(e.text)
            for e in formats
            if re.search(
                rf"(?<![A-Za-z0-9]){re.escape(e.text)}(?![A-Za-z0-9])", context, re.IGNORECASE
            )
        }
        if named:
            return named | frequent
        studied = {
            normalize_name(e.text) for e in formats if _FORMAT_STUDIED.match(text, e.end_char)
        }
        if studied:
            return studied | frequent
        return frequent | {
            normalize_name(e.text)
            for e in formats
            if _FORMAT_COMPARED.search(text, max(0, e.start_char - 16), e.start_char)
        }

    def _passing_names(self, text: str, ents: list[Span], titles: Sequence[str]) -> set[str]:
        """Names mentioned only in passing: every mention sits in a future-work,
        limitations or related-work section, or names authors (``Saad-Falcon et al.``).
        A heading that is the paper's title (`names_the_paper`) opens no such section,
        whatever its words ("Contemplate the Future"). A bold label alone on its line opens
        one too ("**业界存在哪些不足**", "**潜在局限或不足：**"): summaries written without
        sub-headings mark their parts so. On train, the names met only under such labels
        were 20 of 24 wrong METHODs (16 of 17 MODELs, 3 of 3 HARDWARE)."""
        starts, passing = [0], [False]
        stack: list[tuple[int, bool]] = []
        for start, level, line, words in _sections(text):
            if level <= _HEADING_LEVELS and names_the_paper(line, *titles):
                stack = []
                starts.append(start)
                passing.append(False)
                continue
            while stack and stack[-1][0] >= level:
                stack.pop()
            flag = bool(self._passing_section.search(words)) or (bool(stack) and stack[-1][1])
            stack.append((level, flag))
            starts.append(start)
            passing.append(flag)
        examples = self._examples(text)
        seen: dict[str, bool] = {}
        for ent in ents:
            if ent.label_ == "SPEEDUP":
                continue
            key = normalize_name(ent.text)
            here = (
                passing[bisect_right(starts, ent.start_char) - 1]
                or bool(self._passing_after.match(text, ent.end_char))
                or (
                    ent.label_ == "METHOD"
                    and any(a <= ent.start_char and ent.end_char <= b for a, b in examples)
                )
            )
            seen[key] = seen.get(key, True) and here
        return {key for key, only in seen.items() if only}

    def _examples(self, text: str) -> list[tuple[int, int]]:
        """The brackets that give examples ("现有方法（如 X、Y）", "(e.g., X)"), to their
        closing bracket on the same line: a name met only in them is one in passing
        (ANNOTATION.md). On train, 34 of the 255 METHOD names met only there were gold; a
        model or a device given as an example is more often the gold's (validation MODEL F1
        0.762 -> 0.747 and dev HARDWARE 0.968 -> 0.945 when they were dropped too)."""
        return [
            (match.end(), closed.end() - 1)
            for match in self._passing_example.finditer(text)
            if (closed := _TO_CLOSING.match(text, match.end())) is not None
        ]

    @staticmethod
    def _is_count(text: str, ent: Span, following: Span | None) -> bool:
        """``8× H100``, ``8x A100 GPUs``, ``4×GPU``: a number of devices, not a speed-up."""
        after = text[ent.end_char : ent.end_char + 12]
        if _COUNT_AFTER.match(after):
            return True
        return (
            following is not None
            and following.label_ in ("HARDWARE", "MODEL")
            and following.start_char - ent.end_char <= 1
            and ent.text.rstrip()[-1:] in ("x", "X", "×")
        )


#: How often an entry writes a low-bit format it works in (`_frequent_low_bit`).
_FREQUENT_FORMAT = 4


def _frequent_low_bit(formats: list[Span]) -> set[str]:
    """The low-bit formats (the narrowest width the name gives is 8 bits or fewer: INT8,
    FP4, NF4, MXFP4, W4A16, E4M3) mentioned at least `_FREQUENT_FORMAT` times: an entry
    that keeps writing one works in it, as the annotation's formats are ("a quantisation
    scheme, a kernel for that format"). On train the filter dropped such formats that were
    gold 29 times in 46 (held-out sixth 8 in 12); the 16-, 32- and 64-bit precisions an
    experiment runs in (BF16, FP32) so written were gold 7 times in 49 and stay dropped."""
    counts: dict[str, int] = {}
    for e in formats:
        widths = [int(n) for n in re.findall(r"\d+", e.text)]
        if widths and min(widths) <= 8:
            key = normalize_name(e.text)
            counts[key] = counts.get(key, 0) + 1
    return {key for key, n in counts.items() if n >= _FREQUENT_FORMAT}


def _with_memory_type(doc: Doc, ent: Span, text: str) -> Span:
    """A part named with its memory size, widened over the memory's type after it ("NVIDIA
    H100 80GB" of "NVIDIA H100 80GB HBM3"): the text's full name of the part is one of its
    spellings (canonical reads it as the part with that memory). Train claim hardware F1
    0.888 -> 0.895 (+10 right, 10 wrong fewer, 3 entries), HARDWARE 0.876 -> 0.879 (+3 right,
    3 wrong fewer); validation and dev unchanged."""
    if not _MEMORY_SIZE_END.search(ent.text):
        return ent
    after = _MEMORY_TYPE_AFTER.match(text, ent.end_char)
    if after is None:
        return ent
    wider = doc.char_span(ent.start_char, after.end(), label=ent.label_, span_id=ent.id_)
    return ent if wider is None else wider


def _in_order(letters: str, word: str) -> bool:
    """Whether `letters` occur in `word` in this order (not necessarily together)."""
    rest = iter(word)
    return all(letter in rest for letter in letters)


@Language.factory("techclaims_regex_entities", assigns=["doc.ents"], requires=["doc._.markup"])
def make_regex_entities(nlp: Language, name: str) -> RegexEntities:
    return RegexEntities(nlp, name)


@Language.factory(
    "techclaims_entity_filter",
    default_config={"formats": "salient", "drop_counts": True},
    assigns=["doc.ents"],
    requires=["doc.ents", "doc._.markup"],
)
def make_entity_filter(nlp: Language, name: str, formats: str, drop_counts: bool) -> EntityFilter:
    return EntityFilter(nlp, name, formats=formats, drop_counts=drop_counts)
