"""The word lists of ``ingest/nlp/patterns/vocabulary``: every file valid and used, and the
loader's errors one line naming file:line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from techclaims.ingest.nlp import vocabulary
from techclaims.ingest.nlp.gazetteer import GazetteerError

ROOT = Path(__file__).resolve().parents[1]


def test_every_list_loads_in_file_order() -> None:
    names = vocabulary.names()
    assert len(names) >= 15
    for name in names:
        words = vocabulary.load(name)
        assert words.entries, name
        assert words.part("han") + words.part("latin") == tuple(
            sorted(words.entries, key=lambda e: not re.search(r"[\u3400-\u9fff]", e))
        )
        re.compile(words.alternation())


def test_every_list_is_used_by_the_code() -> None:
    """No list lies unread: each name appears in the ingest code."""
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "ingest").rglob("*.py"))
    unused = [n for n in vocabulary.names() if f'"{n}"' not in code and f"'{n}'" not in code]
    assert not unused


def test_words_are_literal_and_patterns_are_regexes() -> None:
    words = vocabulary.parse("# type: words\nC++\nlet's\n", "x")
    assert re.fullmatch(words.alternation(), "C++")
    assert not re.fullmatch(words.alternation(), "CC")
    patterns = vocabulary.parse("# type: patterns\nGPUs?\n卡\n", "y")
    assert re.fullmatch(patterns.alternation(), "GPUs")
    assert patterns.alternation("han") == "卡"
    assert vocabulary.parse("# type: words\n", "z").alternation() == "(?!)"


@pytest.mark.parametrize(
    "text, problem",
    [
        ("dataset\n", "x.txt:1: '# type: words|patterns' must come first"),
        ("# a list\n", "x.txt: no '# type: words|patterns' line"),
        ("# type: regex\nfoo\n", "x.txt:1: type must be words or patterns"),
        ("# type: words\nfoo\n\nfoo\n", "x.txt:4: 'foo' is listed twice"),
        ("# type: patterns\nGPU(s\n", "x.txt:2: bad regex"),
    ],
)
def test_a_bad_file_is_one_line_naming_file_and_line(text: str, problem: str) -> None:
    with pytest.raises(GazetteerError) as err:
        vocabulary.parse(text, "x", "x.txt")
    assert str(err.value).startswith(problem)
    assert "\n" not in str(err.value)


def test_an_unknown_list() -> None:
    with pytest.raises(GazetteerError, match="patterns/vocabulary/nope.txt: no such word list"):
        vocabulary.load("nope")
