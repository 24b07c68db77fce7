"""Stable IRIs from natural keys: the one place where resource IRIs are made.

A resource gets the same IRI from any digest and on any re-run, because the
IRI is derived from its arXiv id or its normalised canonical name, never from
a counter. Everything else asks these functions; nobody builds IRIs by hand.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

KG = "https://w3id.org/techclaims/kg#"
KGR = "https://w3id.org/techclaims/id/"

_NON_KEY = re.compile(r"[\s\-_.·]+")
_NON_SLUG = re.compile(r"[^0-9a-z\u4e00-\u9fff]+")


@lru_cache(maxsize=1 << 16)
def norm_key(name: str) -> str:
    """Normalise a name the way the scorer does: case, spaces, hyphens, underscores and dots ignored.

    >>> norm_key("Qwen3 32B") == norm_key("qwen3-32b") == norm_key("Qwen3_32B")
    True
    >>> norm_key("Llama-3-8B") == norm_key("Llama-3.1-8B")
    False
    """
    return _NON_KEY.sub("", unicodedata.normalize("NFKC", name).casefold())


def _slug(text: str, limit: int = 60, exact: bool = False) -> str:
    """A readable IRI segment; long or lossy slugs get a hash so distinct keys stay distinct.

    With `exact`, any character the slug drops or rewrites counts as lossy: entity
    keys are already free of separators, so `0` and `0{` must not share a slug.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    slug = _NON_SLUG.sub("-", folded).strip("-")
    lossy = slug != folded if exact else slug.replace("-", "") != _NON_SLUG.sub("", folded)
    if not slug or len(slug) > limit or lossy:
        digest = hashlib.sha1(folded.encode("utf-8")).hexdigest()[:10]
        slug = f"{slug[:limit].strip('-')}-{digest}".strip("-")
    return slug


def digest_iri(source: str) -> str:
    """The digest document, also the name of its named graph, from its `source`: the file's path
    below the folder it was ingested from (``daily/2026-01-02/README.md``), or its name.

    The readable part is the path folded to a slug, which loses case, punctuation, folders and
    letters outside its alphabet; a hash of the exact path (NFC) always follows, so two different
    paths never share a graph (``x.y.md`` and ``x_y.md``, ``Notes.md`` and ``notes.md``,
    ``a/notes.md`` and ``b/notes.md``) and the same path always gets the same one. (Always, not
    only when the slug is lossy: else a file could be named after another's slug and hash.)

    >>> digest_iri("000_9c1e8838ba8ffd38.txt")
    'https://w3id.org/techclaims/id/digest/000-9c1e8838ba8ffd38-txt-1b24263b6a139f30'
    >>> digest_iri("x.y.md") != digest_iri("x_y.md") and digest_iri("Notes.md") != digest_iri("notes.md")
    True
    """
    exact = unicodedata.normalize("NFC", source)
    slug = _NON_SLUG.sub("-", exact.casefold()).strip("-")[:120].strip("-")
    digest = hashlib.sha256(exact.encode("utf-8")).hexdigest()[:16]
    return f"{KGR}digest/{slug}-{digest}" if slug else f"{KGR}digest/{digest}"


def legacy_digest_iri(source: str) -> str:
    """The graph name earlier versions gave a digest: the slug of its file name alone, so names
    that fold to one slug shared a graph. `kg.store.renamed_digests` renames such graphs once."""
    return f"{KGR}digest/{_slug(source, 120)}"


def paper_key(arxiv_id: str | None, title: str) -> str:
    """The natural key of a paper: its arXiv id, else its normalised title.

    >>> paper_key("2511.00413", "whatever")
    '2511.00413'
    >>> paper_key(None, "Tree Training: Accelerating") == paper_key(None, "tree-training accelerating")
    True
    """
    if arxiv_id:
        return arxiv_id
    return "title:" + re.sub(
        r"[^0-9a-z\u4e00-\u9fff]+", "", unicodedata.normalize("NFKC", title).casefold()
    )


def paper_iri(key: str) -> str:
    """A paper, from the key `paper_key` made.

    >>> paper_iri("2511.00413")
    'https://w3id.org/techclaims/id/paper/2511.00413'
    """
    if key.startswith("title:"):
        return f"{KGR}paper/t-{_slug(key[6:])}"
    return f"{KGR}paper/{key}"


def entity_iri(entity_type: str, name: str) -> str:
    """A method, model or hardware node, keyed by its normalised canonical name.

    >>> entity_iri("MODEL", "Qwen3-32B") == entity_iri("MODEL", "qwen3 32b")
    True
    """
    kind = {"METHOD": "method", "MODEL": "model", "HARDWARE": "hardware"}[entity_type]
    return f"{KGR}{kind}/{_slug(norm_key(name), exact=True)}"


#: the metric head words that count as one family, ``speed`` (the summary graphs group by it too)
SPEED_METRICS = ("speed", "speedup", "throughput", "latency", "time", "TTFT", "TPOT", "TBT", "ITL")


def metric_family(metric: str | None) -> str | None:
    """What a claim measures, coarsely, so one fact read from two digests (or stated twice) is one
    claim: any speed, throughput, latency or time is ``speed``; otherwise the metric's head word.

    >>> metric_family("end-to-end inference speed"), metric_family("TTFT"), metric_family("fine-tuning memory")
    ('speed', 'speed', 'memory')
    """
    if not metric:
        return None
    head = metric.split()[-1]
    return "speed" if head in SPEED_METRICS else head


def claim_iri(
    paper: str,
    value: float,
    value_max: float | None,
    unit: str,
    metric: str | None,
    method: str | None,
) -> str:
    """A claim, keyed by its paper and what it states (so a restatement is the same node)."""
    facts = f"{paper}|{value:g}|{value_max if value_max is None else format(value_max, 'g')}|{unit}|{metric}|{norm_key(method or '')}"
    return f"{KGR}claim/{hashlib.sha1(facts.encode('utf-8')).hexdigest()[:16]}"


def topic_iri(name: str) -> str:
    """A concept of the topic scheme in schema/topics.ttl."""
    return f"{KGR}topic/{name}"
