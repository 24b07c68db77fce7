"""The gazetteer matcher: every spelling of every gazetteer entry, matched as tokens.

``techclaims_gazetteer`` does what spaCy's ``span_ruler`` does with phrase
patterns on ``ORTH`` (longest match wins, ties keep the entities already set;
matches overlapping markup are dropped; each entity's `ent_id_` is its gazetteer
id), but it keeps its patterns as token lists. The tokenizer runs over the
~24,000 spellings once, in `initialize`; a saved pipeline loads them as words
and indexes them by their first token's hash, so loading costs no tokenizing and
no `Doc`s (spaCy's ruler re-tokenizes every pattern, through the components
before it, on every load: about 3 s here; building a `PhraseMatcher` from
pattern `Doc`s about 1.5 s). Matching looks up each token's hash in that index.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import srsly
import numpy
from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .extensions import register_extensions
from .gazetteer import GAZETTEER_FILES, load_gazetteer, phrase_patterns
from .rules import set_entities

__all__ = ["GazetteerRuler"]

register_extensions()


class GazetteerRuler:
    """Component ``techclaims_gazetteer``; see the module docstring."""

    def __init__(self, nlp: Language, name: str = "techclaims_gazetteer") -> None:
        self.nlp = nlp
        self.name = name
        self.rows: list[dict[str, Any]] = []  # {"label", "id", "words"}
        self._index: dict[int, list[tuple[tuple[int, ...], str, str]]] | None = None
        self._lower_index: dict[int, list[tuple[tuple[int, ...], str, str]]] = {}
        self._firsts = numpy.zeros(0, dtype="uint64")
        self._lower_firsts = numpy.zeros(0, dtype="uint64")

    def initialize(
        self,
        get_examples: Any = None,
        *,
        nlp: Language | None = None,
        patterns: list[dict[str, Any]] | None = None,
    ) -> None:
        """`patterns`: ``{"label", "pattern", "id", "lower"}`` rows (the gazetteer spellings when
        not given), tokenized here once."""
        if patterns is None:
            patterns = phrase_patterns(load_gazetteer(GAZETTEER_FILES))
        tokenizer = self.nlp.tokenizer
        rows = []
        seen = set()
        for row in patterns:
            lower = bool(row.get("lower"))
            words = [t.lower_ if lower else t.text for t in tokenizer(row["pattern"]) if not t.is_space]
            key = (row["label"], row.get("id", ""), lower, tuple(words))
            if words and key not in seen:
                seen.add(key)
                rows.append({"label": row["label"], "id": row.get("id", ""), "words": words,
                             "lower": lower})  # fmt: skip
        self._set(rows)

    def _set(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        strings = self.nlp.vocab.strings
        indexes: tuple[dict, dict] = ({}, {})  # by ORTH, by LOWER
        for row in rows:
            hashes = tuple(strings.add(word) for word in row["words"])
            index = indexes[1 if row.get("lower") else 0]
            index.setdefault(hashes[0], []).append((hashes, row["label"], row["id"]))
        self._index, self._lower_index = indexes
        self._firsts = numpy.fromiter(self._index.keys(), dtype="uint64", count=len(self._index))
        self._lower_firsts = numpy.fromiter(self._lower_index.keys(), dtype="uint64",
                                            count=len(self._lower_index))  # fmt: skip

    def matches(self, doc: Doc) -> list[Span]:
        """Every pattern match in `doc` (overlapping ones included)."""
        if self._index is None:
            self.initialize()
        assert self._index is not None
        if not len(doc):
            return []
        found: list[Span] = []
        table = doc.to_array([ORTH, LOWER])
        for column, index, firsts in ((0, self._index, self._firsts),
                                      (1, self._lower_index, self._lower_firsts)):  # fmt: skip
            hashes = table[:, column]
            for i in numpy.flatnonzero(numpy.isin(hashes, firsts)).tolist():
                for pattern, label, entry_id in index[int(hashes[i])]:
                    end = i + len(pattern)
                    if end <= len(hashes) and (
                        len(pattern) == 1 or tuple(hashes[i:end].tolist()) == pattern
                    ):
                        found.append(Span(doc, i, end, label=label, span_id=entry_id))
        return found

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(sorted({row["label"] for row in self.rows}))

    def __call__(self, doc: Doc) -> Doc:
        spans = [span for span in self.matches(doc) if not span._.is_markup]
        if spans:
            set_entities(doc, filter_spans(list(doc.ents) + sorted(set(spans))))
        return doc

    # -- serialization ---------------------------------------------------------------
    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.msgpack_dumps({"rows": self.rows})

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()) -> GazetteerRuler:
        self._set(srsly.msgpack_loads(bytes_data)["rows"])
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / "patterns.jsonl", self.rows)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> GazetteerRuler:
        self._set(list(srsly.read_jsonl(Path(path) / "patterns.jsonl")))
        return self


@Language.factory("techclaims_gazetteer")
def make_gazetteer_ruler(nlp: Language, name: str) -> GazetteerRuler:
    return GazetteerRuler(nlp, name)
