"""The metric and baseline rules of ingest/claims, on made-up entries through the real pipeline: the
nearest metric word in the clause, Chinese phrasing, metrics implied by the verb, a bare gain's metric
from a line that says what is compared, acronyms, operator kernels, and baselines from comparison cues,
generic devices, earlier clauses and earlier list items."""

from __future__ import annotations

import pytest
from entry_claims import claims
from spacy.language import Language

from techclaims.ingest.claims import metric_of
from techclaims.schema.records import Claim


def one(nlp: Language, body: str, **kwargs) -> Claim:
    found = claims(nlp, body, **kwargs)
    assert len(found) == 1, found
    return found[0]


# -- metric --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "metric"),
    [
        ("解码吞吐提升2.1倍", "decode throughput"),
        ("预填充延迟降低30%", "prefill latency"),
        ("首token延迟缩短40%", "TTFT"),
        ("训练吞吐量提高1.8倍", "training throughput"),
        ("显存占用减少45%", "memory"),
        ("能耗降低20%", "energy"),
        ("推理成本降低3倍", "inference cost"),
        ("reduces memory by 40%", "memory"),
        ("cuts the energy bill by 25%", "energy"),
    ],
)
def test_metric_words_chinese_and_english(text: str, metric: str) -> None:
    assert metric_of(text) == metric


def test_the_nearest_metric_word_of_the_clause_wins(nlp: Language) -> None:
    found = claims(nlp, "FooServe 的吞吐提升 2.4 倍，延迟降低 35%。")
    assert [(c.value, c.metric, c.direction) for c in found] == [
        (2.4, "throughput", "increase"),
        (35.0, "latency", "decrease"),
    ]


def test_a_bare_gain_takes_the_metric_a_line_above_says_is_compared(nlp: Language) -> None:
    body = (
        "#### 扩展性测试\n"
        "- 固定 batch size = 16，比较不同节点数下的吞吐。\n"
        "- **FooServe 比 vLLM 最高提升 31.5%**。"
    )
    claim = one(nlp, body)
    assert (claim.value, claim.metric, claim.baseline) == (31.5, "throughput", "vLLM")


def test_a_bare_speed_up_takes_the_speed_the_entry_names(nlp: Language) -> None:
    """'3.4× 加速' says no measure; the entry's other gains say it is decode throughput."""
    title = "FooNet: A Quick Method"
    body = (
        "- FooNet 的解码吞吐提升 2.1 倍。\n- 在长上下文下 FooNet 实现 3.4× 加速。\n- 显存降低 30%。"
    )
    found = {c.value: c.metric for c in claims(nlp, body, title=title)}
    assert found == {2.1: "decode throughput", 3.4: "decode throughput", 30.0: "memory"}, found
    alone = claims(nlp, "- 在长上下文下 FooNet 实现 3.4× 加速。\n- 显存降低 30%。", title=title)
    assert [c.metric for c in alone] == ["speedup", "memory"], alone
    serving = claims(nlp, body, title="FooNet: Fast LLM Serving")  # before the title's word
    assert {c.value: c.metric for c in serving}[3.4] == "decode throughput", serving


def test_a_throughput_is_an_inference_one_unless_it_says_otherwise(nlp: Language) -> None:
    """'推理吞吐量' is written as a throughput (as a latency is an inference's), also in a paper
    about training; a training throughput stays one."""
    title = "FooNet: Faster Training of LLMs"
    found = claims(nlp, "- FooNet 的推理吞吐量提升 2.4 倍，训练吞吐提升 1.5 倍。", title=title)
    assert [(c.value, c.metric) for c in found] == [
        (2.4, "throughput"),
        (1.5, "training throughput"),
    ], found


def test_fewer_tokens_is_a_claim_but_a_count_of_tokens_names_no_metric(nlp: Language) -> None:
    """'输出 token 减少 60%' is a gain (the annotators' tokens, token usage, token cost); the
    tokens of '128 个 token' or of a throughput ('token 吞吐') are no such measure."""
    body = (
        "- FooNet 的输出 token 减少 60%，token 成本降低 35%。\n"
        "- FooNet 平均接受 3.2 个 token，相较 Barnet 提升 12%。\n"
        "- token 吞吐提升 1.8 倍。"
    )
    found = {(c.value, c.metric) for c in claims(nlp, body, title="FooNet: Short Answers")}
    assert found == {(60.0, "tokens"), (35.0, "token cost"), (1.8, "throughput")}, found


def test_fewer_steps_is_no_claim(nlp: Language) -> None:
    """'去噪步数减少 40%' is an algorithmic count (ANNOTATION.md), not an efficiency gain."""
    body = "- FooNet 的去噪步数减少 40%。\n- 训练步数增加 20%。"
    assert claims(nlp, body, title="FooNet: Short Answers") == []


def test_a_line_that_compares_nothing_names_no_metric(nlp: Language) -> None:
    body = "- 实现：2万行代码，通信使用 NCCL。\n- FooServe 相比 vLLM 加速 1.9 倍。"
    assert one(nlp, body).metric != "communication"


@pytest.mark.parametrize(
    "body",
    [
        "FooServe 相比 GRPO 平均性能提升 5.0%。",
        "In the online setting FooServe improves performance by 7.6% over ACE.",
        "FooServe 比 Dynamic Cheatsheet 平均高出 7.6%。",  # no metric word at all
    ],
)
def test_a_percentage_of_bare_performance_is_no_claim(nlp: Language, body: str) -> None:
    """A percentage of "performance" is a benchmark score as often as a speed: no claim."""
    assert claims(nlp, body) == []


@pytest.mark.parametrize(
    ("body", "metric"),
    [
        ("**对性能和能效的影响：** FooServe 实现了高达 39% 的实际加速。", "serving speed"),
        ("FooServe 相比 vLLM 性能提升 2.1 倍。", "serving speed"),  # a factor: a speed-up
        ("FooServe improves performance-per-watt by 20% over vLLM.", "energy efficiency"),
    ],
)
def test_performance_beside_a_plainer_metric_word_stays_a_claim(
    nlp: Language, body: str, metric: str
) -> None:
    assert one(nlp, body).metric == metric


@pytest.mark.parametrize(
    ("body", "metric"),
    [
        ("FooServe 的能量延迟积 (EDP) 降低 40%。", "energy-delay product (EDP)"),
        ("FooServe 的能量延迟积降低 40%。", "energy-delay product"),
        ("**TTLT（total latency）降低 12%**", "end-to-end latency (TTLT)"),
        ("FooServe 的 IPW 提升 2.5 倍。", "intelligence per watt (IPW)"),
    ],
)
def test_acronyms_stay_with_their_metric(nlp: Language, body: str, metric: str) -> None:
    assert one(nlp, body).metric == metric


def test_a_kernel_metric_names_the_operator_the_item_is_about(nlp: Language) -> None:
    body = (
        "*   **内核性能对比：**\n"
        "    FooKern 在各种形状下都优于现有的 GEMM 实现。FooKern 平均比 cuBLAS 快 1.7 倍。"
    )
    claim = one(nlp, body, heading="FooKern", title="FooKern: Faster Kernels for LLMs")
    assert claim.metric == "GEMM kernel speed" and claim.baseline == "cuBLAS"


# -- baseline ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "相比 vLLM，FooServe 的吞吐提升 2.4 倍。",
        "FooServe 的吞吐比 vLLM 高 2.4 倍。",
        "FooServe 的吞吐较 vLLM 提升 2.4 倍。",
        "FooServe achieves 2.4x higher throughput over vLLM.",
        "FooServe achieves 2.4x higher throughput than vLLM.",
        "FooServe: 2.4x throughput vs. vLLM.",
        "Compared to vLLM, FooServe improves throughput by 2.4x.",
        "FooServe improves throughput by 2.4x relative to vLLM.",
    ],
)
def test_comparison_cues_name_the_baseline(nlp: Language, body: str) -> None:
    claim = one(nlp, body)
    assert (claim.value, claim.baseline) == (2.4, "vLLM")


def test_a_generic_device_means_the_method_the_entry_runs_on_it(nlp: Language) -> None:
    body = (
        "### 基线方法对比\n"
        "- **GPU**：使用 vLLM\n"
        "- **CPU**：使用 llama.cpp\n\n"
        "### 结果\n"
        "- FooServe 解码最快达 **3.1×**（vs GPU）、**12.5×**（vs CPU）"
    )
    found = claims(nlp, body)
    assert [(c.value, c.baseline) for c in found] == [(3.1, "vLLM"), (12.5, "llama.cpp")]


def test_a_device_the_entry_runs_nothing_on_names_no_baseline(nlp: Language) -> None:
    assert one(nlp, "- FooServe 解码最快达 **3.1×**（vs CPU）").baseline is None


def test_a_comparison_carries_into_the_next_clause_that_names_no_one(nlp: Language) -> None:
    found = claims(nlp, "FooServe 的精度仅比 vLLM 低 0.5%，但显存减少 37.4%，延迟降低 22.4%。")
    assert [(c.value, c.baseline) for c in found] == [(37.4, "vLLM"), (22.4, "vLLM")]


def test_an_end_to_end_result_does_not_take_a_kernel_comparison(nlp: Language) -> None:
    body = "FooServe 的内核性能优于 FlashInfer，并在端到端推理中实现了高达 1.58 倍的加速。"
    assert one(nlp, body).baseline is None


def test_a_list_item_takes_the_baseline_its_earlier_items_compare_against(nlp: Language) -> None:
    body = (
        "- **效率方面**：\n"
        "  - 单步训练时间：**FooServe 比 vLLM 快 2.55×**\n"
        "  - Rollout 效率提升 1.08×"
    )
    found = claims(nlp, body)
    assert [(c.value, c.baseline) for c in found] == [(2.55, "vLLM"), (1.08, "vLLM")]


def test_a_list_whose_earlier_result_compares_with_no_one_passes_on_no_baseline(
    nlp: Language,
) -> None:
    body = "- FooServe 的吞吐提升 3.2 倍。\n- 相比 vLLM，TTFT 降低 40%。\n- 显存减少 25%。"
    found = claims(nlp, body)
    assert [(c.value, c.baseline) for c in found] == [(3.2, None), (40.0, "vLLM"), (25.0, None)]


@pytest.mark.parametrize(
    "body",
    [
        "| 变体 | 加速比 |\n|---|---|\n| w/o Soft Allocation | 1.8× |",
        "- 移除 Head Pruning：速度提升 2.6×",
        "从 8 到 64 GPUs，FooServe 的吞吐提升 4.42×。",
        "Scaling from 8 to 64 GPUs raises FooServe's throughput 6.1x.",
        "FooServe 在 5-fold CV 下训练速度稳定。",
        "FooServe 随节点增加持续提升吞吐（+66%，3→9 nodes）。",
        "FooServe 跨硬件的加速比方差高达 21.4 倍。",
    ],
)
def test_without_variants_scaling_and_folds_are_no_claims(nlp: Language, body: str) -> None:
    """DECISIONS.md 22 (a without-X variant's figure) and 24 (more GPUs), and a fold count."""
    assert claims(nlp, body) == []


def test_the_full_method_row_of_an_ablation_stays_a_claim(nlp: Language) -> None:
    body = "| 变体 | 加速比 |\n|---|---|\n| FooServe | 2.4× |\n| w/o Soft Allocation | 1.8× |"
    assert [c.value for c in claims(nlp, body)] == [2.4]


def test_a_percentage_beside_a_metric_word_of_its_sentence_stays_a_claim(nlp: Language) -> None:
    found = {c.value for c in claims(nlp, "FooServe 将微调内存减少 30%，吞吐提升 **~20%**。")}
    assert found == {30.0, 20.0}


def test_a_compile_or_tuning_time_is_typed_so_charts_never_rank_it(nlp: Language) -> None:
    """'编译时间比 X 快 20 倍' is the method's cost of getting ready: a compile speed, which the
    ontology types as no efficiency metric; the run's own speed-up stays a speed."""
    from techclaims.schema.metrics import is_gain

    body = "- FooNet 的编译时间比 Barnet 快 20 倍，自动调优耗时减少 60%，推理加速 1.8 倍。"
    found = {c.value: c for c in claims(nlp, body, title="FooNet: A Quick Method")}
    assert [(v, c.metric) for v, c in found.items()] == [
        (20.0, "compile speed"),
        (60.0, "tuning time"),
        (1.8, "inference speed"),
    ], found
    assert [is_gain(c.metric, c.direction) for c in found.values()] == [False, False, True]


def test_a_gain_of_one_pass_is_no_training_throughput(nlp: Language) -> None:
    """'反向传播 TFLOPS 提升 1.3×' of a training paper is the backward pass's throughput, not the
    training throughput its end-to-end figure states."""
    body = (
        "- FooNet 的反向传播 TFLOPS 提升 1.3 倍，端到端训练吞吐提升 1.1 倍。\n- 前向延迟降低 20%。"
    )
    found = [(c.value, c.metric) for c in claims(nlp, body, title="FooNet: Faster LLM Training")]
    assert found == [
        (1.3, "backward throughput"),
        (1.1, "end-to-end training throughput"),
        (20.0, "forward latency"),
    ], found
