"""Score the current pipeline on dev, train and test in one run (what `make eval` runs).

Ingests ../shared/corpus (the dev gold's digests) and every digest of
../shared/corpus-extended that an annotated paper comes from into one fresh
store, then scores it with `kg eval`'s scorer against ../shared/gold/dev.jsonl,
data/annotations/train and data/annotations/test, side by side, and per
source (dev per digest; train and test per digest kind). Also prints the
agreement of the doubly annotated papers. Every figure goes to
out/eval/eval.json.

    python bench/eval.py [--store DIR] [--no-ingest] [--workers N]

The test split is for reporting: read its table, never its misses.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from techclaims.kg.evaluate import Scores, agreement, evaluate, evaluate_groups, read_predictions
from techclaims.kg.store import open_store
from techclaims.schema.gold import read_gold

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TEXTS = SHARED / "corpus-extended"
DATA = ROOT / "data" / "annotations"


def gold_sets() -> dict[str, list[dict]]:
    sets = {"dev": read_gold(SHARED / "gold" / "dev.jsonl")}
    for split in ("train", "test"):
        sets[split] = [
            p for path in sorted((DATA / split).glob("*.jsonl")) for p in read_gold(path, TEXTS)
        ]
    return sets


def digests(sets: dict[str, list[dict]]) -> list[Path]:
    """The digest files to ingest: the dev corpus and every file an annotated paper is read from."""
    sources = sorted({p["source"] for split in ("train", "test") for p in sets[split]})
    return [*sorted((SHARED / "corpus").iterdir()), *(TEXTS / s for s in sources)]


def rows(scores: Scores) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, c in [
        *scores.entities.items(),
        ("entities", scores.overall),
        ("CLAIM", scores.claims),
    ]:
        out[name] = f"{c.precision:.3f} {c.recall:.3f} {c.f1:.3f}"
    for name, c in scores.attributes.items():
        out[f"claim {name}"] = f"{c.precision:.3f} {c.recall:.3f} {c.f1:.3f}"
    ok, n = scores.metric
    out["claim metric acc"] = f"{ok / n:.3f}" if n else "-"
    found, total = scores.proposed
    out["proposed recall"] = f"{found / total:.3f} ({found}/{total})" if total else "-"
    out["papers matched"] = f"{scores.papers_found}/{scores.papers}"
    return out


def side_by_side(columns: dict[str, Scores]) -> str:
    table = {name: rows(s) for name, s in columns.items()}
    names = list(next(iter(table.values())))
    width = max(22, *(len(c) + 2 for c in columns))
    lines = [f"{'P R F1':<18}" + "".join(f"{c:>{width}}" for c in columns)]
    for name in names:
        lines.append(f"{name:<18}" + "".join(f"{table[c][name]:>{width}}" for c in columns))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=ROOT / "out" / "eval" / "store")
    parser.add_argument("--no-ingest", action="store_true", help="score the store as it is")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    sets = gold_sets()
    if not args.no_ingest:
        files = digests(sets)
        start = time.perf_counter()
        subprocess.run(["rm", "-rf", str(args.store)], check=True)
        command = [
            sys.executable,
            "-m",
            "techclaims.kg.cli",
            "ingest",
            *map(str, files),
            "--store",
            str(args.store),
        ]
        if args.workers > 1:
            command += ["--workers", str(args.workers)]
        done = subprocess.run(command, cwd=ROOT, check=False)
        if done.returncode not in (0, 4):
            sys.exit(f"eval: kg ingest failed with status {done.returncode}")
        print(f"ingested {len(files)} digests in {time.perf_counter() - start:.0f} s\n")
    with open_store(str(args.store), read_only=True) as store:
        predicted = read_predictions(store)
    overall = {name: evaluate(papers, predicted) for name, papers in sets.items()}
    print(side_by_side(overall))
    by_kind: dict[str, Scores] = {}
    for split in ("train", "test"):
        for kind, scores in evaluate_groups(
            sets[split], predicted, lambda p: p["source"].split("/")[0]
        ).items():
            by_kind[f"{split} {kind}"] = scores
    print("\nper source\n" + side_by_side(by_kind))
    dev_digests = evaluate_groups(sets["dev"], predicted, lambda p: p["source"][:3])
    print("\ndev per digest\n" + side_by_side(dev_digests))
    first = read_gold(DATA / "double" / "first.jsonl", TEXTS)
    second = read_gold(DATA / "double" / "second.jsonl", TEXTS)
    agreed = agreement(first, second)
    print(
        f"\nagreement of {len(first)} doubly annotated papers (second against first)\n"
        + side_by_side({"agreement": agreed})
    )
    figures = {
        "overall": {k: s.as_dict() for k, s in overall.items()},
        "per_source": {k: s.as_dict() for k, s in by_kind.items()},
        "dev_per_digest": {k: s.as_dict() for k, s in dev_digests.items()},
        "agreement": agreed.as_dict(),
    }
    out = ROOT / "out" / "eval" / "eval.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print(f"\nevery figure: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
