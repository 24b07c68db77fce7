"""The recognizer's training data: gold names projected onto entries, the split, the test months kept out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin

from techclaims.ingest.digest.readers import read_digest
from techclaims.ingest.errors import NotADigestError
from techclaims.ingest.nlp.gold_docs import gold_names, project
from techclaims.ingest.nlp.training_data import write_training_data
from techclaims.ingest.nlp.vectors import TEST_MONTHS, digest_paths, tokenized_lines


def test_gold_names_are_projected_as_whole_words_outside_links(nlp):
    doc = nlp.make_doc(
        "FooServe 比 vLLM 快 2 倍（见 https://github.com/x/vLLM）；vLLMs 不是它，"
        "FooServe-Lite 也不是；在 NVIDIA H100 上。"
    )
    names = gold_names(
        {
            "methods": [{"name": "FooServe", "aliases": []}, {"name": "vLLM", "aliases": []}],
            "hardware": [{"name": "NVIDIA H100", "aliases": ["H100"]}],
        }
    )
    assert names[0] == ("NVIDIA H100", "HARDWARE")  # longest first
    found = [(e.text, e.label_) for e in project(doc, names)]
    assert found == [
        ("FooServe", "METHOD"),
        ("vLLM", "METHOD"),
        ("FooServe", "METHOD"),  # FooServe-Lite: a hyphen ends the word
        ("NVIDIA H100", "HARDWARE"),
    ]


def test_project_ignores_case_but_not_word_edges():
    doc = spacy.blank("en")("SGLANG and sglang beat SGLangX")
    assert [e.text for e in project(doc, [("SGLang", "METHOD")])] == ["SGLANG", "sglang"]


def _annotated(tmp_path: Path) -> tuple[Path, Path]:
    texts = tmp_path / "corpus-extended"
    (texts / "arxiv-bot").mkdir(parents=True)
    lines = []
    text = "# Bot\n\n"
    for number in range(30):
        start = len(text)
        text += (
            f"### {number + 1}. [Paper {number}](https://arxiv.org/abs/2601.{number:05d})\n\n"
            f"Method{number}Serve runs Llama-3-8B on H100 and beats vLLM by 2x.\n\n"
        )
        lines.append(
            {
                "pid": f"P{number:03d}",
                "source": "arxiv-bot/2026-01-05.md",
                "entry": {"arxiv_id": f"2601.{number:05d}", "span": [start, len(text)]},
                "methods": [
                    {"name": f"Method{number}Serve", "role": "proposed", "aliases": []},
                    {"name": "vLLM", "role": "baseline", "aliases": []},
                ],
                "models": [{"name": "Llama-3-8B", "aliases": []}],
                "hardware": [{"name": "H100", "aliases": []}],
                "claims": [],
            }
        )
    (texts / "arxiv-bot" / "2026-01-05.md").write_text(text, encoding="utf-8")
    annotations = tmp_path / "annotations"
    (annotations / "train").mkdir(parents=True)
    (annotations / "train" / "arxiv-bot.jsonl").write_text(
        "".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8"
    )
    return annotations, texts


def test_training_data_holds_the_gold_entities_and_a_fixed_dev_share(tmp_path, nlp):
    annotations, texts = _annotated(tmp_path)
    stats = write_training_data(
        annotations, texts, tmp_path / "out", nlp, silver_entries=0, augment=0
    )
    assert (
        stats.gold_papers["train"] + stats.gold_papers["dev"] == 30
        and stats.gold_papers["dev"] >= 1
    )
    docs = list(DocBin().from_disk(tmp_path / "out" / "train.spacy").get_docs(nlp.vocab))
    labels = {(e.text, e.label_) for doc in docs for e in doc.ents}
    assert {("vLLM", "METHOD"), ("Llama-3-8B", "MODEL"), ("H100", "HARDWARE")} <= labels
    again = write_training_data(
        annotations, texts, tmp_path / "again", nlp, silver_entries=0, augment=0
    )
    assert again.gold_papers == stats.gold_papers  # the split is a hash of the paper id, not chance


def test_vectors_and_silver_never_read_the_test_months(tmp_path):
    for name in ("2025-10-03.md", "2026-04-30.md", "2026-03-31.md"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "awesome-2026-05.md").write_text("x", encoding="utf-8")
    kept = [p.name for p in digest_paths(tmp_path)]
    assert kept == ["2026-03-31.md", "awesome-2026-05.md"]
    assert TEST_MONTHS == {"2025-10", "2026-04"}  # the months of data/annotations/test


def test_a_day_the_bot_listed_nothing_is_skipped_not_fatal(tmp_path, nlp):
    """The bot writes a page on days it found no papers (2025-08-16/17 in the corpus); the
    reader refuses such a page, and silver data and vectors go on without it."""
    annotations, texts = _annotated(tmp_path)
    empty = (
        "# arXiv Papers Bot\n\n## Statistics\n\n- **Total Papers Found**: 0\n\n"
        "## Recent Papers\n\nNo papers matched today.\n"
    )
    (texts / "arxiv-bot" / "2025-08-16.md").write_text(empty, encoding="utf-8")
    with pytest.raises(NotADigestError):
        read_digest(texts / "arxiv-bot" / "2025-08-16.md")
    stats = write_training_data(
        annotations, texts, tmp_path / "out", nlp, rules=nlp, silver_entries=5, augment=0
    )
    assert stats.gold_papers["train"] + stats.gold_papers["dev"] == 30
    assert list(tokenized_lines(sorted((texts / "arxiv-bot").glob("*.md")), nlp))
