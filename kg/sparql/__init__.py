"""SPARQL the library itself runs, one file per query (no SPARQL strings inside Python), and the two
things done to a user's SPARQL text: binding variables (`bind`) and explaining a syntax error in one
line (`syntax_message`)."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from techclaims.kg.errors import QueryError, UsageError


@cache
def load(name: str) -> str:
    """The text of `kg/sparql/NAME.rq`."""
    return files(__name__).joinpath(f"{name}.rq").read_text(encoding="utf-8")


# One token of SPARQL text: what a variable can never hide in (comments, strings, IRIs) comes first.
_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
      |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$](?P<name>[A-Za-z0-9_\u00B7\u00C0-\uFFFF]+))
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*(?::[^\s(){}\[\];,.]*)?)
  | (?P<space>\s+)
  | (?P<other>.)""",
    re.X | re.S,
)
_CLAUSE_ENDS = {"HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES", "GROUP"}


def bind(sparql: str, bindings: dict) -> str:
    """`sparql` with every occurrence of each bound variable replaced by its RDF term, before evaluation.

    A binding acts wherever the variable occurs, aggregates, FILTERs and subqueries included, as
    if the value had been written into the query (a VALUES clause appended to the query would be
    joined after GROUP BY and leave a COUNT unfiltered; pyoxigraph's own substitutions only bind
    projected variables). A projected variable stays a column, `(term AS ?name)`; in GROUP BY and
    ORDER BY the term is bracketed. Terms are written by pyoxigraph (`str(term)`), so a value can
    never change the query's structure. What cannot be bound is refused with one line: a variable
    the query does not have, one the query assigns itself (`AS ?name`, `VALUES ?name`), or a value
    where SPARQL does not allow it (a literal as a subject).

    >>> import pyoxigraph as ox
    >>> print(bind("SELECT (COUNT(?p) AS ?n) WHERE { ?p kg:comparesWith ?m }", {"m": ox.NamedNode("http://x/v")}))
    SELECT (COUNT(?p) AS ?n) WHERE { ?p kg:comparesWith <http://x/v> }
    >>> print(bind("SELECT ?m ?p WHERE { ?p ?x ?m } ORDER BY ?m", {"m": ox.Literal('a" }')}))
    SELECT ("a\\" }" AS ?m) ?p WHERE { ?p ?x "a\\" }" } ORDER BY ("a\\" }")
    """
    names = {name.lstrip("?$"): term for name, term in bindings.items()}
    out: list[str] = []
    found: set[str] = set()
    previous = ""  # the last keyword or punctuation seen (upper case), comments and spaces skipped
    projection = False  # between SELECT and its WHERE / { / FROM
    ordering = False  # in GROUP BY or ORDER BY
    values_header = False  # between VALUES and its {
    depth = 0  # brackets opened since the clause began
    for match in _TOKEN.finditer(sparql):
        kind, text = match.lastgroup, match.group()
        if kind == "var" and match.group("name") in names:
            name = match.group("name")
            found.add(name)
            value = str(names[name])
            if previous == "AS" or values_header:
                raise UsageError(
                    f"cannot bind ?{name}: the query assigns it itself "
                    f"({'AS' if previous == 'AS' else 'VALUES'} ?{name}); bind another variable"
                )
            if projection and depth == 0:
                text = f"({value} AS ?{name})"
            elif ordering and depth == 0:
                text = f"({value})"
            else:
                text = value
        elif kind == "word":
            word = text.upper()
            if word == "SELECT":
                projection, ordering, depth = True, False, 0
            elif word in ("WHERE", "FROM") and projection:
                projection = False
            elif word == "BY" and previous in ("GROUP", "ORDER"):
                ordering, depth = True, 0
            elif word in _CLAUSE_ENDS and ordering:
                ordering = False
            if word == "VALUES":
                values_header = True
            previous = word
        elif kind == "other":
            if text == "(":
                depth += 1
            elif text == ")":
                depth -= 1
            elif text in "{}":
                projection = ordering = values_header = False
                depth = 0
            previous = text
        elif kind == "var":
            previous = "?"
        out.append(text)
    missing = sorted(set(names) - found)
    if missing:
        raise UsageError(
            f"the query has no variable {', '.join('?' + m for m in missing)} to bind "
            f"(bindings must name a variable of the query)"
        )
    return "".join(out)


def parse_term(text: str) -> object:
    """A `--param NAME=VALUE` value for a query of one's own, as an RDF term: `<IRI>`, a prefixed
    name (`kg:Paper`), `method:NAME` (also `model:`, `hardware:`, `topic:`: the node ingest makes
    of that name), a number, `true`/`false`, `"quoted"`, else the text as a string literal.

    >>> parse_term("method:vLLM")
    <NamedNode value=https://w3id.org/techclaims/id/method/vllm>
    >>> parse_term("3"), parse_term("SGLang")  # doctest: +NORMALIZE_WHITESPACE
    (<Literal value=3 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>,
     <Literal value=SGLang datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>)
    """
    import pyoxigraph as ox

    from techclaims.kg.mapping import PREFIXES
    from techclaims.schema.iris import entity_iri, topic_iri

    xsd = "http://www.w3.org/2001/XMLSchema#"
    value = text.strip()
    try:
        if value.startswith("<") and value.endswith(">"):
            return ox.NamedNode(value[1:-1])
    except ValueError as err:
        raise UsageError(f"{value!r} is not an IRI: {err}") from None
    kind, sep, rest = value.partition(":")
    if sep and rest and kind in ("method", "model", "hardware"):
        return ox.NamedNode(entity_iri(kind.upper(), rest))
    if sep and rest and kind == "topic":
        return ox.NamedNode(topic_iri(rest))
    if sep and kind in PREFIXES and re.fullmatch(r"[\w.-]*", rest):
        return ox.NamedNode(PREFIXES[kind] + rest)
    if re.fullmatch(r"[+-]?\d+", value):
        return ox.Literal(value, datatype=ox.NamedNode(xsd + "integer"))
    if re.fullmatch(r"[+-]?\d*\.\d+", value):
        return ox.Literal(value, datatype=ox.NamedNode(xsd + "decimal"))
    if value in ("true", "false"):
        return ox.Literal(value, datatype=ox.NamedNode(xsd + "boolean"))
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return ox.Literal(value[1:-1])
    return ox.Literal(text)


_AT = re.compile(r"error at (\d+):(\d+): ?(.*)", re.S)


def syntax_message(error: BaseException, sparql: str) -> str:
    """A SPARQL syntax error in one line: where (line:column), the text found there, and what the
    parser expected, with the grammar's character classes left out.

    >>> syntax_message(SyntaxError("error at 1:10: expected CONSTRUCT"), "SELEC ?x WHERE {}")
    "SPARQL syntax error at 1:10 near 'WHERE {}': expected CONSTRUCT"
    """
    found = _AT.match(str(error).strip())
    if not found:
        return "SPARQL syntax error: " + " ".join(str(error).split())[:200]
    line, column, expected = int(found.group(1)), int(found.group(2)), found.group(3)
    lines = sparql.splitlines() or [""]
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    after = text[max(column - 1, 0) :].strip()[:24]
    near = repr(after) if after else f"the end of {text.strip()[-24:]!r}"
    if "Prefix not found" in expected:
        prefix = re.search(r"([A-Za-z][\w-]*):\S*$", text[: max(column - 1, 0)])
        name = f" {prefix.group(1)}:" if prefix else ""
        return (
            f"SPARQL syntax error at {line}:{column}: unknown prefix{name} "
            "(declare it with PREFIX, or use kg, kgr, dcterms, skos, prov, xsd, rdf, rdfs)"
        )
    expected = " ".join(expected.split())
    if expected.startswith("expected one of "):
        words = [
            w
            for w in expected[len("expected one of ") :].split(", ")
            if re.fullmatch(r"[A-Za-z]+", w)
        ]
        expected = "expected one of " + ", ".join(words[:10]) if words else "unexpected text"
    return f"SPARQL syntax error at {line}:{column} near {near}: {expected}"


def check(sparql: str) -> None:
    """Raise a one-line QueryError when `sparql` does not parse (used before sending it elsewhere)."""
    import pyoxigraph as ox

    from techclaims.kg.mapping import PREFIXES

    try:
        ox.Store().query(sparql, prefixes=PREFIXES)
    except SyntaxError as err:
        raise QueryError(syntax_message(err, sparql)) from err


_FORMS = {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}


def reads_named_graphs(sparql: str) -> bool:
    """Whether a query can read anything but the default graph: it has a `GRAPH` pattern or a
    `FROM` clause (keywords only: text in strings, IRIs and comments does not count).

    >>> reads_named_graphs("SELECT * WHERE { ?s ?p 'GRAPH' } # FROM"), reads_named_graphs("ASK { graph ?g {} }")
    (False, True)
    """
    return any(
        m.lastgroup == "word" and m.group().upper() in ("GRAPH", "FROM")
        for m in _TOKEN.finditer(sparql)
    )


def dataset_clauses(
    sparql: str, *, prefixes: dict[str, str] | None = None, base_iri: str | None = None
) -> tuple[list, list] | None:
    """The graphs a query's own `FROM` and `FROM NAMED` clauses name, as pyoxigraph resolves them
    (prefixes and BASE included): (default graphs, named graphs), or None when it has none.

    Why: a store hides some of its graphs from user queries (`kg.store.visible_options`), which
    must then give the query's dataset explicitly, minus those graphs. The IRIs are resolved by
    pyoxigraph itself (a `VALUES` clause after the query's prologue, on an empty store), so a
    prefixed name, an escape or a relative IRI names here what it names in the query. A query
    that does not parse raises pyoxigraph's SyntaxError; a clause that cannot be read so is one
    line (`QueryError`), never a guess.

    >>> kg = {"kg": "https://w3id.org/techclaims/kg#"}
    >>> dataset_clauses("SELECT * FROM kg:a FROM NAMED <b> WHERE {}", prefixes=kg, base_iri="http://x/")
    ([<NamedNode value=https://w3id.org/techclaims/kg#a>], [<NamedNode value=http://x/b>])
    >>> dataset_clauses("SELECT * WHERE { ?s ?p 'FROM <a>' } # FROM <b>") is None
    True
    """
    import pyoxigraph as ox

    tokens = [(m.lastgroup, m.group(), m.start()) for m in _TOKEN.finditer(sparql)]
    tokens = [t for t in tokens if t[0] not in ("comment", "space")]
    prologue_end = 0
    clauses: list[tuple[bool, str]] = []  # (FROM NAMED?, the graph's text)
    for index, (kind, text, start) in enumerate(tokens):
        word = text.upper() if kind == "word" else ""
        if not prologue_end and word in _FORMS:
            prologue_end = start
        if word != "FROM":
            continue
        at = index + 1
        named = at < len(tokens) and tokens[at][1].upper() == "NAMED"
        at += named
        term, end = "", tokens[at][2] if at < len(tokens) else len(sparql)
        if at < len(tokens) and tokens[at][0] == "iri":
            term = tokens[at][1]
        else:  # a prefixed name: the text up to the next space, comment or bracket
            for _kind, text_, start_ in tokens[at:]:
                if start_ != end or text_ in ("{", "}") or text_.upper() in ("FROM", "WHERE"):
                    break
                term, end = term + text_, start_ + len(text_)
        clauses.append((named, term))
    if not clauses:
        return None

    def run(text: str) -> list:
        return list(ox.Store().query(text, prefixes=prefixes or {}, base_iri=base_iri))  # type: ignore[arg-type]

    probe = f"{sparql[:prologue_end]}\nSELECT * WHERE {{ VALUES ?g {{ {' '.join(t for _, t in clauses)} }} }}"
    try:
        graphs = [row["g"] for row in run(probe)]
    except SyntaxError:
        run(sparql)  # the query's own syntax error, if it has one
        graphs = []
    if len(graphs) != len(clauses) or not all(isinstance(g, ox.NamedNode) for g in graphs):
        raise QueryError(
            "cannot tell which graphs the query's FROM clauses name: write each as <IRI> "
            "or prefix:name"
        )
    pairs = list(zip(graphs, clauses, strict=True))
    return [g for g, (named, _) in pairs if not named], [g for g, (named, _) in pairs if named]
