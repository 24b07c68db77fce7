"""Where a claim's baseline is stated (ANNOTATION.md rules 1-2), on made-up entries through the
real pipeline: the reference row of a results table, and a lead-in clause that describes the
name it compares with."""

from __future__ import annotations

from entry_claims import baseline_by_value as baselines
from spacy.language import Language

_TABLE = (
    "# FooServe: Fast Serving\n\n"
    "### 关键结果\n"
    "| 方法 | 延迟 (ms) | 加速比 |\n"
    "|---|---|---|\n"
    "| {reference} | 120 | {mark} |\n"
    "| **FooServe** | 40 | **3.0×** |\n"
)


def test_the_row_that_reads_1x_in_the_column_is_the_baseline(nlp: Language) -> None:
    # rule 1: the row sits in a table whose column measures every row against the 1.0× row
    body = _TABLE.format(reference="vLLM", mark="1.0×")
    assert baselines(nlp, body)[3.0] == "vLLM"


def test_a_row_labelled_baseline_is_the_baseline(nlp: Language) -> None:
    body = _TABLE.format(reference="vLLM (baseline)", mark="—")
    assert baselines(nlp, body)[3.0] == "vLLM"


def test_no_reference_row_gives_no_baseline(nlp: Language) -> None:
    # the other row is one more result, not what the column is measured against (rule 4)
    body = _TABLE.format(reference="vLLM", mark="1.8×")
    assert baselines(nlp, body)[3.0] is None


def test_two_reference_rows_give_none(nlp: Language) -> None:
    body = (
        "# FooServe: Fast Serving\n\n"
        "### 关键结果\n"
        "| 方法 | 延迟 (ms) | 加速比 |\n"
        "|---|---|---|\n"
        "| vLLM | 120 | 1.0× |\n"
        "| SGLang | 110 | 1.0× |\n"
        "| **FooServe** | 40 | **3.0×** |\n"
    )
    assert baselines(nlp, body)[3.0] is None


def test_a_described_name_in_a_lead_in_clause_is_the_baseline(nlp: Language) -> None:
    # rule 1: "相比之前最快的开源框架 vLLM，" is only a comparison, after the item's label: it
    # holds for the next clause, an end-to-end one too
    body = (
        "# FooServe: Fast Serving\n\n"
        "### 关键结果\n"
        "- **更高的吞吐**：相比之前最快的开源框架 vLLM，实现了 **2.4 倍** 的端到端吞吐提升。\n"
    )
    assert baselines(nlp, body)[2.4] == "vLLM"


def test_a_reference_row_of_a_model_under_a_method_row_gives_none(nlp: Language) -> None:
    # the model run without the method is a reference setup (ANNOTATION.md): no baseline; a
    # row naming another model is measured against that model, though
    body = (
        "# FooDecode: Fast Decoding\n\n"
        "### 关键结果\n"
        "| 方法 | 延迟 (ms) | 加速比 |\n"
        "|---|---|---|\n"
        "| Llama-3-8B | 120 | 1.0× |\n"
        "| **FooDecode** | 40 | **3.0×** |\n"
        "| Qwen2.5-1.5B | 30 | **4.0×** |\n"
    )
    got = baselines(nlp, body)
    assert got[3.0] is None
    assert got[4.0] == "Llama-3-8B"


def test_the_name_whose_value_a_change_starts_from_is_the_baseline(nlp: Language) -> None:
    # "从 X 的 41 J 降至 4.5 J": X's value is what the change is measured from
    body = "# FooMem: Memory Planning\n\n### 关键结果\n- 能耗从 vLLM 的 41.0J → **4.5J**（↓89%）\n"
    assert baselines(nlp, body)[89.0] == "vLLM"


def test_a_change_from_a_name_without_its_value_compares_with_no_one(nlp: Language) -> None:
    # "从 vLLM 迁移到 FooMem 后": where the change comes from, not a value measured on it
    body = "# FooMem: Memory Planning\n\n### 关键结果\n- 从 vLLM 迁移到 FooMem 后，能耗降低 89%。\n"
    assert baselines(nlp, body)[89.0] is None


def test_numbers_and_names_that_alternate_pair_up(nlp: Language) -> None:
    # each factor with the name its own cue compares it with (rule 1), in one clause
    body = (
        "# FooAttn: Fast Attention\n\n"
        "### 关键结果\n"
        "- FooAttn 在 H100 上实现了 1.3 倍于 FlashInfer 和 2.7 倍于 Triton 的速度提升。\n"
    )
    got = baselines(nlp, body)
    assert got[1.3] == "FlashInfer"
    assert got[2.7] == "Triton"
