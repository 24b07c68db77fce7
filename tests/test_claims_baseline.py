"""Where a claim's baseline is stated (ANNOTATION.md rules 1-4), on made-up entries through the real
pipeline: the setup's one main baseline among several it lists."""

from __future__ import annotations

import pytest
from entry_claims import baselines
from spacy.language import Language

# -- rule 3: the setup marks one of its baselines as the main one -----------------------------


@pytest.mark.parametrize(
    "setup",
    [
        "- **vLLM**：主流推理框架，作为主要对比基准。\n- **Orca**：迭代级调度。\n",
        "- **主基线**：vLLM（默认配置）\n- **其他基线**：Orca、SGLang\n",
        "| 方法 | 说明 |\n|---|---|\n| vLLM | 主要基线 |\n| Orca | 迭代级调度 |\n",
        "- **vLLM**: the main baseline.\n- **Orca**: iteration-level scheduling.\n",
    ],
)
def test_the_main_baseline_of_a_setup_that_lists_several_holds_for_a_claim_naming_none(
    nlp: Language, setup: str
) -> None:
    body = f"### 基线方法对比\n{setup}\n### 关键结果\n- FooServe 吞吐提升 2.1 倍。"
    assert baselines(nlp, body) == [(2.1, "vLLM")]


def test_an_item_labelled_baseline_alone_is_the_main_one(nlp: Language) -> None:
    # the other items of the section describe variants and dimensions, not other systems
    body = (
        "### 基线方法对比\n"
        "- **Baseline**: vLLM（v0.6），目前最常用的推理引擎\n"
        "- **改进后的 baseline**：加入了 FooServe 的调度器\n"
        "- **对比维度**：吞吐、延迟\n\n"
        "### 关键结果\n"
        "- FooServe 吞吐提升 2.1 倍。"
    )
    assert baselines(nlp, body) == [(2.1, "vLLM")]


def test_a_baseline_item_that_lists_several_names_gives_none(nlp: Language) -> None:
    # "vLLM/Orca": the second name of a slash list may be found or not; either way several
    body = (
        "### 基线方法对比\n"
        "- **Baseline**: 原始 vLLM/Orca 引擎\n"
        "- **对比维度**：吞吐\n\n"
        "### 关键结果\n"
        "- FooServe 吞吐提升 2.1 倍。"
    )
    assert baselines(nlp, body) == [(2.1, None)]


def test_a_main_baseline_mark_over_several_names_gives_none(nlp: Language) -> None:
    # rule 4: the mark names two, not said which one a number is against
    body = (
        "### 基线方法对比\n"
        "- **主要基线**：vLLM 和 SGLang\n"
        "- **Orca**：迭代级调度\n\n"
        "### 关键结果\n"
        "- FooServe 吞吐提升 2.1 倍。"
    )
    assert baselines(nlp, body) == [(2.1, None)]


def test_a_claim_that_names_its_baseline_keeps_it_over_the_main_one(nlp: Language) -> None:
    body = (
        "### 基线方法对比\n"
        "- **vLLM**：作为主要对比基线。\n"
        "- **Orca**：迭代级调度。\n\n"
        "### 关键结果\n"
        "- FooServe 比 Orca 快 1.7 倍。"
    )
    assert baselines(nlp, body) == [(1.7, "Orca")]


# -- rule 1: a comparison cue, then words that describe the name compared against -------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("- 相比 state-of-the-art 的 DistServe 系统，FooServe 吞吐提升 5.6 倍。", "DistServe"),
        ("- 相比最先进的推理框架 vLLM，FooServe 成本降低 1.4 倍。", "vLLM"),
        ("- FooServe 比最强的基线（SGLang）快 2.3 倍。", "SGLang"),
        ("- 与 SGLang 默认调度器相比，FooServe 将尾延迟降低 59%。", "SGLang"),
    ],
)
def test_a_described_name_after_a_cue_is_compared_against(
    nlp: Language, sentence: str, expected: str
) -> None:
    assert [b for _, b in baselines(nlp, sentence)] == [expected]


# -- rule 4: a compared name listed with one the entity rules did not find ---------------------


def test_a_compared_name_listed_with_an_unfound_one_gives_none(nlp: Language) -> None:
    # "Recursive Doubling" is no entity of the rules pipeline: vLLM is one of two compared
    got = baselines(nlp, "- FooServe 比 vLLM / Recursive Doubling 快 **20%**。")
    assert got == [(20.0, None)]


def test_a_compared_name_followed_by_its_own_words_keeps_it(nlp: Language) -> None:
    # a lower-case word after 和 is no name: the comparison is with vLLM alone
    got = baselines(nlp, "- FooServe 比 vLLM 和 naive batching 快 **2.1×**。")
    assert got == [(2.1, "vLLM")]
