"""Small hand-built records for graph-side tests (no spaCy needed)."""

from __future__ import annotations

from techclaims.schema.records import Claim, Digest, Entity, Paper, Span


def paper(
    key: str = "2511.00413",
    title: str = "Tree Training: Accelerating Agentic LLM Training",
    method: str = "Tree Training",
    baseline: str | None = "vLLM",
    value: float = 6.2,
) -> Paper:
    return Paper(
        key=key,
        title=title,
        heading=method,
        arxiv_id=key if not key.startswith("title:") else None,
        spans=(Span(start=0, end=120),),
        entities=(
            Entity(type="METHOD", name=method, role="proposed"),
            Entity(type="METHOD", name="vLLM", role="baseline", aliases=("vllm",)),
            Entity(
                type="MODEL",
                name="Qwen3-32B",
                aliases=("Qwen3 32B",),
                family="Qwen3",
                parameters=32,
            ),
            Entity(
                type="HARDWARE", name="A100-80GB", vendor="NVIDIA", family="Ampere", broader="A100"
            ),
        ),
        claims=(
            Claim(
                value=value,
                unit="x",
                metric="training speed",
                direction="increase",
                method=method,
                baseline=baseline,
                model="Qwen3-32B",
                hardware="A100-80GB",
                evidence=f"{method} trains {value}x faster than {baseline}.",
                span=Span(start=10, end=60),
            ),
            Claim(
                value=1.3,
                value_max=1.6,
                unit="x",
                metric="throughput",
                direction="increase",
                method=method,
                evidence="1.3x~1.6x higher throughput",
                span=Span(start=61, end=90),
            ),
        ),
        topics=("training",),
    )


def digest(source: str = "a.md", papers: tuple[Paper, ...] | None = None) -> Digest:
    return Digest(
        source=source,
        format="awesome",
        sha256="0" * 64,
        title="Example",
        papers=papers if papers is not None else (paper(),),
    )


def measured(
    key: str,
    method: str,
    claims: tuple[tuple[float, str, str, str], ...],
    *,
    baseline: str | None = None,
    model: str | None = None,
    hardware: str | None = "H100",
) -> Paper:
    """A paper proposing `method` with claims ``(value, unit, metric, direction)``, each against
    `baseline` on `model` and `hardware` (a baseline that is the model is the model's node)."""
    entities = [Entity(type="METHOD", name=method, role="proposed")]
    if baseline and baseline != model:
        entities.append(Entity(type="METHOD", name=baseline, role="baseline"))
    if model:
        entities.append(Entity(type="MODEL", name=model))
    if hardware:
        entities.append(Entity(type="HARDWARE", name=hardware))
    return Paper(
        key=key,
        arxiv_id=key,
        title=f"{method}: a paper",
        heading=method,
        spans=(Span(start=0, end=9),),
        entities=tuple(entities),
        claims=tuple(
            Claim(
                value=value,
                unit=unit,
                metric=metric,
                direction=direction,
                method=method,
                baseline=baseline,
                model=model,
                hardware=hardware,
                evidence=f"{method}: {value}{unit} {metric}",
                span=Span(start=0, end=9),
            )
            for value, unit, metric, direction in claims
        ),
        topics=("serving",),
    )
