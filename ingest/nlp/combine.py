"""How the trained ner and the rules combine.

The ner runs first, on the bare tokens; ``techclaims_ner_stash`` moves its
entities to ``doc.spans["ner"]`` and clears ``doc.ents`` so the rule components
run exactly as in the rules pipeline. ``techclaims_ner_merge`` (placed after the
name rules, before the entity filter and the roles) adds the ner's entities back,
by `mode`:

- ``fill``: a ner entity is added where no rule entity overlaps it;
- ``override``: ner entities win over overlapping METHOD / MODEL / HARDWARE rule
  entities; SPEEDUP entities are always the rules';
- ``model``: only the ner's names (and the rules' SPEEDUP entities);
- ``rules``: the ner's entities are ignored.

``doc.spans["ner"]`` stays on the doc: it is what the model alone found.
"""

from __future__ import annotations

import re
from typing import Any

import numpy
from spacy.attrs import TAG
from spacy.language import Language
from spacy.tokens import Doc, Span

from . import vocabulary
from .extensions import doc_text
from .gazetteer import normalize_name
from .regex_entities import set_entities
from .word_shape import has_han

__all__ = [
    "NER_KEY",
    "RULES_KEY",
    "MODES",
    "LfTags",
    "NerStash",
    "NerMerge",
    "merge_ner",
    "lf_tag",
    "span_key",
]

NER_KEY = "ner"
#: Where `LfTags` sets the rules' entities aside for the merge.
RULES_KEY = "rules"
MODES = ("fill", "override", "model", "methods", "filter", "agree", "rules")
_NAMES = ("METHOD", "MODEL", "HARDWARE")


LF_PREFIX = "lf."
_SEEN = "techclaims_lf_seen"


def lf_tag(span: Span, first: bool, function: str = "") -> str:
    """The feature a rule entity gives each of its tokens: position, label, and the
    labelling function that found it (else whether a list knows the name: ``G``/``N``)."""
    source = function or ("G" if span.id_ else "N")
    return f"{'B' if first else 'I'}-{span.label_}_{source}"


class LfRecord:
    """Component ``techclaims_lf_record``: the names the rule component before it added,
    as ``doc.spans["lf.<function>"]`` (each rule is a labelling function)."""

    def __init__(self, nlp: Language, name: str = "techclaims_lf_record", *, function: str):
        self.name = name
        self.function = function

    def __call__(self, doc: Doc) -> Doc:
        seen = doc.user_data.get(_SEEN, set())
        now = {span_key(e): e for e in doc.ents}
        doc.spans[LF_PREFIX + self.function] = [e for k, e in now.items() if k not in seen]
        doc.user_data[_SEEN] = set(now)
        return doc


class LfTags:
    """Component ``techclaims_lf_tags``: the rules' entities become token features.

    Placed after the rule components and before the trained tok2vec, it writes what the
    rules (the labelling functions) found into ``token.tag_`` (`lf_tag`; ``O`` elsewhere),
    which the tok2vec embeds beside the word's norm, affixes and shape, sets the rules'
    entities aside in ``doc.spans["rules"]`` and clears ``doc.ents``. The ner after it is
    thus a learned aggregator: it sees each rule's vote and the words around it, and was
    trained on the annotated papers to decide which of the votes the annotation counts
    and what the rules missed (`techclaims_ner_merge` with ``rules_key="rules"`` then
    takes the ner's names and the rules' SPEEDUP spans).
    """

    def __init__(self, nlp: Language, name: str = "techclaims_lf_tags"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        # The tags as string ids, written in one `from_array`: setting `token.tag_` token by
        # token made a Token object for every word of the entry (1.4% of an ingest's CPU).
        strings = doc.vocab.strings
        tags = numpy.full(len(doc), strings.add("O"), dtype=numpy.uint64)
        found_by = {
            span_key(e): key[len(LF_PREFIX) :]
            for key, group in doc.spans.items()
            if key.startswith(LF_PREFIX)
            for e in group
        }
        for ent in doc.ents:
            # without records (no lf.* groups) the tag says only whether a list knows the name
            function = found_by.get(span_key(ent), "other") if found_by else ""
            tags[ent.start] = strings.add(lf_tag(ent, True, function))
            tags[ent.start + 1 : ent.end] = strings.add(lf_tag(ent, False, function))
        doc.user_data.pop(_SEEN, None)
        if len(doc):
            doc.from_array([TAG], tags)  # type: ignore[arg-type]  # Ints2d is an ndarray
        doc.spans[RULES_KEY] = list(doc.ents)
        doc.ents = []
        return doc


class NerStash:
    """Component ``techclaims_ner_stash``."""

    def __init__(self, nlp: Language, name: str = "techclaims_ner_stash"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[NER_KEY] = [e for e in doc.ents if e.label_ in _NAMES]
        doc.ents = []
        return doc


class _Covered:
    """The tokens some spans cover, for overlap tests in time linear in the spans."""

    def __init__(self, spans: list[Span]):
        self.tokens = {i for span in spans for i in range(span.start, span.end)}

    def __call__(self, span: Span) -> bool:
        return any(i in self.tokens for i in range(span.start, span.end))


def span_key(span: Span) -> tuple[int, int, str]:
    """A span's place and label: how two spans of one doc are told apart."""
    return span.start, span.end, span.label_


def merge_ner(
    rules: list[Span],
    ner: list[Span],
    mode: str,
    keep: set[tuple[int, int, str]] | frozenset[tuple[int, int, str]] = frozenset(),
    judged: tuple[str, ...] = _NAMES,
) -> list[Span]:
    """The entities of `mode` from the rules' entities and the ner's; in ``filter`` mode
    the rule names in `keep` (start, end, label), and those of labels not `judged`, stay
    whatever the ner says."""
    if mode == "rules" or not ner:
        return rules if mode != "model" else [e for e in rules if e.label_ not in _NAMES]
    speedups = [e for e in rules if e.label_ not in _NAMES]
    in_speedup = _Covered(speedups)
    ner = [e for e in ner if not in_speedup(e)]
    in_rules, in_ner = _Covered(rules), _Covered(ner)
    if mode == "fill":
        return rules + [e for e in ner if not in_rules(e)]
    if mode == "override":
        return [e for e in rules if e.label_ not in _NAMES or not in_ner(e)] + ner
    if mode == "model":
        return speedups + ner
    if mode == "filter":  # the rules' names the ner also found (the ner as a vote)
        return speedups + [
            e
            for e in rules
            if e.label_ in _NAMES and (e.label_ not in judged or in_ner(e) or span_key(e) in keep)
        ]
    if mode == "agree":  # the ner's names a rule also proposed (the ner's spans)
        in_names = _Covered([e for e in rules if e.label_ in _NAMES])
        return speedups + [e for e in ner if in_names(e)]
    if mode == "methods":
        kept = [e for e in rules if e.label_ not in ("METHOD",)]
        in_kept = _Covered(kept)
        methods = [e for e in ner if e.label_ == "METHOD" and not in_kept(e)]
        in_either = _Covered(kept + methods)
        others = [e for e in ner if e.label_ != "METHOD" and not in_either(e)]
        return kept + methods + others
    raise ValueError(f"techclaims_ner_merge: mode must be one of {MODES}, not {mode!r}")


#: a name that says its size: a parameter count (7B, 350M) or a size word (-small, -large, -Instruct)
_SIZED_NAME = re.compile(
    r"(?<![A-Za-z])\d+(?:\.\d+)?\s?[BbMm](?![A-Za-z])"
    rf"|[-\s](?i:{vocabulary.alternation('model-size-words')}"
    rf"|{vocabulary.alternation('model-tail-words')})(?![A-Za-z])"
)


def extended_by_ner(merged: list[Span], ner: list[Span]) -> list[Span]:
    """The names with a rule MODEL that a longer ner MODEL with a size holds whole
    (``RoBERTa-large`` in ``XLM-RoBERTa-large``, ``Whisper`` in ``Whisper-small``,
    ``LLaVA`` in ``LLaVA-v1.5-7B``) replaced by the ner's: the rule cut the name short, the
    ner read the whole sized model. Not where a method or device sits inside it (``Qwen3-8B
    GRPO``, ``Qwen2.5-7B A100``)."""
    out = list(merged)
    for span in ner:
        if span.label_ != "MODEL" or not _SIZED_NAME.search(span.text):
            continue
        inside = [
            e for e in out if e.label_ in _NAMES and e.start < span.end and span.start < e.end
        ]
        if not inside or any(
            e.label_ != "MODEL" or e.start < span.start or e.end > span.end for e in inside
        ):
            continue
        if all((e.start, e.end) == (span.start, span.end) for e in inside):
            continue
        gone = {id(e) for e in inside}
        out = [e for e in out if id(e) not in gone] + [span]
    return out


class NerMerge:
    """Component ``techclaims_ner_merge``; see the module docstring.

    With `gate`, a name only the ner found must also read as a name by the coined-name
    rules' tests (`CoinedNames.plausible`: a distinctive word (a plain acronym is not
    enough) or a Title Case phrase with a technique head; not generic, not a data
    set, not a numbered part of the paper) and be mentioned at least `min_mentions`
    times in the entry.
    """

    def __init__(
        self,
        nlp: Language,
        name: str = "techclaims_ner_merge",
        *,
        mode: str = "fill",
        gate: bool = True,
        min_mentions: int = 3,
        rules_key: str = "",
        keep_roles: tuple[str, ...] | list[str] = ("proposed", "baseline"),
        judged: tuple[str, ...] | list[str] = _NAMES,
    ):
        if mode not in MODES:
            raise ValueError(f"{name}: mode must be one of {MODES}, not {mode!r}")
        self.nlp = nlp
        self.name = name
        self.mode = mode
        self.gate = gate
        self.min_mentions = min_mentions
        self.rules_key = rules_key
        self.keep_roles = tuple(keep_roles)
        self.judged = tuple(judged)

    def _judge(self) -> Any:
        for _, pipe in self.nlp.pipeline:
            if hasattr(pipe, "plausible"):
                return pipe
        return None

    def _plausible(self, doc: Doc, span: Span) -> bool:
        """The gate: the coined-name rules' tests (`CoinedNames.plausible`) pass `span`;
        without that component in the pipeline, nothing is held back."""
        judge = self._judge()
        if judge is None:
            return True
        return bool(judge.plausible(span.text, span.label_, doc_text(doc), self.min_mentions))

    def _roles_kept(self, doc: Doc, rules: list[Span]) -> set[tuple[int, int, str]]:
        """The rule METHODs the roles component reads as proposed or compared against
        (`keep_roles`): what the entry is about, which the filter never drops."""
        if "techclaims_method_roles" not in self.nlp.pipe_names:
            return set()
        roles_of: Any = self.nlp.get_pipe("techclaims_method_roles")
        saved = list(doc.ents)
        set_entities(doc, sorted(rules, key=lambda e: e.start))
        roles = roles_of.roles(doc, doc._.proposed_methods or ())
        set_entities(doc, saved)
        return {
            span_key(e)
            for e in rules
            if e.label_ == "METHOD" and roles.get(e.text) in self.keep_roles
        }

    def __call__(self, doc: Doc) -> Doc:
        ner = list(doc.spans[NER_KEY]) if NER_KEY in doc.spans else []
        # names are written in Latin letters; a span running into Chinese (AI-硬) is a slip
        ner = [e for e in ner if not has_han(e.text)]
        rules = list(doc.spans[self.rules_key]) if self.rules_key else list(doc.ents)
        if ner and self.gate and self.mode in ("fill", "override"):
            known = {normalize_name(e.text) for e in rules}
            ner = [e for e in ner if normalize_name(e.text) in known or self._plausible(doc, e)]
        keep = self._roles_kept(doc, rules) if self.mode == "filter" and self.keep_roles else set()
        merged = merge_ner(rules, ner, self.mode, keep, self.judged)
        if ner and self.gate and self.mode in ("filter", "agree") and self._judge() is not None:
            # a name only the ner found joins when the coined-name rules' tests pass
            in_rules = _Covered(rules)
            merged += [
                e for e in ner if e.label_ in _NAMES and not in_rules(e) and self._plausible(doc, e)
            ]
        if ner and self.mode == "filter":
            merged = extended_by_ner(merged, ner)
        set_entities(doc, sorted(merged, key=lambda e: e.start))
        return doc


@Language.factory("techclaims_ner_stash", assigns=["doc.spans", "doc.ents"], requires=["doc.ents"])
def make_ner_stash(nlp: Language, name: str) -> NerStash:
    return NerStash(nlp, name)


@Language.factory(
    "techclaims_lf_record", assigns=["doc.spans"], requires=["doc.ents"], default_config={}
)
def make_lf_record(nlp: Language, name: str, function: str) -> LfRecord:
    return LfRecord(nlp, name, function=function)


@Language.factory(
    "techclaims_lf_tags", assigns=["token.tag", "doc.spans", "doc.ents"], requires=["doc.ents"]
)
def make_lf_tags(nlp: Language, name: str) -> LfTags:
    return LfTags(nlp, name)


@Language.factory(
    "techclaims_ner_merge",
    default_config={
        "mode": "fill",
        "gate": True,
        "min_mentions": 3,
        "rules_key": "",
        "keep_roles": ["proposed", "baseline"],
        "judged": ["METHOD", "MODEL", "HARDWARE"],
    },
    assigns=["doc.ents"],
    requires=["doc.spans", "doc.ents"],
)
def make_ner_merge(
    nlp: Language,
    name: str,
    mode: str,
    gate: bool,
    min_mentions: int,
    rules_key: str,
    keep_roles: list[str],
    judged: list[str],
) -> NerMerge:
    return NerMerge(
        nlp,
        name,
        mode=mode,
        gate=gate,
        min_mentions=min_mentions,
        rules_key=rules_key,
        keep_roles=keep_roles,
        judged=judged,
    )
