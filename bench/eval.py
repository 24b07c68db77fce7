"""Score the current pipeline on dev, train, validation and test in one run (what `make eval` runs).

Ingests ../shared/corpus (the dev gold's digests) and every digest of
../shared/corpus-extended that an annotated paper comes from into one fresh
store, then scores it with `kg eval`'s scorer against ../shared/gold/dev.jsonl,
data/annotations/train and data/annotations/test, side by side, and per
source (dev per digest; train and test per digest kind). Also prints the
agreement of the doubly annotated papers. Every figure goes to
out/eval/eval.json.

    python bench/eval.py [--store DIR] [--no-ingest] [--workers N]
    python bench/eval.py --direct [--model DIR]   # quicker: extract only the gold papers' entries

`--direct` runs the extractor in this process over just the entries the gold
papers come from (their digests are read, not ingested) and scores the records
it returns: minutes faster for reading errors while working. Type unification
across a digest's papers and labels other digests add to a node are left out,
so its figures differ slightly from the store's; notes report `make eval`.

The test split is for reporting: read its table, never its misses.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from techclaims.kg.evaluate import (
    Predicted,
    Scores,
    agreement,
    evaluate,
    evaluate_groups,
    read_predictions,
)
from techclaims.kg.store import open_store
from techclaims.schema.gold import read_gold

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TEXTS = SHARED / "corpus-extended"
DATA = ROOT / "data" / "annotations"


def gold_sets() -> dict[str, list[dict]]:
    sets = {"dev": read_gold(SHARED / "gold" / "dev.jsonl")}
    for split in ("train", "validation", "test"):
        sets[split] = [
            p for path in sorted((DATA / split).glob("*.jsonl")) for p in read_gold(path, TEXTS)
        ]
    if not sets["validation"]:
        del sets["validation"]
    return sets


def digests(sets: dict[str, list[dict]]) -> list[Path]:
    """The digest files to ingest: the dev corpus and every file an annotated paper is read from."""
    sources = sorted(
        {p["source"] for split, papers in sets.items() if split != "dev" for p in papers}
    )
    return [*sorted((SHARED / "corpus").iterdir()), *(TEXTS / s for s in sources)]


def direct_predictions(papers: list[dict], model: Path | None) -> Predicted:
    """Extract the gold papers' own entries (no store) and read the records as predictions."""
    from techclaims.ingest.digest.readers import read_digest
    from techclaims.ingest.extract import resolve
    from techclaims.ingest.nlp.pipeline import annotate, load_nlp, role_of
    from techclaims.ingest.papers import to_paper, unify_types
    from techclaims.kg.evaluate import ATTRIBUTES, scope
    from techclaims.schema.gold import gold_entries
    from techclaims.schema.iris import norm_key

    nlp = load_nlp(model_path=model)
    pred = Predicted()
    for path, golds in _by_digest(papers).items():
        _, entries = read_digest(path)
        chosen = gold_entries(entries, golds)
        groups: dict[str, list] = {}
        for entry, doc in annotate(nlp, chosen):
            groups.setdefault(entry.arxiv_id or norm_key(entry.title), []).append((entry, doc))
        built = unify_types(tuple(to_paper(group, resolve, role_of) for group in groups.values()))
        source = golds[0]["source"]
        for number, record in enumerate(built):
            node = scope(source, f"{path.name}#{number}")
            if record.arxiv_id:
                pred.by_arxiv[scope(source, record.arxiv_id)] = node
            for key in (record.title, record.heading):
                pred.by_title.setdefault(scope(source, norm_key(key)), node)
            for i, entity in enumerate(record.entities):
                labels = {norm_key(entity.name), *(norm_key(a) for a in entity.aliases)}
                pred.entities[node].setdefault(entity.type, {})[f"{entity.type}{i}"] = (
                    labels,
                    entity.role or "",
                )
            spellings = {
                e.name: {norm_key(e.name), *(norm_key(a) for a in e.aliases)}
                for e in record.entities
            }
            pred.claims[node] = [
                {
                    **claim.model_dump(),
                    "iri": f"{node}-{i}",
                    "evidence": {claim.evidence},
                    **{
                        f"{a}_labels": spellings.get(getattr(claim, a) or "", set())
                        for a in ATTRIBUTES
                    },
                }
                for i, claim in enumerate(record.claims)
            ]
    return pred


def _by_digest(papers: list[dict]) -> dict[Path, list[dict]]:
    wanted: dict[Path, list[dict]] = {}
    for paper in papers:
        folder = SHARED / "corpus" if "/" not in paper["source"] else TEXTS
        wanted.setdefault(folder / paper["source"], []).append(paper)
    return wanted


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
    parser.add_argument(
        "--direct", action="store_true", help="extract the gold entries in-process, no store"
    )
    parser.add_argument(
        "--model", type=Path, default=None, help="with --direct: the spaCy pipeline to use"
    )
    parser.add_argument(
        "--only",
        choices=("dev", "train", "validation", "test"),
        action="append",
        help="score these sets only",
    )
    parser.add_argument(
        "--by-rule",
        action="store_true",
        help="each labelling function's precision and recall on train (and dev), then stop",
    )
    args = parser.parse_args()
    sets = gold_sets()
    if args.by_rule:
        from techclaims.ingest.nlp.pipeline import load_nlp
        from techclaims.ingest.nlp.provenance import format_rule_table, rule_table

        nlp = load_nlp(model_path=args.model)
        for split in ("train", "dev"):
            pairs = [(path, p) for path, ps in _by_digest(sets[split]).items() for p in ps]
            print(f"\n{split}\n" + format_rule_table(rule_table(nlp, pairs)))
        return
    if args.only:
        sets = {k: v for k, v in sets.items() if k in args.only}
    if args.direct:
        predicted = direct_predictions([p for papers in sets.values() for p in papers], args.model)
    elif not args.no_ingest:
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
    if not args.direct:
        with open_store(str(args.store), read_only=True) as store:
            predicted = read_predictions(store)
    overall = {name: evaluate(papers, predicted) for name, papers in sets.items()}
    print(side_by_side(overall))
    by_kind: dict[str, Scores] = {}
    for split in [s for s in ("train", "test") if s in sets]:
        for kind, scores in evaluate_groups(
            sets[split], predicted, lambda p: p["source"].split("/")[0]
        ).items():
            by_kind[f"{split} {kind}"] = scores
    if by_kind:
        print("\nper source\n" + side_by_side(by_kind))
    dev_digests = evaluate_groups(sets.get("dev", []), predicted, lambda p: p["source"][:3])
    if dev_digests:
        print("\ndev per digest\n" + side_by_side(dev_digests))
    doubles = {  # papers annotated twice in a round: first.jsonl against second.jsonl
        f"round {n or 1}": (
            read_gold(DATA / "double" / f"first{n and '-'}{n}.jsonl", TEXTS),
            read_gold(DATA / "double" / f"second{n and '-'}{n}.jsonl", TEXTS),
        )
        for n in ("", "2", "5")
    }
    agreed = {name: agreement(first, second) for name, (first, second) in doubles.items()}
    counts = ", ".join(f"{name} {len(first)}" for name, (first, _) in doubles.items())
    print(
        f"\nagreement of doubly annotated papers ({counts}; second against first)\n"
        + side_by_side(agreed)
    )
    figures = {
        "overall": {k: s.as_dict() for k, s in overall.items()},
        "per_source": {k: s.as_dict() for k, s in by_kind.items()},
        "dev_per_digest": {k: s.as_dict() for k, s in dev_digests.items()},
        "agreement": {name: scores.as_dict() for name, scores in agreed.items()},
    }
    out = ROOT / "out" / "eval" / ("eval-direct.json" if args.direct else "eval.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print(f"\nevery figure: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
