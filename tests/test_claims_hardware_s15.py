"""Claim hardware and HARDWARE entities, session 15: spellings of a part the text writes whole,
on made-up text through the real pipeline."""

from __future__ import annotations

import pytest
import spacy
from entry_claims import paper_of
from spacy.language import Language

from techclaims.ingest.canonical import canonical, clean
from techclaims.ingest.nlp.regex_entities import RegexEntities


@pytest.fixture(scope="module")
def finder() -> RegexEntities:
    ruler = RegexEntities(spacy.blank("xx"))
    ruler.initialize()
    return ruler


def _hardware_found(finder: RegexEntities, text: str) -> list[str]:
    """The hardware names found, less those inside a longer one (the longer match wins)."""
    spans = [(s, e) for s, e, label, _ in finder.find(text) if label == "HARDWARE"]
    return sorted(
        text[s:e]
        for s, e in spans
        if not any(a <= s and e <= b and (a, b) != (s, e) for a, b in spans)
    )


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        # a bracket the name opens and closes is part of it
        ("NVIDIA Foo X(Bar)", "NVIDIA Foo X(Bar)"),
        ("Foo 9000 (32GB)", "Foo 9000 (32GB)"),
        ("Foo 9000（32GB）", "Foo 9000（32GB）"),
        # brackets around the whole mention, or one left open, are not
        ("(FooServe)", "FooServe"),
        ("**FooServe (ours**", "FooServe (ours"),
        ("FooServe)", "FooServe"),
    ],
)
def test_clean_keeps_a_closing_bracket_the_name_opened(surface: str, name: str) -> None:
    assert clean(surface) == name


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # NVIDIA's TITAN cards written with their generation in brackets
        ("3 台服务器，每台 8 块 NVIDIA TITAN X(Pascal) GPU", ["NVIDIA TITAN X(Pascal)"]),
        ("on a TITAN X (Maxwell) card", ["TITAN X (Maxwell)"]),
        ("on a TITAN X card", ["TITAN X"]),
        # a part number after the vendor's name, whatever its number
        ("| **硬件平台** | 单张 NVIDIA Q30Z GPU |", ["NVIDIA Q30Z"]),
        ("NVIDIA GB10 与 NVIDIA H100", ["NVIDIA GB10", "NVIDIA H100"]),
        # the vendor's name before no part number is no part
        ("NVIDIA Nemotron 与 NVIDIA NIM", []),
    ],
)
def test_a_part_written_by_its_vendor_and_number(
    finder: RegexEntities, text: str, names: list[str]
) -> None:
    assert _hardware_found(finder, text) == names


def test_a_claim_takes_the_setup_part_spelt_with_its_generation(nlp: Language) -> None:
    body = (
        "### 实验设置\n- **硬件环境**：8 块 NVIDIA TITAN X(Pascal) GPU\n\n"
        "### 结果\n- FooServe 吞吐提升 2.5 倍。"
    )
    paper = paper_of(nlp, body)
    parts = {e.name: e.aliases for e in paper.entities if e.type == "HARDWARE"}
    assert list(parts) == ["TITAN X(Pascal)"]
    assert "NVIDIA TITAN X(Pascal)" in parts["TITAN X(Pascal)"]
    assert [(c.value, c.hardware) for c in paper.claims] == [(2.5, "TITAN X(Pascal)")]


def test_a_claim_takes_a_part_only_its_vendor_and_number_name(nlp: Language) -> None:
    body = (
        "### 实验设置\n| 项目 | 配置 |\n|---|---|\n| **硬件平台** | 单张 NVIDIA Q30Z GPU |\n\n"
        "### 结果\n- FooServe 吞吐提升 2.5 倍。"
    )
    paper = paper_of(nlp, body)
    assert [e.name for e in paper.entities if e.type == "HARDWARE"] == ["Q30Z"]
    assert [(c.value, c.hardware) for c in paper.claims] == [(2.5, "Q30Z")]


def test_a_cheaper_device_is_no_device_compared_with(nlp: Language) -> None:
    # "较便宜的" is "the cheaper": a degree of an adjective, not "compared with"
    body = (
        "- 在单块 **NVIDIA A100 GPU** 上：\n  - FooServe 达到 **1500× 的加速比**\n"
        "- 在较便宜的 **T4 GPU** 上仍可达 **250× 加速**"
    )
    paper = paper_of(nlp, body)
    assert [(c.value, c.hardware) for c in paper.claims] == [(1500.0, "A100"), (250.0, "T4")]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # an Ascend part by its number before NPU, a Jetson module without Jetson
        ("| 910B NPU | +7.3% |", ["910B"]),
        ("| Baseline | AGX Orin | 1.25 |", ["AGX Orin"]),
        ("910 元，910B 型号", []),
        # Quadro workstation cards; a phone's series number written without a space
        ("GPU: NVIDIA Quadro RTX 6000", ["NVIDIA Quadro RTX 6000"]),
        ("单张 Quadro P1000", ["Quadro P1000"]),
        ("在 OnePlus Ace5 Pro 上", ["OnePlus Ace5 Pro"]),
    ],
)
def test_parts_written_without_their_family_or_by_their_line(
    finder: RegexEntities, text: str, names: list[str]
) -> None:
    assert _hardware_found(finder, text) == names


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        ("910B", "Ascend 910B"),
        ("910A NPU", "Ascend 910A"),
        ("AGX Orin", "Jetson AGX Orin"),
        ("NVIDIA Jetson AGX Orin", "Jetson AGX Orin"),
        ("910Z", "910Z"),
    ],
)
def test_a_part_without_its_family_is_the_listed_part(surface: str, name: str) -> None:
    assert canonical("HARDWARE", surface).name == name


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a part after its generation's name; an architecture's SM number is no part
        ("on NVIDIA Blackwell B200 GPUs", ["NVIDIA Blackwell B200"]),
        ("Ampere SM86 架构", []),
        # a trademark mark inside the name
        ("CPU: AMD EPYC™ 9684X", ["AMD EPYC™ 9684X"]),
        ("Intel(R) Xeon(R) Platinum 8480+", ["Intel(R) Xeon(R) Platinum 8480+"]),
        ("AMD Radeon(TM) 780M 集显", ["AMD Radeon(TM) 780M"]),
    ],
)
def test_parts_written_with_their_generation_or_a_trademark(
    finder: RegexEntities, text: str, names: list[str]
) -> None:
    assert _hardware_found(finder, text) == names


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        ("NVIDIA Blackwell B200", "B200"),
        ("Hopper H100", "H100"),
        ("AMD Radeon(TM) 780M", "Radeon 780M"),
        ("Intel® Xeon® Gold 6430", "Xeon Gold 6430"),
    ],
)
def test_the_generation_and_a_trademark_are_no_part_of_the_name(surface: str, name: str) -> None:
    assert canonical("HARDWARE", surface).name == name


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # the vendor before a data-centre part with its memory: the whole is one name
        ("| **硬件平台** | 单张 NVIDIA A100 80G GPU |", ["NVIDIA A100 80G"]),
        ("8x NVIDIA H800 SXM5 GPU", ["NVIDIA H800 SXM5"]),
        # and before a plural, as without the vendor
        ("8 NVIDIA A100s", ["NVIDIA A100s"]),
        ("8 A100s", ["A100s"]),
        # a Snapdragon number with its G
        ("Snapdragon 750G, 12GB RAM", ["Snapdragon 750G"]),
    ],
)
def test_the_vendor_before_a_data_centre_part_and_its_memory(
    finder: RegexEntities, text: str, names: list[str]
) -> None:
    assert _hardware_found(finder, text) == names


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        ("NVIDIA A100 80G", "A100-80GB"),
        ("A100 80G", "A100-80GB"),
        ("Snapdragon 750G", "Snapdragon 750G"),
        ("NVIDIA A100s", "A100"),
    ],
)
def test_a_memory_size_without_its_b_is_gigabytes(surface: str, name: str) -> None:
    assert canonical("HARDWARE", surface).name == name
