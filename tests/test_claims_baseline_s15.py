"""A claim's baseline from a table's layout (ANNOTATION.md rule 1: the row with its table), on
made-up entries through the real pipeline: a change written in brackets after a value
("| **FooServe** | **104M (-38.8%)** |") is measured against the method of the nearest row above
that states plain values ("| vLLM | 170M |"). Also readings of several or none: a clause compared
with a reference setup takes no earlier clause's name, a name listed with others in an aside is
one of several."""

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


def test_a_row_above_that_names_no_one_gives_no_baseline(nlp: Language) -> None:
    # the reference row is not a named method: a row further up does not speak for it
    table = (
        _TABLE + "| vLLM | 150M | 30 ms |\n| 原始模型 | 170M | 36 ms |\n"
        "| **FooServe** | 104M | **27 ms** (**↓25%**) |\n"
    )
    assert baselines(nlp, table)[25.0] is None


def test_a_measured_row_is_passed_over_for_the_plain_row_above(nlp: Language) -> None:
    # "| SGLang | 7.32 (+7.2%) |" is measured itself: FooServe's change is against vLLM's row
    table = (
        "### 主要结果\n\n| 方法 | 吞吐 | 延迟 |\n|---|---|---|\n"
        "| vLLM | 6.83 | 8.41 |\n| SGLang | 7.32 (+7.2%) | 8.87 (+5.5%) |\n"
        "| **FooServe** | **7.43 (+8.8%)** | **9.18 (+9.2%)** |\n"
    )
    assert baselines(nlp, table)[8.8] == "vLLM"


def test_pairs_of_rows_each_change_against_the_row_above(nlp: Language) -> None:
    # a reference row and the method's row, twice; the model both rows of a pair name is the
    # setting, the method of the reference row is the baseline
    table = (
        "### 主要结果\n\n| 模型 | 方法 | 延迟 |\n|---|---|---|\n"
        "| **Llama-3.1-8B** | vLLM | 82.4s |\n| | FooServe | **66.3s (-19.6%)** |\n"
        "| **Qwen2.5-7B** | SGLang | 126.6s |\n| | FooServe | **105.3s (-16.8%)** |\n"
    )
    found = baselines(nlp, table)
    assert found[19.6] == "vLLM"
    assert found[16.8] == "SGLang"


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


def test_a_header_column_of_several_methods_gives_no_baseline(nlp: Language) -> None:
    # "| vLLM / Zorblex RT |": the column holds several, the recognizer found one
    table = "### 对比\n\n| 特性 | FooServe | {} |\n|---|---|---|\n| 吞吐 | 快 2.6× | 慢 |\n"
    assert baselines(nlp, table.format("vLLM"))[2.6] == "vLLM"
    assert baselines(nlp, table.format("vLLM / Zorblex RT"))[2.6] is None


def test_a_heading_of_comparison_results_compares_with_no_name(nlp: Language) -> None:
    # "关键对比结果（X）" titles the comparisons; the name in its aside is not compared
    body = "**6. 关键对比结果（Takeaways）**\n- FooServe 的吞吐提升 1.67 倍。\n"
    assert baselines(nlp, body)[1.67] is None


def test_a_name_in_the_aside_of_a_compared_name_is_its_setting(nlp: Language) -> None:
    # "vs. vLLM (PagedAttention)": the aside says how vLLM ran, it is not a second compared name
    found = baselines(nlp, _results("FooServe 的吞吐 vs. vLLM (PagedAttention)：快 2.04×。"))
    assert found[2.04] == "vLLM"


def test_a_system_in_brackets_at_the_end_of_an_item_label(nlp: Language) -> None:
    # "- **端到端性能 (vLLM)**：...": the item's numbers are measured against the bracketed system
    body = _results("**端到端性能 (vLLM)**：平均吞吐量加速 118.90%（最高 171.11%）。")
    found = baselines(nlp, body)
    assert found[118.9] == "vLLM"
    assert found[171.11] == "vLLM"


def test_a_model_in_brackets_at_the_end_of_an_item_label_is_no_baseline(nlp: Language) -> None:
    # "推理工作负载 (Llama-3.1-8B)：": a model there is the workload
    body = _results("**推理工作负载 (Llama-3.1-8B)**：吞吐量平均加速 15%（最高 27%）。")
    assert baselines(nlp, body)[27.0] is None


def test_official_or_standard_between_a_weak_cue_and_the_name(nlp: Language) -> None:
    # "较官方 X", "比标准 X": words describing the compared name after a weak cue
    assert baselines(nlp, _results("FooServe 较官方 vLLM 快 40%。"))[40.0] == "vLLM"
    assert baselines(nlp, _results("FooServe 比标准 vLLM 快 18.9%。"))[18.9] == "vLLM"


def test_the_found_acronym_of_an_unfound_compared_name(nlp: Language) -> None:
    # "相较于 Prefix Grouper (PG)": the long form was missed, its acronym in brackets was found
    found = baselines(nlp, _results("FooServe 相较于Zorblex Grouper (vLLM)，速度快 2.5 倍。"))
    assert found[2.5] == "vLLM"
