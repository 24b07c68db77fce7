"""The methods an entry proposes, and the role of every METHOD mention.

``techclaims_heading_methods`` collects the names an entry proposes: the
heading (``## TreeTraining``, ``SpeContext retrieval稀疏加速decode``), the title
prefix (``Tree Training: Accelerating ...``, ``QSERVE: W4A8KV4 ...``) and names
right after a proposing cue (提出 / 引入 / 名为 / we propose / introduce /
present). It labels their mentions in the text METHOD and stores the names in
`Doc._.proposed_methods`.

``techclaims_method_roles`` gives each METHOD mention a role, stored in
`Doc._.method_roles` as ``{mention text: role}``: ``proposed`` for the names
above; ``baseline`` after a comparison cue (相比 / 比 / 较 / over / vs. /
compared with / than) or before 基线 / baseline; ``used`` otherwise. A name with
several roles keeps the first of proposed, baseline, used.
The cue words are data (``cues.jsonl``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from . import vocabulary
from .datalists import JsonlDataMixin
from .extensions import doc_heading_title, doc_text, overlaps_markup, register_extensions
from .gazetteer import WHOLE_NAME_KINDS, normalize_name, shared_gazetteer
from .regex_entities import char_span, merge_entities
from .regex_guard import guarded_if_blind
from .word_shape import (
    HAN,
    HAN_CHARS,
    has_han,
    has_inner_capital_or_digit,
    has_lower_tail,
    has_mixed_case_or_digit,
    has_size,
    is_capitalised_gerund,
    is_lower_word,
    is_plain_capitalised,
)

__all__ = [
    "HeadingMethods",
    "MethodRoles",
    "method_roles",
    "heading_candidates",
    "title_candidates",
    "name_pattern",
    "ROLES",
]

register_extensions()

ROLES = ("proposed", "baseline", "used")

# One word of a name: Capitalised, camelCase, ALLCAPS, digits + letters; inner - . + #
_WORD = r"(?:[A-Z][A-Za-z0-9]*|[a-z]+[A-Z0-9][A-Za-z0-9]*|\d+[A-Za-z][A-Za-z0-9]*)(?:[-.][A-Za-z0-9]+)*(?:\+\+|\+|#)?"
_NAME = rf"(?P<name>{_WORD}(?: {_WORD}){{0,3}})(?![A-Za-z0-9])"
#: The most words of a name after a proposing cue, a definition or a label. A name there
#: may be longer than a heading's (``提出了 Information Density Driven Smart Noise
#: Scheduler``): cut at four words it named nothing (on train 16 such cut names, all
#: wrong; the whole name is gold in 10). A name that runs on past this is left out.
_CUE_WORDS = 7
_CUE_NAME = rf"(?P<name>{_WORD}(?: {_WORD}){{0,{_CUE_WORDS - 1}}})(?![A-Za-z0-9])"
_MORE_WORDS = re.compile(rf" {_WORD}(?![A-Za-z0-9])")
#: A long form before a defined acronym: a capitalised word, then up to eight words that
#: connectors (for, of, and ...) may join; lower-case words and parts allowed.
_LONG_FORM = (
    r"(?<![A-Za-z0-9-])[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*"
    rf"(?:[ \t]+(?:(?:{vocabulary.alternation('connectors')})[ \t]+)?[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*){{1,8}}"
)
#: An acronym: LDES-FL, Top-DOGD, MALLES (two capitals at least: `_cue_acronyms`).
_ACRONYM = r"[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*"
#: The rest of a long form after the words a name rule took, up to its bracketed acronym:
#: words that connectors may join, lower-case ones among them ("instruction Replay (HiR)")
_RUN_ON_ACRONYM = re.compile(
    rf"(?P<rest>(?:[ \t]+(?:(?:{vocabulary.alternation('connectors')})[ \t]+)?"
    rf"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*){{1,8}})"
    rf"\s*(?:\*\*)?\s*[（(][ \t]*(?P<acronym>{_ACRONYM})[ \t]*[)）]"
)
#: A bracket right after a name that marks it as the paper's own ("Foo (Ours)", "Foo（本文）",
#: "Foo（本文方法）"): the mark alone, so "（本文提出的 X 框架）" says nothing of the name.
_OURS_MARK = re.compile(
    rf"[`*]*[ \t]*[（(][ \t]*(?:{vocabulary.alternation('ours-marks')})(?:方法|提出|实现)?[ \t]*[)）]",
    re.IGNORECASE,
)
#: a name in bold Chinese quote marks after a proposing cue ('提出 **“Reasoning Wave”**'): the
#: opening mark inside the bold, and after the name its closing one
_BOLD_QUOTE = r"(?P<quote>[“「『](?=[A-Za-z0-9]))?"
_QUOTE_CLOSED = r"(?(quote)(?=[”」』]))"
_LATIN_CHUNK = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .+#_/-]*[A-Za-z0-9+#]|[A-Za-z0-9]")
_TITLE_PREFIX = re.compile(r"^\s*(?:\*\*)?\s*([^:：\n]{1,60}?)\s*(?:\*\*)?\s*[:：]\s*\S")
_ARTICLE = re.compile(rf"^(?:{vocabulary.alternation('articles')})\s+")
_LEADING_WORDS = vocabulary.words("title-openers")
_SLOGAN_WORDS = vocabulary.words("title-slogan-words")


def _words(chunk: str) -> list[str]:
    return [w for w in re.split(r"\s+", chunk.strip()) if w]


def _is_name_like(name: str, max_words: int = 4) -> bool:
    # a trailing + marks a name's next version (Heimdall++, NetMamba+), not another word shape
    words = [w.rstrip("+") or w for w in _words(name)]
    if not words or len(words) > max_words or any(is_lower_word(w) for w in words):
        return False
    if len(words) == 1 and has_lower_tail(words[0]):
        return False  # GPU-free, SM-level, Top-k
    return any(has_inner_capital_or_digit(w) for w in words) or all(
        is_plain_capitalised(w) for w in words
    )


def title_candidates(title: str) -> list[str]:
    """The name before a title's colon, if it looks like one.

    >>> title_candidates("Tree Training: Accelerating Agentic LLMs Training")
    ['Tree Training']
    >>> title_candidates("Rethinking KV Cache Compression: A Survey")
    []
    >>> title_candidates("Attention Meets Reachability: Structural Equivalence")
    []
    """
    match = _TITLE_PREFIX.match(title)
    if not match:
        return []
    prefix = _ARTICLE.sub("", match.group(1).strip().strip("*").strip())
    words = _words(prefix)
    if not words or len(words) > 4 or words[0].lower() in _LEADING_WORDS:
        return []
    if len(words) > 1 and any(w.lower().rstrip(",") in _SLOGAN_WORDS for w in words):
        return []  # a slogan: "QV May Be Enough: ...", "Long Live The Balance: ..."
    if len(words) > 1 and is_capitalised_gerund(words[0]):
        return []  # a verb phrase: "Quantifying Energy-Efficient Edge Intelligence: ..."
    if has_han(prefix):
        return []
    # a lower-case tail ("SQ-format") names a paper's own thing when it stands alone before
    # the title's colon; in running text it is a generic compound (GPU-free, SM-level)
    if not _is_name_like(prefix) and not (len(words) == 1 and has_lower_tail(words[0])):
        return []
    return [prefix]


def heading_candidates(heading: str, is_other: Callable[[str], bool] | None = None) -> list[str]:
    """Names in a heading: the name before a colon, else its leading Latin words.

    The leading words (at most four, before any Chinese) are cut at lower-case
    words and at words `is_other` says are something else (a model, a format, an
    organisation). A run of title-case / upper-case words is one candidate; a run
    with a camelCase word gives each word with an inner capital or a digit.

    >>> heading_candidates("SpeContext retrieval稀疏加速decode")
    ['SpeContext']
    >>> heading_candidates("AI METROPOLIS")
    ['AI METROPOLIS']
    >>> heading_candidates("NVFP4 Four Over Six", lambda w: w == "NVFP4")
    ['Four Over Six']
    """
    heading = heading.strip().lstrip("#").strip().strip("*").strip()
    if not heading:
        return []
    found = title_candidates(heading)
    if found or re.search(r"[:：]\s*\S", heading):
        return found
    han = HAN.search(heading)
    head = heading[: han.start()] if han else heading
    chunk = _LATIN_CHUNK.match(head.strip())
    if not chunk:
        return []
    words = _words(chunk.group())
    if not words or len(words) > 4:
        return []
    runs: list[list[str]] = [[]]
    for word in words:
        if is_lower_word(word) or (is_other is not None and is_other(word)):
            runs.append([])
        else:
            runs[-1].append(word)
    out: list[str] = []
    for run in runs:
        if len(run) == 1:
            if has_inner_capital_or_digit(run[0]) or len(words) == 1:
                out.append(run[0])
        elif len(run) > 1:
            if any(has_mixed_case_or_digit(w) for w in run):
                out.extend(w for w in run if has_inner_capital_or_digit(w))
            else:
                out.append(" ".join(run))
    return [c for c in out if _is_name_like(c)]


@lru_cache(maxsize=8192)
def name_pattern(name: str) -> re.Pattern[str]:
    """A regex for mentions of `name`: spaces, hyphens and a camelCase boundary may
    be written as space, hyphen or nothing; ALLCAPS names match any case."""
    parts = [p for p in re.split(r"[\s\-_]+|(?<=[a-z])(?=[A-Z][a-z])", name) if p]
    body = r"[\s\-_]?".join(re.escape(p) for p in parts)
    flags = re.IGNORECASE if name.upper() == name and len(name) >= 4 else 0
    return re.compile(rf"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9]|\.[A-Za-z0-9])", flags)


class HeadingMethods(JsonlDataMixin):
    """Component ``techclaims_heading_methods``; see the module docstring."""

    DEFAULTS = {
        "cues": ("cues.jsonl",),
        "not_entities": ("not_entities.jsonl",),
        "gazetteer": ("models.jsonl", "hardware.jsonl", "methods.jsonl"),
    }

    def __init__(
        self,
        nlp: Language,
        name: str = "techclaims_heading_methods",
        *,
        require_body_mention: bool = True,
    ):
        self.name = name
        self.require_body_mention = require_body_mention
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
        self._stop_exact: set[str] = set()  # as the list writes them
        self._stop_words: set[str] = set()  # words that make a phrase of them generic
        self._other: set[str] = set()  # organisations, venues, function words: cut headings there
        for row in self.data["not_entities"]:
            if "METHOD" in row.get("labels", ["METHOD"]):
                key = normalize_name(row["text"])
                self._stop.add(key)
                self._stop_exact.add(row["text"])
                if row.get("why") not in WHOLE_NAME_KINDS:
                    self._stop_words.add(key)
                if row.get("why") in ("organisation", "venue", "function-word", "section"):
                    self._other.add(key)
        cues = vocabulary.cue_alternations(self.data["cues"])
        propose = cues.get("propose", "")
        filler = cues.get("filler", "")
        define = cues.get("define", "")
        label = cues.get("propose-label", "")
        self._propose = (  # guarded: it starts with a cue alternation (the same matches, sooner)
            guarded_if_blind(
                re.compile(
                    rf"(?:{propose})(?:{filler}|[{HAN_CHARS}]{{1,6}}的)*?\s*(?:\*\*{_BOLD_QUOTE})?\s*{_CUE_NAME}{_QUOTE_CLOSED}"
                )
            )
            if propose
            else None
        )
        self._define = (
            re.compile(
                rf"(?m:^[ \t]*(?:[-*+]|\d{{1,3}}[.)])?[ \t]*(?:\*\*)?){_CUE_NAME}(?:\*\*)?(?:{define})"
            )
            if define
            else None
        )

        # an acronym a proposing cue defines by a long form the cue's name rule cannot take
        # whole ("提出 **Local Dynamic Early Stopping for FL (LDES-FL)**", "名为 Two-level
        # Compressed Online Gradient Descent (Top-DOGD)"): the acronym is the name
        self._cue_acronym = (
            re.compile(
                rf"(?:{propose})(?:{filler}|[{HAN_CHARS}]{{1,6}}的)*?\s*(?:\*\*)?\s*(?P<long>{_LONG_FORM})"
                rf"\s*(?:\*\*)?\s*[（(][ \t]*(?P<name>{_ACRONYM})[ \t]*[)）]"
            )
            if propose
            else None
        )
        # a heading or bold label that names the method ("### 🚀 提出的新方法：**Gimbal**"): the
        # summary's template says what the name is, so a plain word (Gimbal) counts there
        self._label = (
            re.compile(
                rf"(?m:^[ \t]*(?:#{{1,6}}[ \t]*|[-*+][ \t]+)?[^\n：:]{{0,12}}?(?:{label})"
                rf"[^\n：:]{{0,12}}?[：:][ \t]*(?:\*\*)?[ \t]*){_CUE_NAME}"
            )
            if label
            else None
        )

        # a list item or table row whose description says the name is the paper's own
        # ("| **FooServe** | 本文提出的方法 |", "- **FooServe**：所提方法，...")
        self._ours_row = re.compile(
            rf"(?m:^[ \t]*(?:[-*+][ \t]+|\d{{1,3}}[.)][ \t]*|\|[ \t]*)?(?:\*\*|`)?[ \t]*)"
            rf"{_CUE_NAME}[ \t]*(?:\*\*|`)?[ \t]*(?:[（(][^)）\n]{{0,40}}[)）][ \t]*)?(?:\*\*)?"
            rf"[ \t]*[：:|][ \t]*(?:\*\*)?[ \t]*(?:{vocabulary.alternation('ours-descriptions')})"
        )

        # a bold name a dash sets after a proposing cue's description ("提出了一种无需标注的
        # 注意力监督机制 —— **Foo Attention**", "提出了一个**统一的理论框架**——**Foo**")
        self._appositive = (
            re.compile(
                rf"(?:{propose})[^。\n；;：:]{{0,40}}?[ \t]*(?:——|—|--)[ \t]*\*\*[ \t]*{_CUE_NAME}"
            )
            if propose
            else None
        )
        # a name in bold right after a naming cue ("一种名为 **Guardian** 的算法", "被命名为
        # **l2-hull**"): the name as written, lower-case or one plain word though it be
        self._named_bold = re.compile(
            rf"(?:{vocabulary.alternation('naming-cues')})[ \t]*\*\*[ \t]*"
            r"(?P<name>[A-Za-z0-9][A-Za-z0-9.+_-]*(?: [A-Za-z0-9][A-Za-z0-9.+_-]*){0,3})"
            r"[ \t]*\*\*(?![A-Za-z0-9*])"
        )

    def is_other(self, word: str) -> bool:
        """A known model / hardware / number format, or an organisation or venue."""
        self._ensure()
        if normalize_name(word) in self._other:
            return True
        entry = self.gazetteer.lookup(word)
        return entry is not None and (entry.label != "METHOD" or entry.kind == "format")

    def acceptable(
        self,
        name: str,
        doc: Doc | None = None,
        *,
        title_prefix: bool = False,
        max_words: int = 4,
        spelled_out: bool = False,
        named: bool = False,
    ) -> bool:
        """Name-like, not generic, not a known model / hardware / format (nor a
        sized variant of a known model). A `title_prefix` (the name before a title's
        colon) may be one word with a lower-case tail ("SQ-format"); a name after a cue
        may have up to `_CUE_WORDS` words (`max_words`). A name `spelled_out` (an
        acronym the title's words spell: "STEP: Success-Rate-Aware Trajectory-Efficient
        Policy ...") is coined even where it reads as a generic word. A name a naming cue
        gives in bold (`named`) may take any shape of up to four Latin words."""
        self._ensure()
        name = name.strip()
        if not name:
            return False
        words = _words(name)
        shaped = (title_prefix and len(words) == 1 and has_lower_tail(name)) or (
            named and len(words) <= 4
        )
        if not shaped and not _is_name_like(name, max_words):
            return False
        coined = spelled_out or (
            len(words) == 1
            and has_mixed_case_or_digit(name)
            and not name.isupper()
            and name not in self._stop_exact
        )
        if not coined and (
            normalize_name(name) in self._stop
            or all(normalize_name(w) in self._stop_words for w in words)
        ):
            return False  # a generic word; not a coined casing of one (RePo is not "repo")
        entry = self.gazetteer.lookup(name)
        if entry is not None and (entry.label != "METHOD" or entry.kind == "format"):
            return False
        for prefix in _prefixes(name):  # LongCat-Flash-Thinking-2601 -> LongCat-Flash-Thinking
            entry = self.gazetteer.lookup(prefix)
            if entry is not None and entry.label != "METHOD":
                return False
        if doc is not None:  # a model / hardware / speed-up already found there
            key = normalize_name(name)
            for ent in doc.ents:
                if ent.label_ != "METHOD" and normalize_name(ent.text) == key:
                    return False
        return True

    def _heading_names(self, heading: str, title: str, prefixes: set[str]) -> list[str]:
        """`heading_candidates` of the heading; when the heading is the paper's title
        (an arXiv listing's ``### 7. [Title](link)``), only a name that is the whole of
        it or stands before its colon. The leading words of a title without a colon are
        a phrase cut short ("Weave of Formal Thought" gave "Weave", "Data-Augmented
        Quantization-Aware Knowledge Distillation" gave "Data-Augmented"): on train 13
        such names were METHODs, none of them gold."""
        names = heading_candidates(heading, self.is_other)
        key = normalize_name(heading.strip().lstrip("#").strip().strip("*"))
        if not title.strip() or key != normalize_name(title):
            return names
        return [n for n in names if n in prefixes or normalize_name(n) == key]

    def candidates(self, doc: Doc, text: str | None = None) -> list[str]:
        """Names this entry proposes, in order of discovery, without repeats
        (`text` is `doc.text`, if the caller has it)."""
        self._ensure()
        text = doc_text(doc) if text is None else text
        heading, title = doc_heading_title(doc, text)
        # (name, needs a mention outside heading and title, found after a cue)
        found: list[tuple[str, bool, bool]] = []
        from_title = title_candidates(title)
        prefixes = set(from_title) | set(title_candidates(heading))
        spelled = {n for n in prefixes for t in (title, heading) if spells_out(n, t)}
        for name in from_title + self._heading_names(heading, title, prefixes):
            found.append((name, not any(has_mixed_case_or_digit(w) for w in _words(name)), False))
        for regex, labelled in (
            (self._propose, False),
            (self._define, False),
            (self._label, True),
            (self._ours_row, False),
            (self._appositive, False),
        ):
            if regex is None:
                continue
            for match in regex.finditer(text):
                name = _trim_name(match.group("name"))
                if not name or overlaps_markup(doc, match.start("name"), match.end("name")):
                    continue
                if _MORE_WORDS.match(text, match.end("name")):
                    continue  # cut short: the name runs on past `_CUE_WORDS` words
                acronym = self._run_on_acronym(text, match.group("name"), match.end("name"))
                if acronym is not None:  # cut at a lower-case word: the acronym names it
                    if acronym:
                        found.append((acronym, False, True))
                    continue
                if not labelled and len(_words(name)) == 1 and not has_inner_capital_or_digit(name):
                    continue  # a single plain word after a cue is rarely a name (after a label it is)
                if self.gazetteer.lookup(name) is None:
                    found.append((name, False, True))
        found += [(name, False, True) for name in self._cue_acronyms(text)]
        named = {n for n in self._bold_names(text) if self.gazetteer.lookup(n) is None}
        found += [(name, False, True) for name in named]
        skip = {heading.strip(), title.strip()}
        body = "\n".join(
            line for line in text.split("\n") if line.strip().lstrip("#").strip() not in skip
        )
        out: list[str] = []
        seen: set[str] = set()
        for name, needs_body, after_cue in found:
            key = normalize_name(name)
            most = _CUE_WORDS if after_cue else 4
            if key in seen or not self.acceptable(
                name,
                doc,
                title_prefix=name in prefixes,
                max_words=most,
                spelled_out=name in spelled,
                named=name in named,
            ):
                continue
            if needs_body and self.require_body_mention and not _mentions(name, body):
                continue
            seen.add(key)
            out.append(name)
        return out

    def _run_on_acronym(self, text: str, name: str, end: int) -> str | None:
        """The acronym in brackets after a name that runs on in lower-case words or
        connectors up to it ("**Hindsight instruction Replay (HiR)**", "Policy of Thoughts
        (PoT)"): the name rule cut the long form at its first lower-case word, and the
        acronym, spelled by the whole long form, is what the entry calls the method.
        None when no acronym of the long form follows; "" when the acronym or the long
        form is a known name (the cut name is no name either way)."""
        run = _RUN_ON_ACRONYM.match(text, end)
        if run is None:
            return None
        acronym, long = run.group("acronym"), name + run.group("rest")
        if sum(c.isupper() for c in acronym) < 2 or not _initials_in_order(acronym, long):
            return None
        if self.gazetteer.lookup(acronym) is not None or self.gazetteer.lookup(long) is not None:
            return ""
        return acronym

    def _bold_names(self, text: str) -> list[str]:
        """Names set in bold right after a naming cue; one lower-case word alone is none
        (a plain word so set is emphasis: "称为 **tracks**")."""
        out = []
        for match in self._named_bold.finditer(text):
            name = _trim_name(match.group("name"))
            if name and not (" " not in name and name.islower() and name.isalpha()):
                out.append(name)
        return out

    def _cue_acronyms(self, text: str) -> list[str]:
        """Acronyms a proposing cue defines by a long form the cue's name rule does not take
        (a connector or a lower-case part in it); a long form it takes is the name itself."""
        if self._cue_acronym is None:
            return []
        out = []
        for match in self._cue_acronym.finditer(text):
            long, acronym = match.group("long"), match.group("name")
            whole = re.fullmatch(_CUE_NAME, long) and self.acceptable(long, max_words=_CUE_WORDS)
            if sum(c.isupper() for c in acronym) < 2 or whole:
                continue
            if not _initials_in_order(acronym, long):
                continue
            if self.gazetteer.lookup(acronym) is None and self.gazetteer.lookup(long) is None:
                out.append(acronym)
        return out

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        names = self.candidates(doc, text)
        doc._.proposed_methods = names
        spans: list[Span] = []
        for name in names:
            for match in _mentions(name, text):
                start, end = match.span()
                if overlaps_markup(doc, start, end):
                    continue
                span = char_span(doc, start, end, "METHOD")
                if span is not None:
                    spans.append(span)
        if spans:
            # never relabel a model / hardware / speed-up that covers the same text; a
            # model or device word inside the proposed name is part of it (LSP-YOLO, RTL-OPT)
            taken = [e for e in doc.ents if e.label_ != "METHOD"]
            spans = [s for s in spans if not any(_clashes(s, e) for e in taken)]
            merge_entities(doc, spans)
        return doc


def _clashes(span: Span, ent: Span) -> bool:
    """Whether a proposed name's mention `span` must give way to `ent`, a model, hardware or
    speed-up there: it must unless `ent` is a model or hardware name strictly inside a
    hyphenated name (LSP-YOLO, RTL-OPT). A name with a space or a size around the model
    (NVIDIA Nemotron 3, Foo-Arabic-0.5B) is the model's own release."""
    if not (span.start < ent.end and ent.start < span.end):
        return False
    inside = span.start <= ent.start and ent.end <= span.end and len(ent) < len(span)
    coined = " " not in span.text and not has_size(span.text)
    return not (inside and coined and ent.label_ in ("MODEL", "HARDWARE"))


def _marked_ours_at(text: str, ent: Span) -> bool:
    """Whether a bracket right after the method mention `ent` marks it as the paper's own
    (``| **GG-SP（本文方法）** |``, ``- Foo (Ours)``), `ent` being the whole Latin run there
    (not ``PPO`` of ``Buffer PPO（本文）``). Only the role changes: a name found nowhere
    else is not made one (new names so marked cost precision on validation)."""
    if not _OURS_MARK.match(text, ent.end_char):
        return False
    before = text[max(0, ent.start_char - 2) : ent.start_char]
    return not re.search(r"[A-Za-z0-9+&/._-][ \t]?$", before)


#: the letters that can start a word of an acronym's long form: a word's first letter and
#: a capital inside it ("Symbolic Tensor grAph GEnerator" spells STAGE)
_INITIALS = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]|(?<=[a-z])[A-Z]|(?<=[A-Z])[A-Z](?=[a-z])")


def spells_out(acronym: str, title: str) -> bool:
    """Whether `acronym`, an upper-case word of three or more letters before `title`'s
    colon, is spelled by the initials of the words after it (an acronym the title
    defines, not a slogan word).

    >>> spells_out("STEP", "STEP: Success-Rate-Aware Trajectory-Efficient Policy Optimization")
    True
    >>> spells_out("STAGE", "STAGE: A Symbolic Tensor grAph GEnerator for co-design")
    True
    >>> spells_out("SIMPLE", "SIMPLE: Faster Distributed Training"), spells_out("Step", "Step: Step by Step")
    (False, False)
    """
    if not (acronym.isalpha() and acronym.isupper() and len(acronym) >= 3):
        return False
    head, sep, rest = title.partition(":")
    if not sep or head.strip().strip("*").strip() != acronym:
        return False
    initials = "".join(m.group() for m in _INITIALS.finditer(rest)).lower()
    at = 0
    for c in acronym.lower():
        at = initials.find(c, at)
        if at < 0:
            return False
        at += 1
    return True


def _initials_in_order(acronym: str, long: str) -> bool:
    """Whether `acronym` reads as short for `long`: its first letter starts `long` and its
    letters appear in `long` in order.

    >>> _initials_in_order("LDES-FL", "Local Dynamic Early Stopping for FL")
    True
    >>> _initials_in_order("QAT", "Post-Training Quantization")
    False
    """
    letters = [c.lower() for c in acronym if c.isalnum()]
    low = long.lower()
    if not letters or low[:1] != letters[0]:
        return False
    at = 0
    for c in letters:
        at = low.find(c, at)
        if at < 0:
            return False
        at += 1
    return True


def _mentions(name: str, text: str) -> list[re.Match[str]]:
    """Mentions of `name` in `text` (see `name_pattern`); a case-insensitive match
    must still contain a capital letter (``SOAR`` is not ``soar``), unless the name is
    written that way (``jaxsgp4``, a title's own name)."""
    return [
        m for m in name_pattern(name).finditer(text) if m.group() == name or not m.group().islower()
    ]


def _prefixes(name: str) -> list[str]:
    parts = re.split(r"(?=[\s\-_])", name)
    return ["".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]


_TRAILING = re.compile(r"(?:[\s.\-]|\+(?!\+))+$")


# a platform or device word after a name says what it runs on (FlashMoBA CUDA 内核)
_PLATFORM_TAIL = re.compile(rf"(?<=\S)(?:\s+(?:{vocabulary.alternation('platform-words')}))+$")


def _trim_name(name: str) -> str:
    """`name` less trailing punctuation and platform words (``FlashMoBA CUDA`` -> ``FlashMoBA``).

    >>> _trim_name("FlashMoBA CUDA"), _trim_name("Triton"), _trim_name("QServe-")
    ('FlashMoBA', 'Triton', 'QServe')
    """
    return _PLATFORM_TAIL.sub("", _TRAILING.sub("", name.strip()))


class MethodRoles(JsonlDataMixin):
    """Component ``techclaims_method_roles``: sets `Doc._.method_roles`."""

    DEFAULTS = {"cues": ("cues.jsonl",)}

    def __init__(self, nlp: Language, name: str = "techclaims_method_roles"):
        self.name = name
        self._init_data()

    def initialize(
        self,
        get_examples: Any = None,
        *,
        nlp: Language | None = None,
        cues: list[dict[str, Any]] | None = None,
    ) -> None:
        """Cue words (``cues.jsonl`` when not given)."""
        self._initialize_lists(cues=cues)

    def _compile(self) -> None:
        cues = vocabulary.cue_alternations(self.data["cues"])

        def alt(kind: str) -> str:
            return vocabulary.cue_alternation(cues, kind)

        self._before = re.compile(
            rf"(?:{alt('baseline-before')})(?:{alt('baseline-filler')}|\x00)*$"
        )
        self._after = re.compile(rf"^(?:{alt('baseline-after')})")
        self._propose_before = re.compile(
            rf"(?:{alt('propose')})(?:{alt('filler')})*\s*(?:\*\*)?\s*$"
        )

    def roles(self, doc: Doc, proposed: Iterable[str] = ()) -> dict[str, str]:
        """``{METHOD mention text: role}`` for `doc` (see the module docstring)."""
        self._ensure()
        proposed_keys = {normalize_name(n) for n in proposed}
        hints = doc._.method_hints or {}
        by_key: dict[str, str] = {}
        texts: dict[str, list[str]] = {}
        methods = [e for e in doc.ents if e.label_ == "METHOD"]
        if not methods:
            return {}
        text = doc_text(doc)
        if doc.has_annotation("SENT_START"):
            bounds = [(s.start_char, s.end_char) for s in doc.sents]
        else:
            bounds = [(0, len(text))]
        starts = [b[0] for b in bounds]
        for ent in methods:
            key = normalize_name(ent.text)
            texts.setdefault(key, [])
            if ent.text not in texts[key]:
                texts[key].append(ent.text)
            if key in proposed_keys or hints.get(key) == "proposed":
                role = "proposed"
            else:
                sent = bounds[max(0, bisect_right(starts, ent.start_char) - 1)]
                role = self._mention_role(text, ent, methods, sent)
                if role == "used" and hints.get(key) == "baseline":
                    role = "baseline"
            if key not in by_key or ROLES.index(role) < ROLES.index(by_key[key]):
                by_key[key] = role
        return {text: by_key[key] for key, spellings in texts.items() for text in spellings}

    def _mention_role(
        self, text: str, ent: Span, methods: list[Span], sent: tuple[int, int]
    ) -> str:
        begin = max(sent[0], ent.start_char - 80)
        before = text[begin : ent.start_char]
        # other methods between the cue and this one read as a list ("相比vLLM和SGLang")
        for other in methods:
            if begin <= other.start_char and other.end_char <= ent.start_char:
                a, b = other.start_char - begin, other.end_char - begin
                before = before[:a] + "\x00" * (b - a) + before[b:]
        if self._propose_before.search(before) or _marked_ours_at(text, ent):
            return "proposed"
        if self._before.search(before):
            return "baseline"
        after = text[ent.end_char : min(ent.end_char + 30, sent[1])]
        if self._after.match(after):
            return "baseline"
        return "used"

    def __call__(self, doc: Doc) -> Doc:
        doc._.method_roles = self.roles(doc, doc._.proposed_methods or ())
        return doc


_DEFAULT_ROLES: MethodRoles | None = None


def method_roles(doc: Doc, entry: Any = None) -> dict[str, str]:
    """``{METHOD mention text: "proposed" | "baseline" | "used"}`` for an annotated doc.

    Uses `doc._.method_roles` when the pipeline set it; otherwise computes the roles
    with the packaged cue words, taking proposed names from `doc._.proposed_methods`
    and, when given, the `entry`'s heading and title.
    """
    if doc._.method_roles is not None and entry is None:
        return dict(doc._.method_roles)
    global _DEFAULT_ROLES
    if _DEFAULT_ROLES is None:
        _DEFAULT_ROLES = MethodRoles(None)  # type: ignore[arg-type]
    proposed = list(doc._.proposed_methods or ())
    if entry is not None:
        proposed += title_candidates(getattr(entry, "title", "") or "")
        proposed += heading_candidates(getattr(entry, "heading", "") or "")
    return _DEFAULT_ROLES.roles(doc, proposed)


@Language.factory(
    "techclaims_heading_methods",
    default_config={"require_body_mention": True},
    assigns=["doc.ents", "doc._.proposed_methods"],
    requires=["token.is_sent_start"],
)
def make_heading_methods(nlp: Language, name: str, require_body_mention: bool) -> HeadingMethods:
    return HeadingMethods(nlp, name, require_body_mention=require_body_mention)


@Language.factory(
    "techclaims_method_roles",
    assigns=["doc._.method_roles"],
    requires=["doc.ents", "token.is_sent_start"],
)
def make_method_roles(nlp: Language, name: str) -> MethodRoles:
    return MethodRoles(nlp, name)
