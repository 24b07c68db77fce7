"""The manual stays honest: the README is short and its examples run, the generated pages match
what they are generated from, every example query of the vocabulary answers, links resolve,
the licence matches pyproject, and the import seams the architecture page states hold."""

from __future__ import annotations

import importlib.util
import re
import tomllib
from pathlib import Path

import pytest
from conftest import kg
from example_store import example_store
from test_package import imports_of

from techclaims.kg.store import LABELS_GRAPH, SYSTEM_GRAPHS, open_store

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
README = ROOT / "README.md"


def _generate():
    spec = importlib.util.spec_from_file_location("docs_generate", DOCS / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def examples(tmp_path_factory) -> Path:
    return example_store(tmp_path_factory)


def test_the_readme_is_a_short_start():
    text = README.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) <= 8 * 1024
    for must in ("make demo", "make test", "kg ingest", "kg query", "kg viz", "docs/"):
        assert must in text, must


@pytest.mark.parametrize("name", ["vocabulary.md", "cli.md"])
def test_generated_pages_are_current(name):
    page = (DOCS / name).read_text(encoding="utf-8")
    assert page == _generate().PAGES[name](), (
        f"docs/{name} is out of date: run .venv/bin/python docs/generate.py"
    )


def test_every_command_has_help_and_a_reference_entry():
    from techclaims.kg.cli import all_commands

    reference = (DOCS / "cli.md").read_text(encoding="utf-8")
    for name, command in all_commands():
        assert command.help and len(command.help) > 20, name
        assert f"## kg {name}\n" in reference, name


def test_every_term_of_the_ontology_has_a_section_and_a_query():
    page = (DOCS / "vocabulary.md").read_text(encoding="utf-8")
    terms = _generate().ontology_terms()
    assert len(terms) > 40
    for term in terms:
        section = page.split(f"### {term['name']}\n", 1)
        assert len(section) == 2, term["name"]
        assert term["name"] in section[1].split("```", 2)[1], term["name"]  # its query names it


def _queries(page: str) -> list[str]:
    return re.findall(r"```sparql\n(.*?)```", page, re.S)


def test_every_vocabulary_query_answers_on_the_example_store(examples):
    page = (DOCS / "vocabulary.md").read_text(encoding="utf-8")
    queries = _queries(page)
    assert len(queries) > 50
    empty = []
    with open_store(examples, read_only=True) as store:
        for sparql in queries:
            if not list(store.query(sparql)):
                empty.append(sparql.strip()[:100])
    assert empty == []


def test_the_vocabulary_names_every_property_the_examples_use(examples):
    page = (DOCS / "vocabulary.md").read_text(encoding="utf-8")
    from techclaims.kg.results import short

    with open_store(examples, read_only=True) as store:
        rows = store.query(
            f"SELECT DISTINCT ?p WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
            f'FILTER(?g = <{LABELS_GRAPH}> || !STRSTARTS(STR(?g), "{SYSTEM_GRAPHS}")) }}'
        )
        used = {short(row["p"]) for row in rows}
    missing = sorted(p for p in used if f"`{p}`" not in page and f"### {p}\n" not in page)
    assert missing == []


def test_the_readme_commands_answer_on_the_store_they_name(examples):
    text = README.read_text(encoding="utf-8")
    commands = re.findall(r"^kg query --store out/store (.*?)$", text, re.M)
    assert len(commands) >= 2
    for line in commands:
        args = [a.strip("'") for a in re.findall(r"'[^']*'|\S+", line)]
        done = kg("query", "--store", examples, *args, "--format", "csv")
        rows = done.stdout.strip().splitlines()[1:]
        assert rows and len(rows) == len(set(rows)), line  # rows, and no row twice


def test_the_readme_ingest_line_is_what_kg_stats_counts(examples):
    line = re.search(r"ingested 5 digest\(s\): (\d+) papers, (\d+) claims", README.read_text())
    assert line
    with open_store(examples, read_only=True) as store:
        row = next(iter(store.query("SELECT (COUNT(?p) AS ?n) WHERE { ?p a kg:Paper }")))
        claims = next(iter(store.query("SELECT (COUNT(?c) AS ?n) WHERE { ?c a kg:Claim }")))
    assert (int(line.group(1)), int(line.group(2))) == (
        int(row["n"].value),
        int(claims["n"].value),
    )


def test_links_between_pages_resolve():
    pages = [README, ROOT / "CHANGELOG.md", *DOCS.glob("*.md")]
    broken = []
    for page in pages:
        for target in re.findall(r"\]\(([^)#:]+\.md|[A-Z]+)(?:#[^)]*)?\)", page.read_text()):
            if not (page.parent / target).exists():
                broken.append(f"{page.name} -> {target}")
    assert broken == []


def test_the_licence_file_is_the_one_pyproject_declares():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"]
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert declared == "MIT" and licence.startswith("MIT License")
    assert "Permission is hereby granted, free of charge" in licence


def test_only_the_nlp_side_imports_spacy():
    """What docs/architecture.md states: spaCy only in ingest/nlp, ingest/claims, records, extract;
    schema imports neither spaCy nor rdflib."""
    allowed = ("ingest/nlp/", "ingest/claims/", "ingest/papers.py", "ingest/extract.py")
    for folder in ("ingest", "schema", "techclaims"):
        for path, names in imports_of(ROOT / folder).items():
            if names & {"spacy", "thinc"}:
                assert path.startswith(allowed), path
    for path, names in imports_of(ROOT / "schema").items():
        assert not names & {"spacy", "rdflib"}, path


def test_the_architecture_tree_is_the_real_tree():
    """docs/architecture.md's folder tree names every package folder, and each folder and file
    it names exists (a module renamed or a folder added shows here, not in a reader's confusion)."""
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    tree = text.split("The folders", 1)[1].split("```")[1]
    for root in ("techclaims", "schema", "ingest", "kg"):
        for init in sorted((ROOT / root).rglob("__init__.py")):
            folder = init.parent.relative_to(ROOT)
            assert f"{folder.name}/" in tree, f"{folder} is missing from the tree"
    named = set(re.findall(r"[\w./-]+\.(?:py|ttl|toml|md|cfg)\b", tree))
    assert len(named) > 30
    for name in named:
        assert name.startswith(".") or list(ROOT.glob(f"**/{name}")), name
    for folder in re.findall(r"^\s*([\w.]+(?:/[\w.]+)*)/", tree, re.M):
        assert (ROOT / folder).is_dir() or list(ROOT.glob(f"*/**/{folder}")), folder
