"""Which claims take the entry's one baseline (ANNOTATION.md rules 1-4), on made-up entries
through the real pipeline: a sentence that compares with no one named (a kind of system, a
reference setup) keeps no baseline."""

from __future__ import annotations

from entry_claims import baseline_by_value as baselines
from spacy.language import Language

_SETUP = (
    "### 基线方法\n"
    "- **vLLM**：主流推理引擎，作为对比基线\n\n"
    "### 主要结果\n"
    "- FooServe 的吞吐量提升 3.1 倍。\n"
    "- {sentence}\n"
)


def test_a_claim_that_names_no_one_takes_the_setups_baseline(nlp: Language) -> None:
    # rule 3: the setup names one baseline, and the claim says nothing against it
    assert baselines(nlp, _SETUP.format(sentence="FooServe 将延迟降低 42%。"))[42.0] == "vLLM"


def test_a_kind_of_system_compared_with_keeps_no_baseline(nlp: Language) -> None:
    # "相比现有方案" names no one: the setup's vLLM is not said to be what it was measured against
    found = baselines(nlp, _SETUP.format(sentence="相比现有方案，FooServe 将延迟降低 42%。"))
    assert found[42.0] is None
    assert found[3.1] == "vLLM"


def test_a_kind_of_system_between_opening_and_closing_cues(nlp: Language) -> None:
    found = baselines(nlp, _SETUP.format(sentence="与其他调度框架相比，FooServe 将延迟降低 42%。"))
    assert found[42.0] is None


def test_a_reference_setup_compared_with_keeps_no_baseline(nlp: Language) -> None:
    # ANNOTATION.md: a claim against a reference setup (dense, FullKV, vanilla) has baseline null
    found = baselines(nlp, _SETUP.format(sentence="相比 Dense 基线，FooServe 将延迟降低 42%。"))
    assert found[42.0] is None


def test_a_kind_of_system_in_the_numbers_clause(nlp: Language) -> None:
    found = baselines(nlp, _SETUP.format(sentence="FooServe 的训练比现有方法快 2.4 倍。"))
    assert found[2.4] is None


def test_the_strongest_baseline_is_not_a_kind_of_system(nlp: Language) -> None:
    # "最强基线" points at one of the entry's baselines: the entry's one baseline stands
    found = baselines(nlp, _SETUP.format(sentence="相比最强基线，FooServe 将延迟降低 42%。"))
    assert found[42.0] == "vLLM"


def test_respectively_pairs_names_with_each_group_of_numbers(nlp: Language) -> None:
    # rule 1: "分别" pairs the two names with each pair of numbers in order
    body = (
        "### 主要结果\n"
        "- **对比 vLLM/SGLang**：在短输入和长输入下，FooServe 分别实现了 2.29x/2.35x 和平均 "
        "1.75x/1.73x 的吞吐提升。\n"
    )
    found = baselines(nlp, body)
    assert (found[2.29], found[2.35], found[1.75], found[1.73]) == (
        "vLLM",
        "SGLang",
        "vLLM",
        "SGLang",
    )


def test_a_comparison_set_up_before_a_semicolon_holds_after_it(nlp: Language) -> None:
    # the clause "FooServe 相对于 vLLM、SGLang 和 TensorRT-LLM，" states no number: the lists of
    # three numbers on both sides of the semicolon are measured against the three names in order
    body = (
        "### 主要结果\n"
        "- 在 70B 模型上，FooServe 相对于 vLLM、SGLang 和 TensorRT-LLM，TTFT 最高减少 1.86 倍、"
        "1.91 倍和 1.84 倍；TPOT 最高减少 1.62 倍、1.63 倍和 1.71 倍。\n"
    )
    found = baselines(nlp, body)
    assert (found[1.86], found[1.91], found[1.84]) == ("vLLM", "SGLang", "TensorRT-LLM")
    assert (found[1.62], found[1.63], found[1.71]) == ("vLLM", "SGLang", "TensorRT-LLM")


def test_a_number_after_a_semicolon_with_a_subject_of_its_own_is_not_paired(nlp: Language) -> None:
    body = (
        "### 主要结果\n"
        "- FooServe 相对于 vLLM 和 SGLang，TTFT 最高减少 1.86 倍和 1.91 倍；"
        "TensorRT-LLM 的 TPOT 最高减少 1.62 倍和 1.63 倍。\n"
    )
    found = baselines(nlp, body)
    assert (found[1.86], found[1.91]) == ("vLLM", "SGLang")
    assert found[1.62] is None


def test_a_clause_compared_with_a_name_not_found_takes_no_other_clauses_name(nlp: Language) -> None:
    # "相比 Zorp Batching" compares with a name the recognizer missed: the earlier clause's
    # vLLM is another number's baseline (rule 4: none rather than the wrong one)
    body = (
        "### 主要结果\n"
        "- FooServe 在各规模下持续超越所有基线，相比 vLLM 最高加速 1.77 倍，"
        "相比 Zorp Batching 最高加速 1.43 倍。\n"
    )
    found = baselines(nlp, body)
    assert found[1.77] == "vLLM"
    assert found[1.43] is None


def test_a_lead_in_with_a_name_not_found_takes_not_the_setups_baseline(nlp: Language) -> None:
    found = baselines(
        nlp, _SETUP.format(sentence="相较于 Zorp Grouper (ZG)，FooServe 将延迟降低 42%。")
    )
    assert found[42.0] is None
    assert found[3.1] == "vLLM"


def test_a_processor_after_the_cue_is_no_name_not_found(nlp: Language) -> None:
    # "相比 GPU" is a comparison with a device, not a missed name: the setup's baseline stands
    found = baselines(
        nlp, _SETUP.format(sentence="FooServe 将延迟降低 42%，能效相比 GPU 提升 2.2 倍。")
    )
    assert found[42.0] == "vLLM"


def test_a_name_not_found_listed_before_the_compared_one_gives_none(nlp: Language) -> None:
    # "与 Zorp Grouper 和 vLLM 相比": two compared, the recognizer found one (rule 4)
    body = "### 主要结果\n- 与 Zorp Grouper 和 vLLM 相比，FooServe 将延迟降低 42%。\n"
    assert baselines(nlp, body)[42.0] is None
    body = "### 主要结果\n- 与 vLLM 相比，FooServe 将延迟降低 42%。\n"
    assert baselines(nlp, body)[42.0] == "vLLM"


def test_a_table_headers_comparison_is_its_columns_not_the_entrys(nlp: Language) -> None:
    # rule 1: "vs vLLM" in a column's header gives that column's numbers their baseline; it
    # does not say what the entry's other speed-ups are measured against
    body = (
        "### 主要结果\n"
        "| 模型 | 加速比 vs vLLM |\n"
        "|---|---|\n"
        "| Llama-3-8B | 1.8× |\n\n"
        "- 在长上下文下，FooServe 的解码速度提升 2.5 倍。\n"
    )
    found = baselines(nlp, body)
    assert found[1.8] == "vLLM"
    assert found[2.5] is None


def test_a_line_that_defines_the_speedups_reference_still_holds(nlp: Language) -> None:
    body = (
        "### 评估指标\n"
        "- 加速比：相对于 vLLM 的端到端加速比\n\n"
        "### 主要结果\n"
        "- 在长上下文下，FooServe 的解码速度提升 2.5 倍。\n"
    )
    assert baselines(nlp, body)[2.5] == "vLLM"
