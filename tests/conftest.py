"""Shared fixtures and helpers: the example digests, the shared corpus beside the repository,
the rules NLP pipeline built once per session, and `kg`, the command as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from spacy.language import Language

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "digests"
#: The shared corpus lives beside the repository (``../shared``), not in it.
SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
GOLD = SHARED / "gold"


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    """The example digests written for this project (committed, always present)."""
    return EXAMPLES


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The shared corpus; tests that need it are skipped where it is not checked out."""
    if not CORPUS.is_dir():
        pytest.skip(
            f"shared corpus not found at {CORPUS} (expected ../shared/corpus beside the repo)"
        )
    return CORPUS


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    """The shared gold annotations; skipped where absent."""
    if not GOLD.is_dir():
        pytest.skip(f"shared gold annotations not found at {GOLD}")
    return GOLD


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The rules pipeline (`make_nlp()`), built once: building it takes seconds, and no test
    changes it."""
    from techclaims.ingest.nlp import make_nlp

    return make_nlp()


def kg(
    *args: str | Path,
    check: bool = True,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m techclaims.kg.cli ARGS`` from the repository root, as a user runs `kg`.

    `check` fails the test, with the command's stderr, when it exits non-zero; `env` is added to
    the environment. Import it with ``from conftest import kg``.
    """
    done = subprocess.run(
        [sys.executable, "-m", "techclaims.kg.cli", *map(str, args)],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=REPO,
        timeout=timeout,
        env={**os.environ, **env} if env else None,
    )
    if check and done.returncode != 0:
        raise AssertionError(
            f"kg {' '.join(map(str, args))} exited {done.returncode}: {done.stderr}"
        )
    return done
