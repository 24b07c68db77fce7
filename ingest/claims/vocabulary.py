"""Cue words, Chinese and English, read from the JSONL files in ``data/`` and compiled.

Each file holds one cue a line, a regular expression matched case-insensitively
(``\\b`` is an ASCII word boundary: Chinese next to "E2E" or "GPU" is no word):

- ``metric_cues.jsonl``: ``{"pattern", "metric", "good"}``, the base metric a word names and its good
  direction (``increase``/``decrease``); or ``{"pattern", "not_claim": "any"|"percent"}``, words that
  make a number no claim (accuracy, scores, dataset sizes, bounds, prices; a percentage that is a share
  of cases); an optional ``acronym`` is added to the metric's name when the text writes it
  ("能量延迟积 (EDP)": ``energy-delay product (EDP)``). Longer matches win over shorter ones they overlap; on a tie, the earlier line.
  Fewer tokens (``tokens``, ``token usage``, ``token consumption``, ``token cost``: "输出 token 减少
  60%") is a gain the annotators write as a claim (train: 121 gold claims on 60 papers, 89 of them
  missed for want of a metric word); a count of tokens ("128 个 token", "100M tokens"), accepted
  tokens and a token throughput or latency are not that measure. Cached docs: train claims P/R/F1
  0.828/0.781/0.804 -> 0.826/0.798/0.812 (+53 true, +17 false, 37 papers), validation
  0.742/0.772/0.757 -> 0.744/0.780/0.762, dev 0.962 =; metric accuracy 0.407 -> 0.405 (984/2430,
  16 more right), validation 0.449 -> 0.444 (44/99, the same 44 right), dev 0.779 =. Fewer
  denoising steps or model calls are not a measure, though train's annotators wrote 53 and
  about 10 such claims: ANNOTATION.md counts "acceptance length and other algorithmic counts"
  out, and the rule moved train only (0.812 -> 0.816 on 18 papers).
- ``qualifier_cues.jsonl``: ``{"pattern", "qualifier"}``, what narrows a base metric (training, decode,
  end-to-end, kernel, ...).
- ``verb_cues.jsonl``: ``{"pattern", "verb"}``, ``increase``/``decrease`` (a literal direction), ``good``
  (improves, whatever the metric) or ``bad`` (slower, incurs: no gain). A negative speed-up
  (负加速, 负优化, 减速, 反而更多/增加: the reader's check, results that got worse) is bad: train
  2 false claims fewer on 2 papers, nothing else moved on train, validation or dev.
- ``host_cpus.jsonl``: ``{"pattern", "what"}``, names of host CPUs: when a setup names a host
  CPU and accelerators, a claim's hardware is the accelerator (ANNOTATION.md).
- ``hosted_models.jsonl``: ``{"pattern", "what"}``, models served behind a vendor's API (GPT-4o,
  Claude, Gemini): the setup's such model is an agent's or a judge's, not the model a claim's
  numbers ran on.
- ``machines.jsonl``: ``{"pattern", "what"}``, names of machines built around a processor the
  entry may name beside them (a phone and its SoC, a Mac mini and its M4 Pro, a cloud instance
  type and its GPUs): the claim's hardware is the processor.

The comparison cues (what puts a baseline after it: 相比, over, vs., than reach a few words
ahead, 比 and 较 only the next name) are the NER's too: one list,
``ingest/nlp/patterns/vocabulary/comparison-cues.txt`` (`COMPARE_STRONG`, `COMPARE_WEAK`).
A pattern may take in such a list as ``{list:NAME}`` (`techclaims.ingest.nlp.vocabulary.expand`).

`tests/test_claims_vocabulary.py` checks the files (fields, values, patterns that compile and match).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from techclaims.ingest.nlp import vocabulary as word_lists
from techclaims.ingest.nlp.regex_guard import guarded_if_blind
from techclaims.schema.iris import norm_key

DATA = "data"
GOOD = ("increase", "decrease")
VERBS = ("increase", "decrease", "good", "bad")
NOT_CLAIM = ("any", "percent")

NOT_CUE = "not"  # base name of cues that make a number no claim
NOT_PERCENT_CUE = "not %"  # ... only a percentage (a share of cases)


def read_rows(name: str) -> list[dict]:
    """The rows of one cue file of ``data/``, each pattern's ``{list:NAME}`` expanded."""
    text = resources.files(__package__).joinpath(DATA, name).read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    for row in rows:
        row["pattern"] = word_lists.expand(row["pattern"])
    return rows


def _metric_row(row: dict) -> tuple[str, str, str]:
    if "not_claim" in row:
        return row["pattern"], NOT_PERCENT_CUE if row["not_claim"] == "percent" else NOT_CUE, ""
    return row["pattern"], row["metric"], row["good"]


BASE_CUES: tuple[tuple[str, str, str], ...] = tuple(
    _metric_row(r) for r in read_rows("metric_cues.jsonl")
)
QUALIFIER_CUES: tuple[tuple[str, str], ...] = tuple(
    (r["pattern"], r["qualifier"]) for r in read_rows("qualifier_cues.jsonl")
)
VERB_CUES: tuple[tuple[str, str], ...] = tuple(
    (r["pattern"], r["verb"]) for r in read_rows("verb_cues.jsonl")
)
# metric -> the acronym texts write it with: "能量延迟积 (EDP)" is the metric "energy-delay product (EDP)"
ACRONYMS: dict[str, str] = {
    r["metric"]: r["acronym"] for r in read_rows("metric_cues.jsonl") if r.get("acronym")
}
#: comparison cues that reach a few words ahead to the compared name (相比, over, vs., than)
COMPARE_STRONG = word_lists.phrase("comparison-cues", "far")
#: ... and those that reach only the next name (比, 较)
COMPARE_WEAK = word_lists.phrase("comparison-cues", "near")
#: a word before a compared name that a closing word after it compares: "与 X 相比"
COMPARE_OPENING = word_lists.phrase("comparison-cues", "opening")
COMPARE_CLOSING = word_lists.phrase("comparison-cues", "closing")
#: ... and between two compared names: "X vs. Y"
COMPARE_BETWEEN = word_lists.phrase("comparison-cues", "between")
#: the words joining a list's items (和, 与, and, or; the NER's list-conjunctions.txt)
LIST_CONJUNCTIONS = word_lists.phrase("list-conjunctions")

_ASCII_BOUNDARY = r"(?:(?<![A-Za-z0-9])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?![A-Za-z0-9]))"


def _compile(rows: Iterable[tuple[str, ...]]) -> list[tuple[re.Pattern[str], tuple[str, ...]]]:
    """The cue patterns, with \\b as an ASCII word boundary (Chinese next to "E2E" or "GPU" is no word).

    Starting with that boundary, a pattern was entered at every character of the text it
    searches; guarded (`regex_guard`), a position fails at one class test unless a cue can
    start there, with the same matches: `_cues_in` 2.4 times faster on an ingest's calls."""
    return [
        (
            guarded_if_blind(re.compile(row[0].replace(r"\b", _ASCII_BOUNDARY), re.IGNORECASE)),
            tuple(row[1:]),
        )
        for row in rows
    ]


BASE_RES = _compile(BASE_CUES)
QUALIFIER_RES = _compile(QUALIFIER_CUES)
VERB_RES = _compile(VERB_CUES)


def _names(file: str) -> re.Pattern[str]:
    """One pattern of a data file's ``{"pattern", "what"}`` rows, \\b an ASCII word boundary."""
    rows = read_rows(file)
    joined = "|".join(f"(?:{r['pattern']})" for r in rows)
    return re.compile(joined.replace(r"\b", _ASCII_BOUNDARY), re.IGNORECASE)


HOST_CPU = _names("host_cpus.jsonl")
#: a model served behind a vendor's API (GPT-4o, Claude, Gemini): an agent's or a judge's model
HOSTED_MODEL = _names("hosted_models.jsonl")
#: a machine built around a processor the entry may name beside it (phone, Mac mini, instance)
MACHINE = _names("machines.jsonl")


def is_host_cpu(name: str) -> bool:
    """Whether a hardware name is a host CPU (EPYC, Xeon, Core i9, Grace, ...), which a claim
    whose setup also names an accelerator is not measured on.

    >>> is_host_cpu("AMD EPYC 7763"), is_host_cpu("Ryzen AI 7 350 NPU"), is_host_cpu("GH200 Grace Hopper")
    (True, False, False)
    """
    return bool(HOST_CPU.search(name))


def one_named(kind: str, names: Iterable[str]) -> str | None:
    """The one name of a kind a scope gives a claim: the only one, or, of several hardware
    names, the only one that is no host CPU (ANNOTATION.md: a setup that names a host CPU and
    an accelerator measured on the accelerator) and no machine named by an accelerator it also
    names (the H100 of "NVIDIA DGX H100 ... 8×H100 GPU"); else None.

    >>> one_named("HARDWARE", ["NVIDIA DGX H100", "H100"]), one_named("HARDWARE", ["DGX H100", "A100"])
    ('H100', None)
    """
    distinct = list(dict.fromkeys(names))
    if len(distinct) == 1:
        return distinct[0]
    if kind == "HARDWARE":
        left = [n for n in distinct if not is_host_cpu(n)]
        if len(left) > 1:  # a machine (DGX H100) and the accelerator it is built of (H100)
            keys = {n: norm_key(n) for n in left}
            left = [
                n
                for n in left
                if not (
                    _MACHINE.search(n) and any(o != n and keys[n].endswith(keys[o]) for o in left)
                )
            ]
        return left[0] if len(left) == 1 else None
    return None


#: a machine built of accelerators, named by them: "NVIDIA DGX H100", "HGX A100"
_MACHINE = re.compile(r"(?<![A-Za-z0-9])[DH]GX(?![A-Za-z])", re.IGNORECASE)


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    name: str
    extra: str = ""


def cues_in(
    text: str, start: int, end: int, table: list[tuple[re.Pattern[str], tuple[str, ...]]]
) -> list[Cue]:
    """Non-overlapping cue matches in `text[start:end]`, longest first.

    Every number of a list item asks for the item's cues, so the last answers are kept
    (`_CACHE`, keyed by the text, the span and the table): a 12,500-character line of numbers
    is searched once per table, not once per number.
    """
    key = (text, start, end, id(table))
    cached = _CACHE.pop(key, None)  # re-inserted below: the dict's order is recency
    if cached is None or cached[0] is not table:
        cached = (table, _cues_in(text, start, end, table))
        if len(_CACHE) >= 1024:
            _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = cached
    return list(cached[1])


_CACHE: dict[tuple[str, int, int, int], tuple[object, tuple[Cue, ...]]] = {}


def _cues_in(
    text: str, start: int, end: int, table: list[tuple[re.Pattern[str], tuple[str, ...]]]
) -> tuple[Cue, ...]:
    found: list[Cue] = []
    for regex, (name, *rest) in table:
        for match in regex.finditer(text, start, end):
            if match.start() < match.end():
                found.append(Cue(match.start(), match.end(), name, rest[0] if rest else ""))
    found.sort(key=lambda c: (-(c.end - c.start), c.start))
    starts: list[int] = []  # the kept cues, disjoint, in text order: a bisection finds neighbours
    kept: list[Cue] = []
    for cue in found:
        at = bisect_left(starts, cue.start)
        if at > 0 and kept[at - 1].end > cue.start:
            continue  # overlaps the kept cue before it
        if at < len(kept) and kept[at].start < cue.end:
            continue  # overlaps the kept cue after it
        starts.insert(at, cue.start)
        kept.insert(at, cue)
    return tuple(kept)
