"""Shared fixtures: the example digests of the repository and the shared corpus beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

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
