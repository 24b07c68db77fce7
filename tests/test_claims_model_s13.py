"""The model of a measurement (ANNOTATION.md rules 1-4), session 13: on made-up entries through
the real pipeline."""

from __future__ import annotations

import pytest
from entry_claims import hardware, models
from spacy.language import Language


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # each number's own aside names the model it was measured on
        (
            "- FooServe 的通信开销减少了 **44×**（Llama-3-8B）和 **7×**（Qwen2-7B）。",
            [(44.0, "Llama-3-8B"), (7.0, "Qwen2-7B")],
        ),
        (
            "- FooServe 实现高达 2.5 倍加速（Llama-3-8B，相比 vLLM）和 1.4 倍加速（Qwen2-7B）。",
            [(2.5, "Llama-3-8B"), (1.4, "Qwen2-7B")],
        ),
        # an aside that names no model, or one after another number, says not which
        ("- 在 Llama-3-8B 和 Qwen2-7B 上，FooServe 吞吐提升 2.5 倍（平均值）。", [(2.5, None)]),
    ],
)
def test_a_model_in_the_aside_after_a_number_is_that_numbers(
    nlp: Language, sentence: str, expected: list[tuple[float, str | None]]
) -> None:
    assert models(nlp, sentence) == expected


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        # the bare part refers back to the one precise part the entry names
        ("- **硬件**：NVIDIA A100 80GB 与 RTX 4090", "A100-80GB"),
        # two precise parts of that family: the bare one says not which
        ("- **硬件**：NVIDIA A100 80GB、NVIDIA A100 40GB 与 RTX 4090", None),
    ],
)
def test_a_bare_part_is_the_one_precise_part_the_entry_names(
    nlp: Language, setup: str, expected: str | None
) -> None:
    body = f"### 实验设置\n{setup}\n\n### 结果\n- 在 A100 上，FooServe 吞吐提升 2.5 倍。"
    assert hardware(nlp, body) == [(2.5, expected)]


def test_a_section_heading_above_the_numbers_heading_gives_its_hardware(nlp: Language) -> None:
    # the sub-section's own heading names nothing; the section it sits in names the device
    body = (
        "### 实验设置\n- **硬件**：NVIDIA H200 与 AMD MI300X\n\n"
        "### 在 NVIDIA H200 上的结果\n#### 吞吐\n- FooServe 吞吐提升 2.5 倍。\n\n"
        "### 结论\n#### 延迟\n- FooServe 延迟降低 30%。"
    )
    assert hardware(nlp, body) == [(2.5, "H200"), (30.0, None)]


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        # the versioned family on the number's line is the one variant the entry lists
        ("- 在 GLM-4.7 上，FooServe 吞吐提升 7.8 倍。", [(7.8, "GLM-4.7-FP8")]),
        # in a heading it names the family, not the run
        ("#### GLM-4.7 的结果\n- FooServe 吞吐提升 7.8 倍。", [(7.8, None)]),
    ],
)
def test_a_versioned_family_on_the_numbers_line_is_the_one_listed_variant(
    nlp: Language, results: str, expected: list[tuple[float, str | None]]
) -> None:
    body = f"### 实验设置\n- **模型**：GLM-4.7-FP8、Qwen3-8B\n\n### 结果\n{results}"
    assert models(nlp, body) == expected
