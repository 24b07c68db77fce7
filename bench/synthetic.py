"""Large graphs for the query benchmark: the corpus graph copied until it is big enough.

`corpus_copies` takes the quads of a store built by `kg ingest` (the corpus) and yields them
K times, copy 0 as it is and copy k (k = 1 .. K-1) with

- fresh IRIs for its digests (the named graphs, with `dcterms:source` "copy-k/<file>" and a
  fresh `kg:sha256`), its papers and its claims;
- its papers k months earlier: `dcterms:issued` and the arXiv id's YYMM (the number is kept,
  or bumped where another copy already holds that id; `rdfs:seeAlso` follows the id), so the
  graph reads as K more months of digests and per-month questions see more months;
- fresh names for the methods its papers propose, "<name>-c<k>" for every spelling (labels,
  `skos:altLabel`, `skos:prefLabel`, and where the name appears in a title, heading or evidence
  sentence): new methods appear with every digest. Methods well known in the corpus stay shared:
  those only compared with or used, and proposed ones that at least two other papers compare
  with or use (LoRA, FlashInfer, SnapKV, RoPE, ...);
- its claims' values (and upper bounds) k per mille higher: the same number in every copy
  would tie K ways for every maximum (the top speedup on each hardware would be K rows);
- models, hardware, topics, the shared methods and the vocabulary unchanged: the same
  real-world things recur, so they stay one node each, named by every copy (as they would be
  by every new digest), and their counts grow with the copies.

Everything else (the `kg:` vocabulary, claim values, units, metrics, topics, spans) is the
corpus's own, so per paper and per claim the copies have the corpus's shape by construction;
`shape` measures it on both graphs.

`records_quads` is the older generator of synthetic records (papers that propose, compare with
and build on methods, with made-up claims); it is not the corpus's shape (it is far heavier in
baselines, hardware and spellings per paper), and is kept only as a varied graph on which
`tests/test_queries.py` checks that rewritten questions answer as before.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from techclaims.kg.mapping import DCTERMS, PREFIXES, RDFS, SKOS, digest_quads
from techclaims.kg.store import LABELS_GRAPH, SYSTEM_GRAPHS, open_store, rebuild_summaries
from techclaims.kg.store.summary import SUMMARY_STATE
from techclaims.kg.viz.synthetic import SYLLABLES, TOPICS  # one list of each for both fakes
from techclaims.schema.iris import KG, KGR, digest_iri, entity_iri, paper_iri, paper_key
from techclaims.schema.records import Claim, Digest, Entity, Paper, Span

_ISSUED, _SOURCE, _TITLE = (ox.NamedNode(DCTERMS + p) for p in ("issued", "source", "title"))
_ARXIV, _SHA, _HEADING, _EVIDENCE = (
    ox.NamedNode(KG + p) for p in ("arxivId", "sha256", "heading", "evidence")
)
_VALUES = {ox.NamedNode(KG + "value"), ox.NamedNode(KG + "valueMax")}
_LABELS = {
    ox.NamedNode(RDFS + "label"),
    ox.NamedNode(SKOS + "altLabel"),
    ox.NamedNode(SKOS + "prefLabel"),
}
_SEE_ALSO = ox.NamedNode(RDFS + "seeAlso")
_TEXT = {_TITLE, _HEADING, _EVIDENCE}
_ARXIV_ID = re.compile(r"^(\d{2})(\d{2})\.(\d{4,5})$")

# A proposed method that at least this many papers not proposing it compare with or use is a
# well-known one (LoRA, FlashInfer, SnapKV, RoPE, verl, ...): shared by every copy.
WELL_KNOWN = 2


def _select(store: ox.Store, sparql: str) -> list[ox.QuerySolution]:
    return list(store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True))


def new_methods(store: ox.Store) -> set[ox.NamedNode]:
    """The methods a copy renames: proposed by a paper, and not well known (see WELL_KNOWN)."""
    rows = _select(
        store,
        """
        SELECT ?m (COUNT(DISTINCT ?other) AS ?n) WHERE {
          ?p kg:proposes ?m .
          OPTIONAL { ?other kg:comparesWith|kg:usesMethod ?m FILTER NOT EXISTS { ?other kg:proposes ?m } }
        } GROUP BY ?m""",
    )
    return {r["m"] for r in rows if int(r["n"].value) < WELL_KNOWN}


def _months_back(day: date, k: int) -> date:
    months = day.year * 12 + day.month - 1 - k
    return date(months // 12, months % 12 + 1, min(day.day, 28))


class _Copier:
    """Renames for one corpus; `copy(k)` yields copy k's quads."""

    def __init__(self, store: ox.Store) -> None:
        self.quads = list(store)
        self.renamed = new_methods(store)
        self.papers = {q.subject for q in self.quads if q.object == ox.NamedNode(KG + "Paper")}
        self.claims = {q.subject for q in self.quads if q.object == ox.NamedNode(KG + "Claim")}
        self.arxiv = {q.subject: q.object.value for q in self.quads if q.predicate == _ARXIV}
        self.taken = {
            _ARXIV_ID.match(a).groups() for a in self.arxiv.values() if _ARXIV_ID.match(a)
        }
        self.sources = {
            q.subject: q.object.value
            for q in self.quads
            if q.predicate == _SOURCE and q.subject == q.graph_name
        }
        self.labels = {
            q.subject: q.object.value
            for q in self.quads
            if q.subject in self.renamed and q.graph_name == ox.NamedNode(LABELS_GRAPH)
        }
        spellings = {
            q.object.value
            for q in self.quads
            if q.subject in self.renamed and q.predicate in _LABELS
        }
        # A renamed method's spellings in titles, headings and evidence: whole words only, longest
        # first, at least 3 characters (not "A" or "KV"); marked once, renamed per copy.
        spelled = sorted((n for n in spellings if len(n) >= 3), key=len, reverse=True)
        found = (
            re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, spelled)) + r")(?![\w-])")
            if spelled
            else None
        )
        self.texts = {}
        for q in self.quads:
            if q.predicate in _TEXT and found and q.object.value not in self.texts:
                marked = found.sub(lambda m: m.group(1) + "\0", q.object.value)
                if marked != q.object.value:
                    self.texts[q.object.value] = marked

    def copy(self, k: int) -> Iterator[ox.Quad]:
        if k == 0:
            yield from self.quads
            return
        suffix = f"-c{k}"
        iris: dict[ox.NamedNode, ox.NamedNode] = {}
        sources = {old: f"copy-{k}/{old}" for old in self.sources.values()}
        for graph, old in self.sources.items():
            iris[graph] = ox.NamedNode(digest_iri(sources[old]))
        arxiv: dict[str, str] = {}
        for paper in self.papers:
            old = self.arxiv.get(paper)
            if old and _ARXIV_ID.match(old):
                arxiv[old] = self._shifted(old, k)
                iris[paper] = ox.NamedNode(paper_iri(paper_key(arxiv[old], "")))
            else:
                iris[paper] = ox.NamedNode(paper.value + suffix)
        for claim in self.claims:
            iris[claim] = ox.NamedNode(
                f"{KGR}claim/{hashlib.sha1(f'{claim.value}|{k}'.encode()).hexdigest()[:16]}"
            )
        for method in self.renamed:
            iris[method] = ox.NamedNode(entity_iri("METHOD", self.labels[method] + suffix))
        for q in self.quads:
            graph = q.graph_name
            if isinstance(graph, ox.NamedNode) and graph.value.startswith(SYSTEM_GRAPHS):
                # The vocabulary is stated once; preferred labels only for this copy's new methods;
                # the summaries are counted once all copies are in (`load_copies`).
                if (
                    graph.value == LABELS_GRAPH
                    and q.subject in self.renamed
                    and q.predicate in _LABELS
                ):
                    yield ox.Quad(
                        iris[q.subject], q.predicate, ox.Literal(q.object.value + suffix), graph
                    )
                continue
            s, p, o = q.subject, q.predicate, q.object
            if isinstance(o, ox.Literal):
                if p == _SOURCE and o.value in sources:
                    o = ox.Literal(sources[o.value])
                elif p == _SHA:
                    o = ox.Literal(hashlib.sha256(f"{o.value}|{k}".encode()).hexdigest())
                elif p == _ARXIV and o.value in arxiv:
                    o = ox.Literal(arxiv[o.value])
                elif p == _ISSUED:
                    o = ox.Literal(
                        _months_back(date.fromisoformat(o.value), k).isoformat(),
                        datatype=o.datatype,
                    )
                elif p in _LABELS and s in self.renamed:
                    o = ox.Literal(o.value + suffix)
                elif p in _VALUES:
                    o = ox.Literal(
                        format(Decimal(o.value) * (1 + Decimal(k) / 1000), "f"), datatype=o.datatype
                    )
                elif p in _TEXT and o.value in self.texts:
                    o = ox.Literal(self.texts[o.value].replace("\0", suffix))
            elif p == _SEE_ALSO and s in self.arxiv and self.arxiv[s] in arxiv:
                o = ox.NamedNode(o.value.replace(self.arxiv[s], arxiv[self.arxiv[s]]))
            else:
                o = iris.get(o, o)
            yield ox.Quad(iris.get(s, s), p, o, iris.get(graph, graph))

    def _shifted(self, arxiv_id: str, k: int) -> str:
        """The id `k` months earlier; its number bumped until no paper of any copy holds it."""
        yy, mm, number = _ARXIV_ID.match(arxiv_id).groups()
        month = _months_back(date(2000 + int(yy), int(mm), 1), k)
        yymm = (f"{month.year % 100:02d}", f"{month.month:02d}")
        n = int(number)
        while (*yymm, f"{n:0{len(number)}d}") in self.taken:
            n += 1
        self.taken.add((*yymm, f"{n:0{len(number)}d}"))
        return f"{yymm[0]}{yymm[1]}.{n:0{len(number)}d}"


def distinct_triples(store: ox.Store) -> int:
    """Triples of the union of every graph, each counted once (a triple several digests state is one),
    the summaries `kg ingest` derives (kg/store/summary.py: counts, not statements) left out."""
    rows = _select(
        store,
        f"""SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{
        GRAPH ?g {{ ?s ?p ?o }} FILTER(!STRSTARTS(STR(?g), "{SUMMARY_STATE}") && ?p != kg:spellings) }} }}""",
    )
    return int(rows[0]["n"].value)


def load_copies(corpus: Path, path: Path, target: int) -> tuple[int, int]:
    """Fill the store at `path` with copies of the corpus store until it holds >= `target` triples.

    Returns (copies, distinct triples). Each copy is bulk-loaded as it is made; then the summaries
    `kg ingest` keeps (kg/store/summary.py) are counted from every copy, and the store is
    compacted, as a long-lived store would be.
    """
    source = ox.Store.read_only(str(corpus))
    copier = _Copier(source)
    with open_store(path):  # creates the store with its vocabulary graph
        pass
    store = ox.Store(str(path))
    store.bulk_extend(copier.copy(0))
    triples, k = distinct_triples(store), 1
    added = None
    while triples < target:
        store.bulk_extend(list(copier.copy(k)))
        k += 1
        if added is None:  # every copy adds as many triples as the first one did
            added = distinct_triples(store) - triples
        triples += added
    store.update(rebuild_summaries())
    store.optimize()
    store.flush()
    del store
    return k, distinct_triples(ox.Store.read_only(str(path)))


# -- the shape of a graph, per paper and per claim --------------------------------------------------

SHAPE = (
    ("papers", "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a kg:Paper }"),
    ("claims", "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a kg:Claim }"),
    ("digests", "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a kg:Digest }"),
    ("papers with claims", "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p kg:reports ?c }"),
    (
        "papers in several digests",
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT ?p WHERE { GRAPH ?g { ?p a kg:Paper } } "
        "GROUP BY ?p HAVING (COUNT(*) > 1) }",
    ),
    (
        "papers naming a baseline",
        "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p kg:comparesWith ?m }",
    ),
    ("papers naming hardware", "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p kg:usesHardware ?h }"),
    (
        "papers naming a model",
        "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p kg:evaluatesModel ?h }",
    ),
    (
        "method links",
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?p ?m WHERE "
        "{ ?p kg:proposes|kg:comparesWith|kg:usesMethod ?m } }",
    ),
    (
        "proposed links",
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?p ?m WHERE { ?p kg:proposes ?m } }",
    ),
    (
        "topic links",
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?p ?t WHERE { ?p a kg:Paper ; dcterms:subject ?t } }",
    ),
    ("claims naming a baseline", "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c kg:baseline ?x }"),
    ("claims naming a model", "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c kg:onModel ?x }"),
    ("claims naming hardware", "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c kg:onHardware ?x }"),
    ("claims in x", 'SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c kg:unit "x" }'),
    ("methods", "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a kg:Method }"),
    ("models", "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a kg:Model }"),
    ("hardware", "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a kg:Hardware }"),
    ("entities", "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e skos:altLabel ?l }"),
    (
        "entities spelled several ways",
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT ?e WHERE { ?e skos:altLabel ?l } "
        "GROUP BY ?e HAVING (COUNT(DISTINCT ?l) > 1) }",
    ),
)


def shape(store: ox.Store) -> dict[str, float]:
    """Counts and the per-paper and per-claim ratios that decide how much work a question does."""
    n = {name: int(_select(store, sparql)[0]["n"].value) for name, sparql in SHAPE}
    n["triples"] = distinct_triples(store)
    papers, claims = n["papers"] or 1, n["claims"] or 1
    return {
        "triples": n["triples"],
        "papers": n["papers"],
        "claims": n["claims"],
        "digests": n["digests"],
        "triples per paper": n["triples"] / papers,
        "claims per paper": n["claims"] / papers,
        "papers with claims %": 100 * n["papers with claims"] / papers,
        "papers in several digests %": 100 * n["papers in several digests"] / papers,
        "papers naming a baseline %": 100 * n["papers naming a baseline"] / papers,
        "papers naming a model %": 100 * n["papers naming a model"] / papers,
        "papers naming hardware %": 100 * n["papers naming hardware"] / papers,
        "methods per paper (any role)": n["method links"] / papers,
        "methods proposed per paper": n["proposed links"] / papers,
        "topics per paper": n["topic links"] / papers,
        "claims naming a baseline %": 100 * n["claims naming a baseline"] / claims,
        "claims naming a model %": 100 * n["claims naming a model"] / claims,
        "claims naming hardware %": 100 * n["claims naming hardware"] / claims,
        "claims in x (times) %": 100 * n["claims in x"] / claims,
        "distinct methods": n["methods"],
        "distinct models": n["models"],
        "distinct hardware": n["hardware"],
        "entities spelled several ways %": 100
        * n["entities spelled several ways"]
        / (n["entities"] or 1),
    }


def shape_table(shapes: dict[str, dict[str, float]]) -> str:
    """The shapes side by side, one row per measure."""
    names = list(shapes)
    rows = [f"{'':<32}" + "".join(f"{name:>16}" for name in names)]
    for key in next(iter(shapes.values())):
        cells = []
        for name in names:
            value = shapes[name][key]
            cells.append(f"{value:>16,.0f}" if isinstance(value, int) else f"{value:>16.2f}")
        rows.append(f"{key:<32}" + "".join(cells))
    return "\n".join(rows)


# -- the older generator of synthetic records (tests only) ------------------------------------------

SYSTEMS = (
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
    "QServe",
    "EAGLE",
    "EAGLE-2",
    "Medusa",
    "FSDP",
    "NCCL",
    "Triton",
    "CUTLASS",
    "LoRA",
    "H2O",
    "StreamingLLM",
    "SnapKV",
    "DistServe",
    "Orca",
    "Sarathi-Serve",
    "Mooncake",
    "FasterTransformer",
    "xFormers",
)
MODELS = (
    "Llama-3-8B",
    "Llama-3.1-70B",
    "Qwen1.5-72B",
    "Qwen3-32B",
    "Qwen2.5-7B",
    "DeepSeek-V3",
    "Mixtral-8x7B",
    "Mistral-7B",
    "OPT-175B",
    "OPT-13B",
    "Llama-2-7B",
    "Llama-2-70B",
    "Vicuna-7B",
    "GPT-2",
    "Yi-34B",
)
HARDWARE = (
    "A100",
    "A100-80GB",
    "H100",
    "H200",
    "L40S",
    "RTX 4090",
    "MI300X",
    "Jetson Orin",
    "A800",
    "V100",
    "B200",
    "Ascend 910B",
    "TPU v5e",
    "RTX 3090",
    "Gaudi 2",
)
METRICS = (
    ("throughput", "increase"),
    ("latency", "decrease"),
    ("training speed", "increase"),
    ("decode speed", "increase"),
    ("TTFT", "decrease"),
    ("memory", "decrease"),
)
SPAN = Span(start=0, end=80)


def _zipf(
    rng: random.Random, names: tuple[str, ...] | list[str], k: int, skew: float = 0.8
) -> list[str]:
    """k distinct names, the first ones far more often (a long tail)."""
    weights = [1 / (i + 1) ** skew for i in range(len(names))]
    picked: list[str] = []
    while len(picked) < min(k, len(names)):
        name = rng.choices(names, weights)[0]
        if name not in picked:
            picked.append(name)
    return picked


def _others(rng: random.Random, earlier: list[str], k: int, exclude: list[str]) -> list[str]:
    """k methods to compare with or build on: 40% well-known systems, 60% methods of earlier papers."""
    out: list[str] = []
    for _ in range(k):
        name = rng.choice(earlier) if earlier and rng.random() < 0.6 else _zipf(rng, SYSTEMS, 1)[0]
        if name not in out and name not in exclude:
            out.append(name)
    return out


def _paper(rng: random.Random, i: int, extra_models: tuple[str, ...], earlier: list[str]) -> Paper:
    month = date(2022 + rng.randrange(4), rng.randrange(1, 13), 1)
    arxiv = f"{month:%y%m}.{10000 + i:05d}" if i else "2405.04532"  # the `paper` question's default
    own = [f"{rng.choice(SYLLABLES)}{rng.choice(SYLLABLES)}-{i}" for _ in range(rng.randint(1, 2))]
    if rng.random() < 0.04:  # a paper of one of the well-known systems: claims about vLLM exist too
        own[0] = rng.choice(SYSTEMS)
    baselines = _others(rng, earlier, rng.randint(1, 3), own) or [
        next(s for s in SYSTEMS if s not in own)
    ]
    used = _others(rng, earlier, rng.randint(0, 2), own + baselines)
    models = _zipf(rng, MODELS + extra_models, rng.randint(1, 3), skew=1.0)
    hardware = _zipf(rng, HARDWARE, rng.randint(1, 2), skew=1.0)
    entities = (
        [Entity(type="METHOD", name=m, role="proposed", aliases=(m.lower(),)) for m in own]
        + [Entity(type="METHOD", name=b, role="baseline") for b in baselines]
        + [Entity(type="METHOD", name=u, role="used") for u in used]
        + [Entity(type="MODEL", name=m) for m in models]
        + [Entity(type="HARDWARE", name=h, vendor="NVIDIA") for h in hardware]
    )
    claims = []
    for _ in range(rng.randint(0, 4)):
        metric, direction = rng.choice(METRICS)
        unit = "x" if rng.random() < 0.8 else "%"
        value = round(rng.lognormvariate(0.6, 0.5), 2) if unit == "x" else float(rng.randint(5, 80))
        claims.append(
            Claim(
                value=value,
                value_max=round(value * 1.5, 2) if rng.random() < 0.2 else None,
                unit=unit,
                metric=metric,
                direction=direction,
                method=own[0],
                baseline=rng.choice(baselines) if rng.random() < 0.7 else None,
                model=rng.choice(models) if rng.random() < 0.6 else None,
                hardware=rng.choice(hardware) if rng.random() < 0.6 else None,
                evidence=f"{own[0]} is {value}{unit} better ({metric}).",
                span=SPAN,
            )
        )
    title = f"{own[0]}: {rng.choice(SYLLABLES)} {rng.choice(SYLLABLES)} for Efficient LLM Systems"
    earlier.extend(own)
    return Paper(
        key=paper_key(arxiv, title),
        title=title,
        heading=own[0],
        arxiv_id=arxiv,
        published=month if rng.random() < 0.5 else None,
        spans=(SPAN,),
        entities=tuple(entities),
        claims=tuple(claims),
        topics=tuple(rng.sample(TOPICS, rng.randint(1, 3))),
    )


def records_quads(target: int, seed: int = 0) -> tuple[list[ox.Quad], int]:
    """Quads of made-up digests, 200 papers each (one in six repeats 40 papers of earlier ones),
    until the union holds `target` triples."""
    rng = random.Random(seed)
    extra_models = tuple(f"Model-{i}B" for i in range(300))
    quads: list[ox.Quad] = []
    papers: list[Paper] = []
    earlier: list[str] = []
    triples: set[tuple] = set()
    d = 0
    while len(triples) < target:
        fresh = [_paper(rng, len(papers) + j, extra_models, earlier) for j in range(200)]
        papers += fresh
        again = tuple(rng.sample(papers[:-200], 40)) if d % 6 == 5 and len(papers) > 400 else ()
        digest = Digest(
            source=f"synthetic-{d:04d}.md",
            format="markdown",
            sha256=f"{d:064x}",
            papers=tuple(fresh) + again,
        )
        batch = digest_quads(digest)
        quads += batch
        triples.update((q.subject, q.predicate, q.object) for q in batch)
        d += 1
    return quads, len(triples)


def load_records(path: Path, quads: list[ox.Quad]) -> None:
    """Bulk-load `records_quads` and their labels graph (each made-up entity has one name)."""
    label, pref = ox.NamedNode(RDFS + "label"), ox.NamedNode(SKOS + "prefLabel")
    labels = {q.subject: q.object for q in quads if q.predicate == label}
    graph = ox.NamedNode(LABELS_GRAPH)
    with open_store(path):
        pass
    store = ox.Store(str(path))
    store.bulk_extend(quads + [ox.Quad(s, pref, o, graph) for s, o in labels.items()])
    store.update(rebuild_summaries())
    store.optimize()
    store.flush()
