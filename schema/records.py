"""The records that `ingest` produces and `kg` consumes.

These pydantic models are the only contract between the two halves of the
project: `ingest` never imports rdflib or pyoxigraph and `kg` never imports
spaCy, so everything one side learns about a digest must fit in here.

Character offsets (`start`, `end`) always point into the *repaired* text of a
digest file, i.e. what `kg repair FILE` prints. For a clean file that is the
file's own text.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["proposed", "baseline", "used"]
EntityType = Literal["METHOD", "MODEL", "HARDWARE"]
Unit = Literal["x", "%"]
Direction = Literal["increase", "decrease"]
DigestFormat = Literal["awesome", "arxiv-bot", "daily-picks", "markdown"]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(_Record):
    """Half-open character span `[start, end)` in a digest's repaired text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Entry(_Record):
    """One paper as a digest writes it, before any NLP."""

    source: str  # file name of the digest
    format: DigestFormat
    heading: str  # heading line as it appears, without the `#` marks
    title: str
    arxiv_id: str | None = None  # no version suffix
    url: str | None = None
    authors: tuple[str, ...] = ()
    category: str | None = None
    published: date | None = None
    notes: str | None = None  # organisation / venue / dates as the digest writes them
    text: str  # the entry's text, heading included
    span: Span  # where `text` sits in the digest


class Mention(_Record):
    """One entity mention found in an entry."""

    text: str
    label: EntityType | Literal["SPEEDUP"]
    span: Span


class Entity(_Record):
    """A method, model or hardware linked to a paper, with every spelling seen."""

    type: EntityType
    name: str  # canonical name (becomes skos:prefLabel)
    aliases: tuple[str, ...] = ()  # other spellings seen (skos:altLabel)
    role: Role | None = None  # methods only
    family: str | None = None  # models: family; hardware: product family
    vendor: str | None = None  # hardware
    parameters: float | None = None  # models: parameter count, in billions
    broader: str | None = None  # canonical name of a more general node (A100-80GB -> A100)


class Claim(_Record):
    """One quantitative efficiency statement of a paper about a method."""

    value: float
    value_max: float | None = None
    unit: Unit
    metric: str | None = None
    direction: Direction | None = None
    method: str | None = None  # canonical names, as in `Entity.name`
    baseline: str | None = None
    model: str | None = None
    hardware: str | None = None
    condition: str | None = None
    evidence: str
    span: Span


class Paper(_Record):
    """A paper with everything extracted about it, from one digest."""

    key: str  # arXiv id, else the normalised title: the IRI is minted from it
    title: str
    heading: str
    arxiv_id: str | None = None
    url: str | None = None
    authors: tuple[str, ...] = ()
    category: str | None = None
    published: date | None = None
    notes: str | None = None
    spans: tuple[Span, ...]  # one per entry of the digest that holds this paper
    entities: tuple[Entity, ...] = ()
    claims: tuple[Claim, ...] = ()
    topics: tuple[str, ...] = ()  # local names of concepts in schema/topics.ttl


class Digest(_Record):
    """One digest file, read and extracted; becomes one named graph."""

    source: str  # its path below the folder ingested (dcterms:source); names its graph
    format: DigestFormat
    sha256: str  # of the file's bytes, so a user can tell which version is stored
    repaired: bool = False  # True when the text was mis-encoded and repaired
    title: str | None = None
    papers: tuple[Paper, ...] = ()
    #: Entries not read, one line each (where and why): reported by `kg ingest`, not stored.
    dropped: tuple[str, ...] = ()
