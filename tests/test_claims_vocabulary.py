"""The cue-word files of ingest/claims/data: well-formed rows, known values, patterns that compile and
match what they are meant to, and no duplicates."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest

from techclaims.ingest.claims import vocabulary

FILES = {
    "metric_cues.jsonl": {"pattern"},
    "qualifier_cues.jsonl": {"pattern", "qualifier"},
    "verb_cues.jsonl": {"pattern", "verb"},
    "host_cpus.jsonl": {"pattern", "what"},
    "machines.jsonl": {"pattern", "what"},
    "hosted_models.jsonl": {"pattern", "what"},
}


def rows(name: str) -> list[dict]:
    text = (
        resources.files("techclaims.ingest.claims")
        .joinpath("data", name)
        .read_text(encoding="utf-8")
    )
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("name", sorted(FILES))
def test_rows_are_well_formed(name: str) -> None:
    seen: set[str] = set()
    for row in rows(name):
        assert FILES[name] <= set(row), row
        pattern = row["pattern"]
        assert isinstance(pattern, str) and pattern, row
        re.compile(pattern)
        assert not re.fullmatch(pattern, "", re.IGNORECASE), f"{pattern!r} matches the empty string"
        assert pattern not in seen, f"{pattern!r} twice in {name}"
        seen.add(pattern)


def test_metric_rows_name_a_metric_and_its_good_direction_or_no_claim() -> None:
    for row in rows("metric_cues.jsonl"):
        if "not_claim" in row:
            assert row["not_claim"] in vocabulary.NOT_CLAIM and "metric" not in row, row
        else:
            assert row["metric"].strip() == row["metric"] and row["metric"], row
            assert row["good"] in vocabulary.GOOD, row


def test_values_are_known() -> None:
    assert {r["verb"] for r in rows("verb_cues.jsonl")} == set(vocabulary.VERBS)
    assert all(r["qualifier"].strip() for r in rows("qualifier_cues.jsonl"))


@pytest.mark.parametrize(
    ("text", "metric"),
    [
        ("throughput", "throughput"),
        ("吞吐量", "throughput"),
        ("首token延迟", "TTFT"),
        ("显存", "memory"),
        ("能耗", "energy"),
        ("成本", "cost"),
        ("latency", "latency"),
        ("准确率", "not"),
        ("token 使用量", "token usage"),
        ("token 消耗", "token consumption"),
        ("output tokens", "tokens"),
    ],
)
def test_metric_cues_match_their_words(text: str, metric: str) -> None:
    names = [name for regex, (name, *_) in vocabulary.BASE_RES if regex.search(text)]
    assert metric in names


@pytest.mark.parametrize(
    ("text", "strength"),
    [
        ("相比", "strong"),
        ("compared to", "strong"),
        ("relative to", "strong"),
        ("vs.", "strong"),
        ("than", "strong"),
        ("比", "weak"),
        ("较", "weak"),
    ],
)
def test_comparison_cues_match_their_words(text: str, strength: str) -> None:
    """The claims' comparison cues are the NER's list (patterns/vocabulary/comparison-cues.txt)."""
    pattern = vocabulary.COMPARE_STRONG if strength == "strong" else vocabulary.COMPARE_WEAK
    other = vocabulary.COMPARE_WEAK if strength == "strong" else vocabulary.COMPARE_STRONG
    assert re.fullmatch(pattern, text)
    assert not re.fullmatch(other, text)


@pytest.mark.parametrize("text", ["比例", "加速比", "较大", "moreover", "thank"])
def test_comparison_cues_are_words_not_parts_of_words(text: str) -> None:
    assert not re.search(f"{vocabulary.COMPARE_STRONG}|{vocabulary.COMPARE_WEAK}", text)


def test_a_list_named_in_a_cue_pattern_is_expanded() -> None:
    """metric_cues.jsonl takes the data-set words from the NER's list: one list, two users."""
    not_claim = [p for p, name, _ in vocabulary.BASE_CUES if name == vocabulary.NOT_CUE]
    assert not any("{list:" in p for p, _, _ in vocabulary.BASE_CUES)
    assert any(re.search(p, "the ShareGPT data set", re.IGNORECASE) for p in not_claim)


@pytest.mark.parametrize(
    ("text", "scaling"),
    [
        ("from 8 to 64 GPUs", True),
        ("从 8 张卡扩展到 64 张卡", True),
        ("4→16 节点", True),
        ("2→8 servers", True),
        ("从 2 到 4 个", False),  # a classifier alone counts nothing
        ("from 3 to 5 ms", False),
    ],
)
def test_scaling_counts_devices_of_the_one_device_list(text: str, scaling: bool) -> None:
    """filters.SCALING and COUNT_AFTER read the NER's device-count-words.txt (its device and
    classifier tags)."""
    from techclaims.ingest.claims.filters import COUNT_AFTER, SCALING

    assert bool(SCALING.search(text)) is scaling
    assert (
        COUNT_AFTER.match(" workers") and COUNT_AFTER.match("卡") and not COUNT_AFTER.match(" ms")
    )


def test_list_and_example_words_are_the_ners() -> None:
    from techclaims.ingest.claims.filters import EXAMPLE

    listed = re.compile(rf"\s*(?:、|,|/|{vocabulary.LIST_CONJUNCTIONS})\s*")
    assert all(listed.fullmatch(s) for s in (" 和 ", "以及", " and ", " OR ", "、"))
    assert not listed.fullmatch(" android ")
    assert EXAMPLE.search("例如 ") and EXAMPLE.search("e.g., ") and not EXAMPLE.search("including ")


def test_method_columns_and_processors_are_the_ners_lists() -> None:
    from techclaims.ingest.claims.comparison import DEVICE, METHOD_COLUMN
    from techclaims.ingest.nlp import vocabulary as word_lists

    assert METHOD_COLUMN.search("**Baseline** 方法") and METHOD_COLUMN.search("调度策略")
    assert not METHOD_COLUMN.search("Latency (ms)")
    # the NER reads a first column of names only under its narrower headers
    assert "策略" not in word_lists.words("method-table-headers", tags="first-column")
    assert DEVICE.fullmatch("iGPU") and DEVICE.fullmatch("FPGAs") and DEVICE.fullmatch("dense")
    assert not DEVICE.fullmatch("H100")


def test_baseline_words_after_a_name_are_one_list() -> None:
    """claims' 'X 基线' and the NER's baseline-after read baseline-words.txt; the NER leaves out
    基准, which is also 'benchmark'."""
    from techclaims.ingest.claims.comparison import BASELINE_AFTER as after
    from techclaims.ingest.nlp import vocabulary as word_lists

    assert after.match(" 的基线") and after.match(" 基准") and after.match(" Baselines")
    assert not after.match(" baselined")
    assert "基准" not in word_lists.load("baseline-words").part(tags="unambiguous")


def test_setup_words_are_a_list() -> None:
    from techclaims.ingest.claims.attribution import SETUP_HEADING, SETUP_LABEL

    assert SETUP_HEADING.search("## 实验设置") and SETUP_HEADING.search("### Hardware Setup")
    assert SETUP_LABEL.match("- **硬件平台**: 8× H100") and SETUP_LABEL.match("GPU: A100")
    assert not SETUP_LABEL.match("- **Setup**: 8× H100")  # a heading word, no label


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("batch size 32", "batch size 32"),
        ("序列长度为 8K", "序列长度为 8K"),
        ("at 32K tokens", "32K tokens"),
        ("on longer contexts", "longer contexts"),
        ("50% 的稀疏度", "50% 的稀疏度"),
        ("a sparsity of 50 %", "sparsity of 50 %"),
        ("in FP8 mode", "FP8"),
        ("单卡推理", "单卡"),
        ("on 8 GPUs", "8 GPUs"),
    ],
)
def test_conditions_frame_the_words_of_condition_words(text: str, found: str) -> None:
    """attribution.CONDITIONS keeps the frame, condition-words.txt the words of each tag."""
    from techclaims.ingest.claims.attribution import CONDITIONS, RESPECTIVELY

    assert [m.group().strip() for m in CONDITIONS.finditer(text)] == [found]
    assert RESPECTIVELY.search("A and B, Respectively") and not RESPECTIVELY.search("respect")


def test_no_claim_frames_read_their_words_from_files() -> None:
    """filters' level reached / ablation / fold count frames, the words in their own files."""
    from techclaims.ingest.claims.filters import ABSOLUTE, CROSS_VALIDATION, WITHOUT

    for before in ("提升至约", "reduced to about ", "仅为 ", "维持在", "reached 为"):
        assert ABSOLUTE.search(before), before
    for before in ("提升了", "speeds up to ", "to be "):
        assert not ABSOLUTE.search(before), before
    assert WITHOUT.match("- **w/o** KV reuse") and WITHOUT.match("2. 去掉投机解码")
    assert (
        WITHOUT.match("Without cache")
        and not WITHOUT.match("withouts")
        and not WITHOUT.match("nothing")
    )
    assert CROSS_VALIDATION.match(" 5-fold cv") is None and CROSS_VALIDATION.match(" CV")
    assert CROSS_VALIDATION.match("交叉验证") and CROSS_VALIDATION.match(" Cross-Validation")


def test_speed_measure_and_filler_words_are_lists() -> None:
    """The speed-up noun is one list for quantities and attribution; metric's faster and measure
    words, comparison's fillers after a weak cue, each in a file."""
    from techclaims.ingest.claims.comparison import COMPARE_BEFORE as before_name
    from techclaims.ingest.claims.metric import FASTER, MEASURED
    from techclaims.ingest.claims.quantities import find_quantities
    from techclaims.ingest.nlp import vocabulary as word_lists

    assert [f.quantity.value for f in find_quantities("加速比达 3.2，SpeedUp of 1.5")] == [3.2, 1.5]
    assert find_quantities("加速比达 3.2倍")[0].quantity.unit == "x"
    assert FASTER.search("2× Faster") and not FASTER.search("slower")
    assert MEASURED.search("We Benchmarked it") and not MEASURED.search("我们提出")
    assert before_name.search("比现有的 ") and before_name.search("比原始 ")
    assert "the" not in word_lists.load("comparison-fillers").part(tags="after-weak")


@pytest.mark.parametrize(
    ("name", "machine"),
    [
        ("OnePlus 12", True),
        ("Google Pixel 8a", True),
        ("Samsung Galaxy S24+", True),
        ("Apple Mac mini", True),
        ("p4de.24xlarge", True),
        ("g6.12xlarge", True),
        ("Adreno 750", False),
        ("Exynos 2400", False),
        ("Apple M4 Pro", False),
        ("NVIDIA A100", False),
        ("Pixel Visual Core", False),
    ],
)
def test_machines_are_told_from_the_processors_they_are_built_around(
    name: str, machine: bool
) -> None:
    assert bool(vocabulary.MACHINE.search(name)) is machine
