"""Read a digest file into text, refusing what is not a digest with a one-line reason.

Users point ``kg ingest`` at folders, so anything can arrive here: images,
PDFs, files in a legacy encoding, a log with one endless line. Each of those
gets a specific `DigestError` that names the file and says what to do, instead
of a traceback or, worse, a silently garbled graph. Encodings are not guessed:
UTF-8 (with or without BOM) is the format, UTF-16/32 are accepted only when a
byte-order mark says so, and anything else is refused with the offending byte.

Mis-encoded digests (UTF-8 read as cp1254 and saved again) are repaired here,
so that every offset downstream points into the same repaired text.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
from pathlib import Path

from techclaims.ingest.errors import (
    BinaryFileError,
    DigestNotFoundError,
    EmptyDigestError,
    PathologicalInputError,
    UndecodableError,
    UnreadableDigestError,
)

log = logging.getLogger(__name__)

#: Larger files are refused before they are read (the largest corpus digest is 1.1 MB).
MAX_FILE_BYTES = 64 * 1024 * 1024
#: A longer line means minified or generated data, not a digest (longest corpus line: 2.6k).
MAX_LINE_CHARS = 1_000_000
#: Share of control characters above which a decodable file is still called binary.
MAX_CONTROL_SHARE = 0.05
#: How much of a file the binary checks look at.
SNIFF_BYTES = 64 * 1024

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx file)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_FIX = "save it as UTF-8"


def load_digest_text(path: Path) -> tuple[str, bool, str]:
    """Read a digest file -> (repaired text, was_repaired, sha256 of the raw bytes).

    Raises a `DigestError` subclass, with a one-line message naming the file,
    for a missing or unreadable path, an empty, binary, undecodable or
    pathologically large file.
    """
    path = Path(path)
    raw = _read_bytes(path)
    digest = hashlib.sha256(raw).hexdigest()
    text = decode_digest(raw, path)
    check_lines(text, path)
    text, repaired = repair_if_garbled(text)
    return text, repaired, digest


def decode_digest(raw: bytes, path: Path) -> str:
    """Bytes -> text, BOM removed; refuses empty, binary and non-UTF-8 content."""
    if not raw:
        raise EmptyDigestError(path, "file is empty (0 bytes)")
    text = _decode(raw, path)
    if not text.strip():
        raise EmptyDigestError(path, "file holds only whitespace")
    sample = text[:SNIFF_BYTES]
    if len(_CONTROL_CHARS.findall(sample)) > MAX_CONTROL_SHARE * len(sample):
        raise BinaryFileError(path, "binary file: too many control characters to be a text digest")
    nul = text.find("\x00", SNIFF_BYTES)  # the head was checked above; a NUL anywhere is no text
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise BinaryFileError(
            path, f"holds a NUL byte (line {line}): not a text digest, or a damaged one"
        )
    return text


def check_lines(text: str, path: Path | str) -> None:
    """Refuse a text with a line longer than `MAX_LINE_CHARS`."""
    start = 0
    for match in _LINE_BREAK.finditer(text):
        if match.start() - start > MAX_LINE_CHARS:
            _too_long(text, start, path)
        start = match.end()
    if len(text) - start > MAX_LINE_CHARS:
        _too_long(text, start, path)


def _too_long(text: str, start: int, path: Path | str) -> None:
    line = text.count("\n", 0, start) + 1
    raise PathologicalInputError(
        path, f"line {line} is over {MAX_LINE_CHARS:,} characters long; not a digest"
    )


def _read_bytes(path: Path) -> bytes:
    try:
        info = path.stat()
    except FileNotFoundError as error:
        raise DigestNotFoundError(path, "no such file") from error
    except OSError as error:
        raise UnreadableDigestError(path, f"cannot read: {error.strerror or error}") from error
    if path.is_dir():
        raise UnreadableDigestError(path, "is a directory, not a digest file")
    if not path.is_file():
        raise UnreadableDigestError(path, "is not a regular file")
    if info.st_size > MAX_FILE_BYTES:
        raise PathologicalInputError(
            path,
            f"file is {info.st_size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit for a digest",
        )
    try:
        return path.read_bytes()
    except OSError as error:
        raise UnreadableDigestError(path, f"cannot read: {error.strerror or error}") from error


def _decode(raw: bytes, path: Path) -> str:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding).lstrip("\ufeff")
            except UnicodeDecodeError as error:
                name = encoding.upper().removesuffix("-SIG")
                raise UndecodableError(
                    path, f"starts with a {name} byte-order mark but is not valid {name}; {_FIX}"
                ) from error
    head = raw[:SNIFF_BYTES]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            raise BinaryFileError(path, f"binary file ({kind}), not a text digest")
    if b"\x00" in head:
        raise BinaryFileError(
            path, f"binary file (holds NUL bytes), not a text digest; if it is UTF-16 text, {_FIX}"
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        if len(_CONTROL_BYTES.findall(head)) > MAX_CONTROL_SHARE * len(head):
            raise BinaryFileError(path, "binary file, not a text digest") from error
        line = raw.count(b"\n", 0, error.start) + 1
        raise UndecodableError(
            path,
            f"not valid UTF-8: byte 0x{raw[error.start]:02x} at offset {error.start} (line {line}); {_FIX}",
        ) from error


def repair_if_garbled(text: str) -> tuple[str, bool]:
    """Undo the cp1254 mis-encoding when the text shows it."""
    try:
        from techclaims.ingest.digest.repair import repair_if_mojibake
    except ModuleNotFoundError as error:
        if error.name != "techclaims.ingest.digest.repair":
            raise
        log.warning("ingest.digest.repair is not installed; mis-encoded digests stay unrepaired")
        return text, False
    return repair_if_mojibake(text)
