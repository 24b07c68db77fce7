"""Silver training data: the corpus labelled by the rules, written as DocBins.

`silver_docs` runs the rules pipeline over every entry of the digests in a
folder (repaired text, as `read_digest` gives it) and keeps its METHOD, MODEL
and HARDWARE entities (SPEEDUP stays with the rules). Each entry is cut into
paragraphs (`chunks`); a paragraph without any Latin letter teaches nothing
about names and is kept only now and then (`keep_plain`).

Two weak-supervision choices make the model learn *where* a name stands rather
than *which* names the lists hold:

- **outside or missing**: by default a token no rule labelled is outside. With
  ``unlabelled="missing"``, a distinctive Latin token (mixed case beyond a first
  capital, ``xXxx``, letters with digits) that no rule labelled is marked missing (no
  loss either way), since the rules miss such names. Measured on the gold (through the
  gated merge of `combine`), "missing" made the ner tag almost every distinctive token
  (identifiers, data sets, table keys): entity F1 0.788 against 0.805 with "outside";
  with capitalised words missing too it fell to 0.49;
- **mention replacement**: ``augment`` extra copies of each paragraph with
  entities in which every METHOD and MODEL mention is replaced by a made-up name
  of a similar shape (``KVzip`` -> ``ZorFlux``, ``Qwen3-8B`` -> ``Velo2-8B``), the
  same one for the same name, so the gazetteer's strings cannot be learnt by
  heart.

Entries are split into train and dev by a hash of their digest and position
with a fixed seed, so the split is the same on every machine. Run as
``python -m techclaims.ingest.nlp.silver CORPUS OUT_DIR``.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin

from .coined import is_distinctive
from .structure import markup_intervals

__all__ = [
    "SilverStats",
    "silver_docs",
    "chunks",
    "replace_mentions",
    "write_docbins",
    "NER_LABELS",
]

log = logging.getLogger(__name__)

#: The labels the statistical NER learns (SPEEDUP stays with the rules).
NER_LABELS = ("METHOD", "MODEL", "HARDWARE")
DIGEST_SUFFIXES = {".md", ".markdown", ".txt", ".mdown"}
_LATIN = re.compile(r"[A-Za-z]")


@dataclass
class SilverStats:
    entries: dict[str, int] = field(default_factory=lambda: {"train": 0, "dev": 0})
    docs: dict[str, int] = field(default_factory=lambda: {"train": 0, "dev": 0})
    tokens: dict[str, int] = field(default_factory=lambda: {"train": 0, "dev": 0})
    entities: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"silver: train {self.entries['train']} entries / {self.docs['train']} docs / "
            f"{self.tokens['train']} tokens, dev {self.entries['dev']} entries / "
            f"{self.docs['dev']} docs / {self.tokens['dev']} tokens; entities "
            + ", ".join(f"{k} {v}" for k, v in sorted(self.entities.items()))
        )


def digest_files(corpus: Path) -> list[Path]:
    if corpus.is_file():
        return [corpus]
    return sorted(
        p
        for p in corpus.rglob("*")
        if p.is_file()
        and p.suffix.lower() in DIGEST_SUFFIXES
        and not p.name.startswith(".")
        and p.name.lower() != "readme.md"
    )


def silver_docs(corpus: Path, nlp: Language) -> Iterator[tuple[str, Doc]]:
    """``(entry key, annotated Doc)`` for every entry of every digest under `corpus`."""
    from techclaims.ingest.digest.readers import corpus_entries

    from .pipeline import annotate

    for path in digest_files(Path(corpus)):
        for i, (_, doc) in enumerate(annotate(nlp, corpus_entries(path))):
            yield f"{path.name}#{i}", doc


def chunks(doc: Doc, *, max_tokens: int = 400) -> Iterator[tuple[int, int]]:
    """Token ranges of `doc`'s paragraphs (cut at blank lines, or at line breaks past
    `max_tokens`), never through an entity."""
    start = 0
    inside: set[int] = set()
    for ent in doc.ents:
        inside.update(range(ent.start + 1, ent.end))
    for i, token in enumerate(doc):
        if i in inside or i == start:
            continue
        if token.is_space and (
            "\n\n" in token.text or ("\n" in token.text and i - start >= max_tokens)
        ):
            yield start, i
            start = i + 1
        elif i - start >= 2 * max_tokens and token.is_space:
            yield start, i
            start = i + 1
    if start < len(doc):
        yield start, len(doc)


def _fresh(vocab: object, words: list[str], spaces: list[bool]) -> Doc:
    return Doc(vocab, words=words, spaces=spaces)  # type: ignore[arg-type]


def _paragraph(doc: Doc, start: int, end: int, unlabelled: str) -> Doc | None:
    span = doc[start:end]
    if not span.text.strip():
        return None
    words = [t.text for t in span]
    spaces = [bool(t.whitespace_) for t in span]
    out = _fresh(doc.vocab, words, spaces)
    ents = [
        (e.start - start, e.end - start, e.label_)
        for e in doc.ents
        if e.label_ in NER_LABELS and e.start >= start and e.end <= end
    ]
    spans = [
        out.char_span(out[s].idx, out[e - 1].idx + len(out[e - 1]), label=lab) for s, e, lab in ents
    ]
    return _set_silver(out, [s for s in spans if s is not None], unlabelled)


def _set_silver(out: Doc, spans: list, unlabelled: str) -> Doc:
    """Set `spans` as the entities; name-like tokens outside them are missing (with
    ``unlabelled="missing"``), all other tokens outside."""
    if unlabelled != "missing":
        out.set_ents(spans, default="outside")
        return out
    out._.markup = markup_intervals(out.text)
    covered = {i for s in spans for i in range(s.start, s.end)}
    missing = [
        out[i : i + 1]
        for i, t in enumerate(out)
        if i not in covered and is_distinctive(t.text) and not t._.is_markup
    ]
    out.set_ents(spans, missing=missing, default="outside")
    out._.markup = None
    return out


# -- mention replacement -------------------------------------------------------------------

_SYLLABLES = (
    "zor flux vel tera quan mira lum nex cor vox pyra hex sol tri omni ark zen rho kap dyn "
    "spar neo lyra orb tal fen gal mox ryn sira tor ula vek wen xan yor zil brio cato dex"
).split()
_TECH_WORDS = (
    "Adaptive Sparse Token Cache Routing Pipeline Parallel Speculative Tree Attention Kernel "
    "Decoding Offloading Quantization Pruning Scheduling Memory Fusion Hierarchical Dynamic "
    "Elastic Streaming Block Expert Gradient Prefix Layer Budget Window Graph"
).split()
_SUFFIXES = ("KV", "LLM", "Serve", "Attn", "Infer", "MoE", "Spec", "Quant", "RL", "Flow", "Gen")
_MODEL_TAILS = ("", "", "-Instruct", "-Chat", "-Base")


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 2))).capitalize()


def synthetic_name(label: str, original: str, rng: random.Random) -> str:
    """A made-up name of about the shape of `original` for `label`."""
    if label == "MODEL":
        size = re.search(r"\d+(?:\.\d+)?[BM]\b", original)
        name = _word(rng) + (str(rng.randint(1, 4)) if rng.random() < 0.6 else "")
        if size or rng.random() < 0.5:
            name += (
                f"-{size.group() if size else str(rng.choice([1, 3, 7, 8, 13, 14, 32, 70])) + 'B'}"
            )
            name += rng.choice(_MODEL_TAILS)
        return name
    if " " in original.strip() and rng.random() < 0.7:
        return " ".join(rng.choice(_TECH_WORDS) for _ in range(len(original.split())))
    shape = rng.random()
    if original.isupper() and len(original) <= 6:
        return "".join(rng.choice("ABCDEFGHKLMNPQRSTVWXZ") for _ in range(max(2, len(original))))
    if shape < 0.35:
        return _word(rng) + _word(rng)
    if shape < 0.6:
        return _word(rng) + rng.choice(_SUFFIXES)
    if shape < 0.8:
        return _word(rng) + "-" + rng.choice(_SUFFIXES)
    return rng.choice("cvdxm") + _word(rng) + rng.choice(_SUFFIXES)


def replace_mentions(
    doc: Doc, nlp: Language, rng: random.Random, unlabelled: str = "outside"
) -> Doc | None:
    """A copy of `doc` whose METHOD / MODEL mentions are made-up names, re-tokenized;
    None when it has none to replace."""
    ents = [e for e in doc.ents if e.label_ in ("METHOD", "MODEL")]
    if not ents:
        return None
    names: dict[tuple[str, str], str] = {}
    text = doc.text
    pieces: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    for ent in doc.ents:
        pieces.append(text[pos : ent.start_char])
        start = sum(len(p) for p in pieces)
        if ent.label_ in ("METHOD", "MODEL"):
            new = names.setdefault(
                (ent.label_, ent.text), synthetic_name(ent.label_, ent.text, rng)
            )
        else:
            new = ent.text
        pieces.append(new)
        spans.append((start, start + len(new), ent.label_))
        pos = ent.end_char
    pieces.append(text[pos:])
    out = nlp.make_doc("".join(pieces))
    ents_out = []
    for start, end, label in spans:
        span = out.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None:
            ents_out.append(span)
    try:
        return _set_silver(out, ents_out, unlabelled)
    except ValueError:
        return None


# -- writing -----------------------------------------------------------------------------------


def _split(key: str, seed: int, dev_share: float) -> str:
    digest = hashlib.sha1(f"{seed}:{key}".encode()).digest()
    return "dev" if int.from_bytes(digest[:4], "big") / 2**32 < dev_share else "train"


def write_docbins(
    corpus: Path,
    out_dir: Path,
    *,
    nlp: Language | None = None,
    seed: int = 0,
    dev_share: float = 0.1,
    unlabelled: str = "outside",
    augment: int = 1,
    keep_plain: float = 0.1,
) -> SilverStats:
    """Label `corpus` with the rules and write ``train.spacy`` / ``dev.spacy`` to `out_dir`."""
    from .pipeline import make_nlp

    if unlabelled not in ("missing", "outside"):
        raise ValueError(f"unlabelled must be 'missing' or 'outside', not {unlabelled!r}")
    nlp = nlp or make_nlp()
    rng = random.Random(seed)
    bins = {
        "train": DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"]),
        "dev": DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"]),
    }
    stats = SilverStats()
    for key, doc in silver_docs(Path(corpus), nlp):
        part = _split(key, seed, dev_share)
        stats.entries[part] += 1
        for start, end in chunks(doc):
            para = _paragraph(doc, start, end, unlabelled)
            if para is None:
                continue
            has_ents = any(e.label_ in NER_LABELS for e in doc.ents if start <= e.start < end)
            if not has_ents and (not _LATIN.search(para.text) or rng.random() > keep_plain):
                continue
            copies = [para]
            if part == "train" and has_ents:
                for _ in range(augment):
                    copy = replace_mentions(para, nlp, rng, unlabelled)
                    if copy is not None:
                        copies.append(copy)
            for item in copies:
                bins[part].add(item)
                stats.docs[part] += 1
                stats.tokens[part] += len(item)
                for ent in item.ents:
                    stats.entities[ent.label_] = stats.entities.get(ent.label_, 0) + 1
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for part, docbin in bins.items():
        docbin.to_disk(out_dir / f"{part}.spacy")
    log.info(stats.summary())
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write silver NER training data (DocBins).")
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dev-share", type=float, default=0.1)
    parser.add_argument("--unlabelled", choices=("missing", "outside"), default="outside")
    parser.add_argument("--augment", type=int, default=1)
    args = parser.parse_args(argv)
    stats = write_docbins(
        args.corpus,
        args.out,
        seed=args.seed,
        dev_share=args.dev_share,
        unlabelled=args.unlabelled,
        augment=args.augment,
    )
    print(stats.summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
