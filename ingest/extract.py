"""A digest file -> a `Digest` record: read, repair, split, annotate, build records.

This is the unit of work that a process pool or a Dask worker runs: it takes
a path and a loaded spaCy pipeline and returns plain records, nothing shared.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Span as SpacySpan

from ingest.digest.readers import read_digest
from ingest.nlp.gazetteer import default_gazetteer
from ingest.nlp.pipeline import annotate, role_of
from ingest.records import Canonical, to_digest
from kgschema.records import Digest


@cache
def _resolver_table() -> dict[tuple[str, str], Canonical]:
    return {}


def resolve(label: str, text: str) -> Canonical:
    """Canonical name and properties from the gazetteers; unknown names stand for themselves."""
    key = (label, text)
    table = _resolver_table()
    if key not in table:
        entry = default_gazetteer().lookup(text)
        if entry is None or entry.label != label:
            table[key] = Canonical(name=text)
        else:
            table[key] = Canonical(name=entry.name, family=entry.family, vendor=entry.vendor,
                                   parameters=entry.parameters, broader=entry.broader)
    return table[key]


def extract_digest(path: Path, nlp: Language, *, n_process: int = 1) -> Digest:
    """Everything one digest file says, as records. Raises `IngestError` for a bad file."""
    info, entries = read_digest(path)
    pairs = annotate(nlp, entries, n_process=n_process)
    return to_digest(info.source, info.format, info.sha256, info.repaired, info.title, pairs,
                     resolve=resolve, role_of=_role)


def _role(ent: SpacySpan) -> str | None:
    return role_of(ent)
