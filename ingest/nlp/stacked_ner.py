"""The stacked ner, run only where its filter can act.

In the stacked recognizer (``configs/ner_lf.cfg``, `train.assemble_stacked`) the trained
tok2vec + ner read every token of every entry, though in ``filter`` mode
(`combine.merge_ner`) what they say matters only where a rule proposed a name: a rule's
name stays when the ner also tags it. That is most of its cost (1.5x the CPU of a corpus
ingest with the shipped pipeline, docs/evaluation.md). ``techclaims_stacked_ner`` holds
the trained tok2vec + ner as a pipeline of its own (saved in the component's folder) and,
placed after ``techclaims_lf_tags``, runs them only on the sentences that hold a rule's
name, as small docs that share the outer vocab (so the floret vectors, norms and the
rules' votes in ``token.tag_`` are those of the outer tokens), batched; the names found
go to ``doc.spans["ner"]`` at the outer doc's token offsets, where
``techclaims_ner_merge`` reads them (no ``techclaims_ner_stash`` is needed: the outer
``doc.ents`` are never touched).

Each run of chosen sentences is extended by `context` tokens each side: with the
encoder's receptive field (depth x window; 4 for ``ner_lf.cfg``) the vectors of the
chosen tokens are the ones the whole entry would give them. Names the ner finds outside
the chosen sentences (the extension included) are not reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy
import spacy
from spacy.attrs import NORM, ORTH, SENT_START, SPACY, TAG
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch
from spacy.vectors import Mode, Vectors  # type: ignore[import-not-found]  # Cython, no stubs

from .combine import NER_KEY, RULES_KEY

__all__ = ["StackedNer", "sub_pipeline", "chosen_runs", "FloretCache"]

_NAMES = ("METHOD", "MODEL", "HARDWARE")
#: The components a stacked ner pipeline brings (`sub_pipeline`).
PARTS = ("tok2vec", "ner")
#: What a piece copies of its tokens beyond the words (the lexemes are shared): the
#: norm and the rules' vote embedded by the tok2vec, and the sentence starts, which the
#: ner's entities may not cross.
_COPIED = [NORM, TAG, SENT_START]
#: What is read of the outer doc's tokens: the words and their trailing spaces, then `_COPIED`.
_READ = [ORTH, SPACY, *_COPIED]


def sub_pipeline(trained: Language, vocab: Any = None) -> Language:
    """A pipeline of `trained`'s tok2vec and ner alone, on `vocab` (default `trained`'s),
    with the techclaims tokenizer, so that its folder loads by itself too."""
    vocab = trained.vocab if vocab is None else vocab
    tokenizer = dict(trained.config["nlp"]["tokenizer"])
    sub = spacy.blank(trained.lang or "xx", vocab=vocab, config={"nlp": {"tokenizer": tokenizer}})
    for part in PARTS:
        sub.add_pipe(part, source=trained)
    return sub


def chosen_runs(
    doc: Doc, spans: Iterable[Span], context: int
) -> tuple[list[tuple[int, int]], numpy.ndarray]:
    """The token ranges to run the ner on, and which tokens were chosen: the sentences
    that overlap `spans`, contiguous ones joined, each run extended by `context` tokens
    each side and runs that then touch merged. Without sentence boundaries the doc is
    one sentence."""
    n = len(doc)
    if n == 0:
        return [], numpy.zeros(0, dtype=bool)
    if doc.has_annotation("SENT_START"):
        starts = doc.to_array([SENT_START]).reshape(-1) == 1
        starts[0] = True
    else:
        starts = numpy.zeros(n, dtype=bool)
        starts[0] = True
    sentence = numpy.cumsum(starts) - 1
    wanted = numpy.zeros(int(sentence[-1]) + 1, dtype=bool)
    for span in spans:
        wanted[sentence[span.start] : sentence[span.end - 1] + 1] = True
    chosen = wanted[sentence]
    if not chosen.any():
        return [], chosen
    edges = numpy.flatnonzero(numpy.diff(numpy.concatenate(([0], chosen.view(numpy.int8), [0]))))
    runs: list[tuple[int, int]] = []
    for start, end in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
        start, end = max(0, start - context), min(n, end + context)
        if runs and start <= runs[-1][1]:
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    return runs, chosen


class StackedNer:
    """Component ``techclaims_stacked_ner``: the trained tok2vec + ner of the stacked
    recognizer, run on the sentences that hold a rule's name (see the module docstring).

    `rules_key`: where the rules' entities are (``doc.spans["rules"]``, set by
    ``techclaims_lf_tags``; empty: ``doc.ents``); `labels`: the rule labels whose
    sentences are read; `context`: tokens added each side of a run; `batch_tokens`: about
    how many tokens the inner pipeline reads per batch (bounds its memory).
    ``tokens_seen`` / ``tokens_run`` count the outer tokens and those the ner read.
    """

    def __init__(
        self,
        nlp: Language,
        name: str = "techclaims_stacked_ner",
        *,
        rules_key: str = RULES_KEY,
        labels: Sequence[str] = _NAMES,
        context: int = 4,
        batch_tokens: int = 10000,
    ):
        if context < 0 or batch_tokens < 1:
            raise ValueError(f"{name}: context must be >= 0 and batch_tokens >= 1")
        self.name = name
        self.vocab = nlp.vocab
        self.rules_key = rules_key
        self.labels = tuple(labels)
        self.context = context
        self.batch_tokens = batch_tokens
        self.inner: Language | None = None
        self.tokens_seen = 0
        self.tokens_run = 0

    def use(self, trained: Language) -> None:
        """Take `trained`'s tok2vec + ner (a ``spacy train`` output of ``ner_lf.cfg``, or
        a stacked pipeline) as the inner pipeline; its vectors become the outer vocab's."""
        if trained.vocab is not self.vocab:
            self.vocab.vectors = trained.vocab.vectors
        self.inner = sub_pipeline(trained, self.vocab)

    def _rules(self, doc: Doc) -> list[Span]:
        spans = doc.spans[self.rules_key] if self.rules_key in doc.spans else ()
        found = list(spans) if self.rules_key else list(doc.ents)
        return [e for e in found if e.label_ in self.labels]

    def _piece(self, values: numpy.ndarray, start: int, end: int) -> Doc:
        """Tokens `start`..`end` of a doc as a doc of the same vocab with their norms,
        tags (the rules' votes) and sentence starts: `values` is the doc's
        ``to_array(_READ)``. Words and spaces come from that array too: reading them
        from `Token` objects cost more than the rest of the piece."""
        strings = self.vocab.strings
        rows = values[start:end]
        words = [strings[key] for key in rows[:, 0].tolist()]
        spaces = [bool(space) for space in rows[:, 1].tolist()]
        piece = Doc(self.vocab, words=words, spaces=spaces)
        copied = rows[:, 2:].copy()
        copied[0, 2] = 1
        piece.from_array(_COPIED, copied)  # type: ignore[arg-type]  # Ints2d is an ndarray
        return piece

    def _annotate(self, docs: list[Doc]) -> None:
        if self.inner is None:
            raise ValueError(
                f"{self.name} has no trained tok2vec + ner: load the pipeline from disk "
                "or call use(trained)"
            )
        FloretCache.install(self.vocab)
        jobs: list[tuple[int, int, Doc]] = []
        chosen_of: list[numpy.ndarray] = []
        for number, doc in enumerate(docs):
            runs, chosen = chosen_runs(doc, self._rules(doc), self.context)
            chosen_of.append(chosen)
            self.tokens_seen += len(doc)
            if not runs:
                continue
            values = doc.to_array(_READ)
            for start, end in runs:
                self.tokens_run += end - start
                jobs.append((number, start, self._piece(values, start, end)))
        found: list[list[Span]] = [[] for _ in docs]
        for batch in _by_tokens(jobs, self.batch_tokens):
            pieces = [piece for _, _, piece in batch]
            for (number, start, _), piece in zip(
                batch, self.inner.pipe(pieces, batch_size=len(pieces)), strict=True
            ):
                doc, chosen = docs[number], chosen_of[number]
                for ent in piece.ents:
                    first, last = start + ent.start, start + ent.end
                    if ent.label_ in _NAMES and chosen[first:last].any():
                        found[number].append(Span(doc, first, last, label=ent.label_))
        for doc, names in zip(docs, found, strict=True):
            doc.spans[NER_KEY] = names

    def __call__(self, doc: Doc) -> Doc:
        self._annotate([doc])
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        for docs in minibatch(stream, size=batch_size):
            self._annotate(docs)
            yield from docs

    def initialize(self, get_examples: Any = None, *, nlp: Language | None = None) -> None:
        """Nothing to train here (the inner pipeline is trained by ``spacy train``); an
        outer ``nlp.initialize()`` only checks that one is there."""
        if self.inner is None:
            raise ValueError(f"{self.name}: call use(trained) before initializing")

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """The inner pipeline, whole (vocab and vectors too), so the folder also loads
        with ``spacy.load`` alone."""
        if self.inner is None:
            raise ValueError(f"{self.name}: nothing to save, call use(trained) first")
        self.inner.to_disk(path)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> StackedNer:
        """The inner pipeline from `path`, on the outer vocab; the folder's vectors are
        loaded into it when the outer pipeline brought none."""
        path = Path(path)
        config = spacy.util.load_config(path / "config.cfg", interpolate=False)
        inner = spacy.util.load_model_from_config(config, vocab=self.vocab, auto_fill=False)
        vectors = path / "vocab" / "vectors"
        if vectors.exists() and self.vocab.vectors.shape[0] == 0:
            self.vocab.vectors.from_disk(path / "vocab", exclude=["strings"])
        self.inner = inner.from_disk(path, exclude=["vocab", "tokenizer"])
        return self


class FloretCache(Vectors):
    """floret vectors that keep each word's vector once made (the same numbers).

    A floret table has no row per word: `Vectors.get_batch` hashes every character n-gram of
    each distinct word of the batch and averages their rows, again for every batch, in
    Python (2-3% of an ingest's CPU). A word's vector depends on the word alone (each is
    averaged by itself), so it is kept here by its key and made only the first time;
    `limit` words at most, then the cache starts again. Only `get_batch` (what the
    tok2vec's static vectors read) differs from `Vectors`.
    """

    limit = 200_000

    @classmethod
    def install(cls, vocab: Any) -> None:
        """Make `vocab`'s floret vectors a `FloretCache` (a copy of the table; once)."""
        vectors = vocab.vectors
        if isinstance(vectors, cls) or not isinstance(vectors, Vectors):
            return
        if vectors.mode != Mode.floret or vectors.shape[0] == 0:
            return
        cached = cls(strings=vocab.strings)
        cached.from_bytes(vectors.to_bytes(exclude=["strings"]), exclude=["strings"])
        vocab.vectors = cached

    def get_batch(self, keys: Any) -> Any:
        if self.mode != Mode.floret:
            return super().get_batch(keys)
        cache = self.__dict__.setdefault("_rows", {})
        wanted = numpy.asarray(keys, dtype=numpy.uint64)
        unique, inverse = numpy.unique(wanted, return_inverse=True)
        if len(unique) == 0:
            return super().get_batch(keys)
        unique_keys = unique.tolist()
        new = [key for key in unique_keys if key not in cache]
        if new:
            if len(cache) + len(new) > self.limit:
                cache.clear()
                new = unique_keys
            made = numpy.asarray(super().get_batch(new), dtype=self.data.dtype)
            cache.update(zip(new, made, strict=True))
        rows = numpy.stack([cache[key] for key in unique_keys])
        return numpy.ascontiguousarray(rows[inverse.reshape(-1)])


def _by_tokens(jobs: list[tuple[int, int, Doc]], size: int) -> Iterator[list[tuple[int, int, Doc]]]:
    """`jobs` in order, in batches of about `size` tokens (a longer piece alone)."""
    batch: list[tuple[int, int, Doc]] = []
    count = 0
    for job in jobs:
        if batch and count + len(job[2]) > size:
            yield batch
            batch, count = [], 0
        batch.append(job)
        count += len(job[2])
    if batch:
        yield batch


@Language.factory(
    "techclaims_stacked_ner",
    default_config={
        "rules_key": RULES_KEY,
        "labels": list(_NAMES),
        "context": 4,
        "batch_tokens": 10000,
    },
    assigns=["doc.spans"],
    requires=["token.tag", "doc.spans"],
)
def make_stacked_ner(
    nlp: Language,
    name: str,
    rules_key: str,
    labels: list[str],
    context: int,
    batch_tokens: int,
) -> StackedNer:
    return StackedNer(
        nlp,
        name,
        rules_key=rules_key,
        labels=labels,
        context=context,
        batch_tokens=batch_tokens,
    )
