"""Write the generated pages of the manual: docs/vocabulary.md (from schema/ontology.ttl) and
docs/cli.md (from `kg --help` and each command's `--help`).

    .venv/bin/python docs/generate.py          # rewrite both
    .venv/bin/python docs/generate.py --check  # exit 1 if either is out of date (what the tests check)

Generated rather than written so they cannot drift: a property added to the ontology, or an
option added to a command, shows up on the next run, and `tests/test_docs.py` fails until the
pages are regenerated.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent

#: Properties of other vocabularies that digests' graphs use, with what they hold here.
OTHER_PROPERTIES = {
    "rdf:type": ("every node", "its class: `kg:Paper`, `kg:Claim`, `kg:Method`, ..."),
    "rdfs:label": ("entity", "a spelling this digest used for the entity (one per digest)"),
    "skos:prefLabel": (
        "entity",
        "the one preferred name of an entity, the spelling most digests chose (kept by `kg ingest`)",
    ),
    "skos:altLabel": ("entity", "every spelling seen, in any digest"),
    "skos:broader": ("hardware", "the broader product (`A100-80GB` -> `A100`)"),
    "dcterms:title": ("paper", "the paper's title"),
    "dcterms:issued": ("paper", "publication date (xsd:date), when the digest gives one"),
    "dcterms:creator": ("paper", "an author, as written"),
    "dcterms:subject": ("paper", "a topic of the topic scheme (`kgr:topic/quantization`)"),
    "dcterms:source": ("digest", "the digest's file name (its path below the folder ingested)"),
    "rdfs:seeAlso": ("paper", "the arXiv abstract page"),
    "prov:wasDerivedFrom": ("paper, claim", "the digest it was read from"),
    "kg:sha256": (
        "digest",
        "SHA-256 of the digest's bytes (a re-ingest of the same bytes is skipped)",
    ),
}


def _short(iri: str) -> str:
    from techclaims.kg.mapping import PREFIXES

    for prefix, base in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(base) and "/" not in iri[len(base) :]:
            return f"{prefix}:{iri[len(base) :]}"
    if iri.startswith("http://www.w3.org/2002/07/owl#"):
        return "owl:" + iri.rsplit("#", 1)[1]
    return f"<{iri}>"


def ontology_terms() -> list[dict[str, str]]:
    """Every class and property the ontology defines in the kg: namespace, in file order."""
    import pyoxigraph as ox

    from techclaims.schema import ONTOLOGY
    from techclaims.schema.iris import KG

    store = ox.Store()
    store.load(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE)
    order = {
        line.split()[0]: n
        for n, line in enumerate(ONTOLOGY.read_text(encoding="utf-8").splitlines())
        if line.startswith("kg:") and " a owl:" in line
    }
    rows = store.query(
        """PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?term ?kind ?label ?comment ?domain ?range ?super WHERE {
          VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty }
          ?term a ?kind .
          OPTIONAL { ?term rdfs:label ?label } OPTIONAL { ?term rdfs:comment ?comment }
          OPTIONAL { ?term rdfs:domain ?domain } OPTIONAL { ?term rdfs:range ?range }
          OPTIONAL { ?term rdfs:subClassOf ?super }
        }"""
    )
    terms: dict[str, dict[str, str]] = {}
    for row in rows:
        if not row["term"].value.startswith(KG):
            continue
        name = _short(row["term"].value)
        entry = terms.setdefault(name, {"name": name, "kind": row["kind"].value.rsplit("#", 1)[1]})
        for key in ("label", "comment"):
            if row[key] is not None:
                entry[key] = " ".join(row[key].value.split())
        for key in ("domain", "range", "super"):
            if row[key] is not None and isinstance(row[key], ox.NamedNode):
                entry[key] = _short(row[key].value)
    return sorted(terms.values(), key=lambda t: order.get(t["name"], 10**6))


def example_query(term: dict[str, str]) -> str:
    """One query that shows `term` at work: what a user would type first."""
    from techclaims.kg.store.summary import SUMMARY_PROPERTIES

    name = term["name"]
    local = name.split(":", 1)[1]
    if term["kind"] == "Class":
        return (
            f"SELECT ?x (SAMPLE(?name) AS ?label) WHERE {{ ?x a/rdfs:subClassOf* {name} "
            f"OPTIONAL {{ ?x skos:prefLabel|dcterms:title|dcterms:source|kg:evidence ?name }} }} "
            f"GROUP BY ?x LIMIT 5"
        )
    if local == "version":
        return f"SELECT ?graph ?version WHERE {{ GRAPH ?graph {{ ?graph {name} ?version }} }}"
    if local in SUMMARY_PROPERTIES:
        # summary counts live in their own graphs, never in the default graph
        return f"SELECT ?graph ?s ?o WHERE {{ GRAPH ?graph {{ ?s {name} ?o }} }} LIMIT 5"
    if term["kind"] == "ObjectProperty":
        return (
            f"SELECT ?s ?o ?name WHERE {{ ?s {name} ?o "
            f"OPTIONAL {{ ?o skos:prefLabel ?name }} }} LIMIT 5"
        )
    return f"SELECT ?s ?value WHERE {{ ?s {name} ?value }} LIMIT 5"


def vocabulary_page() -> str:
    terms = ontology_terms()
    out = [
        "# Vocabulary",
        "",
        "<!-- Generated by docs/generate.py from schema/ontology.ttl: do not edit by hand. -->",
        "",
        "Every class and property of the techclaims ontology (`kg:` is "
        "`https://w3id.org/techclaims/kg#`, resources are under `kgr:` = "
        "`https://w3id.org/techclaims/id/`), with one query that shows it at work. Every query "
        "runs as written with `kg query '...'` (the prefixes are declared) and answers on the "
        "example store (`make demo`); `tests/test_docs.py` runs them all.",
        "",
        "The default graph holds every digest's statements once each, with the preferred labels "
        "and the vocabulary: `COUNT` and plain SELECTs need no `DISTINCT`. `GRAPH ?g { ... }` "
        "matches inside one digest's graph (one match per digest that states it). The summary "
        "counts `kg ingest` keeps for the saved questions (`kg:papersProposing`, ...) live only in "
        "their own graphs: read them inside `GRAPH ?g`.",
        "",
        "A claim at a glance:",
        "",
        "```sparql",
        "SELECT ?method ?value ?unit ?metric ?baseline ?hardware ?evidence WHERE {",
        "  ?claim a kg:Claim ; kg:value ?value ; kg:unit ?unit ; kg:evidence ?evidence ;",
        "         kg:aboutMethod/skos:prefLabel ?method .",
        "  OPTIONAL { ?claim kg:metric ?metric }",
        "  OPTIONAL { ?claim kg:baseline/skos:prefLabel ?baseline }",
        "  OPTIONAL { ?claim kg:onHardware/skos:prefLabel ?hardware }",
        "} ORDER BY DESC(?value) LIMIT 10",
        "```",
        "",
    ]
    sections = (
        ("Classes", ("Class",)),
        ("Properties", ("ObjectProperty", "DatatypeProperty")),
    )
    for title, kinds in sections:
        out += [f"## {title}", ""]
        for term in (t for t in terms if t["kind"] in kinds):
            out += [f"### {term['name']}", ""]
            facts = []
            if term.get("super"):
                facts.append(f"subclass of `{term['super']}`")
            if term.get("domain"):
                facts.append(f"on `{term['domain']}`")
            if term.get("range"):
                facts.append(f"value `{term['range']}`")
            kind = {"ObjectProperty": "links to a node", "DatatypeProperty": "holds a literal"}
            if term["kind"] in kind:
                facts.insert(0, kind[term["kind"]])
            label = term.get("label", "")
            out.append(f"**{label}**" + (f" ({'; '.join(facts)})" if facts else "") + ".")
            if term.get("comment"):
                out += ["", term["comment"]]
            out += ["", "```sparql", example_query(term), "```", ""]
    out += [
        "## Properties of other vocabularies",
        "",
        "| property | on | holds |",
        "|---|---|---|",
    ]
    out += [f"| `{p}` | {on} | {what} |" for p, (on, what) in OTHER_PROPERTIES.items()]
    out += [
        "",
        "```sparql",
        "SELECT ?title ?issued ?topic WHERE { ?p a kg:Paper ; dcterms:title ?title ; "
        "dcterms:subject ?topic OPTIONAL { ?p dcterms:issued ?issued } } LIMIT 5",
        "```",
        "",
    ]
    return "\n".join(out)


def cli_page() -> str:
    from click.testing import CliRunner

    from techclaims.kg.cli import all_commands, main

    runner = CliRunner()

    def help_of(*args: str) -> str:
        done = runner.invoke(main, [*args, "--help"], prog_name="kg", terminal_width=100)
        if done.exit_code != 0:
            raise SystemExit(f"kg {' '.join(args)} --help failed: {done.output}")
        return done.output.rstrip()

    out = [
        "# Command-line reference",
        "",
        "<!-- Generated by docs/generate.py from `kg --help`: do not edit by hand. -->",
        "",
        "Every command takes `--store DIR` (else `$KG_STORE`, else `~/.local/share/techclaims/store`;"
        " an `http(s)://` address is a SPARQL server). Errors are one line on stderr; exit status "
        "1 error, 2 bad usage or bad SPARQL, 3 store in use by another writer, 4 some input files "
        "skipped while the rest landed.",
        "",
        "```text",
        help_of(),
        "```",
        "",
    ]
    for name, _command in all_commands():
        out += [f"## kg {name}", "", "```text", help_of(name), "```", ""]
    return "\n".join(out)


PAGES = {"vocabulary.md": vocabulary_page, "cli.md": cli_page}


def main(argv: list[str]) -> int:
    stale = []
    for name, make in PAGES.items():
        text = make()
        path = DOCS / name
        if "--check" in argv:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print(
            f"out of date: {', '.join(stale)}; run .venv/bin/python docs/generate.py",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
