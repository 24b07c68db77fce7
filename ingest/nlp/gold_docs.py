"""Training docs from the annotated papers: gold names projected onto their entry's text.

The annotation is per paper (which methods, models and hardware an entry names,
ANNOTATION.md), not per mention. Every occurrence of a gold name or alias in the
entry becomes an entity of the gold type (longest names first, whole words only,
never inside a link or an image tag); every other token is outside. So the ner
learns both what a name looks like and which names an entry counts: a system named
only in passing is not in the gold, and its mention is a negative example.

Papers are cut into paragraphs like the silver data (`silver.chunks`); paragraphs
without a Latin letter are dropped (they hold no names).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from .silver import NER_LABELS, chunks
from .structure import markup_intervals

__all__ = ["GOLD_LABELS", "gold_names", "project", "gold_docs"]

GOLD_LABELS = {"methods": "METHOD", "models": "MODEL", "hardware": "HARDWARE"}
_WORD = re.compile(r"[A-Za-z0-9]")
_LATIN = re.compile(r"[A-Za-z]")


def gold_names(paper: dict[str, Any]) -> list[tuple[str, str]]:
    """``(spelling, label)`` for every name and alias of the paper's gold entities, longest first."""
    names = {
        (spelling, label)
        for key, label in GOLD_LABELS.items()
        for entity in paper.get(key, [])
        for spelling in (entity["name"], *entity.get("aliases", []))
        if spelling.strip()
    }
    return sorted(names, key=lambda n: (-len(n[0]), n))


def project(doc: Doc, names: list[tuple[str, str]]) -> list[Span]:
    """Entities where the gold names occur in `doc` as whole words, outside markup.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("SGLang beats vLLM; see github.com/sgl-project/sglang and vLLM-based code")
    >>> [(e.text, e.label_) for e in project(doc, [("SGLang", "METHOD"), ("vLLM", "METHOD")])]
    [('SGLang', 'METHOD'), ('vLLM', 'METHOD'), ('vLLM', 'METHOD')]
    """
    text = doc.text
    markup = markup_intervals(text)
    taken = [False] * len(text)
    spans: list[Span] = []
    for spelling, label in names:
        for match in re.finditer(re.escape(spelling), text, flags=re.IGNORECASE):
            start, end = match.span()
            if start and _WORD.match(text[start - 1]) and _WORD.match(spelling[0]):
                continue
            if end < len(text) and _WORD.match(text[end]) and _WORD.match(spelling[-1]):
                continue
            if any(taken[start:end]) or any(a < end and start < b for a, b in markup):
                continue
            span = doc.char_span(start, end, label=label, alignment_mode="strict")
            if span is None:
                continue  # a name cut inside a token (the tokenizer decides what a word is)
            spans.append(span)
            taken[start:end] = [True] * (end - start)
    return sorted(spans, key=lambda s: s.start)


def gold_docs(
    papers: Iterable[dict[str, Any]], texts: Path, nlp: Language
) -> Iterator[tuple[str, Doc]]:
    """``(pid, paragraph Doc)`` with projected gold entities, for papers read by `read_gold`."""
    cache: dict[str, str] = {}
    for paper in papers:
        source = paper["source"]
        if source not in cache:
            cache[source] = (Path(texts) / source).read_text(encoding="utf-8")
        start, end = paper["span"]
        doc = nlp.make_doc(cache[source][start:end])
        doc.set_ents(project(doc, gold_names(paper)), default="outside")
        for first, last in chunks(doc):
            part = doc[first:last]
            if not _LATIN.search(part.text):
                continue
            para = Doc(
                doc.vocab, words=[t.text for t in part], spaces=[bool(t.whitespace_) for t in part]
            )
            para.set_ents(
                [
                    Span(para, e.start - first, e.end - first, label=e.label_)
                    for e in doc.ents
                    if e.label_ in NER_LABELS and first <= e.start and e.end <= last
                ],
                default="outside",
            )
            yield paper.get("pid", source), para
