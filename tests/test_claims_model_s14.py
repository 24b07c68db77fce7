"""The model of a measurement (ANNOTATION.md rules 1 and 4), session 14: on made-up entries
through the real pipeline."""

from __future__ import annotations

import pytest
from entry_claims import models
from spacy.language import Language


def test_a_model_in_a_later_clause_is_its_own_numbers(nlp: Language) -> None:
    # the later clause measures 1.9x on Llama-3-8B; the kernel's 3.2x says no model
    body = "- FooServe 的内核加速 3.2 倍，在 Llama-3-8B 上端到端加速 1.9 倍。"
    assert models(nlp, body) == [(3.2, None), (1.9, "Llama-3-8B")]


def test_a_model_after_the_number_in_its_own_clause_is_still_its(nlp: Language) -> None:
    body = "- FooServe 吞吐提升 2.5 倍，在 Llama-3-8B 上测得。"
    assert models(nlp, body) == [(2.5, "Llama-3-8B")]


@pytest.mark.parametrize(
    "sentence",
    [
        "- 实验使用 SGLang 与 A100，最大 Qwen3-32B，FooServe 实现了 40% 的延迟降低。",
        "- We run SGLang on A100 with models up to Qwen3-32B; FooServe cuts latency by 40%.",
    ],
)
def test_the_largest_of_several_models_is_no_numbers_model(nlp: Language, sentence: str) -> None:
    assert models(nlp, sentence) == [(40.0, None)]


@pytest.mark.parametrize(
    "sentence",
    [
        "- FooServe 在所有模型族上均实现 2.5 倍加速。",
        "- FooServe 在三个模型上平均实现 2.5 倍加速。",
        "- FooServe achieves a 2.5x speedup across five model families.",
    ],
)
def test_a_number_over_several_models_takes_not_the_setups_one(
    nlp: Language, sentence: str
) -> None:
    body = f"### 实验设置\n- **模型**：Llama-3-8B\n\n### 结果\n{sentence}"
    assert models(nlp, body) == [(2.5, None)]


def test_the_setups_one_model_still_holds_for_a_number_over_one(nlp: Language) -> None:
    body = "### 实验设置\n- **模型**：Llama-3-8B\n\n### 结果\n- FooServe 实现 2.5 倍加速。"
    assert models(nlp, body) == [(2.5, "Llama-3-8B")]


@pytest.mark.parametrize(
    "sentence",
    [
        "- 相比 Llama-3-70B 和 Qwen2-72B，FooServe 吞吐提升 1.6 倍。",
        "- 相比 Llama-3-70B、Qwen2-72B 和 Mixtral-8x7B，FooServe 分别实现了 5.9 倍、4.8 倍和 1.6 倍的"
        "吞吐提升。",
    ],
)
def test_every_model_of_a_compared_list_is_compared(nlp: Language, sentence: str) -> None:
    # the listed models are what FooServe is compared with, none ran the numbers: the setup's did
    body = f"### 实验设置\n- **模型**：Llama-3-8B\n\n### 结果\n{sentence}"
    assert {model for _, model in models(nlp, body)} == {"Llama-3-8B"}


def test_a_model_after_a_compared_one_across_a_comma_is_not_compared(nlp: Language) -> None:
    body = "- 相比 vLLM，Llama-3-8B 上 FooServe 吞吐提升 1.6 倍。"
    assert models(nlp, body) == [(1.6, "Llama-3-8B")]


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        # the NER finds the first of the sizes listed: the setup names several models
        ("- **模型**：Llama-3.2-1B 和 3B", None),
        ("- **模型**：Llama-3.2-1B", "Llama-3.2-1B"),
    ],
)
def test_a_setup_model_written_as_one_of_several_sizes_holds_for_no_number(
    nlp: Language, setup: str, expected: str | None
) -> None:
    body = f"### 实验设置\n{setup}\n\n### 结果\n- FooServe 吞吐提升 2.5 倍。"
    assert models(nlp, body) == [(2.5, expected)]


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        # the mark is the whole list's: several main models, not said which one
        ("- **主要模型**：Qwen3-8B, Qwen3-32B\n- **补充模型**：Llama-3-8B", None),
        ("- **主要模型**：Qwen3-8B\n- **补充模型**：Qwen3-32B、Llama-3-8B", "Qwen3-8B"),
    ],
)
def test_the_main_model_is_one_the_mark_names_alone(
    nlp: Language, setup: str, expected: str | None
) -> None:
    body = f"### 实验设置\n{setup}\n\n### 结果\n- FooServe 吞吐提升 2.5 倍。"
    assert models(nlp, body) == [(2.5, expected)]


_TABLE = (
    "| 模型 | 延迟（s） |\n|------|------|\n| **Llama-3-8B** | **0.10** |\n| Qwen2-72B | 2.01 |\n\n"
)


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        # the note under the table sums up the table's own (bold) row
        ("> ✅ **推理速度快约 20×**", "Llama-3-8B"),
        # one the note compares with is not the note's model
        ("> ✅ 推理速度快约 20×，且略优于 Llama-3-8B", None),
    ],
)
def test_a_note_under_a_table_takes_the_model_of_its_bold_row(
    nlp: Language, note: str, expected: str | None
) -> None:
    assert models(nlp, f"{_TABLE}{note}") == [(20.0, expected)]


def test_a_table_with_two_bold_models_gives_its_note_none(nlp: Language) -> None:
    table = _TABLE.replace("| Qwen2-72B |", "| **Qwen2-72B** |")
    assert models(nlp, f"{table}> ✅ **推理速度快约 20×**") == [(20.0, None)]
