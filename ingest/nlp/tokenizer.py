"""A tokenizer for Chinese text mixed with English names and numbers.

One compiled regular expression cuts the text into whitespace, URLs, HTML tags,
runs of Han characters, single CJK / typographic punctuation marks, markdown
markers (``**``, `` ` ``, ``$``, ``#``, brackets, ``|``) and "Latin" runs (everything
else: letters, digits, ASCII punctuation). Han runs become one token per
character (``cjk="char"``, the default) or jieba words (``cjk="jieba"``). Latin
runs go through a spaCy `Tokenizer` whose affix rules are spaCy's multi-language
defaults with a few changes for model names and speed-up factors (see
`latin_rules`); its output is cached per run, since runs repeat a lot.

`doc.text` is always the input, whitespace included: a single space after a
token is that token's `whitespace_`, other whitespace becomes whitespace tokens.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

import spacy
import srsly
from spacy.lang.char_classes import UNITS
from spacy.lang.punctuation import TOKENIZER_INFIXES, TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex
from spacy.vocab import Vocab

from . import vocabulary

__all__ = ["MixedTokenizer", "create_mixed_tokenizer", "latin_rules", "HAN_CLASS"]

CjkMode = Literal["char", "jieba"]

# Han ideographs (incl. extensions and compatibility), kana and hangul: one token a char.
HAN_CLASS = (
    r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\u31f0-\u31ff\uac00-\ud7af"
    r"\U00020000-\U0003134f"
)
# CJK symbols and punctuation, fullwidth forms, general punctuation (dashes,
# curly quotes, ellipsis), CJK compatibility forms: always single-char tokens.
_CJK_PUNCT_CLASS = r"\u2010-\u2027\u2030-\u205e\u3000-\u303f\ufe10-\ufe1f\ufe30-\ufe4f\uff00-\uffef"
_MARK_CLASS = r"*`$#\[\](){}|<"

_SCAN = re.compile(
    rf"""
    (?P<ws>\s+)
    |(?P<url>(?:https?|ftp)://[^\s<>"'`()\[\]{{}}|{HAN_CLASS}{_CJK_PUNCT_CLASS}]+
        |www\.[A-Za-z0-9-]+\.[^\s<>"'`()\[\]{{}}|{HAN_CLASS}{_CJK_PUNCT_CLASS}]+)
    |(?P<tag><!--.*?-->|</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>\n]*?)?/?>)
    |(?P<number>\d{{1,3}}[.)、](?=[ \t]))
    |(?P<han>[{HAN_CLASS}]+)
    |(?P<mark>\*+|`+|\$+|\#+|[\[\](){{}}|<{_CJK_PUNCT_CLASS}])
    |(?P<latin>[^\s{HAN_CLASS}{_CJK_PUNCT_CLASS}{_MARK_CLASS}]+)
    """,
    re.VERBOSE | re.DOTALL,
)
# `split` unpacks the groups in this order
assert tuple(_SCAN.groupindex) == ("ws", "url", "tag", "number", "han", "mark", "latin")
# characters a URL does not end with (they are sentence punctuation)
_URL_TRAIL = ".,;:!?'\""
_BULLET_NUMBER = re.compile(r"\d{1,3}[.)、]")


def latin_rules() -> dict[str, Any]:
    """Affix rules for Latin runs: spaCy's multi-language defaults, changed so that
    model names, sizes and factors stay whole.

    - no split between digits and units (``80GB``, ``40%`` stay whole) and none at a
      hyphen between digits (``Qwen3-32B``, ``Llama-3.1-8B``);
    - a factor is cut from what follows it (``3×faster`` -> ``3×`` ``faster``,
      ``8xH100`` -> ``8x`` ``H100``) and from a range mark after it
      (``1.3x~1.6x`` -> ``1.3x`` ``~`` ``1.6x``);
    - ``/`` between letters or digits is a token (``A3/32B``, ``w/o``), except in
      ``I/O``, a word of its own (``Packed I/O``);
    - ``~ ≈ ≥ ≤ ±`` before a number are prefixes; a final ``.`` or hyphen is a suffix
      after any letter or digit (``Llama-3.1-8B.``, ``QServe-``).
    """
    prefixes = list(TOKENIZER_PREFIXES) + [r"[~≈≥≤±∼](?=[0-9.])"]
    units_rule = rf"(?<=[0-9])(?:{UNITS})"
    suffixes = [s for s in TOKENIZER_SUFFIXES if s != units_rule] + [
        r"(?<=[A-Za-z0-9])[-–—]+",  # QServe-**W4A8** -> QServe -
        r"(?<=[A-Za-z0-9])\.",  # Llama-3.1-8B. -> Llama-3.1-8B .
    ]
    arithmetic = r"(?<=[0-9])[+\-\*^](?=[0-9-])"
    infixes = [i for i in TOKENIZER_INFIXES if i != arithmetic] + [
        r"(?<=[0-9])[+*^](?=[0-9])",
        r"(?<=[0-9][x×X])(?=[A-Za-z])",  # 3×faster, 8xH100 (zero-width split)
        r"(?<=[0-9][x×X%])[~∼\-–—](?=[0-9])",  # 1.3x~1.6x, 1.3x-1.6x
        r"(?<=[A-Za-z0-9])/(?=[A-Za-z0-9])",  # A3/32B, prefill/decode
    ]
    exceptions = {abbr: [{"ORTH": abbr}] for abbr in vocabulary.load("abbreviations").entries}
    return {
        "prefix_search": compile_prefix_regex(prefixes).search,
        "suffix_search": compile_suffix_regex(suffixes).search,
        "infix_finditer": compile_infix_regex(infixes).finditer,
        "rules": exceptions,
    }


class MixedTokenizer:
    """Tokenizer for Chinese/English text; see the module docstring.

    `cjk` is ``"char"`` (one token per Han character) or ``"jieba"`` (jieba words
    within Han runs; Latin runs and punctuation are cut the same way in both modes).
    """

    def __init__(self, vocab: Vocab, *, cjk: CjkMode = "char", cache_size: int = 200_000):
        if cjk not in ("char", "jieba"):
            raise ValueError(f"MixedTokenizer: cjk must be 'char' or 'jieba', not {cjk!r}")
        self.vocab = vocab
        self.cjk: CjkMode = cjk
        self.cache_size = cache_size
        self.latin = Tokenizer(vocab, **latin_rules())
        self._cache: dict[str, tuple[str, ...]] = {}
        self._jieba: Any = None

    # -- tokenizing ---------------------------------------------------------
    def __call__(self, text: str) -> Doc:
        words, spaces = self.split(text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data["techclaims.text"] = text  # see extensions.doc_text
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def split(self, text: str) -> tuple[list[str], list[bool]]:
        """Token texts and trailing-space flags for `text` (what `Doc` takes).

        Reads `_SCAN`'s groups as `findall` tuples (exactly one group is non-empty in
        each) rather than as match objects, and looks the Latin-run cache up inline:
        a fifth less time for the same tokens (tests/test_tokenizer.py)."""
        words: list[str] = []
        spaces: list[bool] = []
        append_word = words.append
        append_space = spaces.append
        extend_words = words.extend
        extend_spaces = spaces.extend
        cached = self._cache.get
        latin_parts = self._latin_parts
        by_char = self.cjk == "char"
        line_start = True  # only whitespace since the last newline
        for ws, url, tag, number, han, mark, latin in _SCAN.findall(text):
            if han:
                if by_char or len(han) == 1:
                    extend_words(han)
                    extend_spaces([False] * len(han))
                else:
                    cut = self._cut(han)
                    extend_words(cut)
                    extend_spaces([False] * len(cut))
            elif latin:
                if line_start and _BULLET_NUMBER.fullmatch(latin):
                    append_word(latin)
                    append_space(False)
                else:
                    parts = cached(latin) or latin_parts(latin)
                    if len(parts) == 1:
                        append_word(parts[0])
                        append_space(False)
                    else:
                        extend_words(parts)
                        extend_spaces([False] * len(parts))
            elif ws:
                piece = ws
                if words and piece[0] == " " and not spaces[-1] and not words[-1].isspace():
                    spaces[-1] = True
                    piece = piece[1:]
                if piece:
                    append_word(piece)
                    append_space(False)
                if "\n" in ws:
                    line_start = True
                continue
            elif number:  # "1." "2)" "3、" before a space: a list marker at line start
                if line_start:
                    append_word(number)
                    append_space(False)
                else:
                    for part in (number[:-1], number[-1]) if number[-1] in ")、" else (number,):
                        parts = latin_parts(part)
                        extend_words(parts)
                        extend_spaces([False] * len(parts))
            elif url:
                stripped = url.rstrip(_URL_TRAIL)
                append_word(stripped)
                append_space(False)
                if len(stripped) < len(url):
                    parts = latin_parts(url[len(stripped) :])
                    extend_words(parts)
                    extend_spaces([False] * len(parts))
            else:  # tag, mark
                append_word(tag or mark)
                append_space(False)
            line_start = False
        return words, spaces

    def _latin_parts(self, run: str) -> tuple[str, ...]:
        parts = self._cache.get(run)
        if parts is None:
            parts = (run,) if self._whole(run) else tuple(t.text for t in self.latin(run))
            if len(self._cache) >= self.cache_size:
                self._cache.clear()
            self._cache[run] = parts
        return parts

    def _whole(self, run: str) -> bool:
        """Whether the Latin tokenizer would give `run` back as one token, asked as it asks:
        not a special case, no prefix, no suffix, no infix (spaCy's `_split_affixes` and
        `_attach_tokens` with no `token_match` or `url_match`). Most runs are plain words and
        names, and spaCy builds a `Doc` to say so: this costs a few regular-expression
        searches instead, a fifth of the time (same tokens: tests/test_tokenizer.py)."""
        latin = self.latin
        return (
            run not in (latin.rules or ())
            and latin.token_match is None
            and latin.url_match is None
            and not latin.find_prefix(run)
            and not latin.find_suffix(run)
            and not latin.find_infix(run)
        )

    def _cut(self, run: str) -> list[str]:
        if self._jieba is None:
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
            self._jieba = jieba.Tokenizer()
        return self._jieba.lcut(run, HMM=True)

    # -- serialization ------------------------------------------------------
    def _cfg(self) -> dict[str, Any]:
        return {"cjk": self.cjk, "cache_size": self.cache_size}

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.msgpack_dumps(
            {"cfg": self._cfg(), "latin": self.latin.to_bytes(exclude=["vocab"])}
        )

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()) -> MixedTokenizer:
        data = srsly.msgpack_loads(bytes_data)
        cfg = data.get("cfg", {})
        self.cjk = cfg.get("cjk", self.cjk)
        self.cache_size = cfg.get("cache_size", self.cache_size)
        if "latin" in data:
            self.latin.from_bytes(data["latin"], exclude=["vocab"])
        self._cache = {}
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.to_bytes(exclude=exclude))

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> MixedTokenizer:
        return self.from_bytes(Path(path).read_bytes(), exclude=exclude)


@spacy.registry.tokenizers("techclaims.MixedTokenizer.v1")
def create_mixed_tokenizer(
    cjk: CjkMode = "char", cache_size: int = 200_000
) -> Callable[[Language], MixedTokenizer]:
    """Config: ``[nlp.tokenizer] @tokenizers = "techclaims.MixedTokenizer.v1"``."""

    def make_tokenizer(nlp: Language) -> MixedTokenizer:
        return MixedTokenizer(nlp.vocab, cjk=cjk, cache_size=cache_size)

    return make_tokenizer
