"""A claim's baseline from the cues around a compared name (ANNOTATION.md rule 1: the claim's
own sentence), on made-up entries through the real pipeline: an opening cue with words that
describe the name ("与优化过的 X 相比"), names listed before the closing cue ("与 X 和 Y 相比"), a
competitor that carries a factor of its own ("远超 X 的 1.9×"), and a name whose quality the
method matches before stating its saving ("媲美 X，但节省 42%"); and a list that pairs each
number with its own name ("相对于 A 高达 a、B 高达 b", "超越 A（a）和 B（b）", "相比 A 提升 a，B 提升
b"): each number takes the name it stands with, not the first name for all. Also what wider
scopes no longer give: a list's baseline to an ablation's or an additional gain ("额外提升"), a
table header's other method to a column that compares with someone else ("| 相比 Random 提升 |")."""

from __future__ import annotations

from entry_claims import baseline_by_value as baselines
from spacy.language import Language


def _results(*sentences: str) -> str:
    return "### 主要结果\n" + "".join(f"- {s}\n" for s in sentences)


def test_an_opening_cue_reaches_a_described_name(nlp: Language) -> None:
    # "与 <words ending in 的> X（aside）相比": X is what the number is measured against
    found = baselines(nlp, _results("即使与优化过的 vLLM（GPU 版）相比，FooServe 仍快 2.4 倍。"))
    assert found[2.4] == "vLLM"


def test_an_opening_cue_reaches_a_described_kernel(nlp: Language) -> None:
    found = baselines(
        nlp, _results("与最先进的 FlashInfer 内核相比，FooServe 的注意力计算平均加速 1.9 倍。")
    )
    assert found[1.9] == "FlashInfer"


def test_names_listed_before_the_closing_cue_pair_with_their_numbers(nlp: Language) -> None:
    # "与 X 和 Y 相比，分别快 a 和 b": the first name is compared too, so each number takes its own
    found = baselines(
        nlp, _results("与专为高速设计的 vLLM 和 SGLang 相比，FooServe 分别快 2.4 倍和 1.3 倍。")
    )
    assert found[2.4] == "vLLM"
    assert found[1.3] == "SGLang"


def test_plain_names_listed_before_the_closing_cue(nlp: Language) -> None:
    found = baselines(nlp, _results("与 vLLM 和 SGLang 相比，FooServe 分别快 2.4 倍和 1.3 倍。"))
    assert found[2.4] == "vLLM"
    assert found[1.3] == "SGLang"


def test_a_competitor_with_a_factor_of_its_own_is_no_baseline(nlp: Language) -> None:
    # the 2.3x is measured against a reference setup; vLLM's own 1.9x only ranks it
    found = baselines(nlp, _results("FooServe 在 GSM8K 上以 2.3× 的加速远超 vLLM 的 1.9×。"))
    assert found[2.3] is None


def test_a_competitor_with_its_factor_in_an_aside_is_no_baseline(nlp: Language) -> None:
    found = baselines(nlp, _results("FooServe 以 1.72× 平均加速比领先于 vLLM (1.59×)。"))
    assert found[1.72] is None


def test_the_ratio_of_a_name_still_compares_with_it(nlp: Language) -> None:
    # "达到 X 的 1.6 倍": the number after the name is the claim itself
    found = baselines(nlp, _results("FooServe 的吞吐量达到 vLLM 的 1.6 倍。"))
    assert found[1.6] == "vLLM"


def test_a_comment_on_the_gap_is_no_factor_of_the_competitor(nlp: Language) -> None:
    # "相对 X 的优势缩小（插入 2.1×，查询 1.37×）": the aside holds the claims themselves
    found = baselines(nlp, _results("FooServe 相对 vLLM 的优势缩小（插入 2.1×，查询 1.37×）。"))
    assert found[1.37] == "vLLM"


def test_a_matched_name_is_what_the_saving_is_measured_against(nlp: Language) -> None:
    # "媲美 X 的精度，但节省 42%": the method matches X's quality, the saving is against X
    found = baselines(nlp, _results("FooServe 媲美 vLLM 的精度，但节省 42% 显存。"))
    assert found[42.0] == "vLLM"


def test_a_name_approached_then_a_speedup(nlp: Language) -> None:
    found = baselines(
        nlp, _results("FooServe 仅用 8 步就达到接近 SGLang (64 steps) 的质量，但速度快 50 倍以上。")
    )
    assert found[50.0] == "SGLang"


def test_a_matched_name_without_a_number_sets_up_no_list(nlp: Language) -> None:
    # a list item that only says the quality is close to X states no measurement against X:
    # the next item's gain is not X's (the sibling rule reads compared names of earlier items)
    found = baselines(nlp, _results("FooServe 的精度接近 vLLM；", "吞吐提升 3.1 倍。"))
    assert found[3.1] is None


def test_each_number_of_name_and_number_pairs_takes_its_own_name(nlp: Language) -> None:
    # "相对于 A 高达 a、B 高达 b": B goes on the list A opens; a is A's, b is B's (not A's for all)
    found = baselines(
        nlp, _results("FooServe 相对于 vLLM 高达 2.02 倍、SGLang 高达 1.48 倍的吞吐提升。")
    )
    assert found[2.02] == "vLLM"
    assert found[1.48] == "SGLang"


def test_pairs_after_a_cue_with_a_verb_each(nlp: Language) -> None:
    found = baselines(nlp, _results("FooServe 相比 vLLM 快 2.02 倍、SGLang 快 1.48 倍。"))
    assert found[2.02] == "vLLM"
    assert found[1.48] == "SGLang"


def test_names_each_with_its_factor_in_an_aside(nlp: Language) -> None:
    # "超越 A（a）和 B（b）": each number stands with the name it follows
    found = baselines(nlp, _results("FooServe 在吞吐上超越 vLLM（2.02×）和 SGLang（1.48×）。"))
    assert found[2.02] == "vLLM"
    assert found[1.48] == "SGLang"


def test_a_clause_that_goes_on_the_pairs_of_the_clause_before(nlp: Language) -> None:
    # "相比 A 提升 a，B 提升 b": the second clause opens with B and its number, as the first did
    found = baselines(nlp, _results("FooServe 相比 vLLM 提升 2.02 倍，SGLang 提升 1.48 倍。"))
    assert found[2.02] == "vLLM"
    assert found[1.48] == "SGLang"


def test_a_ratio_clause_that_goes_on_the_ratio_before(nlp: Language) -> None:
    found = baselines(nlp, _results("FooServe 的吞吐达到 vLLM 的 1.7×，SGLang 的 100× 以上。"))
    assert found[1.7] == "vLLM"
    assert found[100.0] == "SGLang"


def test_one_name_with_two_numbers_keeps_it_for_both(nlp: Language) -> None:
    # no second name: both numbers are against the one compared
    found = baselines(nlp, _results("FooServe 相比 vLLM 快 2.02 倍和 1.48 倍。"))
    assert found[2.02] == "vLLM"
    assert found[1.48] == "vLLM"


def test_pairs_already_read_stay_as_they_were(nlp: Language) -> None:
    # "比A快2x，比B快3x", "2.1x over A and 1.5x over B", "A 和 B 分别 a 和 b"
    found = baselines(nlp, _results("FooServe 比vLLM快2x，比SGLang快3x。"))
    assert (found[2.0], found[3.0]) == ("vLLM", "SGLang")
    found = baselines(nlp, _results("FooServe achieves 2.1x over vLLM and 1.5x over SGLang."))
    assert (found[2.1], found[1.5]) == ("vLLM", "SGLang")
    found = baselines(nlp, _results("FooServe 比 vLLM 和 SGLang 分别快 2.02 倍和 1.48 倍。"))
    assert (found[2.02], found[1.48]) == ("vLLM", "SGLang")


def test_a_step_over_a_variant_takes_no_baseline_from_the_list(nlp: Language) -> None:
    # the sibling rule gives a list item the one name its earlier items compare with; an
    # ablation's or an additional gain ("额外", "进一步", "消融") is over a variant of the method
    body = _results("单步训练时间：FooServe 比 vLLM 快 2.55×", "吞吐提升 1.30 倍")
    assert baselines(nlp, body)[1.3] == "vLLM"
    body = _results("单步训练时间：FooServe 比 vLLM 快 2.55×", "消融研究：分块调度额外提升 1.40 倍")
    found = baselines(nlp, body)
    assert found[2.55] == "vLLM"
    assert found[1.4] is None


def test_a_column_compared_with_an_unfound_name_takes_no_table_method(nlp: Language) -> None:
    # "| 相比 Random 提升 |": the column says what its numbers are against; the header's other
    # method (vLLM's column) is not it
    table = (
        "### 主要结果\n\n"
        "| 指标 | vLLM | FooServe | {} |\n"
        "|---|---|---|---|\n"
        "| 吞吐 | 100 | 120 | +20.0% |\n"
    )
    assert baselines(nlp, table.format("提升"))[20.0] == "vLLM"
    assert baselines(nlp, table.format("相比 Random 提升"))[20.0] is None
    assert baselines(nlp, table.format("提升（vs Dense）"))[20.0] is None


def test_a_speedup_line_that_lists_an_unfound_name_defines_no_baseline(nlp: Language) -> None:
    # a heading "加速比（vs. X）" defines what the entry's speed-ups are measured against; "vs.
    # Direct / X" compares with two, one of them not found, and says not which
    body = "#### 性能加速比（vs. {}）\n- 平均加速 **2.68×**\n"
    assert baselines(nlp, body.format("vLLM"))[2.68] == "vLLM"
    assert baselines(nlp, body.format("Direct / vLLM"))[2.68] is None


def test_a_gain_added_on_top_of_a_name_is_measured_against_it(nlp: Language) -> None:
    # "集成进 X ... 互补加速", "与 X 结合可额外提升": the method runs on top of X and adds to it
    found = baselines(
        nlp, _results("FooServe 可无缝集成进 vLLM 等框架，带来 1.12–1.32× 的互补加速。")
    )
    assert found[1.12] == "vLLM"
    found = baselines(nlp, _results("FooServe 与 vLLM 结合可额外提升 1.09x。"))
    assert found[1.09] == "vLLM"


def test_a_name_integrated_with_no_added_gain_is_not_compared(nlp: Language) -> None:
    # integrating into X and a gain that is not said to add to X's: not a comparison with X
    found = baselines(nlp, _results("FooServe 已集成进 vLLM，吞吐提升 1.30 倍。"))
    assert found[1.3] is None


def test_every_name_of_a_list_before_the_closing_cue_is_compared(nlp: Language) -> None:
    # "与 A、B 和 C 等基线进行对比" / "与现有基线 A 和 B 相比": several compared, none said (rule 4)
    found = baselines(
        nlp, _results("FooServe 与 FullKV、SGLang 和 vLLM 等基线进行对比，吞吐提升 2.1 倍。")
    )
    assert found[2.1] is None
    found = baselines(nlp, _results("FooServe 与现有基线 SGLang 和 vLLM 相比，吞吐提升 1.8 倍。"))
    assert found[1.8] is None
    found = baselines(nlp, _results("FooServe 与现有基线 vLLM 相比，吞吐提升 1.8 倍。"))
    assert found[1.8] == "vLLM"
