"""Claim hardware, session 14: which device of a setup a claim's number was measured on, on
made-up text through the real pipeline."""

from __future__ import annotations

from entry_claims import hardware
from spacy.language import Language


def test_a_setup_row_labelled_training_sets_its_device_apart(nlp: Language) -> None:
    # the training platform made the model; the numbers are the other platform's (rule 3)
    body = (
        "### 实验设置\n| 项目 | 配置 |\n|---|---|\n"
        "| **硬件平台** | NVIDIA L40S GPUs（4 卡） |\n"
        "| **Training Platform** | 8×NVIDIA H200 GPUs, BF16 |\n\n"
        "### 结果\n- FooServe 吞吐提升 2.5 倍。"
    )
    assert hardware(nlp, body) == [(2.5, "L40S")]


def test_a_device_nested_under_a_training_item_is_set_apart(nlp: Language) -> None:
    body = (
        "### 实验设置\n- **训练细节**：\n  - 使用 4 张 A100 GPU\n"
        "- **推理部署**：单张 RTX 4090\n\n"
        "### 结果\n- FooServe 吞吐提升 2.5 倍。"
    )
    assert hardware(nlp, body) == [(2.5, "RTX 4090")]


def test_two_devices_neither_for_training_say_not_which(nlp: Language) -> None:
    body = (
        "### 实验设置\n| 项目 | 配置 |\n|---|---|\n"
        "| **硬件平台** | NVIDIA L40S GPUs |\n"
        "| **扩展实验** | NVIDIA H200 GPUs |\n\n"
        "### 结果\n- FooServe 吞吐提升 2.5 倍。"
    )
    assert hardware(nlp, body) == [(2.5, None)]
