"""The model of a measurement (ANNOTATION.md rules 3 and 4), session 15: on made-up entries
through the real pipeline."""

from __future__ import annotations

import pytest
from entry_claims import models
from spacy.language import Language

RESULT = "\n\n### 结果\n- FooServe 实现 2.5 倍加速。"


@pytest.mark.parametrize(
    "setup",
    [
        "- **模型**：\n  - Llama-3-8B\n  - 自研小模型",
        "- **模型**：\n  - `Llama-3-8B`（用于语音）\n  - foonet（用于图像）",
        "在三种模型上测试：\n- **Llama-3-8B**\n- 另一个内部模型",
    ],
)
def test_one_item_of_a_list_of_models_is_no_setup_model(nlp: Language, setup: str) -> None:
    # the setup lists several models, the NER found one: not said which one a number ran on
    assert models(nlp, f"### 实验设置\n{setup}{RESULT}") == [(2.5, None)]


@pytest.mark.parametrize(
    "setup",
    [
        # a label item beside it is no other model
        "- **模型配置**：\n  - Llama-3-8B\n  - 对比模型：无",
        # a sentence in a list is not a name of a list of names
        "- **实验范围**：\n  - 仅在 Llama-3-8B 上验证。\n  - 未测试更大的模型。",
    ],
)
def test_a_setup_model_beside_other_items_still_holds(nlp: Language, setup: str) -> None:
    assert models(nlp, f"### 实验设置\n{setup}{RESULT}") == [(2.5, "Llama-3-8B")]


@pytest.mark.parametrize(
    "setup",
    [
        "- **模型系列**：Llama-2-7B 系列，涵盖 **7B、13B 和 70B** 参数规模",
        "- **模型**：主要在 **Llama-3.2-1B** 系列模型（1B, 3B, 8B）上进行实验",
        "- 基于 Llama-3-8B 最大8B模型；Triton kernel",
    ],
)
def test_a_setup_model_with_its_sizes_after_it_is_several(nlp: Language, setup: str) -> None:
    assert models(nlp, f"### 实验设置\n{setup}{RESULT}") == [(2.5, None)]


@pytest.mark.parametrize(
    "setup",
    [
        "- **编码器**：Llama-3-8B（用于生成嵌入）",
        "- 使用 `Llama-3-8B` 生成段落嵌入。",
        "- 多模态任务使用 Llama-3-8B 进行答案评判",
        "- We use Llama-3-8B as the judge.",
    ],
)
def test_a_model_named_only_as_a_part_of_the_pipeline_is_no_setup_model(
    nlp: Language, setup: str
) -> None:
    assert models(nlp, f"### 实验设置\n{setup}{RESULT}") == [(2.5, None)]


@pytest.mark.parametrize(
    "setup",
    [
        "- **基础模型**：Llama-3-8B",
        # a distilled student starts from its teacher's weights: measured as that model
        "- 以 Llama-3-8B 作为 teacher，student 初始化为其权重",
    ],
)
def test_a_model_that_runs_the_numbers_is_the_setup_model(nlp: Language, setup: str) -> None:
    assert models(nlp, f"### 实验设置\n{setup}{RESULT}") == [(2.5, "Llama-3-8B")]


TABLE = (
    "### 吞吐对比\n"
    "| 方法 | {header} | 提升（vs 原始） |\n"
    "|------|------|------|\n"
    "| 原始 | 0.85 | — |\n"
    "| {row} | 1.03 | +21% |"
)


def test_the_one_model_of_a_tables_header_row_is_its_rows(nlp: Language) -> None:
    # the header names the model in another column: the table measures that model (rule 1)
    body = TABLE.format(header="Llama-3-70B (RPS)", row="FooServe")
    assert models(nlp, body) == [(21.0, "Llama-3-70B")]


def test_a_row_that_names_its_model_keeps_it_over_the_header(nlp: Language) -> None:
    body = TABLE.format(header="Llama-3-70B (RPS)", row="FooServe on Qwen2-7B")
    assert models(nlp, body) == [(21.0, "Qwen2-7B")]


def test_the_model_of_a_tables_reference_row_is_its_rows(nlp: Language) -> None:
    # the 1.00x row is the model run without the method: the factors are measured on it
    body = (
        "### 解码速度\n"
        "| 方法 | 延迟 (s) | 加速比 |\n"
        "|------|------|------|\n"
        "| Llama-3-8B（原始） | 217.8 | 1.00× |\n"
        "| **FooServe** | **32.9** | **6.6×** |"
    )
    assert models(nlp, body) == [(6.6, "Llama-3-8B")]
