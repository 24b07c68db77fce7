"""Repair of digests damaged by a lossy UTF-8 -> cp1254 -> UTF-8 round trip.

The clean corpus digests (000, 003) are the ground truth: corrupted here exactly
as the damaged ones were, then repaired and compared.  Fixtures are short
hand-written strings; corpus text is only read at run time from ../shared.
"""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import techclaims.ingest.digest.repair as repair_module
from techclaims.ingest.digest.repair import (
    DROPPED_BYTES,
    char_accuracy,
    completions,
    corrupt,
    is_mojibake,
    repair_text,
)

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"

CLEAN_SAMPLES = [
    "",
    "plain ASCII text, with (brackets) and 1.5x speed-ups.",
    "Résumé of a naïve café in Zürich; señor Muñoz, Ångström, Œuvre — “quotes” & €5 ±2°.",
    "Türkçe metin: ağır, şişe, ığdır, İstanbul'da çok güzel, Ğ Ş ı İ ğ ş.",
    "Greek α, β, γ, Δ, λ≈0.9, ∑ᵢ xᵢ ≤ ∞, √2 × π ≠ 3, 𝜏 and 𝑛 in maths italics.",
    "Emoji 🚀 ✅ 📊 🤖 and a flag 🇹🇷, ZWJ 👩‍💻, variation ❤️.",
    "中文与English混排：我们提出了一种新的推理方法，显著降低了显存占用（约 40%）。",
    "Soft\xadhyphen, non-breaking\xa0space, bullet • and ellipsis … survive.",
    "## 标题\n\n- 要点一：吞吐量提升 2.3 倍\n- 要点二：延迟降低 35%\n",
]

#: Hand-written sentences in the corpus' style; each is repaired exactly.
EXACT_SENTENCES = [
    "我们提出了一种新的模型推理方法，显著降低了显存占用。",
    "该框架在多个基准测试中实现了更高的吞吐量和更低的延迟。",
    "实验表明，量化后的模型在保持准确率的同时，推理速度提升了 2.1 倍。",
]

MOJIBAKE_PARAGRAPH = (
    "## 核心方法\n\n"
    "本文提出了一种面向大语言模型推理的键值缓存压缩方法。该方法根据注意力分数动态选择"
    "需要保留的令牌，并将其余令牌量化为低比特表示，从而在长上下文场景中显著降低显存占用。"
    "与现有方法相比，它不需要重新训练模型，也不依赖特定的硬件。实验结果表明，在多个基准"
    "测试中，该方法在保持准确率的同时将解码吞吐量提升了 2.3 倍，并将首个令牌的延迟降低了 35%。\n"
)


def _corpus_file(prefix: str) -> Path:
    """A corpus digest by its number, or skip where the shared corpus is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS} (expected ../shared/corpus)")
    found = sorted(CORPUS.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"no digest {prefix}_*.txt in {CORPUS}")
    return found[0]


def _read(prefix: str) -> str:
    return _corpus_file(prefix).read_text(encoding="utf-8")


def _intact(ch: str) -> bool:
    """Whether a character survives the round trip with all of its bytes."""
    encoded = ch.encode("utf-8")
    return not any(byte in DROPPED_BYTES for byte in encoded[1:])


def test_module_doctests() -> None:
    """The module's doctests, also when pytest only collects tests/."""
    assert doctest.testmod(repair_module).failed == 0


# ---------------------------------------------------------------- transformation


def test_corrupt_is_the_documented_round_trip() -> None:
    text = "中文 café ‐ 🎯"
    expected = text.encode("utf-8").decode("cp1254", errors="ignore").replace("\xad", "")
    assert corrupt(text) == expected
    assert "\xad" not in corrupt("\xad" * 3)


def test_completions_include_the_original_character() -> None:
    for ch in "中不与、”理型架构块位🎯𝜏️ρí":
        assert not _intact(ch)
        damaged = corrupt(ch).encode("cp1254")
        assert ch in completions(damaged)


# --------------------------------------------------------------------- detection


@pytest.mark.parametrize("text", CLEAN_SAMPLES)
def test_clean_text_is_not_mojibake_and_left_alone(text: str) -> None:
    assert not is_mojibake(text)
    assert repair_text(text) is text


@pytest.mark.parametrize(
    "text",
    [
        MOJIBAKE_PARAGRAPH,
        "# 标题\n模型推理加速",
        "It’s “fast” — really…",  # English with curly quotes only
        "Café crème brûlée à la carte, naïve façade, Zürich.",
    ],
)
def test_short_corrupted_text_is_mojibake(text: str) -> None:
    assert is_mojibake(corrupt(text))


@pytest.mark.parametrize("prefix", ["000", "003"])
def test_clean_corpus_digest_is_unchanged(prefix: str) -> None:
    text = _read(prefix)
    assert not is_mojibake(text)
    assert repair_text(text) is text


@pytest.mark.parametrize("prefix", ["001", "002", "004"])
def test_damaged_corpus_digest_is_detected(prefix: str) -> None:
    text = _read(prefix)
    assert is_mojibake(text)
    assert is_mojibake(text[:300])  # a few hundred characters suffice


# ------------------------------------------------------------------------ repair


@pytest.mark.parametrize("text", EXACT_SENTENCES)
def test_sentences_are_repaired_exactly(text: str) -> None:
    assert repair_text(corrupt(text)) == text


def test_paragraph_repair_is_accurate_and_consistent() -> None:
    damaged = corrupt(MOJIBAKE_PARAGRAPH)
    repaired = repair_text(damaged)
    assert corrupt(repaired) == damaged
    assert char_accuracy(MOJIBAKE_PARAGRAPH, repaired) >= 0.98


def test_characters_cp1254_cannot_produce_are_kept() -> None:
    """A stray clean character inside mojibake stays put; the rest is repaired."""
    damaged = corrupt(MOJIBAKE_PARAGRAPH) + "（注）"
    repaired = repair_text(damaged)
    assert repaired.endswith("（注）")
    assert corrupt(repaired[: -len("（注）")]) == corrupt(MOJIBAKE_PARAGRAPH)


@pytest.mark.slow
def test_repaired_damaged_digest_reads_as_chinese() -> None:
    repaired = repair_text(_read("001"))
    cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in repaired)
    assert cjk > 10_000
    assert not is_mojibake(repaired)
    assert "模型" in repaired and "推理" in repaired


@pytest.mark.slow
def test_corpus_accuracy() -> None:
    """Character accuracy on corrupted clean digests (the target is >= 99.5 %)."""
    originals = [_read("000"), _read("003")]
    repaired = [repair_text(corrupt(text)) for text in originals]
    accuracy = char_accuracy("\n".join(originals), "\n".join(repaired))
    assert accuracy >= 0.995, f"character accuracy {accuracy:.5f}"


# ---------------------------------------------------------------------- accuracy


def test_char_accuracy_counts_edits_per_line() -> None:
    assert char_accuracy("abc\ndef", "abc\ndef") == 1.0
    assert char_accuracy("abcd\nefgh", "abxd\nefgh") == pytest.approx(1 - 1 / 9)
    assert char_accuracy("ab\ncd\nef", "ab\nef") == pytest.approx(1 - 3 / 8)
    assert char_accuracy("ab", "") == 0.0


# ----------------------------------------------------------------------- property

_COMMON_CJK = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下"
    "过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两"
    "体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线"
    "内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并"
    "提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见"
    "计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七"
    "海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场"
    "身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广"
    "石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办"
    "青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江"
    "型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严，。、：（）“”"
)
_ALPHABET = st.sampled_from(list(_COMMON_CJK) + list("abcxyz019 .,-\n") + list("éüşğ€™🚀🎯"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=_ALPHABET, min_size=1, max_size=80))
def test_repair_is_consistent_with_the_damage(text: str) -> None:
    """Repair never touches intact characters and only picks completions that
    damage back to exactly what was observed."""
    damaged = corrupt(text)
    assume(is_mojibake(damaged))
    repaired = repair_text(damaged)
    assert corrupt(repaired) == damaged
    assert len(repaired) == len(text)
    assert all(r == t for r, t in zip(repaired, text, strict=True) if _intact(t))


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=_ALPHABET, min_size=1, max_size=80))
def test_mostly_intact_damage_is_detected(text: str) -> None:
    """Corrupted text is flagged once enough multi-byte characters survive intact."""
    intact_weight = sum(len(c.encode()) - 1 for c in text if not c.isascii() and _intact(c))
    damaged = sum(1 for c in text if not _intact(c))
    assume(intact_weight >= 2 and 2 * intact_weight >= damaged)
    assert is_mojibake(corrupt(text))


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list(_COMMON_CJK[:200]) + list("ab 1,")), min_size=1),
    st.text(alphabet=st.sampled_from(list("àéïöüçñÃÂ©®°±²µ·»¼½¾¿ğşİı€–—“”‘’•™")), max_size=40),
)
def test_clean_text_with_more_cjk_than_latin_is_not_flagged(cjk: str, latin: str) -> None:
    """Characters cp1254 cannot produce outweigh any accidental UTF-8-looking pairs."""
    cjk_count = sum(not c.isascii() for c in cjk)
    assume(cjk_count >= len(latin))
    text = cjk + latin
    assert not is_mojibake(text)
    assert repair_text(text) is text


# ------------------------------------------------------- the cheaper search and model


def _evidence_whole(text: str) -> tuple[int, int, int, int]:
    """Detection's counts as first written: each stretch between foreign characters
    re-decoded whole (`_evidence` re-decodes only its runs of non-ASCII characters)."""
    foreign = sum(len(m.group()) for m in repair_module._NOT_CP1254.finditer(text))
    decoded = truncated = stray = 0
    for part in repair_module._NOT_CP1254.split(text):
        utf8 = part.encode("cp1254").decode("utf-8", errors="surrogateescape")
        for ch in repair_module._MULTIBYTE.findall(utf8):
            if repair_module._prior_logp(ch) > repair_module._IMPOSSIBLE:
                decoded += len(ch.encode("utf-8")) - 1
            else:
                stray += 1
        for run in repair_module._ESCAPED.findall(utf8):
            for group in repair_module._damage_groups(run):
                if repair_module._completion_set(group):
                    truncated += 1
                else:
                    stray += len(group)
    return decoded, truncated, stray, foreign


@pytest.mark.parametrize(
    "text",
    [*CLEAN_SAMPLES, *map(corrupt, CLEAN_SAMPLES), MOJIBAKE_PARAGRAPH, corrupt(MOJIBAKE_PARAGRAPH)]
    + ["a" + corrupt("中") + "b" + corrupt("文") + "中文 é×“x”", "Ã©Ã" + "\xa0" + "¤Ã"],
)
def test_detection_counts_do_not_depend_on_how_the_text_is_cut(text: str) -> None:
    ev = repair_module._evidence(text)
    assert (ev.decoded, ev.truncated, ev.stray, ev.foreign) == _evidence_whole(text)


def test_hmm_tables_are_jieba_posseg_s_without_importing_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    monkeypatch.delitem(sys.modules, "jieba.posseg", raising=False)
    tables = repair_module._hmm_tables()
    assert "jieba.posseg" not in sys.modules  # the tagger (and its dictionary read) stays out
    monkeypatch.undo()
    import jieba.posseg

    assert tables.start == jieba.posseg.start_P
    assert tables.trans == jieba.posseg.trans_P
    assert tables.emit == jieba.posseg.emit_P


def test_dictionary_words_get_their_tokens_on_first_lookup() -> None:
    model = repair_module._model()
    lexicon = model.lexicon
    assert "模型" in model.prefixes and model.prefixes["模型"] is True
    assert model.prefixes["模"] is False  # a prefix of longer words, never True itself
    tokens = lexicon["模型"]
    assert tokens and all(t.logp < 0 for t in tokens)
    assert lexicon["模型"] is tokens  # made once, then kept
    assert lexicon["GPU"][0].logp == repair_module._ASCII_WORD_LOGP  # not a dictionary word
    assert "GPU" not in lexicon  # ASCII words are not kept


def test_a_bonus_moves_the_choice_with_the_words_found_once() -> None:
    model = repair_module._model()
    slots = [("模",), ("型",), ("中", "不", "与"), ("能",)]
    words = repair_module._lattice_words(slots, model.prefixes)
    assert words[1] == [("型", 2, ("型",))]
    assert "".join(repair_module._best_path(slots, model, model.start, None, words)) == "模型不能"
    for favoured in "中与":
        bonus: list[dict[str, float]] = [{}, {}, {favoured: 30.0}, {}]
        chosen = repair_module._best_path(slots, model, model.start, bonus, words)
        assert "".join(chosen) == f"模型{favoured}能"
