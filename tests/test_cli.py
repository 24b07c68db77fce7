"""The `kg` command as a user runs it: real processes, a real store on disk."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import kg

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "digests"


def nquads(store: Path, tmp: Path) -> str:
    out = tmp / f"dump-{time.monotonic_ns()}.nq"
    kg("export", "--format", "nq", "-o", str(out), "--store", str(store))
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def example_store(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("examples") / "store"
    kg("ingest", str(EXAMPLES), "--store", str(store))
    return store


def test_ingest_then_query(example_store):
    done = kg(
        "query",
        "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a kg:Paper }",
        "--format",
        "csv",
        "--store",
        str(example_store),
    )
    assert int(done.stdout.splitlines()[1]) >= 10


def test_second_ingest_changes_nothing(example_store, tmp_path):
    before = nquads(example_store, tmp_path)
    kg("ingest", str(EXAMPLES), "--store", str(example_store))
    assert nquads(example_store, tmp_path) == before


def test_same_files_give_the_same_graph_in_a_new_store(example_store, tmp_path):
    other = tmp_path / "other"
    kg("ingest", str(EXAMPLES), "--store", str(other))
    assert nquads(other, tmp_path) == nquads(example_store, tmp_path)


def test_stats_and_validate(example_store):
    assert "papers" in kg("stats", "--store", str(example_store)).stdout
    assert "conforms" in kg("validate", "--store", str(example_store)).stdout


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "table"])
def test_query_formats(example_store, fmt):
    done = kg(
        "query",
        "SELECT ?t WHERE { ?p a kg:Paper ; dcterms:title ?t } ORDER BY ?t LIMIT 3",
        "--format",
        fmt,
        "--store",
        str(example_store),
    )
    assert done.stdout.strip()


def test_query_from_stdin_and_ask(example_store):
    done = kg(
        "query", "--store", str(example_store), "--format", "json", stdin="ASK { ?p a kg:Paper }"
    )
    assert '"boolean":true' in done.stdout.replace(" ", "")


def test_bad_sparql_is_one_line_with_position(example_store):
    done = kg("query", "SELECT * WHERE {\n ?s ?p }", "--store", str(example_store), check=False)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "2:" in done.stderr and "Traceback" not in done.stderr


def _bad_files(tmp: Path) -> dict[str, Path]:
    files = {
        "empty": tmp / "empty.md",
        "binary": tmp / "binary.md",
        "not a digest": tmp / "notes.md",
        "undecodable": tmp / "latin1.md",
        "pathological": tmp / "long.md",
    }
    files["empty"].write_text("")
    files["binary"].write_bytes(bytes(range(256)) * 64)
    files["not a digest"].write_text("just some words\nwith no headings or papers at all\n")
    files["undecodable"].write_bytes("# Résumé\n\n## Paper\n".encode() + b"\xff\xfe caf\xe9\n")
    files["pathological"].write_text("# T\n\n## A\n" + "x" * 2_100_000 + "\n")
    return files


def test_bad_files_are_reported_and_skipped(tmp_path):
    store = tmp_path / "store"
    good = EXAMPLES / sorted(p.name for p in EXAMPLES.glob("*.md") if p.name != "README.md")[0]
    bad = _bad_files(tmp_path)
    missing = tmp_path / "missing.md"
    done = kg(
        "ingest",
        str(good),
        *map(str, bad.values()),
        str(missing),
        "--store",
        str(store),
        check=False,
    )
    assert done.returncode == 4
    assert "Traceback" not in done.stderr
    error_lines = [line for line in done.stderr.splitlines() if "error" in line]
    assert len(error_lines) == len(bad) + 1
    for path in [*bad.values(), missing]:
        assert any(path.name in line for line in error_lines), path
    assert "ingested 1 digest" in done.stdout


def test_failed_run_keeps_what_was_stored(example_store, tmp_path):
    before = nquads(example_store, tmp_path)
    bad = _bad_files(tmp_path)
    kg("ingest", *map(str, bad.values()), "--store", str(example_store), check=False)
    assert nquads(example_store, tmp_path) == before


def test_killed_ingest_leaves_a_store_that_opens_with_whole_graphs(tmp_path):
    """SIGKILL at several moments of a re-ingest: every graph is either the old one or the whole new one."""
    store = tmp_path / "store"
    kg("ingest", str(EXAMPLES), "--store", str(store))
    before = nquads(store, tmp_path)
    for delay in (0.5, 2.0, 4.0):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "techclaims.kg.cli",
                "ingest",
                str(EXAMPLES),
                "--store",
                str(store),
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert nquads(store, tmp_path) == before  # same files: old and new graphs are identical


def test_repair_prints_the_repaired_text():
    mojibake = next(EXAMPLES.glob("*mojibake*"))
    done = kg("repair", str(mojibake))
    assert "è" not in done.stdout[:2000] and any("\u4e00" <= ch <= "\u9fff" for ch in done.stdout)


def test_missing_store_for_reading_is_a_clear_error(tmp_path):
    done = kg("stats", "--store", str(tmp_path / "none"), check=False)
    assert (
        done.returncode == 1 and "no store here" in done.stderr and "Traceback" not in done.stderr
    )


def test_every_command_has_help_and_a_reference_entry():
    from techclaims.kg.cli import all_commands

    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")  # docs/generate.py
    for name, command in all_commands():
        assert command.help and len(command.help) > 20, name
        assert f"## kg {name}" in reference, name
        assert kg(name, "--help").stdout.startswith("Usage:")


def test_store_defaults_to_kg_store_env(tmp_path):
    env = {"KG_STORE": str(tmp_path / "envstore")}
    kg("ingest", EXAMPLES, env=env)
    assert (tmp_path / "envstore").is_dir()
    stats = kg("stats", env=env)
    assert str(tmp_path / "envstore") in stats.stdout
