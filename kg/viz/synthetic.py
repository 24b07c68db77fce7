"""A synthetic corpus of any size, for the page benchmark and the tests (no NLP needed).

`synthetic_digests(nodes)` makes digest records whose graph has about `nodes` nodes
(papers, methods, models, hardware, claims) and the shape of the real corpus: each paper
proposes a few methods of its own, compares with and builds on popular systems (a
long-tailed choice), evaluates a few models, runs on some hardware and reports a few
speed-up claims; papers spread over topics, months and digests. The same arguments
always give the same records.
"""

from __future__ import annotations

import random
from datetime import date

from techclaims.schema.iris import paper_key
from techclaims.schema.records import Claim, Digest, Direction, Entity, Paper, Span, Unit

TOPICS = (
    "quantization",
    "sparse-attention",
    "kv-cache",
    "speculative-decoding",
    "parallelism",
    "serving",
    "rl-training",
    "kernels",
    "moe",
    "attention",
    "training",
    "edge",
    "agents",
    "pruning",
    "long-context",
    "communication",
    "multimodal",
)
_SYSTEMS = (
    "vLLM",
    "SGLang",
    "TensorRT-LLM",
    "FlashInfer",
    "FlashAttention-2",
    "FlashAttention-3",
    "PagedAttention",
    "DeepSpeed",
    "Megatron-LM",
    "llama.cpp",
    "GPTQ",
    "AWQ",
    "SmoothQuant",
    "EAGLE-3",
    "Medusa",
    "ZeRO-3",
    "FSDP",
    "NCCL",
    "Triton",
    "CUTLASS",
    "LoRA",
    "QLoRA",
    "H2O",
    "StreamingLLM",
    "SnapKV",
    "Quest",
    "DistServe",
    "Orca",
    "Sarathi-Serve",
    "verl",
    "OpenRLHF",
    "MInference",
    "RingAttention",
    "DeepEP",
    "Mooncake",
    "LMCache",
    "xFormers",
    "TVM",
    "MLC-LLM",
    "ExecuTorch",
)
_MODELS = (
    "Llama-3.1-8B",
    "Llama-3.1-70B",
    "Qwen3-32B",
    "Qwen3-30B-A3B",
    "Qwen2.5-7B",
    "Qwen2.5-72B",
    "DeepSeek-V3",
    "DeepSeek-R1",
    "Mixtral-8x7B",
    "Mistral-7B",
    "Gemma3-1B",
    "Gemma-2-9B",
    "GPT-OSS-120B",
    "Phi-3-mini",
    "OPT-13B",
    "Llama-2-7B",
    "Kimi-K2",
    "GLM-4.5",
)
_HARDWARE = (
    ("H100", "Hopper"),
    ("A100-80GB", "Ampere"),
    ("A100", "Ampere"),
    ("H200", "Hopper"),
    ("B200", "Blackwell"),
    ("RTX 4090", "Ada"),
    ("L40S", "Ada"),
    ("MI300X", "CDNA3"),
    ("Ascend 910B", "Ascend"),
    ("TPU v5e", "TPU"),
    ("Jetson AGX Orin", "Ampere"),
    ("A800", "Ampere"),
    ("GB200", "Blackwell"),
    ("RTX 3090", "Ampere"),
    ("Gaudi 2", "Gaudi"),
    ("V100", "Volta"),
)
_METRICS: tuple[tuple[str, Direction], ...] = (
    ("throughput", "increase"),
    ("latency", "decrease"),
    ("training speed", "increase"),
    ("decode speed", "increase"),
    ("TTFT", "decrease"),
    ("memory", "decrease"),
    ("end-to-end speed", "increase"),
    ("energy", "decrease"),
)
SYLLABLES = (
    "Flash",
    "Turbo",
    "Spec",
    "Quant",
    "Sparse",
    "Tree",
    "Ring",
    "Lite",
    "Mega",
    "Hydra",
    "Fast",
    "Pipe",
    "Shard",
    "Kernel",
    "Cache",
    "Route",
    "Fuse",
    "Tile",
    "Stream",
    "Prefix",
    "Zero",
    "Swift",
)


def _pick(rng: random.Random, names: tuple, k: int, skew: float = 1.1) -> list:
    """`k` distinct names, the first ones far more often (a Zipf-like long tail)."""
    weights = [1 / (i + 1) ** skew for i in range(len(names))]
    chosen: list = []
    while len(chosen) < min(k, len(names)):
        name = rng.choices(names, weights)[0]
        if name not in chosen:
            chosen.append(name)
    return chosen


def _paper(rng: random.Random, index: int, extra_hardware: tuple, extra_models: tuple) -> Paper:
    own = [
        f"{rng.choice(SYLLABLES)}{rng.choice(SYLLABLES)}-{index}"
        for _ in range(rng.choice((1, 1, 2, 3)))
    ]
    topics = tuple(sorted(set(_pick(rng, TOPICS, rng.choice((1, 1, 1, 2, 2, 3)), skew=0.7))))
    # Systems have a home topic (round robin); a paper mostly compares with its topic's systems.
    home = tuple(s for i, s in enumerate(_SYSTEMS) if TOPICS[i % len(TOPICS)] in topics)
    pool = home if home and rng.random() < 0.75 else _SYSTEMS
    baselines = _pick(rng, pool, rng.randint(1, 3))
    used = [n for n in _pick(rng, _SYSTEMS, rng.randint(0, 2)) if n not in baselines]
    models = _pick(rng, _MODELS + extra_models, rng.randint(0, 3))
    kit = _pick(rng, _HARDWARE + extra_hardware, rng.choice((0, 1, 1, 2)), skew=1.4)
    entities = [Entity(type="METHOD", name=n, role="proposed") for n in own]
    entities += [Entity(type="METHOD", name=n, role="baseline") for n in baselines]
    entities += [Entity(type="METHOD", name=n, role="used") for n in used]
    entities += [Entity(type="MODEL", name=n) for n in models]
    entities += [
        Entity(type="HARDWARE", name=n, family=f, broader="A100" if n == "A100-80GB" else None)
        for n, f in kit
    ]
    claims = []
    for c in range(rng.choice((0, 1, 1, 2, 2, 3, 4))):
        metric, direction = rng.choice(_METRICS)
        percent = rng.random() < 0.25
        value = (
            round(rng.uniform(5, 90))
            if percent
            else round(min(60.0, rng.lognormvariate(0.8, 0.7)) + 1.02, 2)
        )
        ranged = not percent and rng.random() < 0.15
        model = rng.choice(models) if models and rng.random() < 0.6 else None
        hardware = rng.choice(kit)[0] if kit and rng.random() < 0.7 else None
        baseline = rng.choice(baselines) if rng.random() < 0.7 else None
        unit: Unit = "%" if percent else "x"
        evidence = (
            f"{own[0]} reaches {value:g}{unit} {'higher' if direction == 'increase' else 'lower'} {metric}"
            + (f" than {baseline}" if baseline else "")
            + (f" on {model}" if model else "")
            + (f" ({hardware})" if hardware else "")
            + "."
        )
        claims.append(
            Claim(
                value=value,
                value_max=round(value * 1.4, 2) if ranged else None,
                unit=unit,
                metric=metric,
                direction=direction,
                method=own[0],
                baseline=baseline,
                model=model,
                hardware=hardware,
                evidence=evidence,
                span=Span(start=c * 100, end=c * 100 + 90),
            )
        )
    arxiv = f"{24 + index // 4000:02d}{1 + index % 12:02d}.{10000 + index:05d}"
    title = (
        f"{own[0]}: {rng.choice(('Efficient', 'Fast', 'Scalable', 'Memory-Light'))} "
        f"{rng.choice(('Serving', 'Training', 'Inference', 'Decoding', 'Attention'))} for LLMs"
    )
    published = (
        date(2024 + (index % 26) // 12, 1 + (index % 26) % 12, 1 + index % 28)
        if rng.random() < 0.85
        else None
    )
    return Paper(
        key=paper_key(arxiv, title),
        title=title,
        heading=own[0],
        arxiv_id=arxiv,
        published=published,
        spans=(Span(start=0, end=500),),
        entities=tuple(entities),
        claims=tuple(claims),
        topics=topics,
    )


def synthetic_digests(nodes: int = 5000, seed: int = 0) -> list[Digest]:
    """Digest records whose union graph holds about `nodes` nodes (never fewer)."""
    rng = random.Random(seed)
    extra_hardware = tuple((f"Accelerator-{i}", "Other") for i in range(nodes // 100))
    extra_models = tuple(f"Model-{i}B" for i in range(nodes // 25))
    papers: list[Paper] = []
    seen: set[tuple[str, str]] = set()
    count = 0
    while count < nodes:
        paper = _paper(rng, len(papers), extra_hardware, extra_models)
        papers.append(paper)
        new = {(e.type, e.name) for e in paper.entities} - seen
        seen |= new
        count += 1 + len(new) + len(paper.claims)
    per_digest = 70
    return [
        Digest(
            source=f"synthetic-{i:03d}.md",
            format="markdown",
            sha256=f"{i:064x}",
            title=f"Synthetic digest {i}",
            papers=tuple(papers[start : start + per_digest]),
        )
        for i, start in enumerate(range(0, len(papers), per_digest))
    ]
