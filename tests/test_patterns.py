"""The JSONL knowledge files: every line valid, and the patterns find what they should."""

from __future__ import annotations

import json
import re

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from techclaims.ingest.nlp.gazetteer import (
    GAZETTEER_FILES,
    PATTERNS_DIR,
    GazetteerEntry,
    GazetteerError,
    check_unique,
    load_gazetteer,
    normalize_name,
    phrase_patterns,
    read_jsonl,
    spelling_key,
    spellings,
)
from techclaims.ingest.nlp.regex_entities import RegexEntities, compile_family, compile_patterns

LABELS = {"METHOD", "MODEL", "HARDWARE", "SPEEDUP"}


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@pytest.fixture(scope="module")
def finder() -> RegexEntities:
    ruler = RegexEntities(spacy.blank("xx"))
    ruler.initialize()
    return ruler


def found(finder: RegexEntities, text: str, label: str) -> list[str]:
    return sorted(text[s:e] for s, e, lab, _ in finder.find(text) if lab == label)


# -- every file, every line ------------------------------------------------------


@pytest.mark.parametrize("path", sorted(PATTERNS_DIR.glob("*.jsonl")), ids=lambda p: p.name)
def test_every_line_is_a_json_object(path) -> None:
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            assert line.strip(), f"{path.name}:{lineno}: blank line"
            assert isinstance(json.loads(line), dict), f"{path.name}:{lineno}"


def test_gazetteer_lines(gazetteer) -> None:
    rows = [row for name in GAZETTEER_FILES for row in read_jsonl(name)]
    assert len(rows) == len(gazetteer) > 900
    for row in rows:
        assert {"id", "label", "name", "aliases"} <= row.keys(), row
        assert row["label"] in {"METHOD", "MODEL", "HARDWARE"}
        assert re.fullmatch(r"[a-z0-9]+(?:[-.+][a-z0-9]+)*", row["id"]), row["id"]
        assert isinstance(row["aliases"], list)
    by_file = {name: {row["label"] for row in read_jsonl(name)} for name in GAZETTEER_FILES}
    assert by_file == {
        "models.jsonl": {"MODEL"},
        "hardware.jsonl": {"HARDWARE"},
        "methods.jsonl": {"METHOD"},
    }


def test_ids_and_spellings_are_unique(gazetteer) -> None:
    ids = [e.id for e in gazetteer]
    assert len(ids) == len(set(ids))
    owner: dict[str, str] = {}
    for entry in gazetteer:
        for name in entry.names:
            assert owner.setdefault(spelling_key(name), entry.id) == entry.id, name
    exact: dict[str, str] = {}
    for entry in gazetteer:  # generated variants do not collide either
        for spelling in spellings(entry):
            assert exact.setdefault(spelling, entry.id) == entry.id, spelling


def test_broader_and_family_point_to_known_names(gazetteer) -> None:
    for entry in gazetteer:
        if entry.broader:
            broader = gazetteer.lookup(entry.broader)
            assert broader is not None and broader.label == entry.label, (entry.id, entry.broader)
        if entry.label == "HARDWARE":
            assert entry.vendor, entry.id
        if entry.parameters is not None:
            assert 0 < entry.parameters < 5000, entry.id


def test_bad_rows_are_rejected() -> None:
    good = {"id": "foo", "label": "METHOD", "name": "Foo", "aliases": []}
    GazetteerEntry.from_row(good)
    for bad, why in [
        ({k: v for k, v in good.items() if k != "aliases"}, "missing"),
        ({**good, "label": "ORG"}, "label"),
        ({**good, "id": "Foo Bar"}, "slug"),
        ({**good, "aliases": "Foo"}, "aliases"),
        ({**good, "colour": "red"}, "unknown"),
        ({**good, "parameters": "7B"}, "parameters"),
    ]:
        with pytest.raises(GazetteerError, match=why):
            GazetteerEntry.from_row(bad, "test")
    a = GazetteerEntry.from_row(good)
    with pytest.raises(GazetteerError, match="duplicate id"):
        check_unique([a, a])
    b = GazetteerEntry.from_row({**good, "id": "bar", "name": "Bar", "aliases": ["F-O-O"]})
    with pytest.raises(GazetteerError, match="spelt like"):
        check_unique([a, b])


def test_family_rows(finder: RegexEntities) -> None:
    rows = read_jsonl("families.jsonl")
    defaults = [r for r in rows if r.get("defaults")]
    assert len(defaults) == 1
    ids = [r["id"] for r in rows if not r.get("defaults")]
    assert len(ids) == len(set(ids))
    for row in rows:
        if not row.get("defaults"):
            assert row["label"] in {"MODEL", "HARDWARE"}
            assert "names" in row or "pattern" in row
            compile_family(row, defaults[0])


def test_regex_rows() -> None:
    rows = read_jsonl("speedups.jsonl") + read_jsonl("regex_names.jsonl")
    patterns = compile_patterns(rows)
    assert len(patterns) == sum("macro" not in r for r in rows)
    for pattern in patterns:
        assert pattern.label in LABELS
        assert not re.search(r"\{[A-Z][A-Z0-9_]*\}", pattern.regex.pattern), pattern.id


def test_cue_and_stop_rows() -> None:
    for row in read_jsonl("cues.jsonl"):
        assert row["kind"] in {
            "propose",
            "propose-label",
            "filler",
            "define",
            "baseline-before",
            "baseline-filler",
            "baseline-after",
            "section-baseline",
            "section-skip",
            "section-propose",
            "section-passing",
            "passing-after",
            "passing-example",
            "list-intro",
            "kind-word",
            "head-technique",
            "head-other",
            "use-before",
            "model-after",
            "inspired-before",
            "inspired-after",
            "descriptor-tail",
            "kind-gloss",
            "citation-after",
            "head-measure",
            "define-after",
        }
        re.compile(row["pattern"])
    texts = [row["text"] for row in read_jsonl("not_entities.jsonl")]
    assert len({t.lower() for t in texts}) == len(texts)
    for row in read_jsonl("not_entities.jsonl"):
        assert set(row["labels"]) <= {"METHOD", "MODEL", "HARDWARE"} and row["why"]


# -- spellings and look-up ------------------------------------------------------------


def test_spelling_variants(gazetteer) -> None:
    qwen = gazetteer.get("qwen3-32b")
    assert {"Qwen3-32B", "Qwen3 32B", "qwen3-32b", "QWEN3-32B", "Qwen-3-32B"} <= set(
        spellings(qwen)
    )
    h100 = gazetteer.get("h100")
    assert "NVIDIA H100" in spellings(h100)
    assert "h100" not in spellings(h100)  # short names keep their case


def test_lookup(gazetteer) -> None:
    assert gazetteer.lookup("qwen-3-32b").id == "qwen3-32b"
    assert gazetteer.lookup("Nvidia H100").id == "h100"
    assert gazetteer.lookup("FlashAttention V3").id == "flashattention-3"
    assert gazetteer.lookup("OPT-1.3B").id != gazetteer.lookup("OPT-13B").id
    assert gazetteer.lookup("A100-80GB").broader == "A100"
    assert gazetteer.lookup("Qwen3-30B-A3B").family == "Qwen3"
    assert gazetteer.lookup("no such thing") is None
    assert normalize_name("Llama-3.1 8B") == "llama318b"


def test_readers_return_lists() -> None:
    read = spacy.registry.readers.get("techclaims.read_jsonl.v1")
    assert isinstance(read("models.jsonl"), list)
    make = spacy.registry.readers.get("techclaims.gazetteer_patterns.v1")
    patterns = make(["hardware.jsonl"])
    assert isinstance(patterns, list) and {"label", "pattern", "id"} <= patterns[0].keys()
    assert len(phrase_patterns(load_gazetteer(["hardware.jsonl"]))) == len(patterns)


# -- family patterns: sizes and variants no list holds ---------------------------------


@pytest.mark.parametrize(
    "text, name",
    [
        ("我们在Qwen3-14B-Instruct上测试", "Qwen3-14B-Instruct"),
        ("using Llama-3.2-3B and more", "Llama-3.2-3B"),
        ("on Qwen2.5-72B-Instruct-AWQ.", "Qwen2.5-72B-Instruct-AWQ"),
        ("DeepSeek-R1-Distill-Qwen-32B的结果", "DeepSeek-R1-Distill-Qwen-32B"),
        ("Qwen3-235B-A22B-Thinking-2507", "Qwen3-235B-A22B-Thinking-2507"),
        ("Mixtral-8x22B模型", "Mixtral-8x22B"),
        ("Gemma3-1B和", "Gemma3-1B"),
        ("the Phi-3-mini model", "Phi-3-mini"),
        ("ViT-L/14 encoder", "ViT-L/14"),
        ("ResNet-152上", "ResNet-152"),
        ("阶跃Step3-VL-10b", "Step3-VL-10b"),
        ("Qwen30B-A3/32B", "Qwen30B-A3"),
        # versions after the lists were written: a family's next release is still the family
        ("在 GLM-5.1 上", "GLM-5.1"),
        ("MiniMax-M2.5 与", "MiniMax-M2.5"),
        ("Qwen3.6-27B 模型", "Qwen3.6-27B"),
        ("compared with Opus 4.5 and", "Opus 4.5"),
        ("Kimi K2.5 上", "Kimi K2.5"),
        # embedding models are named by their checkpoints
        ("检索器为 all-MiniLM-L6-v2。", "all-MiniLM-L6-v2"),
        ("using bge-m3 and", "bge-m3"),
        ("with text-embedding-3-small,", "text-embedding-3-small"),
    ],
)
def test_model_variants(finder: RegexEntities, text: str, name: str) -> None:
    assert name in found(finder, text, "MODEL")


def test_a_numbered_step_is_no_model(finder: RegexEntities) -> None:
    """ "Step 1:" numbers a procedure; StepFun's models are written Step3 or Step-3."""
    assert found(finder, "Step 1: 构建索引。Step 2: 检索。", "MODEL") == []
    assert found(finder, "Step3 和 Step-3", "MODEL") == ["Step-3", "Step3"]


@pytest.mark.parametrize(
    "text, name",
    [
        ("在H100 SXM5上", "H100 SXM5"),
        ("8张A100-40GB", "A100-40GB"),
        ("RTX 4070 Ti Super笔记本", "RTX 4070 Ti Super"),
        ("RTX 4060 Laptop", "RTX 4060 Laptop"),
        ("AMD MI210和", "AMD MI210"),
        ("昇腾910C上", "昇腾910C"),
        ("TPU v5e-8 pods", "TPU v5e-8"),
        ("Apple M2 Ultra", "Apple M2 Ultra"),
        ("Jetson AGX Orin", "Jetson AGX Orin"),
        ("Snapdragon 8 Gen 3", "Snapdragon 8 Gen 3"),
        ("two H100s", "H100s"),
        ("AMD EPYC 7H12 CPU", "AMD EPYC 7H12"),  # a model number with a letter inside
        ("Intel Xeon W9-3595X 上", "Intel Xeon W9-3595X"),
        # devices named by series and number (families.jsonl)
        ("鲲鹏服务器 Kunpeng 920 上", "Kunpeng 920"),
        ("AMD Ryzen Threadripper 7960X 工作站", "AMD Ryzen Threadripper 7960X"),
        ("在 OnePlus 12 手机上", "OnePlus 12"),
        ("其 Adreno 750 GPU", "Adreno 750"),
        ("on an AWS g6.12xlarge instance", "AWS g6.12xlarge"),
        ("on an nRF52840 board", "nRF52840"),
    ],
)
def test_hardware_variants(finder: RegexEntities, text: str, name: str) -> None:
    assert name in found(finder, text, "HARDWARE")


def test_not_models(finder: RegexEntities) -> None:
    for text in ["llama.cpp", "GPT-based", "the Phi coefficient", "Qwen", "OPT-in", "a 100 ms"]:
        assert found(finder, text, "MODEL") == [], text


# -- speed-ups ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("实现了6.2x的训练加速", ["6.2x"]),
        ("加速1.3x~1.6x", ["加速1.3x~1.6x"]),
        ("吞吐量提升2.2倍", ["提升2.2倍"]),
        ("最高达3.5倍的加速", ["最高达3.5倍"]),
        ("up to 3.5× faster than vLLM", ["up to 3.5× faster"]),
        ("3×faster", ["3×faster"]),
        ("a 3-fold reduction", ["3-fold reduction"]),
        ("2.5 times higher throughput", ["2.5 times higher"]),
        ("40% lower latency", ["40% lower"]),
        ("延迟降低了约30%", ["降低了约30%"]),
        ("吞吐量提升24%", ["提升24%"]),
        ("reduces memory by up to 45%", ["up to 45%"]),
        ("2-3倍", ["2-3倍"]),
        ("1.2到1.5倍", ["1.2到1.5倍"]),
        ("40%的延迟降低", ["40%"]),
        ("a speedup of 2.1 over", ["2.1"]),
        ("加速比为3.2。", ["3.2"]),
        ("平均提升 12.5%", ["平均提升 12.5%"]),
    ],
)
def test_speedups(finder: RegexEntities, text: str, expected: list[str]) -> None:
    assert found(finder, text, "SPEEDUP") == expected


@pytest.mark.parametrize(
    "text",
    [
        "Mixtral-8x7B",
        "2x2 grid",
        "共享的比例大约28%～88%",
        "accuracy 95%",
        "Qwen3-8B",
        "x86",
        "v2.5",
    ],
)
def test_not_speedups(finder: RegexEntities, text: str) -> None:
    assert found(finder, text, "SPEEDUP") == []


_NUMBER = st.decimals(min_value="0.1", max_value="999", places=2).map(
    lambda d: f"{d.normalize():f}"
)


@settings(max_examples=150, deadline=None)
@given(
    _NUMBER,
    _NUMBER,
    st.sampled_from(["x", "×", "倍"]),
    st.sampled_from(["~", "～", "-", "–", "至", "到"]),
)
def test_factor_ranges(a: str, b: str, unit: str, sep: str) -> None:
    finder = _finder()
    single = f"{a}{unit}"
    assert found(finder, f"实现了{single}的加速", "SPEEDUP") == [single]
    both = f"{a}{unit}{sep}{b}{unit}"
    assert found(finder, f"训练速度为{both}，", "SPEEDUP") == [both]
    first_bare = f"{a}{sep}{b}{unit}"
    assert found(finder, f"训练速度为{first_bare}，", "SPEEDUP") == [first_bare]


@settings(max_examples=100, deadline=None)
@given(_NUMBER, st.sampled_from(["提升", "降低", "减少", "提高了", "节省"]))
def test_percent_needs_a_cue(value: str, cue: str) -> None:
    finder = _finder()
    assert found(finder, f"内存{cue}{value}%。", "SPEEDUP") == [f"{cue}{value}%"]
    assert found(finder, f"占比为{value}%。", "SPEEDUP") == []


_CACHE: list[RegexEntities] = []


def _finder() -> RegexEntities:
    if not _CACHE:
        ruler = RegexEntities(spacy.blank("xx"))
        ruler.initialize()
        _CACHE.append(ruler)
    return _CACHE[0]


def test_weight_activation_formats(finder: RegexEntities) -> None:
    assert found(finder, "W4A8KV4量化与W8A8", "METHOD") == ["W4A8KV4", "W8A8"]
