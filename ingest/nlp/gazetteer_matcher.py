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
A saved ruler remembers a digest of the gazetteer files it was built from and
rebuilds itself from the packaged files when they have changed since.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import srsly
from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .extensions import register_extensions
from .gazetteer import GAZETTEER_FILES, PATTERNS_DIR, load_gazetteer, phrase_patterns
from .regex_entities import set_entities

__all__ = ["GazetteerRuler"]

log = logging.getLogger(__name__)

register_extensions()


class GazetteerRuler:
    """Component ``techclaims_gazetteer``; see the module docstring."""

    def __init__(self, nlp: Language, name: str = "techclaims_gazetteer") -> None:
        self.nlp = nlp
        self.name = name
        self.rows: list[dict[str, Any]] = []  # {"label", "id", "words", "lower"}
        self.source = ""  # digest of the gazetteer files the rows came from ("" if given)
        self._index: dict[int, list[tuple[tuple[int, ...], str, str]]] | None = None
        self._lower_index: dict[int, list[tuple[tuple[int, ...], str, str]]] = {}

    def initialize(
        self,
        get_examples: Any = None,
        *,
        nlp: Language | None = None,
        patterns: list[dict[str, Any]] | None = None,
    ) -> None:
        """`patterns`: ``{"label", "pattern", "id", "lower"}`` rows (the gazetteer spellings when
        not given), tokenized here once."""
        packaged = phrase_patterns(load_gazetteer(GAZETTEER_FILES))
        if patterns is None:
            patterns = packaged
        self.source = _files_digest() if patterns == packaged else ""
        tokenizer = self.nlp.tokenizer
        rows = []
        seen = set()
        for row in patterns:
            lower = bool(row.get("lower"))
            words = [
                t.lower_ if lower else t.text for t in tokenizer(row["pattern"]) if not t.is_space
            ]
            key = (row["label"], row.get("id", ""), lower, tuple(words))
            if words and key not in seen:
                seen.add(key)
                rows.append(
                    {"label": row["label"], "id": row.get("id", ""), "words": words, "lower": lower}
                )
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

    def matches(self, doc: Doc) -> list[Span]:
        """Every pattern match in `doc` (overlapping ones included)."""
        if self._index is None:
            self.initialize()
        assert self._index is not None
        if not len(doc):
            return []
        found: list[Span] = []
        table = doc.to_array([ORTH, LOWER])
        for column, index in ((0, self._index), (1, self._lower_index)):
            # the word ids as ints, looked up in the index's dict: `numpy.isin` against the
            # index's first words sorted those (tens of thousands) again for every entry
            hashes = table[:, column].tolist()
            for i in [i for i, first in enumerate(hashes) if first in index]:
                for pattern, label, entry_id in index[hashes[i]]:
                    end = i + len(pattern)
                    if end <= len(hashes) and (
                        len(pattern) == 1 or tuple(hashes[i:end]) == pattern
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
    def _load(self, rows: list[dict[str, Any]], source: str) -> GazetteerRuler:
        if source and source != _files_digest():
            log.info(
                "%s: the gazetteer files changed since this pipeline was saved; re-reading them",
                self.name,
            )
            self.initialize()
        else:
            self.source = source
            self._set(rows)
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.msgpack_dumps({"rows": self.rows, "source": self.source})

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()) -> GazetteerRuler:
        msg = srsly.msgpack_loads(bytes_data)
        return self._load(msg["rows"], msg.get("source", ""))

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / "patterns.jsonl", self.rows)
        srsly.write_json(path / "source.json", {"gazetteer_sha1": self.source})

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> GazetteerRuler:
        path = Path(path)
        source = (
            srsly.read_json(path / "source.json").get("gazetteer_sha1", "")
            if (path / "source.json").exists()
            else ""
        )
        return self._load(list(srsly.read_jsonl(path / "patterns.jsonl")), source)


def _files_digest() -> str:
    """A digest of the packaged gazetteer files, to notice a saved pipeline is stale."""
    sha = hashlib.sha1()
    for name in GAZETTEER_FILES:
        sha.update((PATTERNS_DIR / name).read_bytes())
    return sha.hexdigest()


@Language.factory("techclaims_gazetteer", assigns=["doc.ents"], requires=["doc._.markup"])
def make_gazetteer_ruler(nlp: Language, name: str) -> GazetteerRuler:
    return GazetteerRuler(nlp, name)
