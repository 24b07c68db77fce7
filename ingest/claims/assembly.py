"""Claims from an entry: one statement per number, one claim per fact."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from spacy.tokens import Doc

from techclaims.ingest.claims.attribution import (
    attribute_of,
    baseline_of,
    condition_of,
    default_baseline,
    method_of,
    setup_of,
)
from techclaims.ingest.claims.comparison import compares_unnamed
from techclaims.ingest.claims.context import (
    Mention,
    PaperContext,
    Statement,
    Text,
    masked_text,
    where_of,
)
from techclaims.ingest.claims.filters import no_gain, not_a_claim
from techclaims.ingest.claims.layout import Layout, trimmed
from techclaims.ingest.claims.metric import GENERIC_METRICS, metric_and_direction
from techclaims.ingest.claims.quantities import Found, decimals_in, find_quantities
from techclaims.ingest.nlp.extensions import doc_text
from techclaims.schema.iris import metric_family
from techclaims.schema.records import Claim, Entry, Span


def statements_of(
    doc: Doc, entry: Entry, paper: PaperContext, mentions: list[Mention]
) -> Iterator[Statement]:
    """A statement for each number in the entry that states an efficiency gain of the paper's method."""
    text = doc_text(doc)  # `doc.text` joins every token's text again: a tenth of this function
    masked = masked_text(text, mentions)
    found = [f for f in find_quantities(masked) if "\x00" not in masked[f.start : f.end]]
    prepared = Text(
        text, masked, Layout(text), [(s.start_char, s.end_char) for s in doc.sents], found, mentions
    )
    statements = [s for at in found if (s := _statement(at, prepared, entry, paper)) is not None]
    yield from _without_a_passing_model(statements, prepared, paper)


def _without_a_passing_model(
    statements: list[Statement], t: Text, paper: PaperContext
) -> list[Statement]:
    """The statements without the entry-wide model when that model is a passing mention: named
    once in the entry, outside its setup section, and the model of no claim by the claim's own
    context (a judge, an encoder, an example). ANNOTATION.md rule 3 wants the model the entry's
    experiments name; train claim model P/R/F1 0.596/0.611/0.603 -> 0.657/0.577/0.615 with this
    (27 right models fewer, 92 wrong fewer), validation and dev unchanged. Hardware is often
    named once, in the setup: "named once" alone cost its train F1 0.755 -> 0.731, so the rule
    holds for the model only."""
    fallback = paper.setup.get("MODEL") if paper.use_setup else None
    if fallback is None or not any(s.model_from_setup for s in statements):
        return statements
    named = sum(m.type == "MODEL" and m.name == fallback for m in t.mentions)
    if (
        named > 1
        or any(s.claim.model == fallback and not s.model_from_setup for s in statements)
        or setup_of(t.text, t.mentions).get("MODEL") == fallback
    ):
        return statements
    return [
        replace(s, claim=s.claim.model_copy(update={"model": None}), model_from_setup=False)
        if s.model_from_setup
        else s
        for s in statements
    ]


def claims_of(doc: Doc, entry: Entry, paper: PaperContext, mentions: list[Mention]) -> list[Claim]:
    """The claims of one entry, one per fact."""
    return merge_claims(statements_of(doc, entry, paper, mentions))


def _statement(at: Found, t: Text, entry: Entry, paper: PaperContext) -> Statement | None:
    quantity = at.quantity
    if no_gain(at):
        return None
    w = where_of(t, at)
    if not_a_claim(at, t, w, paper):
        return None
    metric = metric_and_direction(at, t, w, paper)
    if metric is None:
        return None
    name, direction, local = metric
    method = method_of(at, t, w, paper)
    evidence_start, evidence_end = trimmed(t.text, *w.sent)
    model = attribute_of("MODEL", at, t, w, paper)
    from_setup = (  # the setup's model, read nowhere nearer (the second look only then)
        model is not None
        and model == paper.setup.get("MODEL")
        and attribute_of("MODEL", at, t, w, replace(paper, use_setup=False)) is None
    )
    claim = Claim(
        value=quantity.value,
        value_max=quantity.value_max,
        unit=quantity.unit,
        metric=name,
        direction=direction,
        method=method,
        baseline=baseline_of(at, t, w, method)
        or (
            None if compares_unnamed(t, w) else default_baseline(name, quantity.unit, paper, method)
        ),
        model=model,
        hardware=attribute_of("HARDWARE", at, t, w, paper),
        condition=condition_of(at, t, w),
        evidence=t.text[evidence_start:evidence_end],
        span=Span(start=entry.span.start + evidence_start, end=entry.span.start + evidence_end),
    )
    return Statement(claim, w.row, local, from_setup)


def _rounds_to(precise: float, rough: float) -> bool:
    """Whether `rough` is `precise` rounded (6.5 for 6.54), within 1%."""
    if precise == rough:
        return True
    if abs(precise - rough) > 0.01 * max(abs(precise), abs(rough)):
        return False
    text = repr(rough)
    decimals = len(text.split(".", 1)[1].rstrip("0")) if "." in text else 0
    return round(precise, decimals) == rough


#: metric families that are one kind of quantity when a value is stated twice: what is stored
#: ("4× 内存压缩" and "4× 权重存储压缩", "61% KV Cache 压缩" and "KV Cache 内存减少 61%")
_SAME_QUANTITY = {"size": "memory", "parameters": "memory"}

#: a metric that names no quantity of its own (overhead of time, memory or communication):
#: a restatement may say what it is ("降低 attention 开销 1.78×" and "注意力计算提速 1.78×")
_UNSAID = "overhead"


def _compatible(a: str | None, b: str | None, strict: bool = False) -> bool:
    """Whether two metrics can name one fact: one unknown or an overhead, or the same family (sizes,
    parameters and memory being one); `strict`ly, also one generic or one a narrower form of the
    other ("inference latency", "end-to-end inference latency").

    (The overhead and stored-size families: train claims P 0.821 -> 0.825, 15 false claims fewer,
    no true one lost; validation and dev unchanged. Tried: any two metrics for the same exact
    value outside one table, train 0.793 -> 0.797 F1 but a true claim lost on validation and on
    dev: 30% latency and 30% cost are two facts.)"""
    if a is None or b is None:
        return True
    family_a, family_b = metric_family(a), metric_family(b)
    if _UNSAID in (family_a, family_b) or (
        _SAME_QUANTITY.get(family_a or "", family_a) == "memory"
        and _SAME_QUANTITY.get(family_b or "", family_b) == "memory"
    ):
        return True
    if not strict:
        return metric_family(a) == metric_family(b)
    words_a, words_b = a.split(), b.split()
    return (
        a in GENERIC_METRICS
        or b in GENERIC_METRICS
        or words_a[-1] == words_b[-1]
        and (set(words_a) <= set(words_b) or set(words_b) <= set(words_a))
    )


def same_fact(a: Statement, b: Statement) -> bool:
    """The same number with the same unit about the same kind of metric (one claim node); or a
    rounded restatement of it (6.5x for 6.54x) with the same metric, not two table rows that only round alike.

    The method is not compared: a claim's method is always the paper's own (`method_of`: its main
    method, or another proposed one the clause makes the subject), and a restatement names it
    differently as often as not ("CADET ... 3× speedup" in a table, "Custom FlashAttention
    Kernel：... 3× 推理加速" in the summary; FiCCO and FiCCO-1D), so comparing it kept the
    restatement as a second claim (ANNOTATION.md: the same value about the same result is one
    claim). Train claims P/R/F1 0.809/0.768/0.788 -> 0.821/0.768/0.793 (41 false claims fewer,
    1 true one lost), validation 0.719/0.764/0.740 -> 0.740/0.764/0.752, dev unchanged."""
    x, y = a.claim, b.claim
    if x.unit != y.unit:
        return False
    if x.value == y.value and x.value_max == y.value_max:
        return _compatible(x.metric, y.metric)
    if (x.value_max is None) != (y.value_max is None) or a.in_table and b.in_table:
        return False
    if not _compatible(x.metric, y.metric, strict=True):
        return False
    if (
        x.value_max is not None
        and y.value_max is not None
        and not (_rounds_to(x.value_max, y.value_max) or _rounds_to(y.value_max, x.value_max))
    ):
        return False
    return _rounds_to(x.value, y.value) or _rounds_to(y.value, x.value)


def merge_claims(statements: Iterable[Statement | Claim]) -> list[Claim]:
    """One claim per fact: the first statement, its missing attributes filled from restatements.

    >>> first = Claim(value=6.54, unit="x", metric="speedup", evidence="a", span=Span(start=0, end=1))
    >>> again = Claim(value=6.5, unit="x", metric="kernel speed", hardware="H100", evidence="b",
    ...               span=Span(start=2, end=3))
    >>> [(c.value, c.metric, c.hardware) for c in merge_claims([first, again])]
    [(6.54, 'kernel speed', 'H100')]
    """
    kept: list[Statement] = []
    for statement in statements:
        if isinstance(statement, Claim):
            statement = Statement(statement)
        index = next((i for i, k in enumerate(kept) if same_fact(k, statement)), None)
        if index is None:
            kept.append(statement)
            continue
        first, claim = kept[index].claim, statement.claim
        updates = {
            attr: getattr(claim, attr)
            for attr in ("baseline", "model", "hardware", "condition")
            if getattr(first, attr) is None and getattr(claim, attr) is not None
        }
        if (
            claim.metric
            and claim.metric not in GENERIC_METRICS
            and (
                first.metric in GENERIC_METRICS
                or first.metric is None
                or statement.local_metric
                and not kept[index].local_metric
            )
        ):
            updates["metric"] = claim.metric
        if decimals_in(repr(claim.value)) > decimals_in(repr(first.value)) and _rounds_to(
            claim.value, first.value
        ):
            # keep the more precise statement of the number, quoted where it is stated
            updates.update(value=claim.value, evidence=claim.evidence, span=claim.span)
        if updates:
            local = kept[index].local_metric or "metric" in updates and statement.local_metric
            kept[index] = Statement(first.model_copy(update=updates), kept[index].in_table, local)
    return [s.claim for s in kept]
