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
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.training import Example

from .silver import NER_LABELS, chunks
from .structure import markup_intervals

__all__ = ["GOLD_LABELS", "gold_names", "project", "gold_docs", "tagged_corpus"]

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
    papers: Iterable[dict[str, Any]], texts: Path, nlp: Language, *, lf: Language | None = None
) -> Iterator[tuple[str, Doc]]:
    """``(pid, paragraph Doc)`` with projected gold entities, for papers read by `read_gold`.

    With `lf` (the rule components up to ``techclaims_lf_tags``), the whole entry is first
    run through them, as `kg ingest` runs it (heading and title included), so each token
    carries the rules' vote in ``token.tag_`` (`combine.LfTags`), kept in the paragraphs.
    """
    from techclaims.ingest.digest.readers import read_digest

    from .pipeline import make_doc

    cache: dict[str, str] = {}
    entries: dict[str, dict[int, Any]] = {}
    for paper in papers:
        source = paper["source"]
        if source not in cache:
            cache[source] = (Path(texts) / source).read_text(encoding="utf-8")
        start, end = paper["span"]
        text = cache[source][start:end]
        if lf is None:
            doc = nlp.make_doc(text)
        else:  # LfTags leaves the rules' names in the tags and clears doc.ents
            if source not in entries:
                entries[source] = {e.span.start: e for e in read_digest(Path(texts) / source)[1]}
            entry = entries[source].get(start)
            if entry is not None and entry.text == text:
                doc = lf(make_doc(lf, entry))
            else:
                doc = lf(lf.make_doc(text))
        doc.set_ents(project(doc, gold_names(paper)), default="outside")
        for first, last in chunks(doc):
            part = doc[first:last]
            if not _LATIN.search(part.text):
                continue
            para = Doc(
                doc.vocab,
                words=[t.text for t in part],
                spaces=[bool(t.whitespace_) for t in part],
                tags=[t.tag_ for t in part] if lf is not None else None,
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


@spacy.registry.readers("techclaims.TaggedCorpus.v1")
def tagged_corpus(path: Path) -> Callable[[Language], Iterator[Example]]:
    """spaCy's corpus reader, but each example's predicted doc keeps the reference's
    ``token.tag_`` (the rules' votes, `combine.LfTags`), which the tok2vec reads; spaCy's
    own reader starts the predicted doc from the bare text."""

    def read(nlp: Language) -> Iterator[Example]:
        for ref in DocBin().from_disk(path).get_docs(nlp.vocab):
            words = [t.text for t in ref]
            spaces = [bool(t.whitespace_) for t in ref]
            pred = Doc(nlp.vocab, words=words, spaces=spaces, tags=[t.tag_ or "O" for t in ref])
            yield Example(pred, ref)

    return read
