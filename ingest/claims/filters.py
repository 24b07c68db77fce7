"""What is not a claim: counts, levels reached, settings, examples, specs, problem statistics, other methods' numbers."""

from __future__ import annotations

import re

from techclaims.ingest.claims.comparison import METHOD_COLUMN, is_compared
from techclaims.ingest.claims.context import Mention, PaperContext, Text, Where, where_of
from techclaims.ingest.claims.layout import aside_of, asides_in
from techclaims.ingest.claims.quantities import Found
from techclaims.ingest.claims.vocabulary import COMPARE_STRONG, COMPARE_WEAK, VERB_RES, cues_in
from techclaims.ingest.nlp import vocabulary as word_lists


def _absolute(tag: str, script: word_lists.Script | None = None) -> str:
    return word_lists.alternation("absolute-value-words", script, tags=tag)


#: a level reached, not a change: "提升至 95%", "to about 40%", "仅为 3%", "维持在 90%"
#: (absolute-value-words.txt: the words; here what may stand between them and the number)
ABSOLUTE = re.compile(
    rf"(?:{_absolute('change')})\s?(?:{_absolute('to', 'han')})\s?(?:{_absolute('about', 'han')})?\s*$|"
    rf"(?<!up)\s\b(?:{_absolute('to', 'latin')})\s+(?:(?:{_absolute('about', 'latin')})\s+|~)?$|"
    rf"(?:{_absolute('only')})\s?$|(?:{_absolute('stays')})\s?(?:在)?\s?$",
    re.IGNORECASE,
)
#: ... of which a factor is a level only when it stays or is only that: "加速比从 A 提升到 4.82 倍"
#: reaches a factor, which is already relative to the compared one: the claim. Cached docs: train
#: claims P/R/F1 0.830/0.806/0.818 -> 0.830/0.809/0.819 (+8 true, +3 false, 9 papers),
#: validation 0.762 =, dev 0.962 =
ABSOLUTE_FACTOR = re.compile(
    rf"(?:{_absolute('only')})\s?$|(?:{_absolute('stays')})\s?(?:在)?\s?$", re.IGNORECASE
)


#: ... or the share left of what it is compared with: "显存仅为 X 的 60.4%", "降至原始的 5%",
#: "减少至原来的 ~27%" (a level, the change being its complement). Cached docs: train claims
#: P/R/F1 0.827/0.806/0.817 -> 0.830/0.806/0.818 (10 false fewer on 10 papers, none true lost),
#: validation 0.762 =, dev 0.962 =
LEVEL_OF = re.compile(
    rf"(?:(?:{_absolute('change')})\s?(?:{_absolute('to', 'han')})|{_absolute('only')}|[仅只]占)"
    rf"[^，,。；;！？!?|\d]{{0,14}}?的\s?(?:{_absolute('about', 'han')})?\s*[~≈]?\s*$",
    re.IGNORECASE,
)


_EXAMPLE_WORD = word_lists.phrase("list-intros", "example")
EXAMPLE = re.compile(rf"{_EXAMPLE_WORD}[^，,。；;（(]{{0,12}}$", re.IGNORECASE)


EXAMPLE_START = re.compile(rf"\s*{_EXAMPLE_WORD}", re.IGNORECASE)


COUNT_AFTER = re.compile(rf"^\s?(?:{word_lists.alternation('device-count-words')})", re.IGNORECASE)


CROSS_VALIDATION = re.compile(
    rf"\s?(?:{word_lists.alternation('cross-validation-words')})", re.IGNORECASE
)


#: DECISIONS.md 22: a without-X variant's figure is no claim of the method.
WITHOUT = re.compile(
    rf"^[\s*|>+•-]*(?:\d+[.)]\s*)?[\s*]*(?:{word_lists.alternation('without-words')})(?![a-z])",
    re.IGNORECASE,
)


#: DECISIONS.md 24: a speed-up from giving the method more hardware (N to M GPUs) is no claim.
_CLASSIFIER = word_lists.alternation("device-count-words", tags="classifier")
_DEVICES = word_lists.alternation("device-count-words", tags="device")
_SINGLE = word_lists.alternation("single-device-words")
SCALING = re.compile(
    rf"(?:从|from)\s?(?:\d+|{_SINGLE})\s?(?:{_CLASSIFIER})?\s?(?:{_DEVICES})?\s?"
    rf"(?:到|至|扩展到|增加到|to)\s?\d+\s?(?:{_CLASSIFIER})?\s?(?:{_DEVICES})|"
    rf"\d+\s?(?:→|->|⟶)\s?\d+\s?(?:{_CLASSIFIER})?\s?(?:{_DEVICES})|"
    r"(?:strong|weak)[- ]scaling|(?:强|弱)扩展",
    re.IGNORECASE,
)


#: a from-to pair of values (from-to-words.txt): "从 75% 提升至 96%", "from 2.6x to 3.7x", "3.21× → 2.99×"
_FROM = word_lists.phrase("from-to-words", "from")
_TO = word_lists.phrase("from-to-words", "to")
_GAIN = word_lists.phrase("from-to-words", "gain")
#: ... before the first value (a gain's noun before "from" makes it a change: "提升从 3.1% 增加到 16.6%")
FROM_VALUE = re.compile(rf"(?:{_FROM})\s*[~≈约]?\s*$", re.IGNORECASE)
GAIN_FROM = re.compile(rf"(?:{_GAIN})\s*(?:{_FROM})\s*[~≈约]?\s*$", re.IGNORECASE)
#: ... after it, up to the second value, in the same clause
TO_VALUE = re.compile(rf"[^，,。；;|\d]{{0,16}}?(?:{_TO})\s*[~≈约]?\s*\d", re.IGNORECASE)
#: ... between a factor and the one it falls to
FALLS_TO = re.compile(rf"^[\s(（]*(?:{_TO})[\s~≈约]*$", re.IGNORECASE)


#: between two values of one measure, the second the compared one's ("4.60× vs 3.65×", "88.5% vs 24%")
VERSUS = re.compile(
    rf"^\s*[)）]?\s*(?:{word_lists.alternation('comparison-cues', 'latin', tags='between')})\s*$",
    re.IGNORECASE,
)


def _previous(at: Found, w: Where) -> Found | None:
    """The number before this one in its clause (the same table cell for a row), if any."""
    previous = next((f for f in reversed(w.siblings) if f.end <= at.start), None)
    return previous if previous is not None and previous.start >= w.clause[0] else None


def _second_of_versus(at: Found, t: Text, w: Where) -> bool:
    """The second value of "A vs B" ("4.60× vs 3.65×", "(2.35× vs 2.13×)"): the compared method's
    or setting's figure, which the first value is measured against."""
    previous = _previous(at, w)
    return (
        previous is not None
        and previous.quantity.unit == at.quantity.unit
        and bool(VERSUS.match(t.masked[previous.end : at.start]))
    )


_NUMBER = r"\d+(?:\.\d+)?\s?[xX×倍%％]?"
_LIST = rf"(?:{_NUMBER}\s?(?:{word_lists.alternation('list-conjunctions')}|[、,，])\s?)*"
#: between another method's name and its own figure: "EAGLE-3（2.27×）", "BiTA（1.68, 1.34x）",
#: "InfLLMv2 为 3.10x", "PARD为4.39倍"; and "EAGLE-3 的 1.95×" when nothing follows the figure
OWN_FIGURE = re.compile(
    rf"\s?(?:[（(]\s?(?:[^（()）\d]{{0,6}}\s?)?{_LIST}|(?:为|是|[:：])\s?{_LIST})[~≈约]?\s?$"
)
OF_FIGURE = re.compile(rf"\s?的\s?{_LIST}[~≈约]?\s?$")
FIGURE_ENDS = re.compile(r"\s*(?:[)）,，。；;、|\n]|和|与|及|and\b|$)")
#: "A 是 B 的 N×": a ratio of the method to B, not B's figure
RATIO_OF = re.compile(r"(?:是|为|达到?)\s?$")


def _after_other_method(at: Found, t: Text, w: Where, own: set[str] | frozenset[str]) -> bool:
    """Whether the figure stands right after the name of a method that is not the paper's own."""
    masked = t.masked
    for m in t.mentions_in((max(w.clause[0], at.start - 40), at.start)):
        if m.type != "METHOD" or m.name in own:
            continue
        between = masked[m.end : at.start]
        if RATIO_OF.search(masked, max(0, m.start - 3), m.start):
            continue
        if OWN_FIGURE.fullmatch(between) or (
            OF_FIGURE.fullmatch(between) and FIGURE_ENDS.match(masked, at.end)
        ):
            return True
    return False


def _other_methods_figure(at: Found, t: Text, w: Where, paper: PaperContext) -> bool:
    """A figure that a method other than the paper's own is given right after its name, beside the
    paper's own figure of the same unit ("达到 2.84×，超过 EAGLE-3（2.27×）", "高于 dFlash 的 4.55x"): the
    compared method's result. Alone in its sentence such a figure is the gain over that method
    ("Piper 吞吐是 X-MoE 的 2–3.6×", "相比 SmartMem：8.6×") and stays."""
    own = paper.proposed | ({paper.method} if paper.method else set())
    if not _after_other_method(at, t, w, own):
        return False
    return any(
        f is not at
        and f.quantity.unit == at.quantity.unit
        and not _after_other_method(f, t, where_of(t, f), own)
        for f in w.siblings
    )


#: a figure alone in parentheses (the other figures of its list before it: "（1.68, 1.34x）")
_ALONE_IN_ASIDE = re.compile(rf"\s*(?:仅为?|约|~|≈)?\s*{_LIST}[~≈约]?\s*$")
#: ... or a "vs the compared one's" aside: "（vs Conf-Based 的 8.3×）"
_VERSUS_ASIDE = re.compile(
    rf"\s*(?:{word_lists.alternation('comparison-cues', 'latin', tags='between')})\s*"
    r"[^\d，,。；;]{1,30}?\s*的\s*[~≈约]?\s*$",
    re.IGNORECASE,
)
#: a cue before the compared name that reaches a few words ahead (相比, 超过, 远超, 高于, over)
_COMPARED_BEFORE = re.compile(rf"(?:{COMPARE_STRONG})(?![A-Za-z])", re.IGNORECASE)
#: an aside, to see past the compared names' own figures in a list ("高于 X（2.6×）和 Y（2.4×）")
_ANY_ASIDE = re.compile(r"[（(][^（()）]*[)）]")


def _compared_ones_aside(at: Found, t: Text, w: Where) -> bool:
    """A factor alone in parentheses right after the name a comparison cue points at ("远超 X
    （2.27×）", "高于 X（2.6×）和 Y（2.4×）", "远超 X（1.68, 1.34x）"), or after "vs X 的" in its
    parentheses ("达 10.6×（vs X 的 8.3×）"): the compared method's own figure, which the
    paper's figure, stated in the same sentence, beats. The names are often no recognised
    METHOD, which `_other_methods_figure` needs. Alone in its sentence the figure is the gain
    over that name ("吞吐远超 X（3–4×）") and stays; after no name ("超过一个数量级（20-40倍）")
    too. Cached docs: train claims P/R/F1 0.826/0.775/0.799 -> 0.828/0.775/0.800 (8 false
    fewer on 5 papers, none true lost), validation 0.757 =, dev 0.962 =."""
    if at.quantity.unit != "x" or at.sign:
        return False
    masked = t.masked
    groups = asides_in(masked, *w.sent)
    aside = aside_of(groups, at.start)
    if aside is None or masked[at.end : aside[1] - 1].strip():
        return False
    if all(aside_of(groups, f.start) is not None for f in w.siblings):
        return False  # "吞吐远超 X（3–4×）": alone in its sentence, the figure is the gain over X
    inside = masked[aside[0] + 1 : at.start]
    if _VERSUS_ASIDE.fullmatch(inside):
        return True
    if not _ALONE_IN_ASIDE.fullmatch(inside):
        return False
    before = masked[max(w.sent[0], aside[0] - 60) : aside[0]]
    cue = next(reversed(list(_COMPARED_BEFORE.finditer(before))), None)  # the last one
    if cue is None:
        return False
    between = _ANY_ASIDE.sub("", before[cue.end() :])
    return (
        len(between.strip()) <= 40
        and bool(
            re.search(r"[A-Za-z\x00]", between)
        )  # a name ("超过一个数量级（20-40倍）" is none)
        and not re.search(r"[\d，,。；;:：]", between)
    )


def _before_or_worse(at: Found, t: Text, w: Where) -> bool:
    """The first value of a from-to pair (a level before: "GPU利用率从 75% 提升至 96%"), or a factor that
    falls from the one before it ("加速比从 5.33× → 4.50×": a result that got worse)."""
    masked = t.masked
    before = masked[w.clause[0] : at.start]
    if (
        FROM_VALUE.search(before[-8:])
        and not GAIN_FROM.search(before[-16:])
        and TO_VALUE.match(masked, at.end, w.clause[1])
    ):
        return True
    if at.quantity.unit != "x":
        return False
    previous = next((f for f in reversed(w.siblings) if f.end <= at.start), None)
    return (
        previous is not None
        and previous.quantity.unit == "x"
        and previous.start >= w.clause[0]
        and previous.quantity.value > at.quantity.value
        and bool(FALLS_TO.match(masked[previous.end : at.start]))
    )


#: a factor that sizes a larger model the method is compared with (size-comparison-words.txt)
LARGER_AFTER = re.compile(
    rf"\s?(?:{word_lists.alternation('size-comparison-words', tags='after')})", re.IGNORECASE
)
LARGER_BEFORE = re.compile(
    rf"(?:{word_lists.alternation('size-comparison-words', tags='before')})\s?$", re.IGNORECASE
)
MODEL_SIZE_WORD = re.compile(word_lists.phrase("size-comparison-words", "model"), re.IGNORECASE)


def _larger_model(at: Found, t: Text, w: Where) -> bool:
    """A factor that says how much larger a compared model is ("匹配或超越 2–7 倍参数的大模型",
    "10B（6×更大）", "大 10-30 倍的 MoE"): a comparison of sizes, not a gain of the method."""
    if at.quantity.unit != "x":
        return False
    masked = t.masked
    if LARGER_AFTER.match(masked, at.end):
        return True
    return bool(
        LARGER_BEFORE.search(masked[max(w.clause[0], at.start - 40) : at.start])
        and MODEL_SIZE_WORD.search(masked, *w.clause)
    )


def _setting(tag: str) -> str:
    return word_lists.alternation("setting-words", tags=tag)


#: a compression, pruning or sparsity level a result is measured at (setting-words.txt)
SETTING_AFTER = re.compile(
    rf"(?:\s?(?:{word_lists.alternation('list-conjunctions')}|、)\s?[~≈约]?\s?\d+(?:\.\d+)?\s?[%％xX×倍])*"
    rf"\s?的?\s?(?:(?:{_setting('degree')})\s?)?(?:{_setting('noun')})\s?(?:{_setting('under')})",
    re.IGNORECASE,
)
SETTING_NOUN = re.compile(rf"\s?(?:{_setting('noun')})", re.IGNORECASE)
SETTING_TARGET = re.compile(
    rf"(?:{_setting('noun')})\s?(?:{_setting('target')})[^，,。；;|]{{0,12}}$", re.IGNORECASE
)
SETTING_AT = re.compile(rf"(?:^|[^A-Za-z])(?:{_setting('at')})\s*[~≈约]?\s*$", re.IGNORECASE)


def _a_setting(at: Found, t: Text, w: Where) -> bool:
    """A level a result is measured at: "在高达 82% 压缩率下", "40% 压缩后开始退化", "at 90%
    sparsity", "压缩目标：≤75%", "Tardiness @ 20x 到达率"."""
    masked = t.masked
    before = masked[max(w.clause[0], at.start - 24) : at.start]
    if SETTING_AFTER.match(masked, at.end) or SETTING_TARGET.search(before):
        return True
    last = before[-8:]
    if "@" in last:
        return bool(SETTING_AT.search(last))
    return bool(SETTING_AT.search(last) and SETTING_NOUN.match(masked, at.end))


#: ... or against one device: "吞吐接近单卡的 8 倍", "归一化时间为单 GPU 的 7.3×"
SINGLE_DEVICE = re.compile(
    rf"(?:{_SINGLE})\s?(?:{_CLASSIFIER})?\s?(?:{_DEVICES})\s?的\s?[~≈约]?\s?$", re.IGNORECASE
)
#: a count of chips written before the chip ("8x H100", "8× AMD Instinct MI300X"), where the chip
#: was not recognised as a name: a vendor (hardware-vendors.txt) or a part number's shape (not a
#: number format's: "3× FP64 TFLOPs")
CHIPS_AFTER = re.compile(
    rf"\s?(?:(?:{word_lists.alternation('hardware-vendors')})(?![A-Za-z])|(?!(?:FP|BF|TF|INT|UINT)\d)[A-Z]{{1,3}}\d{{2,4}}[A-Z]{{0,2}}(?![A-Za-z0-9]))"
)


#: code or LaTeX math on a line ("`F(x)=sin(3x)`", "`g6.12xlarge`", "$x^4 - 3x^2$"): a formula or an
#: identifier, whose "3x" is no factor
FORMULA = re.compile(r"`[^`\n]+`|\$[^$\n]+\$")


def _inside(pattern: re.Pattern[str], text: str, at: Found, t: Text, w: Where) -> bool:
    """Whether the number stands inside a match of `pattern` on its line (code or LaTeX math,
    the bracketed values of a sweep)."""
    return any(
        m.start() < at.start and at.end <= m.end()
        for m in pattern.finditer(text, *t.layout.line(w.line))
    )


#: the share of a model's parameters that is trained (trainable-share-words.txt): "仅更新 2% 的参数"
TRAINABLE_SHARE = re.compile(
    rf"(?:{word_lists.alternation('trainable-share-words', tags='update')})"
    r"(?:\s|仅|只|需|不到|少于|约|占|模型|参数|的|only|less than|about|of|the)*$",
    re.IGNORECASE,
)
PARAMETERS = re.compile(
    word_lists.alternation("trainable-share-words", tags="param"), re.IGNORECASE
)


def _worse(tag: str) -> str:
    return word_lists.alternation("worse-words", tags=tag)


#: a performance that got worse (worse-words.txt): "移除记忆交错导致平均性能下降 5.3%"
WORSE = re.compile(
    rf"(?:{_worse('cause')})[^，,。；;|]{{0,16}}?(?:{_worse('perf')})[^，,。；;|]{{0,8}}?"
    rf"(?:{_worse('drop')})[^，,。；;|]{{0,10}}$",
    re.IGNORECASE,
)


#: a bracketed list of three or more bare values of one unit ("松弛因子 (1x, 1.5x, 2x, 2.5x, 3x)",
#: "TTFT × {2×, 4×, 8×}"): the settings a sweep runs over, not results (a result names what it is of)
_SWEEP_ITEM = r"\d+(?:\.\d+)?\s?(?:[xX×倍]|[%％])"
SWEEP = re.compile(rf"[({{（]\s*(?:{_SWEEP_ITEM}\s*[,，、;；]\s*){{2,}}{_SWEEP_ITEM}\s*[)}}）]")


#: a count of parallel workers as a run's condition (parallel-count-words.txt): "在 16 线程下"
PARALLEL_COUNT = re.compile(
    rf"\d+\s?(?:个)?\s?(?:{word_lists.alternation('parallel-count-words', tags='unit')})\s?"
    rf"(?:{word_lists.alternation('parallel-count-words', tags='at')})",
    re.IGNORECASE,
)
COMPARED = re.compile(rf"{COMPARE_STRONG}|{COMPARE_WEAK}", re.IGNORECASE)


def _parallel_scaling(at: Found, t: Text, w: Where) -> bool:
    """A speed-up under a count of workers with no other system compared in its clause ("在 16 线程下
    实现最高 11 倍加速", "2 节点：39h53m（2.03×）"): from more workers, not from the method."""
    masked = t.masked
    return bool(
        PARALLEL_COUNT.search(masked, w.clause[0], at.start)
        and not COMPARED.search(masked, *w.clause)
    )


#: a heading over problem statistics, motivation, limitations (section-words.txt, no-claims)
SKIP_HEADING = re.compile(word_lists.alternation("section-words", tags="no-claims"), re.IGNORECASE)


def _about_other_method(at: Found, t: Text, w: Where, paper: PaperContext) -> bool:
    """A table row whose method column names only a method the paper compares against, or a clause
    whose subject is such a method ("Flash-LLM和SparTA仅有微小提升")."""

    def other(m: Mention, scope: tuple[int, int]) -> bool:
        return (
            m.name in paper.baselines
            and m.name not in paper.proposed
            and not is_compared(m, t, scope)
        )

    if w.row:
        header = t.layout.header(w.line)
        if header is None:
            return False
        line = t.layout.line(w.line)
        for column, cell in enumerate(t.layout.cells(w.line)):
            methods = [m for m in t.mentions_in(cell) if m.type == "METHOD"]
            if not methods:
                continue
            header_cells = t.layout.cells(header)
            named = column < len(header_cells) and METHOD_COLUMN.search(
                t.text[slice(*header_cells[column])]
            )
            return bool(named) and all(other(m, line) for m in methods)
        return False
    subject = next(
        (m for m in t.mentions_in((w.clause[0], at.start)) if m.type == "METHOD"),
        None,
    )
    return subject is not None and other(subject, w.clause)


def no_gain(at: Found) -> bool:
    """A factor of 1.01x or less, a change of nothing ("0%": a table's reference row), or a
    negative factor ("-2x"). A negative percentage ("-1.8%") is a gain only of a measure that
    is better lower ("内存 -38%", "TPOT -55%"): `metric.metric_and_direction` decides. Found on
    train: 43 gold claims on 18 papers written so (tables of "-38.8%" cells, "↓ -55%"); cached
    docs train claims P/R/F1 0.828/0.775/0.800 -> 0.828/0.781/0.804 (+18 true, +4 false, 12
    papers), validation 0.757 =, dev 0.962 =."""
    return (
        at.quantity.unit == "x"
        and (at.quantity.value <= 1.01 or at.sign in ("-", "−"))
        or at.quantity.value == 0
    )


def not_a_claim(at: Found, t: Text, w: Where, paper: PaperContext) -> bool:
    """Whether the number is no claim by its surroundings, before its metric is read: a count, a level
    reached, a setting, an example, a spec of the thing named next, a problem statistic, or a number of
    another method."""
    masked, quantity = t.masked, at.quantity
    before = masked[w.clause[0] : at.start]
    level = ABSOLUTE if quantity.unit == "%" else ABSOLUTE_FACTOR
    if COUNT_AFTER.match(masked[at.end : at.end + 12]) or level.search(before[-12:]):
        return True  # "8 GPUs", "提升至86.2%": a count, or a level reached
    if quantity.unit == "%" and LEVEL_OF.search(before[-24:]):
        return True  # "降至原始的 5%": the share left, not the change
    if re.search(r"在\s?$", before[-3:]) and re.match(
        r"[^，,。；;！？!?|]{0,10}?(?:下|时|的情况)", masked[at.end : at.end + 14]
    ):
        return True  # "在20倍压缩比下", "在50%稀疏度时": the setting a result is measured in
    aside = aside_of(asides_in(masked, at.start, at.end), at.start)
    if quantity.unit == "x" and (
        EXAMPLE.search(before)
        or aside
        and EXAMPLE_START.match(masked, aside[0] + 1)
        and not cues_in(masked, *aside, VERB_RES)
    ):
        return True  # "(如 5×, 10×, 50×)": examples of a setting
    if any(
        m.type in ("HARDWARE", "MODEL")
        and quantity.unit == "x"
        and masked[at.end : m.start].strip() in ("", "的", "of")
        for m in t.mentions_starting(at.end, at.end + 4)
    ):
        return True  # "30x 的 RTX 4090", "8× H100": a count or a spec of the thing named next
    if quantity.unit == "x" and CHIPS_AFTER.match(t.text, at.end):
        return True  # "8x H100", "8× AMD Instinct MI300X": a count of chips
    if SINGLE_DEVICE.search(before[-16:]):
        return True  # "接近单卡的 8 倍": against one device, a gain of more hardware
    if quantity.unit == "x" and CROSS_VALIDATION.match(masked, at.end):
        return True  # "5-fold CV": a setting, not a factor
    if (
        quantity.unit == "%"
        and TRAINABLE_SHARE.search(before[-16:])
        and PARAMETERS.search(masked, *w.clause)
    ):
        return True  # "仅更新 0.02%~3.5% 的参数": the share of parameters trained, a setting
    if WORSE.search(masked, w.clause[0], at.start):
        return True  # "移除 X 导致平均性能下降 5.3%": a result that got worse
    if at.quantity.unit == "x" and _parallel_scaling(at, t, w):
        return True  # "在 16 线程下实现最高 11 倍加速": more workers, not the method
    if _inside(SWEEP, t.masked, at, t, w):
        return True  # "松弛因子 (1x, 1.5x, 2x, 2.5x, 3x)": the settings of a sweep
    if _inside(FORMULA, t.text, at, t, w):
        return True  # "`F(x)=sin(3x)`", "`g6.12xlarge`": a formula or an identifier
    label = w.row_label if w.row and w.row_label else w.item
    if WITHOUT.match(masked[slice(*label)]):
        return True  # a without-X variant ("| w/o Soft Allocation | ...", "- 移除 X：...")
    if SCALING.search(masked, *w.sent):
        return True  # "从 8 到 64 GPUs，吞吐提升 4.42×": more hardware, not the method
    if w.heading and SKIP_HEADING.search(t.text[slice(*w.heading)]) and not w.row:
        return True  # problem statistics, motivation, limitations
    if _a_setting(at, t, w):
        return True  # "在 82% 压缩率下", "@ 20x 到达率": the setting a result is measured at
    if _larger_model(at, t, w):
        return True  # "matches models 2-7x its size": how much larger a compared model is
    if _other_methods_figure(at, t, w, paper):
        return True  # "远超 EAGLE-3（1.95×）": the compared method's own figure
    if _compared_ones_aside(at, t, w):
        return True  # "远超 X（2.27×）", "（vs X 的 8.3×）": the compared method's own figure
    if _second_of_versus(at, t, w):
        return True  # "4.60× vs 3.65×": the figure the first one is compared with
    if _before_or_worse(at, t, w):
        return True  # "从 75% 提升至 96%": a level before; "5.33× → 4.50×": a result that got worse
    return _about_other_method(at, t, w, paper)
