"""Shared plumbing for components whose state is lists of JSONL rows.

A component keeps its data as named lists of dicts (``self.data``), filled by
`initialize` (from the config's readers or the packaged files), written by
`to_disk` as one JSONL file per list, and compiled into matchers by `_compile`.

A list that is exactly what the packaged files hold is marked so (``packaged.json``)
and read again from the package when a saved pipeline loads: the shipped model then
always uses the current patterns and cue words (edited patterns need no retraining),
while a list given in a config stays as it was saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import spacy
import srsly

from .gazetteer import read_jsonl

__all__ = ["JsonlDataMixin", "read_jsonl_files"]


@spacy.registry.readers("techclaims.read_jsonl_files.v1")
def read_jsonl_files(paths: list[str]) -> list[dict[str, Any]]:
    """Config reader: the rows of several JSONL files, concatenated into one list."""
    rows: list[dict[str, Any]] = []
    for path in paths:
        rows.extend(read_jsonl(path))
    return rows


class JsonlDataMixin:
    """`initialize` / `to_disk` / `from_disk` / `to_bytes` / `from_bytes` for `self.data`.

    Subclasses set `DEFAULTS` (list name -> packaged JSONL files) and implement
    `_compile()`.
    """

    DEFAULTS: dict[str, tuple[str, ...]] = {}
    name: str
    data: dict[str, list[dict[str, Any]]]

    def _init_data(self) -> None:
        self.data = {}
        self._compiled = False

    def _ensure(self) -> None:
        if not self._compiled:
            for key, files in self.DEFAULTS.items():
                if key not in self.data:
                    self.data[key] = read_jsonl_files(list(files))
            self._compile()
            self._compiled = True

    def _compile(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _initialize_lists(self, **lists: Any) -> None:
        """Load the data lists given in ``[initialize.components.NAME]``; the
        packaged files for the others. (spaCy validates `initialize` settings against
        the method's signature, so each component names its lists there.)"""
        for key, rows in lists.items():
            if key not in self.DEFAULTS:
                raise ValueError(
                    f"{self.name}: unknown data list {key!r}; expected {list(self.DEFAULTS)}"
                )
            if rows is not None:
                self.data[key] = list(rows)
        self._compiled = False
        self._ensure()

    def _packaged_keys(self) -> list[str]:
        """The lists that equal what the packaged files hold now."""
        return [
            key
            for key, files in self.DEFAULTS.items()
            if self.data.get(key) == read_jsonl_files(list(files))
        ]

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        self._ensure()
        packaged = self._packaged_keys()
        data = {k: v for k, v in self.data.items() if k not in packaged}
        return srsly.msgpack_dumps({"data": data, "packaged": packaged})

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()) -> Any:
        msg = srsly.msgpack_loads(bytes_data)
        packaged = set(msg.get("packaged", ()))
        self.data = {k: v for k, v in msg.get("data", msg).items() if k not in packaged}
        self._compiled = False
        self._ensure()
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        self._ensure()
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        packaged = self._packaged_keys()
        for key, rows in self.data.items():
            if key not in packaged:  # packaged lists are read from the package on load
                srsly.write_jsonl(path / f"{key}.jsonl", rows)
        srsly.write_json(path / "packaged.json", packaged)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> Any:
        path = Path(path)
        marker = path / "packaged.json"
        packaged = set(srsly.read_json(marker)) if marker.exists() else set()
        self.data = {
            key: read_jsonl(path / f"{key}.jsonl")
            for key in self.DEFAULTS
            if key not in packaged and (path / f"{key}.jsonl").exists()
        }
        self._compiled = False
        self._ensure()
        return self
