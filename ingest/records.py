"""(entry, Doc) -> pydantic records: the one module that knows both spaCy and the records.

Entries of one digest that are the same paper (same arXiv id, else the same
normalised title) become one `Paper`. Entity mentions are grouped under their
canonical name (from the gazetteers when a list knows the name, else the
spelling itself), every other spelling kept as an alias. Offsets become
digest offsets by adding the entry's start.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span as SpacySpan

from ingest.claims import claims_of
from ingest.topics import assign_topics
from kgschema.iris import norm_key, paper_key
from kgschema.records import Claim, Digest, Entity, Entry, Paper, Span

ROLE_RANK = {"proposed": 0, "baseline": 1, "used": 2}


@dataclass(frozen=True)
class Canonical:
    """What the knowledge base says about a name: its canonical form and properties."""

    name: str
    family: str | None = None
    vendor: str | None = None
    parameters: float | None = None
    broader: str | None = None


Resolver = Callable[[str, str], Canonical]  # (label, surface text) -> canonical


def as_is(label: str, text: str) -> Canonical:
    """The resolver of last resort: a name no list knows is its own canonical form."""
    return Canonical(name=text)


@dataclass
class _EntityBag:
    type: str
    canonical: Canonical
    spellings: set[str] = field(default_factory=set)
    role: str | None = None

    def add(self, spelling: str, role: str | None) -> None:
        self.spellings.add(spelling)
        if role and (self.role is None or ROLE_RANK[role] < ROLE_RANK[self.role]):
            self.role = role

    def record(self) -> Entity:
        name = self.canonical.name
        return Entity(type=self.type, name=name, aliases=tuple(sorted(self.spellings - {name})),
                      role=(self.role or "used") if self.type == "METHOD" else None,
                      family=self.canonical.family, vendor=self.canonical.vendor,
                      parameters=self.canonical.parameters, broader=self.canonical.broader)


def _clean_surface(ent: SpacySpan) -> str:
    return " ".join(ent.text.split()).strip("*`_ ")


def entities_of(docs: Iterable[tuple[Entry, Doc]], resolve: Resolver,
                role_of: Callable[[SpacySpan], str | None]) -> tuple[Entity, ...]:
    """One entity per canonical name across the paper's entries, spellings merged."""
    bags: dict[tuple[str, str], _EntityBag] = {}
    for _, doc in docs:
        for ent in doc.ents:
            if ent.label_ not in ("METHOD", "MODEL", "HARDWARE"):
                continue
            surface = _clean_surface(ent)
            if not norm_key(surface):
                continue
            canonical = resolve(ent.label_, surface)
            key = (ent.label_, norm_key(canonical.name))
            bag = bags.setdefault(key, _EntityBag(ent.label_, canonical))
            bag.add(surface, role_of(ent) if ent.label_ == "METHOD" else None)
    return tuple(bag.record() for _, bag in sorted(bags.items()))


def to_paper(group: list[tuple[Entry, Doc]], resolve: Resolver,
             role_of: Callable[[SpacySpan], str | None]) -> Paper:
    """One paper from the entries (and their Docs) that a digest gives for it."""
    first = group[0][0]
    entities = entities_of(group, resolve, role_of)
    canonical_names = {(e.type, norm_key(alias)): e.name for e in entities for alias in (e.name, *e.aliases)}
    claims: dict[tuple, Claim] = {}
    for entry, doc in group:
        for claim in claims_of(doc, entry, entities, canonical_names):
            key = (round(claim.value, 2), claim.value_max, claim.unit, claim.metric, claim.method)
            claims.setdefault(key, claim)
    text = "\n".join(entry.text for entry, _ in group)
    return Paper(
        key=paper_key(first.arxiv_id, first.title), title=first.title, heading=first.heading,
        arxiv_id=first.arxiv_id, url=first.url, authors=first.authors, category=first.category,
        published=first.published, notes=first.notes, spans=tuple(e.span for e, _ in group),
        entities=entities, claims=tuple(claims.values()), topics=assign_topics(first.title, text),
    )


def group_by_paper(pairs: Iterable[tuple[Entry, Doc]]) -> list[list[tuple[Entry, Doc]]]:
    """Entries of the same paper together, in the order the paper first appears."""
    groups: dict[str, list[tuple[Entry, Doc]]] = {}
    for entry, doc in pairs:
        groups.setdefault(paper_key(entry.arxiv_id, entry.title), []).append((entry, doc))
    return list(groups.values())


def to_digest(source: str, fmt: str, sha256: str, repaired: bool, title: str | None,
              pairs: Iterable[tuple[Entry, Doc]], resolve: Resolver = as_is,
              role_of: Callable[[SpacySpan], str | None] = lambda ent: None) -> Digest:
    papers = tuple(to_paper(group, resolve, role_of) for group in group_by_paper(pairs))
    return Digest(source=source, format=fmt, sha256=sha256, repaired=repaired, title=title, papers=papers)


def digest_span(entry: Entry, start_char: int, end_char: int) -> Span:
    """A Doc's character offsets as offsets into the digest's repaired text."""
    return Span(start=entry.span.start + start_char, end=entry.span.start + end_char)
