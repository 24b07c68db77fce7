"""A claim's baseline from a table's layout (ANNOTATION.md rule 1: the row with its table), on
made-up entries through the real pipeline: a change written in brackets after a value in a later
row ("| **FooNet** | **104M (-38.8%)** |") is measured against the method the table's first row
names ("| vLLM | 170M |")."""

from __future__ import annotations

from entry_claims import baseline_by_value as baselines
from spacy.language import Language

_TABLE = "### 主要结果\n\n| 方法 | 参数量 | 训练时间 |\n|---|---|---|\n"


def test_a_change_in_brackets_is_measured_against_the_first_row(nlp: Language) -> None:
    table = (
        _TABLE
        + "| vLLM | 170M | ~139h |\n| **FooServe** | **104M (-38.8%)** | **~123h (-11.5%)** |\n"
    )
    found = baselines(nlp, table)
    assert found[38.8] == "vLLM"
    assert found[11.5] == "vLLM"


def test_a_change_with_an_arrow_in_brackets(nlp: Language) -> None:
    table = _TABLE + "| vLLM | 170M | 36 ms |\n| **FooServe** | 104M | **27 ms** (**↓25%**) |\n"
    assert baselines(nlp, table)[25.0] == "vLLM"


def test_a_first_row_that_names_no_one_gives_no_baseline(nlp: Language) -> None:
    # the reference row is not a named method: no other row speaks for it
    table = (
        _TABLE + "| 原始模型 | 170M | 36 ms |\n| vLLM | 150M | 30 ms |\n"
        "| **FooServe** | 104M | **27 ms** (**↓25%**) |\n"
    )
    assert baselines(nlp, table)[25.0] is None


def test_rows_that_name_several_methods_give_no_baseline(nlp: Language) -> None:
    table = (
        _TABLE + "| vLLM | 170M | 36 ms |\n| SGLang | 150M | 30 ms |\n"
        "| **FooServe** | 104M | **27 ms** (**↓25%**) |\n"
    )
    assert baselines(nlp, table)[25.0] is None


def test_a_bare_change_is_not_read_from_the_first_row(nlp: Language) -> None:
    # a number alone in its cell is not a change of a value beside it
    table = _TABLE + "| vLLM | 170M | 36 ms |\n| **FooServe** | 104M | 快 25% |\n"
    assert baselines(nlp, table).get(25.0) is None


def _results(*sentences: str) -> str:
    return "### 主要结果\n" + "".join(f"- {s}\n" for s in sentences)


def test_a_clause_compared_with_a_reference_setup_takes_no_earlier_name(nlp: Language) -> None:
    # "比 Exact 快 15×": the second clause says what its number is against (a reference setup,
    # no baseline); the name of the clause before it is not it
    found = baselines(nlp, _results("FooServe 比 vLLM 快约 2.4×，比 Exact 快 15×。"))
    assert found[2.4] == "vLLM"
    assert found[15.0] is None


def test_a_name_listed_with_commas_in_an_aside_is_one_of_several(nlp: Language) -> None:
    # "（vLLM, Zorblex, Quandra）": several compared, the recognizer found one (rule 4)
    found = baselines(nlp, _results("FooServe 比最先进的基线（vLLM, Zorblex, Quandra）快 1.5 倍。"))
    assert found[1.5] is None
