"""Saved questions: one `.rq` file per question, parameters bound safely.

The first comment line of each file is its one-line description. A parameter
is declared by a `# param: NAME TYPE [DEFAULT]` comment and marked in the
query by a placeholder `VALUES ?NAME { UNDEF }`. The placeholder keeps the
file valid SPARQL on its own (unbound, it filters nothing), and binding
replaces `UNDEF` with the value serialised as an RDF term by pyoxigraph, so a
value can never change the query's structure.

Why a placeholder and not a VALUES clause appended to the query: a trailing
VALUES is joined *after* grouping, so it cannot filter an aggregate query
(and pyoxigraph's own substitutions only bind projected variables). An inline
VALUES also lets Oxigraph start the join from the bound value, which keeps a
filtered question fast on a large graph.

Entity parameters (`method`, `model`, `hardware`, `topic`) bind the node's
IRI, minted from the name the same way ingest mints it, so `vllm`, `vLLM` and
`v-LLM` all find the same node. By convention a parameter's variable holds
the IRI and its label is projected as `NAME_label`.

A parameter of type `limit` is the one exception: it binds the query's final
`LIMIT n` clause (a LIMIT cannot be a VALUES), which the file states with the
default value, so the file still runs as it is. A subquery that must see the
same number (to know which rows can be among the first `limit`) states it as
`LIMIT n # limit`, and is bound too. The value must be a non-negative integer
and is written back from the parsed int, so nothing but digits reaches the
text; an empty value drops the clauses (every row).

Files whose name starts with `_` are used by the library (the network view)
and are not listed as saved questions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import pyoxigraph as ox

from techclaims.kg.errors import UsageError
from techclaims.schema.iris import entity_iri, topic_iri

_PARAM = re.compile(r"^#\s*param:\s*(\w+)\s+(\w+)(?:[ \t]+(\S.*?))?\s*$", re.M)
_XSD = "http://www.w3.org/2001/XMLSchema#"
PARAM_TYPES = (
    "string",
    "decimal",
    "integer",
    "method",
    "model",
    "hardware",
    "topic",
    "iri",
    "limit",
)
# The last LIMIT of the text, outside every group: the one a `limit` parameter binds.
_FINAL_LIMIT = re.compile(r"\bLIMIT\s+\d+(?=[^{}]*\Z)", re.I)
# A LIMIT inside the query that a `limit` parameter binds too: marked by a `# limit` comment.
_MARKED_LIMIT = re.compile(r"\bLIMIT\s+\d+(?=[ \t]*#[ \t]*limit\b)", re.I)

Term = ox.NamedNode | ox.Literal | ox.BlankNode


@dataclass(frozen=True)
class Param:
    """A declared parameter: its name (also the SPARQL variable), type and default value."""

    name: str
    type: str
    default: str | None = None


@dataclass(frozen=True)
class SavedQuery:
    """One saved question as its `.rq` file states it."""

    name: str
    description: str
    params: tuple[Param, ...]
    text: str

    def signature(self) -> str:
        """The parameters as a user passes them, defaults shown: `baseline=vLLM model=`."""
        return " ".join(f"{p.name}={p.default or ''}" for p in self.params)


@cache
def _texts() -> dict[str, str]:
    root = files(__name__)
    return {
        p.name[:-3]: p.read_text(encoding="utf-8") for p in root.iterdir() if p.name.endswith(".rq")
    }


def _parse(name: str, text: str) -> SavedQuery:
    first = next((line for line in text.splitlines() if line.startswith("#")), "# ")
    params = tuple(Param(m.group(1), m.group(2), m.group(3)) for m in _PARAM.finditer(text))
    return SavedQuery(name=name, description=first.lstrip("# ").strip(), params=params, text=text)


def saved_queries(*, internal: bool = False) -> list[SavedQuery]:
    """Every saved question, sorted by name (the library's own `_` files only when asked)."""
    return [
        _parse(name, text)
        for name, text in sorted(_texts().items())
        if internal or not name.startswith("_")
    ]


def list_saved_queries() -> list[tuple[str, str]]:
    """(name, description) of every saved question, sorted by name; parameters follow the description."""
    out = []
    for query in saved_queries():
        params = f"  [{query.signature()}]" if query.params else ""
        out.append((query.name, query.description + params))
    return out


def get_saved_query(name: str) -> SavedQuery:
    """The saved question called `name`, or a `UsageError` that lists the known ones."""
    texts = _texts()
    if name not in texts:
        known = ", ".join(sorted(n for n in texts if not n.startswith("_"))) or "none"
        raise UsageError(f"no saved question {name!r} (known: {known})")
    return _parse(name, texts[name])


_INTEGER = re.compile(r"[+-]?[0-9]{1,30}")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]{1,30}(?:\.[0-9]{0,30})?|\.[0-9]{1,30})")
_LIMIT = re.compile(r"[0-9]{1,30}")
_TOPIC = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}")
#: The largest LIMIT the engine takes (a signed 64-bit count); more rows than any store holds.
MAX_LIMIT = 2**63 - 1


def _ascii_digits(text: str) -> str:
    """Decimal digits of any script (full-width, Arabic-Indic) as ASCII digits.

    >>> _ascii_digits("１٠0")
    '100'
    """
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def term(kind: str, value: str) -> Term:
    """A parameter value as the RDF term its declared type asks for.

    >>> term("method", "vLLM") == term("method", "vllm")
    True
    >>> term("integer", "3")
    <Literal value=3 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
    """
    if kind == "string":
        return ox.Literal(value)
    if kind in ("decimal", "integer", "limit"):
        # Digits of any script are read as ASCII digits; what is still no plain number (a
        # superscript, 1_000, nan, 5,000 digits) is refused in one line, never passed on.
        number = _ascii_digits(value.strip())
        shape = {"integer": _INTEGER, "decimal": _DECIMAL, "limit": _LIMIT}[kind]
        if not shape.fullmatch(number):
            what = {
                "limit": "a limit (a whole number of rows, 0 or more)",
                "integer": "an integer",
            }.get(kind, "a decimal")
            raise UsageError(f"parameter value {value[:40]!r} is not {what}")
        if kind == "limit":
            if int(number) > MAX_LIMIT:
                raise UsageError(f"parameter value {value[:40]!r} is over the largest limit")
            number = str(int(number))
        return ox.Literal(
            number, datatype=ox.NamedNode(_XSD + ("decimal" if kind == "decimal" else "integer"))
        )
    if kind in ("method", "model", "hardware"):
        return ox.NamedNode(entity_iri(kind.upper(), value))
    if kind == "topic":
        if not _TOPIC.fullmatch(value):
            raise UsageError(
                f"parameter value {value[:40]!r} is not a topic name (letters, digits and "
                "hyphens; `kg query --saved hardware-per-topic` lists them)"
            )
        return ox.NamedNode(topic_iri(value))
    if kind == "iri":
        try:
            return ox.NamedNode(value)
        except ValueError as err:
            raise UsageError(f"parameter value {value!r} is not an IRI: {err}") from err
    raise UsageError(f"unknown parameter type {kind!r} (known: {', '.join(PARAM_TYPES)})")


def _placeholder(name: str) -> re.Pattern[str]:
    return re.compile(r"VALUES\s+[?$]" + re.escape(name) + r"\s*\{\s*UNDEF\s*\}")


def _verbatim(text: str) -> Callable[[re.Match[str]], str]:
    """A `re.sub` replacement that inserts `text` as it is, never read as a template."""
    return lambda _match: text


def fill_placeholders(sparql: str, bindings: dict[str, Term]) -> tuple[str, dict[str, Term]]:
    """Put each bound term into its `VALUES ?name { UNDEF }` placeholders.

    Returns the new text and the bindings that had no placeholder (for the
    caller to bind another way, e.g. with `kg.store.with_bindings`).

    >>> text, rest = fill_placeholders("SELECT * { VALUES ?m { UNDEF } ?p kg:proposes ?m }",
    ...                                {"m": ox.Literal('x" } ?q')})
    >>> print(text)
    SELECT * { VALUES ?m { "x\\" } ?q" } ?p kg:proposes ?m }
    >>> rest
    {}
    """
    remaining: dict[str, Term] = {}
    for name, value in bindings.items():
        pattern = _placeholder(name)
        if pattern.search(sparql):
            # A function replacement: the term's text is never read as a regex template.
            sparql = pattern.sub(_verbatim(f"VALUES ?{name} {{ {value} }}"), sparql)
        else:
            remaining[name] = value
    return sparql, remaining


def placeholders(sparql: str) -> set[str]:
    """Names of the variables that have a `VALUES ?name { UNDEF }` placeholder."""
    return set(re.findall(r"VALUES\s+[?$](\w+)\s*\{\s*UNDEF\s*\}", sparql))


def saved_query(name: str, params: dict[str, str]) -> tuple[str, dict[str, Term]]:
    """The text of a saved question with its parameters bound, and any bindings left to apply.

    Unknown parameters are an error; a parameter given as an empty string (or
    declared without a default and not given) stays unbound, which means "any".
    """
    query = get_saved_query(name)
    declared = {p.name: p for p in query.params}
    unknown = set(params) - set(declared)
    if unknown:
        raise UsageError(
            f"{name}: unknown parameter(s) {', '.join(sorted(unknown))} "
            f"(takes: {', '.join(declared) or 'none'})"
        )
    bindings: dict[str, Term] = {}
    text = query.text
    for key, param in declared.items():
        value = params.get(key, param.default)
        if param.type == "limit":
            text = bind_limit(
                text, term(param.type, value).value if value and value.strip() else None
            )
        elif value is not None and value.strip():
            bindings[key] = term(param.type, value.strip())
        if value and not value.strip():  # "   " is a slip, not "any": say so, do not widen
            raise UsageError(
                f"{name}: parameter {key} is blank; give a value, or leave it empty "
                f"({key}=) for any"
            )
    return fill_placeholders(text, bindings)


def bind_limit(sparql: str, rows: str | None) -> str:
    """The query with its final `LIMIT n`, and any marked `LIMIT n # limit`, set to `rows` (digits
    only), or dropped when `rows` is None.

    >>> bind_limit("SELECT ?s { { SELECT ?s { ?s ?p ?o } LIMIT 5 } } ORDER BY ?s LIMIT 100", "20")
    'SELECT ?s { { SELECT ?s { ?s ?p ?o } LIMIT 5 } } ORDER BY ?s LIMIT 20'
    >>> bind_limit("SELECT ?s { ?s ?p ?o } LIMIT 100", None)
    'SELECT ?s { ?s ?p ?o } '
    >>> bind_limit("SELECT ?s { { SELECT ?s { ?s ?p ?o } LIMIT 100 # limit\\n } } LIMIT 100", "7")
    'SELECT ?s { { SELECT ?s { ?s ?p ?o } LIMIT 7 # limit\\n } } LIMIT 7'
    """
    if not _FINAL_LIMIT.search(sparql):
        raise UsageError("a limit parameter needs a final LIMIT clause in the query")
    replace = lambda _m: f"LIMIT {int(rows)}" if rows is not None else ""  # noqa: E731
    return _FINAL_LIMIT.sub(replace, _MARKED_LIMIT.sub(replace, sparql))
