"""Comparison cues: whether a name is what something is compared against (相比X, 比X, over X, vs. X, X基线)."""

from __future__ import annotations

import re

from techclaims.ingest.claims.context import Mention, Text, Where
from techclaims.ingest.claims.layout import clause_of
from techclaims.ingest.claims.vocabulary import (
    COMPARE_CLOSING,
    COMPARE_OPENING,
    COMPARE_STRONG,
    COMPARE_WEAK,
)
from techclaims.ingest.nlp import vocabulary as word_lists

#: words between a cue and the name it compares against (comparison-fillers.txt)
_FILLER_AFTER_WEAK = word_lists.alternation("comparison-fillers", tags="after-weak")
_FILLERS = word_lists.alternation("comparison-fillers")


COMPARE_BEFORE = re.compile(
    rf"(?:(?:{COMPARE_STRONG})[^，,。；;！？!?|\n]{{0,10}}|(?:{COMPARE_WEAK})\s*(?:{_FILLER_AFTER_WEAK})?\s*|"
    rf"(?:[×xX倍]|快|高|优|低|少|多|好|强)\s?于\s?)$",
    re.IGNORECASE,
)


#: a name right before 基线 / 基准 / baseline is what is compared against (baseline-words.txt)
BASELINE_AFTER = re.compile(
    rf"^\s*(?:的|为|作为)?\s*{word_lists.phrase('baseline-words')}", re.IGNORECASE
)


_COMPARED_AFTER = re.compile(rf"^\s*{COMPARE_CLOSING}")


_WITH_BEFORE = re.compile(rf"{COMPARE_OPENING}\s?$")


#: a name that is no baseline: a kind of processor (the NER's device-count-words.txt), the
#: words "dense" and "baseline" found as names, or a bare number format: "比 FP16 基线快 2×",
#: "相比 BF16 提升 1.52 倍" compare with the method run at full precision, or another reference
#: setup (FullKV, vanilla, native, "Standard Speculative Decoding", exact, non-EE; ANNOTATION.md: a
#: claim against one has baseline null)
_REFERENCE_SETUP = (
    r"dense|baseline|(?:FP|BF|INT|UINT|MXFP|NVFP)\d{1,2}|"
    r"full[\s-]?(?:kv|attention|cache|precision)|vanilla|native|naive(?:\s[\w-]+){0,2}|"
    r"standard(?:\s[\w-]+){0,3}|exact|autoregressive(?:\s\w+)?|non-[\w-]+"
)
DEVICE = re.compile(
    rf"{word_lists.alternation('device-count-words', tags='processor')}|{_REFERENCE_SETUP}",
    re.IGNORECASE,
)


def is_compared(m: Mention, t: Text, scope: tuple[int, int]) -> bool:
    """Whether a mention is what something is compared against: after 相比/比/over/vs, before 基线/baseline.

    Every number asks about every mention; the answer depends on the text around the mention
    (and on `scope` only when it starts within 14 characters before it), so it is kept per text.
    """
    far = max(scope[0], m.start - 34)
    key = (t.masked, m.start, m.end, far)
    known = _COMPARED.get(key)
    if known is None:
        if len(_COMPARED) >= 100_000:
            _COMPARED.clear()
        known = _COMPARED[key] = _is_compared(m, t, max(far, m.start - 14), far)
    return known


_COMPARED: dict[tuple[str, int, int, int], bool] = {}


#: "A 的吞吐是 X 的 1.6 倍", "达到 Quest 的 1.59×": X is the measure of the ratio
_RATIO_OF_BEFORE = re.compile(r"(?:是|为|达到|达|相当于)\s*$")
_RATIO_OF_AFTER = re.compile(
    r"\s*的\s*(?:约|近|超过|高达|最高)?\s*~?\s*\d+(?:\.\d+)?\s*(?:[-–~～]\s*\d+(?:\.\d+)?\s*)?(?:倍|[×xX](?![A-Za-z]))"
)


#: "延迟从 DDP 的 0.50s 降至 ...", "能耗从 SmartMem 的 41.0J → 4.5J": X's value is where the change
#: starts. Train claim baseline P/R/F1 0.765/0.583/0.662 -> 0.765/0.586/0.664 (+4 right, +1
#: wrong); validation and dev unchanged
_FROM_BEFORE = re.compile(r"从\s*$")
_FROM_AFTER = re.compile(r"\s*的\s*(?:约|近)?\s*~?\s*\d")


#: a cue, then words that describe the compared name, ending in 的, a kind of system or an
#: opening bracket: "相比 state-of-the-art 的 DistServe 系统", "相比最先进的提示工程框架 ACE",
#: "比最准确的基线（PQCache）"; no other name between them
_DESCRIBED_BEFORE = re.compile(
    rf"(?:{COMPARE_STRONG}|{COMPARE_WEAK})[^，,。；;！？!?|\n\x01]{{0,26}}?"
    rf"(?:的|{word_lists.alternation('comparison-fillers', tags='kind')})\s*"
    r"(?:[（(]\s*(?:如|例如|e\.g\.,?)?\s*)?$",
    re.IGNORECASE,
)
#: "与 SGLang 默认调度器相比": words that describe the name, between it and a closing cue
#: a stretch of text inside one clause (no clause mark, line, table cell or masked name)
_IN_CLAUSE = r"[^，,。；;！？!?|\n\x00]"


_DESCRIBED_AFTER = re.compile(rf"^{_IN_CLAUSE}{{1,8}}?{COMPARE_CLOSING}")


#: "与优化过的 X（GPU 版）相比", "与最先进的 X 内核相比": an opening cue and words describing the
#: name, ending in 的, before it; a closing cue within a few words after it. Train claim
#: baseline +3 right (2 of them wrong before), none wrong; validation and dev unchanged
_WITH_DESCRIBED_BEFORE = re.compile(
    rf"{COMPARE_OPENING}[^，,。；;！？!?|\n\x01\d]{{1,16}}?(?:的|{word_lists.alternation('comparison-fillers', tags='kind')})\s*$",
    re.IGNORECASE,
)
_CLOSING_SOON = re.compile(rf"{_IN_CLAUSE}{{0,8}}?{COMPARE_CLOSING}")
#: "与 X 和 Y 相比", "与专为高速设计的 X、Y 相比": a name listed before the one the closing cue
#: follows is compared too ("分别" then pairs each with its number)
_LISTED_THEN_CLOSING = re.compile(
    rf"(?:\s*(?:、|/|&|和|及|与)\s*\x00+)+{_IN_CLAUSE}{{0,8}}?{COMPARE_CLOSING}"
)


#: "逼近 FarSight 在 2048 tokens 的表现，节省约 75% 计算量", "媲美 SmoothQuant W8A8，但节省 8% 存储",
#: "匹配 DiffMoE 的 2.30（需 7000K 步），训练成本降低 10 倍": the method matches the name's quality,
#: and the saving it states is measured against that name. Only with a number after the name on
#: its line: "精度接近 X；" alone measures nothing (the sibling rule reads compared names of a
#: list's items). Train claim baseline P/R/F1 0.816/0.600/0.691 -> 0.817/0.606/0.696 (+7
#: right, none wrong); validation and dev unchanged
_MATCHED_BEFORE = re.compile(r"(?:匹配|媲美|逼近|接近|比肩)(?:了|于|到)?\s*$")


#: "可无缝集成进 X 等框架，带来 1.12–1.32× 的互补加速", "与 X 结合可额外提升 1.09x": the method
#: put on top of X, and a gain it adds to X's (互补, 额外, 进一步) after the name in its sentence.
#: Train claim baseline +2 right, none wrong; validation and dev unchanged
_INTEGRATED_BEFORE = re.compile(r"(?:集成|整合|嵌入|接入|融入)(?:进|到|至|入|于)\s*$")
_INTEGRATED_AFTER = re.compile(rf"{_IN_CLAUSE}{{0,6}}?(?:结合|集成|整合|叠加)")
_ADDED_GAIN = re.compile(r"(?=[^。！？!?\n]*?\d)[^。！？!?\n]*?(?:互补|额外|进一步)")


#: a name in the middle of a list that a closing cue ends: "与 FullKV、InfiniGen 和 HGCA 等基线进行
#: 对比" (all of them compared: several, none said, rule 4). With the opening cue's description
#: ending in a kind word ("与现有基线 ORION 和 SpecFaaS 相比"): train claim baseline 4 wrong fewer,
#: none right lost; validation and dev unchanged
_IN_LIST_BEFORE = re.compile(r"(?:、|，|,)\s*$")


def _number_after(m: Mention, t: Text) -> bool:
    """Whether a number follows the mention on its line."""
    end = t.layout.line(t.layout.line_index(m.start))[1]
    return any(m.end <= f.start < end for f in t.found)


#: a cue, a name the recognizer missed, and the bracket that opens its acronym. Train claim
#: baseline +2 right, none wrong; validation and dev unchanged
_ACRONYM_AFTER_UNFOUND = re.compile(
    rf"(?i:{COMPARE_STRONG}|{COMPARE_WEAK})\s*[A-Z][\w.+-]*(?:[\s-][A-Z][\w.+-]*){{0,3}}\s*[（(]\s*$"
)
_CLOSES = re.compile(r"\s*[)）]")


#: a heading or label that names comparisons, not a cue: "关键对比结果（Takeaways）", "对比实验（X）"
_COMPARISON_TITLE = re.compile(r"对比(?:结果|实验)[\s*]*[（(]?[\s*]*$")


def _is_compared(m: Mention, t: Text, lo: int, far: int) -> bool:
    before = t.masked[lo : m.start].replace("\x00", "\x01")
    if _COMPARISON_TITLE.search(before):
        return False
    wide = t.masked[far : m.start].replace("\x00", "\x01")
    if _ACRONYM_AFTER_UNFOUND.search(wide) and _CLOSES.match(t.masked, m.end):
        return True  # "相较于Prefix Grouper (PG)": the acronym of the compared name
    after = t.masked[m.end : m.end + 6]
    return bool(
        COMPARE_BEFORE.search(before)
        or _DESCRIBED_BEFORE.search(wide)
        or _WITH_BEFORE.search(before)
        and _DESCRIBED_AFTER.match(t.masked[m.end : m.end + 16])
        or BASELINE_AFTER.match(after)
        or _COMPARED_AFTER.match(after)
        and _WITH_BEFORE.search(before)
        or _RATIO_OF_BEFORE.search(before)
        and _RATIO_OF_AFTER.match(t.masked, m.end, m.end + 24)
        or _FROM_BEFORE.search(before)
        and _FROM_AFTER.match(t.masked, m.end, m.end + 12)
        or _MATCHED_BEFORE.search(before)
        and _number_after(m, t)
        or (
            _INTEGRATED_BEFORE.search(before)
            or _WITH_BEFORE.search(before)
            and _INTEGRATED_AFTER.match(t.masked, m.end, m.end + 12)
        )
        and bool(_ADDED_GAIN.match(t.masked, m.end))
        or _WITH_DESCRIBED_BEFORE.search(wide)
        and bool(_CLOSING_SOON.match(t.masked, m.end, m.end + 16))
        or (
            _WITH_BEFORE.search(before)
            or _WITH_DESCRIBED_BEFORE.search(wide)
            or _IN_LIST_BEFORE.search(before)
        )
        and bool(_LISTED_THEN_CLOSING.match(t.masked, m.end, m.end + 48))
    )


_ONLY_COMPARE = re.compile(
    rf"\s*{COMPARE_OPENING}?\s*(?:{COMPARE_STRONG}|{COMPARE_WEAK})\s*(?:{_FILLERS})?\s*$",
    re.IGNORECASE,
)
#: a cue and words describing the name, the whole clause before it: "相比之前最快的开源同步框架 WebGym，"
_ONLY_DESCRIBED = re.compile(
    rf"\s*{COMPARE_OPENING}?\s*{_DESCRIBED_BEFORE.pattern.removesuffix('$')}", re.IGNORECASE
)
#: a label that opens the clause: "**更高的训练吞吐量**：相比 X，..."
_CLAUSE_LABEL = re.compile(r"[^:：，,。；;\n]{1,30}[:：]")
#: a label's colon right after the compared name: "**对比 FlexAttention**：CuBridge ..." (a lead-in)
_LABEL_END = re.compile(r"[\s)）]{0,4}[:：]")
_OPENING_ONLY = re.compile(rf"\s*{COMPARE_OPENING}\s*")
_CLOSING_ONLY = re.compile(rf"\s*{COMPARE_CLOSING}(?:之下|而言)?\s*")


def is_lead_in(m: Mention, t: Text, w: Where) -> bool:
    """Whether the mention's clause is only a comparison: "相较于X，", "Compared to X,", "，相比 X。"."""
    sent = next(((a, b) for a, b in t.sentences if a <= m.start < b), w.sent)
    lo, hi = clause_of(t.masked, m.start, m.end, *sent)
    before, after = t.masked[lo : m.start].replace("\x00", " "), t.masked[m.end : hi]
    if label := _CLAUSE_LABEL.match(before):  # the item's label before the comparison
        before, lo = before[label.end() :], lo + label.end()
    described = t.masked[lo : m.start].replace("\x00", "\x01")  # no other name between
    if _ONLY_COMPARE.fullmatch(before) or _ONLY_DESCRIBED.fullmatch(described):
        return len(after.strip(" 　-0123456789）)")) <= 4 or bool(_LABEL_END.match(after))
    if not _OPENING_ONLY.fullmatch(before):
        return False
    closing = _CLOSING_ONLY.match(after)
    return bool(closing and (closing.end() == len(after) or _LABEL_END.match(after, closing.end())))


#: a table header cell over a column of methods (the NER's method-table-headers.txt)
METHOD_COLUMN = re.compile(word_lists.alternation("method-table-headers"), re.IGNORECASE)


#: a comparison that names no one: a kind of system after the cue with no name between
#: ("相比现有方案", "比最快基线", "与现有的调度方案相比", "than existing systems"), or a reference setup
#: (FullKV, dense, vanilla: `DEVICE`) the recognizer did not find as a name
_KIND = word_lists.alternation("comparison-fillers", tags="kind")
_DESCRIPTION = r"(?:(?!最|次优|SOTA|state|best|strongest|fastest)[^\x00，,。；;！？!?|\n\d]){0,16}?"
_UNNAMED = re.compile(
    rf"(?:(?:{COMPARE_STRONG}|{COMPARE_WEAK})\s*(?:the\s+)?{_DESCRIPTION}(?:{_KIND})(?![A-Za-z])|"
    rf"{COMPARE_OPENING}\s*{_DESCRIPTION}(?:{_KIND})(?=\s*{COMPARE_CLOSING})|"
    rf"(?:{COMPARE_STRONG}|{COMPARE_WEAK})\s*(?:the\s+)?(?:{_REFERENCE_SETUP})(?![A-Za-z0-9]))"
    r"(?!\s*[（(])",  # "相比传统方法（如 X）": named in the aside
    re.IGNORECASE,
)
_REFERENCE_NAME = re.compile(_REFERENCE_SETUP, re.IGNORECASE)


#: a cue right before a capitalised word the recognizer did not find as a name ("相比Tail Batching",
#: "相较于 PG"): a name all the same, not a reference setup or a processor (`DEVICE`)
_CAPITAL_WORD = r"[A-Z][\w.+-]*|[a-z]+[A-Z][\w.+-]*"
_UNFOUND_COMPARED = re.compile(
    rf"(?i:{COMPARE_STRONG}|{COMPARE_WEAK})\s*(?:the\s+)?(?P<name>{_CAPITAL_WORD})"
)


def compares_unfound(t: Text, span: tuple[int, int]) -> bool:
    """Whether a comparison in `span` is with a name the recognizer did not find (not one whose
    acronym it found in the brackets after it: "相较于Prefix Grouper (PG)")."""
    return any(
        not DEVICE.fullmatch(found["name"])
        and found["name"].upper() != "SOTA"
        and not _FOUND_ACRONYM_AFTER.match(t.masked, found.end())
        for found in _UNFOUND_COMPARED.finditer(t.masked, *span)
    )


#: an unfound name's further words, then its acronym found as a name in brackets: " Grouper (PG)"
_FOUND_ACRONYM_AFTER = re.compile(rf"(?:[\s-](?:{_CAPITAL_WORD})){{0,3}}\s*[（(]\s*\x00+\s*[)）]")


def compares_none_found(t: Text, span: tuple[int, int]) -> bool:
    """Whether `span` compares with a kind of system, a reference setup or a name the recognizer
    did not find ("相比 Random 提升", "Speedup vs Dense"), and not with a found name."""
    return bool(_UNNAMED.search(t.masked, *span)) or compares_unfound(t, span)


def compares_unnamed(t: Text, w: Where) -> bool:
    """Whether the number's sentence, up to the end of its clause, compares with no one named: a
    kind of system ("相比现有方案") or a reference setup ("相比 Dense 基线", "达到 FullKV 的 5.1 倍").
    Such a claim does not take the entry's one baseline (ANNOTATION.md: a claim against a
    reference setup has baseline null; rule 3 holds only for claims it does not contradict)."""
    span = (w.sent[0], w.clause[1])
    if _UNNAMED.search(t.masked, *span) or compares_unfound(t, span):
        return True
    return any(
        _REFERENCE_NAME.fullmatch(m.name) and is_compared(m, t, span) for m in t.mentions_in(span)
    )
