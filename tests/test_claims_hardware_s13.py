"""Claim hardware, session 13: a GeForce card written by its number alone ("8x 3090", "NVIDIA
5090") is a device of the entry, on made-up text through the real pipeline."""

from __future__ import annotations

import pytest
import spacy
from entry_claims import claims, paper_of
from spacy.language import Language

from techclaims.ingest.canonical import canonical
from techclaims.ingest.nlp.regex_entities import RegexEntities


@pytest.fixture(scope="module")
def finder() -> RegexEntities:
    ruler = RegexEntities(spacy.blank("xx"))
    ruler.initialize()
    return ruler


def hardware_found(finder: RegexEntities, text: str) -> list[str]:
    return sorted(text[s:e] for s, e, label, _ in finder.find(text) if label == "HARDWARE")


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("单张 NVIDIA 5090（32GB）GPU", ["NVIDIA 5090"]),
        ("1台8x 3080Ti，1台8x 3090", ["3080Ti", "3090"]),
        ("在 RTX 4090 / 5090 GPU 上", ["5090"]),  # the series is in the list's first item
        ("两块 3090 显卡", ["3090"]),
        # numbers that are no device: a year, a resolution, a time, a size, an image width
        ("2025 年的 1080p 视频", []),
        ("PBG（3060s）", []),
        ("| Gemma3-270M | 5060 MB |", []),
        ('<img width="1070">', []),
        ("共 3090 个样本", []),
    ],
)
def test_a_geforce_number_is_a_device_only_in_context(
    finder: RegexEntities, text: str, names: list[str]
) -> None:
    assert [n for n in hardware_found(finder, text) if "RTX" not in n] == names


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        ("3090", "RTX 3090"),
        ("NVIDIA 5090", "RTX 5090"),
        ("3080Ti", "RTX 3080 Ti"),
        ("1080", "GTX 1080"),
    ],
)
def test_a_geforce_number_is_the_card_the_list_knows(surface: str, name: str) -> None:
    assert canonical("HARDWARE", surface).name == name


def test_a_number_that_is_no_card_stays_itself() -> None:
    assert canonical("HARDWARE", "2025").name == "2025"


def test_the_number_and_the_full_name_are_one_device(nlp: Language) -> None:
    body = (
        "### 实验设置\n- **硬件**：NVIDIA RTX 4090（24GB）；多卡实验使用 8x 4090 服务器\n\n"
        "### 结果\n- FooServe 吞吐提升 2.5 倍。"
    )
    paper = paper_of(nlp, body)
    devices = [e for e in paper.entities if e.type == "HARDWARE"]
    assert [d.name for d in devices] == ["RTX 4090"]
    assert [(c.value, c.hardware) for c in paper.claims] == [(2.5, "RTX 4090")]


def test_a_second_card_by_number_says_not_which(nlp: Language) -> None:
    # the setup names two devices, one by its number alone: rule 4, not the A100's
    body = (
        "### 实验设置\n- **硬件**：A100 服务器与单张 NVIDIA 5090 GPU\n\n"
        "### 结果\n- FooServe 吞吐提升 2.5 倍。"
    )
    assert [(c.value, c.hardware) for c in claims(nlp, body)] == [(2.5, None)]
