"""A digest file -> a `Digest` record: read, repair, split, annotate, build records.

This is the unit of work that a process pool or a Dask worker runs: it takes
a path and a loaded spaCy pipeline and returns plain records, nothing shared.
"""

from __future__ import annotations

import gc
from functools import cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Span as SpacySpan

from techclaims.ingest.canonical import Canonical, canonical
from techclaims.ingest.digest.readers import read_digest
from techclaims.ingest.nlp.pipeline import annotate, role_of
from techclaims.ingest.papers import to_paper, unify_types
from techclaims.schema.iris import paper_key
from techclaims.schema.records import Digest, Entry

__all__ = ["Canonical", "extract_digest", "freeze_heap", "resolve"]

_FROZEN: list[bool] = []


def freeze_heap() -> None:
    """Move what is alive now (the loaded pipeline, its vocabularies and gazetteers, the imported
    modules) out of the garbage collector's sight, once per process.

    Extraction makes millions of short-lived objects (Tokens, Spans, matches), so the collector
    runs often, and each full collection walked the whole pipeline again: 5% of a digest's CPU
    time. Frozen objects are still freed by reference counting; only cycles among them would
    stay, and the pipeline lives as long as the process. Called by `kg ingest` after loading
    the pipeline (`kg.ingest_job`, and `ingest.distributed.warm` in each worker), not by `extract_digest`, which a library user may
    call inside a process of their own.

    The young generation is collected less often, too (`GC_THRESHOLD`): at Python's 700
    allocations a sample of 22 digests ran about 2,900 collections, 3-5% of the CPU, each
    walking the Tokens and Spans of the entry in hand, which reference counting frees anyway
    when the entry's Docs go."""
    if not _FROZEN:
        gc.collect()
        gc.freeze()
        gc.set_threshold(*GC_THRESHOLD)
        _FROZEN.append(True)


#: `gc.set_threshold` after `freeze_heap`: a young generation of 20,000 objects instead of
#: Python's 700 (the older two as Python's defaults).
GC_THRESHOLD = (20_000, 10, 10)


def resolve(label: str, text: str) -> Canonical:
    """Canonical name, type and properties of a name: the gazetteers, else the name parsed (see ingest.canonical)."""
    return _resolve(label, text)


@cache
def _resolve(label: str, text: str) -> Canonical:
    return canonical(label, text)


def extract_digest(
    path: Path, nlp: Language, *, n_process: int = 1, source: str | None = None
) -> Digest:
    """Everything one digest file says, as records. Raises `IngestError` for a bad file.
    `source` is the digest's name (its path below the folder ingested; default: the file name)."""
    info, entries = read_digest(path, source)
    groups: dict[str, list[Entry]] = {}  # a paper's entries, papers in order of first appearance
    for entry in entries:
        groups.setdefault(paper_key(entry.arxiv_id, entry.title), []).append(entry)
    # One pass of the pipeline over the entries, a paper's together: each paper is built as soon
    # as its Docs are out and the Docs are let go, so memory follows the entry, not the file.
    pairs = annotate(nlp, (e for group in groups.values() for e in group), n_process=n_process)
    papers = tuple(
        to_paper([next(pairs) for _ in group], resolve, _role) for group in groups.values()
    )
    return Digest(
        source=info.source,
        format=info.format,
        sha256=info.sha256,
        repaired=info.repaired,
        title=info.title,
        papers=unify_types(papers),
        dropped=info.dropped,
    )


def _role(ent: SpacySpan) -> str | None:
    return role_of(ent)
