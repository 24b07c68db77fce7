"""Claim hardware, session 14: which device of a setup a claim's number was measured on, on
made-up text through the real pipeline."""

from __future__ import annotations

import pytest
import spacy
from entry_claims import hardware, paper_of
from spacy.language import Language

from techclaims.ingest.canonical import canonical
from techclaims.ingest.nlp.regex_entities import RegexEntities


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


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        ("NVIDIA H100 80GB HBM3", "H100-80GB"),
        ("H100 80 GB HBM3", "H100-80GB"),
        ("H200 141GB HBM3e", "H200-141GB"),
        ("RTX 4090 24GB GDDR6X", "RTX 4090-24GB"),
    ],
)
def test_the_memory_type_after_its_size_is_the_same_part(surface: str, name: str) -> None:
    assert canonical("HARDWARE", surface).name == name


def test_a_part_named_with_its_memory_type_keeps_the_full_spelling(nlp: Language) -> None:
    # the text's full name is a spelling of the part: a claim's hardware named so matches it
    body = (
        "### 实验设置\n- **硬件**：单张 NVIDIA H100 80GB HBM3 GPU\n\n"
        "### 结果\n- FooServe 吞吐提升 2.5 倍。"
    )
    paper = paper_of(nlp, body)
    parts = {e.name: e.aliases for e in paper.entities if e.type == "HARDWARE"}
    assert list(parts) == ["H100-80GB"]
    assert "NVIDIA H100 80GB HBM3" in parts["H100-80GB"]
    assert [(c.value, c.hardware) for c in paper.claims] == [(2.5, "H100-80GB")]


def test_a_memory_word_without_a_size_is_not_the_part(nlp: Language) -> None:
    paper = paper_of(nlp, "- 在 H200 上，HBM 带宽占比 3%，FooServe 吞吐提升 2.5 倍。")
    assert [e.name for e in paper.entities if e.type == "HARDWARE"] == ["H200"]


@pytest.fixture(scope="module")
def finder() -> RegexEntities:
    ruler = RegexEntities(spacy.blank("xx"))
    ruler.initialize()
    return ruler


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # NVIDIA's workstation cards are numbered in 500s too, not only in 1000s
        ("硬件：NVIDIA RTX A4500 GPU", ["NVIDIA RTX A4500"]),
        ("单张 RTX PRO 4500 上推理", ["RTX PRO 4500"]),
        ("RTX A2000 与 RTX A5500", ["RTX A2000", "RTX A5500"]),
        # the vendor before a card the list does not know is part of its name
        ("NVIDIA GeForce RTX 4080 SUPER 上", ["NVIDIA GeForce RTX 4080 SUPER"]),
        ("RTX A450 不是显卡", []),
    ],
)
def test_workstation_cards_and_the_vendor_before_a_card(
    finder: RegexEntities, text: str, names: list[str]
) -> None:
    found = sorted(text[s:e] for s, e, label, _ in finder.find(text) if label == "HARDWARE")
    assert found == names
