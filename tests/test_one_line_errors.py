"""The errors and outputs of issue 16, as a user meets them on the command line: one line each,
the exit status the README gives, and every output ending its last line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import kg
from example_store import example_store
from records_factory import digest, paper


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return example_store(tmp_path_factory)


def test_export_into_a_missing_folder_is_one_line(store):
    done = kg("export", "-o", "/missing/dir/x.ttl", "--store", store, check=False)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "kg: error: /missing/dir/x.ttl: no such directory '/missing/dir'; create it first"
    ]


def test_export_takes_the_format_from_the_suffix(store, tmp_path):
    done = kg("export", "-o", tmp_path / "graph.ttl", "--store", store)
    assert "statements" in done.stdout and (tmp_path / "graph.ttl").read_text().startswith(
        "@prefix"
    )
    unknown = kg("export", "-o", tmp_path / "graph.xyz", "--store", store, check=False)
    assert unknown.returncode == 2 and len(unknown.stderr.splitlines()) == 1


def test_a_sparql_syntax_error_is_one_line_with_where_and_what(store):
    sparql = "SELECT ?t WHERE {\n  ?p a kg:Paper ;\n     dcterms:title ?t FILTER(?t = ) }"
    done = kg("query", sparql, "--store", store, check=False)
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert line.startswith("kg: error: SPARQL syntax error at 3:") and "near" in line
    assert "expected one of" in line and "[" not in line  # the grammar's classes left out
    prefix = kg("query", "SELECT * WHERE { ?s foo:bar ?o }", "--store", store, check=False)
    assert prefix.stderr.splitlines() == [
        "kg: error: SPARQL syntax error at 1:28: unknown prefix foo: (declare it with PREFIX, "
        "or use kg, kgr, dcterms, skos, prov, xsd, rdf, rdfs)"
    ]


@pytest.mark.parametrize(
    ("sparql", "fmt"),
    [
        ("ASK { ?p a kg:Paper }", "json"),
        ("ASK { ?p a kg:Paper }", "xml"),
        ("ASK { ?p a kg:Paper }", "csv"),
        ("SELECT ?p WHERE { ?p a kg:Paper } LIMIT 2", "xml"),
        ("CONSTRUCT { ?p a kg:Paper } WHERE { ?p a kg:Paper } LIMIT 2", "jsonld"),
    ],
)
def test_every_output_ends_with_a_newline(store, sparql, fmt):
    done = kg("query", sparql, "--format", fmt, "--store", store)
    assert done.stdout.endswith("\n") and not done.stdout.endswith("\n\n")


def test_the_ingest_summary_counts_distinct_papers_and_claims(tmp_path):
    from techclaims.kg.ingest_job import IngestReport

    one, two = paper("2511.00001", "One", "One"), paper("2511.00002", "Two", "Two")
    report = IngestReport(store="s", digests=[digest("a.md", (one, two)), digest("b.md", (one,))])
    assert report.summary().splitlines()[0] == "ingested 2 digest(s): 2 papers, 4 claims -> s"
