"""METHOD precision, session 13: a method name that is only a piece of a longer hyphenated
word (``PPO-based``, ``Mini-SGLang``, ``DAPO-Math-17K``) is no mention of that method; the
same name standing alone, as the head of a version (``EAGLE-3``) or beside another name
(``GPTQ-NVFP4``) still is. A bold label alone on its line (``**业界存在哪些不足**``) opens a
part of the entry as a heading does: a name met only under a passing one is passing."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from techclaims.ingest.nlp.regex_entities import part_of_longer_word


def methods(doc: Doc) -> set[str]:
    return {e.text for e in doc.ents if e.label_ == "METHOD"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("训练数据：PPO-Quiz-12K 题库。", "PPO"),
        ("采用 PPO-style 的目标函数。", "PPO"),
        ("基于 Mini-SGLang 的一个分支实现。", "SGLang"),
        ("设置 q_vllm_rank=8。", "vllm"),
    ],
)
def test_a_piece_of_a_longer_word_is_no_mention(text: str, name: str) -> None:
    start = text.index(name)
    assert part_of_longer_word(text, start, start + len(name))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("我们使用 PPO 训练策略。", "PPO"),
        ("对比 EAGLE-3 与 Medusa。", "EAGLE"),
        ("即时 GPTQ-NVFP4 精度。", "GPTQ"),
        ("即时 GPTQ-NVFP4 精度。", "NVFP4"),
        ("部署于 vLLM（v0.8）之上。", "vLLM"),
    ],
)
def test_a_name_standing_alone_or_beside_a_name_is_kept(text: str, name: str) -> None:
    start = text.index(name)
    assert not part_of_longer_word(text, start, start + len(name))


def test_the_filter_drops_a_method_met_only_inside_a_longer_word(nlp: Language) -> None:
    doc = nlp(
        "## QuillTrain\n\n本文提出 QuillTrain，一种训练框架。\n\n"
        "- 训练数据：PPO-Quiz-12K 题库。\n- 推理引擎：基于 Mini-SGLang 的一个分支。\n"
    )
    found = methods(doc)
    assert "PPO" not in found
    assert "SGLang" not in found


def test_the_filter_keeps_the_same_names_standing_alone(nlp: Language) -> None:
    doc = nlp(
        "## QuillTrain\n\n本文提出 QuillTrain，一种训练框架。\n\n"
        "- 训练算法：PPO。\n- 推理引擎：SGLang 与 vLLM。\n"
    )
    assert {"PPO", "SGLang"} <= methods(doc)


LABELLED = """## QuillServe

**1. 场景与具体问题**

长对话推理需要反复传输缓存。

**2. 业界存在哪些不足**

Mooncake 与 LMCache 每轮都要传输完整缓存。

**3. 方法核心思路**

QuillServe 在本地保留缓存，并与 vLLM 集成。
"""


def test_a_name_met_only_under_a_bold_shortcomings_label_is_passing(nlp: Language) -> None:
    found = methods(nlp(LABELLED))
    assert "Mooncake" not in found
    assert "LMCache" not in found
    assert "vLLM" in found  # under the next label, which is not a passing one


def test_a_name_also_met_under_another_label_stays(nlp: Language) -> None:
    text = LABELLED + "\n**4. 实验结果**\n\n相比 Mooncake，QuillServe 的吞吐提升 2 倍。\n"
    assert "Mooncake" in methods(nlp(text))


def test_a_bold_phrase_inside_a_sentence_opens_no_part(nlp: Language) -> None:
    text = (
        "## QuillServe\n\n现有方法的**局限**在于传输开销。\n\n"
        "QuillServe 与 Mooncake 对比，吞吐提升 2 倍。\n"
    )
    assert "Mooncake" in methods(nlp(text))
