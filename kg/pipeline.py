"""The composed job: digest files -> records (`ingest`) -> named graphs in a store (`kg`).

With `kg.cli` this is the only module that imports both halves; the rest of
`kg` never imports spaCy. Each digest is extracted in full before its graph
is swapped in one transaction, so a failure (or a kill) mid-run leaves every
digest either as it was or wholly new.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.mapping import digest_quads
from kg.store import open_store
from kgschema.iris import digest_iri
from kgschema.records import Digest

log = logging.getLogger(__name__)

DIGEST_SUFFIXES = {".md", ".markdown", ".txt", ".mdown"}


@dataclass
class IngestReport:
    store: str
    digests: list[Digest] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def summary(self) -> str:
        papers = sum(len(d.papers) for d in self.digests)
        claims = sum(len(p.claims) for d in self.digests for p in d.papers)
        lines = [f"ingested {len(self.digests)} digest(s): {papers} papers, {claims} claims -> {self.store}"]
        if self.failures:
            lines.append(f"skipped {len(self.failures)} file(s) (see the errors above)")
        return "\n".join(lines)


def find_digests(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Files as given, folders searched for digest files; missing paths reported, not fatal."""
    found: list[Path] = []
    missing: list[str] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in DIGEST_SUFFIXES
                            and not p.name.startswith(".") and p.name.lower() != "readme.md")
        elif path.exists():
            found.append(path)
        else:
            missing.append(f"{path}: no such file or directory")
    return found, missing


def extract_all(files: list[Path], *, gpu: bool, workers: int, scheduler: str | None,
                notice: Callable[[str], None]) -> Iterator[tuple[Path, Digest | Exception]]:
    """Records for each file, in order; an ingest error is yielded in place of its digest."""
    from ingest.errors import IngestError
    from ingest.extract import extract_digest
    from ingest.nlp.pipeline import load_nlp

    nlp = load_nlp(gpu=gpu, notice=notice)
    for path in files:
        try:
            yield path, extract_digest(path, nlp, n_process=workers)
        except IngestError as err:
            yield path, err
        except Exception as err:  # a bug, not the user's input: one line, the traceback under -v
            log.info("extracting %s failed", path, exc_info=True)
            yield path, RuntimeError(f"{path}: internal error while extracting ({type(err).__name__}: {err}); "
                                     "run with -v for the traceback")


def ingest_paths(paths: list[Path], store: str, *, gpu: bool = False, workers: int = 1,
                 scheduler: str | None = None, progress: bool = False,
                 notice: Callable[[str], None] = log.warning) -> IngestReport:
    """Ingest every digest under `paths` into `store`; bad files are reported through `notice`."""
    from tqdm import tqdm

    files, missing = find_digests(paths)
    report = IngestReport(store=store, failures=list(missing))
    for problem in missing:
        notice(f"error: {problem}")
    if not files:
        return report
    with open_store(store) as opened:
        bar = tqdm(total=len(files), unit="digest", disable=not progress, leave=False)
        for path, result in extract_all(files, gpu=gpu, workers=workers, scheduler=scheduler, notice=notice):
            bar.set_postfix_str(path.name[-30:])
            if isinstance(result, Exception):
                report.failures.append(str(result))
                notice(f"error: {result}")
            else:
                opened.replace_graph(digest_iri(result.source), digest_quads(result))
                report.digests.append(result)
            bar.update()
        bar.close()
    return report
