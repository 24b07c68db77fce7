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
entry holding a Han character is Chinese, any other Latin: a frame often treats the
two apart (a word boundary after ``dataset`` but not after ``数据集``), so
`alternation` can give either part alone. The cue families the components take as
configurable data (``cues.jsonl``, ``not_entities.jsonl``) stay there.

>>> sorted(words("articles"))
['A', 'An', 'The']
>>> alternation("dataset-words", "han")
'数据集|语料'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from .gazetteer import GazetteerError

__all__ = ["VOCABULARY_DIR", "WordList", "Script", "load", "names", "words", "alternation"]

#: the folder of the lists, inside the package ``techclaims.ingest.nlp``
VOCABULARY_DIR = "patterns/vocabulary"
Script = Literal["han", "latin"]
_KINDS = ("words", "patterns")
_HAN = re.compile(r"[\u3400-\u9fff]")
_TYPE = re.compile(r"#\s*type:\s*(?P<kind>\S+)\s*$")


@dataclass(frozen=True)
class WordList:
    """One list: its file's name (without ``.txt``), its type and its entries in order."""

    name: str
    kind: Literal["words", "patterns"]
    entries: tuple[str, ...]

    def part(self, script: Script | None = None) -> tuple[str, ...]:
        """The entries of one script (``han``: those with a Han character), or all."""
        if script is None:
            return self.entries
        return tuple(e for e in self.entries if bool(_HAN.search(e)) == (script == "han"))

    def alternation(self, script: Script | None = None) -> str:
        """``a|b|c`` of the entries (words escaped), for a regex; ``(?!)`` (never matches)
        when there are none, so a frame stays a valid regex."""
        part = self.part(script)
        if self.kind == "words":
            part = tuple(re.escape(e) for e in part)
        return "|".join(part) or "(?!)"


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
    """
    where = where or name
    kind: str | None = None
    entries: list[str] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            declared = _TYPE.match(stripped)
            if declared:
                kind = declared.group("kind")
                if kind not in _KINDS:
                    raise GazetteerError(f"{where}:{lineno}: type must be words or patterns")
            continue
        if kind is None:
            raise GazetteerError(f"{where}:{lineno}: '# type: words|patterns' must come first")
        if stripped in entries:
            raise GazetteerError(f"{where}:{lineno}: {stripped!r} is listed twice")
        if kind == "patterns":
            try:
                re.compile(stripped)
            except re.error as err:
                raise GazetteerError(f"{where}:{lineno}: bad regex: {err}") from err
        entries.append(stripped)
    if kind is None:
        raise GazetteerError(f"{where}: no '# type: words|patterns' line")
    return WordList(name, "words" if kind == "words" else "patterns", tuple(entries))


def words(name: str) -> frozenset[str]:
    """The entries of the list `name` as a set (for a lookup, not a regex)."""
    return frozenset(load(name).entries)


def alternation(name: str, script: Script | None = None) -> str:
    """``a|b|c`` of the list `name` (of one script if given), ready to put in a regex."""
    return load(name).alternation(script)
