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
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from techclaims.schema.records import Entry

from .combine import LF_PREFIX, NER_KEY, LfRecord, LfTags, span_key
from .pipeline import make_doc

__all__ = ["LF_PREFIX", "trace", "trace_entries", "functions_of", "rule_table", "format_rule_table"]

_NAMES = ("METHOD", "MODEL", "HARDWARE", "SPEEDUP")


def trace(nlp: Language, doc: Doc) -> Doc:
    """Run `nlp`'s components over `doc` one by one, recording what each added.

    In the stacked pipeline the name rules are recorded by the pipeline itself
    (``techclaims_lf_record`` after each: ``lf.gazetteer``, ``lf.coined`` ...);
    ``techclaims_lf_tags`` sets the rules' names aside, and what the merge then
    keeps is recorded as ``lf.techclaims_ner_merge``: the aggregator's names."""
    before: set[tuple[int, int, str]] = set()
    recorded = {
        name
        for name, next_name in zip(nlp.pipe_names, nlp.pipe_names[1:], strict=False)
        if isinstance(nlp.get_pipe(next_name), LfRecord)
    }
    for name, component in nlp.pipeline:
        doc = component(doc)
        if name == "ner":
            continue  # its entities are read from doc.spans[NER_KEY] after the stash
        if isinstance(component, LfTags):
            before = set()
            continue
        if NER_KEY in doc.spans and f"{LF_PREFIX}ner" not in doc.spans:
            doc.spans[f"{LF_PREFIX}ner"] = list(doc.spans[NER_KEY])
            before = set()
        now = {span_key(e): e for e in doc.ents if e.label_ in _NAMES}
        added = [span for key, span in now.items() if key not in before]
        if added and name not in recorded and not isinstance(component, LfRecord):
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


_FIELDS = (("methods", "METHOD"), ("models", "MODEL"), ("hardware", "HARDWARE"))


def rule_table(
    nlp: Language, papers: Iterable[tuple[Path, dict[str, Any]]]
) -> list[tuple[str, int, int, int]]:
    """Each labelling function's names against gold papers' names, at paper level:
    ``(function, names it proposed that gold has, names it proposed, gold names)``,
    best precision first; each function also per label (``"<function> METHOD"``).

    `papers` pairs a gold paper (`techclaims.schema.gold.read_gold`) with its digest
    file. A function's name is a (type, normalised spelling) it added to the paper's
    entities, right when the paper's gold names that spelling (or an alias of it)
    with the same type, whether or not a later rule kept it. SPEEDUP spans are not
    names and are left out.
    """
    from techclaims.ingest.digest.readers import read_digest
    from techclaims.schema.gold import gold_entries
    from techclaims.schema.iris import norm_key

    right: dict[str, int] = {}
    proposed: dict[str, int] = {}
    total = 0
    entries_of: dict[Path, list[Entry]] = {}
    for path, gold in papers:
        if path not in entries_of:
            entries_of[path] = list(read_digest(path)[1])
        chosen = gold_entries(entries_of[path], [gold])
        names = {
            (kind, norm_key(spelling))
            for field, kind in _FIELDS
            for entity in gold.get(field) or []
            for spelling in (entity["name"], *(entity.get("aliases") or []))
        }
        total += len({(k, norm_key(e["name"])) for f, k in _FIELDS for e in gold.get(f) or []})
        found: dict[str, set[tuple[str, str]]] = {}
        for _, doc in trace_entries(nlp, chosen):
            for function, spans in functions_of(doc).items():
                for span in spans:
                    if span.label_ != "SPEEDUP":
                        name = (span.label_, norm_key(span.text))
                        found.setdefault(function, set()).add(name)
                        found.setdefault(f"{function} {span.label_}", set()).add(name)
        for function, got in found.items():
            proposed[function] = proposed.get(function, 0) + len(got)
            right[function] = right.get(function, 0) + len(got & names)
    return sorted(
        ((f, right.get(f, 0), n, total) for f, n in proposed.items()),
        key=lambda row: (-(row[1] / row[2] if row[2] else 0), row[0]),
    )


def format_rule_table(rows: list[tuple[str, int, int, int]]) -> str:
    """`rule_table`'s rows as the table `kg eval --by-rule` prints."""
    lines = [f"{'labelling function':36} {'right':>6} / {'named':>6} = precision   recall"]
    for function, right, named, total in rows:
        precision = right / named if named else 0.0
        recall = right / total if total else 0.0
        lines.append(f"{function:36} {right:6} / {named:6} = {precision:9.3f}   {recall:6.3f}")
    return "\n".join(lines)
