"""Records from digests: papers, merged entities, claims with exact evidence spans; and the corpus graph
(when ../shared/corpus is there): evidence spans, topics and one node per real thing."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import kg
from spacy.language import Language

from techclaims.ingest.digest.load import load_digest_text
from techclaims.ingest.extract import extract_digest
from techclaims.kg.sparql import load
from techclaims.kg.store import open_store
from techclaims.schema.records import Digest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "digests"


@pytest.fixture(scope="module")
def examples(nlp: Language) -> dict[str, Digest]:
    return {
        path.name: extract_digest(path, nlp)
        for path in sorted(EXAMPLES.glob("*.md"))
        if path.name != "README.md"
    }


def test_every_claim_quotes_its_digest_exactly(examples: dict[str, Digest]) -> None:
    total = 0
    for name, digest in examples.items():
        text, _, _ = load_digest_text(EXAMPLES / name)
        for paper in digest.papers:
            for claim in paper.claims:
                assert text[claim.span.start : claim.span.end] == claim.evidence, (
                    name,
                    claim.evidence,
                )
                total += 1
    assert total >= 20


def test_the_mojibake_digest_gives_the_same_claims(examples: dict[str, Digest]) -> None:
    def facts(digest: Digest) -> set[tuple]:
        return {
            (p.key, c.value, c.value_max, c.unit, c.baseline, c.model, c.hardware)
            for p in digest.papers
            for c in p.claims
        }

    assert facts(examples["arxiv-bot-mojibake.md"]) == facts(examples["arxiv-bot.md"])


def test_qserve_claims_are_attributed(examples: dict[str, Digest]) -> None:
    qserve = next(p for p in examples["awesome-list.md"].papers if p.arxiv_id == "2405.04532")
    found = {(c.value, c.model, c.hardware, c.baseline) for c in qserve.claims}
    assert {
        (1.2, "Llama-3-8B", "A100", "TensorRT-LLM"),
        (1.4, "Llama-3-8B", "L40S", "TensorRT-LLM"),
        (3.5, "Qwen1.5-72B", "L40S", "TensorRT-LLM"),
    } <= found
    assert {c.method for c in qserve.claims} == {"QServe"}


def test_a_paper_listed_twice_is_one_paper_with_merged_spellings(
    examples: dict[str, Digest],
) -> None:
    papers = [p for p in examples["awesome-list.md"].papers if p.arxiv_id == "2309.06180"]
    assert len(papers) == 1 and len(papers[0].spans) == 2
    for paper in (p for d in examples.values() for p in d.papers):
        names = [(e.type, e.name) for e in paper.entities]
        assert len(names) == len(set(names))


def test_every_paper_has_a_topic(examples: dict[str, Digest]) -> None:
    assert all(p.topics for d in examples.values() for p in d.papers)


# -- the corpus graph ------------------------------------------------------------------------------

_corpus: dict[str, Path | str] = {}


@pytest.fixture(scope="module")
def corpus_store(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """../shared/corpus ingested once by the real `kg ingest`."""
    if "path" not in _corpus and "error" not in _corpus:
        path = tmp_path_factory.mktemp("corpus") / "store"
        done = kg("ingest", corpus_dir, "--store", path, check=False, timeout=900)
        _corpus["path" if done.returncode == 0 else "error"] = (
            path if done.returncode == 0 else done.stderr[-400:]
        )
    if "error" in _corpus:
        pytest.fail(f"kg ingest ../shared/corpus failed: {_corpus['error']}", pytrace=False)
    return Path(_corpus["path"])


@pytest.mark.slow
def test_corpus_nodes_do_not_share_normalised_labels(corpus_store: Path) -> None:
    """No two nodes of a class share a normalised label. Across classes, a name no gazetteer or family
    pattern knows keeps the type the NER gives it in each digest (one digest is extracted without the
    others), so a method in one digest can be a model in another: those stay rare."""
    with open_store(str(corpus_store), read_only=True) as store:
        shared = [(r["key"].value, r["labels"].value) for r in store.query(load("shared_labels"))]
        across = [
            (r["key"].value, r["labels"].value)
            for r in store.query(load("shared_labels_across_types"))
        ]
        nodes = int(
            next(
                iter(
                    store.query(
                        "SELECT (COUNT(DISTINCT ?n) AS ?n) WHERE { VALUES ?c { kg:Method kg:Model kg:Hardware } ?n a ?c }"
                    )
                )
            )["n"].value
        )
    assert shared == []
    assert len(across) <= nodes // 100, f"names typed differently across digests: {across}"


@pytest.mark.slow
def test_corpus_evidence_spans_and_topics(corpus_store: Path, corpus_dir: Path) -> None:
    query = """SELECT ?source ?evidence ?start ?end WHERE { GRAPH ?g {
                 ?g dcterms:source ?source . ?c a kg:Claim ; kg:evidence ?evidence ;
                 kg:startOffset ?start ; kg:endOffset ?end } }"""
    with open_store(str(corpus_store), read_only=True) as store:
        rows = list(store.query(query))
        untopical = list(
            store.query(
                """SELECT ?n WHERE { { ?n a kg:Paper } UNION { ?n a kg:Method }
                               FILTER NOT EXISTS { ?n dcterms:subject ?t } }"""
            )
        )
    texts = {path.name: load_digest_text(path)[0] for path in corpus_dir.iterdir()}
    assert len(rows) > 300
    for row in rows:
        text = texts[row["source"].value]
        assert text[int(row["start"].value) : int(row["end"].value)] == row["evidence"].value
    assert untopical == []


def test_a_mixture_of_experts_written_without_its_active_parameters_is_one_model() -> None:
    from techclaims.ingest.papers import Named, active_parameter_links

    named = [
        Named("MODEL", "Zeta3-30B", 0, 1),
        Named("MODEL", "Zeta3-30B-A3B", 2, 3),
        Named("MODEL", "Zeta3-8B", 4, 5),
        Named("MODEL", "Zeta3-8B-Instruct", 6, 7),
        Named("MODEL", "Zeta3", 8, 9),
    ]
    assert active_parameter_links(named) == {("MODEL", "zeta330b"): "Zeta3-30B-A3B"}
