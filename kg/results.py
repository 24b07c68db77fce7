"""Turn query results into what a person or a script reads: table, CSV, TSV, JSON, RDF."""

from __future__ import annotations

import io
import shutil

import pyoxigraph as ox

from techclaims.kg.errors import UsageError
from techclaims.kg.mapping import PREFIXES
from techclaims.kg.store import QueryResult

TABULAR = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}
GRAPHS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}


def short(term: object) -> str:
    """A term as a person reads it: prefixed IRIs, plain literal values.

    >>> short(ox.NamedNode("https://w3id.org/techclaims/kg#Paper"))
    'kg:Paper'
    >>> short(ox.Literal("6.2"))
    '6.2'
    """
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, base in PREFIXES.items():
            if term.value.startswith(base) and "/" not in term.value[len(base) :]:
                return f"{prefix}:{term.value[len(base) :]}"
        return term.value
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def render_table(result: QueryResult, max_width: int | None = None) -> str:
    """An aligned text table; long cells are cut to fit the terminal."""
    if isinstance(result, ox.QueryBoolean):
        return "true" if bool(result) else "false"
    if isinstance(result, ox.QueryTriples):
        return render(result, "ttl")
    names = [v.value for v in result.variables]
    rows = [[short(row[name]).replace("\n", " ") for name in names] for row in result]
    width = max_width or shutil.get_terminal_size((160, 20)).columns
    cap = max(12, width // max(1, len(names)) - 2)
    rows = [[c if len(c) <= cap else c[: cap - 1] + "…" for c in r] for r in rows]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
    out = [line(names), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def render(result: QueryResult, fmt: str) -> str:
    """Serialise a result in a standard format (SPARQL 1.1 results for tables, RDF for graphs)."""
    if fmt == "table":
        return render_table(result)
    buffer = io.BytesIO()
    if isinstance(result, ox.QueryTriples):
        if fmt not in GRAPHS:
            raise UsageError(f"a graph result is written as {', '.join(GRAPHS)}, not {fmt!r}")
        # kgr: is left out: every resource IRI has a "/" after it, which Turtle escapes (kgr:claim\/...).
        prefixes = {k: v for k, v in PREFIXES.items() if k != "kgr"} if fmt == "ttl" else None
        ox.serialize(result, buffer, format=GRAPHS[fmt], prefixes=prefixes)
    else:
        if fmt not in TABULAR:
            raise UsageError(
                f"a table or boolean result is written as table, {', '.join(TABULAR)}, not {fmt!r}"
            )
        result.serialize(buffer, format=TABULAR[fmt])
    text = buffer.getvalue().decode("utf-8")
    # Every format ends its last line (pyoxigraph leaves ASK, XML and JSON-LD without one), so a
    # shell prompt or the next `>>` append starts on a line of its own.
    return text if not text or text.endswith("\n") else text + "\n"
