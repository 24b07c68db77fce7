"""SPEEDUP mentions -> claims: value, range, unit, metric, direction and attribution.

Pure functions over spaCy spans; no graph code. Numbers are parsed from the
mention's text; metric and direction from the words around it in its
sentence; the method is the paper's proposed method unless the sentence
names another one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from kgschema.iris import norm_key
from kgschema.records import Claim, Entity, Entry, Span

_NUM = r"(\d+(?:,\d{3})*(?:\.\d+)?)"
_UNIT = r"(x|X|×|倍|-?fold|times|%|％)"
_RANGE_SEP = r"\s*(?:~|～|〜|-|–|—|至|到|to|and)\s*"
_RANGE = re.compile(_NUM + r"\s*" + _UNIT + r"?" + _RANGE_SEP + _NUM + r"\s*" + _UNIT)
_SINGLE = re.compile(_NUM + r"\s*" + _UNIT)


@dataclass(frozen=True)
class Quantity:
    value: float
    value_max: float | None
    unit: str  # "x" or "%"


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _unit(text: str) -> str:
    return "%" if text in ("%", "％") else "x"


def parse_speedup(text: str) -> Quantity | None:
    """The number(s) and unit a speedup mention states.

    >>> parse_speedup("1.3x~1.6x")
    Quantity(value=1.3, value_max=1.6, unit='x')
    >>> parse_speedup("高达2.2倍")
    Quantity(value=2.2, value_max=None, unit='x')
    >>> parse_speedup("40% lower latency")
    Quantity(value=40.0, value_max=None, unit='%')
    >>> parse_speedup("1.3至1.6倍")
    Quantity(value=1.3, value_max=1.6, unit='x')
    >>> parse_speedup("3-fold") == Quantity(3.0, None, "x")
    True
    """
    if m := _RANGE.search(text):
        low, first_unit, high, unit = m.groups()
        if first_unit is None or _unit(first_unit) == _unit(unit):
            low_value, high_value = _number(low), _number(high)
            if low_value < high_value:
                return Quantity(low_value, high_value, _unit(unit))
    if m := _SINGLE.search(text):
        return Quantity(_number(m.group(1)), None, _unit(m.group(2)))
    return None


# Metric cue words, most specific first: the first that occurs near the number wins.
METRICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("TTFT", ("ttft", "time-to-first-token", "time to first token", "首token", "首字")),
    ("TPOT", ("tpot", "time per output token", "每token")),
    ("decode speed", ("decod", "解码")),
    ("prefill speed", ("prefill", "预填充")),
    ("training speed", ("training", "训练")),
    ("energy", ("energy", "能耗", "能效", "功耗", "power")),
    ("memory", ("memory", "内存", "显存", "存储")),
    ("cost", ("cost", "成本", "费用")),
    ("communication", ("communication", "通信")),
    ("latency", ("latency", "延迟", "时延", "耗时")),
    ("throughput", ("throughput", "吞吐", "tokens/s", "qps", "goodput")),
    ("end-to-end speed", ("end-to-end", "端到端")),
    ("speedup", ("speedup", "speed-up", "faster", "加速", "提速", "快")),
)
_DECREASE = ("lower", "less", "reduc", "fewer", "降低", "减少", "缩短", "节省", "下降", "减小", "压缩", "saving", "cut")
_DECREASING_METRICS = {"TTFT", "TPOT", "latency", "memory", "energy", "cost", "communication"}


def metric_of(context: str) -> str | None:
    """The efficiency metric a sentence talks about, by cue words.

    >>> metric_of("TTFT平均缩短13.5倍")
    'TTFT'
    >>> metric_of("throughput improves by 2x")
    'throughput'
    """
    folded = context.casefold()
    for metric, cues in METRICS:
        if any(cue in folded for cue in cues):
            return metric
    return None


def direction_of(context: str, metric: str | None) -> str:
    """`decrease` for less latency/memory/cost, else `increase`.

    >>> direction_of("40% lower latency", "latency")
    'decrease'
    >>> direction_of("2x faster", "speedup")
    'increase'
    """
    folded = context.casefold()
    if any(cue in folded for cue in _DECREASE) and metric in _DECREASING_METRICS | {None}:
        return "decrease"
    return "increase"


# --- claims from a Doc -------------------------------------------------------

_BASELINE_CUES = ("相比", "相较", "比", "较", "over", "vs", "versus", "compared", "than", "relative to", "against")
_NOT_CLAIM = ("accuracy", "准确率", "精度", "perplexity", "困惑度", "score", "得分", "数据集", "dataset")


def _sentence_entities(sent: SpacySpan, label: str) -> list[SpacySpan]:
    return [ent for ent in sent.ents if ent.label_ == label]


def _baseline_in(sent: SpacySpan, speedup: SpacySpan, names: dict) -> str | None:
    """A METHOD right after a comparison cue (相比X, over X, vs. X) in the sentence."""
    text = sent.text
    for ent in _sentence_entities(sent, "METHOD"):
        before = text[max(0, ent.start_char - sent.start_char - 12): ent.start_char - sent.start_char].casefold()
        if any(cue in before for cue in _BASELINE_CUES):
            return names.get(("METHOD", norm_key(ent.text)), ent.text)
    return None


def claims_of(doc: Doc, entry: Entry, entities: tuple[Entity, ...], names: dict) -> Iterator[Claim]:
    """A claim for each SPEEDUP mention that states an efficiency gain."""
    proposed = next((e.name for e in entities if e.type == "METHOD" and e.role == "proposed"), None)
    for ent in doc.ents:
        if ent.label_ != "SPEEDUP":
            continue
        quantity = parse_speedup(ent.text)
        if quantity is None or (quantity.unit == "x" and quantity.value <= 1.01):
            continue
        sent = ent.sent
        context = sent.text
        if any(word in context.casefold() for word in _NOT_CLAIM) and metric_of(context) is None:
            continue
        metric = metric_of(context)
        models = _sentence_entities(sent, "MODEL")
        hardware = _sentence_entities(sent, "HARDWARE")
        evidence = context.strip()
        lead = len(context) - len(context.lstrip())
        start = entry.span.start + sent.start_char + lead
        yield Claim(
            value=quantity.value, value_max=quantity.value_max, unit=quantity.unit, metric=metric,
            direction=direction_of(context, metric), method=proposed,
            baseline=_baseline_in(sent, ent, names),
            model=names.get(("MODEL", norm_key(models[0].text)), models[0].text) if models else None,
            hardware=names.get(("HARDWARE", norm_key(hardware[0].text)), hardware[0].text) if hardware else None,
            evidence=evidence, span=Span(start=start, end=start + len(evidence)),
        )
