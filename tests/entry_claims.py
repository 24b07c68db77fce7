"""The paper and claims the records builder makes of one made-up entry, through the real pipeline
(for the claim rule tests: test_claims, test_claims_rules, test_claims_setting,
test_claims_precision, test_claims_baseline, test_claims_model, and the hardware spelling tests
of test_canonical), and each claim's baseline, model or hardware beside its value."""

from __future__ import annotations

from spacy.language import Language

from techclaims.ingest.extract import resolve
from techclaims.ingest.nlp import make_doc
from techclaims.ingest.nlp.pipeline import role_of
from techclaims.ingest.papers import to_paper
from techclaims.schema.records import Claim, Entry, Paper, Span


def paper_of(
    nlp: Language,
    body: str,
    heading: str = "FooServe",
    title: str = "FooServe: Fast LLM Serving",
    offset: int = 0,
) -> Paper:
    """The paper of a one-entry awesome-list digest whose entry is `body` under `heading`."""
    text = f"## {heading}\n{title}\n\n{body}\n"
    entry = Entry(
        source="t.md",
        format="awesome",
        heading=heading,
        title=title,
        text=text,
        span=Span(start=offset, end=offset + len(text)),
    )
    return to_paper([(entry, nlp(make_doc(nlp, entry)))], resolve, role_of)


def claims(
    nlp: Language, body: str, heading: str = "FooServe", title: str = "FooServe: Fast LLM Serving"
) -> list[Claim]:
    """The claims of `paper_of`'s entry."""
    return list(paper_of(nlp, body, heading, title).claims)


def baselines(nlp: Language, body: str) -> list[tuple[float, str | None]]:
    """Each claim's value and baseline, in the claims' order."""
    return [(c.value, c.baseline) for c in claims(nlp, body)]


def models(nlp: Language, body: str) -> list[tuple[float, str | None]]:
    """Each claim's value and model, in the claims' order."""
    return [(c.value, c.model) for c in claims(nlp, body)]


def hardware(nlp: Language, body: str) -> list[tuple[float, str | None]]:
    """Each claim's value and hardware, in the claims' order."""
    return [(c.value, c.hardware) for c in claims(nlp, body)]


def baseline_by_value(nlp: Language, body: str) -> dict[float, str | None]:
    """The baseline of each claim's value (a value stated twice: its last claim's)."""
    return {c.value: c.baseline for c in claims(nlp, body)}
