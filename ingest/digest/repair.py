"""Repair digests that went through a lossy UTF-8 → cp1254 → UTF-8 round trip.

Some corpus digests were produced as::

    text.encode("utf-8").decode("cp1254", errors="ignore").replace("\\xad", "")

and then saved as UTF-8.  Re-encoding such text with cp1254 gives back the
original UTF-8 bytes *minus* every byte that cp1254 cannot represent
(0x81 0x8D 0x8E 0x8F 0x90 0x9D 0x9E) and minus 0xAD (the soft hyphen that was
stripped).  All eight are UTF-8 *continuation* bytes, so ASCII and lead bytes
always survive: every damaged character is still anchored by its lead byte and
we know exactly how many bytes it lost, only not where or which.  About one
CJK character in four loses a byte, which is why a plain cp1254 round trip
(or ftfy) recovers so little.

Repair therefore

1. decodes every intact character exactly (cp1254 bytes → UTF-8),
2. lists, for each damaged character, the few completions that re-insert
   dropped bytes so that the sequence is valid UTF-8 (:func:`completions`),
3. picks among them by a Viterbi search over a lattice that covers a cluster
   of nearby damaged characters and a few intact neighbours on either side,
   scoring with a word model: jieba's dictionary with a hand-written list of
   the domain's vocabulary (``data/domain_words.txt``), part-of-speech tag
   transitions from jieba's HMM, a prior for punctuation, symbols and emoji,
   prepositional frames (在 …… 中, 与 …… 相比) found in the same clause, and,
   in a second pass, the collocations the first pass found in the document.

The search is linear in the length of each cluster, so damaged regions are
decided jointly with their local context without a whole-text beam search.
Detection (:func:`is_mojibake`) needs no model and is cheap.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = [
    "DROPPED_BYTES",
    "char_accuracy",
    "completions",
    "corrupt",
    "is_mojibake",
    "repair_if_mojibake",
    "repair_text",
]

#: UTF-8 continuation bytes that the lossy round trip removes.
DROPPED_BYTES: bytes = b"\x81\x8d\x8e\x8f\x90\x9d\x9e\xad"

#: The characters cp1254 decodes bytes to; text with anything else is not pure mojibake.
_CP1254_CHARS: str = "".join(
    bytes([b]).decode("cp1254") for b in range(256) if b not in DROPPED_BYTES[:-1]
)
_NOT_CP1254 = re.compile("[^" + re.escape(_CP1254_CHARS) + "]+")
#: Runs of the non-ASCII characters cp1254 decodes bytes to (what detection looks at).
_HIGH_CP1254 = re.compile(
    "[" + re.escape("".join(ch for ch in _CP1254_CHARS if not ch.isascii())) + "]+"
)
#: ``surrogateescape`` turns every byte that is not part of valid UTF-8 into U+DC80..U+DCFF.
_ESCAPED = re.compile("[\udc80-\udcff]+")
#: How intact context is cut into slots: ASCII words and numbers are one slot each;
#: spaces and markdown emphasis are left out of the lattice (transparent).
_INTACT_TOKEN = re.compile(
    r"(?P<word>[A-Za-z0-9]+(?:[-_.+/'][A-Za-z0-9]+)*%?)|(?P<skip>[ \t*`_~]+)|."
)
_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*%?")
#: Intact characters kept as context on each side of a damaged character.
_CONTEXT = 4
_NEG_INF = float("-inf")


def corrupt(text: str) -> str:
    """Apply the lossy transformation that damaged the corpus.

    Kept here so tests and benchmarks damage clean text exactly as the corpus
    was damaged.

    >>> corrupt("中文 ok")
    'ä¸æ–‡ ok'
    """
    return text.encode("utf-8").decode("cp1254", errors="ignore").replace("\xad", "")


# --------------------------------------------------------------------------
# Byte level: which characters are damaged, and how could they be completed?
# --------------------------------------------------------------------------


def _utf8_length(lead: int) -> int:
    """Length of the UTF-8 sequence a lead byte announces (0 if not a lead byte).

    >>> [_utf8_length(b) for b in (0x41, 0x8D, 0xC3, 0xE4, 0xF0, 0xF8)]
    [1, 0, 2, 3, 4, 0]
    """
    if lead < 0x80:
        return 1
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


@cache
def _completion_set(damaged: bytes) -> frozenset[str]:
    """All characters whose UTF-8 form turns into ``damaged`` when dropped bytes go.

    ``damaged`` is a lead byte plus the continuation bytes that survived.  The
    missing bytes can sit anywhere after the lead byte and be any of
    :data:`DROPPED_BYTES`; only completions that decode as valid UTF-8 count.
    Cached: the same damaged patterns recur thousands of times in a digest.

    >>> sorted(_completion_set(bytes([0xC3])))   # 'í' is C3 AD
    ['Á', 'Í', 'Î', 'Ï', 'Ð', 'Ý', 'Þ', 'í']
    >>> _completion_set(b"A"), _completion_set("中".encode())
    (frozenset(), frozenset())
    """
    size = _utf8_length(damaged[0])
    missing = size - len(damaged)
    if size < 2 or missing < 1:
        return frozenset()
    found: set[str] = set()
    for gaps in itertools.combinations(range(size - 1), missing):
        for fill in itertools.product(DROPPED_BYTES, repeat=missing):
            tail = bytearray(damaged[1:])
            for pos, byte in zip(gaps, fill, strict=True):
                tail.insert(pos, byte)
            try:
                found.add((damaged[:1] + bytes(tail)).decode("utf-8"))
            except UnicodeDecodeError:
                continue
    return frozenset(found)


@cache
def completions(damaged: bytes) -> tuple[str, ...]:
    """The completions of ``damaged`` (see :func:`_completion_set`), most likely
    first by the context-free model.

    >>> completions(bytes([0xE3, 0x80]))[0]     # '、' is E3 80 81
    '、'
    >>> "中" in completions(bytes([0xE4, 0xB8]))  # '中' is E4 B8 AD
    True
    """
    model = _model()
    return tuple(sorted(_completion_set(damaged), key=lambda c: (-model.unigram(c), c)))


#: Completions outside the dictionary and symbol list kept per damaged character.
_UNKNOWN_KEPT = 3


@cache
def _candidates(damaged: bytes) -> tuple[str, ...]:
    """The completions worth searching: those the model knows, plus the few
    likeliest others (a damaged emoji or accented letter is rarely listed).

    Dropping the rest (rare extension-A ideographs and the like) shrinks the
    lattice by about a third without changing any decision that matters.
    """
    found = completions(damaged)
    known = _model().known
    kept = [c for c in found if c in known]
    kept += [c for c in found if c not in known][:_UNKNOWN_KEPT]
    return tuple(sorted(kept, key=found.index))


def _damage_groups(escaped: str) -> list[bytes]:
    """Split a run of surrogate-escaped bytes into one group per damaged character.

    Every lead byte starts a new character (lead bytes are never dropped);
    continuation bytes belong to the character before them.

    >>> _damage_groups("\\udce4\\udcb8\\udce5\\udc9e")
    [b'\xe4\xb8', b'\xe5\x9e']
    """
    groups: list[bytearray] = []
    for byte in (ord(ch) - 0xDC00 for ch in escaped):
        if _utf8_length(byte) >= 2 or not groups or _utf8_length(groups[-1][0]) < 2:
            groups.append(bytearray([byte]))
        else:
            groups[-1].append(byte)
    return [bytes(group) for group in groups]


def _parse_damage(escaped: str) -> list[tuple[str, ...]]:
    """Candidates for each damaged character in a run of surrogate-escaped bytes.

    Bytes that no completion explains are kept as the cp1254 characters they
    were, so nothing is lost.

    >>> _parse_damage("\\udce3\\udc80")[0][0]
    '、'
    >>> _parse_damage("\\udc80")       # a stray continuation byte stays '€'
    [('€',)]
    """
    out: list[tuple[str, ...]] = []
    for group in _damage_groups(escaped):
        found = _candidates(group)
        if found:
            out.append(found)
        else:
            out.extend((ch,) for ch in group.decode("cp1254", errors="replace"))
    return out


# --------------------------------------------------------------------------
# Language model: jieba's word frequencies plus a prior for everything else
# --------------------------------------------------------------------------

#: Context-free log-probabilities by Unicode range, for characters that are not
#: single-character words in jieba's dictionary.  The values only need to rank
#: blocks sensibly: a damaged byte pattern typically completes to one common
#: character and several oddities (historic scripts, CJK extension B+, private
#: use, unassigned code points) that must lose.  (start, end inclusive, log p)
_BLOCK_PRIORS: tuple[tuple[int, int, float], ...] = (
    (0x0000, 0x007F, -16.0),  # ASCII (only ever context; never a candidate)
    (0x0080, 0x00FF, -18.0),  # Latin-1 supplement
    (0x0100, 0x024F, -20.0),  # Latin extended
    (0x0370, 0x03FF, -19.0),  # Greek
    (0x0400, 0x04FF, -20.0),  # Cyrillic
    (0x2000, 0x206F, -18.0),  # general punctuation
    (0x2070, 0x209F, -19.0),  # super- and subscripts
    (0x20A0, 0x20CF, -20.0),  # currency
    (0x2100, 0x218F, -20.0),  # letterlike, number forms
    (0x2190, 0x21FF, -18.0),  # arrows
    (0x2200, 0x22FF, -18.0),  # mathematical operators
    (0x2300, 0x23FF, -20.0),  # miscellaneous technical
    (0x2460, 0x24FF, -20.0),  # enclosed alphanumerics
    (0x2500, 0x25FF, -19.0),  # box drawing, blocks, geometric shapes
    (0x2600, 0x27BF, -19.0),  # miscellaneous symbols, dingbats
    (0x27C0, 0x2BFF, -21.0),  # supplemental arrows and maths
    (0x3000, 0x303F, -19.0),  # CJK symbols and punctuation
    (0x3040, 0x30FF, -22.0),  # kana
    (0x3100, 0x33FF, -25.0),  # bopomofo, enclosed CJK, CJK compatibility
    (0x3400, 0x4DBF, -27.0),  # CJK extension A
    (0x4E00, 0x9FFF, -21.0),  # CJK unified ideographs (not in the dictionary)
    (0xAC00, 0xD7AF, -23.0),  # Hangul
    (0xFE00, 0xFE0F, -28.0),  # variation selectors (U+FE0F is listed below)
    (0xFE30, 0xFE4F, -25.0),  # CJK compatibility forms
    (0xFF00, 0xFFEF, -20.0),  # full-width forms
    (0x1D400, 0x1D7FF, -19.0),  # mathematical alphanumeric symbols
    (0x1F000, 0x1FAFF, -20.0),  # emoji and pictographs
    (0x20000, 0x3FFFF, -28.0),  # CJK extensions B and later
)
_BLOCK_STARTS: tuple[int, ...] = tuple(start for start, _, _ in _BLOCK_PRIORS)
#: Assigned characters outside the ranges above; rarer still.
_OTHER_ASSIGNED = -26.0
#: Unassigned, private-use, surrogate and control characters: practically never text.
_IMPOSSIBLE = -60.0

#: Frequencies (on jieba's scale: its dictionary totals about 6e7) of the
#: punctuation and symbols Chinese technical writing uses; jieba lists none.
_SYMBOL_FREQ: dict[str, int] = {
    "，": 300_000,
    "。": 150_000,
    "、": 80_000,
    "“": 60_000,
    "”": 60_000,
    "：": 40_000,
    "（": 30_000,
    "）": 30_000,
    "；": 15_000,
    "！": 10_000,
    "？": 10_000,
    "《": 10_000,
    "》": 10_000,
    "—": 10_000,
    "’": 10_000,
    "…": 5_000,
    "·": 5_000,
    "‘": 5_000,
    "【": 5_000,
    "】": 5_000,
    "→": 5_000,
    "～": 3_000,
    "×": 3_000,
    "「": 2_000,
    "」": 2_000,
    "≈": 2_000,
    "–": 2_000,
    "\ufe0f": 3_000,
    "≤": 1_000,
    "≥": 1_000,
    "±": 500,
    "『": 500,
    "』": 500,
    "←": 500,
    "↑": 500,
    "↓": 500,
    "⇒": 300,
    "∈": 300,
    "∑": 300,
    "√": 300,
    "∞": 300,
    "∝": 100,
    "≠": 300,
    "≪": 100,
    "≫": 100,
    "•": 1_000,
    "●": 500,
    "℃": 300,
    "é": 500,
    "í": 300,
    "á": 300,
    "ó": 300,
    "ñ": 200,
    "ü": 300,
    "ö": 300,
    "ä": 300,
    "ç": 200,
    "ş": 100,
    "ğ": 100,
    "\u00ad": 50,
    "\u200b": 100,
    "\u200d": 300,
    "\u2010": 100,
    "\u00a0": 300,
}
#: Greek letters that ML papers use as symbols.
_SYMBOL_FREQ.update(dict.fromkeys("αβγδεζηθικλμνξπρστυφχψωΔΘΛΣΦΨΩ", 300))
#: Emoji that are common in machine-written technical markdown.
_SYMBOL_FREQ.update(
    dict.fromkeys(
        "🚀✅❌⚠📊📈📉📝📚📌💡🔍🔥🎯🏆🤖🧠⚡🌐🌍🎉✨📖🔧🛠⭐👉📄🔗💻🧪📦🧩⏱⚙🆕📋🎓"
        "🏗🧮📐🔬🌟👍❓❗💰📅🗂📁🔑🧵➡📢📣🏁🔄💬🧭📎🔎🧱🗺🎨📏🕒⏳🆚🥇🥈🥉",
        300,
    )
)


@cache
def _prior_logp(ch: str) -> float:
    """Context-free log-probability of a character jieba does not list as a word.

    >>> _prior_logp("，") > _prior_logp("\\u3040")   # punctuation beats unassigned
    True
    >>> _prior_logp("𝜏") > _prior_logp("𐜏")         # maths italic beats Linear A
    True
    """
    if ch in _SYMBOL_FREQ:
        return math.log(_SYMBOL_FREQ[ch] / 6e7)
    category = unicodedata.category(ch)
    if category in ("Cn", "Co", "Cs", "Cc"):
        return _IMPOSSIBLE
    code = ord(ch)
    i = bisect.bisect_right(_BLOCK_STARTS, code) - 1
    if i >= 0 and code <= _BLOCK_PRIORS[i][1]:
        prior = _BLOCK_PRIORS[i][2]
    else:
        prior = _OTHER_ASSIGNED
    if category == "Ll":  # in Latin, Greek and Cyrillic, lower case is the common case
        prior += 1.0
    return prior


#: Words that (almost) never end a clause: prepositions, conjunctions, adverbs.
#: jieba's HMM was trained on text cut at punctuation, so it has a sentence-start
#: distribution but no sentence-end one; this is the missing half, by hand.
_CLAUSE_FINAL: dict[str, float] = {"p": -3.0, "c": -3.0, "d": -2.0, "zg": -1.0}
#: Weight of the tag-transition evidence against word frequencies.  Below one
#: because the tags (one or two per word, from a dictionary) are coarse.
_TAG_WEIGHT = 0.7
#: Tag-transition log-probability for pairs the HMM never saw.
_UNSEEN_TRANSITION = -10.0


@dataclass(frozen=True, slots=True)
class _Token:
    """What the search needs to know about one word: log p, entry and exit state."""

    logp: float
    entry: int
    exit: int


#: Log-probability of an intact ASCII word; the same in every hypothesis, so any constant.
_ASCII_WORD_LOGP = -12.0


class _Lexicon(dict[str, tuple[_Token, ...]]):
    """Dictionary words and their readings (one per tag); anything else gets a
    token on demand.

    Intact ASCII words are nouns to the tagger (in Chinese technical prose they
    are names and terms: "在 SRAM 中", "PyTorch 中"), numbers are numerals, and
    other characters are one-character words with the block prior.

    A dictionary word's tokens are made the first time it is looked up, not
    when the model is built: a digest looks up a few thousand of the 350,000
    words, and making every word's tokens up front was most of the model's
    build time (about 1.5 s per process, in each ``--workers`` process again).
    """

    def __init__(
        self,
        entries: dict[str, dict[str, int]],
        log_total: float,
        char_state: dict[str, int],
        states: dict[tuple[str, str], int],
    ) -> None:
        super().__init__()
        self._entries = entries
        self._log_total = log_total
        self._states = states
        self._char_state = char_state
        self._noun = _Token(_ASCII_WORD_LOGP, states[("B", "n")], states[("E", "n")])
        self._number = _Token(_ASCII_WORD_LOGP, states[("B", "m")], states[("E", "m")])
        self._break = len(states)

    def _readings(self, word: str, readings: dict[str, int]) -> tuple[_Token, ...]:
        """A dictionary word's tokens, one per tag, in the dictionary's order."""
        tokens = []
        for tag, freq in readings.items():
            logp = math.log(freq) - self._log_total
            if len(word) == 1:
                state = self._states[("S", tag)]
                tokens.append(_Token(max(logp, _prior_logp(word)), state, state))
            else:
                tokens.append(_Token(logp, self._states[("B", tag)], self._states[("E", tag)]))
        return tuple(tokens)

    def __missing__(self, key: str) -> tuple[_Token, ...]:
        readings = self._entries.get(key)
        if readings is not None:
            self[key] = self._readings(key, readings)
            return self[key]
        if key.isascii() and key[0].isalnum():  # not cached: there are too many
            return (self._number,) if _NUMBER.fullmatch(key) else (self._noun,)
        state = self._char_state.get(key, self._break)
        self[key] = (_Token(_prior_logp(key), state, state),)
        return self[key]


@dataclass(frozen=True, slots=True)
class _Model:
    """Class-bigram word model: jieba's word frequencies and part-of-speech tags,
    chained by the tag transitions of jieba's part-of-speech HMM.

    A word scores ``log P(w) + log P(s | s_prev) - log P(s)`` where ``s`` is the
    HMM state the word enters with (``B``/``S`` plus its tag) and ``s_prev`` the
    state the previous word left in: the unigram model that jieba segments
    with, corrected by how much more (or less) likely the tag is after the
    previous one.  That is what separates 中 / 不 / 与, which lose the same
    bytes and are all frequent, in "模型中，" versus "模型不能".  Characters that
    are not Chinese words (ASCII, punctuation, emoji) enter a *break* state,
    after which the HMM's sentence-start distribution applies.
    """

    lexicon: _Lexicon
    prefixes: dict[str, bool]  # every prefix of a multi-character word -> is it a word
    transition: tuple[tuple[float, ...], ...]  # [exit state][entry state]
    brk: int  # the state after punctuation, symbols and line starts
    start: int  # state before a window that starts mid-line: no transition evidence

    known: frozenset[str]  # characters of dictionary words and listed symbols
    unigrams: dict[str, float]  # cache for :meth:`unigram`

    def unigram(self, ch: str) -> float:
        """Context-free log-probability of ``ch`` as a one-character word."""
        value = self.unigrams.get(ch)
        if value is None:
            value = self.unigrams[ch] = max(token.logp for token in self.lexicon[ch])
        return value


def _jieba_dict() -> dict[str, dict[str, int]]:
    """jieba's bundled dictionary (``word freq tag`` lines) as word -> {tag: freq}.

    Read directly rather than through ``jieba.dt`` so that words other code
    adds to jieba's tokenizer cannot change repair results.  Decoded in one
    piece and cut at line feeds (the same lines as iterating the file, at
    half the cost).
    """
    import jieba

    entries: dict[str, dict[str, int]] = {}
    with jieba.get_dict_file() as handle:
        text = handle.read().decode("utf-8")
    for line in text.split("\n"):
        parts = line.split()
        if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) > 0:
            entries[parts[0]] = {parts[2]: int(parts[1])}
    return entries


@dataclass(frozen=True, slots=True)
class _Tables:
    """jieba's part-of-speech HMM: start, transition and emission log-probabilities."""

    start: dict[tuple[str, str], float]
    trans: dict[tuple[str, str], dict[tuple[str, str], float]]
    emit: dict[tuple[str, str], dict[str, float]]


def _hmm_tables() -> _Tables:
    """The tables of ``jieba.posseg`` without importing ``jieba.posseg`` itself, whose
    import reads the whole dictionary again for its own tagger (0.4 s) that repair
    never uses: its three table modules are loaded from their files (the same
    source, and the same cached bytecode, as the package's own import)."""
    import importlib.util
    import sys

    loaded = sys.modules.get("jieba.posseg")
    if loaded is not None:
        return _Tables(loaded.start_P, loaded.trans_P, loaded.emit_P)
    import jieba

    folder = Path(jieba.__file__).with_name("posseg")
    tables = []
    for name in ("prob_start", "prob_trans", "prob_emit"):
        spec = importlib.util.spec_from_file_location(
            f"techclaims_jieba_posseg_{name}", folder / f"{name}.py"
        )
        if spec is None or spec.loader is None:
            raise ImportError(f"jieba's {name} table is missing from {folder}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        tables.append(module.P)
    return _Tables(*tables)


def _stationary(chain: list[list[float]], steps: int = 60) -> list[float]:
    """Stationary distribution of a row-stochastic matrix by power iteration.

    >>> [round(p, 3) for p in _stationary([[0.9, 0.1], [0.5, 0.5]])]
    [0.833, 0.167]
    """
    size = len(chain)
    dist = [1.0 / size] * size
    for _ in range(steps):
        dist = [sum(dist[i] * chain[i][j] for i in range(size) if dist[i]) for j in range(size)]
    return dist


def _transitions(states: list[tuple[str, str]], tables: _Tables) -> list[list[float]]:
    """Word-to-word transition scores ``log P(a | z) - log P(a)`` between states.

    Rows are exit states, columns entry states; the last two states are the
    break state and the unknown start state.  ``P(a)`` is the stationary
    frequency of entry state ``a``, so a score is positive exactly when the
    previous word makes this kind of word more likely than it is on average.
    """
    start_P, trans_P = tables.start, tables.trans  # noqa: N806 (jieba's names)
    index = {state: i for i, state in enumerate(states)}
    n_tags = len(states)
    log_t = [[_UNSEEN_TRANSITION] * n_tags for _ in range(n_tags)]
    for source, targets in trans_P.items():
        for target, logp in targets.items():
            if source in index and target in index:
                log_t[index[source]][index[target]] = max(logp, _UNSEEN_TRANSITION)
    entries = [i for i, (pos, _) in enumerate(states) if pos in "BS"]
    # Word-level chain over entry states: a single-character word leaves in the
    # state it entered with, a longer one in the E state of its tag.
    leave = {i: index[("E" if states[i][0] == "B" else "S", states[i][1])] for i in entries}
    chain = []
    for i in entries:
        row = [math.exp(log_t[leave[i]][j]) for j in entries]
        total = sum(row)
        chain.append([p / total for p in row])
    marginal = dict(zip(entries, _stationary(chain), strict=True))
    brk = n_tags  # the start state, n_tags + 1, keeps all scores at 0
    scores = [[0.0] * (n_tags + 2) for _ in range(n_tags + 2)]
    for j in entries:
        log_m = math.log(max(marginal[j], 1e-12))
        for z in range(n_tags):
            scores[z][j] = _TAG_WEIGHT * (log_t[z][j] - log_m)
        scores[brk][j] = max(start_P.get(states[j], _UNSEEN_TRANSITION), _UNSEEN_TRANSITION) - log_m
    for z, (pos, tag) in enumerate(states):
        if pos in "ES":
            scores[z][brk] = _CLAUSE_FINAL.get(tag, 0.0)
    return scores


def _char_states(states: dict[tuple[str, str], int], tables: _Tables) -> dict[str, int]:
    """The likeliest single-character state of each character the HMM knows.

    Gives Chinese characters that jieba does not list as one-character words
    a part of speech, so that they are scored in context rather than as breaks.
    """
    best: dict[str, tuple[float, int]] = {}
    for state, emissions in tables.emit.items():
        if state[0] != "S" or state not in states:
            continue
        for ch, logp in emissions.items():
            if ch not in best or logp > best[ch][0]:
                best[ch] = (logp, states[state])
    return {ch: state for ch, (_, state) in best.items()}


#: Domain words get this many times jieba's frequency, and at least the floor.
_DOMAIN_BOOST = 10
_DOMAIN_FLOOR = 2_000
_DOMAIN_WORDS = Path(__file__).with_name("data") / "domain_words.txt"


def _domain_entry(entry: str) -> tuple[str, str, int]:
    """Parse ``word[/tag][*factor]`` from ``domain_words.txt``.

    >>> _domain_entry("架构"), _domain_entry("仍/d*2"), _domain_entry("块*5")
    (('架构', 'n', 10), ('仍', 'd', 2), ('块', 'n', 5))
    """
    entry, _, factor = entry.partition("*")
    word, _, tag = entry.partition("/")
    default = _DOMAIN_BOOST if len(word) > 1 else 1
    return word, tag or "n", int(factor) if factor else default


def _with_domain(entries: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """jieba's dictionary with the domain vocabulary lifted (see ``domain_words.txt``).

    A domain word replaces jieba's entry; a domain character adds a reading
    (part of speech) to the ones jieba gives it, or re-weights one.
    """
    merged = dict(entries)
    for line in _DOMAIN_WORDS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        for word, tag, factor in map(_domain_entry, line.split()):
            known = entries.get(word, {})
            freq = max(max(known.values(), default=0) * factor, _DOMAIN_FLOOR)
            merged[word] = {**known, tag: freq} if len(word) == 1 else {tag: freq}
    return merged


@cache
def _model() -> _Model:
    """Build the model once per process from jieba's data files (about half a second:
    words get their tokens when first looked up, see `_Lexicon`)."""
    tables = _hmm_tables()
    states = sorted(tables.trans)
    index = {state: i for i, state in enumerate(states)}
    brk, start = len(states), len(states) + 1
    entries = _with_domain(_jieba_dict())
    log_total = math.log(sum(sum(readings.values()) for readings in entries.values()))
    lexicon = _Lexicon(entries, log_total, _char_states(index, tables), index)
    # Every proper prefix of a multi-character word maps to False unless it is
    # such a word itself (one-character words are never True here).
    words = [word for word in entries if len(word) > 1]
    prefixes = dict.fromkeys((word[:i] for word in words for i in range(1, len(word))), False)
    prefixes.update(dict.fromkeys(words, True))
    transition = tuple(tuple(row) for row in _transitions(states, tables))
    known = frozenset(_SYMBOL_FREQ).union("".join(entries))
    return _Model(lexicon, prefixes, transition, brk, start, known, {})


# --------------------------------------------------------------------------
# Search: Viterbi over a lattice of candidate characters
# --------------------------------------------------------------------------


#: The words of a lattice: per slot, every one-character candidate and dictionary
#: word that starts there, as (word, end, its characters, one per slot).
_Words = list[list[tuple[str, int, tuple[str, ...]]]]


def _best_path(
    slots: Sequence[tuple[str, ...]],
    model: _Model,
    start: int,
    bonus: Sequence[dict[str, float]] | None = None,
    words: _Words | None = None,
) -> list[str]:
    """Pick one candidate per slot so that the best tagged segmentation is most likely.

    Each slot holds the candidates for one position: one for intact text (a
    character, or a whole ASCII word), several single characters for a damaged
    character.  A segmentation puts every slot in exactly one word, so choosing
    characters word by word is always consistent, and the usual segmentation
    DP (jieba's, over a lattice instead of a string, with the exit state of
    the last word as extra state) finds the best choice in linear time.
    ``start`` is the state before the first slot (a break at a line start);
    ``bonus`` adds a score per slot and candidate (document-level evidence);
    ``words`` are the lattice's words (`_lattice_words`), when the caller
    searches the same lattice twice.

    >>> m = _model()
    >>> "".join(_best_path([("模",), ("型",), ("中", "不", "与"), ("，",)], m, m.start))
    '模型中，'
    >>> "".join(_best_path([("模",), ("型",), ("中", "不", "与"), ("能",)], m, m.start))
    '模型不能'
    >>> "".join(_best_path([("GPU",), ("中", "不", "与"), ("的",)], m, m.start))
    'GPU中的'
    """
    n = len(slots)
    lexicon, transition = model.lexicon, model.transition
    if bonus is None:
        bonus = [{}] * n
    if words is None:
        words = _lattice_words(slots, model.prefixes)
    # next_bonus[i]: the first slot at or after i with a bonus (n if none)
    next_bonus = [n] * (n + 1)
    for i in range(n - 1, -1, -1):
        next_bonus[i] = i if bonus[i] else next_bonus[i + 1]
    # best[i]: exit state -> (score, start of last word, exit state before it, word)
    best: list[dict[int, tuple[float, int, int, str]]] = [{} for _ in range(n + 1)]
    best[0][start] = (0.0, 0, start, "")
    for begin in range(n):
        incoming = [(score, state) for state, (score, _, _, _) in best[begin].items()]
        into: dict[int, tuple[float, int]] = {}  # entry state -> (best score, from state)
        for word, end, chars in words[begin]:
            gain = 0.0 if next_bonus[begin] >= end else _gain(chars, bonus, begin)
            target = best[end]
            for token in lexicon[word]:
                entry = token.entry
                came = into.get(entry)
                if came is None:
                    if len(incoming) == 1:  # the max of one (the usual case)
                        came = (incoming[0][0] + transition[incoming[0][1]][entry], incoming[0][1])
                    else:
                        came = max(
                            (score + transition[state][entry], state) for score, state in incoming
                        )
                    into[entry] = came
                score = came[0] + token.logp + gain
                old = target.get(token.exit)
                if old is None or score > old[0]:
                    target[token.exit] = (score, begin, came[1], word)
    state = max(best[n], key=lambda s: best[n][s][0])
    chosen: list[str] = [""] * n
    end = n
    while end:
        _, begin, prev, word = best[end][state]
        at = 0
        for i in range(begin, end):  # damaged slots hold single characters
            size = len(slots[i][0]) if len(slots[i]) == 1 else 1
            chosen[i] = word[at : at + size]
            at += size
        end, state = begin, prev
    return chosen


def _gain(chars: tuple[str, ...], bonus: Sequence[dict[str, float]], begin: int) -> float:
    """The summed per-candidate bonus of a word's characters (one per slot from
    ``begin``), added up slot by slot; slots without bonus add nothing."""
    gain = bonus[begin].get(chars[0], 0.0)
    for at in range(1, len(chars)):
        extra = bonus[begin + at]
        if extra:
            gain = gain + extra.get(chars[at], 0.0)
    return gain


def _lattice_words(slots: Sequence[tuple[str, ...]], prefixes: dict[str, bool]) -> _Words:
    """Every one-character candidate and dictionary word starting at each slot, with
    where it ends and its characters: they depend on the slots alone, so a lattice
    searched twice (`_decide`) looks them up once."""
    n = len(slots)
    out: _Words = []
    for begin in range(n):
        found: list[tuple[str, int, tuple[str, ...]]] = [
            (ch, begin + 1, (ch,)) for ch in slots[begin]
        ]
        frontier: list[tuple[str, tuple[str, ...]]] = [
            (ch, (ch,)) for ch in slots[begin] if ch in prefixes
        ]
        end = begin + 1
        while frontier and end < n:
            grown: list[tuple[str, tuple[str, ...]]] = []
            for stem, chars in frontier:
                for ch in slots[end]:
                    word = stem + ch
                    is_word = prefixes.get(word)
                    if is_word is not None:
                        grown.append((word, (*chars, ch)))
                        if is_word:
                            found.append((word, end + 1, (*chars, ch)))
            frontier = grown
            end += 1
        out.append(found)
    return out


# --------------------------------------------------------------------------
# Repair
# --------------------------------------------------------------------------


def _clusters(decoded: str) -> Iterable[list[re.Match[str]]]:
    """Group damaged runs whose context windows touch, line by line.

    Runs closer than two context widths influence each other's best choice,
    so they are decided together; line breaks are never damaged and end
    every cluster.
    """
    cluster: list[re.Match[str]] = []
    for match in _ESCAPED.finditer(decoded):
        if cluster:
            gap = decoded[cluster[-1].end() : match.start()]
            if len(gap) > 2 * _CONTEXT or "\n" in gap:
                yield cluster
                cluster = []
        cluster.append(match)
    if cluster:
        yield cluster


#: Clause boundaries, for the frames below.
_CLAUSE_MARK = re.compile(r"[，。；：！？\n;!?()（）]")
#: Prepositional frames (介词框架) reach further than any window: 在 …… 中,
#: 与 …… 相比 and 在不 …… 的情况下 tie a character to a word anywhere in the
#: same clause.  Each frame:
#: the candidates it favours, whether its trigger stands before them (else
#: after), and the trigger (intact text only: a trigger must not lose bytes).
_FRAMES: tuple[tuple[frozenset[str], bool, re.Pattern[str]], ...] = (
    # 在 as a preposition, not inside 存在, 现在, 正在, 在于 ...
    (frozenset("中上下内里"), True, re.compile("(?<![存现正实所内潜好自])在(?!于|$)")),
    (
        frozenset("与和跟同"),
        False,
        re.compile(
            "相比|相同|之间|(?<!不)一致|相关|有关|无关|类似|相似|对比|比较|兼容|交互"
            "|相当|对齐|权衡|区别|差异|(?<!不)匹配|集成|重叠|并行|共享|解耦|竞争"
        ),
    ),
    # 在不 …… 的情况下 / 的前提下
    (frozenset("不"), False, re.compile("的(?:情况|前提)下")),
)
_FRAME_CHARS = frozenset().union(*(chars for chars, _, _ in _FRAMES))
#: Log-odds a complete frame adds to the candidate that completes it.
_FRAME_BONUS = 1.5


def _frame_bonus(candidates: tuple[str, ...], before: str, after: str) -> dict[str, float]:
    """Bonus for candidates that complete a frame opened or closed in the clause.

    >>> _frame_bonus(("中", "不", "与"), "在缓存", "进行")
    {'中': 1.5}
    >>> _frame_bonus(("中", "不", "与"), "模型", "基线相比")
    {'与': 1.5}
    >>> _frame_bonus(("中", "不", "与"), "之间存在", "问题")
    {}
    """
    bonus: dict[str, float] = {}
    if _FRAME_CHARS.isdisjoint(candidates):
        return bonus
    for chars, trigger_before, trigger in _FRAMES:
        if any(c in chars for c in candidates) and trigger.search(
            before if trigger_before else after
        ):
            for c in candidates:
                if c in chars:
                    bonus[c] = _FRAME_BONUS
    return bonus


class _Lattice:
    """The slots of one cluster, plus the transparent text around them."""

    def __init__(self) -> None:
        self.slots: list[tuple[str, ...]] = []
        self.gaps: list[str] = [""]  # gaps[i] precedes slots[i]; one extra at the end
        self.bonus: list[dict[str, float]] = []  # per slot: frame bonus per candidate

    def add_intact(self, text: str) -> None:
        """Cut intact text into slots: ASCII words whole, spaces and emphasis transparent."""
        for match in _INTACT_TOKEN.finditer(text):
            if match.lastgroup == "skip":
                self.gaps[-1] += match.group()
            else:
                self.slots.append((match.group(),))
                self.gaps.append("")
                self.bonus.append({})

    def add_damaged(self, escaped: str, before: str, after: str) -> None:
        """Add one slot of candidates per damaged character; ``before`` and
        ``after`` are the rest of the clause, for frames."""
        for candidates in _parse_damage(escaped):
            self.slots.append(candidates)
            self.gaps.append("")
            self.bonus.append(_frame_bonus(candidates, before, after))

    def render(self, chosen: Sequence[str]) -> str:
        """Interleave the chosen candidates with the transparent text."""
        pairs = zip(self.gaps, chosen, strict=False)  # gaps has one entry more
        return "".join(itertools.chain.from_iterable(pairs)) + self.gaps[-1]


def _window(decoded: str, first: int, last: int, done: int) -> tuple[int, int]:
    """Context around damage at ``decoded[first:last]``: a few characters each
    side, widened to whole ASCII words, never across a line break or into text
    already repaired."""
    line_start = decoded.rfind("\n", 0, first) + 1
    line_end = decoded.find("\n", last)
    left = max(done, line_start, first - _CONTEXT)
    right = min(last + _CONTEXT, len(decoded) if line_end < 0 else line_end)
    while (
        left > max(done, line_start, first - 4 * _CONTEXT)
        and decoded[left - 1].isascii()
        and decoded[left].isalnum()
    ):
        left -= 1
    while (
        right < len(decoded)
        and right < last + 4 * _CONTEXT
        and decoded[right].isalnum()
        and decoded[right].isascii()
    ):
        right += 1
    return left, right


#: Weight and smoothing of the document's own collocation evidence (second pass).
_DOC_WEIGHT = 0.5
_DOC_SMOOTHING = 2.0


def _neighbour_key(piece: str, last: bool) -> str:
    """How a neighbouring slot is remembered in collocation counts: ASCII words as one class."""
    if piece.isascii() and piece[:1].isalnum():
        return "<ascii>"
    return piece[-1] if last else piece[0]


class _Collocations:
    """Left and right neighbours of each damaged-character choice across a document.

    Technical digests repeat their collocations (缓存中, 模块, 架构 ...): where the
    first pass decided an occurrence on clear local evidence, the same choice
    is likely right where the evidence was weak.  Counts exclude the
    occurrence being decided (leave one out), so a choice cannot vote for itself.
    """

    def __init__(self) -> None:
        self.left: dict[tuple[str, str], int] = {}
        self.right: dict[tuple[str, str], int] = {}
        self._priors: dict[tuple[str, ...], list[float]] = {}

    def priors(self, candidates: tuple[str, ...], model: _Model) -> list[float]:
        """Each candidate's share of the smoothing pseudo-counts, by the context-free
        model: the same few candidate sets recur thousands of times in a document."""
        found = self._priors.get(candidates)
        if found is None:
            weights = [math.exp(model.unigram(c)) for c in candidates]
            norm = sum(weights)
            found = self._priors[candidates] = [_DOC_SMOOTHING * w / norm for w in weights]
        return found

    def neighbours(
        self, slots: Sequence[tuple[str, ...]], chosen: Sequence[str], i: int
    ) -> tuple[str, str]:
        """Keys of the chosen neighbours of slot ``i`` ('' at the window's edge)."""
        left = _neighbour_key(chosen[i - 1], last=True) if i > 0 else ""
        right = _neighbour_key(chosen[i + 1], last=False) if i + 1 < len(chosen) else ""
        return left, right

    def add(self, slots: Sequence[tuple[str, ...]], chosen: Sequence[str]) -> None:
        """Count the neighbours of every damaged slot's choice."""
        for i, candidates in enumerate(slots):
            if len(candidates) > 1:
                left, right = self.neighbours(slots, chosen, i)
                ch = chosen[i]
                self.left[left, ch] = self.left.get((left, ch), 0) + 1
                self.right[ch, right] = self.right.get((ch, right), 0) + 1

    def bonus(
        self, slots: Sequence[tuple[str, ...]], chosen: Sequence[str], model: _Model
    ) -> list[dict[str, float]]:
        """Per slot and candidate: log of how much the document shifts the prior."""
        out: list[dict[str, float]] = []
        for i, candidates in enumerate(slots):
            if len(candidates) == 1:
                out.append({})
                continue
            left, right = self.neighbours(slots, chosen, i)
            mine = chosen[i]
            n_left = [self.left.get((left, c), 0) - (c == mine) for c in candidates]
            n_right = [self.right.get((c, right), 0) - (c == mine) for c in candidates]
            tot_left, tot_right = sum(n_left), sum(n_right)
            gains: dict[str, float] = {}
            priors = self.priors(candidates, model)  # pseudo-counts: the prior's share
            for c, prior, nl, nr in zip(candidates, priors, n_left, n_right, strict=True):
                gain = 0.0
                if left:  # smoothed P(c | left) over the prior P(c)
                    gain += math.log((nl + prior) / (prior * (tot_left + _DOC_SMOOTHING)))
                if right:
                    gain += math.log((nr + prior) / (prior * (tot_right + _DOC_SMOOTHING)))
                gains[c] = _DOC_WEIGHT * gain
            out.append(gains)
        return out


def _keeps(chosen: Sequence[str], bonus: Sequence[dict[str, float]]) -> bool:
    """Whether extra evidence cannot change a best path: it favours, in every
    slot, the candidate already chosen, so the path gains at least as much as
    any rival and the second search can be skipped.

    >>> _keeps(["中", "x"], [{"中": 0.5, "不": -1.0}, {}]), _keeps(["中"], [{"不": 0.1}])
    (True, False)
    """
    for ch, gains in zip(chosen, bonus, strict=True):
        # Candidates missing from ``gains`` gain 0, hence the 0.0.
        if gains and gains.get(ch, 0.0) < max(0.0, *gains.values()):
            return False
    return True


@dataclass(frozen=True, slots=True)
class _Window:
    """One cluster of damage in context: ``decoded[left:right]`` as a lattice."""

    left: int
    right: int
    lattice: _Lattice
    start: int  # the state before the first slot


def _windows(decoded: str, model: _Model) -> list[_Window]:
    """Cut the decoded text into lattices around its clusters of damage."""
    marks = [m.start() for m in _CLAUSE_MARK.finditer(decoded)]
    windows: list[_Window] = []
    done = 0
    for cluster in _clusters(decoded):
        left, right = _window(decoded, cluster[0].start(), cluster[-1].end(), done)
        lattice = _Lattice()
        at = left
        for match in cluster:
            lattice.add_intact(decoded[at : match.start()])
            i = bisect.bisect_left(marks, match.start())
            clause_start = marks[i - 1] + 1 if i else 0
            clause_end = marks[i] if i < len(marks) else len(decoded)
            before = decoded[clause_start : match.start()]
            lattice.add_damaged(match.group(), before, decoded[match.end() : clause_end])
            at = match.end()
        lattice.add_intact(decoded[at:right])
        at_line_start = left == 0 or decoded[left - 1] == "\n"
        windows.append(_Window(left, right, lattice, model.brk if at_line_start else model.start))
        done = right
    return windows


def _decide(windows: Sequence[_Window], model: _Model) -> list[list[str]]:
    """Choose every slot's candidate: a first pass on local evidence, then a
    second with the document's collocations from the first."""
    words = [_lattice_words(w.lattice.slots, model.prefixes) for w in windows]
    first = [
        _best_path(w.lattice.slots, model, w.start, w.lattice.bonus, found)
        for w, found in zip(windows, words, strict=True)
    ]
    doc = _Collocations()
    for window, chosen in zip(windows, first, strict=True):
        doc.add(window.lattice.slots, chosen)
    final: list[list[str]] = []
    for window, chosen, found in zip(windows, first, words, strict=True):
        lattice = window.lattice
        evidence = doc.bonus(lattice.slots, chosen, model)
        if _keeps(chosen, evidence):
            final.append(chosen)
            continue
        for gains, frame in zip(evidence, lattice.bonus, strict=True):
            for ch, gain in frame.items():
                gains[ch] = gains.get(ch, 0.0) + gain
        final.append(_best_path(lattice.slots, model, window.start, evidence, found))
    return final


def _repair_cp1254(text: str) -> str:
    """Repair text made only of characters cp1254 can encode."""
    decoded = text.encode("cp1254").decode("utf-8", errors="surrogateescape")
    if not _ESCAPED.search(decoded):
        return decoded
    model = _model()
    windows = _windows(decoded, model)
    pieces: list[str] = []
    done = 0
    for window, chosen in zip(windows, _decide(windows, model), strict=True):
        pieces.append(decoded[done : window.left])
        pieces.append(window.lattice.render(chosen))
        done = window.right
    pieces.append(decoded[done:])
    return "".join(pieces)


def repair_text(text: str) -> str:
    """Undo the lossy cp1254 round trip; clean text is returned unchanged.

    Characters cp1254 cannot produce (they only appear if something else
    touched the text) are kept verbatim, and the text between them is
    repaired on its own.

    >>> repair_text(corrupt("我们提出了一种新的模型推理方法，显著降低了显存占用。"))
    '我们提出了一种新的模型推理方法，显著降低了显存占用。'
    >>> repair_text("plain ASCII and café stay as they are")
    'plain ASCII and café stay as they are'
    """
    if not is_mojibake(text):
        return text
    return _repair_flagged(text)


def repair_if_mojibake(text: str) -> tuple[str, bool]:
    """(`repair_text` of ``text``, whether it was mojibake): what reading a digest
    needs, with detection run once (asking `is_mojibake` first and then
    `repair_text` ran it twice on every damaged digest).

    >>> repair_if_mojibake(corrupt("模型推理")), repair_if_mojibake("模型推理")
    (('模型推理', True), ('模型推理', False))
    """
    if not is_mojibake(text):
        return text, False
    return _repair_flagged(text), True


def _repair_flagged(text: str) -> str:
    """Repair text `is_mojibake` flagged, between the characters cp1254 cannot produce."""
    pieces: list[str] = []
    done = 0
    for match in _NOT_CP1254.finditer(text):
        pieces.append(_repair_cp1254(text[done : match.start()]))
        pieces.append(match.group())
        done = match.end()
    pieces.append(_repair_cp1254(text[done:]))
    return "".join(pieces)


# --------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------

_MULTIBYTE = re.compile("[^\x00-\x7f\udc80-\udcff]")


@dataclass(frozen=True, slots=True)
class _Evidence:
    """What re-encoding a text with cp1254 says about it.

    ``decoded`` counts characters that come out as complete, plausible UTF-8
    sequences, weighted by length (a chance match of three or four bytes is
    much rarer than of two).  ``truncated`` counts sequences that lost bytes
    in a way the round trip explains; ``stray`` counts bytes no damage can
    explain and ``foreign`` characters cp1254 cannot produce at all.
    """

    decoded: int
    truncated: int
    stray: int
    foreign: int


def _evidence(text: str) -> _Evidence:
    """Collect the counts :func:`is_mojibake` decides on.

    >>> _evidence("ä¸æ–‡ café")
    _Evidence(decoded=2, truncated=2, stray=0, foreign=0)
    """
    foreign = sum(len(run) for run in _NOT_CP1254.findall(text))
    decoded = truncated = stray = 0
    # ASCII bytes are never part of a multi-byte sequence, so each run of non-ASCII
    # cp1254 characters re-decodes on its own: the same counts as re-decoding the
    # whole text between foreign characters, without a loop over every ASCII gap of
    # clean Chinese text (0.8 s of the year's 225 pages, then 0.45 s).
    for part in _HIGH_CP1254.findall(text):
        utf8 = part.encode("cp1254").decode("utf-8", errors="surrogateescape")
        for ch in _MULTIBYTE.findall(utf8):
            if _prior_logp(ch) > _IMPOSSIBLE:
                decoded += len(ch.encode("utf-8")) - 1
            else:
                stray += 1
        for run in _ESCAPED.findall(utf8):
            for group in _damage_groups(run):
                if _completion_set(group):
                    truncated += 1
                else:
                    stray += len(group)
    return _Evidence(decoded, truncated, stray, foreign)


def is_mojibake(text: str) -> bool:
    """Whether ``text`` looks like the output of the lossy cp1254 round trip.

    Mojibake re-encodes to bytes that are mostly valid UTF-8 multi-byte
    sequences, with some sequences short of bytes and nothing else.  Clean
    text with a few accented, Turkish or Greek letters, emoji or maths re-encodes
    to stray bytes and truncated sequences (or cannot be encoded at all), and
    almost never to complete sequences, so complete sequences must outweigh
    everything that speaks against mojibake.

    >>> is_mojibake(corrupt("模型推理")), is_mojibake("模型推理")
    (True, False)
    >>> is_mojibake("Ağır şişe, naïve café, α≈β 🚀"), is_mojibake("plain")
    (False, False)
    """
    ev = _evidence(text)
    return (
        ev.decoded >= 2
        and ev.decoded >= 2 * (ev.stray + ev.foreign)
        and 2 * ev.decoded >= ev.truncated
    )


# --------------------------------------------------------------------------
# Measuring repairs
# --------------------------------------------------------------------------


def _levenshtein(a: str, b: str) -> int:
    """Edit distance, bit-parallel (Myers/Hyyrö), fast enough for long lines.

    >>> _levenshtein("kitten", "sitting"), _levenshtein("", "abc"), _levenshtein("模型", "模型")
    (3, 3, 0)
    """
    if not a or not b:
        return len(a) + len(b)
    mask = (1 << len(a)) - 1
    high = 1 << (len(a) - 1)
    peq: dict[str, int] = {}
    for i, ch in enumerate(a):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    pv, mv, score = mask, 0, len(a)
    for ch in b:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | ~(xh | pv)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = (ph << 1) | 1
        mh <<= 1
        pv = (mh | ~(xv | ph)) & mask
        mv = ph & xv
    return score


def _line_errors(original: Sequence[str], repaired: Sequence[str]) -> int:
    """Edit distance between two blocks of lines, line by line where they pair up."""
    if len(original) == len(repaired):
        return sum(_levenshtein(a, b) for a, b in zip(original, repaired, strict=True) if a != b)
    return _levenshtein("\n".join(original), "\n".join(repaired)) + abs(
        len(original) - len(repaired)
    )


def char_accuracy(original: str, repaired: str) -> float:
    """1 - edit distance / len(original), computed line by line.

    Line breaks are never damaged, so lines are aligned first (difflib) and
    edit distance is only computed within lines that differ, which keeps a
    megabyte-sized comparison to about a second.

    >>> char_accuracy("模型\\n推理", "模型\\n推琐")
    0.8
    >>> char_accuracy("abc", "abc"), char_accuracy("", "")
    (1.0, 1.0)
    """
    if not original:
        return 1.0 if not repaired else 0.0
    a, b = original.split("\n"), repaired.split("\n")
    errors = 0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            errors += _line_errors(a[i1:i2], b[j1:j2])
    return max(0.0, 1.0 - errors / len(original))
