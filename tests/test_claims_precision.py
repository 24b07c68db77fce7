"""What ingest/claims does not take as a claim, on made-up entries through the real pipeline: numbers
that are no efficiency gain of the paper's method (a level before a change, a result that got worse),
each beside the claim of the same entry that is kept, so a rule that drops too much fails too."""

from __future__ import annotations

import pytest
from entry_claims import claims
from spacy.language import Language


def values(nlp: Language, body: str, **kwargs: str) -> list[str]:
    """The claims of a one-entry digest, as value and unit ("96%", "1.5x")."""
    return [f"{c.value:g}{c.unit}" for c in claims(nlp, body, **kwargs)]


@pytest.mark.parametrize(
    ("body", "kept", "dropped"),
    [
        ("- FooServe 将 GPU 利用率从 51% 提升至 92%，吞吐提升 21%。", ["21%"], ["51%"]),
        ("- FooServe 的 GPU 空闲时间从 70.65% 降至 45.78%，延迟降低 12%。", ["12%"], ["70.65%"]),
        ("- FooServe 的解码加速比从 2.6x 提高到 3.9x。", [], ["2.6x"]),
        ("- 在 Qwen3-32B 上，FooServe 的加速比从4.37倍提升到4.68倍。", [], ["4.37x"]),
    ],
)
def test_the_first_value_of_a_from_to_pair_is_no_claim(
    nlp: Language, body: str, kept: list[str], dropped: list[str]
) -> None:
    found = values(nlp, body)
    assert set(kept) <= set(found), found
    assert not set(dropped) & set(found), found


def test_a_gain_from_one_value_to_another_keeps_both(nlp: Language) -> None:
    """'提升从 3.1% 增加到 16.6%': the first value is a gain too (a gain's noun before 从)."""
    found = values(nlp, "- FooServe 相较于 vLLM 的吞吐提升从 3.1% 增加到 16.6%。")
    assert "3.1%" in found, found


def test_a_factor_that_falls_is_a_result_that_got_worse(nlp: Language) -> None:
    found = values(nlp, "- FooServe 实现 5.33× 解码加速；去掉预取后加速比从 5.33× → 4.50×。")
    assert "5.33x" in found and "4.5x" not in found, found
    rising = values(nlp, "- 随着上下文增长，FooServe 的训练加速上升（1.08× → 1.17×）。")
    assert "1.17x" in rising, rising


@pytest.mark.parametrize(
    "body",
    [
        "- 在 EuroSAT 上 FooServe 的 RMSE 比 FedProx 低约 1.62×，MAE 低 2.54×。",
        "- FooServe 的 MSE 下降 4 倍，FID 提升 11.7%。",
        "- FooServe 的 hit@1 是第二名的 1.48 倍。",
        "- FooServe 的 TPF（Tokens Per Forward pass）提升 53%。",
        "- 二者结合使每次迭代接受的 token 数提升 4.5×。",
        "- FooServe 的条件数改善高达 415×。",
    ],
)
def test_quality_errors_and_algorithmic_counts_are_no_claims(nlp: Language, body: str) -> None:
    assert values(nlp, body + "\n- FooServe 的解码吞吐提升 2.2 倍。") == ["2.2x"]


@pytest.mark.parametrize(
    "body",
    [
        "- FooServe-7B 在多项推理基准上匹配或超越 2–7 倍参数的大模型。",
        "- 对比 GPT-OSS-120B（8× 更大模型）。",
        "- 其性能接近于大 10-30 倍的 MoE 前沿系统。",
        "- FooServe matches models 5x larger on every benchmark.",
    ],
)
def test_how_much_larger_a_compared_model_is_is_no_claim(nlp: Language, body: str) -> None:
    assert values(nlp, body + "\n- FooServe 的解码吞吐提升 2.2 倍。") == ["2.2x"]


def test_a_smaller_model_of_the_method_is_still_a_claim(nlp: Language) -> None:
    assert values(nlp, "- FooServe 的模型 4.3× 更小，推理 3.0× 更快。") == ["4.3x", "3x"]


@pytest.mark.parametrize(
    "body",
    [
        "- 在高达 82% 压缩率下，FooServe 仍保持接近全精度性能。",
        "- 基线在 40% 压缩后开始退化。",
        "- 在 50% 和 70% 的低压缩比下，FooServe 性能略优。",
        "- 压缩目标：参数压缩率 ≥80%。",
        "- | Energy @ 20x 到达率 | 2.5M kJ | 3.1M kJ |",
        "- FooServe stays accurate at 90% sparsity.",
    ],
)
def test_a_compression_or_load_setting_is_no_claim(nlp: Language, body: str) -> None:
    assert values(nlp, body + "\n- FooServe 的解码吞吐提升 2.2 倍。") == ["2.2x"]


def test_a_result_at_a_compression_setting_is_still_a_claim(nlp: Language) -> None:
    found = values(nlp, "- 在 80% 压缩比下，FooServe 实现 1.86 倍的推理加速，显存减少 4× 压缩。")
    assert "1.86x" in found and "80%" not in found, found


@pytest.mark.parametrize(
    "body",
    [
        "- critic 学习率需为 actor 的 5–10 倍。",
        "- 尽管 Heun 使用更大的时间步长（5倍于 Euler），误差更低。",
        "- 最佳 weight multiplier (α) 为 2×。",
        "- 峰值学习率经过调优，采用 10% 暖启动。",
    ],
)
def test_a_hyperparameter_ratio_is_no_claim(nlp: Language, body: str) -> None:
    assert values(nlp, body + "\n- FooServe 的解码吞吐提升 2.2 倍。") == ["2.2x"]


def test_the_second_value_of_a_versus_is_the_compared_figure(nlp: Language) -> None:
    found = values(nlp, "- LLaVA-7B：FooServe 解码加速提升 10%（2.35× vs 2.13×）。")
    assert "2.35x" in found and "2.13x" not in found, found
    table = values(nlp, "| 设置 | 加速 |\n|---|---|\n| FooServe vs 贪心 | 4.60× vs 3.65× |")
    assert "4.6x" in table and "3.65x" not in table, table


@pytest.mark.parametrize(
    ("body", "kept", "dropped"),
    [
        ("- FooServe 达到 2.84× 解码加速，超过 EAGLE-3（2.27×）约 25%。", ["2.84x"], ["2.27x"]),
        ("- FooServe 在 CNN/DM 上达到 2.30× 加速，远超 EAGLE-3 的 1.95×。", ["2.3x"], ["1.95x"]),
        ("- FooServe 实现 3.36x 的速度提升（InfLLMv2 为 3.10x）。", ["3.36x"], ["3.1x"]),
    ],
)
def test_a_compared_methods_own_figure_is_no_claim(
    nlp: Language, body: str, kept: list[str], dropped: list[str]
) -> None:
    found = values(nlp, body)
    assert set(kept) <= set(found), found
    assert not set(dropped) & set(found), found


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        ("- FooServe 吞吐是 vLLM 的 2–3.6×。", "2x"),
        ("- FooServe 吞吐远超 SGLang（3.2×）。", "3.2x"),
    ],
)
def test_a_figure_after_a_compared_method_alone_is_the_gain_over_it(
    nlp: Language, body: str, kept: str
) -> None:
    assert kept in values(nlp, body)


@pytest.mark.parametrize(
    "body",
    [
        "- 端到端训练（Qwen3-8B，8x H100）：",
        "- GPU：8× AMD Instinct MI300X。",
        "- 使用 8 GPU 时，吞吐接近单卡的 8 倍。",
        "- 从单 GPU 到 8 GPU 实现了 4.45× 的吞吐量提升。",
    ],
)
def test_more_hardware_is_no_gain_of_the_method(nlp: Language, body: str) -> None:
    assert values(nlp, body + "\n- FooServe 的解码吞吐提升 2.2 倍。") == ["2.2x"]


def test_a_factor_before_a_number_format_is_no_chip_count(nlp: Language) -> None:
    assert "3x" in values(nlp, "- FooServe 的 FP16 吞吐接近 3× FP64 基线。")


@pytest.mark.parametrize(
    "body",
    [
        "- 基线的训练时间最长，约为 FooServe 的 4–10 倍。",
        "- 通信开销仅比基线高 1.19×，新增开销极小。",
        "- JVM 实现消耗 10–50× 更多内存。",
        "- batch-split attention 的延迟几乎是正常 attention 的 3 倍。",
    ],
)
def test_more_time_memory_or_overhead_is_a_result_that_got_worse(nlp: Language, body: str) -> None:
    assert values(nlp, body + "\n- FooServe 的解码吞吐提升 2.2 倍。") == ["2.2x"]


def test_a_speed_that_is_a_multiple_of_the_baselines_is_a_gain(nlp: Language) -> None:
    assert values(nlp, "- FooServe 的解码吞吐是 vLLM 的 3 倍，延迟降低为 vLLM 的 40%。")[0] == "3x"


def test_a_latex_dollar_is_no_price(nlp: Language) -> None:
    """'$' is a cost cue only before a number ("$0.23"): LaTeX math ("$e^{-t}$", "$T=200$") is none."""
    assert values(nlp, "- 在 $T=200$ 时，FooServe 的累计后悔降低约 30%。") == []
    assert values(nlp, "- FooServe 每百万 token 的费用从 $2.0 降低 40%。") == ["40%"]


def test_a_number_in_code_or_math_is_no_factor(nlp: Language) -> None:
    body = "- 对 `F(x)=sin(3x)/(1+x²)` 拟合，方程 $x^4 - 5x^2$ 收敛。\n- FooServe 的解码吞吐提升 2.2 倍。"
    assert values(nlp, body) == ["2.2x"]


def test_the_share_of_parameters_trained_is_a_setting(nlp: Language) -> None:
    body = (
        "- FooServe 仅更新 0.02%~3.5% 的参数即可超过全量微调。\n- 较全参数更新，通信量减少 98.5%。"
    )
    assert values(nlp, body) == ["98.5%"]


def test_a_drop_that_an_ablation_causes_is_no_claim(nlp: Language) -> None:
    body = "- 移除记忆交错导致平均性能下降 5.3%。\n- FooServe 的解码吞吐提升 2.2 倍。"
    assert values(nlp, body) == ["2.2x"]


def test_block_efficiency_is_an_algorithmic_count(nlp: Language) -> None:
    body = "- FooServe 的块效率提高了 +0.50 (+7.5%)，解码加速比提高 17.1%。"
    assert values(nlp, body) == ["17.1%"]


def test_a_bracketed_sweep_of_bare_values_is_settings(nlp: Language) -> None:
    body = (
        "- deadline = 干扰自由下的 TTFT × {2×, 4×, 8×}，松弛因子 (1x, 1.5x, 2x)。\n"
        "- FooServe 的解码吞吐提升 2.2 倍。"
    )
    assert values(nlp, body) == ["2.2x"]


def test_a_speed_up_from_more_workers_is_no_claim(nlp: Language) -> None:
    body = "- 在 16 线程下实现最高 11 倍加速。\n- 在 6 线程时 FooServe 比 Rayon 快 20%。"
    assert values(nlp, body) == ["20%"]


def test_a_restatement_that_names_a_component_is_the_same_claim(nlp: Language) -> None:
    """The same 3x said of the paper (FooServe) and of one of its parts (FooKernel) is one claim:
    a restatement's method is no second fact (ANNOTATION.md, repeated statements)."""
    body = (
        "FooServe 提出 **FooKernel** 与 **FooSched**。\n"
        "- **FooKernel** 实现 3× 推理加速。\n"
        "- FooServe 最终实现 3× 推理加速，并降低 40% 内存。"
    )
    assert sorted(values(nlp, body)) == ["3x", "40%"]


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        (
            "- FooServe 的注意力计算阶段最高提速 **1.78×**。\n- 显著降低 attention 开销（up to 1.78×）",
            "1.78x",
        ),
        ("- FooServe 实现 **4× 权重存储压缩**。\n- FooServe 将内存占用降低 4×。", "4x"),
        (
            "- FooServe 实现 **61% KV Cache 压缩**。\n- KV Cache 内存从 8.00 GB 降至 3.12 GB，减少 61%。",
            "61%",
        ),
    ],
)
def test_a_restatement_as_an_overhead_or_a_stored_size_is_the_same_claim(
    nlp: Language, body: str, kept: str
) -> None:
    """An overhead says no quantity of its own, and a size, parameters and memory are one kind of
    quantity: the same value stated again that way is one claim."""
    assert values(nlp, body) == [kept]


def test_the_same_value_of_two_kinds_of_metric_is_two_claims(nlp: Language) -> None:
    body = "- FooServe 将平均延迟降低约 30%。\n- 较 on-demand 实例节省 30% 成本。"
    assert values(nlp, body) == ["30%", "30%"]


@pytest.mark.parametrize(
    ("body", "kept", "dropped"),
    [
        ("- FooServe 达到 3.2× 加速，远超 Barnet（2.1×）。", ["3.2x"], ["2.1x"]),
        ("- FooServe 快 2.5×，高于 Qux-A（1.8×）和 Qux-B（1.6×）。", ["2.5x"], ["1.8x", "1.6x"]),
        ("- FooServe 平均加速比达 4.1×（vs Barnet 的 2.9×）。", ["4.1x"], ["2.9x"]),
        ("- FooServe 相比 Barnet（1.7×）吞吐再提升 12%。", ["12%"], ["1.7x"]),
        ("- FooServe 吞吐远超 Barnet（3–4×）。", ["3-4x"], []),
    ],
)
def test_a_factor_alone_in_parentheses_after_a_compared_name_is_that_ones(
    nlp: Language, body: str, kept: list[str], dropped: list[str]
) -> None:
    """'远超 X（2.1×）' beside the paper's own figure: X's figure; alone in its sentence, the gain."""
    found = [
        f"{c.value:g}{'-' + format(c.value_max, 'g') if c.value_max else ''}{c.unit}"
        for c in claims(nlp, body)
    ]
    assert set(kept) <= set(found), found
    assert not set(dropped) & set(found), found


def test_a_negative_percentage_is_a_gain_of_a_measure_better_lower(nlp: Language) -> None:
    """'显存 -38%' is a reduction (a gain); '-5%' of a throughput or a score is worse."""
    body = (
        "| 方法 | 显存 | 吞吐 | 准确率 |\n|---|---|---|---|\n| FooServe | -38% | -5% | -1.2% |\n\n"
        "- 虽有轻微性能下降（-1.9%），但 FooServe 的成本明显降低。"
    )
    found = {(c.value, c.metric, c.direction) for c in claims(nlp, body)}
    assert found == {(38.0, "memory", "decrease")}, found


def test_a_negative_speed_up_is_a_result_that_got_worse(nlp: Language) -> None:
    """'负加速（+6.7% 耗时）', '-13%（反而更多）': worse, not a gain; the entry's gain stays."""
    body = (
        "- FooServe 的解码吞吐提升 2.2 倍。\n"
        "- 在大模型上出现负加速（+6.7% 解码时间）。\n"
        "| 方法 | token 变化 |\n|---|---|\n| FooServe-S | -13%（反而更多） |"
    )
    assert values(nlp, body) == ["2.2x"]


@pytest.mark.parametrize(
    "body",
    [
        "- FooServe 的显存仅为 Barnet 的 60.4%，吞吐提升 2.2 倍。",
        "- FooServe 将 KV cache 存储降至原始的 5%，吞吐提升 2.2 倍。",
        "- 激活通信减少至原来的 ~27%，吞吐提升 2.2 倍。",
    ],
)
def test_the_share_left_of_the_compared_one_is_no_change(nlp: Language, body: str) -> None:
    """'降至原始的 5%': the level left (the change is 95%), not a claim; the gain stays."""
    assert values(nlp, body) == ["2.2x"]


def test_a_factor_reached_is_a_claim_a_percentage_reached_a_level(nlp: Language) -> None:
    """'加速比从 2.6x 提升到 3.9x': 3.9x is the method's factor (already relative to the compared
    one); 'GPU 利用率提升至 92%' is a level reached."""
    body = "- FooServe 的加速比从 2.6x 提升到 3.9x。\n- GPU 利用率提升至 92%，吞吐提升 20%。"
    assert values(nlp, body) == ["3.9x", "20%"]
