"""Read gold annotations: the text form of ../shared/gold/*.jsonl and the span form of data/annotations.

Gold papers come in two shapes. The dev gold carries the digest's words (title,
heading, evidence sentences). The project's own annotations must not copy digest
text, so each paper names its digest file (relative to the corpus folder) and its
entry (arXiv id or heading, and the entry's character span), and each claim's
evidence is a character span into that file. `read_gold` resolves the span form
against the digest files and returns both shapes alike, so the scorer never needs
to know which it was given. Both the scorer (`techclaims.kg.evaluate`) and the
training data (`techclaims.ingest.nlp`) read gold through here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from techclaims.errors import TechclaimsError
from techclaims.schema.records import Entry

#: Where the span form's digest files are looked for, relative to an ancestor of the gold file.
CORPUS_HINT = Path("shared") / "corpus-extended"

GoldPaper = dict[str, Any]


class GoldError(TechclaimsError):
    """A gold file cannot be read or does not resolve against its digests."""

    exit_code = 2


def find_corpus(gold_path: Path) -> Path | None:
    """The corpus folder of a span-form gold file: `shared/corpus-extended` beside an ancestor."""
    for folder in Path(gold_path).resolve().parents:
        candidate = folder / CORPUS_HINT
        if candidate.is_dir():
            return candidate
    return None


def read_gold(path: Path, texts: Path | None = None) -> list[GoldPaper]:
    """The gold papers of one JSONL file, span-form papers resolved against `texts`.

    Raises `GoldError` (one line, with file and line) for an unreadable file, a
    line that is not JSON, a digest file that is missing, or a span that does not
    lie inside its file.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise GoldError(f"{path}: cannot read the gold file: {err.strerror}") from err
    except UnicodeDecodeError as err:
        raise GoldError(f"{path}: not UTF-8 at byte {err.start}") from err
    cache: dict[str, str] = {}
    gold = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            paper = json.loads(line)
        except json.JSONDecodeError as err:
            raise GoldError(f"{path}:{number}: not JSON: {err.msg}") from err
        if "entry" in paper:
            paper = resolve(paper, texts or find_corpus(path), cache, f"{path}:{number}")
        paper.setdefault("gold_file", path.name)
        gold.append(paper)
    return gold


def resolve(paper: GoldPaper, texts: Path | None, cache: dict[str, str], where: str) -> GoldPaper:
    """A span-form paper in the text form: heading, title and evidence read from its digest file."""
    if texts is None:
        raise GoldError(
            f"{where}: the digest files of span annotations were not found; pass --texts DIR"
        )
    source = paper["source"]
    if source not in cache:
        try:
            cache[source] = (texts / source).read_text(encoding="utf-8")
        except OSError as err:
            raise GoldError(f"{where}: cannot read {texts / source}: {err.strerror}") from err
    text = cache[source]
    entry = paper["entry"]
    start, end = entry["span"]
    if not 0 <= start < end <= len(text):
        raise GoldError(
            f"{where}: entry span {start}-{end} is outside {source} ({len(text)} characters)"
        )
    body = text[start:end]
    heading = body.split("\n", 1)[0].lstrip("#").strip()
    resolved = {k: v for k, v in paper.items() if k not in ("entry", "claims")}
    resolved.update(
        heading=entry.get("heading") or heading,
        title=_title(heading),
        arxiv_id=entry.get("arxiv_id"),
        span=[start, end],  # where the entry sits in its digest: training data reads it from there
    )
    claims = []
    for i, claim in enumerate(paper.get("claims", []), 1):
        c_start, c_end = claim["evidence"]
        if not start <= c_start < c_end <= end:
            raise GoldError(
                f"{where}: claim {i}'s evidence span {c_start}-{c_end} is outside its entry"
            )
        claims.append({**claim, "evidence": text[c_start:c_end]})
    resolved["claims"] = claims
    return resolved


def _title(heading: str) -> str:
    """The title a heading shows: an arXiv-bot heading `3. [Title](link)` gives `Title`."""
    if "[" in heading and "](" in heading:
        return heading[heading.index("[") + 1 : heading.rindex("](")]
    return heading


def gold_entries(entries: Iterable[Entry], papers: Iterable[GoldPaper]) -> list[Entry]:
    """The entries of a digest that are these gold papers: the same arXiv id, else the same
    normalised heading or title (how `kg eval` matches a paper)."""
    from techclaims.schema.iris import norm_key

    papers = list(papers)
    ids = {p.get("arxiv_id") for p in papers} - {None}
    keys = {norm_key(p[k]) for p in papers for k in ("heading", "title") if p.get(k)}
    return [
        e
        for e in entries
        if e.arxiv_id in ids or norm_key(e.heading) in keys or norm_key(e.title) in keys
    ]
