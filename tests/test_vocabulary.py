"""The word lists of ``ingest/nlp/patterns/vocabulary``: every file valid and used, and the
loader's errors one line naming file:line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from techclaims.ingest.nlp import vocabulary
from techclaims.ingest.nlp.gazetteer import GazetteerError, read_jsonl

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


def test_tags_pick_the_entries_of_one_use() -> None:
    words = vocabulary.parse(
        "# type: patterns\n# tags: far near\n相比  @far\n比  @near @far\nover  @far\n", "x"
    )
    assert words.entries == ("相比", "比", "over")
    assert words.part(tags="near") == ("比",)
    assert words.part("han", tags=("far",)) == ("相比", "比")
    assert words.alternation(tags="far") == "相比|比|over"
    with pytest.raises(GazetteerError, match=r"x.txt: no tag \['close'\]"):
        words.part(tags="close")


def test_an_undeclared_tag_is_one_line_naming_file_and_line() -> None:
    with pytest.raises(GazetteerError) as err:
        vocabulary.parse("# type: words\n# tags: far\nover  @near\n", "x", "x.txt")
    assert str(err.value) == "x.txt:3: tag 'near' is not declared in a '# tags:' line"


def test_a_phrase_is_han_as_written_and_latin_whole_words_in_any_case() -> None:
    between = re.compile(vocabulary.phrase("comparison-cues", "between"))
    assert between.search("X VS. Y") and between.search("X versus Y")
    assert between.search("（vs基线）")  # a Chinese character next to it is no word
    assert not between.search("canvas")
    far = re.compile(vocabulary.phrase("comparison-cues", "far"))
    assert far.search("相比vLLM") and far.search("Over SGLang")
    assert not far.search("moreover") and not far.search("thank")


def test_a_cue_row_names_a_list_and_gets_its_phrase() -> None:
    rows = [
        {"kind": "baseline-before", "pattern": "{list:comparison-cues:far,near}"},
        {"kind": "baseline-before", "pattern": "beats"},
        {"kind": "list-intro", "pattern": "such as"},
    ]
    cues = vocabulary.cue_alternations(rows)
    assert set(cues) == {"baseline-before", "list-intro"}
    before = re.compile(cues["baseline-before"])
    assert before.fullmatch("相比") and before.fullmatch("比") and before.fullmatch("beats")
    assert not before.search("比例")
    assert vocabulary.cue_alternation(cues, "use-before") == "(?!)"
    assert "{list:" not in vocabulary.expand("{list:dataset-words}|样本")


def test_the_comparison_cues_are_one_list_for_ner_and_claims() -> None:
    """cues.jsonl's baseline-before, the format rule and the claims read one file."""
    from techclaims.ingest.claims import vocabulary as claims_vocabulary

    cues = [r["pattern"] for r in read_jsonl("cues.jsonl") if r["kind"] == "baseline-before"]
    assert cues == ["{list:comparison-cues:far,near}"]
    far = vocabulary.phrase("comparison-cues", "far")
    assert claims_vocabulary.COMPARE_STRONG == far
    assert set(vocabulary.load("comparison-cues").part(tags="format")) <= set(
        vocabulary.load("comparison-cues").part(tags=("far", "near"))
    )
    for gone in (
        "format-comparison-cues",
        "compare-around-before",
        "versus-words",
        "acronym-connectors",
        "size-list-conjunctions",
        "vendors-before-parts",
    ):
        assert gone not in vocabulary.names()


def test_an_alternation_reference_keeps_the_frames_boundaries() -> None:
    """{alternation:NAME:TAGS} is the bare list: a section word matches inside a longer word."""
    skip = re.compile(vocabulary.expand("(?i:{alternation:section-words:skip})"))
    assert skip.search("## Preliminaries") and skip.search("实验结果")
    passing = re.compile(vocabulary.expand("(?i:{alternation:section-words:passing})"))
    assert passing.search("Related  Work") and not passing.search("Results")
    from techclaims.ingest.claims.filters import SKIP_HEADING

    assert SKIP_HEADING.search("## 解决的问题") and not SKIP_HEADING.search("## 实验结果")
