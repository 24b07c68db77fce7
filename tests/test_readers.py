"""Digest readers: detection, entry splitting, metadata and exact offsets."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from techclaims.ingest.digest.readers import (
    DigestInfo,
    detect_format,
    load_digest_text,
    read_digest,
    split_entries,
)
from techclaims.ingest.errors import NotADigestError
from techclaims.schema.records import Entry

EXAMPLE_FORMATS = {
    "awesome-list.md": "awesome",
    "arxiv-bot.md": "arxiv-bot",
    "arxiv-bot-mojibake.md": "arxiv-bot",
    "daily-picks.md": "daily-picks",
    "reading-notes.md": "markdown",
}
CORPUS_COUNTS = {
    # 000 has 235 `##` sections with a heading, one empty `##` (the SENT paper) and two
    # papers under a level-1 `#` heading (StaleFlow, Injecting RL Skills): 238 papers.
    "000_9c1e8838ba8ffd38.txt": ("awesome", 238),
    "001_1bac001da6e97d89.txt": ("arxiv-bot", 30),
    "002_fb3235c72ed27e72.txt": ("arxiv-bot", 30),
    "003_f1ba93a0366c28d5.txt": ("daily-picks", 20),
    "004_dfb8b039ab1f7e05.txt": ("arxiv-bot", 30),
}


def _read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _split(examples_dir: Path, name: str) -> tuple[str | None, list[Entry]]:
    return split_entries(_read_text(examples_dir / name), name)


def assert_well_formed(text: str, entries: list[Entry]) -> None:
    """Offsets are exact, entries are in file order and do not overlap."""
    end = 0
    for entry in entries:
        assert text[entry.span.start : entry.span.end] == entry.text
        assert entry.span.start >= end
        assert entry.text == entry.text.rstrip()
        assert entry.text.startswith("#")
        end = entry.span.end


# --- detection -----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "fmt"), sorted(EXAMPLE_FORMATS.items()))
def test_detects_each_example_format(examples_dir: Path, name: str, fmt: str) -> None:
    assert detect_format(_read_text(examples_dir / name)) == fmt


def test_detects_awesome_list_without_title() -> None:
    text = "## vLLM\nEfficient Memory Management\nhttps://arxiv.org/abs/2309.06180 SOSP23\n"
    assert detect_format(text) == "awesome"


def test_plain_markdown_is_the_fallback() -> None:
    assert detect_format("# Notes\n\n## Idea\nsome text\n") == "markdown"


# --- awesome -------------------------------------------------------------------------------


def test_awesome_example_entries(examples_dir: Path) -> None:
    text = _read_text(examples_dir / "awesome-list.md")
    title, entries = split_entries(text, "awesome-list.md")
    assert title == "Awesome-LLM-Serving-Notes"
    assert [e.heading for e in entries] == [
        "FlashAttention-2",
        "PagedAttention vLLM",
        "SGLang RadixAttention",  # typed `##SGLang ...`
        "QServe W4A8KV4",
        "Medusa",  # a level-1 `# Medusa` in the middle of the list
        "Sarathi-Serve",
        "Mooncake",
        "vLLM 再读：block size 与抢占",
    ]
    assert [e.arxiv_id for e in entries] == [
        "2307.08691",  # pdf/…v1
        "2309.06180",
        "2312.07104",  # `paper: …v2`
        "2405.04532",
        "2401.10774",  # pdf/…v3.pdf
        "2403.02310",
        None,
        "2309.06180",  # html/…v1: the same paper again, kept as a second entry
    ]
    assert all(e.format == "awesome" and e.source == "awesome-list.md" for e in entries)
    assert_well_formed(text, entries)


def test_awesome_title_link_and_notes(examples_dir: Path) -> None:
    _, entries = _split(examples_dir, "awesome-list.md")
    flash, paged, sglang = entries[:3]
    assert (
        flash.title
        == "FlashAttention-2: Faster Attention with Better Parallelism and Work Partitioning"
    )
    assert flash.url == "https://arxiv.org/pdf/2307.08691v1"
    assert flash.notes == "斯坦福 Tri Dao 2023.7.17"
    assert flash.published == date(2023, 7, 17)
    assert "### 实现细节" in flash.text  # sub-headings stay in their entry
    assert paged.notes == "伯克利 Ion Stoica团队 SOSP23"
    assert sglang.notes == "斯坦福 伯克利等 NeurIPS24"  # the `paper:` label is not a note


def test_awesome_section_without_arxiv_link(examples_dir: Path) -> None:
    _, entries = _split(examples_dir, "awesome-list.md")
    mooncake = entries[6]
    assert (
        mooncake.title == "Mooncake: A KVCache-centric Disaggregated Architecture for LLM Serving"
    )
    assert mooncake.arxiv_id is None and mooncake.url is None
    assert "525%" in mooncake.text


def test_awesome_heading_is_title_when_no_title_line() -> None:
    text = "# List\n\n## TPLA\nhttps://arxiv.org/pdf/2508.15881 北大 腾讯\n\n1. 要点\n\n## 稀疏更新\n田渊栋等\n正文\n"
    _, entries = split_entries(text, "x.md", "awesome")
    assert [(e.title, e.arxiv_id) for e in entries] == [("TPLA", "2508.15881"), ("稀疏更新", None)]


def test_awesome_empty_heading_takes_the_title_line() -> None:
    text = "# List\n\n## A\nA Paper\nhttps://arxiv.org/abs/2401.00001\n\n##\nAnother Paper Title\nhttps://arxiv.org/pdf/2512.04359 南京大学\n"
    _, entries = split_entries(text, "x.md", "awesome")
    assert [(e.heading, e.title, e.arxiv_id) for e in entries] == [
        ("A", "A Paper", "2401.00001"),
        ("", "Another Paper Title", "2512.04359"),
    ]


# --- arXiv bot -----------------------------------------------------------------------------


def test_arxiv_bot_example_entries(examples_dir: Path) -> None:
    text = _read_text(examples_dir / "arxiv-bot.md")
    title, entries = split_entries(text, "arxiv-bot.md")
    assert title == "arXiv Papers Bot 🤖"
    assert [e.arxiv_id for e in entries] == [
        "2401.15077",
        "2401.10774",
        "2401.09670",
        "2309.17453",
        "2407.08608",
    ]
    eagle = entries[0]
    assert (
        eagle.title
        == eagle.heading
        == "EAGLE: Speculative Sampling Requires Rethinking Feature Uncertainty"
    )
    assert eagle.authors == ("Yuhui Li", "Fangyun Wei", "Chao Zhang", "Hongyang Zhang")
    assert eagle.category == "cs.LG"
    assert eagle.published == date(2024, 1, 26)
    assert eagle.url == "https://arxiv.org/abs/2401.15077"
    assert eagle.text.startswith("### 1. [EAGLE")
    assert "#### Abstract" in eagle.text and eagle.text.endswith("</details>")
    assert entries[1].text.endswith("trains the backbone jointly...")  # no <details> block
    assert entries[2].category == "cs.DC" and len(entries[2].authors) == 8
    assert_well_formed(text, entries)


def test_arxiv_bot_preamble_and_postamble_are_not_entries(examples_dir: Path) -> None:
    _, entries = _split(examples_dir, "arxiv-bot.md")
    joined = "".join(e.text for e in entries)
    assert "Statistics" not in joined and "Configuration" not in joined
    last = entries[-1]
    assert "## 2. 主要实验结果" in last.text  # summary headings inside <details> stay in the item
    assert last.text.endswith("</details>")


def test_arxiv_bot_id_falls_back_to_the_link() -> None:
    text = (
        "### 1. [A Paper](https://arxiv.org/abs/2602.06063v2)\n\n**Authors**: A, B\n\nAbstract.\n"
    )
    _, entries = split_entries(text, "bot.md", "arxiv-bot")
    assert entries[0].arxiv_id == "2602.06063"
    assert entries[0].authors == ("A", "B")


# --- daily picks ---------------------------------------------------------------------------


def test_daily_picks_example_entries(examples_dir: Path) -> None:
    text = _read_text(examples_dir / "daily-picks.md")
    title, entries = split_entries(text, "daily-picks.md")
    assert title == "每日精选"
    assert [e.heading.split(":")[0] for e in entries] == ["QSERVE", "SMOOTHQUANT", "AWQ", "EAGLE-2"]
    assert all(e.title == e.heading and e.title.isupper() for e in entries)
    qserve = entries[0]
    assert qserve.authors[0] == "Yujun Lin" and qserve.authors[-1] == "Song Han"
    assert qserve.notes == "MIT, UMass Amherst, MIT-IBM Watson AI Lab, NVIDIA"
    assert "### 核心技术创新" in qserve.text and "## 启示" in qserve.text
    assert "Llama-3-8B" in qserve.text
    assert_well_formed(text, entries)


def test_daily_picks_intro_bullets_are_not_entries(examples_dir: Path) -> None:
    text = _read_text(examples_dir / "daily-picks.md")
    _, entries = split_entries(text, "daily-picks.md")
    intro_end = text.index("## QSERVE")
    assert entries[0].span.start == intro_end
    assert all("- **SMOOTHQUANT" not in e.text for e in entries)


# --- markdown fallback ---------------------------------------------------------------------


def test_markdown_example_entries(examples_dir: Path) -> None:
    text = _read_text(examples_dir / "reading-notes.md")
    title, entries = split_entries(text, "reading-notes.md")
    assert title == "周末读论文：Attention kernel 与量化"
    assert [e.arxiv_id for e in entries] == ["2205.14135", "2407.08608", "2306.00978"]
    assert entries[0].heading == entries[0].title
    assert entries[0].title.startswith("FlashAttention: Fast and Memory-Efficient")
    assert entries[2].url == "https://arxiv.org/abs/2306.00978"
    assert "## Quantization" not in entries[1].text  # a higher-level heading ends the entry
    assert_well_formed(text, entries)


def test_markdown_without_links_uses_headings_with_text() -> None:
    text = "# Notes\n\n## First idea\nbody one\n\n### detail\nmore\n\n## Second idea\nbody two\n"
    title, entries = split_entries(text, "n.md")
    assert title == "Notes"
    assert [e.heading for e in entries] == ["First idea", "Second idea"]
    assert "### detail" in entries[0].text


# --- all examples --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(n for n in EXAMPLE_FORMATS if "mojibake" not in n))
def test_crlf_gives_the_same_entries(examples_dir: Path, name: str) -> None:
    text = _read_text(examples_dir / name)
    crlf = text.replace("\n", "\r\n")
    _, plain = split_entries(text, name)
    _, windows = split_entries(crlf, name)
    assert [(e.heading, e.title, e.arxiv_id, e.authors, e.notes) for e in windows] == [
        (e.heading, e.title, e.arxiv_id, e.authors, e.notes) for e in plain
    ]
    assert_well_formed(crlf, windows)


@pytest.mark.parametrize("name", sorted(n for n in EXAMPLE_FORMATS if "mojibake" not in n))
def test_read_digest_on_clean_examples(examples_dir: Path, name: str) -> None:
    info, entries = read_digest(examples_dir / name)
    assert isinstance(info, DigestInfo)
    assert info.source == name and info.format == EXAMPLE_FORMATS[name]
    assert info.repaired is False
    assert len(info.sha256) == 64
    assert info.text == _read_text(examples_dir / name)
    assert_well_formed(info.text, entries)


def test_explicit_format_is_used(examples_dir: Path) -> None:
    text = _read_text(examples_dir / "reading-notes.md")
    _, entries = split_entries(text, "reading-notes.md", "markdown")
    assert {e.format for e in entries} == {"markdown"}
    with pytest.raises(NotADigestError):
        split_entries(text, "reading-notes.md", "arxiv-bot")


def test_same_paper_in_two_example_digests(examples_dir: Path) -> None:
    ids = {
        name: {e.arxiv_id for e in _split(examples_dir, name)[1]}
        for name in ("awesome-list.md", "arxiv-bot.md", "reading-notes.md")
    }
    assert "2401.10774" in ids["awesome-list.md"] & ids["arxiv-bot.md"]
    assert "2407.08608" in ids["arxiv-bot.md"] & ids["reading-notes.md"]


# --- mis-encoded example (needs ingest.digest.repair) --------------------------------------


def test_mojibake_example_is_repaired_to_the_same_papers(examples_dir: Path) -> None:
    info, entries = read_digest(examples_dir / "arxiv-bot-mojibake.md")
    _, clean = read_digest(examples_dir / "arxiv-bot.md")
    assert info.repaired is True
    assert info.title == "arXiv Papers Bot 🤖"
    assert [(e.title, e.arxiv_id, e.authors, e.published) for e in entries] == [
        (e.title, e.arxiv_id, e.authors, e.published) for e in clean
    ]
    assert_well_formed(info.text, entries)


# --- corpus --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(corpus_dir: Path) -> dict[str, tuple[str, list[Entry]]]:
    """Each corpus file read once: (repaired text, entries)."""
    read = {}
    for name in CORPUS_COUNTS:
        info, entries = read_digest(corpus_dir / name)
        read[name] = (info.text, entries)
    return read


@pytest.mark.parametrize(("name", "expected"), sorted(CORPUS_COUNTS.items()))
def test_corpus_counts(corpus: dict, name: str, expected: tuple[str, int]) -> None:
    text, entries = corpus[name]
    fmt, count = expected
    assert len(entries) == count
    assert {e.format for e in entries} == {fmt}
    assert_well_formed(text, entries)


def test_corpus_arxiv_bot_metadata(corpus: dict) -> None:
    for name in (
        "001_1bac001da6e97d89.txt",
        "002_fb3235c72ed27e72.txt",
        "004_dfb8b039ab1f7e05.txt",
    ):
        _, entries = corpus[name]
        assert all(e.arxiv_id and "v" not in e.arxiv_id for e in entries)
        assert all(e.authors and e.category and e.published for e in entries)
    first = corpus["001_1bac001da6e97d89.txt"][1][0]
    assert first.heading == first.title == "Mapping Gemma3 onto an Edge Dataflow Architecture"
    assert first.arxiv_id == "2602.06063" and first.published == date(2026, 2, 9)


def test_corpus_awesome_oddities(corpus: dict) -> None:
    _, entries = corpus["000_9c1e8838ba8ffd38.txt"]
    by_heading = {e.heading: e for e in entries}
    assert by_heading["开源模型 IOI金牌"].arxiv_id == "2510.14232"  # `##开源模型` and `…v1`
    assert by_heading["StaleFlow"].arxiv_id == "2601.12784"  # under a level-1 heading
    assert by_heading[""].arxiv_id == "2512.04359"  # an empty `##`
    assert sum(e.heading == "PAT" for e in entries) == 2
    assert sum(e.heading == "ToolOrchestra" for e in entries) == 2


def test_corpus_matches_gold_headings_titles_and_ids(corpus: dict, gold_dir: Path) -> None:
    for line in (gold_dir / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        paper = json.loads(line)
        _, entries = corpus[paper["source"]]
        wanted = (paper["heading"], paper["title"], paper["arxiv_id"])
        assert wanted in {(e.heading, e.title, e.arxiv_id) for e in entries}, wanted


# --- robustness ----------------------------------------------------------------------------

_PIECES = list("#[]()*-:. \n\r\tabcAB12v中文") + [
    "https://arxiv.org/abs/2401.15077",
    "<details>",
    "</details>",
    "### 1. [",
    "**Authors**: ",
    "核心技术创新",
    "\n## ",
]
_MARKDOWNISH = st.lists(st.sampled_from(_PIECES), max_size=120).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MARKDOWNISH)
def test_any_text_splits_exactly_or_is_not_a_digest(text: str) -> None:
    try:
        _, entries = split_entries(text, "random.md")
    except NotADigestError as error:
        assert str(error).startswith("random.md: ")
        return
    end = 0
    for entry in entries:
        assert text[entry.span.start : entry.span.end] == entry.text
        assert entry.span.start >= end
        end = entry.span.end


def test_load_digest_text_returns_raw_sha(examples_dir: Path) -> None:
    path = examples_dir / "awesome-list.md"
    text, repaired, sha = load_digest_text(path)
    assert sha == hashlib.sha256(path.read_bytes()).hexdigest()
    assert repaired is False and text == _read_text(path)
