"""Gazetteers: named models, hardware and methods, read from JSONL files.

Each line of ``patterns/models.jsonl``, ``patterns/hardware.jsonl`` and
``patterns/methods.jsonl`` is one entry::

    {"id": "qwen3-32b", "label": "MODEL", "name": "Qwen3-32B", "aliases": ["QwQ"],
     "family": "Qwen3", "parameters": 32, "broader": "Qwen3"}

`name` is the canonical spelling, `aliases` other names for the same thing.
Spelling variants (case, hyphens / spaces / nothing between parts, a space between
a model family and its version, the vendor in front of a hardware name) are made
by `spellings`, not listed in the files.

`normalize_name` is the normalisation the scorer uses (case, spaces, hyphens,
underscores and dots ignored); `Gazetteer.lookup` finds an entry by any spelling.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy

from techclaims.ingest.errors import IngestError

__all__ = [
    "PATTERNS_DIR",
    "GAZETTEER_FILES",
    "LABELS",
    "WHOLE_NAME_KINDS",
    "GazetteerError",
    "GazetteerEntry",
    "Gazetteer",
    "normalize_name",
    "spelling_key",
    "default_gazetteer",
    "shared_gazetteer",
    "check_unique",
    "read_jsonl",
    "load_gazetteer",
    "spellings",
    "phrase_patterns",
]

PATTERNS_DIR = Path(__file__).parent / "patterns"
GAZETTEER_FILES = ("models.jsonl", "hardware.jsonl", "methods.jsonl")
LABELS = ("METHOD", "MODEL", "HARDWARE", "SPEEDUP")
#: not_entities.jsonl kinds (``why``) that are generic only as a whole name: a textbook
#: concept (MDP, Grid Search), a reference setup (FullKV, Retrain), a data or field word
#: (ECG, Synthetic Data), a plain word (Tree, Length). Their words still build names
#: ("Tree Training", "Speculative Prefill"), so a phrase made of them is not generic for
#: that, as one made only of the other kinds' words is.
WHOLE_NAME_KINDS = ("textbook", "reference-setup", "domain", "plain-word")
_ENTRY_KEYS = {
    "id",
    "label",
    "name",
    "aliases",
    "family",
    "parameters",
    "vendor",
    "broader",
    "kind",
    "case_sensitive",
    "note",
}
_ID = re.compile(r"[a-z0-9]+(?:[-.+][a-z0-9]+)*")
_SEP = re.compile(r"[\s\-_]+")
_NORM = re.compile(r"[\s\-_.]+")
_KEY = re.compile(r"[\s\-_]+")
# a model family written before its version: "Qwen3" ~ "Qwen 3" ~ "Qwen-3"
_FAMILY_VERSION = re.compile(r"(?<=[A-Za-z]{3})(?=\d+(?:\.\d+)?(?:$|[\s\-_]))")


class GazetteerError(IngestError, ValueError):
    """A gazetteer or pattern file is malformed; the message says file:line and why.

    An `IngestError`, so `kg` prints it as one line; still a ValueError, as it was."""


def normalize_name(name: str) -> str:
    """The scorer's normalisation: lower case, no spaces, hyphens, underscores or dots.

    >>> normalize_name("Llama-3.1 8B_Instruct")
    'llama318binstruct'
    """
    return _NORM.sub("", name).lower()


def spelling_key(name: str) -> str:
    """Like `normalize_name` but keeps dots (``OPT-1.3B`` and ``OPT-13B`` differ).

    Names must be unique under this key across the gazetteer.

    >>> spelling_key("Llama-3.1 8B")
    'llama3.18b'
    """
    return _KEY.sub("", name).lower()


def _packaged(path: str | Path) -> Path:
    path = Path(path)
    if not path.is_absolute() and not path.exists():
        path = PATTERNS_DIR / path
    return path


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """All lines of a JSONL file as a list (a bare name is looked up in `PATTERNS_DIR`).

    Blank lines are skipped; a bad line raises `GazetteerError` with file:line.
    """
    path = _packaged(path)
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise GazetteerError(f"{path}:{lineno}: not JSON: {err}") from err
            if not isinstance(row, dict):
                raise GazetteerError(f"{path}:{lineno}: a line must be a JSON object")
            rows.append(row)
    return rows


@dataclass(frozen=True)
class GazetteerEntry:
    id: str
    label: str
    name: str
    aliases: tuple[str, ...] = ()
    family: str | None = None
    parameters: float | None = None
    vendor: str | None = None
    broader: str | None = None
    kind: str | None = None  # methods: system, kernel, library, algorithm, format, ...
    case_sensitive: bool | None = None  # None: only names of <= 3 characters

    @classmethod
    def from_row(cls, row: dict[str, Any], where: str = "") -> GazetteerEntry:
        missing = {"id", "label", "name", "aliases"} - row.keys()
        if missing:
            raise GazetteerError(f"{where}: missing keys {sorted(missing)}")
        unknown = row.keys() - _ENTRY_KEYS
        if unknown:
            raise GazetteerError(f"{where}: unknown keys {sorted(unknown)}")
        if row["label"] not in ("METHOD", "MODEL", "HARDWARE"):
            raise GazetteerError(f"{where}: label {row['label']!r} is not METHOD/MODEL/HARDWARE")
        if not isinstance(row["id"], str) or not _ID.fullmatch(row["id"]):
            raise GazetteerError(f"{where}: id {row['id']!r} is not a lower-case slug")
        if not isinstance(row["name"], str) or not row["name"].strip():
            raise GazetteerError(f"{where}: name must be a non-empty string")
        aliases = row["aliases"]
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
            raise GazetteerError(f"{where}: aliases must be a list of non-empty strings")
        params = row.get("parameters")
        if params is not None and not isinstance(params, int | float):
            raise GazetteerError(f"{where}: parameters must be a number (billions)")
        return cls(
            id=row["id"],
            label=row["label"],
            name=row["name"],
            aliases=tuple(aliases),
            family=row.get("family"),
            parameters=float(params) if params is not None else None,
            vendor=row.get("vendor"),
            broader=row.get("broader"),
            kind=row.get("kind"),
            case_sensitive=row.get("case_sensitive"),
        )

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def is_case_sensitive(self) -> bool:
        if self.case_sensitive is not None:
            return self.case_sensitive
        return len(normalize_name(self.name)) <= 3


@dataclass
class Gazetteer:
    entries: list[GazetteerEntry]
    _index: dict[str, GazetteerEntry] = field(default_factory=dict, repr=False)
    _loose: dict[str, GazetteerEntry | None] = field(default_factory=dict, repr=False)
    _by_id: dict[str, GazetteerEntry] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for entry in self.entries:
            self._by_id[entry.id] = entry
            for spelling in spellings(entry):
                self._index.setdefault(spelling_key(spelling), entry)
                loose = normalize_name(spelling)
                if self._loose.get(loose, entry) is not entry:
                    self._loose[loose] = None  # ambiguous without dots
                else:
                    self._loose[loose] = entry

    def __iter__(self) -> Iterator[GazetteerEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> GazetteerEntry | None:
        return self._by_id.get(entry_id)

    def lookup(self, name: str) -> GazetteerEntry | None:
        """The entry one of whose spellings normalises like `name`, else None.

        Dots count first (``OPT-1.3B`` is not ``OPT-13B``); without a match, a name
        is looked up with dots ignored too, where that is unambiguous, and a hardware
        plural (``H100s``) as its singular.
        """
        found = self._index.get(spelling_key(name))
        if found is None:
            found = self._loose.get(normalize_name(name))
        if found is None and len(name) > 2 and name.endswith("s") and name[-2].isdigit():
            plural = self.lookup(name[:-1])  # H100s, A100s
            if plural is not None and plural.label == "HARDWARE":
                found = plural
        return found


def load_gazetteer(
    files: Iterable[str | Path] = GAZETTEER_FILES, *, check: bool = True
) -> Gazetteer:
    """Read gazetteer files (bare names are looked up in `PATTERNS_DIR`).

    With `check`, duplicate ids and a spelling shared by two entries raise
    `GazetteerError`.
    """
    entries: list[GazetteerEntry] = []
    for file in files:
        path = _packaged(file)
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if line.strip():
                    where = f"{path}:{lineno}"
                    try:
                        row = json.loads(line)
                    except json.JSONDecodeError as err:
                        raise GazetteerError(f"{where}: not JSON: {err}") from err
                    entries.append(GazetteerEntry.from_row(row, where))
    if check:
        check_unique(entries)
    return Gazetteer(entries)


@lru_cache(maxsize=4)
def default_gazetteer() -> Gazetteer:
    """The packaged gazetteer, read once per process."""
    return load_gazetteer()


_SHARED: dict[str, Gazetteer] = {}


def shared_gazetteer(rows: list[dict[str, Any]]) -> Gazetteer:
    """A `Gazetteer` of gazetteer rows, built once per process for the same rows
    (several components hold the same lists)."""
    key = hashlib.sha1(
        json.dumps(rows, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()
    if key not in _SHARED:
        _SHARED[key] = Gazetteer([GazetteerEntry.from_row(r, "gazetteer") for r in rows])
    return _SHARED[key]


def check_unique(entries: Iterable[GazetteerEntry]) -> None:
    """Raise `GazetteerError` on a duplicate id or a name/alias shared by two entries."""
    ids: set[str] = set()
    owner: dict[str, str] = {}
    for entry in entries:
        if entry.id in ids:
            raise GazetteerError(f"duplicate id {entry.id!r}")
        ids.add(entry.id)
        for name in entry.names:
            key = spelling_key(name)
            if key in owner and owner[key] != entry.id:
                raise GazetteerError(
                    f"{name!r} of {entry.id!r} is spelt like a name of {owner[key]!r}"
                )
            owner[key] = entry.id


def _separator_variants(name: str, model: bool) -> set[str]:
    if model:
        name = _FAMILY_VERSION.sub("\x00", name)
    parts = [p for p in re.split(r"[\s\-_\x00]+", name) if p]
    if len(parts) == 1:
        return {parts[0]}
    seps = re.findall(r"[\s\-_\x00]+", name)
    out = {name.replace("\x00", "")}
    if len(parts) <= 4:
        choices = [("-", " ", "") for _ in seps]
    else:  # keep the number of variants small: uniform separators only
        out |= {j.join(parts) for j in ("-", " ", "")}
        return out
    for combo in itertools.product(*choices):
        out.add(parts[0] + "".join(s + p for s, p in zip(combo, parts[1:], strict=True)))
    return out


def spellings(entry: GazetteerEntry) -> list[str]:
    """Every spelling the phrase patterns look for, made from name and aliases."""
    bases = list(entry.names)
    out: set[str] = set()
    for base in bases:
        forms = _separator_variants(base, model=entry.label == "MODEL")
        if not entry.is_case_sensitive:
            forms |= {f.lower() for f in forms} | {f.upper() for f in forms}
        out |= forms
    if entry.label == "HARDWARE" and entry.vendor:  # "NVIDIA H100", "Nvidia H100"
        vendor = entry.vendor
        vendors = (
            {vendor, vendor.upper(), vendor.capitalize(), vendor.lower()}
            if " " not in vendor
            else {vendor}
        )
        out |= {
            f"{v} {form}"
            for v in vendors
            for form in set(out)
            if not form.lower().startswith(vendor.lower())
        }
    return sorted(out)


def phrase_patterns(gazetteer: Gazetteer) -> list[dict[str, Any]]:
    """Phrase patterns (label, pattern, id) for every spelling; ``"lower": True`` where
    the entry is not case sensitive (``techclaims_gazetteer`` then matches any case)."""
    return [
        {
            "label": entry.label,
            "pattern": spelling,
            "id": entry.id,
            "lower": not entry.is_case_sensitive,
        }
        for entry in gazetteer
        for spelling in spellings(entry)
    ]


@spacy.registry.readers("techclaims.read_jsonl.v1")
def create_jsonl_reader(path: str) -> list[dict[str, Any]]:
    """Config reader returning a list (srsly's returns a generator)."""
    return read_jsonl(path)


@spacy.registry.readers("techclaims.gazetteer_patterns.v1")
def create_gazetteer_patterns(
    files: list[str] = list(GAZETTEER_FILES),  # noqa: B006 (a config default)
) -> list[dict[str, Any]]:
    """Config reader: phrase patterns for every spelling of every gazetteer entry."""
    return phrase_patterns(load_gazetteer(files))
