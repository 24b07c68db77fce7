"""Counts kept up to date by every digest change, for the saved questions: the summary graphs.

Some saved questions count over most of a large graph before their first row is known.
Their counts are kept here instead, in graphs under `kgr:graph/summary/`:

One graph per topic, `kgr:graph/summary/topic/<topic>` (`methods-in-topic`,
`papers-per-topic-per-month`, `hardware-per-topic`):

    <kgr:graph/summary/topic/quantization> kg:summaryOf topic:quantization .
    method   kg:papersProposing 2 ; kg:claimsAbout 19 ; kg:bestSpeedup 3.1 .   # a method the area's papers propose
    hardware kg:papersOnHardware 17 .                                          # named by a paper, or in its claims
    <kgr:month/2024-05> kg:month "2024-05" ; kg:papersInMonth 12 .             # or "unknown"
    paper    kg:paperMonth "2024-05" ; kg:paperHardware hardware .             # what the counts are made of

One graph per baseline, `kgr:graph/summary/baseline/method/<name>`
(`methods-compared-against`, `competitors-of`):

    <kgr:graph/summary/baseline/method/cublas> kg:comparisonsWith kgr:method/cublas .
    method   kg:papersComparing 3 ; kg:bestSpeedup 2.4 .  # papers comparing what they propose with it, best claim

And `kgr:graph/summary/hardware` (`top-speedups-per-hardware`): the largest value claimed
on each hardware in each unit.

    <kgr:summary/top/hardware/h100/x> kg:topOnHardware hardware ; kg:topUnit "x" ; kg:topValue 6.3 .

And `kgr:graph/summary/papers` (`papers-in-several-digests`): each paper typed in more than one
digest's graph, with what that question shows of it, so it reads one graph instead of grouping
every paper of every digest and looking up each one's titles and digests (120 ms on a year of
digests, 692 of 6,336 papers):

    paper kg:digestCount 3 ; kg:firstTitle "..." ; kg:digestSources "a.md, b.md, c.md" .  # sources sorted

 so that a question reads them with one
index scan (a lookup per row costs about 4 us at 10^6 triples, a scanned triple 0.3 us).
The per-paper triples (`kg:paperMonth`, `kg:paperHardware`) let a month's or a hardware's
count be recounted by a scan of its own rows, not of every paper of the area.

They are refreshed in the same SPARQL update that changes a digest's graph
(`kg.store.graph_change`), for what that graph holds before or after the change only:
the papers' per-paper triples are recomputed from every digest, and the counts their old
and new triples belong to (the (topic, method) and (baseline, method) pairs of what they
propose, compare with or claim, the (hardware, unit) of their claims) are counted again.
So a reader never sees a digest without its counts, and the counts are always what
counting every digest would give (`rebuild` does that, for a store written before the
summaries existed). The cost follows the digest, except for a hardware's largest value:
counted again over every claim on that hardware in that unit.

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
import re

from techclaims.schema.iris import KG, KGR, SPEED_METRICS

#: Every summary graph's name starts so; the graph of that very name records the version.
SUMMARY_STATE = f"{KGR}graph/summary"
TOPIC_GRAPHS = f"{SUMMARY_STATE}/topic/"
BASELINE_GRAPHS = f"{SUMMARY_STATE}/baseline/"
HARDWARE_GRAPH = f"{SUMMARY_STATE}/hardware"
PAPERS_GRAPH = f"{SUMMARY_STATE}/papers"
TOPICS = f"{KGR}topic/"
MONTHS = f"{KGR}month/"
TOPS = f"{KGR}summary/top/"

_DC = "http://purl.org/dc/terms/"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
# Marks in the scratch graph of one update (never outlive it).
_PAPER = f"{KG}touchedPaper"
_IN_TOPIC = f"{KG}touchedIn"  # method -> topic
_AGAINST = f"{KG}touchedAgainst"  # method -> baseline
_TOP = f"{KG}touchedTop"  # hardware -> "unit|family"
_CLAIM = f"{KG}touchedClaim"
_KEPT = f"{KG}keptTop"  # row -> its value, still claimed
_MONTH = f"{KG}touchedMonth"  # summary graph -> month
_HARDWARE = f"{KG}touchedHardware"  # summary graph -> hardware
_TG = f'IRI(CONCAT("{TOPIC_GRAPHS}", STRAFTER(STR(?t), "{TOPICS}")))'
_BG = f'IRI(CONCAT("{BASELINE_GRAPHS}", STRAFTER(STR(?b), "{KGR}")))'
_ROW = (
    f'IRI(CONCAT("{TOPS}", STRAFTER(STR(?hw), "{KGR}"), "/", ENCODE_FOR_URI(?u), "/", '
    f"ENCODE_FOR_URI(?fam)))"
)


def _a_gain(graph: str) -> str:
    """A SPARQL condition: the claim ?c, stated in `graph`, is no kg:gain false (a worse result,
    a compression ratio, ...): only gains are ranked."""
    return f"NOT EXISTS {{ GRAPH {graph} {{ ?c kg:gain false }} }}"


def family(metric: str) -> str:
    """A SPARQL expression of a claim's metric family from the variable `metric` (possibly unbound):
    what `techclaims.schema.iris.metric_family` gives, "" for no metric. Kept beside the largest
    values, so a speed-up and a memory reduction are never ranked against each other."""
    head = f'REPLACE({metric}, "^.*\\\\s", "")'
    speed = ", ".join(f'"{m}"' for m in SPEED_METRICS)
    return f'COALESCE(IF({head} IN ({speed}), "speed", {head}), "")'


#: Every property of the summary graphs (and only of them).
SUMMARY_PROPERTIES = (
    "summaryOf",
    "papersProposing",
    "claimsAbout",
    "bestSpeedup",
    "papersOnHardware",
    "month",
    "papersInMonth",
    "paperMonth",
    "paperHardware",
    "comparisonsWith",
    "papersComparing",
    "topOnHardware",
    "topUnit",
    "topFamily",
    "topValue",
    "digestCount",
    "firstTitle",
    "digestSources",
)

_READS = re.compile(
    rf"\bkg:(?:{'|'.join(SUMMARY_PROPERTIES)}|spellings)\b|<{re.escape(KG)}(?:{'|'.join(SUMMARY_PROPERTIES)}|spellings)>"
)


def reads_summaries(sparql: str) -> bool:
    """Whether a query reads a summary property (so needs this version's counts).

    >>> reads_summaries("SELECT * WHERE { ?m kg:papersProposing ?n }"), reads_summaries("ASK {}")
    (True, False)
    """
    return bool(_READS.search(sparql))


PREFIXES = (
    f"PREFIX kg: <{KG}>\nPREFIX dcterms: <{_DC}>\n"
    f"PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
)


def _marks(papers: str, claims: str, scratch: str) -> list[str]:
    """Operations marking, from the papers and claims matched by `papers` (?p) and `claims` (?c), what
    their counts are keyed by."""
    return [
        f"INSERT {{ GRAPH <{scratch}> {{ ?p <{_PAPER}> true }} }} WHERE {{ {papers} }}",
        f"""INSERT {{ GRAPH <{scratch}> {{ ?m <{_IN_TOPIC}> ?t }} }}
WHERE {{ SELECT DISTINCT ?m ?t WHERE {{
  {papers}
  GRAPH ?g1 {{ ?p dcterms:subject ?t }}
  {{ GRAPH ?g2 {{ ?p kg:proposes ?m }} }} UNION {{ GRAPH ?g3 {{ ?p kg:reports ?c . ?c kg:aboutMethod ?m }} }}
}} }}""",
        f"""INSERT {{ GRAPH <{scratch}> {{ ?m <{_AGAINST}> ?b }} }}
WHERE {{ SELECT DISTINCT ?m ?b WHERE {{
  {papers}
  {{ GRAPH ?g1 {{ ?p kg:proposes ?m }} GRAPH ?g2 {{ ?p kg:comparesWith ?b }} }}
  UNION {{ GRAPH ?g3 {{ ?p kg:reports ?c . ?c kg:aboutMethod ?m ; kg:baseline ?b }} }}
  FILTER(?m != ?b)
}} }}""",
        f"INSERT {{ GRAPH <{scratch}> {{ ?c <{_CLAIM}> true }} }} WHERE {{ {claims} }}",
        f"""INSERT {{ GRAPH <{scratch}> {{ ?hw <{_TOP}> ?key }} }}
WHERE {{ SELECT DISTINCT ?hw ?key WHERE {{ {claims} GRAPH ?g1 {{ ?c kg:onHardware ?hw }} GRAPH ?g2 {{ ?c kg:unit ?u }}
  OPTIONAL {{ GRAPH ?g3 {{ ?c kg:metric ?metric }} }} BIND(CONCAT(?u, "|", {family("?metric")}) AS ?key) }} }}""",
    ]


def mark(graph: str, scratch: str) -> list[str]:
    """Operations marking, in `scratch`, the papers and claims of `graph` and the keys of the counts
    they are in. Run before and after the change, so what the old and the new graph touch is marked."""
    return _marks(
        f"GRAPH <{graph}> {{ ?p <{_RDF_TYPE}> kg:Paper }}",
        f"GRAPH <{graph}> {{ ?c <{_RDF_TYPE}> kg:Claim }}",
        scratch,
    )


def refresh(scratch: str) -> list[str]:
    """Operations that bring the summaries up to date for what `mark` marked (run after the change)."""
    return _topics(scratch) + _baselines(scratch) + _tops(scratch) + _papers(scratch)


def _topics(scratch: str) -> list[str]:
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
  BIND({_TG} AS ?sg)
}}""",
        # A paper's hardware: named by the paper, or by one of its claims.
        f"""INSERT {{ GRAPH ?sg {{ ?p kg:paperHardware ?hw }} GRAPH <{scratch}> {{ ?sg <{_HARDWARE}> ?hw }} }}
WHERE {{
  {{ SELECT DISTINCT ?p ?t ?hw WHERE {{
      {touched} GRAPH ?g1 {{ ?p dcterms:subject ?t }}
      {{ GRAPH ?g2 {{ ?p kg:usesHardware ?hw }} }}
      UNION {{ GRAPH ?g3 {{ ?p kg:reports ?c }} GRAPH ?g4 {{ ?c kg:onHardware ?hw }} }}
  }} }}
  BIND({_TG} AS ?sg)
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
  GRAPH <{scratch}> {{ ?m <{_IN_TOPIC}> ?t }} BIND({_TG} AS ?sg)
  OPTIONAL {{ GRAPH ?sg {{ ?m kg:papersProposing ?a }} }}
  OPTIONAL {{ GRAPH ?sg {{ ?m kg:claimsAbout ?b }} }}
  OPTIONAL {{ GRAPH ?sg {{ ?m kg:bestSpeedup ?c }} }}
}}""",
        f"""INSERT {{ GRAPH ?sg {{ ?m kg:papersProposing ?papers ; kg:claimsAbout ?claims ; kg:bestSpeedup ?best }} }}
WHERE {{
  {{ SELECT ?m ?t (COUNT(DISTINCT ?p) AS ?papers) WHERE {{
      GRAPH <{scratch}> {{ ?m <{_IN_TOPIC}> ?t }}
      GRAPH ?g1 {{ ?p kg:proposes ?m }} GRAPH ?g2 {{ ?p dcterms:subject ?t }}
  }} GROUP BY ?m ?t }}
  OPTIONAL {{ SELECT ?m ?t (COUNT(DISTINCT ?c) AS ?claims) (MAX(?x) AS ?best) WHERE {{
      GRAPH <{scratch}> {{ ?m <{_IN_TOPIC}> ?t }}
      GRAPH ?g {{ ?c kg:aboutMethod ?m ; kg:unit ?unit ; kg:value ?v . ?p kg:reports ?c }}
      GRAPH ?g2 {{ ?p dcterms:subject ?t }}
      BIND(IF(?unit = "x" && {_a_gain("?g")}, ?v, ?none) AS ?x)
  }} GROUP BY ?m ?t }}
  BIND({_TG} AS ?sg)
}}""",
        # Which topic a summary graph counts, stated while it counts anything.
        f"""DELETE {{ GRAPH ?sg {{ ?sg kg:summaryOf ?t }} }}
WHERE {{ {{ SELECT DISTINCT ?sg WHERE {{ GRAPH <{scratch}> {{ ?sg <{_MONTH}> ?mo }} }} }}
  GRAPH ?sg {{ ?sg kg:summaryOf ?t }} FILTER NOT EXISTS {{ GRAPH ?sg {{ ?any kg:paperMonth ?month }} }} }}""",
        f"""INSERT {{ GRAPH ?sg {{ ?sg kg:summaryOf ?t }} }}
WHERE {{ {{ SELECT DISTINCT ?sg WHERE {{ GRAPH <{scratch}> {{ ?sg <{_MONTH}> ?mo }} }} }}
  FILTER EXISTS {{ GRAPH ?sg {{ ?any kg:paperMonth ?month }} }}
  BIND(IRI(CONCAT("{TOPICS}", STRAFTER(STR(?sg), "{TOPIC_GRAPHS}"))) AS ?t) }}""",
    ]


def _baselines(scratch: str) -> list[str]:
    marked = f"GRAPH <{scratch}> {{ ?m <{_AGAINST}> ?b }}"
    return [
        # The marked (baseline, method) pairs counted again, as methods-compared-against counted them.
        f"""DELETE {{ GRAPH ?bg {{ ?m kg:papersComparing ?n . ?m kg:bestSpeedup ?x }} }}
WHERE {{ {marked} BIND({_BG} AS ?bg)
  OPTIONAL {{ GRAPH ?bg {{ ?m kg:papersComparing ?n }} }} OPTIONAL {{ GRAPH ?bg {{ ?m kg:bestSpeedup ?x }} }} }}""",
        f"""INSERT {{ GRAPH ?bg {{ ?m kg:papersComparing ?papers ; kg:bestSpeedup ?best }} }}
WHERE {{
  {{ SELECT ?m ?b (COUNT(DISTINCT ?p) AS ?papers) (MAX(?x) AS ?best) WHERE {{
      {marked}
      {{ GRAPH ?g1 {{ ?p kg:proposes ?m }} GRAPH ?g2 {{ ?p kg:comparesWith ?b }} }}
      UNION {{
        GRAPH ?g {{ ?c kg:aboutMethod ?m ; kg:baseline ?b ; kg:unit ?unit ; kg:value ?v . ?p kg:reports ?c }}
        BIND(IF(?unit = "x" && {_a_gain("?g")}, ?v, ?none) AS ?x)
      }}
  }} GROUP BY ?m ?b }}
  BIND({_BG} AS ?bg)
}}""",
        # Which baseline a summary graph counts, stated while it counts anything.
        f"""DELETE {{ GRAPH ?bg {{ ?bg kg:comparisonsWith ?b }} }}
WHERE {{ {{ SELECT DISTINCT ?b WHERE {{ {marked} }} }} BIND({_BG} AS ?bg)
  GRAPH ?bg {{ ?bg kg:comparisonsWith ?b }} FILTER NOT EXISTS {{ GRAPH ?bg {{ ?any kg:papersComparing ?n }} }} }}""",
        f"""INSERT {{ GRAPH ?bg {{ ?bg kg:comparisonsWith ?b }} }}
WHERE {{ {{ SELECT DISTINCT ?b WHERE {{ {marked} }} }} BIND({_BG} AS ?bg)
  FILTER EXISTS {{ GRAPH ?bg {{ ?any kg:papersComparing ?n }} }} }}""",
    ]


def _tops(scratch: str) -> list[str]:
    marked = (
        f"GRAPH <{scratch}> {{ ?hw <{_TOP}> ?key }} "
        f'BIND(STRBEFORE(?key, "|") AS ?u) BIND(STRAFTER(?key, "|") AS ?fam) BIND({_ROW} AS ?row)'
    )
    metric = f"OPTIONAL {{ GRAPH ?g4 {{ ?c kg:metric ?metric }} }} BIND({family('?metric')} AS ?cf)"
    # only efficiency gains are ranked (kg:gain false: a worse result, a compression ratio, ...)
    claim = (
        "GRAPH ?g1 { ?c kg:onHardware ?hw } GRAPH ?g2 { ?c kg:unit ?u } GRAPH ?g3 { ?c kg:value ?v } "
        f"FILTER {_a_gain('?g3')} " + metric
    )
    return [
        # A largest value some claim still states stays a candidate: then only the marked claims
        # can beat it. Otherwise (its claim is gone) every claim on that hardware is looked at.
        f"""INSERT {{ GRAPH <{scratch}> {{ ?row <{_KEPT}> ?old }} }}
WHERE {{ SELECT DISTINCT ?row ?old WHERE {{
  {marked} GRAPH <{HARDWARE_GRAPH}> {{ ?row kg:topValue ?old }}
  GRAPH ?g1 {{ ?c kg:value ?old }} GRAPH ?g2 {{ ?c kg:onHardware ?on }} GRAPH ?g3 {{ ?c kg:unit ?in }}
  FILTER {_a_gain("?g1")}
  {metric}
  FILTER(?on = ?hw && ?in = ?u && ?cf = ?fam)  # (so that the claims are found from the value, a rare one)
}} }}""",
        f"DELETE {{ GRAPH <{HARDWARE_GRAPH}> {{ ?row ?p ?o }} }} WHERE {{ {marked} GRAPH <{HARDWARE_GRAPH}> {{ ?row ?p ?o }} }}",
        f"""INSERT {{ GRAPH <{HARDWARE_GRAPH}> {{ ?row kg:topOnHardware ?hw ; kg:topUnit ?u ; kg:topFamily ?fam ; kg:topValue ?value }} }}
WHERE {{
  {marked} GRAPH <{scratch}> {{ ?row <{_KEPT}> ?old }}
  OPTIONAL {{ SELECT ?hw ?u ?fam (MAX(?v) AS ?fresh) WHERE {{ GRAPH <{scratch}> {{ ?c <{_CLAIM}> true }} {claim} BIND(?cf AS ?fam) }} GROUP BY ?hw ?u ?fam }}
  BIND(IF(BOUND(?fresh) && ?fresh > ?old, ?fresh, ?old) AS ?value)
}}""",
        # The largest value on each other marked (hardware, unit, family), as top-speedups-per-hardware found it.
        f"""INSERT {{ GRAPH <{HARDWARE_GRAPH}> {{ ?row kg:topOnHardware ?hw ; kg:topUnit ?u ; kg:topFamily ?fam ; kg:topValue ?value }} }}
WHERE {{
  {{ SELECT ?hw ?u ?fam (MAX(?v) AS ?value) WHERE {{
      {{ SELECT ?hw ?u ?fam WHERE {{ {marked} FILTER NOT EXISTS {{ GRAPH <{scratch}> {{ ?row <{_KEPT}> ?old }} }} }} }}
      {claim}
      FILTER(?cf = ?fam)
  }} GROUP BY ?hw ?u ?fam }}
  BIND({_ROW} AS ?row)
}}""",
    ]


def _papers(scratch: str) -> list[str]:
    """The marked papers' rows of the papers graph, made again: a paper typed in more than one
    digest's graph, how many, its least title and its digests' sources (sorted, so every backend
    and every order of ingest writes the same text)."""
    touched = f"GRAPH <{scratch}> {{ ?p <{_PAPER}> true }}"
    return [
        f"DELETE {{ GRAPH <{PAPERS_GRAPH}> {{ ?p ?prop ?o }} }} "
        f"WHERE {{ {touched} GRAPH <{PAPERS_GRAPH}> {{ ?p ?prop ?o }} }}",
        f"""INSERT {{ GRAPH <{PAPERS_GRAPH}> {{ ?p kg:digestCount ?n ; kg:firstTitle ?title ; kg:digestSources ?sources }} }}
WHERE {{
  {{ SELECT ?p (COUNT(*) AS ?n) WHERE {{ {touched} GRAPH ?g {{ ?p <{_RDF_TYPE}> kg:Paper }} }}
     GROUP BY ?p HAVING (COUNT(*) > 1) }}
  {{ SELECT ?p (MIN(?t) AS ?title) (GROUP_CONCAT(DISTINCT ?source; separator=", ") AS ?sources) WHERE {{
      {{ SELECT ?p ?t ?source WHERE {{ {touched} GRAPH ?d {{ ?p dcterms:title ?t . ?d dcterms:source ?source }} }}
         ORDER BY ?source }}
  }} GROUP BY ?p }}
}}""",
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


#: Bumped when the way the store keeps its default graph changes (`kg.store.union_before`).
DEFAULT_GRAPH_VERSION = "set-union 1"


def version() -> str:
    """A tag of the SPARQL that makes the summaries (and of how the default graph is kept): a store
    made by another version is rebuilt."""
    text = "\n".join(
        refresh("urn:s")
        + mark("urn:g", "urn:s")
        + respell("urn:s", "urn:l", "urn:e")
        + [DEFAULT_GRAPH_VERSION]
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def rebuild(
    scratch: str,
    labels_graph: str,
    entity_mark: str,
    system_graphs: str,
    default_graph: list[str] | None = None,
) -> str:
    """One update that counts everything again from every digest: empties every summary graph and
    drops `kg:spellings`, marks every paper, claim and entity, refreshes, runs `default_graph` (the
    operations that make the default graph again) and records the version."""
    digest = f'FILTER(!STRSTARTS(STR(?g), "{system_graphs}"))'
    drop_all = [
        f"DELETE {{ GRAPH ?sg {{ ?s kg:{p} ?o }} }} WHERE {{ GRAPH ?sg {{ ?s kg:{p} ?o }} }}"
        for p in SUMMARY_PROPERTIES
    ]
    every_entity = (
        f"INSERT {{ GRAPH <{scratch}> {{ ?e <{entity_mark}> true }} }} "
        f"WHERE {{ SELECT DISTINCT ?e WHERE {{ GRAPH ?g {{ ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l }} "
        f"{digest} }} }}"
    )
    marks = _marks(
        f"{{ SELECT DISTINCT ?p WHERE {{ GRAPH ?g {{ ?p <{_RDF_TYPE}> kg:Paper }} {digest} }} }}",
        f"{{ SELECT DISTINCT ?c WHERE {{ GRAPH ?g {{ ?c <{_RDF_TYPE}> kg:Claim }} {digest} }} }}",
        scratch,
    )
    state = (
        f"DROP SILENT GRAPH <{SUMMARY_STATE}> ;\n"
        f'INSERT DATA {{ GRAPH <{SUMMARY_STATE}> {{ <{SUMMARY_STATE}> kg:version "{version()}" }} }}'
    )
    ops = [
        f"DROP SILENT GRAPH <{scratch}>",
        *drop_all,
        f"DELETE {{ GRAPH <{labels_graph}> {{ ?e kg:spellings ?n }} }} WHERE {{ GRAPH <{labels_graph}> {{ ?e kg:spellings ?n }} }}",
        *marks,
        every_entity,
        *refresh(scratch),
        *respell(scratch, labels_graph, entity_mark),
        f"DROP SILENT GRAPH <{scratch}>",
        *(default_graph or []),
        state,
    ]
    return PREFIXES + " ;\n".join(ops)


def current_query() -> str:
    """ASK whether the summaries were made by this version (so need no rebuild)."""
    return f'ASK {{ GRAPH <{SUMMARY_STATE}> {{ <{SUMMARY_STATE}> <{KG}version> "{version()}" }} }}'
