"""Where a claim's baseline comes from when its own clause names none (ANNOTATION.md rules 1-4), on
made-up entries through the real pipeline: a near cue before a bold name, a label that opens the
list item ("**对比 X**：") and the line that introduces a table, a table's baseline column and a
column compared against the paper's own method, and the one baseline the entry's setup lists."""

from __future__ import annotations

import pytest
from entry_claims import baselines, claims, hardware
from spacy.language import Language

# -- rule 1: the sentence, the row and its headers --------------------------------------------


def test_a_near_cue_reaches_a_bold_name(nlp: Language) -> None:
    # the markup is blanked before the cues are read: "比 **vLLM**" is "比   vLLM"
    assert baselines(nlp, "- FooServe 比 **vLLM** 快 **1.9×**。") == [(1.9, "vLLM")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("- FooServe 吞吐是 vLLM 的 **2.4 倍**。", "vLLM"),
        ("- FooServe 达到 SGLang 的 2–3.6× 吞吐。", "SGLang"),
        ("- FooServe 的吞吐达到 1.5 倍，SGLang 的一半内存。", None),  # no ratio of SGLang's
    ],
)
def test_a_ratio_of_a_names_measure_compares_with_it(
    nlp: Language, sentence: str, expected: str | None
) -> None:
    # "A 是 X 的 N 倍": X is what the factor is measured against
    assert [b for _, b in baselines(nlp, sentence)][:1] == [expected]


def test_a_number_format_compared_against_is_a_reference_setup_not_a_baseline(
    nlp: Language,
) -> None:
    # the model run at full precision: ANNOTATION.md, a claim against a reference setup has none
    body = (
        "FooQuant 研究 FP16 与 INT4 两种格式的推理。\n"
        "- FooQuant 比 FP16 基线快 **2.1×**。\n"
        "- FooQuant 比 vLLM 快 **1.3×**。"
    )
    title = "FooQuant: Fast FP16 and INT4 Inference"
    got = [(c.value, c.baseline) for c in claims(nlp, body, "FooQuant", title)]
    assert got == [(2.1, None), (1.3, "vLLM")]


def test_a_reference_setup_compared_against_is_no_baseline(nlp: Language) -> None:
    # FullKV keeps the whole cache: ANNOTATION.md, a reference setup, not a method
    body = (
        "FooKV 与 FullKV、H2O 和 SnapKV 进行比较。\n"
        "- 相比 FullKV，FooKV 吞吐提升 **3×**。\n"
        "- FooKV 比 SnapKV 快 **1.4×**。"
    )
    got = [(c.value, c.baseline) for c in claims(nlp, body, "FooKV", "FooKV: KV Cache Eviction")]
    assert got == [(3.0, None), (1.4, "SnapKV")]


def test_a_table_column_of_baselines_names_each_rows(nlp: Language) -> None:
    body = (
        "| 模型 | 对比对象 | TTFT |\n"
        "|------|----------|------|\n"
        "| Llama-2-7B | vLLM | ↓ 36.4% |\n"
        "| Llama-2-13B | SGLang | ↓ 50.9% |"
    )
    assert baselines(nlp, body) == [(36.4, "vLLM"), (50.9, "SGLang")]


def test_a_column_compared_against_the_papers_method_makes_the_row_the_baseline(
    nlp: Language,
) -> None:
    body = (
        "| 系统 | 延迟 (ms) | 能耗缩减倍数（vs FooServe） |\n"
        "|------|-----------|-----------------------------|\n"
        "| vLLM | 40.8 | 2.87× |\n"
        "| SGLang | 42.9 | 3.02× |"
    )
    assert baselines(nlp, body) == [(2.87, "vLLM"), (3.02, "SGLang")]


def test_a_row_of_a_table_that_compares_nothing_keeps_no_baseline(nlp: Language) -> None:
    body = "| 指标 | 结果 |\n|------|------|\n| 吞吐提升 | 2.5× |"
    assert baselines(nlp, body) == [(2.5, None)]


def test_the_one_other_method_of_a_method_column_is_no_baseline(nlp: Language) -> None:
    # each row is its own method's measurement; the factors are against the reference decoding
    body = "| 方法 | 加速比 |\n|---|---|\n| EAGLE-3 | 3.1× |\n| **FooSpec** | **4.3×** |\n"
    got = claims(nlp, body, "FooSpec", "FooSpec: Faster Speculative Decoding")
    assert [(c.value, c.baseline) for c in got] == [(3.1, None), (4.3, None)]


def test_a_number_compared_with_several_names_has_no_baseline(nlp: Language) -> None:
    # rule 4: the entry names several and does not say which one this number is against
    body = "FooServe 的吞吐相比 vLLM 和 SGLang 提升 1.8 倍。"
    assert baselines(nlp, body) == [(1.8, None)]


def test_numbers_paired_with_several_names_respectively_keep_theirs(nlp: Language) -> None:
    body = "FooServe 比 vLLM 和 SGLang 分别快 1.8 倍和 2.4 倍。"
    assert baselines(nlp, body) == [(1.8, "vLLM"), (2.4, "SGLang")]


# -- rule 2: the lead-in ------------------------------------------------------------------------


def test_a_comparison_label_leads_in_the_sentences_of_its_item(nlp: Language) -> None:
    body = "- **对比 SGLang**：FooServe 性能一致更高。在长上下文下吞吐提升高达 3.1 倍。"
    assert baselines(nlp, body) == [(3.1, "SGLang")]


def test_an_opening_and_closing_comparison_label_leads_in_its_sentence(nlp: Language) -> None:
    body = "- **与 SGLang 对比**：FooServe 在长上下文下吞吐提升 3.1 倍。"
    assert baselines(nlp, body) == [(3.1, "SGLang")]


def test_the_line_that_introduces_a_table_leads_in_its_rows(nlp: Language) -> None:
    body = (
        "在 Llama-2-7B 上以 vLLM 为基线逐步添加优化：\n\n"
        "| 优化阶段 | 平均提速 |\n"
        "|----------|----------|\n"
        "| + 算子融合 | **1.17×** |\n"
        "| + 异步调度 | **1.62×** |"
    )
    found = claims(nlp, body)
    assert [(c.value, c.baseline, c.model) for c in found] == [
        (1.17, "vLLM", "Llama-2-7B"),
        (1.62, "vLLM", "Llama-2-7B"),
    ]


def test_a_line_above_a_table_that_ends_without_a_colon_leads_in_nothing(nlp: Language) -> None:
    body = (
        "作者也报告了以 vLLM 为基线的精度。\n\n"
        "| 优化阶段 | 平均提速 |\n"
        "|----------|----------|\n"
        "| + 算子融合 | **1.17×** |"
    )
    assert baselines(nlp, body) == [(1.17, None)]


def test_a_label_that_is_no_comparison_names_no_baseline(nlp: Language) -> None:
    body = "- **端到端性能**：FooServe 吞吐提升 3.1 倍，SGLang 作为后端。"
    assert baselines(nlp, body) == [(3.1, None)]


# -- rule 3: the setup lists exactly one baseline ---------------------------------------------


def test_the_one_baseline_of_the_setup_holds_for_a_claim_that_names_none(nlp: Language) -> None:
    body = (
        "### 基线方法对比\n"
        "- **vLLM**：主流 LLM 推理框架\n\n"
        "### 关键结果\n"
        "- FooServe 吞吐提升 2.1 倍。"
    )
    assert baselines(nlp, body) == [(2.1, "vLLM")]


def test_a_baseline_label_of_the_setup_with_one_name(nlp: Language) -> None:
    body = "- **对比基线**：vLLM\n\n另外，FooServe 吞吐提升 2.1 倍。"
    assert baselines(nlp, body) == [(2.1, "vLLM")]


def test_a_setup_that_lists_several_baselines_gives_none(nlp: Language) -> None:
    listed = "- **对比基线**：vLLM、SGLang\n\n另外，FooServe 吞吐提升 2.1 倍。"
    items = (
        "### 基线方法对比\n"
        "- **vLLM**：主流 LLM 推理框架\n"
        "- **Orca**：迭代级调度\n\n"
        "### 关键结果\n"
        "- FooServe 吞吐提升 2.1 倍。"
    )
    assert baselines(nlp, listed) == [(2.1, None)]
    assert baselines(nlp, items) == [(2.1, None)]


def test_a_heading_over_results_is_no_setup(nlp: Language) -> None:
    body = "### 与基线方法的对比结果\n- 在 vLLM 之上实现，FooServe 吞吐提升 2.1 倍。"
    assert baselines(nlp, body) == [(2.1, None)]


def test_a_claim_that_names_its_baseline_keeps_it_over_the_setups(nlp: Language) -> None:
    body = "- **对比基线**：vLLM\n\n另外，FooServe 比 SGLang 吞吐提升 2.1 倍。"
    assert baselines(nlp, body) == [(2.1, "SGLang")]


# -- rule 3 for the model: the entry's one model, unless it is named only in passing ----------


def test_a_model_the_entry_names_once_is_no_setting_of_its_claims(nlp: Language) -> None:
    body = "- 使用 GPT-4o 作为评审打分。\n- FooServe 吞吐提升 2.1 倍。"
    assert [(c.value, c.model) for c in claims(nlp, body)] == [(2.1, None)]


def test_a_model_the_entry_names_again_is_the_setting_of_its_claims(nlp: Language) -> None:
    body = (
        "- 实验模型为 Llama-2-7B。\n"
        "- 在 Llama-2-7B 的长上下文任务中表现稳定。\n"
        "- FooServe 吞吐提升 2.1 倍。"
    )
    assert [(c.value, c.model) for c in claims(nlp, body)] == [(2.1, "Llama-2-7B")]


@pytest.mark.parametrize(
    "label", ["模型", "测试模型", "Models", "主干模型", "Backbone LLM", "Base Model", "模型类型"]
)
def test_a_model_label_of_the_setup_names_the_claims_model(nlp: Language, label: str) -> None:
    # the entry names two models; the setup's model label names the one its numbers ran on
    body = f"- **{label}**：Llama-3-8B。\n- FooServe 吞吐提升 2.1 倍。\n- 未来计划支持 Qwen2.5-7B。"
    assert [(c.value, c.model) for c in claims(nlp, body)] == [(2.1, "Llama-3-8B")]


# -- rule 3 for the hardware: the setup's one platform ---------------------------------------


def test_a_hardware_label_of_the_setup_names_the_claims_hardware(nlp: Language) -> None:
    # "硬件条件" is a setup label as "硬件" is: the B200 of a limitation is no second setup
    body = (
        "- **硬件条件**：单张 NVIDIA H100 GPU。\n"
        "- FooServe 吞吐提升 2.5×。\n"
        "- 在 B200 上可能需要额外调优。"
    )
    assert hardware(nlp, body) == [(2.5, "H100")]


def test_a_label_that_only_mentions_hardware_is_no_setup(nlp: Language) -> None:
    body = (
        "- **硬件依赖性**：需要 NVIDIA H100 GPU。\n"
        "- FooServe 吞吐提升 2.5×。\n"
        "- 在 B200 上可能需要额外调优。"
    )
    assert hardware(nlp, body) == [(2.5, None)]


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        (
            "- **硬件平台**：NVIDIA RTX 4090（主平台），并在 RTX 5090、H20 上验证泛化性。",
            "RTX 4090",
        ),
        ("- **硬件**：主要在 RTX 6000 Ada 上进行。部分对比实验在 A100 上进行。", "RTX 6000 Ada"),
        ("- **硬件平台**：RTX 4090、RTX 5090、H20。", None),  # several, none the main one
        ("- **NVIDIA A100-80GB**（主测试平台）\n- **AMD MI300X**（用于验证正确性）", "A100-80GB"),
        ("- **主测试节点**：8× RTX 6000 Ada\n- **辅助测试**：RTX 5070 双卡节点", "RTX 6000 Ada"),
        ("- 主测 Jetson Orin Nano，另在 Raspberry Pi 5 上运行", "Jetson Orin Nano"),
    ],
)
def test_the_main_platform_of_a_setup_that_names_several(
    nlp: Language, setup: str, expected: str | None
) -> None:
    body = f"### 实验设置\n{setup}\n\n### 结果\n- FooServe 吞吐提升 2.5×。"
    assert hardware(nlp, body) == [(2.5, expected)]


def test_a_machine_and_the_accelerator_it_is_built_of_is_the_accelerator(nlp: Language) -> None:
    # as with a host CPU beside a GPU: the DGX H100 is measured on its H100s
    body = (
        "### 实验设置\n"
        "- **硬件平台**：NVIDIA DGX H100\n"
        "  - 单节点：8×H100 GPU（80GB HBM3）\n\n"
        "### 结果\n"
        "- FooServe 吞吐提升 2.5×。"
    )
    assert hardware(nlp, body) == [(2.5, "H100")]


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        (
            "- 主要平台：OnePlus 12（Adreno 750 GPU，16GB RAM）\n- 其他：Pixel 8、Xiaomi 14",
            "Adreno 750",
        ),
        ("- **设备**：Samsung Galaxy S24+\n- **SoC**：Exynos 2400", "Exynos 2400"),
        ("- **硬件**：4 台 AWS `p4de.24xlarge` 实例，每台含 8×NVIDIA A100 GPU", "A100"),
        # phones and a server on lines of their own: two setups, and the claim says not which
        ("- 移动端：Pixel 8a、Samsung Galaxy S23\n- 服务器端：NVIDIA A40 GPU", None),
    ],
)
def test_a_phone_or_instance_built_around_a_processor_named_with_it_is_the_processor(
    nlp: Language, setup: str, expected: str | None
) -> None:
    # as with a host CPU beside a GPU: the numbers are the SoC's or the instance's GPUs'
    body = f"### 实验平台\n{setup}\n\n### 结果\n- FooServe 吞吐提升 2.5×。"
    assert hardware(nlp, body) == [(2.5, expected)]


@pytest.mark.parametrize(
    ("named", "expected"),
    [
        ("Mamba", None),
        ("Mamba-2.8B", "Mamba-2.8B"),
        ("GPT-4o", None),  # served behind an API: the agent's or the judge's model
        ("GPT-4o-mini", None),
    ],
)
def test_the_setups_model_holds_only_when_it_is_a_model_one_runs(
    nlp: Language, named: str, expected: str | None
) -> None:
    # a family or an architecture without size or version is what the method works on
    body = (
        f"### 实验设置\n- **模型**：{named}。\n- 在 {named} 上验证长序列。\n\n"
        "### 结果\n- FooServe 吞吐提升 2.1 倍。"
    )
    assert [(c.value, c.model) for c in claims(nlp, body)] == [(2.1, expected)]


def test_a_hosted_model_named_by_the_claims_own_sentence_is_its_model(nlp: Language) -> None:
    body = (
        "### 实验设置\n- **模型**：GPT-4o。\n\n### 结果\n- 在 GPT-4o 上，FooServe 成本降低 2.1 倍。"
    )
    assert [(c.value, c.model) for c in claims(nlp, body)] == [(2.1, "GPT-4o")]


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("在 Llama-3-70B 上，FooServe 与内置机制互补。FooServe 吞吐提升 2.1 倍。", "Llama-3-70B"),
        ("FooServe 吞吐提升 2.1 倍。此外还支持 Llama-3-70B 的部署。", None),
    ],
)
def test_a_list_items_model_leads_in_only_the_sentences_after_it(
    nlp: Language, item: str, expected: str | None
) -> None:
    body = f"- {item}\n- 未来计划支持 Qwen2.5-7B。"
    assert [(c.value, c.model) for c in claims(nlp, body)] == [(2.1, expected)]


def test_a_family_named_by_the_claims_own_sentence_is_its_model(nlp: Language) -> None:
    body = "- 在 Mamba 上，FooServe 吞吐提升 2.1 倍。"
    assert [(c.value, c.model) for c in claims(nlp, body)] == [(2.1, "Mamba")]


# -- rule 1 for the setting: a table's column header is part of its row ------------------------


def test_a_column_header_names_the_hardware_of_its_numbers(nlp: Language) -> None:
    body = (
        "| 方法 | GH200 吞吐提升 | GB200 吞吐提升 |\n"
        "|------|----------------|----------------|\n"
        "| FooKernel | 1.27× | 1.18× |"
    )
    assert hardware(nlp, body) == [(1.27, "GH200"), (1.18, "GB200")]


def test_a_column_header_that_lists_several_hardware_names_none(nlp: Language) -> None:
    body = (
        "| 方法 | 平均加速比（RTX 3090 & 5090） |\n"
        "|------|------------------------------|\n"
        "| vs Synchronous | 2.18× |"
    )
    assert hardware(nlp, body) == [(2.18, None)]


# -- rule 4 for the model: a range or list of sizes names several models -----------------------


@pytest.mark.parametrize("models", ["OPT-30B/66B", "Llama-7B 至 30B", "Qwen-14B～32B"])
def test_a_model_named_with_more_sizes_is_several_models(nlp: Language, models: str) -> None:
    body = f"- 在 {models} 模型上，FooServe 吞吐提升 2.1 倍。"
    assert [(c.value, c.model) for c in claims(nlp, body)] == [(2.1, None)]


# -- rule 3: the setup's main model, and the hardware that ran the evaluation -----------------


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("- **硬件**：训练在 AMD MI300X 上进行，推理评估在 NVIDIA A100 上进行。", "A100"),
        ("- Inference：NVIDIA H100 ×8\n- Training：AMD Instinct MI250 ×4", "H100"),
        # testing the training's speed is training
        ("- **硬件**：RTX A6000 进行推理吞吐量测试，H200 进行训练效率测试。", "RTX A6000"),
        # both said to run the evaluation: the claim says not which
        ("- **硬件**：在 NVIDIA A100 和 H100 上进行推理测试。", None),
    ],
)
def test_a_setup_that_trains_on_one_hardware_measures_on_the_other(
    nlp: Language, setup: str, expected: str | None
) -> None:
    body = f"### 实验设置\n{setup}\n\n### 结果\n- FooServe 吞吐提升 2.5×。"
    assert hardware(nlp, body) == [(2.5, expected)]


def test_a_row_with_a_blank_first_cell_belongs_to_the_group_above(nlp: Language) -> None:
    # the model is written once for the rows under it, as a merged cell (rule 1: the row header)
    body = (
        "| Model | 方法 | Step Time ↓ |\n"
        "|-------|------|-------------|\n"
        "| **Qwen2.5-7B** | veRL | 132.6s |\n"
        "| | FooRL | **115.7s (-12.7%)** |\n"
        "| **Llama-3.1-8B** | veRL | 186.9s |\n"
        "| | FooRL | **172.2s (-7.9%)** |"
    )
    got = [(c.value, c.model) for c in claims(nlp, body, "FooRL", "FooRL: Fast RL Rollouts")]
    assert got == [(12.7, "Qwen2.5-7B"), (7.9, "Llama-3.1-8B")]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("| 方法 | Llama-3.1-70B（均值 / P90） |", "Llama-3.1-70B"),
        ("| 方法 | Llama-3.1-70B | Qwen3-32B |", None),  # several: the note says not which
    ],
)
def test_a_note_under_a_table_reads_the_tables_header(
    nlp: Language, header: str, expected: str | None
) -> None:
    # the note sums up the table it stands under: the header's one model is its setting
    body = (
        f"{header}\n"
        "|------|------|\n"
        "| vLLM | 162.67s |\n"
        "| **FooServe** | **115.08s** |\n\n"
        "> 📉 FooServe 将平均延迟降低约 30%。\n\n"
        "- 未来计划支持 Qwen2.5-7B。"
    )
    assert [(c.value, c.model) for c in claims(nlp, body)] == [(30.0, expected)]


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        ("FooAgent 的 token 消耗减少 38%。", "GPT-4o-mini"),  # the hosted model's own use
        ("FooAgent 的推理成本降低 38%。", "GPT-4o-mini"),
        ("FooAgent 的端到端延迟降低 38%。", None),  # the pipeline's, not a run of the model
    ],
)
def test_a_hosted_setup_model_is_the_setting_of_its_token_and_cost_savings(
    nlp: Language, result: str, expected: str | None
) -> None:
    body = (
        "### 实验设置\n- **模型**：GPT-4o-mini。\n- 在 GPT-4o-mini 上验证。\n\n"
        f"### 结果\n- {result}"
    )
    got = [(c.value, c.model) for c in claims(nlp, body, "FooAgent", "FooAgent: Cheap Agents")]
    assert got == [(38.0, expected)]


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        ("- FooGEMM 在 Intel CPU 上加速 2.5×。", "Xeon Platinum 8255C"),
        ("- FooGEMM 实现 2.5×（Ampere）的加速。", "RTX 3090"),
        ("- FooGEMM 实现 2.5×（Blackwell）的加速。", "RTX 5090"),
        ("- FooGEMM 在 GPU 上加速 2.5×。", None),  # no maker said: several named
    ],
)
def test_a_vendor_or_architecture_stands_for_the_one_hardware_it_makes(
    nlp: Language, result: str, expected: str | None
) -> None:
    body = (
        "### 实验设置\n"
        "- **GPU**：RTX 3090（Ampere 架构）、RTX 5090（Blackwell 架构）\n"
        "- **CPU**：Intel Xeon Platinum 8255C、AMD EPYC 9K84\n\n"
        f"### 结果\n{result}"
    )
    got = [(c.value, c.hardware) for c in claims(nlp, body, "FooGEMM", "FooGEMM: Fast GEMM")]
    assert got == [(2.5, expected)]
