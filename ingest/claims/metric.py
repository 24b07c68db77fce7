"""The metric and direction of a number: a base metric narrowed by a qualifier, the verb's direction."""

from __future__ import annotations

import re

from techclaims.ingest.claims.comparison import is_compared
from techclaims.ingest.claims.context import PaperContext, Text, Where, where_of
from techclaims.ingest.claims.filters import no_gain, not_a_claim
from techclaims.ingest.claims.layout import nearest_cue
from techclaims.ingest.claims.quantities import Found, Quantity, find_quantities
from techclaims.ingest.claims.vocabulary import (
    ACRONYMS,
    BASE_RES,
    NOT_CUE,
    NOT_PERCENT_CUE,
    QUALIFIER_RES,
    VERB_RES,
    Cue,
    cues_in,
)
from techclaims.ingest.nlp import vocabulary as word_lists
from techclaims.schema.records import Direction

_STAGE_WORDS = frozenset(
    {
        "end-to-end",
        "fine-tuning",
        "training",
        "prefill",
        "decode",
        "rollout",
        "serving",
        "inference",
        "kernel",
        "MLP layer",
        "MoE layer",
        "FFN layer",
        "attention",
        "GEMM",
        "SpMM",
        "token generation",
        "response",
        "loading",
        "hardware",
    }
)


#: one pass of a training step: a gain of the backward pass alone ("反向传播 TFLOPS 提升 1.3×") is
#: no training throughput when the end-to-end step is the headline (the reader's check); with
#: TFLOPS a throughput word (metric_cues.jsonl), that clause no longer borrows the next clause's
#: "端到端训练吞吐". Cached docs: train metric accuracy 985 -> 989 right (4 papers: "反向延迟",
#: "前向传播 ... 快 1.1 倍" are the annotators' backward latency and forward speed), one false
#: claim fewer ("TFLOPs 减少 13 倍"); claims F1, validation and dev unchanged
_PASSES = frozenset({"forward", "backward"})


DEVICES = frozenset({"GPU", "FPGA", "NPU", "CPU"})  # where a time is measured: "GPU inference time"


# which qualifiers may narrow each base metric (latency is an inference latency unless it says otherwise)
QUALIFIED: dict[str, frozenset[str]] = {
    "speed": _STAGE_WORDS | _PASSES | {"training step"},
    "throughput": _STAGE_WORDS | _PASSES | {"Tensor Core"},
    "latency": (_STAGE_WORDS - {"inference"}) | _PASSES | {"training step"} | DEVICES,
    "time": _STAGE_WORDS | _PASSES | {"training step"} | DEVICES,
    "memory": frozenset({"fine-tuning", "training", "peak", "decode", "prefill"}),
    "cost": frozenset({"training", "inference", "serving", "fine-tuning"}),
    "communication": frozenset({"inter-node"}),
    "energy": frozenset({"training", "inference", "decode", "prefill"}),
    "overhead": frozenset({"virtualization"}),
    "compute": frozenset({"training", "inference", "attention"}),
    "size": frozenset({"KV cache", "model"}),
}


UTILIZATION = re.compile(
    r"(tensor\s?core|gpu|\bsm\b|内存带宽|memory bandwidth|带宽|bandwidth|hbm|计算|compute|cache)\s?的?\s?$",
    re.IGNORECASE,
)


UTILIZATION_NAMES = {
    "内存带宽": "memory bandwidth",
    "带宽": "bandwidth",
    "计算": "compute",
    "tensorcore": "Tensor Core",
    "gpu": "GPU",
    "sm": "SM",
    "hbm": "HBM",
    "memory bandwidth": "memory bandwidth",
}


#: a time's gain read as speed (speedup-words.txt, faster)
FASTER = re.compile(word_lists.alternation("speedup-words", tags="faster"), re.IGNORECASE)


def as_direction(name: str) -> Direction:
    """A cue's direction (a verb's, or a metric's good one) as the record's type; the cue files
    hold no other (tests/test_claims_vocabulary.py), so anything else is a bug, not input."""
    if name == "increase":
        return "increase"
    if name == "decrease":
        return "decrease"
    raise ValueError(f"not a direction: {name!r}")


def _good_direction(metric: str | None) -> str:
    for _, (name, good) in BASE_RES:
        if (
            metric
            and name not in (NOT_CUE, NOT_PERCENT_CUE)
            and (metric == name or metric.endswith(" " + name))
        ):
            return good
    return "increase"


def metric_of(context: str) -> str | None:
    """The efficiency metric of the first number in a short text, by cue words (None: none or not efficiency).

    >>> metric_of("TTFT平均缩短13.5倍")
    'TTFT'
    >>> metric_of("throughput improves by 2x")
    'throughput'
    >>> metric_of("将训练吞吐量提高了1.51至1.97倍")
    'training throughput'
    >>> metric_of("1.14× 的端到端推理速度提升")
    'end-to-end inference speed'
    >>> metric_of("准确率下降3%") is None
    True
    """
    found = find_quantities(context)
    at = found[0] if found else Found(len(context), len(context), Quantity(0, None, "x"))
    base = nearest_cue(cues_in(context, 0, len(context), BASE_RES), at, found, context)
    if base is None or base.name in (NOT_CUE, NOT_PERCENT_CUE):
        return None
    return _compose(context, base, cues_in(context, 0, len(context), QUALIFIER_RES))


def direction_of(context: str, metric: str | None) -> Direction:
    """`decrease` for less latency/memory/cost, else `increase`.

    >>> direction_of("40% lower latency", "latency")
    'decrease'
    >>> direction_of("2x faster", "speedup")
    'increase'
    >>> direction_of("Token生成延迟上提升近35%", "token generation latency")
    'decrease'
    """
    found = find_quantities(context)
    at = found[0] if found else Found(len(context), len(context), Quantity(0, None, "x"))
    verb = nearest_cue(cues_in(context, 0, len(context), VERB_RES), at, found, context)
    if verb is not None and verb.name in ("increase", "decrease"):
        return as_direction(verb.name)
    return as_direction(_good_direction(metric))


def _compose(text: str, base: Cue, qualifiers: list[Cue]) -> str:
    """A base metric narrowed by qualifiers: the one nearest the base cue, plus end-to-end."""
    name = base.name
    if name == "utilization":
        match = UTILIZATION.search(text, max(0, base.start - 16), base.start)
        if match:
            word = match.group(1).casefold()
            label = UTILIZATION_NAMES.get(word) or UTILIZATION_NAMES.get(
                word.replace(" ", ""), match.group(1)
            )
            return f"{label} utilization"
        return name
    allowed = QUALIFIED.get(name)
    usable = [
        q
        for q in qualifiers
        if allowed and q.name in allowed and (q.end <= base.start or q.start >= base.end)
    ]
    if not usable:
        return name
    end_to_end = any(q.name == "end-to-end" for q in usable)
    devices = [q for q in usable if q.name in DEVICES]
    rest = [q for q in usable if q.name != "end-to-end" and q.name not in DEVICES]
    if end_to_end:
        rest = [q for q in rest if q.name in ("inference", "training")]
    picked = min(
        rest, key=lambda q: (abs(q.start - base.start), q.start > base.start), default=None
    )
    device = min(devices, key=lambda q: abs(q.start - base.start), default=None)
    words = ["end-to-end"] if end_to_end else [device.name] if device else []
    if picked is not None:
        words.append(picked.name)
    return " ".join([*words, name])


def _qualifiers(
    text: str, span: tuple[int, int] | None, near: tuple[int, ...] = (), reach: int = 24
) -> list[Cue]:
    """Qualifier cues in `span`; with `near`, only those within `reach` characters of one of those positions
    (end-to-end anywhere)."""
    if not span:
        return []
    found = cues_in(text, *span, QUALIFIER_RES)
    if not near:
        return found
    return [
        q
        for q in found
        if q.name == "end-to-end"
        or any(q.end <= p + reach and q.start >= p - reach - (q.end - q.start) for p in near)
    ]


_STAGES = (
    "training",
    "fine-tuning",
    "serving",
    "inference",
    "kernel",
    "attention",
    "decode",
    "prefill",
)


def paper_qualifier(title: str, heading: str = "") -> str | None:
    """What a paper accelerates, from its title: training, serving, kernels, ...

    >>> paper_qualifier("Tree Training: Accelerating Agentic LLMs Training via Shared Prefix Reuse")
    'training'
    >>> paper_qualifier("QServe: W4A8KV4 Quantization and System Co-design for Efficient LLM Serving")
    'serving'
    >>> paper_qualifier("Mapping Gemma3 onto an Edge Dataflow Architecture") is None
    True
    """
    text = f"{title}\n{heading}"
    hits = [q for q in cues_in(text, 0, len(text), QUALIFIER_RES) if q.name in _STAGES]
    if not hits:
        return None
    counts: dict[str, int] = {}
    for q in hits:
        counts[q.name] = counts.get(q.name, 0) + 1
    return max(counts, key=lambda n: (counts[n], -min(q.start for q in hits if q.name == n)))


def size_qualifier(title: str) -> str | None:
    """What a paper makes smaller: the KV cache or the model.

    >>> size_qualifier("KV Cache Transform Coding for Compact Storage in LLM Inference")
    'KV cache'
    """
    names = [
        q.name
        for q in cues_in(title, 0, len(title), QUALIFIER_RES)
        if q.name in ("KV cache", "model")
    ]
    return names[0] if names else None


_HEADING_QUALIFIERS = frozenset(
    {
        "training",
        "fine-tuning",
        "inference",
        "serving",
        "prefill",
        "decode",
        "kernel",
        "attention",
        "end-to-end",
        "GEMM",
        "SpMM",
        "inter-node",
        "FPGA",
        "GPU",
        "NPU",
        "CPU",
        "MLP layer",
        "MoE layer",
        "FFN layer",
    }
)


_VAGUE = re.compile(r"性能|performance", re.IGNORECASE)


def _vague(text: str, cue: Cue) -> bool:
    """Whether a metric cue is the bare word performance (not part of a compound such as
    price-power-performance or performance-per-watt)."""
    return bool(
        _VAGUE.fullmatch(text[cue.start : cue.end])
        and text[cue.start - 1 : cue.start] != "-"
        and text[cue.end : cue.end + 1] != "-"
    )


def metric_and_direction(
    at: Found, t: Text, w: Where, paper: PaperContext, borrow: bool = True
) -> tuple[str, Direction, bool] | None:
    """(metric, direction, read next to the number) of the number, or None when it is no efficiency gain.
    A bare speed-up ("加速 3×") takes the speed the entry's other gains name (`borrow`,
    `_entry_speed_metric`)."""
    masked, percent = t.masked, at.quantity.unit == "%"
    scopes = [w.phrase, w.clause, *(s for s in (w.header_cell, w.row_label) if s), w.sent]
    scopes += [s for s in (w.head, w.parent, w.heading) if s]
    base = None
    scope: tuple[int, int] | None = None
    for scope in scopes:
        cues = [
            c for c in cues_in(masked, *scope, BASE_RES) if percent or c.name != NOT_PERCENT_CUE
        ]
        base = nearest_cue(cues, at, w.siblings, masked)
        if base is not None:
            break
    if base is not None and base.name in (NOT_CUE, NOT_PERCENT_CUE):
        return None
    if base is not None and base.name == "speed":  # "编译时间比 X 快 20 倍": the compile time's
        ready = [c for c in cues_in(masked, w.clause[0], base.start, BASE_RES) if c.name in _READY]
        base = ready[-1] if ready else base
    if percent and base is not None and _vague(masked, base):
        # "性能提升 5%", "7.6% better performance": a score as often as a speed; only a plainer
        # metric word in the sentence makes it a claim ("对性能的影响：... 39% 的硬件加速")
        if at.sign in ("-", "−"):
            return None  # "性能下降（-1.91%）": a score that fell
        plainer = [c for c in cues_in(masked, *w.sent, BASE_RES) if not _vague(masked, c)]
        base = nearest_cue(plainer, at, w.siblings, masked)
        if base is None or base.name in (NOT_CUE, NOT_PERCENT_CUE):
            return None
        scope = w.sent
    verb = None
    verb_scopes: list[tuple[int, int] | None] = [w.aside] if w.aside else []
    verb_scopes += [w.phrase, w.clause, w.header_cell]
    for span in verb_scopes:
        if span and verb is None:
            verb = nearest_cue(cues_in(masked, *span, VERB_RES), at, w.siblings, masked)
            if (
                span is w.aside
                and verb is None
                and percent
                and not at.sign
                and _aside_on_noun(w.aside, t)
            ):
                return None  # "GSM8K 性能（79.5%）": a value given in passing, not a change
    if verb is not None and verb.name == "bad":
        return None  # slower, overhead incurred, a problem caused
    if percent and verb is None and not at.sign:
        return None  # a level ("93% scaling efficiency"), not a change
    if verb is None and base is not None and base.name in _SPECS and _hardware_subject(at, t, w):
        return None  # "H100的显存带宽是A100的1.7倍": a specification, not a gain of the method
    if base is None:
        if percent and (
            verb is None
            or verb.name != "good"
            and not _compared_in(at, t, w)
            or not _method_subject(at, t, w, paper)
        ):
            return None  # "本模型在数学上平均提升15.7%": a gain of something, said of no method
        defined = _defined_metric(at, t, w)
        if (
            defined is None
            and percent
            and not any(
                c.name not in (NOT_CUE, NOT_PERCENT_CUE) for c in cues_in(masked, *w.sent, BASE_RES)
            )
        ):
            return None  # "比 X 高出 7.6%", "平均提升 10.6%": no metric word, a score as often as a speed
        base, scope = defined or (Cue(at.start, at.start, "speed", "increase"), None)
    good = base.extra
    if good == "decrease" and (verb is None or verb.name != "decrease") and _larger(at, t, w):
        return None  # "训练时间约为基线的 4–10 倍", "开销比基线高 1.19×": more time, not less
    near = (base.start, base.end, at.start, at.end)
    local = scope in (w.phrase, w.clause, w.header_cell, w.row_label)
    name = _compose(masked, base, _qualifiers(masked, scope, near)) if scope else base.name
    if name == base.name:  # no qualifier next to it: look wider, before the number
        for span in (
            None if w.row else (w.sent[0], at.start),
            w.header_cell,
            w.head,
            w.parent,
            w.heading,
        ):
            if span is None:
                continue
            cues = _qualifiers(masked, span, near if span[0] <= at.start <= span[1] else ())
            if span in (w.head, w.parent, w.heading):
                cues = [q for q in cues if q.name in _HEADING_QUALIFIERS]
            wider = _compose(masked, base, cues)
            if wider != base.name:
                name = wider
                local = local and span not in (
                    w.head,
                    w.parent,
                    w.heading,
                )  # half read from a heading
                break
    direction = good
    if verb is not None and verb.name in ("increase", "decrease"):
        if scope is not None and verb.name != good:
            return None  # latency up, throughput down, memory added: not a gain
        direction = verb.name
    if at.sign in ("+", "＋") and good == "decrease":
        return None
    if at.sign in ("-", "−"):
        if good != "decrease":
            return None  # "-1.8%" of a throughput or a score: worse
        direction = "decrease"  # "-38.8%" of memory, time, parameters: the gain
    if base.name in _TIMES and FASTER.search(masked, *w.phrase):
        name, direction = name[: -len("time")] + "speed", "increase"  # "单步训练时间：比X快2.55×"
    if name.startswith("kernel "):  # "内核性能" of a paper about one operator: "SpMM kernel speed"
        name = _operator(t, w) + name
    acronym = ACRONYMS.get(base.name)
    if (
        acronym
        and name == base.name
        and scope
        and re.search(
            rf"(?<![A-Za-z]){acronym}(?![A-Za-z])",
            t.text[max(scope[0], base.start - 24) : min(scope[1], base.end + 24)],
        )
    ):
        name = f"{name} ({acronym})"  # "TTLT（total latency）", "能量延迟积 (EDP)"
    if name == "speed":
        borrowed = _entry_speed_metric(t, paper) if borrow else None
        name, local = (f"{paper.qualifier} speed" if paper.qualifier else "speedup"), False
        name = borrowed or name
    elif name == "throughput" and paper.qualifier in ("training", "fine-tuning"):
        name = f"{paper.qualifier} throughput"
    elif name == "size":
        name = f"{paper.size_qualifier} size" if paper.size_qualifier else "size"
    elif name in _INFERENCE_THROUGHPUT:
        name = "throughput"  # "推理吞吐量提升 2.4 倍": an inference's, as a latency is
    return name, as_direction(direction), local


#: a throughput is an inference's unless it says otherwise (as a latency is): the annotators write
#: "throughput" for "推理吞吐量提升 2.4 倍" (train: 20 of 26 such matched claims, 3 "inference
#: throughput"). Metric accuracy on cached docs train 0.393 -> 0.401 (+17 net, 13 papers: 10 up,
#: 3 down), validation 0.439 -> 0.449, dev 0.779 =; claims unchanged
_INFERENCE_THROUGHPUT = frozenset({"inference throughput"})


#: times whose gain may be read as a speed ("编译时间比 X 快 20 倍": compile speed). A compile or
#: tuning time is the method's own cost of getting ready, not the model's run: the ontology types
#: it as no efficiency metric (search time: compile time, compile speed, tuning time), so charts
#: never rank it beside speed-ups (ANNOTATION.md: a gain of the method's runs)
_TIMES = frozenset({"time", "compile time", "tuning time"})
_READY = frozenset({"compile time", "compile speed", "tuning time", "tuning speed"})


#: a factor that says the measure is larger than the compared one's (more-words.txt): for a metric
#: whose good direction is down, a result that got worse
RATIO_OF_BEFORE = re.compile(rf"(?:{word_lists.alternation('more-words', tags='ratio')})\s?$")
MORE_BEFORE = re.compile(rf"(?:{word_lists.alternation('more-words', tags='more')})\s?$")
MORE_AFTER = re.compile(
    rf"\s?(?:{word_lists.alternation('more-words', tags='after')})(?![A-Za-z])", re.IGNORECASE
)


def _larger(at: Found, t: Text, w: Where) -> bool:
    """Whether the number says the measure is larger than the compared one's ("训练时间约为基线的 4–10
    倍", "开销比基线高 1.19×", "10–50× 更多内存")."""
    before = t.masked[w.clause[0] : at.start][-28:]
    if at.quantity.unit == "x" and RATIO_OF_BEFORE.search(before):
        return True
    return bool(MORE_BEFORE.search(before) or MORE_AFTER.match(t.masked, at.end))


#: a line that says a metric is measured or compared (measure-words.txt)
MEASURED = re.compile(word_lists.alternation("measure-words"), re.IGNORECASE)


def _defined_metric(at: Found, t: Text, w: Where) -> tuple[Cue, tuple[int, int]] | None:
    """For a gain that names no metric ("X 比 Y 最高提升 40.2%"), the metric a line above it in the same
    section says is measured or compared, with no number of its own ("比较不同 GPU 数量下的吞吐。")."""
    stop = t.layout.line_index(w.heading[0]) if w.heading else -1
    for index in range(w.line - 1, max(stop, w.line - 6), -1):
        span = t.layout.line(index)
        line = t.masked[slice(*span)]
        if not line.strip():
            continue
        if find_quantities(line) or t.layout.is_row(index):
            return None
        if not MEASURED.search(line):
            continue
        cues = [c for c in cues_in(t.masked, *span, BASE_RES) if c.name != "speed"]
        if cues:
            names = {c.name for c in cues}
            return (
                (cues[-1], span)
                if len(names) == 1 and NOT_CUE not in names and NOT_PERCENT_CUE not in names
                else None
            )
    return None


_OPERATORS = frozenset({"GEMM", "SpMM"})


def _operator(t: Text, w: Where) -> str:
    """The one operator ("GEMM ", "SpMM ") the sentence, else the list item, says its kernel computes, or ""."""
    for span in (w.sent, w.item):
        names = {q.name for q in cues_in(t.masked, *span, QUALIFIER_RES) if q.name in _OPERATORS}
        if names:
            return f"{names.pop()} " if len(names) == 1 else ""
    return ""


_SPECS = frozenset(
    {"bandwidth", "memory", "HBM memory", "compute", "FLOPs", "power", "cost", "energy", "speed"}
)


def _hardware_subject(at: Found, t: Text, w: Where) -> bool:
    """Whether the clause is about hardware: its first name is a device and no method is named in it."""
    named = t.mentions_in(w.clause)
    first = next((m for m in named if m.end <= at.start), None)
    return (
        first is not None
        and first.type == "HARDWARE"
        and not any(m.type == "METHOD" for m in named)
    )


def _aside_on_noun(aside: tuple[int, int], t: Text) -> bool:
    """Whether parentheses hang on a noun ("性能（79.5%）"), not on a number or a verb ("减少（均值48.8%）")."""
    host = t.masked[max(0, aside[0] - 8) : aside[0]].rstrip()
    if not host or re.search(r"[\d%％×倍xX]\s*$", host):
        return False
    return not any(c.end >= len(host) - 1 for c in cues_in(host, 0, len(host), VERB_RES))


def _method_subject(at: Found, t: Text, w: Where, paper: PaperContext) -> bool:
    """Whether one of the paper's own methods is named before the number in its sentence."""
    own = paper.proposed | ({paper.method} if paper.method else set())
    return any(m.type == "METHOD" and m.name in own for m in t.mentions_in((w.sent[0], at.start)))


def _compared_in(at: Found, t: Text, w: Where) -> bool:
    return any(is_compared(m, t, w.clause) for m in t.mentions_in(w.clause))


GENERIC_METRICS = ("speedup",)

#: the metric families a bare speed-up may stand for: a speed or a throughput
_SPEED_FAMILIES = ("speed", "throughput")


def _entry_speed_metric(t: Text, paper: PaperContext) -> str | None:
    """The speed the entry's gains name most often ("解码吞吐提升 2.1×", "decode speed"), which a
    bare speed-up of the same entry ("最终实现 3× 加速") measures: the entry has said what it
    speeds up, and says it again only in part of its sentences. The first named wins a tie.

    Found on train: of 416 bare speed-ups matched to gold claims, 6 were typed right as
    "speedup"; the annotators wrote the entry's measure (throughput 32, training speed 29,
    end-to-end speed 27, ...). With this, 50 more right on 26 papers, none lost net; metric
    accuracy on matched claims (cached docs) train 0.372 -> 0.393, validation 0.418 -> 0.439,
    dev 0.779 =; claims F1 0.799 / 0.757 / 0.962 unchanged. A speed-up of an entry that names
    no speed stays generic.

    The entry's speed also comes before the paper's title qualifier ("inference speed" of a
    title about inference, where the entry measures decode throughput): train 0.401 -> 0.407
    (+15 net; 13 papers up, 2 down), validation 0.449 =, dev 0.779 =. Counting only the gains
    whose metric is read next to their number lost 10 on train (6 papers): dropped."""
    key = ("entry speed metric",)
    if key in t.memo:
        return t.memo[key]
    t.memo[key] = None
    counts: dict[str, int] = {}
    for at in t.found:
        if no_gain(at):
            continue
        w = where_of(t, at)
        if not_a_claim(at, t, w, paper):
            continue
        got = metric_and_direction(at, t, w, paper, borrow=False)
        if got is None or got[0] in GENERIC_METRICS or got[0].split()[-1] not in _SPEED_FAMILIES:
            continue
        counts[got[0]] = counts.get(got[0], 0) + 1
    best = max(counts, key=lambda n: counts[n], default=None)
    t.memo[key] = best
    return best
