"""The cheaper scans of session 9 find what the plain scans find: the guarded cue regexes
(`regex_guard`), the acronym definitions searched only before a bracketed acronym, the
Chinese measure acronyms and the list before a cue searched from word starts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from spacy.language import Language

from techclaims.ingest.digest.readers import read_digest
from techclaims.ingest.nlp import coined as coined_module
from techclaims.ingest.nlp.acronyms import (
    _MEASURE_ZH,
    _MEASURE_ZH_ACRONYM,
    ACRONYM_DEF,
    acronym_definitions,
    measure_names,
)
from techclaims.ingest.nlp.regex_guard import first_characters, guarded

# Texts written for these tests: acronyms with and without long forms, blanks and
# brackets of both widths, lists before model cues, comparison and proposing cues.
TEXTS = [
    "我们提出了 **Least-Loaded Expert Parallelism (LLEP)**，一种新框架，比 vLLM、SGLang 和 TensorRT-LLM 快 2 倍。",
    "Potential Overlap Ratio (POR) and Tokens Per Second (TPS) Score; Foo of the Bar\t( FB )",
    "x(Long Form (LF)) -Not Counted (NC) inner-Word Start (WS) A B (AB) Ab Cd (ABC) (DEF)",
    "压缩率 \t（CR），首 token 延迟 (TTFT)，吞吐 (TP)，吞吐量(TPX)，率\n(NL)，比例（R2）",
    "基于 FlashAttention 与 **PagedAttention**，相比 DeepSpeed-Inference / FasterTransformer，"
    "在 Llama-3-8B、Qwen2.5-7B 和 Mistral-7B 等模型上评测。Inspired by LoRA and QLoRA,",
    "We propose FooNet, a system built on top of Triton; compared with cuBLAS and CUTLASS "
    "it beats them. This work introduces BarKV, an engine. 受 vAttention 启发。",
    "Models such as `GPT-4o`, Claude 3.5 Sonnet or Gemini 1.5 Pro models, e.g., DeepSeek-V3 series",
    "",
    "(ABC)",
    "Just Words Without Brackets And More Words",
]


def corpus_texts(corpus_dir: Path) -> list[str]:
    return [e.text for path in sorted(corpus_dir.iterdir()) for e in read_digest(path)[1]]


def spans(matches: object) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in matches]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("pattern", "starts"),
    [
        (
            r"(?:基于|使用|(?i:built\s+on|using))\s*X",
            "[\\U000057fa\\U00004f7f]|(?i:[\\U00000062\\U00000075])",
        ),
        (r"(?<=[A-Z])\s*模型", None),  # \s* may be empty: 模 or a blank starts it
        (r"a?", None),  # the empty match: no list
        (r".x", None),
        (r"(?i)ab|cd", "[\\U00000061\\U00000063]"),  # global flags: the class is read under them
        (r"(?i)ab|(?-i:cd)", "[\\U00000061]|(?-i:[\\U00000063])"),
        (r"[^a-z]b", "[^\\U00000061-\\U0000007a]"),
    ],
)
def test_first_characters_lists_what_a_match_can_start_with(
    pattern: str, starts: str | None
) -> None:
    compiled = re.compile(pattern)
    if pattern.startswith("(?<=[A-Z])"):
        first = first_characters(compiled)
        assert first is not None and re.fullmatch(f"(?:{first})", "模")
        assert re.fullmatch(f"(?:{first})", " ") and not re.fullmatch(f"(?:{first})", "x")
        return
    assert first_characters(compiled) == starts


def test_a_pattern_without_first_characters_is_not_guarded() -> None:
    for pattern in (r"a?", r".x", r"(a)?\1b"):
        compiled = re.compile(pattern)
        assert guarded(compiled) is compiled


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?:基于|使用|(?i:built\s+(?:on|upon)|using))\s*(?P<name>[A-Za-z]+)",
        r"(?<=[A-Za-z0-9)）*`])(?:\s*(?:等)?\s*模型|\s+(?i:models?|series)\b)",
        r"(?i:we|this\s+work)\s+(?:propose|introduce)s?\s+(?P<name>\w+)",
        r"(?<![A-Za-z])(?:vs\.?|versus)\s+(?P<name>\S+)",
        r"[^\s\w]+(?P<rest>\w+)",
    ],
)
def test_guarded_patterns_match_the_same(pattern: str) -> None:
    plain = re.compile(pattern)
    quick = guarded(plain)
    assert quick is not plain
    for text in TEXTS:
        assert spans(quick.finditer(text)) == spans(plain.finditer(text))


def test_acronym_definitions_are_those_finditer_finds() -> None:
    found = 0
    for text in TEXTS:
        expected = spans(ACRONYM_DEF.finditer(text))
        assert spans(acronym_definitions(text)) == expected
        assert spans(acronym_definitions(text)) == expected  # kept for the last text
        found += len(expected)
    assert found >= 7
    # kept only for the same text: a new text is searched again
    assert [m.group("acr") for m in acronym_definitions("Foo Bar (FB)")] == ["FB"]
    assert acronym_definitions("Foo Bar FB") == ()


def test_chinese_measure_acronyms_are_those_of_the_whole_pattern() -> None:
    for text in TEXTS:
        plain = {m.group("acr") for m in _MEASURE_ZH.finditer(text)}
        assert {m.group("acr") for m in _MEASURE_ZH_ACRONYM.finditer(text)} == plain
    text = TEXTS[3]
    assert {m.group("acr") for m in _MEASURE_ZH_ACRONYM.finditer(text)} == {
        "CR",
        "TTFT",
        "TP",
        "TPX",
        "R2",
    }  # not NL: a line break, not a blank, before its bracket
    assert "cr" in measure_names(text, re.compile("Ratio"))


def _plain_coined(nlp: Language, monkeypatch: pytest.MonkeyPatch) -> coined_module.CoinedNames:
    """The coined-name component with its cue patterns compiled unguarded."""
    shipped = nlp.get_pipe("techclaims_coined_names")
    shipped._ensure()
    with monkeypatch.context() as patch:
        patch.setattr(coined_module, "guarded", lambda pattern: pattern)
        plain = coined_module.CoinedNames(nlp)
        plain.data = shipped.data
        plain._compile()
    return plain


CUES = ("_compare", "_compare_around", "_intro", "_use", "_inspired", "_models_after", "_defined")


def _plain_list_before(
    plain: coined_module.CoinedNames, text: str, end: int, items_only: bool
) -> list[tuple[str, int]]:
    """`CoinedNames._list_before` as it was: one search of the whole window."""
    regex = coined_module._ITEM_END if items_only else plain._list_end
    match = regex.search(text, max(0, end - 160), end)
    if not match:
        return []
    items = list(coined_module._list_items(match, "list"))
    return items[-1:] if items_only else items


def _same_scans(
    shipped: coined_module.CoinedNames,
    plain: coined_module.CoinedNames,
    texts: list[str],
    every: int = 1,
) -> int:
    """Asserts the same cue matches, and the same list before each cue (and before every
    `every`-th character); returns how many matches and lists there were."""
    found = 0
    for name in CUES:
        quick, slow = getattr(shipped, name), getattr(plain, name)
        assert quick.pattern != slow.pattern  # guarded
        for text in texts:
            expected = spans(slow.finditer(text))
            assert spans(quick.finditer(text)) == expected, (name, text[:80])
            found += len(expected)
    for text in texts:
        ends = set(range(0, len(text) + 1, every))
        for cue in (plain._models_after, plain._inspired_after, plain._versus):
            ends |= {m.start() for m in cue.finditer(text)}
        for end in sorted(ends):
            for items_only in (False, True):
                expected_items = _plain_list_before(plain, text, end, items_only)
                assert shipped._list_before(text, end, items_only) == expected_items
                found += bool(expected_items)
    return found


def test_coined_cues_and_lists_match_the_same(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = nlp.get_pipe("techclaims_coined_names")
    assert _same_scans(shipped, _plain_coined(nlp, monkeypatch), TEXTS) > 100


def test_on_the_corpus_the_cheaper_scans_find_the_same(
    nlp: Language, monkeypatch: pytest.MonkeyPatch, corpus_dir: Path
) -> None:
    texts = corpus_texts(corpus_dir)
    for text in texts:
        assert spans(acronym_definitions(text)) == spans(ACRONYM_DEF.finditer(text))
        assert {m.group("acr") for m in _MEASURE_ZH_ACRONYM.finditer(text)} == {
            m.group("acr") for m in _MEASURE_ZH.finditer(text)
        }
    shipped = nlp.get_pipe("techclaims_coined_names")
    assert _same_scans(shipped, _plain_coined(nlp, monkeypatch), texts, every=97) > 1000
