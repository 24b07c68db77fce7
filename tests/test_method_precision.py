"""METHOD precision: generic words, textbook concepts, reference setups and numbered parts
that the name rules must not give as METHODs (ANNOTATION.md: generic terms, textbook
algorithms, reference setups), while the paper's own names beside them stay."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from techclaims.ingest.nlp.coined import CoinedNames


def methods(doc: Doc) -> list[str]:
    return [e.text for e in doc.ents if e.label_ == "METHOD"]


@pytest.mark.parametrize(
    ("text", "generic", "name"),
    [
        (
            "## ZetaSched: bar\n- 本文提出 **ZetaSched**，将调度建模为马尔可夫决策过程（MDP）求解。\n",
            "MDP",
            "ZetaSched",
        ),
        (
            "## QuuxVAE: bar\n- 本文提出 **QuuxVAE**，推导出基于证据下界 (ELBO) 的目标函数。\n",
            "ELBO",
            "QuuxVAE",
        ),
        (
            "## ZetaKV: bar\n- 本文提出 **ZetaKV**，与 FullKV 相比吞吐提升 2.1x。\n",
            "FullKV",
            "ZetaKV",
        ),
    ],
)
def test_textbook_concepts_and_reference_setups_are_not_methods(
    nlp: Language, text: str, generic: str, name: str
) -> None:
    _generic_beside_a_proposal(nlp, text, generic, name)


def _generic_beside_a_proposal(nlp: Language, text: str, generic: str, name: str) -> None:
    """The entry's proposed `name` is a method and the stop-listed `generic` is not."""
    found = methods(nlp(text))
    assert name in found
    assert generic not in found


_PARTS = (
    "## ZetaAlign: bar\n### 核心方法\nZetaAlign 包括以下部分：\n"
    "- **Phase I（搜索阶段）**：学习如何部署。\n"
    "- **Stage One（梯度优化）**：仅对输入激活联合优化。\n"
    "- **Module 2: Weight Averaging（权重平均）**\n"
    "- **网格搜索（Grid Search）**：作为对照的调参方式。\n"
    "- **控制平面（Control Plane）**：调度请求。\n"
)


@pytest.mark.parametrize("part", ["Phase I", "Stage One", "Module 2"])
def test_a_numbered_part_is_not_a_method(nlp: Language, part: str) -> None:
    assert part not in methods(nlp(_PARTS))


@pytest.mark.parametrize("generic", ["Grid Search", "Control Plane"])
def test_a_glossed_textbook_term_is_not_a_method(nlp: Language, generic: str) -> None:
    found = methods(nlp(_PARTS))
    assert "ZetaAlign" in found and "Weight Averaging" in found  # the list's names stay
    assert generic not in found


def test_whole_name_generic_words_still_build_names(nlp: Language) -> None:
    """A plain word or textbook term (Tree, Chain) is generic alone; a phrase made of
    such words is not generic for that, as one made only of topic words is."""
    coined = nlp.get_pipe("techclaims_coined_names")
    assert isinstance(coined, CoinedNames)
    assert coined.is_generic("Tree")
    assert coined.is_generic("grid search")
    assert not coined.is_generic("Chain Tree")
    assert coined.is_generic("Speculative Decoding")  # topic words: still generic together


def test_a_numbered_statement_or_appendix_is_not_a_method(nlp: Language) -> None:
    text = (
        "## ZetaAlign: bar\n### 核心方法\n本文提出 **ZetaAlign**。\n"
        "- **Takeaway 1（发现一）**：对齐有效。\n"
        "- **Appendix D.2（附录）**：证明细节。\n"
        "- **Method B（对照方法）**：作为比较。\n"
    )
    assert methods(nlp(text)) == ["ZetaAlign", "ZetaAlign"]


@pytest.mark.parametrize(
    ("rows", "absent"),
    [
        ("| **FIXED_E=16** | 更差 |\n| **ZetaMoE** | 更好 |\n", "FIXED_E=16"),  # a setting
        ("| -Depth | 4.13× |\n| ZetaMoE | 6.84× |\n", "-Depth"),  # an ablation's removed part
    ],
)
def test_a_setting_or_an_ablated_part_is_not_a_method(
    nlp: Language, rows: str, absent: str
) -> None:
    text = f"## ZetaMoE: bar\n- 本文提出 **ZetaMoE**。\n| 方法 | 结果 |\n|---|---|\n{rows}"
    found = methods(nlp(text))
    assert "ZetaMoE" in found
    assert absent not in found


@pytest.mark.parametrize(
    ("text", "generic", "name"),
    [
        (  # a textbook algorithm the method uses
            "## ZetaDedup: bar\n- 本文提出 **ZetaDedup**。\n- **MinHash + LSH 去重**：去除重复。\n",
            "MinHash",
            "ZetaDedup",
        ),
        (  # a data set
            "## ZetaLM: Tiny Language Models\n- 本文提出 **ZetaLM**。\n"
            "  1. **语言预训练**：next-token prediction，使用 TinyStories 数据。\n"
            "  2. 对比 TinyStories 上的 ZetaLM 与基线。\n",
            "TinyStories",
            "ZetaLM",
        ),
    ],
)
def test_textbook_algorithms_and_data_sets_are_not_methods(
    nlp: Language, text: str, generic: str, name: str
) -> None:
    _generic_beside_a_proposal(nlp, text, generic, name)


def test_an_acronym_of_a_generic_term_is_generic_too(nlp: Language) -> None:
    """The long form is on the stop list; its acronym, defined beside it, goes with it,
    while an acronym of a coined long form stays."""
    generic = (
        "## ZetaOpt: bar\n"
        "- 本文提出 **ZetaOpt**，一种零样本多目标优化（Multi-Objective Optimization, MOO）框架。\n"
        "- 支持使用代理集成 + MOO 而非加权融合。\n"
    )
    assert "MOO" not in methods(nlp(generic))
    coined = (
        "## ZetaAttn: bar\n"
        "- 本文提出 **ZetaAttn**，结合稀疏注意力（ZetaQuux Attention, ZQA）。\n- ZQA 降低开销。\n"
    )
    assert "ZQA" in methods(nlp(coined))
