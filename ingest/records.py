"""(entry, Doc) -> pydantic records: the one module that knows both spaCy and the records.

Entries of one digest that are the same paper (same arXiv id, else the same
normalised title) become one `Paper`. Entity mentions are grouped under their
canonical name (from the gazetteers when a list knows the name, else the
spelling itself), every other spelling kept as an alias. Offsets become
digest offsets by adding the entry's start.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from kgschema.iris import norm_key, paper_key
from kgschema.records import Digest, Entity, Entry, Paper, Span
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from ingest.canonical import Canonical, clean
from ingest.claims import (
    Mention,
    PaperContext,
    Statement,
    merge_claims,
    paper_qualifier,
    setup_of,
    size_qualifier,
    speedup_baseline_of,
    statements_of,
)
from ingest.topics import assign_topics

ROLE_RANK = {"proposed": 0, "baseline": 1, "used": 2}

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
    return clean(ent.text)


@dataclass(frozen=True)
class Named:
    """A name found in a Doc: its label and surface, and the role of a method."""

    label: str
    surface: str
    start: int
    end: int
    role: str | None = None


def names_of(doc: Doc, role_of: Callable[[SpacySpan], str | None]) -> list[Named]:
    """The METHOD / MODEL / HARDWARE mentions of a Doc, with the role of each method."""
    named = [Named(ent.label_, _clean_surface(ent), ent.start_char, ent.end_char,
                   role_of(ent) if ent.label_ == "METHOD" else None)
             for ent in doc.ents if ent.label_ in ("METHOD", "MODEL", "HARDWARE")]
    return [n for n in named if norm_key(n.surface)]


def entities_of(named: Iterable[Named], resolve: Resolver) -> tuple[Entity, ...]:
    """One entity per canonical name across the paper's entries, spellings merged.

    The type is the one the knowledge base gives the name when it knows it (a model the
    NER called a method is a model)."""
    bags: dict[tuple[str, str], _EntityBag] = {}
    for n in named:
        canonical = resolve(n.label, n.surface)
        kind = canonical.type or n.label
        key = (kind, norm_key(canonical.name))
        bag = bags.setdefault(key, _EntityBag(kind, canonical))
        bag.add(n.surface, n.role if kind == "METHOD" else None)
    return tuple(bag.record() for _, bag in sorted(bags.items()))


def to_paper(group: list[tuple[Entry, Doc]], resolve: Resolver,
             role_of: Callable[[SpacySpan], str | None]) -> Paper:
    """One paper from the entries (and their Docs) that a digest gives for it."""
    first = group[0][0]
    named = [names_of(doc, role_of) for _, doc in group]
    entities = entities_of((n for names in named for n in names), resolve)
    by_spelling = {(n.label, norm_key(n.surface)): resolve(n.label, n.surface) for names in named for n in names}
    roles = {e.name: e.role for e in entities if e.type == "METHOD"}

    def mention(n: Named) -> Mention:
        canonical = by_spelling[(n.label, norm_key(n.surface))]
        kind = canonical.type or n.label
        return Mention(n.start, n.end, kind, canonical.name, roles.get(canonical.name) if kind == "METHOD" else None)

    context = PaperContext(
        method=main_method(group, entities, resolve),
        proposed=frozenset(e.name for e in entities if e.type == "METHOD" and e.role == "proposed"),
        baselines=frozenset(e.name for e in entities if e.type == "METHOD" and e.role == "baseline"),
        qualifier=paper_qualifier(first.title, first.heading), size_qualifier=size_qualifier(first.title))
    statements: list[Statement] = []
    for (entry, doc), names in zip(group, named, strict=True):
        mentions = sorted((mention(n) for n in names), key=lambda m: (m.start, m.end))
        setup = setup_of(doc.text, mentions)
        measured = speedup_baseline_of(doc.text, mentions, context.proposed | {context.method or ""})
        statements.extend(statements_of(doc, entry, replace(context, setup=setup, speedup_baseline=measured),
                                        mentions))
    text = "\n".join(entry.text for entry, _ in group)
    return Paper(
        key=paper_key(first.arxiv_id, first.title), title=first.title, heading=first.heading,
        arxiv_id=first.arxiv_id, url=first.url, authors=first.authors, category=first.category,
        published=first.published, notes=first.notes, spans=tuple(e.span for e, _ in group),
        entities=entities, claims=tuple(merge_claims(statements)), topics=assign_topics(first.title, text),
    )


def main_method(group: list[tuple[Entry, Doc]], entities: tuple[Entity, ...], resolve: Resolver) -> str | None:
    """The paper's own method: the proposed method its heading or title names, else the one mentioned most."""
    proposed = [e for e in entities if e.type == "METHOD" and e.role == "proposed"]
    if not proposed:
        return None
    names = {norm_key(e.name): e.name for e in proposed}
    for _, doc in group:
        for name in doc._.proposed_methods or ():
            resolved = norm_key(resolve("METHOD", clean(name)).name)
            if resolved in names:
                return names[resolved]
    counts = {e.name: 0 for e in proposed}
    for _, doc in group:
        for ent in doc.ents:
            if ent.label_ == "METHOD":
                name = resolve("METHOD", _clean_surface(ent)).name
                if name in counts:
                    counts[name] += 1
    return max(proposed, key=lambda e: (counts[e.name], -len(e.name))).name


def group_by_paper(pairs: Iterable[tuple[Entry, Doc]]) -> list[list[tuple[Entry, Doc]]]:
    """Entries of the same paper together, in the order the paper first appears."""
    groups: dict[str, list[tuple[Entry, Doc]]] = {}
    for entry, doc in pairs:
        groups.setdefault(paper_key(entry.arxiv_id, entry.title), []).append((entry, doc))
    return list(groups.values())


def to_digest(source: str, fmt: str, sha256: str, repaired: bool, title: str | None,
              pairs: Iterable[tuple[Entry, Doc]], resolve: Resolver = as_is,
              role_of: Callable[[SpacySpan], str | None] = lambda ent: None) -> Digest:
    papers = unify_types(tuple(to_paper(group, resolve, role_of) for group in group_by_paper(pairs)))
    return Digest(source=source, format=fmt, sha256=sha256, repaired=repaired, title=title, papers=papers)


def unify_types(papers: tuple[Paper, ...]) -> tuple[Paper, ...]:
    """One type per name across a digest's papers: a name the NER calls a method in one entry and a model
    in another takes the type of the paper that proposes it, else the most frequent (a method on a tie).
    A claim loses a model or hardware that is no longer one; a variant loses a broader node whose name
    is a thing of another type (SWE-32B is not a variant of the method SWE)."""
    seen: dict[str, dict[str, int]] = {}
    for paper in papers:
        for e in paper.entities:
            votes = seen.setdefault(norm_key(e.name), {})
            votes[e.type] = votes.get(e.type, 0) + (100 if e.role == "proposed" else 1)
    chosen = {key: max(votes, key=lambda t: (votes[t], t == "METHOD")) for key, votes in seen.items()
              if len(votes) > 1}
    clashing = {key for key in (norm_key(e.broader) for p in papers for e in p.entities if e.broader)
                if key in seen}
    if not chosen and not clashing:
        return papers
    out = []
    for paper in papers:
        entities: dict[tuple[str, str], Entity] = {}
        for e in paper.entities:
            kind = chosen.get(norm_key(e.name), e.type)
            if kind != e.type:
                e = Entity(type=kind, name=e.name, aliases=e.aliases, role="used" if kind == "METHOD" else None)
            if e.broader and norm_key(e.broader) in seen and e.type not in seen[norm_key(e.broader)]:
                e = e.model_copy(update={"broader": None})
            entities.setdefault((kind, norm_key(e.name)), e)
        claims = tuple(c.model_copy(update={
            "model": c.model if chosen.get(norm_key(c.model or ""), "MODEL") == "MODEL" else None,
            "hardware": c.hardware if chosen.get(norm_key(c.hardware or ""), "HARDWARE") == "HARDWARE" else None,
        }) for c in paper.claims)
        out.append(paper.model_copy(update={"entities": tuple(entities.values()), "claims": claims}))
    return tuple(out)


def digest_span(entry: Entry, start_char: int, end_char: int) -> Span:
    """A Doc's character offsets as offsets into the digest's repaired text."""
    return Span(start=entry.span.start + start_char, end=entry.span.start + end_char)
