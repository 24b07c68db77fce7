"""The setting of a measurement when the entry's setup names several devices or writes one device
several ways (ANNOTATION.md rules 2-4), on made-up entries through the real pipeline."""

from __future__ import annotations

import pytest
from entry_claims import claims, hardware, models, paper_of
from spacy.language import Language

from techclaims.ingest.canonical import canonical


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        # the control group's GPU is compared with; the host CPU (written without a space) is no
        # accelerator
        (
            "- **NPU**：Ascend 910B（搭载 Kunpeng920 CPU）\n- **GPU 对照组**：NVIDIA RTX A6000",
            "Ascend 910B",
        ),
        ("- **硬件**：8 × NVIDIA H20\n- **对比设备**：NVIDIA A100、RTX 4090", "H20"),
        # two left beside the reference: the setup says not which
        ("- **GPU**：NVIDIA H20、NVIDIA L40S\n- **对照组**：NVIDIA A100", None),
    ],
)
def test_a_reference_platform_of_the_setup_is_not_the_results_hardware(
    nlp: Language, setup: str, expected: str | None
) -> None:
    body = f"### 实验设置\n{setup}\n\n### 结果\n- FooServe 吞吐提升 2.5×。"
    assert hardware(nlp, body) == [(2.5, expected)]


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("NVIDIA GH200 Grace Hopper Superchip", "GH200"),
        ("Grace Hopper Superchip", "GH200"),
        ("GB200 Grace Blackwell", "GB200"),
        ("Ascend NPU", "Ascend"),
        ("Ascend NPUs", "Ascend"),
        ("Ascend 910B NPU", "Ascend 910B"),  # a part keeps its number
    ],
)
def test_one_device_written_several_ways_is_one_node(surface: str, expected: str) -> None:
    # the superchip's marketing name and a family's processor word name the same device
    assert canonical("HARDWARE", surface).name == expected


def test_a_setup_naming_the_superchip_both_ways_names_one_hardware(nlp: Language) -> None:
    body = (
        "### 实验设置\n- **硬件条件**：NVIDIA GH200 Grace Hopper Superchip，480 GB 内存。\n\n"
        "### 结果\n- FooServe 冷启动延迟降低 3.5 倍。"
    )
    assert hardware(nlp, body) == [(3.5, "GH200")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("- 在 Mistral、Zephyr 及 Llama-3-8B 上，FooServe 吞吐提升 2.5 倍。", None),
        ("- 在 Llama-3-8B 与 Foomodel 上，FooServe 吞吐提升 2.5 倍。", None),
        ("- 在 llama2/Qwen2.5-7B 上，FooServe 吞吐提升 2.5 倍。", None),
        ("- 在 Llama-3-8B 上，FooServe 吞吐提升 2.5 倍。", "Llama-3-8B"),
    ],
)
def test_a_model_listed_with_names_not_found_is_one_of_several(
    nlp: Language, sentence: str, expected: str | None
) -> None:
    # the NER found one item of a list of models: the sentence names several (rule 4)
    assert [(c.value, c.model) for c in claims(nlp, sentence)] == [(2.5, expected)]


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("- **模型：** 默认使用 Qwen3-8B，还测试了 Llama-3.2-1B、Mistral-7B。", "Qwen3-8B"),
        (
            "- **主模型**：Llama-3.1-8B-Instruct\n- **模型**：另在 Qwen2.5-7B 上验证。",
            "Llama-3.1-8B-Instruct",
        ),
        ("- 主要模型：Llama-3.1-8B-Instruct\n- 对照模型：Qwen2.5-7B", "Llama-3.1-8B-Instruct"),
        # several named, none marked: the setup says not which (rule 4)
        ("- **模型：** Qwen3-8B、Llama-3.2-1B、Mistral-7B。", None),
    ],
)
def test_the_setups_default_or_main_model_holds_for_claims_naming_none(
    nlp: Language, setup: str, expected: str | None
) -> None:
    body = f"### 实验设置\n{setup}\n\n### 结果\n- FooServe 吞吐提升 2.5×。"
    assert models(nlp, body) == [(2.5, expected)]


def test_a_setup_label_may_carry_an_aside_before_its_colon(nlp: Language) -> None:
    # "- **模型（LLM）**：X" labels the setup's model as "- **模型**：X" does (rule 3)
    body = (
        "FooServe 可用于 Qwen2.5-7B 等模型。\n\n"
        "- **模型（LLM）**：Llama-3.1-8B-Instruct\n\n"
        "- FooServe 吞吐提升 2.5×。"
    )
    assert models(nlp, body) == [(2.5, "Llama-3.1-8B-Instruct")]


@pytest.mark.parametrize(
    ("setup", "name", "spelling"),
    [
        ("8 × AMD Xilinx Alveo U280 FPGA，100GbE 互联", "Alveo U280", "AMD Xilinx Alveo U280 FPGA"),
        ("DCU Z100 异构平台", "DCU Z100", "DCU Z100"),
        ("256 张 NVIDIA Hopper GPU（80GB HBM3）", "Hopper GPU", "NVIDIA Hopper GPU"),
        ("5 台 AWS t2.medium 实例", "t2.medium", "AWS t2.medium"),
        ("AMD R7-7735H 笔记本", "R7-7735H", "AMD R7-7735H"),
        ("Intel i7-14700F 台式机", "i7-14700F", "Intel i7-14700F"),
        ("4 × AMD MI-325 GPU", "MI-325", "AMD MI-325"),
    ],
)
def test_hardware_written_by_part_family_or_instance_is_the_setups_hardware(
    nlp: Language, setup: str, name: str, spelling: str
) -> None:
    # a two-word vendor, a Hygon DCU part, a GPU named by its generation, a small cloud
    # instance, a Ryzen or Core written short and an Instinct with a hyphen are hardware,
    # spelt as the text writes them
    body = f"### 实验设置\n- **硬件平台**：{setup}\n\n### 结果\n- FooServe 吞吐提升 2.5×。"
    paper = paper_of(nlp, body)
    found = {e.name: {e.name, *e.aliases} for e in paper.entities if e.type == "HARDWARE"}
    assert name in found and spelling in found[name]
    assert [(c.value, c.hardware) for c in paper.claims] == [(2.5, name)]


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("- **模型：** 精度测试使用 Qwen3-8B 模型，性能评估使用 Qwen3-14B 模型。", "Qwen3-14B"),
        ("- **模型：** Qwen3-8B 用于准确率评估；Llama-3.1-8B 用于延迟测试。", "Llama-3.1-8B"),
        # both for speed: not said which
        ("- **模型：** Qwen3-8B 和 Qwen3-14B 用于延迟测试。", None),
    ],
)
def test_the_model_a_setup_names_for_speed_holds_beside_one_for_accuracy(
    nlp: Language, setup: str, expected: str | None
) -> None:
    body = f"### 实验设置\n{setup}\n\n### 结果\n- FooServe 吞吐提升 2.5×。"
    assert models(nlp, body) == [(2.5, expected)]
