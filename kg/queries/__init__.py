"""Saved questions: one `.rq` file per question, parameters bound safely.

The first comment line of each file is its one-line description. A parameter
is a variable named in a `# param: NAME type default` comment; its value is
bound as an RDF term by pyoxigraph's substitutions, never pasted into the text.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

import pyoxigraph as ox

from kg.errors import UsageError
from kgschema.iris import entity_iri

_PARAM = re.compile(r"^#\s*param:\s*(\w+)\s+(\w+)(?:\s+(.*))?$", re.M)
PARAM_TYPES = ("string", "decimal", "integer", "method", "model", "hardware", "iri")


@cache
def _texts() -> dict[str, str]:
    root = files(__name__)
    return {p.name[:-3]: p.read_text(encoding="utf-8") for p in root.iterdir() if p.name.endswith(".rq")}


def list_saved_queries() -> list[tuple[str, str]]:
    """(name, description) of every saved question, sorted by name."""
    out = []
    for name, text in sorted(_texts().items()):
        first = next((line for line in text.splitlines() if line.startswith("#")), "# ")
        out.append((name, first.lstrip("# ").strip()))
    return out


def _term(kind: str, value: str) -> ox.NamedNode | ox.Literal:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    if kind == "string":
        return ox.Literal(value)
    if kind in ("decimal", "integer"):
        try:
            float(value)
        except ValueError as err:
            raise UsageError(f"parameter value {value!r} is not a number") from err
        return ox.Literal(value, datatype=ox.NamedNode(xsd + kind))
    if kind in ("method", "model", "hardware"):
        return ox.NamedNode(entity_iri(kind.upper(), value))
    return ox.NamedNode(value)


def saved_query(name: str, params: dict[str, str]) -> tuple[str, dict[str, ox.NamedNode | ox.Literal]]:
    """The text of a saved question and its variable bindings."""
    texts = _texts()
    if name not in texts:
        known = ", ".join(sorted(texts)) or "none"
        raise UsageError(f"no saved question {name!r} (known: {known})")
    text = texts[name]
    declared = {m.group(1): (m.group(2), m.group(3)) for m in _PARAM.finditer(text)}
    unknown = set(params) - set(declared)
    if unknown:
        raise UsageError(f"{name}: unknown parameter(s) {', '.join(sorted(unknown))} "
                         f"(takes: {', '.join(declared) or 'none'})")
    bindings = {}
    for key, (kind, default) in declared.items():
        value = params.get(key, default)
        if value is not None and value.strip():
            bindings[key] = _term(kind, value.strip())
    return text, bindings
