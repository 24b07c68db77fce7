"""Names no list holds: coined method and model names, found by where and how a
digest writes them.

``techclaims_coined_names`` reads an entry's layout and wording:

- **sections**: the entry's headings say what a part is about: what the paper
  proposes, its baselines, or data sets, metrics, problems and limitations (where
  a bullet head is not a method name). The section cues are data
  (``cues.jsonl``, kinds ``section-baseline``, ``section-skip``, ``section-propose``,
  tried in that order; a heading without a cue inherits its parent's kind);
- **bullet heads** (``- **Name**：...``, ``1. **中文（English Name）**``, ``- Name：...``),
  a baseline section's bullets that are names alone (``- Ring``, ``- DCRNN, STID``),
  and the **first column of tables** whose header names methods or models, or
  that sit in a baseline section, or the column headed by a method word alone
  (``| 类型 | 方法 |``);
- **glosses**: an English name in brackets after a Chinese term
  (``组内支架差异化（Intra-Group Scaffolding Differentiation）``);
- **acronyms defined by their long form** (``Straight-Through Estimator (STE)``):
  the form the entry uses again is kept (the acronym when it recurs);
- **comparisons** (相比 X、Y 和 Z / 优于 X / 与 X 相比 / over X / X vs. Y) and
  **enumerations** (如 X、Y 等 / such as X, Y) that already hold a known method
  or model, or sit in a baseline section;
- **kind words** after a name (``X框架``, ``X内核``, ``X kernel``);
- **variants** of a proposed name (``FooServe-Lite``, ``FooServe.Sched``), and a
  name after a proposing cue that is defined right away (``提出了kvtc，一种...``).

How strict a place is decides which shapes pass (`NameShapes`): a distinctive
word (``SparTA``, ``KVzip``, ``R2N1``, ``Flash-LLM``) passes almost anywhere; an
acronym (``TASD``) or a capitalised word (``Sputnik``) needs a stronger place;
a Title Case phrase (``Dual Reward Mechanism``) only a bullet head, gloss or
table of a proposal or baseline section, or a comparison when it holds an acronym or a
distinctive word (``相比 Torch SDPA``). Generic words (``not_entities.jsonl``),
data sets and benchmarks, and names a list knows as a model or hardware never
pass. A name found once is labelled at every mention in the entry (never over a
model, hardware or speed-up); names found in a proposal or baseline place are
recorded in `Doc._.method_hints` for the roles.

A word's shape is `word_shape`'s; the word lists of the places (connectors, numbered
parts, table headers, list conjunctions, comparison words, ...) are files of
``patterns/vocabulary`` (`vocabulary`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from techclaims.ingest.digest.entry import names_the_paper

from . import vocabulary
from .acronyms import acronym_definitions, measure_names
from .datalists import JsonlDataMixin
from .extensions import doc_heading_title, doc_text, overlaps_markup, register_extensions
from .gazetteer import WHOLE_NAME_KINDS, GazetteerEntry, normalize_name, shared_gazetteer
from .methods import name_pattern
from .regex_entities import char_span, merge_entities
from .regex_guard import guarded
from .word_shape import (
    HAN_CHARS,
    has_digit,
    has_lower,
    has_size,
    is_acronym,
    is_capitalised_part,
    is_distinctive,
    is_title_word,
)

__all__ = ["CoinedNames", "NameShapes", "latin_names", "section_kinds"]

register_extensions()

# a Latin run inside a segment: words joined by single spaces and name punctuation
_RUN = re.compile(r"(?:I/O|[A-Za-z0-9])(?:I/O|[A-Za-z0-9 .+#'_-])*(?:I/O|[A-Za-z0-9+#])|[A-Za-z]")
_PAREN = re.compile(r"\s*[（(]([^()（）\n]{1,80})[)）]")
_CONNECTORS = vocabulary.words("connectors")
# references to the paper's own parts and numbered things: "Stage 2", "Theorem 3.2", and
# after a space or hyphen "Phase II", "Stage One", "Appendix D.2", "Method B"
_NOT_A_NAME = re.compile(
    rf"(?i)^(?:{vocabulary.alternation('numbered-parts')})"
    r"(?:\.?\s*[-#]?\d+(?:\.\d+)*[a-z]?|[\s-]+(?:[ivx]{1,4}|one|two|three|four|five|[a-z](?:\.\d+)*))$"
)


_CALL = re.compile(r"\(\s*[a-z_$\\][\w$\\',\s]{0,12}\)")

# -- shapes of names ---------------------------------------------------------------


@dataclass(frozen=True)
class NameShapes:
    """Which shapes a place accepts: distinctive words always; `acronyms`, single
    `capitalised` words and Title Case `phrases` of up to `max_words` words if set."""

    acronyms: bool = False
    capitalised: bool = False
    phrases: bool = False
    max_words: int = 5
    min_acronym: int = 3

    def accepts(self, name: str) -> bool:
        words = name.split()
        if not words or len(words) > self.max_words:
            return False
        if len(words) == 1:
            word = words[0]
            if is_distinctive(word):
                return len(word) >= 3
            if is_acronym(word):
                return self.acronyms and len(word.rstrip("s")) >= self.min_acronym
            return self.capitalised and word[:1].isupper() and len(word) >= 3
        if not self.phrases:
            return False
        if words[0].lower() in _CONNECTORS or words[-1].lower() in _CONNECTORS:
            return False
        return all(is_title_word(w) or w.lower() in _CONNECTORS for w in words) and any(
            len(w) > 2 for w in words
        )


STRICT = NameShapes()
ACRONYMS = NameShapes(acronyms=True)
CAPITALISED = NameShapes(acronyms=True, capitalised=True, max_words=3, min_acronym=2)
PHRASES = NameShapes(acronyms=True, capitalised=False, phrases=True, min_acronym=2)
PHRASES_AND_WORDS = NameShapes(acronyms=True, capitalised=True, phrases=True, min_acronym=2)
#: a compared name of several words (`_compared_shapes`)
COMPARED_PHRASES = NameShapes(acronyms=True, phrases=True, max_words=3, min_acronym=2)


def latin_names(segment: str, *, glosses: bool = True) -> list[tuple[str, int]]:
    """Latin runs of `segment` as ``(name, offset)``: outside brackets first; the
    bracketed ones only when nothing stands outside (a gloss: ``中文（English）``).

    >>> latin_names("Tree Packing（树状打包）")
    [('Tree Packing', 0)]
    >>> latin_names("组内支架差异化（Intra-Group Scaffolding Differentiation）")
    [('Intra-Group Scaffolding Differentiation', 8)]
    """
    outside: list[tuple[str, int]] = []
    inside: list[tuple[str, int]] = []
    pos = 0
    for match in _PAREN.finditer(segment):
        outside += _runs(segment[pos : match.start()], pos)
        inside += _runs(match.group(1), match.start(1))
        pos = match.end()
    outside += _runs(segment[pos:], pos)
    return outside if outside or not glosses else inside


_NUMBERING = re.compile(r"^(?:\d{1,2}[.)]\s*)+")


def _runs(text: str, offset: int) -> list[tuple[str, int]]:
    out = []
    for match in _RUN.finditer(text):
        run = _NUMBERING.sub("", match.group()).strip(" .'-_")
        if run:
            out.append((run, offset + match.start() + match.group().index(run)))
    return out


# -- sections --------------------------------------------------------------------------

_HEADING = re.compile(
    r"(?m)^(?:(?P<hashes>\#{1,6})[ \t]+(?P<text>[^\n]+)|\*\*(?P<bold>[^*\n]{2,40})\*\*[ \t]*[:：]?[ \t]*$)"
)
_SECTION_KINDS = ("baseline", "skip", "propose")


def section_kinds(
    text: str, cues: dict[str, re.Pattern[str]], titles: Sequence[str] = ()
) -> tuple[list[int], list[str]]:
    """Start offsets and kinds (``baseline``/``skip``/``propose``/``""``) of the
    sections of `text`, for `bisect`. A heading that is the paper's title (`titles`:
    the entry's heading and title; `names_the_paper`) starts afresh with no kind:
    "Hardware-Aware ..." or "... Benchmark" in a title says nothing of the text below."""
    starts, kinds = [0], [""]
    stack: list[tuple[int, str]] = []
    for match in _HEADING.finditer(text):
        level = len(match.group("hashes")) if match.group("hashes") else 7
        title = match.group("text") or match.group("bold") or ""
        if names_the_paper(match.group(0), *titles) or (
            level <= 3 and re.match(r"\s*\d+\.\s*\[", title)
        ):
            stack = []  # the paper's own heading (an arXiv bot entry's, an AI summary's)
            starts.append(match.start())
            kinds.append("")
            continue
        while stack and stack[-1][0] >= level:
            stack.pop()
        kind = next((k for k in _SECTION_KINDS if k in cues and cues[k].search(title)), None)
        if kind is None:
            kind = stack[-1][1] if stack else ""
        stack.append((level, kind))
        starts.append(match.start())
        kinds.append(kind)
    return starts, kinds


# -- the component -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    name: str
    label: str  # METHOD or MODEL
    role: str  # proposed, baseline or ""
    over: bool = False  # may replace a shorter name of its label (a list-mate)
    declared: bool = False  # the layout declares it a part of the paper's method (below)


_AND_HAN = vocabulary.alternation("list-conjunctions", "han")
_AND_LATIN = vocabulary.alternation("list-conjunctions", "latin")
_LIST_SEP = rf"(?:\s*(?:、|,|，|/|{_AND_HAN}|&|\b(?:{_AND_LATIN})\b)\s*)"
_LIST_ITEM = r"(?:\*\*|`)?[A-Za-z0-9][A-Za-z0-9.+#'_-]*(?:[ ][A-Za-z0-9][A-Za-z0-9.+#'_-]*){0,3}(?:\*\*|`)?(?:\s*[（(][^()（）\n]{0,40}[)）])?"
_LIST = rf"(?P<list>{_LIST_ITEM}(?:{_LIST_SEP}{_LIST_ITEM}){{0,12}})"
_ITEM = re.compile(_LIST_ITEM)
# between list-mates: the list separators, and + between names (`AIE-MLIR + IRON`)
_MATE_SEP = (
    rf"(?:\s*(?:、|,|，|/|\+|{_AND_HAN}|&)\s*|\s+(?:{_AND_LATIN})\s+|\s*,\s*(?:{_AND_LATIN})\s+)"
)
_ITEM_END = re.compile(rf"(?P<list>{_LIST_ITEM})\s*$")
# A list that ends at a cue starts at the first place in the window it can: `_list_before`
# tries the window's first character with the list regex itself and later ones with it
# behind this, which skips the inside of a word. A list item starting inside a word (its
# first character a letter or digit after one) would also start one character earlier,
# so the first place a list starts is never inside a word unless it is the window's first
# character or the item opens with ** or `: the same match, found without trying the
# list at every character (`_list_before` 0.61 s -> 0.18 s for 3,629 cues).
_AT_WORD_START = r"(?:(?<![A-Za-z0-9])|(?=\*\*|`))"
_ITEM_END_AT_WORD = re.compile(_AT_WORD_START + _ITEM_END.pattern)
_BULLET = r"(?:[-*+•]|\d{1,2}[.)、]|[（(]\d{1,2}[)）]|[①-⑳]|[ⅰ-ⅻ]\.)"
_BULLET_HEAD = re.compile(
    rf"(?m)^[ \t]*(?:{_BULLET}[ \t]*)?(?:[^\w\s*\n（(]{{1,3}}[ \t]*)?\*\*(?P<bold>[^*\n]{{1,100}}?)\*\*"
    rf"(?:[ \t]*(?:[:：]|$)|(?<=[:：]\*\*))"
    rf"|^[ \t]*{_BULLET}[ \t]+(?P<plain>[A-Za-z][A-Za-z0-9 .+#_/-]{{0,60}}?(?:[ \t]*[（(][^()（）\n]{{1,40}}[)）])?)[ \t]*[:：]"
    rf"|^\#{{2,6}}[ \t]+(?:[^\w\s\n]{{1,3}}[ \t]*)?(?:\*\*)?(?P<heading>[A-Za-z][A-Za-z0-9 .+#_-]{{0,60}}?)(?:\*\*)?[ \t]*[:：]"
    rf"|^\#{{2,6}}[ \t]+[^\n]*?(?:——|—|--)[ \t]*(?P<dash>[A-Za-z][A-Za-z0-9 .+#_-]{{0,60}}?)[ \t]*$"
)
#: A bullet that is only a name or a list of names, a citation after it (``- Ring``,
#: ``- DCRNN, STGCN, STID``, ``- Exponential Topology [16]``); read in baseline sections.
#: Found on train: baseline names the recognizer never found were listed so under a
#: baseline heading, which the bullet-head rule (a name before a colon) does not read.
#: On train it adds 95 right and 47 wrong METHOD names; a list holding a known model is
#: left alone (without that test 19 right MODELs were typed METHOD). bench/eval.py
#: --direct (6ab628e + 62854ad + this), P/R/F1: METHOD train 0.631/0.681/0.655 ->
#: 0.631/0.691/0.660, validation 0.558/0.699/0.620 -> 0.559/0.708/0.625, dev 0.834 =;
#: claim baseline train 0.616 -> 0.618, validation 0.725 =, dev 0.797 =; MODEL train
#: 0.773 -> 0.774; claim model train 0.663 -> 0.662.
#: A sub-heading that leads with a name, after its numbering, emoji and bold marks
#: (``#### （1）**Hidden State Alignment**``, ``### 2. Prefix-Tree Caching (PTC)``); read
#: in proposal sections, where such a heading names a part of the paper's method.
#: Found on train false negatives (228 gold METHODs met only in headings): such leading
#: names are gold 169 times in 214 (tech heads 57 / 8, other phrases 84 / 28).
_SUBHEADING = re.compile(
    r"(?m)^\#{2,6}[ \t]+(?:[^\w\s]{1,3}[ \t]*)?(?:\*\*[ \t]*)?"
    r"(?:(?:[（(]\d{1,2}[)）]|\d{1,2}[.)、]|[①-⑳])[ \t]*(?:\*\*[ \t]*)?)?"
    r"(?P<lead>[A-Za-z][^\n]*)$"
)
_BARE_BULLET = re.compile(
    rf"(?m)^[ \t]*{_BULLET}[ \t]+{_LIST}(?:[ \t]*\[[0-9,\s–-]{{1,20}}\])?[ \t]*$"
)
_GLOSS = re.compile(
    rf"[{HAN_CHARS}](?:\*\*)?\s*[（(]\s*(?P<gloss>[A-Za-z][^()（）\n]{{1,80}}?)\s*[)）]"
)
# a bullet head with Chinese in or before brackets: what is in them glosses it
_GLOSSED = re.compile(rf"[（(][^)）]*[{HAN_CHARS}]|[{HAN_CHARS}][^（(]*[（(]")
_GLOSS_PARTS = re.compile(r"\s*[,，;；]\s*")
_TABLE_ROW = re.compile(r"(?m)^[ \t]*\|(?P<cells>.*)\|[ \t]*$")
_TABLE_RULE = re.compile(r"^[\s|:\-]+$")
_OURS = re.compile(
    rf"\s*[（(]\s*(?:{vocabulary.alternation('ours-marks')})[^()（）]*[)）]|\s*\bours\b", re.I
)
_METHOD_HEADERS = vocabulary.alternation("method-table-headers", tags="first-column")
_MODEL_HEADERS = vocabulary.alternation("model-table-headers")


class _FirstLabels:
    """The label of the first name found so far of each normalised form: what a scan of the
    found names gave, kept up to date as they grow (names are only ever added)."""

    def __init__(self, found: list[_Found]) -> None:
        self.found = found
        self.seen = 0
        self.first: dict[str, str] = {}

    def label(self, key: str) -> str | None:
        while self.seen < len(self.found):
            item = self.found[self.seen]
            self.first.setdefault(normalize_name(item.name), item.label)
            self.seen += 1
        return self.first.get(key)


class CoinedNames(JsonlDataMixin):
    """Component ``techclaims_coined_names``; see the module docstring."""

    DEFAULTS = {
        "cues": ("cues.jsonl",),
        "not_entities": ("not_entities.jsonl",),
        "gazetteer": ("models.jsonl", "hardware.jsonl", "methods.jsonl"),
    }

    def __init__(self, nlp: Language, name: str = "techclaims_coined_names", *, repeated: int = 0):
        self.name = name
        self.repeated = repeated
        self._init_data()

    def initialize(
        self,
        get_examples: Any = None,
        *,
        nlp: Language | None = None,
        cues: list[dict[str, Any]] | None = None,
        not_entities: list[dict[str, Any]] | None = None,
        gazetteer: list[dict[str, Any]] | None = None,
    ) -> None:
        """Cue words, generic words and gazetteer rows; missing lists: the packaged files."""
        self._initialize_lists(cues=cues, not_entities=not_entities, gazetteer=gazetteer)

    def _compile(self) -> None:
        self.gazetteer = shared_gazetteer(self.data["gazetteer"])
        self._stop: set[str] = set()
        self._textbook: set[str] = set()
        self._datasets = {
            normalize_name(row["text"])
            for row in self.data["not_entities"]
            if row.get("why") in ("dataset", "venue")
        }
        for row in self.data["not_entities"]:
            if "METHOD" in row.get("labels", ["METHOD"]) or row.get("why") == "dataset":
                key = normalize_name(row["text"])
                (self._textbook if row.get("why") in WHOLE_NAME_KINDS else self._stop).add(key)
        cues = vocabulary.cue_alternations(self.data["cues"])

        def alt(kind: str) -> str:
            return vocabulary.cue_alternation(cues, kind)

        self._sections = {k: re.compile(alt(f"section-{k}")) for k in _SECTION_KINDS}
        # The cue patterns are `guarded`: the same matches, but a position whose character
        # starts no cue fails at once instead of entering every branch (regex_guard.py).
        self._compare = guarded(
            re.compile(rf"(?:{alt('baseline-before')})(?:{alt('baseline-filler')})*?\s*{_LIST}")
        )
        self._compare_around = guarded(
            re.compile(
                rf"{vocabulary.phrase('comparison-cues', 'opening')}"
                rf"\s*{_LIST}\s*{vocabulary.phrase('comparison-cues', 'closing')}"
            )
        )
        self._versus = re.compile(rf"\s{vocabulary.phrase('comparison-cues', 'between')}\s+")
        self._versus_right = re.compile(rf"(?P<list>{_LIST_ITEM})")
        self._list_end = re.compile(rf"{_LIST}\s*$")
        self._list_end_at_word = re.compile(_AT_WORD_START + self._list_end.pattern)
        self._intro = guarded(
            re.compile(rf"(?:{alt('list-intro')})(?:{alt('baseline-filler')})*?\s*{_LIST}")
        )
        self._use = guarded(re.compile(rf"(?:{alt('use-before')})\s*{_LIST}"))
        self._inspired = guarded(re.compile(rf"(?:{alt('inspired-before')})\s*{_LIST}"))
        self._inspired_after = re.compile(alt("inspired-after"))
        self._models_after = guarded(re.compile(rf"(?<=[A-Za-z0-9)）*`])(?:{alt('model-after')})"))
        self._enum = re.compile(
            rf"(?<![A-Za-z0-9.+#'_-])(?P<list>{_LIST_ITEM}(?:{_MATE_SEP}{_LIST_ITEM}){{1,12}})(?![A-Za-z0-9.+#'_-])"
        )
        self._kind_word = re.compile(
            rf"(?<![A-Za-z0-9.+#_-])(?P<name>[A-Za-z][A-Za-z0-9.+#_-]*[A-Za-z0-9+#])\s*(?:{alt('kind-word')})"
        )
        _name = r"(?<![A-Za-z0-9.+#_-])(?P<name>[A-Za-z][A-Za-z0-9.+#_-]*[A-Za-z0-9+#])"
        self._glossed_kind = re.compile(rf"{_name}(?:{alt('kind-gloss')}|{alt('citation-after')})")
        self._describes = re.compile(alt("descriptor-tail"))
        self._defines = re.compile(rf"{_name}\s*(?:{alt('define-after')})")
        self._head_technique = re.compile(rf"(?:{alt('head-technique')})")
        self._head_other = re.compile(rf"(?:{alt('head-other')})")
        self._measures_of: tuple[str | None, frozenset[str]] = (None, frozenset())
        propose = alt("propose")
        article = (
            rf"[,，]\s*(?:{vocabulary.alternation('indefinite-articles', 'han')}"
            rf"|(?i:{vocabulary.alternation('indefinite-articles', 'latin')}))"
        )
        self._defined = guarded(
            re.compile(
                rf"(?:{propose})\s*(?:\*\*)?(?P<name>[A-Za-z][A-Za-z0-9-]{{2,30}})(?:\*\*)?\s*{article}"
            )
        )
        # Every match of `_defined` ends in this, so a text without it is not scanned: the
        # proposing cues (optional words before a verb) are tried at every character,
        # the costliest scan of `find` (1.2 s per 1,400 entries, a fifth of that with this).
        self._defined_tail = re.compile(article)
        self._baseline_header = re.compile(
            self._sections["baseline"].pattern + "|" + _METHOD_HEADERS, re.I
        )

    # -- what passes ----------------------------------------------------------------------
    def known(self, name: str) -> GazetteerEntry | None:
        self._ensure()
        return self.gazetteer.lookup(name)

    def is_generic(self, name: str) -> bool:
        """A generic word or phrase, data set, or a phrase made only of generic words."""
        self._ensure()
        key = normalize_name(name)
        if key in self._stop or key in self._textbook:
            return True
        words = name.split()
        return len(words) > 1 and all(
            normalize_name(w) in self._stop or w.lower() in _CONNECTORS for w in words
        )

    def _accept(self, name: str, shapes: NameShapes, label: str = "METHOD") -> str | None:
        """The label `name` gets here, or None: it has an accepted shape, is not generic,
        and no list knows it as something else."""
        name = name.strip()
        if len(name) < 2 or not shapes.accepts(name) or self.is_generic(name):
            return None
        if _NOT_A_NAME.match(name):
            return None
        entry = self.known(name)
        if entry is not None:
            return None  # the gazetteer labels it (or knows it is something else)
        if has_size(name):
            return "MODEL"
        return label

    def phrase_ok(self, name: str, text: str, glossed: bool = False) -> bool:
        """A phrase of several words reads as a name: its head word names a technique
        (``... Mechanism``, ``... Pruning``), or it is glossed or mentioned again, and
        its head word is not a descriptive one (``... Design``, ``... Ratio``)."""
        self._ensure()
        words = name.split()
        if len(words) < 2:
            return True
        head = words[-1].split("-")[-1]
        if self._head_other.fullmatch(head):
            return False
        if self._head_technique.fullmatch(head):
            return True
        return glossed or len(_mentions(name, text)) >= 2

    def measures(self, text: str) -> frozenset[str]:
        """Acronyms `text` defines as a measure, not a technique, with their long forms: the
        long form's head word is a descriptive one (``Potential Overlap Ratio (POR)``,
        ``Energy-Coverage Efficiency (ECE)``), or one follows the acronym
        (``Combined Recency and Frequency (CRF) Score``)."""
        self._ensure()
        if self._measures_of[0] is text:
            return self._measures_of[1]
        out = measure_names(text, self._head_other)
        self._measures_of = (text, out)
        return self._measures_of[1]

    def _list_mates(
        self,
        items: list[tuple[str, int]],
        ents_within: Any,
        ents_at: Any,
        found: _FirstLabels,
        text: str,
    ) -> Iterator[tuple[str, int, str]]:
        """The unlabelled items of an enumeration whose labelled items (a list entry, a
        name found by the rules so far) are all of one type, with that type: those that
        are name-shaped (`mate_shaped`) or a sibling of a labelled item (``pass-Q`` beside
        ``pass-KV``). Lists of number formats or holding a data set give nothing; an
        item holding a shorter name of the type (``AceReason Nemotron``) counts as
        unlabelled when its other words are distinctive."""
        labels: set[str] = set()
        unknown: list[tuple[str, int]] = []
        stems: set[str] = set()
        for name, pos in items:
            if normalize_name(name) in self._datasets:
                return
            entry = self.known(name)
            if entry is not None and entry.kind == "format":
                return
            label = entry.label if entry is not None else ents_at(pos, pos + len(name))
            if label is None:  # a name this component found elsewhere in the entry
                label = found.label(normalize_name(name))
            if label is None:
                inner = ents_within(pos, pos + len(name)) - {"SPEEDUP"}
                labels |= inner
                if not inner or "METHOD" in inner or _holds_name(name, self.known):
                    unknown.append((name, pos))  # not `Llama-3-8B-Instruct` over `Llama-3-8B`
            elif label != "SPEEDUP":
                labels.add(label)
                if "-" in name:
                    stems.add(name.rsplit("-", 1)[0])
        if len(labels) != 1:
            return
        label = labels.pop()
        for name, pos in unknown:
            if "-" in name and name.rsplit("-", 1)[0] in stems and not self.is_generic(name):
                yield name, pos, label
            elif self.mate_shaped(name, label, text):
                yield name, pos, label

    def mate_shaped(self, name: str, label: str, text: str = "") -> bool:
        """Whether a list-mate reads as a name of `label`; never generic, a data set, a
        numbered part or a name a list knows. A METHOD: a distinctive word (not a plain
        acronym: those beside names are mostly formats and terms, CSR, COO), or a
        distinctive word and a kind word (``CuTe DSL``); a MODEL: a name with a version or size (``LFM2``,
        ``Foo-7B``) or a distinctive word and capitalised ones (``AceReason Nemotron``);
        HARDWARE: a capitalised name with a digit."""
        self._ensure()
        name = " ".join(name.split())
        words = name.split()
        if len(name) < 2 or len(words) > 3 or self.is_generic(name) or _NOT_A_NAME.match(name):
            return False
        if self.known(name) is not None or not name[:1].isalpha() or re.search(r"\+.", name):
            return False
        if label == "METHOD":
            if has_size(name):
                return False
            if len(words) > 1:
                return (
                    len(words) == 2
                    and is_distinctive(words[0])
                    and bool(self._head_technique.fullmatch(words[1]))
                )
            return STRICT.accepts(name)  # plain acronyms beside names are formats, terms (CSR, COO)
        if label == "MODEL":
            if len(words) > 1:
                return all(is_distinctive(w) or w[:1].isupper() for w in words) and any(
                    is_distinctive(w) and not is_acronym(w) for w in words
                )
            return has_digit(name) and (has_lower(name) or has_size(name))
        return name[:1].isupper() and has_digit(name) and len(words) == 1

    def plausible(self, name: str, label: str, text: str, min_mentions: int = 1) -> bool:
        """Whether a name found by the statistical ner alone reads as a name: for a
        METHOD a distinctive word (a plain acronym is not enough) or a Title Case
        phrase (`phrase_ok`); for a MODEL a distinctive word; for HARDWARE a name with a
        digit. Never generic, a data set or a numbered part of the paper; mentioned at
        least `min_mentions` times in `text`."""
        self._ensure()
        name = " ".join(name.split())
        if len(name) < 2 or self.is_generic(name) or _NOT_A_NAME.match(name):
            return False
        if normalize_name(name) in self.measures(text):
            return False
        calls = _mentions(name, text)
        if calls and all(_CALL.match(text, m.end()) for m in calls):
            return False  # `InTasks(e1)`: a function in a formula or code, not a name
        if label == "HARDWARE":
            ok = has_digit(name)
        elif label == "MODEL":
            ok = all(is_distinctive(w) or w[:1].isupper() for w in name.split()) and any(
                is_distinctive(w) for w in name.split()
            )
        elif " " in name:
            ok = PHRASES.accepts(name) and self.phrase_ok(name, text)
        else:
            ok = STRICT.accepts(
                name
            )  # a distinctive word (plain acronyms the ner adds are mostly noise)
        if not ok:
            return False
        return min_mentions <= 1 or len(_mentions(name, text)) >= min_mentions

    # -- finding ----------------------------------------------------------------------------
    def find(self, doc: Doc, text: str) -> list[_Found]:
        """Names this entry coins or compares with, in order of discovery."""
        self._ensure()
        starts, kinds = section_kinds(text, self._sections, doc_heading_title(doc, text))

        def kind_at(pos: int) -> str:
            return kinds[bisect_right(starts, pos) - 1]

        found: list[_Found] = []
        first_labels = _FirstLabels(found)
        ent_starts: list[int] = []
        ent_items: list[tuple[int, str]] = []
        for ent in doc.ents:
            ent_starts.append(ent.start_char)
            ent_items.append((ent.end_char, ent.label_))

        def list_labels(match: re.Match[str], items: list[tuple[str, int]]) -> set[str]:
            """The labels a list's items carry: known to a list, or found there already."""
            labels = {e.label for n, _ in items if (e := self.known(n)) is not None}
            return labels | ents_within(match.start("list"), match.end("list"))

        def ents_within(start: int, end: int) -> set[str]:
            """Labels of the entities inside ``[start, end)``."""
            labels = set()
            for i in range(bisect_left(ent_starts, start), len(ent_starts)):
                if ent_starts[i] >= end:
                    break
                if ent_items[i][0] <= end:
                    labels.add(ent_items[i][1])
            return labels

        def ents_at(start: int, end: int) -> str | None:
            """The label of an entity spanning exactly ``[start, end)``."""
            i = bisect_left(ent_starts, start)
            while i < len(ent_starts) and ent_starts[i] == start:
                if ent_items[i][0] == end:
                    return ent_items[i][1]
                i += 1
            return None

        measures = self.measures(text)

        def add(
            name: str,
            pos: int,
            shapes: NameShapes,
            role: str,
            label: str = "METHOD",
            glossed: bool = False,
            code_ok: bool = True,
            mate: bool = False,
            declared: bool = False,
        ) -> None:
            if overlaps_markup(doc, pos, pos + len(name)):
                return
            if normalize_name(name) in measures:
                return
            if not code_ok and text[pos - 1 : pos] == "`":
                return  # `atomicAdd`: code, not a name
            if mate:  # a list-mate passed `_list_mates`
                if not self.is_generic(name) and self.known(name) is None:
                    found.append(_Found(name, label, "", over=_holds_name(name, self.known)))
                return
            if " " in name and not self.phrase_ok(name, text, glossed):
                return
            got = self._accept(name, shapes, label)
            if got is not None:
                found.append(_Found(name, got, role if got == "METHOD" else "", declared=declared))

        # bullet heads
        for match in _BULLET_HEAD.finditer(text):
            group = next(g for g in ("bold", "plain", "heading", "dash") if match.group(g))
            kind = kind_at(match.start())
            if kind == "skip":
                continue
            segment = match.group(group)
            shapes = {"propose": PHRASES, "baseline": PHRASES_AND_WORDS}.get(kind, ACRONYMS)
            role = {"propose": "proposed", "baseline": "baseline"}.get(kind, "")
            glossed = bool(_GLOSSED.search(segment))
            for name, offset in latin_names(_OURS.sub("", segment)):
                for part in _split_list(name):
                    add(part, match.start(group) + offset, shapes, role, glossed=glossed)
        # the name a proposal section's sub-heading leads with: a part of the paper's method
        for match in _SUBHEADING.finditer(text):
            if kind_at(match.start()) != "propose":
                continue
            lead = match.group("lead")
            names = latin_names(_OURS.sub("", lead), glosses=False)
            if names and names[0][1] == 0 and not self._head_other.fullmatch(names[0][0]):
                name = names[0][0]
                add(name, match.start("lead"), PHRASES, "proposed", glossed=True, declared=True)
        # a baseline section's bullets that are names alone (``- Ring``, ``- DCRNN, STID [16]``)
        for match in _BARE_BULLET.finditer(text):
            if kind_at(match.start()) != "baseline":
                continue
            items = list(_list_items(match, "list"))
            labels = list_labels(match, items)
            if "MODEL" in labels:
                continue  # models compared against: the list-mates rule types them
            for name, pos in items:
                add(name, pos, PHRASES_AND_WORDS, "baseline")
        # glosses
        for match in _GLOSS.finditer(text):
            kind = kind_at(match.start())
            if kind == "skip":
                continue
            shapes = PHRASES if kind == "propose" else ACRONYMS
            role = {"propose": "proposed", "baseline": "baseline"}.get(kind, "")
            label = (
                "MODEL"
                if text[max(0, match.start() - 2) : match.start() + 1].endswith("模型")
                else "METHOD"
            )
            for name, offset in _runs(match.group("gloss"), match.start("gloss")):
                for part in _GLOSS_PARTS.split(name):
                    for piece in _split_list(part):
                        add(piece, offset, shapes, role, label, glossed=True)
        # tables
        for name, pos, label, role in self._table_cells(text, kind_at):
            add(name, pos, CAPITALISED if label == "METHOD" else PHRASES_AND_WORDS, role, label)
        # acronyms and their long forms
        for match in acronym_definitions(text):
            kind = kind_at(match.start())
            if kind == "skip":
                continue
            long, acr = _trim_long(match.group("long"), match.group("acr"))
            if long is None or self.is_generic(acr) or self.is_generic(long):
                continue
            if self._head_other.fullmatch(long.split()[-1].split("-")[-1]):
                continue
            role = {"propose": "proposed", "baseline": "baseline"}.get(kind, "")
            if _used_elsewhere(acr, text, match.start(), match.end()):
                add(acr, match.start("acr"), CAPITALISED, role)
            else:
                add(long, match.start("long"), PHRASES, role)
        # comparisons
        for regex in (self._compare, self._compare_around):
            for match in regex.finditer(text):
                items = list(_list_items(match, "list"))
                shapes = CAPITALISED if _any_distinctive(items) else ACRONYMS
                for name, pos in items:
                    add(name, pos, _compared_shapes(name, shapes), "baseline")
        for cue in self._versus.finditer(text):  # X vs. Y
            items = []
            right = self._versus_right.match(text, cue.end())
            if right:
                items += list(_list_items(right, "list"))
            left = self._list_before(text, cue.start(), items_only=True)
            items += left
            shapes = CAPITALISED if _any_distinctive(items) else ACRONYMS
            for name, pos in items:
                add(name, pos, _compared_shapes(name, shapes), "baseline")
        # enumerations next to a known method or model, or in a baseline section
        for match in self._intro.finditer(text):
            items = list(_list_items(match, "list"))
            labels = list_labels(match, items)
            kind = kind_at(match.start())
            if "METHOD" in labels or (kind == "baseline" and "MODEL" not in labels):
                role = "baseline" if kind == "baseline" else ""
                for name, pos in items:
                    add(name, pos, CAPITALISED if kind == "baseline" else ACRONYMS, role)
            elif "MODEL" in labels:
                for name, pos in items:
                    add(name, pos, STRICT, "", "MODEL")
        # names something is built on or uses (基于 X / built on X): distinctive ones only
        for match in self._use.finditer(text):
            if kind_at(match.start()) != "skip":
                for name, pos in _list_items(match, "list"):
                    add(name, pos, STRICT, "", code_ok=False)
        # names an idea is taken from (inspired by X / 受 X 启发 / extends X): capitalised ones too
        for match in self._inspired.finditer(text):
            if kind_at(match.start()) != "skip":
                for name, pos in _list_items(match, "list"):
                    add(_leading_names(name), pos, CAPITALISED, "", code_ok=False)
        for cue in self._inspired_after.finditer(text):
            if kind_at(cue.start()) != "skip":
                for name, pos in self._list_before(text, cue.start()):
                    add(name, pos, CAPITALISED, "", code_ok=False)
        # a list followed by 模型 / models: models
        for cue in self._models_after.finditer(text):
            for name, pos in self._list_before(text, cue.start()):
                add(name, pos, STRICT, "", "MODEL")
        # list-mates: an enumeration (X、Y 和 Z, A/B, C + D) whose named items are all of
        # one type (by the lists or the rules so far) gives its other name-shaped items that type
        for match in self._enum.finditer(text):
            items = [
                (part, pos + name.index(part))
                for name, pos in _list_items(match, "list")
                for part in _split_list(name)
            ]
            if len(items) >= 2:
                for name, pos, label in self._list_mates(
                    items, ents_within, ents_at, first_labels, text
                ):
                    add(name, pos, ACRONYMS, "", label, mate=True)
        # kind words
        for match in self._kind_word.finditer(text):
            if kind_at(match.start()) != "skip":
                add(match.group("name"), match.start("name"), ACRONYMS, "")
        # glossed by their kind (Allo（MLIR 编译框架）) or cited (Prepack (Zhao et al., 2024))
        for match in self._glossed_kind.finditer(text):
            if kind_at(match.start()) != "skip":
                add(match.group("name"), match.start("name"), CAPITALISED, "")
        # the subject of a defining sentence (TASD 引入了一种…, Kascade 是一种…): acronyms too
        for match in self._defines.finditer(text):
            if kind_at(match.start()) != "skip":
                add(match.group("name"), match.start("name"), ACRONYMS, "")
        # defined right after a proposing cue
        for match in self._defined.finditer(text) if self._defined_tail.search(text) else ():
            name = match.group("name")
            if not self.is_generic(name) and self.known(name) is None:
                found.append(_Found(name, "METHOD", "proposed"))
        # variants of the proposed names
        for proposed in list(doc._.proposed_methods or ()):
            for name in _variants(proposed, text):
                if not has_size(name[len(proposed) :]) and not self.is_generic(name):
                    found.append(_Found(name, "METHOD", "proposed"))
        # hyphenated compounds of a method found so far (Nano-vLLM, FlowKV-SWA): a variant
        methods = {e.text for e in doc.ents if e.label_ == "METHOD"}
        methods |= {f.name for f in found if f.label == "METHOD"}
        methods = {
            m
            for m in methods  # not a format a method runs in (ER-NVFP4, GPTQ-INT4)
            if (entry := self.known(m)) is None or entry.kind != "format"
        }
        for name in compounds(methods, text, self._describes):
            if not self.is_generic(name) and self.known(name) is None:
                found.append(_Found(name, "METHOD", ""))
        if self.repeated:
            found += self._repeated(text)
        return found

    def _list_before(self, text: str, end: int, items_only: bool = False) -> list[tuple[str, int]]:
        """The names of the list that ends at `end` (the last item only with `items_only`)."""
        start = max(0, end - 160)
        regex, at_word = (
            (_ITEM_END, _ITEM_END_AT_WORD)
            if items_only
            else (self._list_end, self._list_end_at_word)
        )
        match = regex.match(text, start, end) or at_word.search(text, start, end)
        if not match:
            return []
        items = list(_list_items(match, "list"))
        return items[-1:] if items_only else items

    def _table_cells(self, text: str, kind_at: Any) -> Iterator[tuple[str, int, str, str]]:
        """``(name, offset, label, role)`` from first columns of method / model tables."""
        rows = list(_TABLE_ROW.finditer(text))
        i = 0
        while i < len(rows):
            j = i
            while j + 1 < len(rows) and rows[j + 1].start() == rows[j].end() + 1:
                j += 1
            block = rows[i : j + 1]
            i = j + 1
            if len(block) < 3 or not _TABLE_RULE.match(block[1].group("cells")):
                continue
            headers = block[0].group("cells").split("|")
            header = headers[0]
            kind = kind_at(block[0].start())
            label = None
            column = 0
            if self._baseline_header.search(header):
                label = "METHOD"
            elif re.search(_MODEL_HEADERS, header, re.I):
                label = "MODEL"
            elif kind == "baseline" and not header.strip():
                label = "METHOD"
            else:
                column = _method_column(headers)
                label = "METHOD" if column else None
            if label is None:
                continue
            role = "baseline" if kind == "baseline" else ""
            for row in block[2:]:
                cells = row.group("cells").split("|")
                if column >= len(cells):
                    continue
                cell = cells[column]
                start = row.start("cells") + sum(len(c) + 1 for c in cells[:column])
                ours = bool(_OURS.search(cell))
                for name, offset in latin_names(_OURS.sub("", cell), glosses=False):
                    for part in _split_list(name):
                        yield part, start + offset, label, "proposed" if ours else role

    def _repeated(self, text: str) -> list[_Found]:
        counts: dict[str, int] = {}
        for match in re.finditer(
            r"(?<![A-Za-z0-9.+#_-])[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*", text
        ):
            word = match.group()
            if is_distinctive(word) and not is_acronym(word):
                counts[word] = counts.get(word, 0) + 1
        return [
            _Found(w, "METHOD", "")
            for w, n in counts.items()
            if n >= self.repeated and self._accept(w, STRICT) == "METHOD"
        ]

    # -- labelling ------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        found = self.find(doc, text)
        hints: dict[str, str] = dict(doc._.method_hints or {})
        names: dict[str, _Found] = {}
        # kept by `papers.without_unvoted` without the ner's vote, as the names a heading,
        # title or proposal cue gives are
        declared = [f.name for f in found if f.declared and f.label == "METHOD"]
        if declared:
            doc._.declared_methods = declared
        for item in found:
            key = normalize_name(item.name)
            if key not in names:
                names[key] = item
            if item.label == "METHOD" and item.role:
                if hints.get(key) != "proposed":
                    hints[key] = item.role
        doc._.method_hints = hints
        spans: list[Span] = []
        over: set[tuple[int, int]] = set()
        for item in names.values():
            for match in _mentions(item.name, text):
                start, end = match.span()
                if overlaps_markup(doc, start, end):
                    continue
                span = char_span(doc, start, end, item.label)
                if span is not None:
                    spans.append(span)
                    if item.over:
                        over.add((span.start, span.end))
        if spans:
            taken = sorted(
                (e for e in doc.ents if e.label_ not in ("METHOD",)), key=lambda e: e.start
            )
            starts = [e.start for e in taken]
            spans = [
                s
                for s in spans
                if not any(
                    s.start < e.end
                    and e.start < s.end
                    and not _inside(e, s)
                    and not ((s.start, s.end) in over and _extends(s, e))
                    for e in _overlapping(taken, starts, s)
                )
            ]
            merge_entities(doc, spans)
        return doc


def _overlapping(taken: list[Span], starts: list[int], span: Span) -> Iterator[Span]:
    """The entities of `taken` (sorted by start; doc.ents, so none overlap another) that may
    overlap `span`: those starting before its end, back to the first that ends before it."""
    i = bisect_left(starts, span.end)
    while i > 0:
        i -= 1
        if taken[i].end <= span.start:
            return
        yield taken[i]


def _holds_name(name: str, known: Any) -> bool:
    """`name` is several words, those a list does not know distinctive (``AceReason Nemotron``)."""
    words = name.split()
    rest = [w for w in words if known(w) is None]
    return (
        len(words) > 1
        and bool(rest)
        and len(rest) < len(words)
        and all(is_distinctive(w) and not is_acronym(w) for w in rest)
    )


def _extends(outer: Span, inner: Span) -> bool:
    """`outer` holds `inner` and has its label (``AceReason Nemotron`` over ``Nemotron``)."""
    return outer.label_ == inner.label_ and outer.start <= inner.start and inner.end <= outer.end


def _inside(inner: Span, outer: Span) -> bool:
    """`inner` lies strictly inside a hyphenated compound `outer` (``GAT`` in ``D-GAT``)."""
    return (
        outer.start <= inner.start
        and inner.end <= outer.end
        and (outer.start, outer.end) != (inner.start, inner.end)
        and "-" in outer.text
    )


def _mentions(name: str, text: str) -> list[_Mention]:
    """Mentions of `name` in `text`, as `name_pattern(name).finditer(text)` finds them (an
    all-lower-case mention only of an all-lower-case name). Found through the text's
    `_WordIndex` and kept there: each name costs its candidate places, not a scan of the
    text, and a name asked for again costs nothing."""
    index = _WordIndex.of(text)
    found = index.mentions.get(name)
    if found is None:
        found = [
            m
            for m in _find_mentions(name, text, index)
            if not m.group().islower() or name.islower()
        ]
        index.mentions[name] = found
    return found


@dataclass(frozen=True, slots=True)
class _Mention:
    """Where a name is mentioned: the part of `re.Match` that callers read."""

    start: int
    stop: int
    text: str

    def span(self) -> tuple[int, int]:
        return self.start, self.stop

    def end(self) -> int:
        return self.stop

    def group(self) -> str:
        return self.text[self.start : self.stop]


_SPLIT_NAME = re.compile(r"[\s\-_]+|(?<=[a-z])(?=[A-Z][a-z])")  # as `name_pattern` splits
#: `name_pattern`'s boundaries, by whether it ignores case (which widens [A-Za-z] a little).
_BEFORE = {False: re.compile(r"(?<![A-Za-z0-9])"), True: re.compile(r"(?<![A-Za-z0-9])", re.I)}
_AFTER = {
    False: re.compile(r"(?![A-Za-z0-9]|\.[A-Za-z0-9])"),
    True: re.compile(r"(?![A-Za-z0-9]|\.[A-Za-z0-9])", re.I),
}


def _find_mentions(name: str, text: str, index: _WordIndex) -> Iterator[_Mention]:
    """`name_pattern(name).finditer(text)`, tried only where a word starts with the name's
    first letters; an ASCII name is compared there by hand (compiling a pattern per name
    cost more than all the rest), anything else by the pattern."""
    parts = [p for p in _SPLIT_NAME.split(name) if p]
    lead = _LEAD.match(parts[0]) if parts else None
    if lead is None or not name.isascii():
        for match in index.finditer(name_pattern(name), lead.group().lower() if lead else "", text):
            yield _Mention(match.start(), match.end(), text)
        return
    fold = name.upper() == name and len(name) >= 4  # name_pattern's IGNORECASE
    wanted = [p.lower() for p in parts] if fold else parts
    end = 0
    for start in index.starting(lead.group().lower()):
        if start < end:
            continue  # inside the previous mention: finditer does not look there either
        stop = _match_parts(wanted, fold, text, start)
        if stop == -2:  # a letter outside ASCII where a part should be: the pattern decides
            by_pattern = name_pattern(name).match(text, start)
            stop = by_pattern.end() if by_pattern else -1
        if stop >= 0:
            end = max(stop, start + 1)
            yield _Mention(start, stop, text)


def _match_parts(parts: list[str], fold: bool, text: str, start: int) -> int:
    """Where a mention made of `parts` (`name_pattern`: a space, hyphen or underscore, or
    nothing, between them) that starts at `start` ends; -1 if none does, -2 if only the
    pattern can tell (non-ASCII text where a part was expected)."""
    if not _BEFORE[fold].match(text, start):
        return -1
    pos = start
    for number, part in enumerate(parts):
        if number and pos < len(text) and (text[pos] in "-_" or text[pos].isspace()):
            pos += 1  # greedy `[\s\-_]?`: a part never starts with one of them
        seen = text[pos : pos + len(part)]
        if (seen.lower() if fold else seen) != part:
            return -1 if seen.isascii() else -2
        pos += len(part)
    return pos if _AFTER[fold].match(text, pos) else -1


_WORD = re.compile(r"[A-Za-z0-9]+")
_LEAD = re.compile(r"[A-Za-z0-9]+")


class _WordIndex:
    """Where each word (a run of ASCII letters and digits) of a text starts, by its lower-cased
    form, sorted: a pattern that starts with known letters after a letter-or-digit boundary
    (`name_pattern`, `_variants`, the acronyms) can only match where such a word starts with
    them, so it is tried there instead of at every character. Built once per text (linear);
    one text at a time is kept (the entry being annotated)."""

    _last: _WordIndex | None = None

    def __init__(self, text: str) -> None:
        self.text = text
        self.at: dict[str, list[int]] = {}
        for match in _WORD.finditer(text):
            self.at.setdefault(match.group().lower(), []).append(match.start())
        self.words = sorted(self.at)
        self.mentions: dict[str, list[_Mention]] = {}
        self._starting: dict[str, list[int]] = {}

    @classmethod
    def of(cls, text: str) -> _WordIndex:
        last = cls._last
        if last is None or not (last.text is text or last.text == text):
            last = cls._last = cls(text)
        return last

    def starting(self, lead: str) -> list[int]:
        """Sorted starts of the words that begin with `lead` (lower-case)."""
        found = self._starting.get(lead)
        if found is None:
            found = []
            i = bisect_left(self.words, lead)
            while i < len(self.words) and self.words[i].startswith(lead):
                found += self.at[self.words[i]]
                i += 1
            found.sort()
            self._starting[lead] = found
        return found

    def finditer(self, pattern: re.Pattern[str], lead: str, text: str) -> Iterator[re.Match[str]]:
        """`pattern.finditer(text)` for a pattern whose matches start where a word starting
        with `lead` starts (after `(?<![A-Za-z0-9])`); a plain scan when `lead` is empty."""
        if not lead:
            yield from pattern.finditer(text)
            return
        end = 0
        for start in self.starting(lead):
            if start < end:
                continue  # inside the previous match: finditer does not look there either
            match = pattern.match(text, start)
            if match is not None:
                end = max(match.end(), start + 1)
                yield match


def _used_elsewhere(acr: str, text: str, start: int, end: int) -> bool:
    """Whether `acr` (letters and digits) stands alone in `text` with ``[start, end)`` cut out:
    its words elsewhere, from the text's `_WordIndex`, and the few places where the cut
    joins the text again, looked at directly (what a search of the cut text would find)."""
    size = len(acr)
    for word in _WordIndex.of(text).at.get(acr.lower(), ()):
        if text.startswith(acr, word) and (word + size < start or word > end):
            return True
    pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(acr)}(?![A-Za-z0-9])")
    base = max(0, start - size - 1)
    joined = text[base:start] + text[end : end + size + 1]
    return any(
        pattern.match(joined, place - base) for place in range(max(0, start - size), start + 1)
    )


# the words between compared names (X vs. Y) split a list as a conjunction does
_VERSUS = rf"(?i:{vocabulary.alternation('comparison-cues', tags='between')})"
_LIST_SPLIT = re.compile(rf"\s+(?:{_AND_LATIN}|&|\+|{_VERSUS})\s+|\s*(?<!\bI)/(?!O\b)\s*")


def _split_list(name: str) -> list[str]:
    return [p for p in _LIST_SPLIT.split(name) if p]


_METHOD_COLUMN = re.compile(rf"(?i:{vocabulary.alternation('method-table-headers')})s?")


def _method_column(headers: list[str]) -> int:
    """The column after the first whose header cell is a method header word alone
    (``| 类型 | 方法 |``: a table of methods grouped by kind), else 0.

    Found on train: baseline names the recognizer never found were often listed in the
    second column of such a table (``| **Prompting-based** | X, Y, Z |``), which only the
    first column was read for. On train the column adds 121 right and 42 wrong METHOD
    names. bench/eval.py --direct (6ab628e + 5f968bc + this), P/R/F1: METHOD train
    0.629/0.667/0.647 -> 0.631/0.681/0.655, validation 0.549/0.676/0.606 ->
    0.558/0.699/0.620, dev 0.835 =; claim baseline train 0.616 =, validation
    0.710/0.629/0.667 -> 0.735/0.714/0.725, dev 0.797 =; claims validation 0.757 -> 0.763.
    """
    for i, cell in enumerate(headers[1:], 1):
        if _METHOD_COLUMN.fullmatch(cell.strip().strip("*`").strip()):
            return i
    return 0


def _compared_shapes(name: str, shapes: NameShapes) -> NameShapes:
    """The shapes a compared name (``相比 X``, ``X vs. Y``) may have: also a phrase of two
    or three capitalised words (`COMPARED_PHRASES`) that opens with a letter and holds an
    acronym or a distinctive word (``Torch SDPA``, ``Cray MPICH``, ``vLLM 4DP8CP``), when
    `CoinedNames.phrase_ok` holds (a technique head word, or mentioned again).

    Found on train: of the gold baseline names the recognizer never found, compared
    phrases were a group of their own (``相比 **Improved Sparse SUMMA**``, ``vs Torch
    SDPA``), which `CAPITALISED` and `ACRONYMS` refuse. On train the rule adds 21 right
    and 22 wrong METHOD names; phrases of plain words (``Tail Batching``) would add 39
    right and 53 wrong (``Ground Truth``, ``Random Search``), and phrases opening with a
    number are counts (``3 GPU``, ``50 Gbps``). bench/eval.py --direct (6ab628e + this),
    claim baseline P/R/F1 train 0.742/0.512/0.606 -> 0.746/0.525/0.616, validation
    0.690/0.571/0.625 -> 0.710/0.629/0.667, dev 0.867/0.722/0.788 -> 0.869/0.736/0.797;
    METHOD F1 train 0.647 =, validation 0.609 -> 0.606, dev 0.835 -> 0.834.
    """
    words = name.split()
    if len(words) > 1 and words[0][:1].isalpha():
        if any(is_distinctive(w) or is_acronym(w) for w in words):
            return COMPARED_PHRASES
    return shapes


def _any_distinctive(items: Iterable[tuple[str, int]]) -> bool:
    return any(is_distinctive(n) for n, _ in items)


def _list_items(match: re.Match[str], group: str) -> Iterator[tuple[str, int]]:
    base = match.start(group)
    for item in _ITEM.finditer(match.group(group)):
        raw = item.group()
        core = _PAREN.sub("", raw).strip("*` ")
        if core:
            yield core, base + item.start() + raw.index(core)


def _leading_names(item: str) -> str:
    """The capitalised words an English list item starts with (``TwinPlan`` of
    ``TwinPlan with a cost``)."""
    words = item.split(" ")
    n = next((i for i, w in enumerate(words) if not is_title_word(w)), len(words))
    return " ".join(words[: max(n, 1)])


def _trim_long(long: str, acr: str) -> tuple[str | None, str]:
    """The words of `long` whose initials spell `acr` (the last ones), else None."""
    letters = [c for c in acr if c.isupper() or c.isdigit()]
    words = long.split()
    for start in range(len(words)):
        cand = words[start:]
        if cand[0].lower() in _CONNECTORS:
            continue
        initials = [
            p[0]
            for w in cand
            if w.lower() not in _CONNECTORS
            for p in w.split("-")
            if p and (p[0].isupper() or p[0].isdigit())
        ]
        if (
            initials == letters
            or [w[0].upper() for w in cand if w.lower() not in _CONNECTORS] == letters
        ):
            return " ".join(cand), acr
    return None, acr


# a prefix word or a number, count or format after a hyphen: not a part of a name
_NOT_NAME_PART = re.compile(rf"(?i:{vocabulary.alternation('not-name-parts')})")


_HYPHENATED = re.compile(
    r"(?<![A-Za-z0-9.+#_-])[A-Za-z0-9.+#_]+(?:-[A-Za-z0-9.+#_]+)+(?![A-Za-z0-9.+#_-])"
)


def compounds(
    methods: Iterable[str], text: str, describes: re.Pattern[str] | None = None
) -> list[str]:
    """Hyphenated words of `text` built on one of `methods`: ``Nano-vLLM``, ``FlowKV-SWA``,
    not ``Multi-LoRA``, ``vLLM-based`` or ``GPTQ-INT4``. At most one part before the
    method, any after; every added part is capitalised, not a prefix word, number or
    format (`_NOT_NAME_PART`), nor a descriptive word (`describes`: the
    ``descriptor-tail`` cue words). (One scan of the text, not one per method.)

    >>> compounds({"vLLM", "FlowKV", "LoRA"}, "Nano-vLLM, FlowKV-SWA, vLLM-Based and Multi-LoRA",
    ...           re.compile("(?i:based)"))
    ['FlowKV-SWA', 'Nano-vLLM']
    """
    names = {m for m in methods if m and " " not in m and len(m) >= 3}
    out: set[str] = set()
    for match in _HYPHENATED.finditer(text):
        parts = match.group().split("-")
        for start in (0, 1):
            for end in range(len(parts), start, -1):
                if (start, end) == (0, len(parts)) or "-".join(parts[start:end]) not in names:
                    continue
                extra = parts[:start] + parts[end:]
                if all(
                    is_capitalised_part(p)
                    and not _NOT_NAME_PART.fullmatch(p)
                    and not (describes and describes.fullmatch(p))
                    for p in extra
                ):
                    out.add(match.group())
    return sorted(out)


@lru_cache(maxsize=4096)
def _variant_pattern(proposed: str) -> re.Pattern[str]:
    """The pattern of `proposed` with parts after it (``FooServe-Lite``), compiled once per
    name and process: compiling it for every entry cost more than the search."""
    return re.compile(
        rf"(?<![A-Za-z0-9]){re.escape(proposed)}(?:[-.](?:[A-Za-z][A-Za-z0-9]*|\d+[A-Za-z]*))+(?![A-Za-z0-9])"
    )


def _variants(proposed: str, text: str) -> list[str]:
    if not proposed or " " in proposed:
        return []
    regex = _variant_pattern(proposed)
    lead = _LEAD.match(proposed)
    found = _WordIndex.of(text).finditer(regex, lead.group().lower() if lead else "", text)
    return sorted({m.group() for m in found})


@Language.factory(
    "techclaims_coined_names",
    default_config={"repeated": 0},
    assigns=["doc.ents", "doc._.method_hints", "doc._.declared_methods"],
    requires=["doc._.markup", "token.is_sent_start"],
)
def make_coined_names(nlp: Language, name: str, repeated: int) -> CoinedNames:
    return CoinedNames(nlp, name, repeated=repeated)
