"""CPU seconds of each part of `kg ingest`'s extraction, one process, no store.

`kg ingest` runs the pipeline lazily over a digest's entries, so a profiler's
figures mix the parts and inflate the ones that call many small functions.
This runs the same steps one part at a time over a digest's entries (reading
and repair, tokenizing, each pipeline component over all the entries, the
papers with their claims, the claims' `statements_of` inside them) and prints
the process CPU time (`time.process_time`) each took, summed over the files:
the figures to compare before and after making one part cheaper.

    python bench/ingest_parts.py [PATH ...]   (folders or digest files;
                                               default: ../shared/corpus)
    python bench/ingest_parts.py --repeat 3 PATH ...   (best of 3 passes per part)

The Docs each part sees are those of a real ingest (components run in the
pipeline's order), so the parts' outputs are those of `kg ingest`; only the
interleaving differs.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from techclaims.ingest import papers as papers_module
from techclaims.ingest.digest.readers import read_digest
from techclaims.ingest.extract import _role, freeze_heap, resolve
from techclaims.ingest.nlp.pipeline import load_nlp, make_doc
from techclaims.schema.iris import paper_key

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")


def digest_paths(args: list[str]) -> list[Path]:
    """The digest files named, folders expanded (their *.md and *.txt files, sorted)."""
    paths: list[Path] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            paths += sorted(p for p in path.rglob("*") if p.suffix in (".md", ".txt"))
        elif path.is_file():
            paths.append(path)
        else:
            sys.exit(f"{arg}: no such file or folder")
    return paths


class Clock:
    """CPU seconds per part, summed over calls."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def time(self, part: str, work: Callable[[], T]) -> T:
        start = time.process_time()
        result = work()
        self.seconds[part] = self.seconds.get(part, 0.0) + time.process_time() - start
        return result


def _listed(make: Callable[..., Iterator[Any]], args: tuple[Any, ...]) -> list[Any]:
    return list(make(*args))


def timed_statements(clock: Clock) -> Callable[..., Iterator[Any]]:
    """`statements_of`, its CPU time counted (the generator run out at once)."""
    original = papers_module.statements_of

    def statements_of(*args: Any) -> Iterator[Any]:
        return iter(clock.time("claims: statements_of", partial(_listed, original, args)))

    return statements_of


def _each(work: Callable[[Any], T], items: list[Any]) -> list[T]:
    return [work(item) for item in items]


def _piped(proc: Any, docs: list[Any]) -> list[Any]:
    return list(proc.pipe(docs))


def run(paths: list[Path], clock: Clock) -> tuple[int, int]:
    """One pass over the digests; (entries, claims)."""
    nlp = load_nlp()
    n_entries = n_claims = 0
    for path in paths:
        _, entries = clock.time("read + repair + split", partial(read_digest, path))
        groups: dict[str, list[Any]] = {}
        for entry in entries:
            groups.setdefault(paper_key(entry.arxiv_id, entry.title), []).append(entry)
        ordered = [e for group in groups.values() for e in group]
        docs = clock.time("tokenizer", partial(_each, partial(make_doc, nlp), ordered))
        for name, proc in nlp.pipeline:
            if hasattr(proc, "pipe"):
                docs = clock.time(name, partial(_piped, proc, docs))
            else:
                docs = clock.time(name, partial(_each, proc, docs))
        pairs = iter(zip(ordered, docs, strict=True))
        for group in groups.values():
            chunk = [next(pairs) for _ in group]
            paper = clock.time(
                "papers (with statements_of)",
                partial(papers_module.to_paper, chunk, resolve, _role),
            )
            n_claims += len(paper.claims)
        n_entries += len(ordered)
    return n_entries, n_claims


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=[str(ROOT.parent / "shared" / "corpus")])
    parser.add_argument("--repeat", type=int, default=1, help="passes; the best of each part")
    args = parser.parse_args()
    paths = digest_paths(args.paths)
    if not paths:
        sys.exit("no digest files")
    load_nlp()  # loaded and frozen before any part is timed, as `kg ingest` does
    freeze_heap()
    best: dict[str, float] = {}
    for _ in range(args.repeat):
        clock = Clock()
        papers_module.statements_of = timed_statements(clock)
        start = time.process_time()
        entries, claims = run(paths, clock)
        clock.seconds["(all of the above)"] = time.process_time() - start
        for part, seconds in clock.seconds.items():
            best[part] = min(best.get(part, seconds), seconds)
    print(f"{len(paths)} digests, {entries} entries, {claims} claims; CPU s, best of {args.repeat}")
    for part, seconds in best.items():
        print(f"{seconds:8.2f}  {part}")


if __name__ == "__main__":
    main()
