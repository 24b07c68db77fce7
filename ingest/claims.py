"""Efficiency claims from a digest entry: value, range, unit, metric, direction and attribution.

A claim is a speed-up factor (``6.2x``, ``2.2倍``, ``3-fold``, ``a speedup of
2.1``, ``加速比为3.2``) or a percentage change (``40% lower latency``,
``降低 13.0–20.1%``) that the paper states about its own method (see
../shared/ANNOTATION.md). This module finds the numbers itself in the entry's
text, so it does not depend on how a statistical NER labels them, and reads
everything else from the words around each number, narrowest context first:

- the *phrase* (the clause cut at "and"/"和"/"并"), the *clause* (cut at
  ，,；;。 and table cell borders, parentheses kept whole), the *sentence*
  (a bullet or a table row), for a table row its column header and row label,
  the list item, the section heading, and last the entry's setup;
- the metric is a base (throughput, latency, memory, speed, ...) narrowed by a
  qualifier (training, decode, end-to-end, kernel, ...), from cue words in
  Chinese and English (the vocabulary below), entity names masked out;
- the direction is the verb's (降低, lower, reduces) or, for "improves" and
  bare factors, the metric's good direction; a verb against the metric's good
  direction (latency up, throughput down, 慢, overhead added) is not a claim,
  and a percentage needs a verb, an arrow or a sign (``+2.8%``) to be a change;
- accuracy, scores, errors, dataset sizes, sparsity settings, theoretical
  bounds, hardware prices, acceptance lengths and shares of cases are not
  claims, nor factors of 1.01x or less, nor numbers under a problem,
  motivation or limitation heading;
- the method is the paper's main proposed method unless the clause's subject
  is another of its proposed methods; the baseline is a METHOD or MODEL after
  a comparison cue (相比X, 比X, over X, vs. X, than X, X基线); the model and hardware come from the
  clause, the sentence, the table row or list item, the section heading, else
  the entry's experimental setup when that names exactly one.

Pure functions over strings and a spaCy `Doc`; no graph code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from kgschema.iris import norm_key
from kgschema.records import Claim, Entry, Span
from spacy.tokens import Doc

# --- numbers ------------------------------------------------------------------------------

_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_X = r"(?:\s?[xX×](?![A-Za-z0-9])(?!\s?\d)|\s?倍|-?fold(?![A-Za-z])|\s?times(?![A-Za-z]))"
_PCT = r"\s?[%％]"
_SEP = r"\s?(?:~|～|∼|〜|-|–|—|至|到|to)\s?"
_LEFT = r"(?<![A-Za-z0-9_./^=])(?<![A-Za-z0-9]-)"
_QUANTITY = re.compile(
    rf"{_LEFT}(?P<sign>[+＋\-−])?(?P<low>{_NUM})(?:(?P<lu>{_X}|{_PCT})?(?P<sep>{_SEP})(?P<high>{_NUM}))?"
    rf"(?P<unit>{_X}|{_PCT})(?![\d])"
)
_BETWEEN = re.compile(
    rf"(?i:between)\s+(?P<low>{_NUM})\s?(?P<lu>{_X}|{_PCT})?\s+and\s+(?P<high>{_NUM})(?P<unit>{_X}|{_PCT})"
)
_UNITLESS = re.compile(
    rf"(?:加速比|(?i:speed-?ups?))\s?(?:(?i:of)\s+|[为是:：=]|达到?|高达|可达|最高达?|约为?|(?i:up to)\s+|(?i:about)\s+|~)?\s?"
    rf"(?P<low>{_NUM})(?!\s?(?:[xX×倍%％.\d]|-?fold|times))"
)


@dataclass(frozen=True)
class Quantity:
    value: float
    value_max: float | None
    unit: str  # "x" or "%"


@dataclass(frozen=True)
class Found:
    """A quantity found in a text: where, what, and how it was written."""

    start: int
    end: int
    quantity: Quantity
    decimals: int = 0
    sign: str = ""


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _decimals(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def _unit(text: str) -> str:
    return "%" if text.strip() in ("%", "％") else "x"


def find_quantities(text: str) -> list[Found]:
    """Every factor or percentage `text` states, a range as one quantity, in text order.

    >>> [f.quantity for f in find_quantities("提升1.3x~1.6x，降低20%")]
    [Quantity(value=1.3, value_max=1.6, unit='x'), Quantity(value=20.0, value_max=None, unit='%')]
    >>> find_quantities("Mixtral-8x7B on 8 GPUs, Llama-3 8B")
    []
    """
    found: dict[int, Found] = {}

    def taken(pos: int) -> bool:
        return any(f.start <= pos < f.end for f in found.values())

    for match in _BETWEEN.finditer(text):
        low, high = _number(match["low"]), _number(match["high"])
        if match["lu"] and _unit(match["lu"]) != _unit(match["unit"]) or low >= high:
            continue
        found[match.start()] = Found(match.start(), match.end(), Quantity(low, high, _unit(match["unit"])),
                                     _decimals(match["low"]))
    for match in _QUANTITY.finditer(text):
        if taken(match.start()):
            continue
        unit = _unit(match["unit"])
        low = _number(match["low"])
        sign = match["sign"] or ""
        start = match.start("low") if not sign else match.start()
        if match["high"] is not None:
            high = _number(match["high"])
            same_unit = match["lu"] is None or _unit(match["lu"]) == unit
            if same_unit and low < high:
                found[start] = Found(start, match.end(), Quantity(low, high, unit), _decimals(match["low"]), sign)
                continue
            if match["lu"] is not None:  # "2x-3%": two quantities
                end = match.start("sep")
                found[start] = Found(start, end, Quantity(low, None, _unit(match["lu"])), _decimals(match["low"]),
                                     sign)
            second = match.start("high")
            found[second] = Found(second, match.end(), Quantity(high, None, unit), _decimals(match["high"]))
            continue
        found[start] = Found(start, match.end(), Quantity(low, None, unit), _decimals(match["low"]), sign)
    for match in _UNITLESS.finditer(text):
        start = match.start("low")
        if not taken(start):
            found[start] = Found(start, match.end("low"), Quantity(_number(match["low"]), None, "x"),
                                 _decimals(match["low"]))
    return sorted(found.values(), key=lambda f: f.start)


def parse_speedup(text: str) -> Quantity | None:
    """The first number (or range) and unit a speed-up mention states.

    >>> parse_speedup("1.3x~1.6x")
    Quantity(value=1.3, value_max=1.6, unit='x')
    >>> parse_speedup("高达2.2倍")
    Quantity(value=2.2, value_max=None, unit='x')
    >>> parse_speedup("40% lower latency")
    Quantity(value=40.0, value_max=None, unit='%')
    >>> parse_speedup("1.3至1.6倍")
    Quantity(value=1.3, value_max=1.6, unit='x')
    >>> parse_speedup("between 1.3 and 1.6x")
    Quantity(value=1.3, value_max=1.6, unit='x')
    >>> parse_speedup("加速比为3.2")
    Quantity(value=3.2, value_max=None, unit='x')
    >>> parse_speedup("3-fold") == Quantity(3.0, None, "x")
    True
    """
    found = find_quantities(text)
    return found[0].quantity if found else None


# --- vocabulary -----------------------------------------------------------------------------
# Cue words, Chinese and English, as regular expressions (matched case-insensitively).
# BASE_CUES: (pattern, metric base, good direction); "not" marks numbers that are no claim
# (accuracy, scores, errors, dataset sizes, settings, bounds, prices), "not %" a percentage
# that is a share of cases. Longer matches win over shorter ones they overlap.

BASE_CUES: tuple[tuple[str, str, str], ...] = (
    (r"ttlt|total latency", "end-to-end latency", "decrease"),
    (r"ttft|time[- ]to[- ]first[- ]token|首\s?token|首字|首词", "TTFT", "decrease"),
    (r"tpot|time[- ]per[- ]output[- ]token", "TPOT", "decrease"),
    (r"\btbt\b|time[- ]between[- ]tokens?", "TBT", "decrease"),
    (r"\bitl\b|inter[- ]token latency", "ITL", "decrease"),
    (r"(?:延迟|时延|latency)\s?(?:加速|speed-?ups?)", "latency", "decrease"),
    (r"energy[- ]delay product|\bedp\b|能量延迟积", "energy-delay product", "decrease"),
    (r"cost[- ]?efficien\w*|cost[- ]effective\w*|成本效率|成本效益|性价比", "cost efficiency", "increase"),
    (r"energy[- ]?efficien\w*|能效|能源效率|perf(?:ormance)?[- ]per[- ]watt|每瓦", "energy efficiency", "increase"),
    (r"throughputs?|吞吐|goodput|tokens?/s|tok/s|\bqps\b|\brps\b|requests per second|tflops?/s", "throughput",
     "increase"),
    (r"latenc(?:y|ies)|延迟|时延|响应时间|response time", "latency", "decrease"),
    (r"utili[sz]ation|利用率|占用率|occupancy|\bmfu\b", "utilization", "increase"),
    (r"bandwidth|带宽", "bandwidth", "increase"),
    (r"dram\s?(?:访问|access\w*)", "DRAM accesses", "decrease"),
    (r"访存|memory access\w*|内存访问", "memory accesses", "decrease"),
    (r"communication|通信|通讯|network traffic", "communication", "decrease"),
    (r"kv\s?-?cache\s?(?:size|footprint|压缩|大小|占用|compression)|kv\s?缓存(?:压缩|大小|占用)", "KV cache size",
     "decrease"),
    (r"model size|模型(?:尺寸|大小|体积)|模型压缩|model compression", "model size", "decrease"),
    (r"compression ratio|压缩率|压缩比|compress(?:es|ed|ion)?\b|压缩(?!模式)", "size", "decrease"),
    (r"\bhbm\b", "HBM memory", "decrease"),
    (r"memory|内存|显存|footprint|占用", "memory", "decrease"),
    (r"energy|能耗|能量|耗电|joules?", "energy", "decrease"),
    (r"\bpower\b|功耗|功率", "power", "decrease"),
    (r"overheads?|(?:效率|性能|计算|内存|训练)?开销", "overhead", "decrease"),
    (r"\bcosts?\b|成本|费用|\$", "cost", "decrease"),
    (r"\bflops\b", "FLOPs", "decrease"),
    (r"计算量|运算量|\bcompute\b", "compute", "decrease"),
    (r"参数量|参数数|参数|parameters|\bparams\b", "parameters", "decrease"),
    (r"前向传播|forward pass(?:es)?", "forward passes", "decrease"),
    (r"时间|耗时|\btime\b|wall[- ]?clock|墙钟", "time", "decrease"),
    (r"speed-?ups?|speeds? up|faster|加速比?|提速|加快|更快|快于|快|速度|\bspeed\b|accelerat\w*|性能|performance|效率|"
     r"efficien(?:cy|t)", "speed", "increase"),
    (r"accura\w*|准确率|正确率|准确度|准确性|精度|precision|perplexity|困惑度|\bppl\b|scores?\b|得分|分数|bleu|rouge|"
     r"pass@|win[- ]rate|胜率|recall|召回|\bf1\b|\bauc\b|误差|errors?\b|覆盖率|coverage|质量|quality|损失|\bloss\b|"
     r"接受长度|acceptance|accepted|接受率|命中率|hit rate|成功率|success rate|通过率|pass rate", "not", ""),
    (r"gsm8k|math-?500|\bmath\b|mmlu|humaneval|mbpp|\baime|gpqa|hellaswag|winogrande|longbench|\bruler\b|"
     r"mt-bench|alpacaeval|livecodebench|swe-bench|\bbenchmark", "not", ""),
    (r"数据集|datasets?|样本|samples|语料|corpus|数据量|训练数据|training data", "not", ""),
    (r"基准测试|评测集|测评|推理任务|推理基准|(?:推理|指令遵循|泛化|理解|表达|学习|检索|编程|代码|数学|语言)能力|abilit(?:y|ies)|capabilit(?:y|ies)|绝对增益|absolute gains?|"
     r"个百分点|百分点|percentage points?|\bpp\b|数学|物理|化学|问答|差距|\bgaps?\b", "not", ""),
    (r"稀疏度|稀疏率|稀疏|sparsity|(?:参数)?剪枝率|pruning ratio|占比|比例|proportion|fraction|share of", "not", ""),
    (r"理论|theoretical|潜力|potential|上限|upper bound|oracle|ideal speed-?up|理想加速|roofline", "not", ""),
    (r"便宜|cheaper|价格|price|售价", "not", ""),
    (r"配置|configurations?|的情况|of (?:the )?cases|of (?:the )?(?:time|requests)|以内|之内|within", "not %", ""),
)
QUALIFIER_CUES: tuple[tuple[str, str], ...] = (
    (r"end[- ]to[- ]end|\be2e\b|端到端", "end-to-end"),
    (r"每步训练|单步训练|训练步|per[- ]step|training step|step time|每步", "training step"),
    (r"fine[- ]?tun\w*|微调", "fine-tuning"),
    (r"pre-?train\w*|预训练|train\w*|训练", "training"),
    (r"prefill\w*|预填充|prompt processing", "prefill"),
    (r"decod\w*|解码", "decode"),
    (r"rollouts?", "rollout"),
    (r"serving|服务", "serving"),
    (r"inference|推理", "inference"),
    (r"kernels?|内核|算子|operators?", "kernel"),
    (r"\bmlp\s?(?:层|layers?)", "MLP layer"),
    (r"\bmoe\s?(?:层|layers?)", "MoE layer"),
    (r"\bffn\s?(?:层|layers?)", "FFN layer"),
    (r"attention|\battn\b|注意力", "attention"),
    (r"\bgemm\b", "GEMM"),
    (r"\bspmm\b", "SpMM"),
    (r"inter[- ]node|跨节点|节点间", "inter-node"),
    (r"\bpeak\b|峰值", "peak"),
    (r"token\s?(?:generation|生成)", "token generation"),
    (r"响应|\bresponse\b", "response"),
    (r"虚拟化|virtuali[sz]ation", "virtualization"),
    (r"加载|\bload(?:ing)?\b", "loading"),
    (r"硬件(?=加速|速度)|hardware(?=[- ](?:speed|accelerat))", "hardware"),
    (r"tensor\s?cores?", "Tensor Core"),
    (r"\bgpus?\b", "GPU"),
    (r"\bfpgas?\b", "FPGA"),
    (r"\bnpus?\b", "NPU"),
    (r"\bcpus?\b", "CPU"),
    (r"kv\s?-?cache|kv\s?缓存", "KV cache"),
    (r"模型|\bmodels?\b", "model"),
)
_STAGE_WORDS = frozenset({
    "end-to-end", "fine-tuning", "training", "prefill", "decode", "rollout", "serving",
    "inference", "kernel", "MLP layer", "MoE layer", "FFN layer", "attention", "GEMM", "SpMM",
    "token generation", "response", "loading", "hardware"})
DEVICES = frozenset({"GPU", "FPGA", "NPU", "CPU"})  # where a time is measured: "GPU inference time"
# which qualifiers may narrow each base metric (latency is an inference latency unless it says otherwise)
QUALIFIED: dict[str, frozenset[str]] = {
    "speed": _STAGE_WORDS | {"training step"}, "throughput": _STAGE_WORDS | {"Tensor Core"},
    "latency": (_STAGE_WORDS - {"inference"}) | {"training step"} | DEVICES,
    "time": _STAGE_WORDS | {"training step"} | DEVICES,
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
    re.IGNORECASE)
UTILIZATION_NAMES = {"内存带宽": "memory bandwidth", "带宽": "bandwidth", "计算": "compute", "tensorcore": "Tensor Core",
                     "gpu": "GPU", "sm": "SM", "hbm": "HBM", "memory bandwidth": "memory bandwidth"}
# verbs and signs: literal directions, "good" (improves, whatever the metric), "bad" (slower, incurs)
VERB_CUES: tuple[tuple[str, str], ...] = (
    (r"slow\w*|慢|degrad\w*|penalt\w*|引入|incur\w*|导致|造成|causes?\b|costs? more|additional|额外", "bad"),
    (r"improv\w*|boost\w*|gains?\b|better|outperform\w*|提升|改善|优化|增益|加速|faster|speed-?ups?|提速|加快|快于|"
     r"更快|快|优于|超越|领先|恢复|recover\w*", "good"),
    (r"reduc\w*|decreas\w*|lower\w*|\bless\b|fewer|\bcuts?\b|sav(?:e|es|ed|ing|ings)\b|shrink\w*|drops?\b|"
     r"降低|减少|缩短|节省|节约|下降|减小|压缩|削减|缩减|减轻|降幅|降|减|省|↓", "decrease"),
    (r"increas\w*|higher|\bmore\b|rais\w*|grow\w*|增加|增长|上升|提高|增大|扩大|↑|高出", "increase"),
)
COMPARE_STRONG = (r"相比(?:于|之下)?|相较(?:于)?|对比|vs\.?|versus|\bover\b|compared\s+(?:to|with)|relative\s+to|"
                  r"\bagainst\b|\bthan\b|高于|低于|优于|超过|超越|远超|超出|outperform\w*|\bbeats?\b|相对(?:于)?|快于")
COMPARE_WEAK = r"(?<!加速)(?<!占)(?<!对)比(?!例|率|重)|较(?!大|小|高|低|多|少|好|长|短)"
RESPECTIVELY = re.compile(r"分别|respectively", re.IGNORECASE)
PHRASE_SPLIT = re.compile(r"\band\b|\bwhile\b|\bwhereas\b|和|并且|并将|并|同时|以及|而", re.IGNORECASE)
ABSOLUTE = re.compile(
    r"(?:提升|提高|降低|降|减少|增加|增长|reach\w*)\s?(?:至|到|为)\s?(?:平均|约|近)?\s*$|"
    r"(?<!up)\s\bto\s+(?:about\s+|around\s+|~)?$|仅为\s?$|只有\s?$|维持\s?(?:在)?\s?$", re.IGNORECASE)
EXAMPLE = re.compile(r"(?:如|例如|比如|e\.g\.|such as)[^，,。；;（(]{0,12}$", re.IGNORECASE)
EXAMPLE_START = re.compile(r"\s*(?:如|例如|比如|e\.g\.|such as)", re.IGNORECASE)
COUNT_AFTER = re.compile(
    r"^\s?(?:GPUs?|NPUs?|TPUs?|CPUs?|nodes?|cards?|machines?|servers?|devices?|workers?|卡|张|台|块|节点|个|颗|机)",
    re.IGNORECASE)
FASTER = re.compile(r"快|faster|speed-?ups?|加速", re.IGNORECASE)
SETUP_HEADING = re.compile(r"实验设置|实验环境|实验配置|硬件|平台|setup|hardware|environment|testbed|platform",
                           re.IGNORECASE)
SETUP_LABEL = re.compile(r"\s*(?:[-*+]\s+)?\**(?:硬件|硬件平台|实验平台|GPU|Hardware|Platform|设备|Device|Testbed)\**\s*[:：]",
                         re.IGNORECASE)
SKIP_HEADING = re.compile(r"解决的问题|问题|背景|动机|motivation|problem|challenge|挑战|局限|limitation|未来|future|"
                          r"related work|相关工作", re.IGNORECASE)
CONDITIONS = re.compile(
    r"(?:batch(?:\s?size)?|\bbs|批(?:大小|量|次大小)?)\s?[=:：为]?\s?\d+|"
    r"(?:序列长度|上下文长度|context(?: length)?|sequence length|seq(?:uence)?[ _-]?len(?:gth)?|输入长度)\s?[=:：为]?\s?"
    r"(?:>=|≥|>)?\s?\d+(?:\.\d+)?\s?[KkM]?|"
    r"(?:>=|≥|>|<=|≤)?\s?\d+(?:\.\d+)?\s?[KkM](?![A-Za-z0-9])(?:\s?(?:tokens?|上下文|context|序列))?|"
    r"长序列|短序列|long(?:er)? (?:sequences?|contexts?)|short(?:er)? (?:sequences?|contexts?)|"
    r"\d+(?:\.\d+)?\s?%\s?(?:的)?稀疏度?|sparsity of \d+(?:\.\d+)?\s?%|"
    r"\b(?:FP16|BF16|FP8|FP4|INT8|INT4|NVFP4|MXFP4)\b|单卡|多卡|single[- ]GPU|multi[- ]GPU|\d+\s?(?:GPUs|卡)",
    re.IGNORECASE)


# --- cue words ----------------------------------------------------------------------------


_ASCII_BOUNDARY = r"(?:(?<![A-Za-z0-9])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?![A-Za-z0-9]))"


def _compile(rows: Iterable[tuple[str, ...]]) -> list[tuple[re.Pattern[str], tuple[str, ...]]]:
    """The cue patterns, with \\b as an ASCII word boundary (Chinese next to "E2E" or "GPU" is no word)."""
    return [(re.compile(row[0].replace(r"\b", _ASCII_BOUNDARY), re.IGNORECASE), tuple(row[1:])) for row in rows]


_BASE_RES = _compile(BASE_CUES)
_QUALIFIER_RES = _compile(QUALIFIER_CUES)
_VERB_RES = _compile(VERB_CUES)
_NOT = "not"  # base name of cues that make a number no claim
_NOT_PERCENT = "not %"  # ... only a percentage (a share of cases)


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    name: str
    extra: str = ""


def _cues(text: str, start: int, end: int, table: list[tuple[re.Pattern[str], tuple[str, ...]]]) -> list[Cue]:
    """Non-overlapping cue matches in `text[start:end]`, longest first."""
    found: list[Cue] = []
    for regex, (name, *rest) in table:
        for match in regex.finditer(text, start, end):
            if match.start() < match.end():
                found.append(Cue(match.start(), match.end(), name, rest[0] if rest else ""))
    found.sort(key=lambda c: (-(c.end - c.start), c.start))
    kept: list[Cue] = []
    for cue in found:
        if all(cue.end <= k.start or cue.start >= k.end for k in kept):
            kept.append(cue)
    return sorted(kept, key=lambda c: c.start)


def _listed(text: str, a: Found, b: Found) -> bool:
    """Whether two numbers go together: items of one list ("1.35倍、1.42倍和1.49倍", "5× 和 10×"), or a
    number and the aside that qualifies it ("1.26倍（最高达1.55倍）")."""
    first, second = (a, b) if a.start < b.start else (b, a)
    between = text[first.end:second.start]
    if re.fullmatch(r"[^\d（(，,。;；|]{0,6}[（(][^\d（()）,，;；]{0,8}",
                    between, re.IGNORECASE):
        return True
    between = re.sub(r"[（(][^（()）]{0,40}[)）]", "", between)
    return bool(re.fullmatch(r"\s*(?:、|,|，|/|和|与|及|或|and|or|vs\.?)?\s*", between, re.IGNORECASE))


def _asides(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The outermost parenthesised groups on the lines of `text[lo:hi]`."""
    lo = text.rfind("\n", 0, lo) + 1
    newline = text.find("\n", hi)
    hi = len(text) if newline < 0 else newline
    groups, depth, start = [], 0, lo
    for i in range(lo, hi):
        if text[i] in "(（":
            if depth == 0:
                start = i
            depth += 1
        elif text[i] in ")）" and depth:
            depth -= 1
            if depth == 0:
                groups.append((start, i + 1))
    return groups


def _aside_of(groups: list[tuple[int, int]], pos: int) -> tuple[int, int] | None:
    return next((g for g in groups if g[0] <= pos < g[1]), None)


def _blocked(text: str, at: Found, lo: int, hi: int, others: list[Found]) -> bool:
    """Whether another number stands between `[lo, hi)` and the number: not one of its list, not in an aside."""
    groups = _asides(text, min(lo, at.start), max(hi, at.end))
    own = _aside_of(groups, at.start)
    for o in others:
        if o == at or not (lo <= o.start and o.end <= hi) or _listed(text, at, o):
            continue
        aside = _aside_of(groups, o.start)
        if aside is not None and aside != own:
            continue  # "1.26倍（最高1.55倍）的吞吐量": the aside does not cut the 1.26 from its metric
        return True
    return False


def _nearest(cues: list[Cue], at: Found, others: list[Found], text: str) -> Cue | None:
    """The cue closest to the number. A cue with another number in between (not one of its list) does
    not count; a cue in an aside the number is not in counts only when no other does."""
    def distance(cue: Cue) -> int:
        return at.start - cue.end if cue.end <= at.start else max(0, cue.start - at.end)

    def blocked(cue: Cue) -> bool:
        lo, hi = (cue.end, at.start) if cue.end <= at.start else (at.end, cue.start)
        return _blocked(text, at, lo, hi, others)

    if not cues:
        return None
    groups = _asides(text, min(c.start for c in cues + [at]), max(c.end for c in cues + [at]))
    own = _aside_of(groups, at.start)
    free = [c for c in cues if not blocked(c)]
    plain = [c for c in free if _aside_of(groups, c.start) in (None, own)]
    pool = plain or free
    return min(pool, key=lambda c: (distance(c), c.start > at.start), default=None)


def _good_direction(metric: str | None) -> str:
    for _, (name, good) in _BASE_RES:
        if metric and name not in (_NOT, _NOT_PERCENT) and (metric == name or metric.endswith(" " + name)):
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
    base = _nearest(_cues(context, 0, len(context), _BASE_RES), at, found, context)
    if base is None or base.name in (_NOT, _NOT_PERCENT):
        return None
    return _compose(context, base, _cues(context, 0, len(context), _QUALIFIER_RES))


def direction_of(context: str, metric: str | None) -> str:
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
    verb = _nearest(_cues(context, 0, len(context), _VERB_RES), at, found, context)
    if verb is not None and verb.name in ("increase", "decrease"):
        return verb.name
    return _good_direction(metric)


def _compose(text: str, base: Cue, qualifiers: list[Cue]) -> str:
    """A base metric narrowed by qualifiers: the one nearest the base cue, plus end-to-end."""
    name = base.name
    if name == "utilization":
        match = UTILIZATION.search(text, max(0, base.start - 16), base.start)
        if match:
            word = match.group(1).casefold()
            label = UTILIZATION_NAMES.get(word) or UTILIZATION_NAMES.get(word.replace(" ", ""), match.group(1))
            return f"{label} utilization"
        return name
    allowed = QUALIFIED.get(name)
    usable = [q for q in qualifiers if allowed and q.name in allowed and (q.end <= base.start or q.start >= base.end)]
    if not usable:
        return name
    end_to_end = any(q.name == "end-to-end" for q in usable)
    devices = [q for q in usable if q.name in DEVICES]
    rest = [q for q in usable if q.name != "end-to-end" and q.name not in DEVICES]
    if end_to_end:
        rest = [q for q in rest if q.name in ("inference", "training")]
    picked = min(rest, key=lambda q: (abs(q.start - base.start), q.start > base.start), default=None)
    device = min(devices, key=lambda q: abs(q.start - base.start), default=None)
    words = ["end-to-end"] if end_to_end else [device.name] if device else []
    if picked is not None:
        words.append(picked.name)
    return " ".join([*words, name])


def _qualifiers(text: str, span: tuple[int, int] | None, near: tuple[int, ...] = (), reach: int = 24) -> list[Cue]:
    """Qualifier cues in `span`; with `near`, only those within `reach` characters of one of those positions
    (end-to-end anywhere)."""
    if not span:
        return []
    found = _cues(text, *span, _QUALIFIER_RES)
    if not near:
        return found
    return [q for q in found if q.name == "end-to-end"
            or any(q.end <= p + reach and q.start >= p - reach - (q.end - q.start) for p in near)]


# --- the layout around a number -----------------------------------------------------------


@dataclass
class Layout:
    """Lines, tables, headings and list items of an entry's text, for context lookups."""

    text: str
    line_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.line_starts = [0] + [i + 1 for i, c in enumerate(self.text) if c == "\n"]

    def line_index(self, pos: int) -> int:
        lo, hi = 0, len(self.line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.line_starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def line(self, index: int) -> tuple[int, int]:
        start = self.line_starts[index]
        end = self.line_starts[index + 1] - 1 if index + 1 < len(self.line_starts) else len(self.text)
        return start, end

    def line_text(self, index: int) -> str:
        return self.text[slice(*self.line(index))]

    def is_row(self, index: int) -> bool:
        stripped = self.line_text(index).strip()
        return stripped.startswith("|") and stripped.count("|") >= 2

    def cells(self, index: int) -> list[tuple[int, int]]:
        """`(start, end)` of each cell of a table row (between its bars)."""
        start, end = self.line(index)
        bars = [i for i in range(start, end) if self.text[i] == "|"]
        return [(a + 1, b) for a, b in zip(bars, bars[1:], strict=False)]

    def header(self, index: int) -> int | None:
        """The header row of the table that row `index` belongs to (None for the header itself)."""
        first = index
        while first > 0 and self.is_row(first - 1):
            first -= 1
        if first == index or first + 1 >= len(self.line_starts) or index == first + 1:
            return None
        if not re.fullmatch(r"\s*\|?[\s:\-|]+\|?\s*", self.line_text(first + 1)):
            return None
        return first

    def heading(self, index: int) -> tuple[int, int] | None:
        """The nearest heading line above: a markdown heading or a line that is all bold."""
        for i in range(index - 1, -1, -1):
            line = self.line_text(i).strip()
            if line.startswith("#") or re.fullmatch(r"\*\*[^*]{1,80}\*\*[:：]?", line):
                return self.line(i)
            if re.fullmatch(r"(?:-{3,}|\*{3,}|_{3,})", line):
                return None  # a rule ends the section above it
        return None

    def _marker(self, index: int) -> bool:
        line = self.line_text(index)
        return bool(re.match(r"\s*(?:[-*+•]|\d{1,3}[.)、])\s", line)) or line.lstrip().startswith(("#", "|"))

    def _indent(self, index: int) -> int:
        line = self.line_text(index)
        return len(line) - len(line.lstrip())

    def _item_start(self, index: int) -> int:
        first = index
        while first > 0 and not self._marker(first) and self.line_text(first - 1).strip():
            first -= 1
        return first

    def head(self, index: int) -> tuple[int, int] | None:
        """The first line of the list item holding line `index` ("*   **端到端LLM推理：**"), if another line."""
        first = self._item_start(index)
        return self.line(first) if first != index and self._marker(first) else None

    def parent(self, index: int) -> tuple[int, int] | None:
        """The line that introduces the list holding line `index`: the item it is nested in ("- 在 Llama2-7B
        上，POP 实现：" above "  - 1.29× 的 MLP 层加速"), or a line ending in a colon right above the list."""
        first = self._item_start(index)
        if not self._marker(first) or self.line_text(first).lstrip().startswith(("#", "|")):
            return None
        indent = self._indent(first)
        for i in range(first - 1, -1, -1):
            other = self.line_text(i)
            if not other.strip() or other.lstrip().startswith(("#", "|")):
                return None
            if self._indent(i) > indent or self._indent(i) == indent and self._marker(i):
                continue  # a sibling item or its continuation lines
            if self._indent(i) < indent and self._marker(i):
                return self.line(i)
            return self.line(i) if other.rstrip().rstrip("*").rstrip().endswith((":", "：")) else None
        return None

    def item(self, index: int) -> tuple[int, int]:
        """The list item (or paragraph) holding line `index`: from its marker to the next item or blank line."""
        first = index
        while first > 0 and not self._marker(first) and self.line_text(first - 1).strip():
            first -= 1
        last = index
        while last + 1 < len(self.line_starts) and not self._marker(last + 1) and self.line_text(last + 1).strip():
            last += 1
        return self.line(first)[0], self.line(last)[1]


def _clause(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """The clause around `text[start:end]` within `[lo, hi)`: cut at clause punctuation outside parentheses."""
    stops = "，,；;。！？!?|\n"
    depth, i = 0, start - 1
    while i >= lo:
        c = text[i]
        if c in ")）]】":
            depth += 1
        elif c in "(（[【":
            depth = max(0, depth - 1)
        elif c in stops and depth == 0 and not _thousands(text, i) and not _abbreviation(text, i):
            break
        i -= 1
    depth, j = 0, end
    while j < hi:
        c = text[j]
        if c in "(（[【":
            depth += 1
        elif c in ")）]】":
            if depth == 0:
                j += 1
                continue
            depth -= 1
        elif c in stops and depth == 0 and not _thousands(text, j) and not _abbreviation(text, j):
            break
        j += 1
    return i + 1, j


def _thousands(text: str, i: int) -> bool:
    return text[i] == "," and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()


def _abbreviation(text: str, i: int) -> bool:
    return text[i] in "," and i > 0 and text[i + 1:i + 2] != " " and text[i - 1].isalpha()


def _phrase(text: str, clause: tuple[int, int], at: Found) -> tuple[int, int]:
    """The part of the clause between conjunctions ("and", 和, 并) around the number."""
    lo, hi = clause
    for match in PHRASE_SPLIT.finditer(text, lo, hi):
        if match.end() <= at.start:
            lo = match.end()
        elif match.start() >= at.end:
            hi = match.start()
            break
    return lo, hi


# --- the paper around the claims ----------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """An entity mention in the entry text, resolved to its canonical name."""

    start: int
    end: int
    type: str
    name: str
    role: str | None = None


@dataclass(frozen=True)
class PaperContext:
    """What the claims of one paper share: its methods and the entry-level setup."""

    method: str | None = None  # the paper's own (main proposed) method
    proposed: frozenset[str] = frozenset()
    baselines: frozenset[str] = frozenset()
    qualifier: str | None = None  # what the paper speeds up when a sentence does not say (training, kernel, ...)
    size_qualifier: str | None = None  # what the paper compresses (KV cache, model)
    setup: dict[str, str] = field(default_factory=dict)  # type -> the one model / hardware of the setup
    use_setup: bool = False  # fall back on the setup for a claim's model / hardware (off: see README)
    speedup_baseline: str | None = None  # what the entry says its speed-ups are measured against


_STAGES = ("training", "fine-tuning", "serving", "inference", "kernel", "attention", "decode", "prefill")


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
    hits = [q for q in _cues(text, 0, len(text), _QUALIFIER_RES) if q.name in _STAGES]
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
    names = [q.name for q in _cues(title, 0, len(title), _QUALIFIER_RES) if q.name in ("KV cache", "model")]
    return names[0] if names else None


_SPEEDUP_WORD = re.compile(r"加速比|speed-?ups?", re.IGNORECASE)


def speedup_baseline_of(text: str, mentions: list[Mention], own: Iterable[str] = ()) -> str | None:
    """The one method an entry defines its speed-ups against, on lines that state no number
    ("性能：相对于PyTorch基线的加速比", "Speedup: relative to vLLM"), else None."""
    own = set(own)
    prepared = _Text(text, _masked(text, mentions), Layout(text), [], [], mentions)
    names: set[str] = set()
    for index in range(len(prepared.layout.line_starts)):
        line = prepared.layout.line(index)
        if not _SPEEDUP_WORD.search(text, *line) or find_quantities(prepared.masked[slice(*line)]):
            continue
        names |= {m.name for m in mentions if m.type == "METHOD" and _in(m, line) and m.name not in own
                  and not _DEVICE.fullmatch(m.name) and _is_compared(m, prepared, line)}
    return names.pop() if len(names) == 1 else None


def setup_of(text: str, mentions: list[Mention]) -> dict[str, str]:
    """The model and the hardware the entry's experimental setup names, where it names exactly one."""
    layout = Layout(text)
    spans: list[tuple[int, int]] = []
    for index in range(len(layout.line_starts)):
        line = layout.line_text(index)
        stripped = line.lstrip()
        if stripped.startswith("#") and SETUP_HEADING.search(line):
            level = len(stripped) - len(stripped.lstrip("#"))
            stop = layout.line(index)[1]
            for later in range(index + 1, len(layout.line_starts)):
                other = layout.line_text(later).lstrip()
                if other.startswith("#") and len(other) - len(other.lstrip("#")) <= level:
                    break
                stop = layout.line(later)[1]
            spans.append((layout.line(index)[1], stop))
        elif SETUP_LABEL.match(line):
            spans.append(layout.item(index))
    setup: dict[str, str] = {}
    for kind in ("MODEL", "HARDWARE"):
        names = {m.name for m in mentions if m.type == kind and any(a <= m.start < b for a, b in spans)}
        if len(names) == 1:
            setup[kind] = names.pop()
    return setup


def mentions_of(doc: Doc, canonical: Callable[[str, str], tuple[str, str] | None],
                role_of: Callable[[object], str | None] = lambda ent: None) -> list[Mention]:
    """The METHOD / MODEL / HARDWARE mentions of a Doc with canonical names and roles."""
    out = []
    for ent in doc.ents:
        if ent.label_ not in ("METHOD", "MODEL", "HARDWARE"):
            continue
        resolved = canonical(ent.label_, ent.text)
        if resolved is not None:
            kind, name = resolved
            out.append(Mention(ent.start_char, ent.end_char, kind, name, role_of(ent) if kind == "METHOD" else None))
    return out


# --- claims -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    """A claim as one sentence states it; `in_table` for a table row (rows are separate measurements)."""

    claim: Claim
    in_table: bool = False
    local_metric: bool = True  # the metric was read next to the number, not from a heading or the title


@dataclass
class _Text:
    """One entry's text prepared for reading claims: masked, laid out, with its sentences and numbers."""

    text: str
    masked: str
    layout: Layout
    sentences: list[tuple[int, int]]
    found: list[Found]
    mentions: list[Mention]


def statements_of(doc: Doc, entry: Entry, paper: PaperContext, mentions: list[Mention]) -> Iterator[Statement]:
    """A statement for each number in the entry that states an efficiency gain of the paper's method."""
    text = doc.text
    masked = _masked(text, mentions)
    found = [f for f in find_quantities(masked) if "\x00" not in masked[f.start:f.end]]
    prepared = _Text(text, masked, Layout(text), [(s.start_char, s.end_char) for s in doc.sents], found, mentions)
    for at in found:
        statement = _statement(at, prepared, entry, paper)
        if statement is not None:
            yield statement


def claims_of(doc: Doc, entry: Entry, paper: PaperContext, mentions: list[Mention]) -> list[Claim]:
    """The claims of one entry, one per fact."""
    return merge_claims(statements_of(doc, entry, paper, mentions))


def _masked(text: str, mentions: list[Mention]) -> str:
    """The text with markup emphasis blanked and entity names masked (same length, same offsets)."""
    chars = [" " if c in "*`" else c for c in text]
    for m in mentions:
        chars[m.start:m.end] = "\x00" * (m.end - m.start)
    return "".join(chars)


def _sentence(t: _Text, at: Found) -> tuple[int, int]:
    start, end = t.layout.line(t.layout.line_index(at.start))
    for s_start, s_end in t.sentences:
        if s_start <= at.start < s_end:
            start, end = s_start, s_end
            break
    index = t.layout.line_index(at.start)
    if t.layout.is_row(index):  # a table row is one sentence, bars included
        start, end = t.layout.line(index)
    return start, end


@dataclass
class _Where:
    """The contexts around one number, narrowest first."""

    sent: tuple[int, int]
    clause: tuple[int, int]
    phrase: tuple[int, int]
    line: int
    row: bool
    header_cell: tuple[int, int] | None
    row_label: tuple[int, int] | None
    item: tuple[int, int]
    head: tuple[int, int] | None
    parent: tuple[int, int] | None
    heading: tuple[int, int] | None
    siblings: list[Found]
    aside: tuple[int, int] | None = None  # the parentheses the number stands in


def _where(t: _Text, at: Found) -> _Where:
    sent = _sentence(t, at)
    line = t.layout.line_index(at.start)
    row = t.layout.is_row(line)
    clause = _clause(t.masked, at.start, at.end, *sent)
    header_cell = row_label = None
    siblings = [f for f in t.found if sent[0] <= f.start < sent[1]]
    if row:
        cells = t.layout.cells(line)
        column = next((i for i, (a, b) in enumerate(cells) if a <= at.start < b), None)
        if column is not None:  # a table's cells are read apart: numbers in other cells cut nothing
            siblings = [f for f in siblings if cells[column][0] <= f.start < cells[column][1]]
        header = t.layout.header(line)
        if header is not None and column is not None:
            header_cells = t.layout.cells(header)
            header_cell = header_cells[column] if column < len(header_cells) else None
        if cells and column:
            row_label = (cells[0][0], cells[column - 1][1])
    return _Where(sent, clause, _phrase(t.masked, clause, at), line, row, header_cell, row_label,
                  t.layout.line(line) if row else t.layout.item(line), None if row else t.layout.head(line),
                  None if row else t.layout.parent(line),
                  t.layout.heading(line), siblings,
                  _aside_of(_asides(t.masked, at.start, at.end), at.start))


def _statement(at: Found, t: _Text, entry: Entry, paper: PaperContext) -> Statement | None:
    quantity = at.quantity
    masked = t.masked
    if quantity.unit == "x" and quantity.value <= 1.01 or at.sign in ("-", "−"):
        return None  # no gain, or a negative change ("-1.8%")
    w = _where(t, at)
    before = masked[w.clause[0]:at.start]
    if COUNT_AFTER.match(masked[at.end:at.end + 12]) or ABSOLUTE.search(before[-12:]):
        return None  # "8 GPUs", "提升至86.2%": a count, or a level reached
    if re.search(r"在\s?$", before[-3:]) and re.match(r"[^，,。；;！？!?|]{0,10}?(?:下|时|的情况)", masked[at.end:at.end + 14]):
        return None  # "在20倍压缩比下", "在50%稀疏度时": the setting a result is measured in
    aside = _aside_of(_asides(masked, at.start, at.end), at.start)
    if quantity.unit == "x" and (EXAMPLE.search(before) or aside and EXAMPLE_START.match(masked, aside[0] + 1)
                                 and not _cues(masked, *aside, _VERB_RES)):
        return None  # "(如 5×, 10×, 50×)": examples of a setting
    if any(m.type in ("HARDWARE", "MODEL") and 0 <= m.start - at.end <= 4 and quantity.unit == "x"
           and masked[at.end:m.start].strip() in ("", "的", "of") for m in t.mentions):
        return None  # "30x 的 RTX 4090", "8× H100": a count or a spec of the thing named next
    if w.heading and SKIP_HEADING.search(t.text[slice(*w.heading)]) and not w.row:
        return None  # problem statistics, motivation, limitations
    if _about_other_method(at, t, w, paper):
        return None
    metric = _metric(at, t, w, paper)
    if metric is None:
        return None
    name, direction, local = metric
    method = _method(at, t, w, paper)
    evidence_start, evidence_end = _trim(t.text, *w.sent)
    claim = Claim(
        value=quantity.value, value_max=quantity.value_max, unit=quantity.unit, metric=name, direction=direction,
        method=method, baseline=_baseline(at, t, w, method) or _default_baseline(name, quantity.unit, paper),
        model=_attribute("MODEL", at, t, w, paper), hardware=_attribute("HARDWARE", at, t, w, paper),
        condition=_condition(at, t, w), evidence=t.text[evidence_start:evidence_end],
        span=Span(start=entry.span.start + evidence_start, end=entry.span.start + evidence_end),
    )
    return Statement(claim, w.row, local)


_HEADING_QUALIFIERS = frozenset({"training", "fine-tuning", "inference", "serving", "prefill", "decode", "kernel",
                                 "attention", "end-to-end", "GEMM", "SpMM", "inter-node", "FPGA", "GPU", "NPU", "CPU",
                                 "MLP layer", "MoE layer", "FFN layer"})


def _metric(at: Found, t: _Text, w: _Where, paper: PaperContext) -> tuple[str, str, bool] | None:
    """(metric, direction, read next to the number) of the number, or None when it is no efficiency gain."""
    masked, percent = t.masked, at.quantity.unit == "%"
    scopes = [w.phrase, w.clause, *(s for s in (w.header_cell, w.row_label) if s), w.sent]
    scopes += [s for s in (w.head, w.parent, w.heading) if s]
    base = scope = None
    for scope in scopes:
        cues = [c for c in _cues(masked, *scope, _BASE_RES) if percent or c.name != _NOT_PERCENT]
        base = _nearest(cues, at, w.siblings, masked)
        if base is not None:
            break
    if base is not None and base.name in (_NOT, _NOT_PERCENT):
        return None
    verb = None
    verb_scopes = [w.aside] if w.aside else []
    verb_scopes += [w.phrase, w.clause, w.header_cell]
    for span in verb_scopes:
        if span and verb is None:
            verb = _nearest(_cues(masked, *span, _VERB_RES), at, w.siblings, masked)
            if span is w.aside and verb is None and percent and not at.sign and _aside_on_noun(w.aside, t):
                return None  # "GSM8K 性能（79.5%）": a value given in passing, not a change
    if verb is not None and verb.name == "bad":
        return None  # slower, overhead incurred, a problem caused
    if percent and verb is None and not at.sign:
        return None  # a level ("93% scaling efficiency"), not a change
    if verb is None and base is not None and base.name in _SPECS and _hardware_subject(at, t, w):
        return None  # "H100的显存带宽是A100的1.7倍": a specification, not a gain of the method
    if base is None:
        if percent and (verb is None or verb.name != "good" and not _compared_in(at, t, w)
                        or not _method_subject(at, t, w, paper)):
            return None  # "本模型在数学上平均提升15.7%": a gain of something, said of no method
        base, scope = Cue(at.start, at.start, "speed", "increase"), None
    good = base.extra
    near = (base.start, base.end, at.start, at.end)
    local = scope in (w.phrase, w.clause, w.header_cell, w.row_label)
    name = _compose(masked, base, _qualifiers(masked, scope, near)) if scope else base.name
    if name == base.name:  # no qualifier next to it: look wider, before the number
        for span in (None if w.row else (w.sent[0], at.start), w.header_cell, w.head, w.parent, w.heading):
            if span is None:
                continue
            cues = _qualifiers(masked, span, near if span[0] <= at.start <= span[1] else ())
            if span in (w.head, w.parent, w.heading):
                cues = [q for q in cues if q.name in _HEADING_QUALIFIERS]
            wider = _compose(masked, base, cues)
            if wider != base.name:
                name = wider
                break
    direction = good
    if verb is not None and verb.name in ("increase", "decrease"):
        if scope is not None and verb.name != good:
            return None  # latency up, throughput down, memory added: not a gain
        direction = verb.name
    if at.sign in ("+", "＋") and good == "decrease":
        return None
    if base.name == "time" and FASTER.search(masked, *w.phrase):
        name, direction = name[:-len("time")] + "speed", "increase"  # "单步训练时间：比X快2.55×"
    if name == "speed":
        name, local = (f"{paper.qualifier} speed" if paper.qualifier else "speedup"), False
    elif name == "throughput" and paper.qualifier in ("training", "fine-tuning"):
        name = f"{paper.qualifier} throughput"
    elif name == "size":
        name = f"{paper.size_qualifier} size" if paper.size_qualifier else "size"
    return name, direction, local


_SPECS = frozenset({"bandwidth", "memory", "HBM memory", "compute", "FLOPs", "power", "cost", "energy", "speed"})


def _hardware_subject(at: Found, t: _Text, w: _Where) -> bool:
    """Whether the clause is about hardware: its first name is a device and no method is named in it."""
    named = [m for m in t.mentions if _in(m, w.clause)]
    first = next((m for m in named if m.end <= at.start), None)
    return first is not None and first.type == "HARDWARE" and not any(m.type == "METHOD" for m in named)


def _aside_on_noun(aside: tuple[int, int], t: _Text) -> bool:
    """Whether parentheses hang on a noun ("性能（79.5%）"), not on a number or a verb ("减少（均值48.8%）")."""
    host = t.masked[max(0, aside[0] - 8):aside[0]].rstrip()
    if not host or re.search(r"[\d%％×倍xX]\s*$", host):
        return False
    return not any(c.end >= len(host) - 1 for c in _cues(host, 0, len(host), _VERB_RES))


def _method_subject(at: Found, t: _Text, w: _Where, paper: PaperContext) -> bool:
    """Whether one of the paper's own methods is named before the number in its sentence."""
    own = paper.proposed | ({paper.method} if paper.method else set())
    return any(m.type == "METHOD" and m.name in own and w.sent[0] <= m.start and m.end <= at.start
               for m in t.mentions)


def _compared_in(at: Found, t: _Text, w: _Where) -> bool:
    return any(_is_compared(m, t, w.clause) for m in t.mentions if _in(m, w.clause))


_METHOD_COLUMN = re.compile(r"方法|method|system|系统|baseline|基线|approach|框架|framework|策略|scheme|算法|algorithm",
                            re.IGNORECASE)


def _about_other_method(at: Found, t: _Text, w: _Where, paper: PaperContext) -> bool:
    """A table row whose method column names only a method the paper compares against, or a clause
    whose subject is such a method ("Flash-LLM和SparTA仅有微小提升")."""
    def other(m: Mention, scope: tuple[int, int]) -> bool:
        return m.name in paper.baselines and m.name not in paper.proposed and not _is_compared(m, t, scope)

    if w.row:
        header = t.layout.header(w.line)
        if header is None:
            return False
        line = t.layout.line(w.line)
        for column, cell in enumerate(t.layout.cells(w.line)):
            methods = [m for m in t.mentions if m.type == "METHOD" and _in(m, cell)]
            if not methods:
                continue
            header_cells = t.layout.cells(header)
            named = column < len(header_cells) and _METHOD_COLUMN.search(t.text[slice(*header_cells[column])])
            return bool(named) and all(other(m, line) for m in methods)
        return False
    subject = next((m for m in t.mentions if m.type == "METHOD" and w.clause[0] <= m.start and m.end <= at.start), None)
    return subject is not None and other(subject, w.clause)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _in(m: Mention, span: tuple[int, int] | None) -> bool:
    return span is not None and span[0] <= m.start and m.end <= span[1]


_COMPARE_BEFORE = re.compile(
    rf"(?:(?:{COMPARE_STRONG})[^，,。；;！？!?|\n]{{0,10}}|(?:{COMPARE_WEAK})\s?(?:现有的?|原始的?)?\s?|"
    rf"(?:[×xX倍]|快|高|优|低|少|多|好|强)\s?于\s?)$", re.IGNORECASE)
_BASELINE_AFTER = re.compile(r"^\s*(?:基线|baseline|的基线|基准)", re.IGNORECASE)
_COMPARED_AFTER = re.compile(r"^\s*(?:相比|对比|相较|比较)")
_WITH_BEFORE = re.compile(r"(?:与|和|跟|同)\s?$")
_DEVICE = re.compile(r"[id]?[CGNT]PUs?|FPGAs?|ASICs?|dense|baseline", re.IGNORECASE)


def _is_compared(m: Mention, t: _Text, scope: tuple[int, int]) -> bool:
    """Whether a mention is what something is compared against: after 相比/比/over/vs, before 基线/baseline."""
    before = t.masked[max(scope[0], m.start - 14):m.start].replace("\x00", "\x01")
    after = t.masked[m.end:m.end + 6]
    return bool(_COMPARE_BEFORE.search(before) or _BASELINE_AFTER.match(after)
                or _COMPARED_AFTER.match(after) and _WITH_BEFORE.search(before))


def _method(at: Found, t: _Text, w: _Where, paper: PaperContext) -> str | None:
    """Another of the paper's proposed methods (or a variant of its own: FCDP-Sched for FCDP) when the clause
    (or the row) makes it the subject."""
    scope = t.layout.line(w.line) if w.row else (w.sent[0], at.start)
    own = paper.proposed | {m.name for m in t.mentions if paper.method and m.type == "METHOD"
                            and norm_key(m.name).startswith(norm_key(paper.method))}
    subjects = [m for m in t.mentions if m.type == "METHOD" and m.name in own and _in(m, scope)
                and not _is_compared(m, t, scope)]
    subjects.sort(key=lambda m: (not _in(m, w.clause), abs(at.start - m.start)))
    return subjects[0].name if subjects else paper.method


def _baseline(at: Found, t: _Text, w: _Where, method: str | None) -> str | None:
    """A METHOD or MODEL right after a comparison cue (相比X, 比X, over X, vs. X, 与X相比), or right before 基线.

    The clause first; then another clause of the sentence that is only a comparison
    ("相较于SGLang，Bullet的TTFT缩短13.5倍", "吞吐提升6.5倍，相比vLLM。"); then the row label and column header of a table row, the
    line that introduces the list item, the section heading; last, in a table, the one method the
    header or the other rows compare with."""
    earlier = (w.sent[0], w.clause[0])
    later = (w.clause[1], w.sent[1])
    # the sentences this one continues after a semicolon ("相比X，A提升1.2倍；B提升2.4倍。")
    before = (w.item[0], w.sent[0]) if w.item[0] < w.sent[0] and t.masked[:w.sent[0]].rstrip().endswith(
        ("；", ";")) else None
    for scope in (w.clause, earlier, later, before, w.row_label, w.header_cell, w.head, w.parent, w.heading):
        if scope is None:
            continue
        compared: list[Mention] = []
        for m in t.mentions:
            if m.type not in ("METHOD", "MODEL") or not _in(m, scope) or m.name == method or _DEVICE.fullmatch(m.name):
                continue
            listed = compared and re.fullmatch(r"\s*(?:、|,|，|和|and|与|及|or|/)\s*", t.masked[compared[-1].end:m.start])
            if listed or _is_compared(m, t, scope):
                compared.append(m)
        if scope is earlier or scope is later or scope is before:  # other clauses: bare comparisons only
            compared = [m for m in compared if _lead_in(m, t, w)]
        if not compared:
            continue
        names = list(dict.fromkeys(m.name for m in compared))
        peers = [f for f in w.siblings if scope[0] <= f.start < scope[1]]
        if at not in peers:  # the comparison is set up in another clause: its numbers are the clause's
            peers = [f for f in w.siblings if w.clause[0] <= f.start < w.clause[1]]
        parallel = len(peers) > 1 and all(_listed(t.masked, a, b) for a, b in zip(peers, peers[1:], strict=False))
        if len(names) > 1 and len(peers) == len(names) and at in peers and (
                RESPECTIVELY.search(t.masked, *scope) or RESPECTIVELY.search(t.masked, *w.clause) or parallel):
            return names[peers.index(at)]
        prior = [m for m in compared if m.end <= at.start]
        return (prior[-1] if prior else compared[0]).name
    return _table_baseline(t, w, method) if w.row else None


def _default_baseline(claim_metric: str, unit: str, paper: PaperContext) -> str | None:
    """The baseline the entry defines its speed-ups against, for a speed-up that names none."""
    return paper.speedup_baseline if unit == "x" and metric_family(claim_metric) == "speed" else None


def _table_baseline(t: _Text, w: _Where, method: str | None) -> str | None:
    """The one other method a comparison table names, in its header ("| 指标 | FlashAttention | PackInfer |")
    or in its method column ("| FullKV | – | 51 |")."""
    header = t.layout.header(w.line)
    if header is None:
        return None

    def others(span: tuple[int, int]) -> set[str]:
        return {m.name for m in t.mentions if m.type == "METHOD" and _in(m, span) and m.name != method
                and not _DEVICE.fullmatch(m.name) and m.role != "proposed"}

    named = others(t.layout.line(header))
    if len(named) == 1:
        return named.pop()
    header_cells = t.layout.cells(header)
    columns = [i for i, cell in enumerate(header_cells) if _METHOD_COLUMN.search(t.text[slice(*cell)])]
    if not columns:
        return None
    names: set[str] = set()
    row = header + 2
    while row < len(t.layout.line_starts) and t.layout.is_row(row):
        cells = t.layout.cells(row)
        for column in columns:
            if column < len(cells):
                names |= others(cells[column])
        row += 1
    return names.pop() if len(names) == 1 else None


_ONLY_COMPARE = re.compile(
    rf"\s*(?:与|和|跟)?\s*(?:{COMPARE_STRONG}|{COMPARE_WEAK})\s*(?:现有的?|原始的?|the)?\s*$", re.IGNORECASE)


def _lead_in(m: Mention, t: _Text, w: _Where) -> bool:
    """Whether the mention's clause is only a comparison: "相较于X，", "Compared to X,", "，相比 X。"."""
    sent = next(((a, b) for a, b in t.sentences if a <= m.start < b), w.sent)
    lo, hi = _clause(t.masked, m.start, m.end, *sent)
    before, after = t.masked[lo:m.start].replace("\x00", " "), t.masked[m.end:hi]
    if _ONLY_COMPARE.fullmatch(before):
        return len(after.strip(" 　-0123456789）)")) <= 4
    return bool(re.fullmatch(r"\s*(?:与|和|跟|同)\s*", before) and re.fullmatch(
        r"\s*(?:相比|对比|相较|比较)(?:之下|而言)?\s*", after))


def _attribute(kind: str, at: Found, t: _Text, w: _Where, paper: PaperContext) -> str | None:
    """The model (or hardware) of the measurement: clause, sentence, row or list item, heading, else the setup.

    In the clause and the sentence a name belongs to the numbers it is not cut from by another
    number; a name compared against ("优于A100", "A100上的TensorRT-LLM") is not the measurement's."""
    of_kind = [m for m in t.mentions if m.type == kind and not _is_compared(m, t, w.sent)]

    def reachable(m: Mention) -> bool:
        lo, hi = (m.end, at.start) if m.end <= at.start else (at.end, m.start)
        own = _clause(t.masked, m.start, m.end, *w.sent)
        numbers = [f for f in w.siblings if own[0] <= f.start < own[1]]
        if m.end <= at.start and all(f.start >= m.end for f in numbers) and not any(
                o.type == kind and m.end <= o.start and o.end <= at.start for o in of_kind):
            return True  # the clause's subject, before all its numbers: "Llama-3-8B在A100上提升1.2倍、在L40S上1.4倍"
        return not _blocked(t.masked, at, lo, hi, numbers)

    in_clause = [m for m in of_kind if _in(m, w.clause) and reachable(m)]
    names = list(dict.fromkeys(m.name for m in in_clause))
    if len(names) == 1:
        return names[0]
    if len(names) > 1:
        peers = [f for f in w.siblings if w.clause[0] <= f.start < w.clause[1]]
        if RESPECTIVELY.search(t.masked, *w.clause) and len(peers) == len(names) and at in peers:
            return names[peers.index(at)]
        prior = [m for m in in_clause if m.end <= at.start]
        if prior and at.start - prior[-1].end <= 8 and not _in_list(prior[-1], in_clause, t.masked):
            return prior[-1].name
        return None
    for scope in (w.sent, w.item, w.parent, w.heading):
        if scope is None:
            continue
        names = list(dict.fromkeys(m.name for m in of_kind if _in(m, scope) and (scope != w.sent or reachable(m))))
        if len(names) == 1:
            return names[0]
        if len(names) > 1 or any(_in(m, scope) for m in of_kind):
            return None
    return paper.setup.get(kind) if paper.use_setup else None


def _in_list(m: Mention, others: list[Mention], masked: str) -> bool:
    """Whether a mention is one item of a list of names ("H100/B200", "A100、A40、H200")."""
    for o in others:
        if o is m:
            continue
        lo, hi = (o.end, m.start) if o.end <= m.start else (m.end, o.start)
        if 0 <= hi - lo <= 3 and re.fullmatch(r"\s*(?:/|、|,|，|和|与|and|or)?\s*", masked[lo:hi]):
            return True
    return False


def _condition(at: Found, t: _Text, w: _Where) -> str | None:
    """Sequence length, batch size, sparsity, precision... stated with the number, as text."""
    scopes = [w.clause]
    if w.row:
        scopes += [c for c in t.layout.cells(w.line) if not c[0] <= at.start < c[1]][:2]
    else:
        scopes.append((w.sent[0], w.clause[0]))
    parts: list[str] = []
    for lo, hi in scopes:
        for match in CONDITIONS.finditer(t.masked, lo, hi):
            part = " ".join(t.text[match.start():match.end()].split())
            if match.start() <= at.start < match.end() or part in parts or re.fullmatch(r"[\d.,\s]+", part):
                continue
            parts.append(part)
    return "; ".join(parts) or None


# --- one claim per fact -------------------------------------------------------------------


def _rounds_to(precise: float, rough: float) -> bool:
    """Whether `rough` is `precise` rounded (6.5 for 6.54), within 1%."""
    if precise == rough:
        return True
    if abs(precise - rough) > 0.01 * max(abs(precise), abs(rough)):
        return False
    text = repr(rough)
    decimals = len(text.split(".", 1)[1].rstrip("0")) if "." in text else 0
    return round(precise, decimals) == rough


_GENERIC = ("speedup",)
_SPEED_METRICS = ("speed", "speedup", "throughput", "latency", "time", "TTFT", "TPOT", "TBT", "ITL")


def metric_family(metric: str | None) -> str | None:
    """What a claim measures, coarsely: any speed, throughput, latency or time is ``speed``, otherwise the
    metric's head word. kg/mapping.py keys claim nodes the same way.

    >>> metric_family("end-to-end inference speed"), metric_family("TTFT"), metric_family("fine-tuning memory")
    ('speed', 'speed', 'memory')
    """
    if not metric:
        return None
    head = metric.split()[-1]
    return "speed" if head in _SPEED_METRICS else head


def _compatible(a: str | None, b: str | None, strict: bool = False) -> bool:
    """Whether two metrics can name one fact: one unknown, or the same family; `strict`ly, also one generic
    or one a narrower form of the other ("inference latency", "end-to-end inference latency")."""
    if a is None or b is None:
        return True
    if not strict:
        return metric_family(a) == metric_family(b)
    words_a, words_b = a.split(), b.split()
    return a in _GENERIC or b in _GENERIC or words_a[-1] == words_b[-1] and (
        set(words_a) <= set(words_b) or set(words_b) <= set(words_a))


def same_fact(a: Statement, b: Statement) -> bool:
    """The same number with the same unit about the same method and kind of metric (one claim node); or a
    rounded restatement of it (6.5x for 6.54x) with the same metric, not two table rows that only round alike."""
    x, y = a.claim, b.claim
    if x.unit != y.unit or norm_key(x.method or "") != norm_key(y.method or ""):
        return False
    if x.value == y.value and x.value_max == y.value_max:
        return _compatible(x.metric, y.metric)
    if (x.value_max is None) != (y.value_max is None) or a.in_table and b.in_table:
        return False
    if not _compatible(x.metric, y.metric, strict=True):
        return False
    if x.value_max is not None and y.value_max is not None and not (
            _rounds_to(x.value_max, y.value_max) or _rounds_to(y.value_max, x.value_max)):
        return False
    return _rounds_to(x.value, y.value) or _rounds_to(y.value, x.value)


def merge_claims(statements: Iterable[Statement | Claim]) -> list[Claim]:
    """One claim per fact: the first statement, its missing attributes filled from restatements.

    >>> first = Claim(value=6.54, unit="x", metric="speedup", evidence="a", span=Span(start=0, end=1))
    >>> again = Claim(value=6.5, unit="x", metric="kernel speed", hardware="H100", evidence="b",
    ...               span=Span(start=2, end=3))
    >>> [(c.value, c.metric, c.hardware) for c in merge_claims([first, again])]
    [(6.54, 'kernel speed', 'H100')]
    """
    kept: list[Statement] = []
    for statement in statements:
        if isinstance(statement, Claim):
            statement = Statement(statement)
        index = next((i for i, k in enumerate(kept) if same_fact(k, statement)), None)
        if index is None:
            kept.append(statement)
            continue
        first, claim = kept[index].claim, statement.claim
        updates = {attr: getattr(claim, attr) for attr in ("baseline", "model", "hardware", "condition")
                   if getattr(first, attr) is None and getattr(claim, attr) is not None}
        if claim.metric and claim.metric not in _GENERIC and (
                first.metric in _GENERIC or first.metric is None or statement.local_metric and not kept[index].local_metric):
            updates["metric"] = claim.metric
        if _decimals(repr(claim.value)) > _decimals(repr(first.value)) and _rounds_to(claim.value, first.value):
            # keep the more precise statement of the number, quoted where it is stated
            updates.update(value=claim.value, evidence=claim.evidence, span=claim.span)
        if updates:
            local = kept[index].local_metric or "metric" in updates and statement.local_metric
            kept[index] = Statement(first.model_copy(update=updates), kept[index].in_table, local)
    return [s.claim for s in kept]
