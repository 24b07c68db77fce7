"""Counts per technique area, kept up to date by every digest change: the summary graphs.

Three saved questions count over most of a large graph before their first row is known
(`methods-in-topic`, `papers-per-topic-per-month`, `hardware-per-topic`). Their counts
are kept here instead, one graph per topic, `kgr:graph/summary/<topic>`:

    <kgr:graph/summary/quantization> kg:summaryOf topic:quantization .
    method   kg:papersProposing 2 ; kg:claimsAbout 19 ; kg:bestSpeedup 3.1 .   # a method the area's papers propose
    hardware kg:papersOnHardware 17 .                                          # named by a paper, or in its claims
    <kgr:month/2024-05> kg:month "2024-05" ; kg:papersInMonth 12 .             # or "unknown"
    paper    kg:paperMonth "2024-05" ; kg:paperHardware hardware .             # what the counts are made of

A topic's rows sit in one graph so that a question reads them with one index scan (a
lookup per row costs about 4 us at 10^6 triples, a scanned triple 0.3 us). The per-paper
triples (`kg:paperMonth`, `kg:paperHardware`) let a month's or a hardware's count be
recounted by a scan of its own rows, not of every paper of the area.

They are refreshed in the same SPARQL update that changes a digest's graph
(`kg.store.graph_change`), for the papers that graph holds before or after the change
only: their per-paper triples are recomputed from every digest, and the counts their old
and new triples belong to (and the (topic, method) pairs of what they propose or claim)
are counted again. So a reader never sees a digest without its counts, the cost follows
the digest, not the store, and the counts are always what counting every digest would
give (`rebuild` does that, for a store written before the summaries existed).

The counts follow the saved questions' own definitions exactly (a paper's month is its
publication date, else its arXiv id's; a hardware counts whether the paper names it or
one of its claims does; claims are those stating a unit and a value in the digest that
reports them), and are written with the same SPARQL over the union of every graph.

Also here: `kg:spellings`, the number of distinct spellings of an entity written more
than one way, kept in the labels graph beside its preferred label (`entity-spellings`).

Everything here is standard SPARQL 1.1 Update, for the embedded store and a server alike.
"""

from __future__ import annotations

import hashlib

from kgschema.iris import KG, KGR

SUMMARY_GRAPHS = f"{KGR}graph/summary/"
#: The graph whose one triple says which version of this module's SPARQL made the summaries.
SUMMARY_STATE = f"{KGR}graph/summary"
TOPICS = f"{KGR}topic/"
MONTHS = f"{KGR}month/"

_DC = "http://purl.org/dc/terms/"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
# Marks in the scratch graph of one update (never outlive it).
_PAPER = f"{KG}touchedPaper"
_PAIR = f"{KG}touchedIn"          # method -> topic
_MONTH = f"{KG}touchedMonth"      # summary graph -> month
_HARDWARE = f"{KG}touchedHardware"  # summary graph -> hardware
_SG = f'IRI(CONCAT("{SUMMARY_GRAPHS}", STRAFTER(STR(?t), "{TOPICS}")))'

#: Every property of the summary graphs (and only of them).
_SUMMARY_PROPERTIES = ("summaryOf", "papersProposing", "claimsAbout", "bestSpeedup", "papersOnHardware", "month",
                       "papersInMonth", "paperMonth", "paperHardware")

PREFIXES = (f"PREFIX kg: <{KG}>\nPREFIX dcterms: <{_DC}>\n"
            f"PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n")


def mark(graph: str, scratch: str) -> list[str]:
    """Operations marking, in `scratch`, the papers of `graph` and the (topic, method) pairs they
    count in. Run before and after the change, so what the old and the new graph touch is marked."""
    return [
        f"INSERT {{ GRAPH <{scratch}> {{ ?p <{_PAPER}> true }} }}\n"
        f"WHERE {{ GRAPH <{graph}> {{ ?p <{_RDF_TYPE}> kg:Paper }} }}",
        f"""INSERT {{ GRAPH <{scratch}> {{ ?m <{_PAIR}> ?t }} }}
WHERE {{
  GRAPH <{graph}> {{ ?p <{_RDF_TYPE}> kg:Paper }}
  GRAPH ?g1 {{ ?p dcterms:subject ?t }}
  {{ GRAPH ?g2 {{ ?p kg:proposes ?m }} }} UNION {{ GRAPH ?g3 {{ ?p kg:reports ?c . ?c kg:aboutMethod ?m }} }}
}}""",
    ]


def refresh(scratch: str) -> list[str]:
    """Operations that bring the summaries up to date for what `mark` marked (run after the change)."""
    touched = f"GRAPH <{scratch}> {{ ?p <{_PAPER}> true }}"
    return [
        # The counts the marked papers' per-paper triples belonged to, then those triples anew.
        f"INSERT {{ GRAPH <{scratch}> {{ ?sg <{_MONTH}> ?mo }} }} WHERE {{ {touched} GRAPH ?sg {{ ?p kg:paperMonth ?mo }} }}",
        f"INSERT {{ GRAPH <{scratch}> {{ ?sg <{_HARDWARE}> ?hw }} }} "
        f"WHERE {{ {touched} GRAPH ?sg {{ ?p kg:paperHardware ?hw }} }}",
        f"DELETE {{ GRAPH ?sg {{ ?p kg:paperMonth ?mo }} }} WHERE {{ {touched} GRAPH ?sg {{ ?p kg:paperMonth ?mo }} }}",
        f"DELETE {{ GRAPH ?sg {{ ?p kg:paperHardware ?hw }} }} WHERE {{ {touched} GRAPH ?sg {{ ?p kg:paperHardware ?hw }} }}",
        # A paper's month: its publication date, else its arXiv id (YYMM.); the leading digit
        # ranks the two for MIN and is cut off after (as papers-per-topic-per-month did).
        f"""INSERT {{ GRAPH ?sg {{ ?p kg:paperMonth ?month }} GRAPH <{scratch}> {{ ?sg <{_MONTH}> ?month }} }}
WHERE {{
  {{ SELECT DISTINCT ?p ?t WHERE {{ {touched} GRAPH ?g1 {{ ?p <{_RDF_TYPE}> kg:Paper }} GRAPH ?g2 {{ ?p dcterms:subject ?t }} }} }}
  OPTIONAL {{
    SELECT ?p (SUBSTR(MIN(?ranked), 2) AS ?known)
    WHERE {{
      {touched}
      {{ GRAPH ?g3 {{ ?p dcterms:issued ?issued }} BIND(CONCAT("0", SUBSTR(STR(?issued), 1, 7)) AS ?ranked) }}
      UNION
      {{ GRAPH ?g4 {{ ?p kg:arxivId ?id }} FILTER(REGEX(?id, "^[0-9]{{4}}[.]"))
        BIND(CONCAT("120", SUBSTR(?id, 1, 2), "-", SUBSTR(?id, 3, 2)) AS ?ranked) }}
    }}
    GROUP BY ?p
  }}
  BIND(COALESCE(?known, "unknown") AS ?month)
  BIND({_SG} AS ?sg)
}}""",
        # A paper's hardware: named by the paper, or by one of its claims.
        f"""INSERT {{ GRAPH ?sg {{ ?p kg:paperHardware ?hw }} GRAPH <{scratch}> {{ ?sg <{_HARDWARE}> ?hw }} }}
WHERE {{
  {{ SELECT DISTINCT ?p ?t ?hw WHERE {{
      {touched} GRAPH ?g1 {{ ?p dcterms:subject ?t }}
      {{ GRAPH ?g2 {{ ?p kg:usesHardware ?hw }} }}
      UNION {{ GRAPH ?g3 {{ ?p kg:reports ?c }} GRAPH ?g4 {{ ?c kg:onHardware ?hw }} }}
  }} }}
  BIND({_SG} AS ?sg)
}}""",
        # Months and hardware counted again from the per-paper triples.
        f"""DELETE {{ GRAPH ?sg {{ ?node kg:month ?mo ; kg:papersInMonth ?n }} }}
WHERE {{ GRAPH <{scratch}> {{ ?sg <{_MONTH}> ?mo }} BIND(IRI(CONCAT("{MONTHS}", ?mo)) AS ?node)
  GRAPH ?sg {{ ?node kg:papersInMonth ?n }} }}""",
        f"""INSERT {{ GRAPH ?sg {{ ?node kg:month ?mo ; kg:papersInMonth ?n }} }}
WHERE {{
  {{ SELECT ?sg ?mo (COUNT(*) AS ?n) WHERE {{ GRAPH <{scratch}> {{ ?sg <{_MONTH}> ?mo }} GRAPH ?sg {{ ?p kg:paperMonth ?mo }} }}
     GROUP BY ?sg ?mo }}
  BIND(IRI(CONCAT("{MONTHS}", ?mo)) AS ?node)
}}""",
        f"DELETE {{ GRAPH ?sg {{ ?hw kg:papersOnHardware ?n }} }} "
        f"WHERE {{ GRAPH <{scratch}> {{ ?sg <{_HARDWARE}> ?hw }} GRAPH ?sg {{ ?hw kg:papersOnHardware ?n }} }}",
        f"""INSERT {{ GRAPH ?sg {{ ?hw kg:papersOnHardware ?n }} }}
WHERE {{ SELECT ?sg ?hw (COUNT(*) AS ?n) WHERE {{ GRAPH <{scratch}> {{ ?sg <{_HARDWARE}> ?hw }}
  GRAPH ?sg {{ ?p kg:paperHardware ?hw }} }} GROUP BY ?sg ?hw }}""",
        # The marked (topic, method) pairs counted again, as methods-in-topic counted them.
        f"""DELETE {{ GRAPH ?sg {{ ?m kg:papersProposing ?a . ?m kg:claimsAbout ?b . ?m kg:bestSpeedup ?c }} }}
WHERE {{
  GRAPH <{scratch}> {{ ?m <{_PAIR}> ?t }} BIND({_SG} AS ?sg)
  OPTIONAL {{ GRAPH ?sg {{ ?m kg:papersProposing ?a }} }}
  OPTIONAL {{ GRAPH ?sg {{ ?m kg:claimsAbout ?b }} }}
  OPTIONAL {{ GRAPH ?sg {{ ?m kg:bestSpeedup ?c }} }}
}}""",
        f"""INSERT {{ GRAPH ?sg {{ ?m kg:papersProposing ?papers ; kg:claimsAbout ?claims ; kg:bestSpeedup ?best }} }}
WHERE {{
  {{ SELECT ?m ?t (COUNT(DISTINCT ?p) AS ?papers) WHERE {{
      GRAPH <{scratch}> {{ ?m <{_PAIR}> ?t }}
      GRAPH ?g1 {{ ?p kg:proposes ?m }} GRAPH ?g2 {{ ?p dcterms:subject ?t }}
  }} GROUP BY ?m ?t }}
  OPTIONAL {{ SELECT ?m ?t (COUNT(DISTINCT ?c) AS ?claims) (MAX(?x) AS ?best) WHERE {{
      GRAPH <{scratch}> {{ ?m <{_PAIR}> ?t }}
      GRAPH ?g {{ ?c kg:aboutMethod ?m ; kg:unit ?unit ; kg:value ?v . ?p kg:reports ?c }}
      GRAPH ?g2 {{ ?p dcterms:subject ?t }}
      BIND(IF(?unit = "x", ?v, ?none) AS ?x)
  }} GROUP BY ?m ?t }}
  BIND({_SG} AS ?sg)
}}""",
        # Which topic a summary graph counts, stated while it counts anything.
        f"""DELETE {{ GRAPH ?sg {{ ?sg kg:summaryOf ?t }} }}
WHERE {{ {{ SELECT DISTINCT ?sg WHERE {{ GRAPH <{scratch}> {{ ?sg <{_MONTH}> ?mo }} }} }}
  GRAPH ?sg {{ ?sg kg:summaryOf ?t }} FILTER NOT EXISTS {{ GRAPH ?sg {{ ?any kg:paperMonth ?month }} }} }}""",
        f"""INSERT {{ GRAPH ?sg {{ ?sg kg:summaryOf ?t }} }}
WHERE {{ {{ SELECT DISTINCT ?sg WHERE {{ GRAPH <{scratch}> {{ ?sg <{_MONTH}> ?mo }} }} }}
  FILTER EXISTS {{ GRAPH ?sg {{ ?any kg:paperMonth ?month }} }}
  BIND(IRI(CONCAT("{TOPICS}", STRAFTER(STR(?sg), "{SUMMARY_GRAPHS}"))) AS ?t) }}""",
    ]


def respell(scratch: str, labels_graph: str, entity_mark: str) -> list[str]:
    """Operations recounting the spellings of the entities marked for relabelling (`kg:spellings`,
    kept only where an entity has more than one)."""
    marked = f"GRAPH <{scratch}> {{ ?e <{entity_mark}> true }}"
    return [
        f"DELETE {{ GRAPH <{labels_graph}> {{ ?e kg:spellings ?n }} }} "
        f"WHERE {{ {marked} GRAPH <{labels_graph}> {{ ?e kg:spellings ?n }} }}",
        f"""INSERT {{ GRAPH <{labels_graph}> {{ ?e kg:spellings ?n }} }}
WHERE {{ {{ SELECT ?e (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {marked} GRAPH ?g {{ ?e <{_SKOS_ALT}> ?s }} }} GROUP BY ?e }}
  FILTER(?n > 1) }}""",
    ]


def version() -> str:
    """A tag of the SPARQL that makes the summaries: a store made by another version is rebuilt."""
    text = "\n".join(refresh("urn:s") + mark("urn:g", "urn:s") + respell("urn:s", "urn:l", "urn:e"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def rebuild(scratch: str, labels_graph: str, entity_mark: str, system_graphs: str) -> str:
    """One update that counts everything again from every digest: drops every summary graph and
    `kg:spellings`, marks every paper and entity, refreshes, and records the version."""
    drop_all = [f"DELETE {{ GRAPH ?sg {{ ?s kg:{p} ?o }} }} WHERE {{ GRAPH ?sg {{ ?s kg:{p} ?o }} }}" for p in _SUMMARY_PROPERTIES]
    every_paper = (f"INSERT {{ GRAPH <{scratch}> {{ ?p <{_PAPER}> true }} }} "
                   f"WHERE {{ SELECT DISTINCT ?p WHERE {{ GRAPH ?g {{ ?p <{_RDF_TYPE}> kg:Paper }} "
                   f"FILTER(!STRSTARTS(STR(?g), \"{system_graphs}\")) }} }}")
    every_pair = f"""INSERT {{ GRAPH <{scratch}> {{ ?m <{_PAIR}> ?t }} }}
WHERE {{ SELECT DISTINCT ?m ?t WHERE {{
  GRAPH <{scratch}> {{ ?p <{_PAPER}> true }}
  GRAPH ?g1 {{ ?p dcterms:subject ?t }}
  {{ GRAPH ?g2 {{ ?p kg:proposes ?m }} }} UNION {{ GRAPH ?g3 {{ ?p kg:reports ?c . ?c kg:aboutMethod ?m }} }}
}} }}"""
    every_entity = (f"INSERT {{ GRAPH <{scratch}> {{ ?e <{entity_mark}> true }} }} "
                    f"WHERE {{ SELECT DISTINCT ?e WHERE {{ GRAPH ?g {{ ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l }} "
                    f"FILTER(!STRSTARTS(STR(?g), \"{system_graphs}\")) }} }}")
    state = (f"DROP SILENT GRAPH <{SUMMARY_STATE}> ;\n"
             f"INSERT DATA {{ GRAPH <{SUMMARY_STATE}> {{ <{SUMMARY_STATE}> kg:version \"{version()}\" }} }}")
    ops = [f"DROP SILENT GRAPH <{scratch}>", *drop_all,
           f"DELETE {{ GRAPH <{labels_graph}> {{ ?e kg:spellings ?n }} }} WHERE {{ GRAPH <{labels_graph}> {{ ?e kg:spellings ?n }} }}",
           every_paper, every_pair, every_entity, *refresh(scratch), *respell(scratch, labels_graph, entity_mark),
           f"DROP SILENT GRAPH <{scratch}>", state]
    return PREFIXES + " ;\n".join(ops)


def current_query() -> str:
    """ASK whether the summaries were made by this version (so need no rebuild)."""
    return f'ASK {{ GRAPH <{SUMMARY_STATE}> {{ <{SUMMARY_STATE}> <{KG}version> "{version()}" }} }}'
