"""Which component found which entity: every rule read as a labelling function.

`trace` runs a pipeline one component at a time and, after each, records the
entities that component added as ``doc.spans["lf.<component>"]`` (``lf.ner`` for
the trained ner, whose entities ``techclaims_ner_stash`` sets aside). The rule
components are not changed for it: what a component contributes is whatever
`doc.ents` gained while it ran, so a new rule is traced the day it is added.
``bench/eval.py --by-rule`` scores each function's names against the annotated
train papers (precision and recall at paper level), so weak rules are dropped
on evidence rather than on a reading of a few misses.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from techclaims.schema.records import Entry

from .combine import NER_KEY
from .pipeline import make_doc

__all__ = ["LF_PREFIX", "trace", "trace_entries", "functions_of"]

#: ``doc.spans`` keys of labelling functions start with this.
LF_PREFIX = "lf."

_NAMES = ("METHOD", "MODEL", "HARDWARE", "SPEEDUP")


def _key(span: Span) -> tuple[int, int, str]:
    return span.start, span.end, span.label_


def trace(nlp: Language, doc: Doc) -> Doc:
    """Run `nlp`'s components over `doc` one by one, recording what each added."""
    before: set[tuple[int, int, str]] = set()
    for name, component in nlp.pipeline:
        doc = component(doc)
        if name == "ner":
            continue  # its entities are read from doc.spans[NER_KEY] after the stash
        if NER_KEY in doc.spans and f"{LF_PREFIX}ner" not in doc.spans:
            doc.spans[f"{LF_PREFIX}ner"] = list(doc.spans[NER_KEY])
            before = set()
        now = {_key(e): e for e in doc.ents if e.label_ in _NAMES}
        added = [span for key, span in now.items() if key not in before]
        if added:
            doc.spans[f"{LF_PREFIX}{name}"] = added
        before = set(now)
    return doc


def trace_entries(nlp: Language, entries: Iterable[Entry]) -> Iterator[tuple[Entry, Doc]]:
    """`annotate`, traced: ``(entry, doc)`` pairs with the ``lf.*`` span groups set."""
    for entry in entries:
        yield entry, trace(nlp, make_doc(nlp, entry))


def functions_of(doc: Doc) -> dict[str, list[Span]]:
    """The labelling functions' spans on a traced doc, by function name."""
    return {
        key[len(LF_PREFIX) :]: list(group)
        for key, group in doc.spans.items()
        if key.startswith(LF_PREFIX)
    }
