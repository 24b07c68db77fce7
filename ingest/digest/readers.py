"""Digest files -> entries: the public entry point of `ingest.digest`.

``read_digest(path)`` is load + detect + split. The three steps are also
exposed on their own (`load_digest_text`, `detect_format`, `split_entries`)
so that callers holding text already, such as tests and the repair command,
skip the file system. Entries come in file order, with spans into the
repaired text, and a paper listed twice stays two entries: merging is done
downstream, by arXiv id or normalised title.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from techclaims.ingest.digest.arxiv_bot import malformed_items, read_arxiv_bot
from techclaims.ingest.digest.awesome import read_awesome
from techclaims.ingest.digest.daily_picks import read_daily_picks
from techclaims.ingest.digest.detect import detect_format
from techclaims.ingest.digest.load import MAX_FILE_BYTES, check_lines, load_digest_text
from techclaims.ingest.digest.markdown import malformed_links, read_markdown
from techclaims.ingest.errors import NotADigestError, PathologicalInputError
from techclaims.schema.records import DigestFormat, Entry

__all__ = [
    "DigestInfo",
    "detect_format",
    "load_digest_text",
    "read_digest",
    "corpus_entries",
    "split_entries",
]

#: More heading lines than this is generated data, not a digest (the corpus maximum is ~400):
#: refused before any entry is read, so such a file costs seconds and megabytes, not hours and
#: gigabytes.
MAX_HEADINGS = 20_000
#: A longer entry is skipped, with one line naming it (the corpus's longest is 13,920
#: characters): every stage's work on an entry is bounded by this, however the entry is written.
MAX_ENTRY_CHARS = 32_000
_HEADING_LINE = re.compile(r"(?:\A|\r\n|\r|\n)#")

Reader = Callable[[str, str], tuple[str | None, list[Entry]]]

READERS: dict[DigestFormat, Reader] = {
    "awesome": read_awesome,
    "arxiv-bot": read_arxiv_bot,
    "daily-picks": read_daily_picks,
    "markdown": read_markdown,
}


@dataclass(frozen=True, slots=True)
class DigestInfo:
    """What is known about a digest file besides its entries."""

    source: str  # its path below the folder ingested, or its file name: it names the digest's graph
    format: DigestFormat
    sha256: str  # of the raw bytes, so a user can tell which version was ingested
    repaired: bool  # True when the text was mis-encoded and repaired
    title: str | None
    text: str  # the (repaired) text all entry spans point into
    dropped: tuple[str, ...] = ()  # entries not read, each with where and why (one line each)


def split_entries(
    text: str, source: str, fmt: DigestFormat | None = None
) -> tuple[str | None, list[Entry]]:
    """-> (digest title or None, entries in file order).

    With no `fmt` the format is detected, and generic markdown is tried when the
    detected reader finds nothing. Raises `NotADigestError` when no entry is found.
    """
    title, entries, _ = read_entries(text, source, fmt)
    return title, entries


def read_entries(
    text: str, source: str, fmt: DigestFormat | None = None
) -> tuple[str | None, list[Entry], tuple[str, ...]]:
    """`split_entries`, and the entries it leaves out, one line each: items whose heading is
    malformed (an arXiv-bot item whose link is not a URL) and entries over `MAX_ENTRY_CHARS`.
    A digest whose every entry is dropped is refused (`NotADigestError`) with the first reason."""
    _check_size(text, source)
    chosen = fmt or detect_format(text)
    title, entries = READERS[chosen](text, source)
    if not entries and fmt is None and chosen not in ("markdown", "arxiv-bot"):
        chosen = "markdown"
        title, entries = read_markdown(text, source)
    dropped = (
        malformed_items(text)
        if chosen == "arxiv-bot"
        else malformed_links(text)
        if chosen == "markdown"
        else []
    )
    kept = []
    for entry in entries:
        if len(entry.text) > MAX_ENTRY_CHARS:
            line = text.count("\n", 0, entry.span.start) + 1
            dropped.append(
                f"line {line}: the entry {entry.heading[:60]!r} is {len(entry.text):,} characters, "
                f"over the {MAX_ENTRY_CHARS:,} an entry may have; skipped"
            )
        else:
            kept.append(entry)
    if not kept:
        reason = (
            dropped[0]
            if dropped
            else "the bot's page lists no papers that day"
            if chosen == "arxiv-bot"
            else "a digest needs headings with titles or arXiv links"
        )
        raise NotADigestError(source, f"no paper entries found (read as {chosen}); {reason}")
    return title, kept, tuple(dropped)


def read_digest(path: Path, source: str | None = None) -> tuple[DigestInfo, list[Entry]]:
    """Load, detect and split one digest file; `source` names it (default: the file name)."""
    path = Path(path)
    source = source or path.name
    text, repaired, sha256 = load_digest_text(path)
    try:
        title, entries, dropped = read_entries(text, source)
    except NotADigestError as error:
        raise NotADigestError(path, error.problem) from error
    info = DigestInfo(source, entries[0].format, sha256, repaired, title, text, dropped)
    return info, entries


def corpus_entries(path: Path) -> list[Entry]:
    """The entries of one file of a folder of unlabelled digests; none when the file is no
    digest (the bot writes a page on days it found no paper): learning from a folder skips
    such a file, as `kg ingest` names and skips it."""
    try:
        return read_digest(path)[1]
    except NotADigestError:
        return []


def _check_size(text: str, source: str) -> None:
    """Text handed in directly gets the same limits as a file read from disk.

    The heading limit bounds the work on generated files: reading costs tens of
    microseconds per heading, and the largest corpus digest has a few hundred.
    """
    headings = len(_HEADING_LINE.findall(text))  # any line break: CR-only files count too
    if headings > MAX_HEADINGS:
        raise PathologicalInputError(
            source, f"{headings:,} heading lines, over the {MAX_HEADINGS:,} a digest may have"
        )
    if len(text) > MAX_FILE_BYTES:
        raise PathologicalInputError(
            source, f"text is {len(text):,} characters, over the digest limit"
        )
    check_lines(text, source)
