"""The ner's training data: annotated papers (gold) and rule-labelled digests (silver), as DocBins.

- **gold**: the papers of data/annotations/train, their gold names projected onto
  the entry (`gold_docs`); a fixed hash of the paper id puts a sixth of them in
  ``dev.spacy``, which `spacy train` uses to pick its best step. ../shared/gold/dev.jsonl
  and the test split are never read here.
- **silver**: entries of ../shared/corpus-extended outside the test months
  (`vectors.digest_paths`), skipping every annotated paper and every dev-gold paper,
  labelled by the rules pipeline (`silver.py`'s paragraphs and mention replacement).
  A seeded sample of `silver_entries` entries keeps training time bounded.

Written to ``train.spacy`` / ``dev.spacy`` in `out_dir`; `TrainingStats` says what went in.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import DocBin

from techclaims.schema.gold import read_gold
from techclaims.schema.iris import norm_key
from techclaims.schema.records import Entry

from .gold_docs import gold_docs
from .silver import NER_LABELS, chunks, replace_mentions
from .vectors import digest_paths

__all__ = ["TrainingStats", "write_training_data"]

log = logging.getLogger(__name__)


@dataclass
class TrainingStats:
    gold_papers: dict[str, int] = field(default_factory=lambda: {"train": 0, "dev": 0})
    silver_entries: int = 0
    docs: dict[str, int] = field(default_factory=lambda: {"train": 0, "dev": 0})
    tokens: dict[str, int] = field(default_factory=lambda: {"train": 0, "dev": 0})
    entities: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"gold papers: {self.gold_papers['train']} train / {self.gold_papers['dev']} dev; "
            f"silver entries: {self.silver_entries}; docs {self.docs['train']} / {self.docs['dev']}, "
            f"tokens {self.tokens['train']} / {self.tokens['dev']}; entities "
            + ", ".join(f"{k} {v}" for k, v in sorted(self.entities.items()))
        )


def _held_out(key: str, seed: int, share: float) -> bool:
    digest = hashlib.sha1(f"{seed}:{key}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < share


def _known_papers(annotations: Path, dev_gold: Path | None) -> tuple[set[str], set[str]]:
    """arXiv ids and normalised headings of every annotated and every dev-gold paper."""
    ids: set[str] = set()
    names: set[str] = set()
    files = sorted(annotations.glob("*/*.jsonl"))
    for path in [*files, *([dev_gold] if dev_gold and dev_gold.exists() else [])]:
        for line in path.open(encoding="utf-8"):
            if not line.strip():
                continue
            paper = json.loads(line)
            entry = paper.get("entry", paper)
            if entry.get("arxiv_id"):
                ids.add(entry["arxiv_id"])
            for key in ("heading", "title"):
                if entry.get(key) or paper.get(key):
                    names.add(norm_key(entry.get(key) or paper.get(key)))
    return ids, names


def write_training_data(
    annotations: Path,
    texts: Path,
    out_dir: Path,
    nlp: Language,
    *,
    rules: Language | None = None,
    silver_entries: int = 1500,
    dev_gold: Path | None = None,
    seed: int = 0,
    gold_dev_share: float = 1 / 6,
    augment: int = 1,
    keep_plain: float = 0.1,
    lf: Language | None = None,
) -> TrainingStats:
    """Write the DocBins (see the module docstring). `nlp` tokenizes; `rules` labels silver.

    With `lf` (the rule components up to ``techclaims_lf_tags``: the stacked recognizer of
    ``configs/ner_lf.cfg``) every token carries the rules' vote in ``token.tag_``; the
    mention-replacement copies, which would lose those votes, are then not made."""
    from techclaims.ingest.digest.readers import corpus_entries

    from .pipeline import annotate

    rng = random.Random(seed)
    attrs = ["ORTH", "ENT_IOB", "ENT_TYPE", *(["TAG"] if lf is not None else [])]
    bins = {part: DocBin(attrs=attrs) for part in ("train", "dev")}
    if lf is not None:
        augment = 0
    stats = TrainingStats()

    def add(part: str, doc, copies: int) -> None:
        items = [doc]
        if part == "train":
            for _ in range(copies):
                copy = replace_mentions(doc, nlp, rng)
                if copy is not None:
                    items.append(copy)
        for item in items:
            bins[part].add(item)
            stats.docs[part] += 1
            stats.tokens[part] += len(item)
            for ent in item.ents:
                stats.entities[ent.label_] = stats.entities.get(ent.label_, 0) + 1

    papers = [
        p
        for path in sorted((annotations / "train").glob("*.jsonl"))
        for p in read_gold(path, texts)
    ]
    for paper in papers:
        part = "dev" if _held_out(paper["pid"], seed, gold_dev_share) else "train"
        stats.gold_papers[part] += 1
    parts = {
        p["pid"]: ("dev" if _held_out(p["pid"], seed, gold_dev_share) else "train") for p in papers
    }
    for pid, para in gold_docs(papers, texts, nlp, lf=lf):
        add(parts[pid], para, augment if para.ents else 0)

    if silver_entries and rules is not None:
        ids, names = _known_papers(annotations, dev_gold)
        entries: list[Entry] = []
        for path in digest_paths(texts):
            entries.extend(
                e
                for e in corpus_entries(path)
                if e.arxiv_id not in ids
                and norm_key(e.heading) not in names
                and norm_key(e.title) not in names
            )
        rng.shuffle(entries)
        chosen = entries[:silver_entries]
        stats.silver_entries = len(chosen)
        for _, doc in annotate(rules, chosen):
            for start, end in chunks(doc):
                span = doc[start:end]
                has_ents = any(e.label_ in NER_LABELS for e in span.ents)
                if not has_ents and rng.random() > keep_plain:
                    continue
                para = span.as_doc()
                para.set_ents([e for e in para.ents if e.label_ in NER_LABELS], default="outside")
                add("train", para, 0)
    out_dir.mkdir(parents=True, exist_ok=True)
    for part, docbin in bins.items():
        docbin.to_disk(out_dir / f"{part}.spacy")
    log.info(stats.summary())
    return stats
