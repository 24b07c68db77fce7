"""Reading files that are not (good) digests: each gets its own error, one line, naming the file."""

from __future__ import annotations

import codecs
import random
import time
from pathlib import Path

import pytest

from techclaims.ingest.digest import load
from techclaims.ingest.digest.readers import load_digest_text, read_digest, split_entries
from techclaims.ingest.errors import (
    BinaryFileError,
    DigestError,
    DigestNotFoundError,
    EmptyDigestError,
    IngestError,
    NotADigestError,
    PathologicalInputError,
    UndecodableError,
    UnreadableDigestError,
)

DIGEST = (
    "# Notes\n\n## vLLM\nEfficient Memory Management\nhttps://arxiv.org/abs/2309.06180 SOSP23\n"
)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _assert_one_line_about(error: DigestError, path: Path) -> None:
    message = str(error)
    assert isinstance(error, IngestError)
    assert "\n" not in message and "\r" not in message
    assert path.name in message
    assert message == f"{path}: {error.problem}"


# --- file system ---------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.md"
    with pytest.raises(DigestNotFoundError) as caught:
        load_digest_text(path)
    _assert_one_line_about(caught.value, path)
    assert isinstance(caught.value.__cause__, FileNotFoundError)


def test_directory(tmp_path: Path) -> None:
    path = tmp_path / "digests.md"
    path.mkdir()
    with pytest.raises(UnreadableDigestError) as caught:
        load_digest_text(path)
    _assert_one_line_about(caught.value, path)
    assert "directory" in caught.value.problem


# --- empty ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data", [b"", b"   \n\t\r\n  ", codecs.BOM_UTF8 + b" \n", "\u3000\n".encode()]
)
def test_empty_or_whitespace_only(tmp_path: Path, data: bytes) -> None:
    path = _write(tmp_path, "empty.md", data)
    with pytest.raises(EmptyDigestError) as caught:
        load_digest_text(path)
    _assert_one_line_about(caught.value, path)


# --- binary --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("nul.md", b"# Title\n\x00\x01\x02 binary junk"),
        ("image.md", b"\x89PNG\r\n\x1a\n" + bytes(range(256))),
        ("paper.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
        ("noise.bin", random.Random(7).randbytes(4096).replace(b"\x00", b"\x01")),
        ("controls.md", ("# T\n" + "\x01\x02\x03\x04" * 100).encode()),
    ],
)
def test_binary_files(tmp_path: Path, name: str, data: bytes) -> None:
    path = _write(tmp_path, name, data)
    with pytest.raises(BinaryFileError) as caught:
        load_digest_text(path)
    _assert_one_line_about(caught.value, path)


# --- encodings -----------------------------------------------------------------------------


def test_legacy_encoding_is_refused_not_guessed(tmp_path: Path) -> None:
    path = _write(tmp_path, "latin1.md", "# Notes\n\n## Café résumé\n".encode("latin-1"))
    with pytest.raises(UndecodableError) as caught:
        load_digest_text(path)
    _assert_one_line_about(caught.value, path)
    assert "UTF-8" in caught.value.problem and "0xe9" in caught.value.problem
    assert "line 3" in caught.value.problem
    assert isinstance(caught.value.__cause__, UnicodeDecodeError)


def test_gbk_file_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "gbk.md", "# 每日精选\n\n## 核心技术创新\n吞吐提升2倍\n".encode("gbk"))
    with pytest.raises(UndecodableError):
        load_digest_text(path)


def test_utf8_bom_is_stripped_and_offsets_follow(tmp_path: Path) -> None:
    path = _write(tmp_path, "bom.md", codecs.BOM_UTF8 + DIGEST.encode())
    text, repaired, _ = load_digest_text(path)
    assert text == DIGEST and not repaired
    info, entries = read_digest(path)
    assert info.text[entries[0].span.start : entries[0].span.end] == entries[0].text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom_are_decoded(tmp_path: Path, encoding: str) -> None:
    bom = {"utf-16-be": codecs.BOM_UTF16_BE}.get(encoding, b"")
    path = _write(tmp_path, f"{encoding}.md", bom + DIGEST.encode(encoding))
    text, _, _ = load_digest_text(path)
    assert text == DIGEST


def test_utf16_without_bom_is_binary(tmp_path: Path) -> None:
    path = _write(tmp_path, "utf16le.md", DIGEST.encode("utf-16-le"))
    with pytest.raises(BinaryFileError) as caught:
        load_digest_text(path)
    assert "UTF-8" in caught.value.problem  # tells the user what to do


def test_broken_utf16_after_bom(tmp_path: Path) -> None:
    path = _write(tmp_path, "broken16.md", codecs.BOM_UTF16_LE + b"#\x00 \x00\x00\xd8")
    with pytest.raises(UndecodableError) as caught:
        load_digest_text(path)
    _assert_one_line_about(caught.value, path)


# --- pathological --------------------------------------------------------------------------


def test_line_too_long(tmp_path: Path) -> None:
    data = ("# T\n\n## A\n" + "x" * (load.MAX_LINE_CHARS + 1) + "\n").encode()
    path = _write(tmp_path, "longline.md", data)
    with pytest.raises(PathologicalInputError) as caught:
        load_digest_text(path)
    _assert_one_line_about(caught.value, path)
    assert "line 4" in caught.value.problem


def test_file_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "MAX_FILE_BYTES", 64)
    path = _write(tmp_path, "big.md", DIGEST.encode() * 4)
    with pytest.raises(PathologicalInputError) as caught:
        load_digest_text(path)
    _assert_one_line_about(caught.value, path)


def test_split_entries_refuses_a_long_line_too() -> None:
    with pytest.raises(PathologicalInputError):
        split_entries("## A\n" + "y" * (load.MAX_LINE_CHARS + 1), "inline.md")


@pytest.mark.parametrize(
    "line",
    [
        "### 1. [" + "[" * 200_000,
        "### 1. [" + "](" * 100_000,
        "#" * 200_000,
        "**Authors**: " + "*" * 200_000,
        "https://arxiv.org/abs/" + "1" * 200_000,
    ],
)
def test_adversarial_lines_stay_fast(line: str) -> None:
    text = "# T\n\n## A\nTitle\n" + line + "\n"
    started = time.perf_counter()
    try:
        split_entries(text, "adversarial.md")
    except NotADigestError:
        pass
    assert time.perf_counter() - started < 2.0


# --- not a digest --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    ["just some notes without any heading\nsecond line\n", "#hashtag #another\nplain text\n"],
)
def test_text_without_entries_is_not_a_digest(tmp_path: Path, content: str) -> None:
    path = _write(tmp_path, "notes.txt", content.encode())
    with pytest.raises(NotADigestError) as caught:
        read_digest(path)
    _assert_one_line_about(caught.value, path)
    assert isinstance(caught.value.__cause__, NotADigestError)


def test_split_entries_names_the_source() -> None:
    with pytest.raises(NotADigestError) as caught:
        split_entries("no headings here", "plain.txt")
    assert str(caught.value).startswith("plain.txt: ")


def test_error_message_is_flattened_to_one_line() -> None:
    error = DigestError("a/b.md", "first\nsecond\r\nthird")
    assert str(error) == "a/b.md: first second third"


def test_too_many_headings(monkeypatch: pytest.MonkeyPatch) -> None:
    from techclaims.ingest.digest import readers

    monkeypatch.setattr(readers, "MAX_HEADINGS", 10)
    text = "# T\n" + "".join(f"## H{i}\nTitle {i}\n" for i in range(20))
    with pytest.raises(PathologicalInputError) as caught:
        split_entries(text, "generated.md")
    assert str(caught.value).startswith("generated.md: 21 heading lines")
