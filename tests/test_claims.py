"""Claims: numbers, ranges, units and directions; what is not a claim; metric, method, baseline, model,
hardware and condition; one claim per fact; evidence spans. Hand-written sentences through the real
pipeline (the rules NER), and pure-function property tests."""

from __future__ import annotations

import pytest
from entry_claims import paper_of
from hypothesis import given
from hypothesis import strategies as st
from spacy.language import Language

from techclaims.ingest.claims import (
    Quantity,
    Statement,
    direction_of,
    find_quantities,
    merge_claims,
    metric_of,
    parse_speedup,
    same_fact,
)
from techclaims.schema.records import Claim, Span


def claims(nlp: Language, body: str, **kwargs) -> list[Claim]:
    return list(paper_of(nlp, body, **kwargs).claims)


def values(found: list[Claim]) -> list[tuple]:
    return [(c.value, c.value_max, c.unit) for c in found]


# -- numbers, ranges and units -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6.2x", Quantity(6.2, None, "x")),
        ("up to 3.5×", Quantity(3.5, None, "x")),
        ("2.2倍", Quantity(2.2, None, "x")),
        ("3-fold", Quantity(3.0, None, "x")),
        ("2.5 times faster", Quantity(2.5, None, "x")),
        ("40% lower latency", Quantity(40.0, None, "%")),
        ("降低 35％", Quantity(35.0, None, "%")),
        ("1.3x~1.6x", Quantity(1.3, 1.6, "x")),
        ("1.3–1.6×", Quantity(1.3, 1.6, "x")),
        ("1.3至1.6倍", Quantity(1.3, 1.6, "x")),
        ("between 1.3 and 1.6x", Quantity(1.3, 1.6, "x")),
        ("from 1.3x to 1.6x", Quantity(1.3, 1.6, "x")),
        ("20%-40%", Quantity(20.0, 40.0, "%")),
        ("**35.6% – 78.2%**", Quantity(35.6, 78.2, "%")),
        ("加速比为3.2", Quantity(3.2, None, "x")),
        ("a speedup of 2.1 over vLLM", Quantity(2.1, None, "x")),
        ("1,024.5x", Quantity(1024.5, None, "x")),
    ],
)
def test_parse_speedup(text: str, expected: Quantity) -> None:
    assert parse_speedup(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Mixtral-8x7B",
        "x86 servers",
        "Llama-3 8B",
        "W4A8KV4",
        "v2.5",
        "1/5 of the memory",
        "a speedup table",
        "64->1024",
        "8B-A3B",
        "2:4 sparsity",
        "75–84W",
        "Linux/2x",
        "1/2x",
    ],
)
def test_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("比 A/B 快 1.25x/1.32x", [1.25, 1.32]),
        ("P95/P99 延迟降低 48.6%/61.9%", [48.6, 61.9]),
        ("分别实现了3.39倍/4.27倍/3.31倍", [3.39, 4.27, 3.31]),
    ],
)
def test_each_factor_of_a_slash_list_is_read(text: str, values: list[float]) -> None:
    # a number after a slash is a fraction's (1/2x), but not after a factor or percentage
    assert [f.quantity.value for f in find_quantities(text)] == values


_VALUES = st.decimals(min_value="1.02", max_value="999", places=2, allow_nan=False).map(float)
_PAIRS = st.tuples(_VALUES, _VALUES).filter(lambda pair: pair[0] != pair[1]).map(sorted)
_UNITS = st.sampled_from(["x", "X", "×", " ×", "倍", "-fold", " times", "%", "％"])
_SEPARATORS = st.sampled_from(["~", "～", "-", "–", "—", "至", "到", " to ", " ~ ", " – "])


def _written(value: float) -> str:
    return format(value, "g")


@given(_VALUES, _UNITS)
def test_any_single_value_round_trips(value: float, unit: str) -> None:
    assert parse_speedup(f"提升{_written(value)}{unit}") == Quantity(
        value, None, "%" if "%" in unit or "％" in unit else "x"
    )


@given(_PAIRS, _UNITS, _SEPARATORS, st.booleans())
def test_any_range_round_trips(pair: list[float], unit: str, sep: str, both: bool) -> None:
    low, high = pair
    first = f"{_written(low)}{unit.strip() if both else ''}"
    parsed = parse_speedup(f"{first}{sep}{_written(high)}{unit}")
    assert parsed == Quantity(low, high, "%" if "%" in unit or "％" in unit else "x")


@given(_PAIRS, st.sampled_from(["x", "%"]))
def test_between_and_round_trips(pair: list[float], unit: str) -> None:
    low, high = pair
    assert parse_speedup(f"between {_written(low)} and {_written(high)}{unit}") == Quantity(
        low, high, unit
    )


@given(_VALUES)
def test_quantities_inside_model_names_are_not_read(value: float) -> None:
    assert find_quantities(f"Qwen3-{_written(value)}B-x and GPT-{_written(value)}") == []


# -- metric and direction ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "metric", "direction"),
    [
        ("TTFT平均缩短13.5倍", "TTFT", "decrease"),
        ("throughput improves by 2x", "throughput", "increase"),
        ("将训练吞吐量提高了1.51至1.97倍", "training throughput", "increase"),
        ("1.14× 的端到端推理速度提升", "end-to-end inference speed", "increase"),
        ("reduces decode latency by 30%", "decode latency", "decrease"),
        ("40% less memory", "memory", "decrease"),
        ("能耗降低 35.9%", "energy", "decrease"),
        ("Tensor Core利用率提升11.8%", "Tensor Core utilization", "increase"),
        ("prefill 时间减少 50%", "prefill time", "decrease"),
        ("2.2x higher decode throughput", "decode throughput", "increase"),
        ("Token生成延迟上提升近35%", "token generation latency", "decrease"),
        ("节省了3倍的LLM服务成本", "serving cost", "decrease"),
        ("inter-node 通信减少超过 99%", "inter-node communication", "decrease"),
    ],
)
def test_metric_and_direction(text: str, metric: str, direction: str) -> None:
    assert metric_of(text) == metric
    assert direction_of(text, metric) == direction


def test_accuracy_is_no_metric() -> None:
    assert metric_of("准确率下降3%") is None
    assert metric_of("improves accuracy by 2%") is None


# -- what is not a claim ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "1. 在推理服务中，60%的延迟来自调度开销。",  # a problem statistic: no change stated
        "2. FooServe的准确率提升了3.5%，MMLU得分提高2.1%。",  # accuracy and benchmark scores
        "3. 训练数据集扩大了10倍。",  # a dataset size
        "4. H100的显存带宽是A100的1.7倍。",  # a hardware spec (no verb for the method)
        "5. FooServe仅增加了0.9%的参数量，FLOPs开销增加约2.85%。",  # overheads
        "6. 极端情况下FooServe可慢4.6×以上，显存增长达4–10×。",  # slowdowns and memory growth
        "7. 达到A100理论峰值的50%~73%，捕获了理论潜力（约6.5倍）的95%以上。",  # headroom against bounds
        "8. 平均接受长度提升2.1倍。",  # acceptance length
        "9. 在50%稀疏度下测试，稀疏度设置为（如 5×, 10×, 50×）。",  # settings
        "10. 相比vLLM，FooServe快1.01倍。",  # no gain worth a claim
        "11. Runs on 8x H100 GPUs and 4× A100s.",  # device counts
        "12. GPU utilization reaches 86.2% and MFU is 72%.",  # levels, not changes
        "13. FooServe将SM利用率提升至86.2%。",  # a level reached
        "14. LFM2 的 IPW 变化不大（-1.8%）。",  # a negative change
    ],
)
def test_non_claims(nlp: Language, body: str) -> None:
    assert claims(nlp, body) == []


def test_problem_section_is_not_claimed(nlp: Language) -> None:
    body = "### 解决的问题\n- 现有系统的延迟降低了30%仍然不够。\n\n### 主要结果\n- FooServe将延迟降低了30%。"
    found = claims(nlp, body)
    assert values(found) == [(30.0, None, "%")]
    assert "主要结果" not in found[0].evidence and found[0].evidence == "FooServe将延迟降低了30%。"


# -- attribution --------------------------------------------------------------------------------------


def test_baseline_after_comparison_cues(nlp: Language) -> None:
    found = claims(
        nlp,
        "1. 相比vLLM，FooServe的吞吐提升2.4倍。\n"
        "2. FooServe比SGLang快1.5倍。\n"
        "3. FooServe achieves 3.1x higher throughput than TensorRT-LLM.\n"
        "4. Compared to FlashInfer, decode latency is 40% lower.\n"
        "5. 吞吐量提升1.8倍（vs. Orca）。\n"
        "6. 与 Medusa 对比，加速 2.6 倍。",
    )
    assert [(c.value, c.baseline) for c in found] == [
        (2.4, "vLLM"),
        (1.5, "SGLang"),
        (3.1, "TensorRT-LLM"),
        (40.0, "FlashInfer"),
        (1.8, "Orca"),
        (2.6, "Medusa"),
    ]


def test_respectively_pairs_numbers_with_baselines(nlp: Language) -> None:
    found = claims(
        nlp,
        "在RTX4090上，FooServe平均比vLLM、FasterTransformer和DeepSpeed分别快1.35倍、1.42倍和1.49倍。",
    )
    assert [(c.value, c.baseline, c.hardware) for c in found] == [
        (1.35, "vLLM", "RTX 4090"),
        (1.42, "FasterTransformer", "RTX 4090"),
        (1.49, "DeepSpeed", "RTX 4090"),
    ]


def test_model_and_hardware_from_the_clause(nlp: Language) -> None:
    found = claims(
        nlp,
        "相比TensorRT-LLM，Llama-3-8B的最大吞吐在A100上提升1.2倍、在L40S上提升1.4倍；"
        "Qwen1.5-72B在A100上提升2.4倍。",
    )
    assert [(c.value, c.model, c.hardware, c.baseline) for c in found] == [
        (1.2, "Llama-3-8B", "A100", "TensorRT-LLM"),
        (1.4, "Llama-3-8B", "L40S", "TensorRT-LLM"),
        (2.4, "Qwen1.5-72B", "A100", "TensorRT-LLM"),
    ]  # the comparison set up at the head of the bullet


def test_model_and_hardware_from_the_bullet_then_the_entry(nlp: Language) -> None:
    body = (
        "- 在 **Llama-2-7B** 上，FooServe 实现：\n"
        "  - **1.29× 的 MLP 层加速**。\n"
        "  - **1.14× 的端到端推理速度提升**。\n\n"
        "- FooServe 在 H100 上评测。Decode 吞吐提升 2.5 倍。\n\n"
        "- 延迟降低 30%。"
    )
    found = {c.value: c for c in claims(nlp, body)}
    assert (found[1.29].model, found[1.29].metric) == ("Llama-2-7B", "MLP layer speed")
    assert (found[1.14].model, found[1.14].metric) == ("Llama-2-7B", "end-to-end inference speed")
    assert found[2.5].hardware == "H100"  # the bullet's other sentence
    # nothing stated near it: the entry names one model and one hardware (ANNOTATION.md rule 3)
    assert (found[30.0].model, found[30.0].hardware) == ("Llama-2-7B", "H100")


def test_an_entry_naming_two_of_a_kind_gives_no_setting(nlp: Language) -> None:
    body = "- FooServe 在 H100 和 A100 上评测，模型为 Llama-2-7B 与 Qwen2-7B。\n\n- 延迟降低 30%。"
    (claim,) = [c for c in claims(nlp, body) if c.value == 30.0]
    assert (claim.model, claim.hardware) == (None, None)  # rule 4: several named, none said


def test_a_host_cpu_beside_an_accelerator_leaves_the_accelerator(nlp: Language) -> None:
    """ANNOTATION.md: when a setup names a host CPU and accelerators, a claim's hardware is the
    accelerator; in the setup line, the entry and the claim's own sentence alike."""
    body = (
        "- 实验平台：8× H200，主机 CPU 为 Xeon Platinum 8468。\n\n"
        "- 解码吞吐提升 2.5 倍。\n\n"
        "- FooServe 在 EPYC 7763 与 A100 的服务器上将延迟降低 30%。"
    )
    found = {c.value: c.hardware for c in claims(nlp, body)}
    assert found == {2.5: "H200", 30.0: "A100"}


def test_two_accelerators_beside_a_host_cpu_are_still_two(nlp: Language) -> None:
    body = "- 实验平台：H100 与 A100，主机 CPU 为 Xeon Platinum 8468。\n\n- 延迟降低 30%。"
    (claim,) = [c for c in claims(nlp, body) if c.value == 30.0]
    assert claim.hardware is None


def test_a_size_names_the_entry_s_one_model_of_that_size(nlp: Language) -> None:
    body = (
        "- 模型：Llama-3.1-8B-Instruct 与 Llama-3.1-70B-Instruct。\n\n"
        "- 在70B模型上，FooServe 相比 vLLM 的 TTFT 最高降低 1.86 倍。\n\n"
        "- 在 8B 模型上吞吐提升 1.4 倍。\n\n"
        "- 延迟降低 30%。"
    )
    found = {c.value: c.model for c in claims(nlp, body)}
    assert found == {1.86: "Llama-3.1-70B-Instruct", 1.4: "Llama-3.1-8B-Instruct", 30.0: None}


def test_a_list_of_hardware_is_no_one_hardware(nlp: Language) -> None:
    found = claims(nlp, "H100/H20/A100 上 FooServe 的吞吐量平均提升1.26倍（最高达1.55倍）。")
    assert [(c.value, c.hardware) for c in found] == [(1.26, None), (1.55, None)]
    assert {c.metric for c in found} == {"throughput"}


def test_hardware_of_the_baseline_is_not_the_claims(nlp: Language) -> None:
    found = claims(nlp, "FooServe在L40S上的吞吐量高于A100上的TensorRT-LLM，服务成本降低3倍。")
    assert [(c.value, c.hardware, c.metric, c.direction) for c in found] == [
        (3.0, "L40S", "serving cost", "decrease")
    ]


def test_another_proposed_method_as_subject(nlp: Language) -> None:
    body = (
        "提出了 FooServe 框架，包括 FooServe-Sched 和 FooServe-Cache 两个组件。\n"
        "1. FooServe-Sched 减少 49.3% 通信。\n2. 整体吞吐提升 2.1 倍。"
    )
    found = {c.value: c.method for c in claims(nlp, body)}
    assert found == {49.3: "FooServe-Sched", 2.1: "FooServe"}


def test_table_rows_read_header_and_row_label(nlp: Language) -> None:
    body = (
        "| 平台 | Context Length | Speedup vs. FlashAttention |\n"
        "|------|----------------|----------------------------|\n"
        "| A100 | 72K | **1.52×** |\n"
        "| H200 | 145K | **1.5×** |\n\n"
        "| 指标 | FlashInfer | FooServe | 提升幅度 |\n"
        "|------|------------|----------|----------|\n"
        "| **Tensor Core Throughput** | 18% | 33% | ↑83% |\n"
    )
    found = {c.value: c for c in claims(nlp, body)}
    assert set(found) == {1.52, 1.5, 83.0}
    assert (found[1.52].hardware, found[1.52].baseline, found[1.52].condition) == (
        "A100",
        "FlashAttention",
        "72K",
    )
    assert (found[83.0].metric, found[83.0].baseline) == ("Tensor Core throughput", "FlashInfer")


def test_conditions(nlp: Language) -> None:
    found = claims(
        nlp, "在 batch size 为 32、序列长度 32K 时，FooServe 的 decode 吞吐提升 2.3 倍。"
    )
    assert (
        found[0].condition is not None
        and "batch size 为 32" in found[0].condition
        and "32K" in found[0].condition
    )


def test_unitless_forms_are_factors(nlp: Language) -> None:
    found = claims(
        nlp, "1. FooServe 的加速比为3.2。\n2. FooServe achieves a speedup of 2.1 over vLLM."
    )
    assert [(c.value, c.unit, c.baseline) for c in found] == [(3.2, "x", None), (2.1, "x", "vLLM")]


# -- one claim per fact -------------------------------------------------------------------------------


def test_restatements_are_one_claim(nlp: Language) -> None:
    body = (
        "1. FooServe 的吞吐提升 6.54 倍。\n"
        "2. 总结：吞吐提升约 6.5 倍，相比 vLLM。\n"
        "3. 延迟降低 6.5 倍。"
    )
    found = claims(nlp, body)
    assert [(c.value, c.metric, c.baseline) for c in found] == [
        (6.54, "throughput", "vLLM"),
        (6.5, "latency", None),
    ]


def test_two_table_rows_are_two_measurements() -> None:
    def row(value: float) -> Statement:
        return Statement(
            Claim(
                value=value,
                unit="x",
                metric="kernel speed",
                method="K",
                evidence="|",
                span=Span(start=0, end=1),
            ),
            in_table=True,
        )

    assert not same_fact(row(4.7), row(4.71))
    assert len(merge_claims([row(4.7), row(4.71), row(4.7)])) == 2


# -- evidence ------------------------------------------------------------------------------------------


def test_evidence_is_the_exact_digest_text(nlp: Language) -> None:
    offset = 1000
    paper = paper_of(nlp, "- **吞吐量提升**：**7.57×**\n| A100 | 72K | **1.52×** |", offset=offset)
    text = "## FooServe\nFooServe: Fast LLM Serving\n\n- **吞吐量提升**：**7.57×**\n| A100 | 72K | **1.52×** |\n"
    digest = " " * offset + text
    assert len(paper.claims) == 2
    for claim in paper.claims:
        assert digest[claim.span.start : claim.span.end] == claim.evidence
    assert paper.claims[1].evidence == "| A100 | 72K | **1.52×** |"


def test_the_precise_restatement_is_quoted(nlp: Language) -> None:
    found = claims(nlp, "1. 总结：吞吐提升约 6.5 倍。\n2. 详细结果：FooServe 的吞吐提升 6.54 倍。")
    assert [c.value for c in found] == [6.54]
    assert "6.54" in found[0].evidence


def test_speedups_take_the_baseline_the_entry_defines_them_against(nlp: Language) -> None:
    body = (
        "- **性能**：相对于PyTorch基线的**加速比**（speedup）\n\n"
        "| 算子 | 加速比（Speedup） |\n|------|------|\n| MapId | 4.1× |\n\n"
        "- 显存降低 30%。"
    )
    found = {c.value: c.baseline for c in claims(nlp, body)}
    assert found == {4.1: "PyTorch", 30.0: None}  # a speed-up, not a memory saving
