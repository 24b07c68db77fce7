"""The shape of a word (`techclaims.ingest.nlp.word_shape`): examples, and properties that
hold for any word, checked by hypothesis."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from techclaims.ingest.nlp import word_shape as ws

# the characters names are written with, and a few that they are not
NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.+#'"
words = st.text(alphabet=NAME_CHARS, min_size=1, max_size=14)
lower_words = st.from_regex(r"[a-z]{1,12}", fullmatch=True)
capitalised = st.from_regex(r"[A-Z][a-z]{1,10}", fullmatch=True)
acronyms = st.from_regex(r"[A-Z]{2,8}", fullmatch=True)

PREDICATES = [
    ws.is_lower_word,
    ws.is_acronym,
    ws.is_distinctive,
    ws.is_title_word,
    ws.is_plain_capitalised,
    ws.has_inner_capital_or_digit,
    ws.has_mixed_case_or_digit,
    ws.has_lower_tail,
    ws.is_numberish,
    ws.is_capitalised_gerund,
    ws.starts_capital_or_digit,
    ws.is_capitalised_part,
    ws.has_size,
    ws.has_lower,
]


@pytest.mark.parametrize(
    "word", ["SparTA", "vLLM", "KVzip", "R2N1", "TT-1D", "Flash-LLM", "R-KV", "pass-KV", "QServe"]
)
def test_distinctive_words(word: str) -> None:
    assert ws.is_distinctive(word)
    assert ws.is_title_word(word)


@pytest.mark.parametrize(
    "word",
    ["Multi-GPU", "GPU-free", "SM-level", "RL-trained", "L2", "x16", "H100", "8B", "80GB", "GPUs"]
    + ["Experts", "TASD", "Sputnik", "attention", "3rd", "", "--"],
)
def test_not_distinctive(word: str) -> None:
    assert not ws.is_distinctive(word)


def test_the_loose_tests_differ_from_the_strict_one() -> None:
    """Why three tests: a heading's ``H100``/``PLA-Serve`` count as name marks, ``TSA`` has an
    inner capital but no mixed case, and none of the three is distinctive alone."""
    assert ws.has_mixed_case_or_digit("H100") and not ws.is_distinctive("H100")
    assert ws.has_inner_capital_or_digit("TSA") and not ws.has_mixed_case_or_digit("TSA")
    assert ws.has_mixed_case_or_digit("GPU-free") and not ws.is_distinctive("GPU-free")


@given(lower_words)
def test_a_lower_case_word_is_no_name(word: str) -> None:
    assert ws.is_lower_word(word)
    assert not ws.is_acronym(word)
    assert not ws.is_distinctive(word)
    assert not ws.is_title_word(word)
    assert not ws.has_inner_capital_or_digit(word)
    assert not ws.has_mixed_case_or_digit(word)


@given(capitalised)
def test_a_capitalised_word_is_plain(word: str) -> None:
    assert ws.is_plain_capitalised(word)
    assert ws.is_title_word(word)
    assert not ws.is_acronym(word)
    assert not ws.is_distinctive(word)
    assert not ws.has_inner_capital_or_digit(word)


@given(acronyms)
@example("TASD")
def test_capitals_are_an_acronym_not_distinctive(word: str) -> None:
    assert ws.is_acronym(word)
    assert ws.is_acronym(word + "s") == (len(word) >= 3)  # LLMs; KVs is no acronym
    assert ws.has_inner_capital_or_digit(word)
    assert not ws.has_mixed_case_or_digit(word)
    assert not ws.is_distinctive(word)
    assert not ws.is_distinctive(word + "s")  # a plural acronym: GPUs


@given(words)
@example("pass-KV")
@example("Multi-LoRA")
def test_the_strict_test_implies_the_loose_ones(word: str) -> None:
    if ws.is_distinctive(word):
        assert ws.has_inner_capital_or_digit(word)
        assert ws.is_title_word(word)
    if ws.has_mixed_case_or_digit(word):
        assert ws.has_inner_capital_or_digit(word)
    if ws.is_acronym(word):
        assert ws.has_inner_capital_or_digit(word)


@given(words)
def test_lower_casing_a_word_takes_away_its_distinctiveness(word: str) -> None:
    assert not ws.is_distinctive(word.lower())
    assert not ws.is_acronym(word.lower())


@given(words)
def test_plain_words_and_numbers_are_not_distinctive(word: str) -> None:
    if ws.is_plain_capitalised(word) or ws.is_numberish(word) or ws.is_lower_word(word):
        assert not ws.is_distinctive(word)
    if ws.is_plain_capitalised(word):
        assert not ws.is_acronym(word)


@given(words)
def test_the_value_of_a_digit_does_not_matter(word: str) -> None:
    """Shape, not value: ``R2N1`` and ``R7N4`` are written alike."""
    other = word.translate(str.maketrans("0123456789", "1234567890"))
    for predicate in PREDICATES:
        assert predicate(word) == predicate(other), predicate.__name__


@given(words)
def test_parts_are_the_compound_less_its_separators(word: str) -> None:
    parts = ws.word_parts(word)
    assert all(parts) and not any(c in p for p in parts for c in "-_.")
    assert "".join(parts) == "".join(c for c in word if c not in "-_.")


@given(st.text(max_size=20))
def test_every_test_answers_for_any_text(text: str) -> None:
    for predicate in PREDICATES:
        assert isinstance(predicate(text), bool)
    assert ws.has_han(text) == any("\u3400" <= c <= "\u9fff" for c in text)
    assert ws.has_digit(text) == any(c.isdigit() for c in text)
    assert ws.has_letter(text) == any(c.isalpha() for c in text)


@given(st.from_regex(r"[A-Za-z0-9]{1,8}", fullmatch=True), lower_words)
def test_a_lower_case_tail_is_a_description(head: str, tail: str) -> None:
    assert ws.has_lower_tail(f"{head}-{tail}")
    assert not ws.has_lower_tail(f"{head}-{tail.capitalize()}")


@given(st.from_regex(r"[A-Za-z][A-Za-z0-9.]{0,8}", fullmatch=True), st.integers(1, 999))
def test_a_size_part_makes_a_model_name(family: str, billions: int) -> None:
    assert ws.has_size(f"{family}-{billions}B")
    assert ws.has_size(f"{family} {billions}.5B-Chat")
    assert not ws.has_size(f"{family}-{billions}GB")  # memory, not parameters
    assert not ws.has_size(f"{family}{billions}B") or ws.has_size(family)  # glued: no part


@given(words)
def test_a_capitalised_part_starts_with_a_capital(word: str) -> None:
    if ws.is_capitalised_part(word):
        assert ws.starts_capital_or_digit(word) and ws.is_title_word(word)
        assert not any(c in word for c in "-_.+#'")
