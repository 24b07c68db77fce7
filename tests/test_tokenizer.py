"""The mixed Chinese/English tokenizer: token boundaries, exact text, serialization."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from techclaims.ingest.nlp.tokenizer import MixedTokenizer


@pytest.fixture(scope="module")
def tok() -> MixedTokenizer:
    return MixedTokenizer(spacy.blank("xx").vocab)


def texts(doc: Doc) -> list[str]:
    return [t.text for t in doc]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Qwen3-32B", ["Qwen3-32B"]),
        ("FlashAttention-3", ["FlashAttention-3"]),
        ("A100-80GB", ["A100-80GB"]),
        ("1.3x~1.6x", ["1.3x", "~", "1.6x"]),
        ("6.2倍", ["6.2", "倍"]),
        ("3×faster", ["3×", "faster"]),
        ("H100s", ["H100s"]),
        ("Llama-3.1-8B", ["Llama-3.1-8B"]),
        ("GPT-4o", ["GPT-4o"]),
        ("W4A8KV4", ["W4A8KV4"]),
        ("Mixtral-8x7B", ["Mixtral-8x7B"]),
        ("2.5×", ["2.5×"]),
        ("40%", ["40%"]),
        ("40%.", ["40%", "."]),
        ("8xH100", ["8x", "H100"]),
        ("28%～88%", ["28%", "～", "88%"]),
        ("1.3x-1.6x", ["1.3x", "-", "1.6x"]),
        ("Qwen3-30B-A3B", ["Qwen3-30B", "-", "A3B"]),
        ("A3/32B", ["A3", "/", "32B"]),
        ("~2x", ["~", "2x"]),
        ("QServe-", ["QServe", "-"]),
        ("llama.cpp的", ["llama.cpp", "的"]),
        ("e.g. vLLM", ["e.g.", "vLLM"]),
        ("Packed I/O（", ["Packed", "I/O", "（"]),  # I/O is one word; other slashes split
        ("prefill/decode", ["prefill", "/", "decode"]),
    ],
)
def test_tricky_strings(tok: MixedTokenizer, text: str, expected: list[str]) -> None:
    doc = tok(text)
    assert texts(doc) == expected
    assert doc.text == text


def test_chinese_is_cut_into_characters(tok: MixedTokenizer) -> None:
    doc = tok("实现了6.2x的训练加速，相比vLLM提升24%。")
    assert texts(doc) == [
        "实",
        "现",
        "了",
        "6.2x",
        "的",
        "训",
        "练",
        "加",
        "速",
        "，",
        "相",
        "比",
        "vLLM",
        "提",
        "升",
        "24%",
        "。",
    ]


def test_markup_tokens(tok: MixedTokenizer) -> None:
    text = '1. **Tree Training**（树）见<img width="809" src="https://x.io/a.png" />[论文](https://arxiv.org/abs/2511.00413).'
    doc = tok(text)
    assert doc.text == text
    words = texts(doc)
    assert words[:3] == ["1.", "**", "Tree"]
    assert '<img width="809" src="https://x.io/a.png" />' in words
    assert "https://arxiv.org/abs/2511.00413" in words
    assert words[-2:] == [")", "."]


def test_whitespace_is_kept(tok: MixedTokenizer) -> None:
    for text in [" lead", "a  b\n\n  c ", "\n", "", "x\t\ty", "句子。 \n下一句", "  "]:
        assert tok(text).text == text


def test_numbered_bullet_only_at_line_start(tok: MixedTokenizer) -> None:
    assert texts(tok("  1. 第一"))[1] == "1."
    assert texts(tok("version 1."))[-2:] == ["1", "."]


def test_jieba_mode_cuts_words_and_keeps_latin(tok: MixedTokenizer) -> None:
    jieba_tok = MixedTokenizer(tok.vocab, cjk="jieba")
    text = "我们提出了Tree Training框架，吞吐量提升2.2倍。"
    doc = jieba_tok(text)
    assert doc.text == text
    assert "Tree" in texts(doc) and "2.2" in texts(doc)
    assert any(len(w) > 1 and "\u4e00" <= w[0] <= "\u9fff" for w in texts(doc))


def test_bad_mode() -> None:
    with pytest.raises(ValueError, match="cjk"):
        MixedTokenizer(spacy.blank("xx").vocab, cjk="pinyin")  # type: ignore[arg-type]


def test_bytes_round_trip(tok: MixedTokenizer) -> None:
    other = MixedTokenizer(tok.vocab, cjk="jieba").from_bytes(tok.to_bytes())
    assert other.cjk == "char"
    assert texts(other("Qwen3-32B在H100上快3×。")) == texts(tok("Qwen3-32B在H100上快3×。"))


def test_disk_round_trip_of_a_pipeline(tmp_path) -> None:
    config = {"nlp": {"tokenizer": {"@tokenizers": "techclaims.MixedTokenizer.v1", "cjk": "char"}}}
    nlp = spacy.blank("xx", config=config)
    nlp.add_pipe("techclaims_sentences")
    nlp.to_disk(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    assert isinstance(loaded.tokenizer, MixedTokenizer)
    text = "相比vLLM，1.3x~1.6x的加速。Next."
    assert texts(loaded(text)) == texts(nlp(text))
    nlp.tokenizer.to_disk(tmp_path / "tok")
    again = MixedTokenizer(nlp.vocab, cjk="jieba").from_disk(tmp_path / "tok")
    assert again.cjk == "char"


_ALPHABET = st.sampled_from(
    list("ab Z09.-%x×~～，。、（）\n\t倍提升的")
    + ["  ", "**", "$", "<b>", "http://a.b/c", "Qwen3", "™", "😀"]
)


_TOKENIZER = MixedTokenizer(spacy.blank("xx").vocab)


@settings(max_examples=200, deadline=None)
@given(st.lists(_ALPHABET, max_size=30).map("".join))
def test_text_is_always_the_input(text: str) -> None:
    doc = _TOKENIZER(text)
    assert doc.text == text
    assert all(t.text for t in doc)


# -- the shortcut for runs the Latin tokenizer keeps whole ------------------------------------

_RUNS = [
    "model",
    "vLLM",
    "Qwen3",
    "H100s",
    "W4A8KV4",
    "8xH100",
    "0xFF",
    "2xA100",
    "x86",
    "3×faster",
    "e.g.",
    "i.e.",
    "vs.",
    "I/O",
    "w/o",
    "A3/32B",
    "GPT-4o",
    "Qwen3-30B-A3B",
    "QServe-",
    "Llama-3.1-8B.",
    "40%",
    "40%.",
    "1.3x~1.6x",
    "~2x",
    "vLLM's",
    "GPUs.",
    "(FP8)",
    "[1]",
    "$1.5",
    "US$5",
    "5+",
    "a+b",
    "x^2",
    "...",
    "foo...",
    "it's",
    "'quoted'",
    "A.B",
    "U.S.",
]


def _spacy_parts(tok: MixedTokenizer, run: str) -> tuple[str, ...]:
    return tuple(t.text for t in tok.latin(run))


@pytest.mark.parametrize("run", _RUNS)
def test_a_run_is_cut_as_the_latin_tokenizer_cuts_it(run: str) -> None:
    tok = MixedTokenizer(spacy.blank("xx").vocab)  # an empty cache: the run is cut now
    assert tok._latin_parts(run) == _spacy_parts(tok, run)
    if tok._whole(run):  # the shortcut never keeps whole what spaCy would cut
        assert _spacy_parts(tok, run) == (run,)


def test_the_shortcut_takes_most_plain_words() -> None:
    """Plain words and names are kept whole without spaCy building a Doc for them."""
    tok = MixedTokenizer(spacy.blank("xx").vocab)
    assert all(tok._whole(w) for w in ("model", "vLLM", "Qwen3", "H100s", "W4A8KV4"))
    assert not any(tok._whole(w) for w in ("8xH100", "e.g.", "GPUs.", "A3/32B", "40%."))


_LATIN = st.sampled_from(list("aAxX09.-/%~+'’()$#,:_^×") + ["e.g.", "vs.", "I/O", "8x", "GB"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_LATIN, min_size=1, max_size=8).map("".join))
def test_any_run_is_cut_as_the_latin_tokenizer_cuts_it(run: str) -> None:
    tok = MixedTokenizer(_TOKENIZER.vocab)
    assert tok._latin_parts(run) == _spacy_parts(tok, run)


def test_every_kind_of_piece_on_one_line(tok: MixedTokenizer) -> None:
    """A list marker, a URL with a bracket and a full stop after it, a tag, a number with
    a mark after it mid-line, emphasis, punctuation runs, a line break and double spaces:
    each piece of the scan, and which tokens a single space follows."""
    text = "2) 见 https://a.io/x). <br/> 3、 模型 **A**, 1.5x;\n 4. 下 a  b"
    words, spaces = tok.split(text)
    assert words == (
        ["2)", "见", "https://a.io/x", ")", ".", "<br/>", "3", "、", "模", "型", "**", "A"]
        + ["**", ",", "1.5x", ";", "\n ", "4.", "下", "a", " ", "b"]
    )
    spaced = [w for w, space in zip(words, spaces, strict=True) if space]
    assert spaced == ["2)", "见", ".", "<br/>", "、", "型", ",", "4.", "下", "a"]
    assert tok(text).text == text
