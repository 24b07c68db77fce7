"""Subword-aware static vectors for the ner, learnt from the unlabelled digests (floret).

A name the ner has never seen (a new system, a new model) still shares pieces
with names it has: ``-Attention``, ``Flash``, ``-8B``, ``KV``, ``Serve``. floret
learns vectors for words *and* their character n-grams into one hashed table, so
every token gets a vector, also one never seen in training; spaCy loads the
table with ``spacy init vectors --mode floret``. The text is our own tokenizer's
output (Chinese one character a token, as the pipeline sees it), one entry a line.

Which digests: ../shared/corpus-extended, less the months of the held-out test
split (`TEST_MONTHS`): nothing the test split is read from shapes the model.

    python -m techclaims.ingest.nlp.vectors [--texts DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import logging
import re
import time
from collections.abc import Iterator
from pathlib import Path

from spacy.language import Language

__all__ = ["TEST_MONTHS", "digest_paths", "tokenized_lines", "train_vectors"]

log = logging.getLogger(__name__)

#: Months whose digests hold the held-out test split (data/annotations/README.md).
TEST_MONTHS = frozenset({"2025-10", "2026-04"})
_DAY = re.compile(r"(\d{4}-\d{2})-\d{2}")

#: floret settings: a small table (bucket x dim floats ship with the model), cbow,
#: word + 3..5-character n-grams, two hashes per entry as spaCy's floret loader expects.
#: One thread: fastText with several threads is not reproducible (hogwild updates).
FLORET = {
    "model": "cbow",
    "mode": "floret",
    "dim": 64,
    "bucket": 20000,
    "minn": 3,
    "maxn": 5,
    "hashCount": 2,
    "epoch": 5,
    "minCount": 3,
    "thread": 1,
}


def digest_paths(texts: Path) -> list[Path]:
    """The digests vectors and silver data may learn from: every file of `texts` whose
    name is not dated in a test month (awesome-list pages are undated: all kept)."""
    paths = []
    for path in sorted(Path(texts).rglob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        day = _DAY.search(path.name)
        if day and day.group(1) in TEST_MONTHS:
            continue
        paths.append(path)
    return paths


def tokenized_lines(paths: list[Path], nlp: Language) -> Iterator[str]:
    """One line per entry: its tokens joined by single spaces, whitespace tokens dropped."""
    from techclaims.ingest.digest.readers import corpus_entries

    for path in paths:
        for entry in corpus_entries(path):
            words = [t.text for t in nlp.make_doc(entry.text) if not t.is_space]
            yield " ".join(w.replace(" ", "_") for w in words)


def train_vectors(texts: Path, out: Path, nlp: Language) -> Path:
    """Train floret vectors on the digests of `texts`; write ``out/vectors.floret``."""
    import floret

    out.mkdir(parents=True, exist_ok=True)
    corpus = out / "tokens.txt"
    started = time.perf_counter()
    with corpus.open("w", encoding="utf-8") as handle:
        for line in tokenized_lines(digest_paths(texts), nlp):
            handle.write(line + "\n")
    log.info(
        "tokenized in %.0f s (%d MB)", time.perf_counter() - started, corpus.stat().st_size >> 20
    )
    model = floret.train_unsupervised(str(corpus), **FLORET)
    target = out / "vectors.floret"
    model.save_floret_vectors(str(target))
    log.info("floret vectors in %.0f s -> %s", time.perf_counter() - started, target)
    return target


def main(argv: list[str] | None = None) -> int:
    from .pipeline import make_nlp
    from .train import TRAINING_DIR

    parser = argparse.ArgumentParser(description="Train floret vectors on the unlabelled digests.")
    parser.add_argument(
        "--texts",
        type=Path,
        default=Path(__file__).resolve().parents[2].parent / "shared" / "corpus-extended",
    )
    parser.add_argument("--out", type=Path, default=TRAINING_DIR / "vectors")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    train_vectors(args.texts, args.out, make_nlp())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
