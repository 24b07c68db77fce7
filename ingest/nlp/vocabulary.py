"""Natural-language word lists of the recognizer, read from ``patterns/vocabulary/*.txt``.

The words the rules look for (data set words, vendors, words a title opens with, cue
words before a compared format, ...) are data, not code: each list is one text file,
one entry a line, so a reader finds the words where they would look and edits them
without touching a regex. The code keeps only the frame around a list (what must
come before or after it, its case rule); this module is the one place that reads the
files and turns a list into a set or a regex alternation.

A file starts with comment lines (``#``) that say what the list is for and who uses
it, and one line that declares its type:

- ``# type: words``: literal entries (a set lookup, or escaped into a regex);
- ``# type: patterns``: regex fragments (``GPUs?``, ``compared\\s+(?:to|with)``), each
  of which must compile on its own.

Entries keep the file's order (a regex alternation tries them in that order). An
entry holding a Han character (`word_shape.HAN`) is Chinese, any other Latin: a frame
often treats the two apart (a word boundary after ``dataset`` but not after
``数据集``), so `alternation` can give either part alone, and `phrase` gives the
common frame (Han entries as they are, Latin ones in any case and as whole ASCII
words).

One family, one file: where several places use parts of one family (the comparison
cues: before a compared name, between two, around one), an entry carries tags after
it, ``相比(?:于|之下)?  @far @closing``, and a place asks for the entries of the tags
it needs (`alternation(name, tags=...)`). The tags a file may use are declared in a
``# tags: a b c`` line before its entries.

The rows of the JSONL cue files (``cues.jsonl`` of the components,
``ingest/claims/data/*.jsonl``) take a list into a pattern as ``{list:NAME}`` or
``{list:NAME:TAG,TAG}`` (the list's `phrase`), or as ``{alternation:NAME...}`` (its bare
alternation, in a group: no word boundaries, the frame's case), so a word stands in one file only;
`expand` replaces the references and `cue_alternations` compiles a component's cue
rows, in one place for every component.

>>> sorted(words("articles"))
['A', 'An', 'The']
>>> alternation("dataset-words", "han")
'数据集|语料'
>>> alternation("comparison-cues", tags="opening")
'与|和|同|跟|with'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from .gazetteer import GazetteerError

__all__ = [
    "VOCABULARY_DIR",
    "WordList",
    "Script",
    "load",
    "names",
    "words",
    "alternation",
    "phrase",
    "expand",
    "cue_alternations",
    "cue_alternation",
]

#: the folder of the lists, inside the package ``techclaims.ingest.nlp``
VOCABULARY_DIR = "patterns/vocabulary"
Script = Literal["han", "latin"]
Tags = str | Iterable[str] | None
_KINDS = ("words", "patterns")
_TYPE = re.compile(r"#\s*type:\s*(?P<kind>\S+)\s*$")
_TAGS_LINE = re.compile(r"#\s*tags:(?P<tags>.*)$")
_TAG = re.compile(r"[a-z][a-z0-9-]*")
_ENTRY = re.compile(r"(?P<entry>.*?)(?P<tags>(?:\s+@[a-z][a-z0-9-]*)*)$")
#: a list named in a JSONL cue pattern: {list:NAME} or {list:NAME:TAG,TAG} (its phrase), or
#: {alternation:NAME...} (its bare alternation)
_REFERENCE = re.compile(
    r"\{(?P<form>list|alternation):(?P<name>[a-z0-9-]+)(?::(?P<tags>[a-z0-9,-]+))?\}"
)


def _is_han(entry: str) -> bool:
    from .word_shape import HAN  # word_shape reads lists of this module when imported

    return HAN.search(entry) is not None


def _tag_set(tags: Tags) -> frozenset[str] | None:
    if tags is None:
        return None
    return frozenset((tags,) if isinstance(tags, str) else tags)


@dataclass(frozen=True)
class WordList:
    """One list: its file's name (without ``.txt``), its type, its entries in order and
    each entry's tags (empty for a list without tags)."""

    name: str
    kind: Literal["words", "patterns"]
    entries: tuple[str, ...]
    tags: tuple[frozenset[str], ...] = ()
    declared: frozenset[str] = frozenset()

    def part(self, script: Script | None = None, tags: Tags = None) -> tuple[str, ...]:
        """The entries of one script (``han``: those with a Han character), or all; of
        those, the ones carrying any of `tags` (all when None)."""
        wanted = _tag_set(tags)
        if wanted is not None and not wanted <= self.declared:
            raise GazetteerError(
                f"{VOCABULARY_DIR}/{self.name}.txt: no tag {sorted(wanted - self.declared)}"
            )
        chosen = []
        for i, entry in enumerate(self.entries):
            if wanted is not None and not (self.tags[i] & wanted):
                continue
            if script is not None and _is_han(entry) != (script == "han"):
                continue
            chosen.append(entry)
        return tuple(chosen)

    def alternation(self, script: Script | None = None, tags: Tags = None) -> str:
        """``a|b|c`` of the entries (words escaped), for a regex; ``(?!)`` (never matches)
        when there are none, so a frame stays a valid regex."""
        part = self.part(script, tags)
        if self.kind == "words":
            part = tuple(re.escape(e) for e in part)
        return "|".join(part) or "(?!)"

    def phrase(self, tags: Tags = None) -> str:
        """The entries as words of running text: Han ones as they are, Latin ones in
        any case and whole (no ASCII letter or digit right before or after them; a
        Chinese character next to ``vs.`` is no word). One group, ready for a regex."""
        han, latin = self.alternation("han", tags), self.alternation("latin", tags)
        return rf"(?:{han}|(?<![A-Za-z0-9])(?i:{latin})(?![A-Za-z0-9]))"


def names() -> list[str]:
    """The names of every packaged list."""
    folder = resources.files(__package__).joinpath(VOCABULARY_DIR)
    return sorted(p.name[: -len(".txt")] for p in folder.iterdir() if p.name.endswith(".txt"))


@cache
def load(name: str) -> WordList:
    """The packaged list `name`; a missing or malformed file raises `GazetteerError`
    naming file:line."""
    where = f"{VOCABULARY_DIR}/{name}.txt"
    try:
        text = resources.files(__package__).joinpath(where).read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError) as err:
        raise GazetteerError(f"{where}: no such word list") from err
    return parse(text, name, where)


def parse(text: str, name: str, where: str = "") -> WordList:
    """A list from the text of its file (see the module docstring).

    >>> parse("# type: patterns\\nGPUs?\\n卡\\n", "x").part("latin")
    ('GPUs?',)
    >>> parse("# type: words\\n# tags: zh\\n和  @zh\\nand\\n", "y").part(tags="zh")
    ('和',)
    """
    where = where or name
    kind: str | None = None
    declared: set[str] = set()
    entries: list[str] = []
    tags: list[frozenset[str]] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            declared_kind = _TYPE.match(stripped)
            if declared_kind:
                kind = declared_kind.group("kind")
                if kind not in _KINDS:
                    raise GazetteerError(f"{where}:{lineno}: type must be words or patterns")
            declared_tags = _TAGS_LINE.match(stripped)
            if declared_tags:
                for tag in declared_tags.group("tags").split():
                    if not _TAG.fullmatch(tag):
                        raise GazetteerError(f"{where}:{lineno}: bad tag name {tag!r}")
                    declared.add(tag)
            continue
        if kind is None:
            raise GazetteerError(f"{where}:{lineno}: '# type: words|patterns' must come first")
        parts = _ENTRY.fullmatch(stripped)
        assert parts is not None  # the pattern matches any line
        entry = parts.group("entry")
        entry_tags = frozenset(t.lstrip("@") for t in parts.group("tags").split())
        if entry_tags - declared:
            raise GazetteerError(
                f"{where}:{lineno}: tag {sorted(entry_tags - declared)[0]!r} is not declared"
                " in a '# tags:' line"
            )
        if entry in entries:
            raise GazetteerError(f"{where}:{lineno}: {entry!r} is listed twice")
        if kind == "patterns":
            try:
                re.compile(entry)
            except re.error as err:
                raise GazetteerError(f"{where}:{lineno}: bad regex: {err}") from err
        entries.append(entry)
        tags.append(entry_tags)
    if kind is None:
        raise GazetteerError(f"{where}: no '# type: words|patterns' line")
    return WordList(
        name,
        "words" if kind == "words" else "patterns",
        tuple(entries),
        tuple(tags),
        frozenset(declared),
    )


def words(name: str, tags: Tags = None) -> frozenset[str]:
    """The entries of the list `name` (of `tags` if given) as a set (for a lookup, not a regex)."""
    return frozenset(load(name).part(tags=tags))


def alternation(name: str, script: Script | None = None, tags: Tags = None) -> str:
    """``a|b|c`` of the list `name` (of one script, of some tags, if given), ready to put in
    a regex."""
    return load(name).alternation(script, tags)


def phrase(name: str, tags: Tags = None) -> str:
    """The list `name` (of `tags` if given) as words of running text (`WordList.phrase`)."""
    return load(name).phrase(tags)


def expand(pattern: str) -> str:
    """A cue pattern with each ``{list:NAME}`` / ``{list:NAME:TAG,TAG}`` replaced by that
    list's `phrase`, each ``{alternation:NAME...}`` by its bare alternation in a group.

    >>> [bool(re.fullmatch(expand("{list:dataset-words}|样本"), t)) for t in ("Data Set", "样本")]
    [True, True]
    """

    def replace(m: re.Match[str]) -> str:
        tags = m.group("tags").split(",") if m.group("tags") else None
        if m.group("form") == "alternation":
            return f"(?:{alternation(m.group('name'), tags=tags)})"
        return phrase(m.group("name"), tags)

    return _REFERENCE.sub(replace, pattern)


def cue_alternations(rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """``{kind: (?:p1)|(?:p2)}`` of a component's cue rows (``cues.jsonl``), the list
    references expanded: what every component compiles its cue regexes from. A kind
    with no rows is absent; `cue_alternation` gives ``(?!)`` for it."""
    found: dict[str, list[str]] = {}
    for row in rows:
        found.setdefault(row["kind"], []).append(f"(?:{expand(row['pattern'])})")
    return {kind: "|".join(patterns) for kind, patterns in found.items()}


def cue_alternation(alternations: Mapping[str, str], kind: str) -> str:
    """The alternation of one kind of `cue_alternations`, ``(?!)`` (never matches) if none."""
    return alternations.get(kind) or r"(?!)"
