"""Who and where: the method a claim is about, its baseline, model, hardware and condition."""

from __future__ import annotations

import re
from collections.abc import Iterable

from techclaims.ingest.claims.comparison import (
    DEVICE,
    compares_none_found,
    compares_unnamed,
    is_compared,
    is_lead_in,
)
from techclaims.ingest.claims.context import Mention, PaperContext, Text, Where, masked_text, within
from techclaims.ingest.claims.layout import (
    Layout,
    are_listed,
    aside_of,
    asides_in,
    clause_of,
    is_blocked,
)
from techclaims.ingest.claims.quantities import Found, find_quantities
from techclaims.ingest.claims.vocabulary import (
    COMPARE_STRONG,
    COMPARE_WEAK,
    HOSTED_MODEL,
    LIST_CONJUNCTIONS,
    MACHINE,
    one_named,
)
from techclaims.ingest.nlp import vocabulary as word_lists
from techclaims.ingest.nlp.word_shape import has_digit
from techclaims.schema.iris import metric_family, norm_key

#: "A、B 分别 ..." / "..., respectively" pairs names with numbers in order (respectively-words.txt)
RESPECTIVELY = re.compile(word_lists.alternation("respectively-words"), re.IGNORECASE)


#: a heading over the setup (setup-words.txt, heading)
SETUP_HEADING = re.compile(word_lists.alternation("setup-words", tags="heading"), re.IGNORECASE)


#: a label line of the setup, "- **硬件**:" (setup-words.txt, label)
SETUP_LABEL = re.compile(
    rf"\s*(?:[-*+]\s+)?\**(?:{word_lists.alternation('setup-words', tags='label')})"
    r"(?:\s*[（(][^)）\n]{1,24}[)）])?\**\s*[:：]",  # an aside before the colon ("主模型（LLM）：")
    re.IGNORECASE,
)


#: a heading over the setup's baselines, not over results (setup-words.txt, baselines, results)
BASELINE_HEADING = re.compile(
    word_lists.alternation("setup-words", tags="baselines"), re.IGNORECASE
)
_RESULTS_HEADING = re.compile(word_lists.alternation("setup-words", tags="results"), re.IGNORECASE)

#: a label line over the setup's baselines: "- **对比基线**：", "*   **Baselines:**"
BASELINE_LABEL = re.compile(
    r"\s*(?:[-*+]\s+)?\**\s*(?:对比|比较|主要|主)?\s*"
    rf"(?:{word_lists.alternation('setup-words', tags='baselines')})"
    r"[^:：*\n，,。]{0,16}\**\s*[:：]",
    re.IGNORECASE,
)


def _condition(tag: str, script: word_lists.Script | None = None) -> str:
    return word_lists.alternation("condition-words", script, tags=tag)


#: a measuring condition next to a number, kept with its claim (condition-words.txt: the
#: words; here the frame of each: a number after a batch or length word, a 32K with tokens)
CONDITIONS = re.compile(
    rf"(?:{_condition('batch')})\s?[=:：为]?\s?\d+|"
    rf"(?:{_condition('length')})\s?[=:：为]?\s?"
    r"(?:>=|≥|>)?\s?\d+(?:\.\d+)?\s?[KkM]?|"
    rf"(?:>=|≥|>|<=|≤)?\s?\d+(?:\.\d+)?\s?[KkM](?![A-Za-z0-9])(?:\s?(?:{_condition('tokens')}))?|"
    rf"{_condition('sequence')}|"
    rf"\d+(?:\.\d+)?\s?%\s?(?:的)?(?:{_condition('sparsity', 'han')})|"
    rf"(?:{_condition('sparsity', 'latin')}) \d+(?:\.\d+)?\s?%|"
    rf"\b(?:{_condition('format')})\b|{_condition('gpus')}|\d+\s?(?:{_condition('devices')})",
    re.IGNORECASE,
)


_SPEEDUP_WORD = re.compile(word_lists.alternation("speedup-words", tags="ratio"), re.IGNORECASE)


# between two names of one list ("相比 X、Y 和 Z") / two numbers of one statement
_LISTED = re.compile(rf"\s*(?:、|,|，|/|{LIST_CONJUNCTIONS})\s*")
_LISTED_OR_NONE = re.compile(rf"\s*(?:/|、|,|，|{LIST_CONJUNCTIONS})?\s*")


def speedup_baseline_of(text: str, mentions: list[Mention], own: Iterable[str] = ()) -> str | None:
    """The one method an entry defines its speed-ups against, on lines that state no number
    ("性能：相对于PyTorch基线的加速比", "Speedup: relative to vLLM"), else None."""
    own = set(own)
    prepared = Text(text, masked_text(text, mentions), Layout(text), [], [], mentions)
    names: set[str] = set()
    for index in range(len(prepared.layout.line_starts)):
        line = prepared.layout.line(index)
        if not _SPEEDUP_WORD.search(text, *line) or find_quantities(prepared.masked[slice(*line)]):
            continue
        if prepared.layout.is_row(index) and prepared.layout.header(index) is None:
            # a table's header: its "vs X" is its own column's (`Where.header_cell`, rule 1),
            # not what the entry's other speed-ups are measured against. Train claim baseline
            # P/R/F1 0.793/0.599/0.683 -> 0.810/0.597/0.688 (2 right, 19 wrong fewer);
            # validation and dev unchanged
            continue
        compared = [
            m
            for m in mentions
            if m.type == "METHOD"
            and within(m, line)
            and m.name not in own
            and not DEVICE.fullmatch(m.name)
            and is_compared(m, prepared, line)
        ]
        if any(_listed_with_unfound_name(m, prepared.masked) for m in compared):
            # "加速比（vs. Direct / CCLs）": several, the recognizer found one. Train claim
            # baseline 3 wrong fewer, none right lost; validation and dev unchanged
            return None
        names |= {m.name for m in compared}
    return names.pop() if len(names) == 1 else None


def setup_of(text: str, mentions: list[Mention]) -> dict[str, str]:
    """The model and the hardware the entry's experimental setup names, where it names exactly one
    (or marks one as the main one, or one for the evaluation beside one for training)."""
    layout = Layout(text)
    spans: list[tuple[int, int]] = []
    for index in range(len(layout.line_starts)):
        line = layout.line_text(index)
        level = _heading_depth(line)
        if level and SETUP_HEADING.search(line):
            stop = layout.line(index)[1]
            for later in range(index + 1, len(layout.line_starts)):
                if 0 < _heading_depth(layout.line_text(later)) <= level:
                    break
                stop = layout.line(later)[1]
            spans.append((layout.line(index)[1], stop))
        elif SETUP_LABEL.match(line):
            spans.append(layout.item(index))
    setup: dict[str, str] = {}
    masked = masked_text(text, mentions)
    for kind in ("MODEL", "HARDWARE"):
        named = [m for m in mentions if m.type == kind and any(a <= m.start < b for a, b in spans)]
        if kind == "HARDWARE":
            named = _without_machines(named, layout)
        if one := one_named(kind, sorted({m.name for m in named})):
            setup[kind] = one
        elif kind == "HARDWARE" and (
            (one := _primary(named, layout, masked))
            or (one := _inference(named, layout, masked))
            or (one := _not_side(named, layout, masked))
            or (one := _not_training(named, layout, masked))
        ):
            setup[kind] = one
        elif kind == "MODEL" and (one := _primary(named, layout, masked, apart=True)):
            setup[kind] = one  # "默认使用Qwen3-4B ... 还测试了 Llama3.2-1B", "- **主模型**：X"
        elif one := _for_speed(kind, named, layout, masked):
            setup[kind] = one
    baselines = _baseline_spans(layout, masked)
    names = {
        m.name
        for m in mentions
        if m.type in ("METHOD", "MODEL")
        and m.role != "proposed"
        and not DEVICE.fullmatch(m.name)
        and any(a <= m.start < b for a, b in baselines or ())
    }
    if baselines is not None and len(names) == 1:
        setup["BASELINE"] = names.pop()
    elif main := _main_baseline(layout, mentions):
        setup["BASELINE"] = main
    return setup


#: a label line that names a machine's processor: "- **SoC**：Exynos 2400", "- 芯片: M4 Pro"
_PART_LABEL = re.compile(
    r"\s*(?:[-*+•]\s+)?\**\s*(?:SoC|芯片|处理器|chip|processor|GPU|NPU)\s*\**\s*[:：]",
    re.IGNORECASE,
)


def _without_machines(named: list[Mention], layout: Layout) -> list[Mention]:
    """The setup's hardware without the machines built around a processor the setup names with
    them, in the same list item or the label line next to it: "OnePlus 12（Adreno 750 GPU）",
    "p4de.24xlarge 实例，每台含 8×NVIDIA A100", "- **设备**：Galaxy S24+" over "- **SoC**：Exynos
    2400". The numbers are the processor's (ANNOTATION.md: hardware is the processor or
    accelerator, as with a host CPU beside a GPU)."""
    processors = [m for m in named if not MACHINE.search(m.name)]
    if len(processors) == len(named) or not processors:
        return named

    def part_of(p: Mention, m: Mention) -> bool:
        item = layout.item(layout.line_index(m.start))
        if item[0] <= p.start < item[1]:
            return True
        line = layout.line_index(p.start)
        first, last = layout.line_index(item[0]), layout.line_index(item[1])
        return line in (first - 1, last + 1) and bool(_PART_LABEL.match(layout.line_text(line)))

    built = {
        m.name for m in named if MACHINE.search(m.name) and any(part_of(p, m) for p in processors)
    }
    return [m for m in named if m.name not in built]


#: the one platform of a setup that names several ("RTX 4090（主平台）", setup-words.txt, primary)
PRIMARY = re.compile(word_lists.alternation("setup-words", tags="primary"), re.IGNORECASE)


def _clause_around(m: Mention, layout: Layout, masked: str) -> tuple[int, int]:
    """The clause of its line a setup's mention sits in ("训练在 MI300X 上进行" of a sentence that
    goes on "，推理评估在 A100 上进行"): what the setup says about that name alone."""
    return clause_of(masked, m.start, m.end, *layout.line(layout.line_index(m.start)))


def _primary(named: list[Mention], layout: Layout, masked: str, apart: bool = False) -> str | None:
    """The hardware a setup that names several marks as its main platform, in the name's own
    clause ("NVIDIA RTX 4090（主平台），并在 RTX 5090、H20 上验证泛化性", "- **主平台**：RTX 3090",
    "主要在 RTX 6000 Ada 上进行。部分对比实验在 A100 上进行"): the others are side checks, and
    the results are the main platform's (ANNOTATION.md rule 3). With `apart` (the setup's
    models), a marked name listed with another ("主要模型：Qwen3-8B, Qwen3-30B-A3B") marks the
    whole list: no one main model. Train claim model 4 wrong fewer (one entry), validation and
    dev unchanged."""
    marked = set()
    for m in named:
        if PRIMARY.search(masked, *_clause_around(m, layout, masked)):
            if apart and _in_list(m, named, masked):
                return None  # "主要模型：Qwen3-8B, Qwen3-30B-A3B": the mark is the whole list's
            marked.add(m.name)
    return marked.pop() if len(marked) == 1 else None


_TRAINING = re.compile(word_lists.alternation("run-stage-words", tags="training"), re.IGNORECASE)
_INFERENCE = re.compile(word_lists.alternation("run-stage-words", tags="evaluation"), re.IGNORECASE)


def _inference(named: list[Mention], layout: Layout, masked: str) -> str | None:
    """The hardware a setup that names one for training and another for inference or evaluation
    runs its measurements on ("训练在 AMD MI300X 上进行，推理评估在 NVIDIA A100 上进行",
    "- Inference：H100 ×8" beside "- Training：MI250 ×4"): the numbers the entry reports are the
    evaluation's (ANNOTATION.md rule 3), the training hardware only made the model. Train claim
    hardware F1 0.824 -> 0.827 (+8 right, +3 wrong, 3 entries), validation and dev unchanged;
    a clause that tests training ("H200 进行训练效率测试") is training: +2 right, one entry."""
    roles: dict[str, set[str]] = {}
    for m in named:
        clause = masked[slice(*_clause_around(m, layout, masked))]
        role = roles.setdefault(m.name, set())
        if _TRAINING.search(clause):
            role.add("training")  # "训练效率测试": testing training is training
        elif _INFERENCE.search(clause):
            role.add("inference")
    measured = [n for n, r in roles.items() if r == {"inference"}]
    if len(measured) == 1 and all(r == {"training"} for n, r in roles.items() if n != measured[0]):
        return measured[0]
    return None


def _stage_context(m: Mention, layout: Layout, masked: str) -> str:
    """What a setup says a mention's run is: its clause, the label cell of its table row
    ("| **Training Platform** | 8×H200 |"), the label before a colon on its line ("- 训练：") and
    the item it is nested in ("- **训练细节**：" over "  - 单卡 A100 运行")."""
    index = layout.line_index(m.start)
    parts = [masked[slice(*_clause_around(m, layout, masked))]]
    if layout.is_row(index):
        cells = layout.cells(index)
        if cells and not cells[0][0] <= m.start < cells[0][1]:
            parts.append(masked[slice(*cells[0])])
    else:
        line_start = layout.line(index)[0]
        if label := re.match(r"[^:：\n]*[:：]", masked[line_start : m.start]):
            parts.append(label.group())
        if parent := layout.parent(index):
            parts.append(masked[slice(*parent)])
    return " ".join(parts)


def _not_training(named: list[Mention], layout: Layout, masked: str) -> str | None:
    """The one hardware a setup names beside hardware it names only for training ("| **硬件平台**
    | L40S |" beside "| **Training Platform** | 8×H200 |"): the training hardware made the model,
    the entry's numbers are measured on the other (ANNOTATION.md rule 3). Train claim hardware
    F1 0.885 -> 0.888 (+7 right, none wrong, one entry), validation and dev unchanged. (Setting
    aside a setup's only device when it is named for training alone: train 17 wrong fewer but
    13 right fewer, validation 2 right fewer: gold mostly keeps it.)"""
    training: dict[str, bool] = {}
    for m in named:
        trains = bool(_TRAINING.search(_stage_context(m, layout, masked)))
        training[m.name] = training.get(m.name, True) and trains
    rest = sorted(n for n, t in training.items() if not t)
    if len(rest) == len(training):
        return None
    return one_named("HARDWARE", rest) if rest else None


_SPEED = re.compile(word_lists.alternation("run-stage-words", tags="speed"), re.IGNORECASE)
_ACCURACY = re.compile(word_lists.alternation("run-stage-words", tags="accuracy"), re.IGNORECASE)


def _for_speed(kind: str, named: list[Mention], layout: Layout, masked: str) -> str | None:
    """The one model (or hardware) a setup names for measuring speed beside others it names for
    measuring accuracy ("精度测试使用 Qwen 3 8B 模型，性能评估使用 Qwen 3 14B 模型"): the entry's
    speed-ups are the speed run's (ANNOTATION.md rule 3)."""
    roles: dict[str, set[str]] = {}
    for m in named:
        clause = masked[slice(*_clause_around(m, layout, masked))]
        role = roles.setdefault(m.name, set())
        if _SPEED.search(clause):
            role.add("speed")
        if _ACCURACY.search(clause):
            role.add("accuracy")
    speed = [n for n, r in roles.items() if r == {"speed"}]
    rest = [r for n, r in roles.items() if n not in speed]
    if speed and rest and all(r == {"accuracy"} for r in rest):
        return one_named(kind, speed)
    return None


_REFERENCE = re.compile(word_lists.alternation("setup-words", tags="reference"), re.IGNORECASE)


def _not_side(named: list[Mention], layout: Layout, masked: str) -> str | None:
    """The one hardware a setup names beside platforms it sets apart: one that trains a model
    ("| **Training Platform** | 8×H200 |" beside "| **硬件平台** | L40S |") or one the others are
    compared with ("- **GPU 对照组**：RTX A6000" beside "- **NPU**：Ascend 910B", "对比设备：
    V100S、A800" beside the MT-3000 node). The numbers are the other's (ANNOTATION.md rule 3: the
    hardware the setup names for the results); a host CPU beside it does not count."""
    side: set[str] = set()
    for m in named:
        clause = masked[slice(*_clause_around(m, layout, masked))]
        line_start = layout.line(layout.line_index(m.start))[0]
        label = re.match(r"[^:：\n]*[:：]", masked[line_start : m.start])  # "- **GPU 对照组**："
        if _REFERENCE.search(clause) or (label and _REFERENCE.search(label.group())):
            side.add(m.name)
    if not side:
        return None
    rest = sorted({m.name for m in named} - side)
    return one_named("HARDWARE", rest) if rest else None


#: what joins the items of a list in a label's text ("vLLM、SGLang", "A and B", "X 等")
_SEVERAL = re.compile(rf"[、,，;；/]|{LIST_CONJUNCTIONS}|等", re.IGNORECASE)
_ITEM = re.compile(r"\s*(?:[-*+•]|\d{1,3}[.)、])\s")


def _baseline_spans(layout: Layout, masked: str) -> list[tuple[int, int]] | None:
    """Where the entry's setup lists its baselines: the section under a heading that names them
    (not a heading over results), and each list item a baseline label opens; None when one of
    them lists several (two items or table rows under the heading, a list in the label's text)."""
    spans: list[tuple[int, int]] = []
    for index in range(len(layout.line_starts)):
        line = layout.line_text(index)
        level = _heading_depth(line)
        if level:
            if BASELINE_HEADING.search(line) and not _RESULTS_HEADING.search(line):
                stop = layout.line(index)[1]
                entries = 0
                for later in range(index + 1, len(layout.line_starts)):
                    if 0 < _heading_depth(layout.line_text(later)) <= level:
                        break
                    stop = layout.line(later)[1]
                    entries += bool(_ITEM.match(layout.line_text(later))) or (
                        layout.is_row(later) and layout.header(later) is not None
                    )
                if entries > 1:
                    return None  # several list items or table rows
                spans.append((layout.line(index)[1], stop))
        elif label := BASELINE_LABEL.match(line):
            start, end = layout.item(index)
            if _SEVERAL.search(masked, layout.line(index)[0] + label.end(), end):
                return None
            spans.append((start, end))
    return spans


#: marks the one baseline of a setup that lists several (setup-words.txt, main-baseline)
MAIN_BASELINE = re.compile(
    word_lists.alternation("setup-words", tags="main-baseline"), re.IGNORECASE
)


#: a list item labelled with the word baseline alone: "- **Baseline**: gsplat（v1.4.0）", "- **基线**：vLLM"
#: (not "- **改进后的 baseline**：", "- **Baselines**：")
_BASELINE_ITEM = re.compile(r"\s*[-*+•]\s+\**\s*(?:baseline|基线)\s*\**\s*[:：]", re.IGNORECASE)


def _main_baseline(layout: Layout, mentions: list[Mention]) -> str | None:
    """The one method (or model) the setup marks as its main baseline ("- **主基线**：NCCL",
    "- **FedAvg**：经典算法，作为主要对比基准", "| 3MT | ... | 主要基准模型 |", "- **Baseline**: gsplat"
    above "- **改进后的 baseline**：..."), where the setup lists several: the one list item or table
    row that says so and names one."""
    found: set[str] = set()
    for index in range(len(layout.line_starts)):
        line = layout.line(index)
        text = layout.line_text(index)
        if not MAIN_BASELINE.search(text) and not _BASELINE_ITEM.match(text):
            continue
        span = line if layout.is_row(index) else layout.item(index)
        named = [
            m
            for m in mentions
            if m.type in ("METHOD", "MODEL")
            and m.role != "proposed"
            and not DEVICE.fullmatch(m.name)
            and within(m, span)
        ]
        if any(_NAME_LISTED.match(layout.text, m.end) for m in named):
            return None  # "原始 LLaMA/TinyLLaMA 模型": several named, the others not found
        found |= {m.name for m in named}
    return found.pop() if len(found) == 1 else None


#: another name listed right after a name ("LLaMA/TinyLLaMA", "vLLM、SGLang")
_NAME_LISTED = re.compile(r"\s*[/、&]\s*[A-Za-z]")


def is_own(name: str, method: str | None) -> bool:
    """Whether a name is the paper's own method in another spelling ("EAGLE-PANGU" for
    EAGLE-Pangu, "KVDRIVE" for KVDrive): never its baseline. (A variant that extends the name,
    "BOUTE-Homo", "SwiftSpec-base", is an ablation the paper may well compare with.)"""
    return method is not None and norm_key(method) == norm_key(name)


def is_rival(m: Mention, method: str | None, kinds: tuple[str, ...] = ("METHOD", "MODEL")) -> bool:
    """Whether a mention may be what a number is measured against: a method or model (of
    `kinds`) that is not the paper's own in any spelling, not proposed, not a device."""
    return (
        m.type in kinds
        and not is_own(m.name, method)
        and m.role != "proposed"
        and not DEVICE.fullmatch(m.name)
    )


def method_of(at: Found, t: Text, w: Where, paper: PaperContext) -> str | None:
    """Another of the paper's proposed methods (or a variant of its own: FCDP-Sched for FCDP) when the clause
    (or the row) makes it the subject."""
    scope = t.layout.line(w.line) if w.row else (w.sent[0], at.start)
    key = ("variants of", paper.method)  # the same for every number of the entry: made once
    if key not in t.memo:
        t.memo[key] = frozenset(
            m.name
            for m in t.mentions
            if paper.method
            and m.type == "METHOD"
            and norm_key(m.name).startswith(norm_key(paper.method))
        )
    own = paper.proposed | t.memo[key]
    subjects = [
        m
        for m in t.mentions_in(scope)
        if m.type == "METHOD" and m.name in own and not is_compared(m, t, scope)
    ]
    subjects.sort(key=lambda m: (not within(m, w.clause), abs(at.start - m.start)))
    return subjects[0].name if subjects else paper.method


def baseline_of(at: Found, t: Text, w: Where, method: str | None) -> str | None:
    """A METHOD or MODEL right after a comparison cue (相比X, 比X, over X, vs. X, 与X相比), or right before 基线.

    The clause first; then another clause of the sentence that is only a comparison
    ("相较于SGLang，Bullet的TTFT缩短13.5倍", "吞吐提升6.5倍，相比vLLM。"); then the row label and column header of a table row,
    the row's place in its table (`_row_baseline`), the label that opens the list item when it is
    only a comparison ("- **对比 X**：..."), the line that introduces the list item, the section
    heading; last, in a table, the one method the header or the other rows compare with. A scope
    that compares with several names gives one only where it pairs them with its numbers
    ("分别", a list of as many numbers); else none (rule 4: several named, none said)."""
    earlier = (w.sent[0], w.clause[0])
    later = (w.clause[1], w.sent[1])
    # the sentences this one continues after a semicolon ("相比X，A提升1.2倍；B提升2.4倍。")
    before = (
        (w.item[0], w.sent[0])
        if w.item[0] < w.sent[0] and t.masked[: w.sent[0]].rstrip().endswith(("；", ";"))
        else None
    )
    label = _item_label(t, w)
    for scope in (
        w.clause,
        _CLAUSE_END,
        earlier,
        later,
        before,
        _UNNAMED_END,
        w.row_label,
        w.header_cell,
        _ROW,
        label,
        w.head,
        w.parent,
        w.table_lead_in,
        w.heading,
    ):
        if scope is _CLAUSE_END:
            if paired := _continued_pair(at, t, w, method):
                return paired  # "相比 X 提升 2.02 倍，Y 提升 1.48 倍"
            if compares_none_found(t, w.clause):
                # compared with a name not found, a kind of system or a reference setup ("比 Exact
                # 快 15×"): no other clause speaks for it. The reference setup: train claim
                # baseline 1 wrong fewer, none right lost; validation and dev unchanged
                return None
            continue
        if scope is _UNNAMED_END:
            if compares_unnamed(t, w):
                return None  # the sentence compares with no one named: nothing wider speaks for it
            continue
        if scope is None:
            continue
        if scope is _ROW:
            if w.row and (found := _row_baseline(at, t, w, method)):
                return found
            continue
        chain: list[Mention] = []  # the compared names and those listed after them
        for m in t.mentions_in(scope):
            if (
                m.type not in ("METHOD", "MODEL")
                or is_own(m.name, method)
                or DEVICE.fullmatch(m.name)
            ):
                continue
            if (
                chain
                and _OWN_ASIDE.fullmatch(t.masked, chain[-1].end, m.start)
                and (_ASIDE_CLOSES.match(t.masked, m.end))
            ):
                continue  # "vs. QuaRot (W4A4)": the compared name's setting, not another name
            if (
                chain
                and (_LISTED_ASIDE.fullmatch(t.masked[chain[-1].end : m.start]))
                or _paired_on(chain, m, t, w.siblings)
                or is_compared(m, t, scope)
            ):
                chain.append(m)
        if len(carriers := [m for m in chain if _factor_of(m, t, at)]) == 1:
            return carriers[
                0
            ].name  # "超越 X（2.02×）和 Y（1.48×）": the name the number stands with
        # "2.30×，远超 EAGLE-3 的 1.95×": a competitor with a factor of its own is no baseline
        compared = [m for m in chain if not _own_factor(m, t, at)]
        if scope is earlier and compared and _continues(at, t, w, method, compared[-1]):
            pass
        elif scope is before and compared and _sets_up(at, t, w, method, compared, before):
            pass  # "精度比 X 低 0.7%，但 FLOPs 减少 37.4%": the comparison carries into a clause that names no one
        elif (
            scope is earlier or scope is later or scope is before or scope is label
        ):  # other clauses: bare comparisons only
            compared = [m for m in compared if is_lead_in(m, t, w)]
        if not compared:
            continue
        names = list(dict.fromkeys(m.name for m in compared))
        peers = [f for f in w.siblings if scope[0] <= f.start < scope[1]]
        if (
            at not in peers
        ):  # the comparison is set up in another clause: its numbers are the clause's
            peers = [f for f in w.siblings if w.clause[0] <= f.start < w.clause[1]]
        parallel = len(peers) > 1 and all(
            are_listed(t.masked, a, b) for a, b in zip(peers, peers[1:], strict=False)
        )
        if (
            len(names) > 1
            and len(peers) == len(names)
            and at in peers
            and (
                RESPECTIVELY.search(t.masked, *scope)
                or RESPECTIVELY.search(t.masked, *w.clause)
                or parallel
            )
        ):
            return names[peers.index(at)]
        if (  # "对比 X/Y：分别实现了 2.29x/2.35x 和平均 1.75x/1.73x": each group in order. Train
            # claim baseline +4 right, none wrong (one entry); validation and dev unchanged
            len(names) > 1
            and at in peers
            and len(peers) % len(names) == 0
            and (RESPECTIVELY.search(t.masked, *scope) or RESPECTIVELY.search(t.masked, *w.clause))
        ):
            return names[peers.index(at) % len(names)]
        if len(names) > 1 and at in peers and (paired := _interleaved(at, compared, peers)):
            return paired
        if len(names) > 1:
            return None  # several compared and not said which this number is against (rule 4)
        if any(_listed_with_unfound_name(m, t.masked) for m in compared):
            # "优于 Triton 和 Gpulet", "相比 SC & CER": several compared, the NER found one (rule 4).
            # The unfound name before the found one: train claim baseline 0.787/0.594/0.677 ->
            # 0.792/0.594/0.679 (6 wrong fewer); validation and dev unchanged
            return None
        return names[0]
    if w.row:
        if w.header_cell is not None and compares_none_found(t, w.header_cell):
            # "| 相比 Random 提升 |", "| 相对提升（vs RL） |": the column says what its numbers are
            # measured against; only a reference row that names it ("| XLM-R-Large | 1.0× |"
            # under "| Throughput (× vs XL) |") speaks for it, not the other methods of the
            # header (rule 1). Train claim baseline 5 wrong fewer, none right lost; validation
            # and dev unchanged
            return _reference_row(at, t, w, method)
        return (
            _table_baseline(t, w, method)
            or _reference_row(at, t, w, method)
            or _plain_row_baseline(at, t, w, method)
        )
    return (
        _device_baseline(at, t, w, method)
        or _sibling_baseline(at, t, w, method)
        or _label_aside_baseline(t, w, method)
    )


#: a factor written right after a name, in its own words or an aside: "EAGLE-3 的 1.95×",
#: "EAGLE-3 (1.59×)", "BiTA（1.68, 1.34x）"
_OWN_FACTOR_LEAD = (
    r"\s*(?:的|[（(]\s*(?:[^）)，,。；;\n\x00]{0,12}?[\s,，、])?)[~约近]?\s*(?P<n>\d+(?:\.\d+)?)\s*"
)
_OWN_FACTOR = {
    "x": re.compile(rf"{_OWN_FACTOR_LEAD}[×xX倍]"),
    "%": re.compile(rf"{_OWN_FACTOR_LEAD}%"),
}


def _factor_after(m: Mention, t: Text, at: Found) -> re.Match[str] | None:
    """The factor in the number's unit written right after the name ("X（2.02×）", "X 的 1.6 倍")."""
    pattern = _OWN_FACTOR.get(at.quantity.unit)
    return pattern.match(t.masked, m.end, m.end + 24) if pattern else None


def _factor_of(m: Mention, t: Text, at: Found) -> bool:
    """Whether the number is the factor written right after the name."""
    found = _factor_after(m, t, at)
    return found is not None and found.start("n") <= at.start < found.end()


#: a name alone in brackets right after a compared name: "vs. QuaRot (W4A4)", "比 vLLM (FCFS)".
#: Train claim baseline +1 right, none wrong; validation and dev unchanged
_OWN_ASIDE = re.compile(r"\s*\**\s*[（(]\s*")
_ASIDE_CLOSES = re.compile(r"\s*[)）]")
#: between two names of one list, past an aside after the first ("X（2.02×）和 Y")
_LISTED_ASIDE = re.compile(
    rf"\s*(?:[（(][^（()）\n]{{0,24}}[)）])?\s*(?:、|,|，|/|{LIST_CONJUNCTIONS})\s*"
)
#: what ends one name-and-number pair of a list before the next name ("高达 2.02 倍、")
_PAIR_END = re.compile(rf"[^\d\x00]{{0,4}}(?:、|，|,|；|;|{LIST_CONJUNCTIONS})\s*$")
_PAIR_LEAD = re.compile(r"[^\d\x00，,。；;！？!?|\n]{0,8}$")


def _paired_on(chain: list[Mention], m: Mention, t: Text, numbers: list[Found]) -> bool:
    """Whether a name goes on a list of name-and-number pairs that a compared name opens:
    "相对于 A 高达 2.02 倍、B 高达 1.48 倍" (one number between the last name and this one, a list
    separator after it, and a number of this name's own after it): B is compared as A is, and
    each number takes the name before it (`_interleaved`), not A for all (rule 1). With
    `_factor_of` ("超越 X（2.02×）和 Y（1.48×）") and `_continued_pair`: train claim baseline
    0.817/0.606/0.696 -> 0.819/0.607/0.697 (+1 right, 1 wrong fewer: the shape is rare in
    train, where "比A快2x，比B快3x" and "2.1x over A and 1.5x over B" were already read);
    validation and dev unchanged."""
    if not chain:
        return False
    lo = chain[-1].end
    between = [f for f in numbers if lo <= f.start and f.end <= m.start]
    if len(between) != 1 or not _PAIR_END.search(t.masked, between[0].end, m.start):
        return False
    if not _PAIR_LEAD.fullmatch(t.masked, lo, between[0].start):
        return False
    after = [f for f in numbers if f.start >= m.end]
    return bool(after) and _PAIR_LEAD.fullmatch(t.masked, m.end, after[0].start) is not None


def _continued_pair(at: Found, t: Text, w: Where, method: str | None) -> str | None:
    """The name that opens the number's clause where the clause goes on a list of
    name-and-number pairs that an earlier clause of the sentence opens with a compared name:
    "相比 X 提升 2.02 倍，Y 提升 1.48 倍", "达到 X 的 1.7×，Y 的 >100×" (`_paired_on`)."""

    here = [m for m in t.mentions_in(w.clause) if m.end <= at.start]
    if (
        len(here) != 1
        or not is_rival(here[0], method)
        or t.masked[w.clause[0] : here[0].start].strip()
    ):
        return None
    first = here[0]
    if not _PAIR_LEAD.fullmatch(t.masked, first.end, at.start):
        return None
    chain: list[Mention] = []
    for m in t.mentions_in((w.sent[0], w.clause[0])):
        if is_rival(m, method) and (
            _paired_on(chain, m, t, w.siblings) or is_compared(m, t, w.sent)
        ):
            chain.append(m)
    return first.name if _paired_on(chain, first, t, w.siblings) else None


def _own_factor(m: Mention, t: Text, at: Found) -> bool:
    """Whether a name compared against comes with a factor of its own, in the number's unit,
    that is not the number: "达到 2.30× 加速，远超 EAGLE-3 的 1.95×", "以 1.72× 领先于 EAGLE-3
    (1.59×)". The name is a competitor ranked beside the number, which the entry measures
    against something else (mostly a reference setup: ANNOTATION.md, baseline null); "达到
    Quest 的 1.59×" (the number itself right after the name) still compares with Quest. Train
    claim baseline P/R/F1 0.813/0.600/0.690 -> 0.816/0.600/0.691 (3 wrong fewer, none right
    lost); validation and dev unchanged."""
    found = _factor_after(m, t, at)
    return found is not None and not found.start("n") <= at.start < found.end()


def _listed_with_unfound_name(m: Mention, masked: str) -> bool:
    """Whether a compared name is listed with a capitalised name the recognizer did not find,
    after it ("优于 Triton 和 Gpulet") or before it ("相比 SC & CER", "vs. Direct / CCLs"): the text
    compares with several and the one found is not said to be the one (rule 4)."""
    return bool(
        _UNFOUND_LISTED.match(masked, m.end)
        or _UNFOUND_BEFORE.search(masked, max(0, m.start - 40), m.start)
        or _ASIDE_OPENS.search(masked, max(0, m.start - 12), m.start)
        and _UNFOUND_COMMA_LISTED.match(masked, m.end)
    )


def _interleaved(at: Found, compared: list[Mention], peers: list[Found]) -> str | None:
    """The name a number is paired with where names and numbers alternate, one each: "1.3 倍于
    cuDNN 和 2.7 倍于 Triton" (each number with the name after it), "比 X 快 2 倍、比 Y 快 3 倍"
    (each name with the number after it). Train claim baseline P/R/F1 0.765/0.586/0.664 ->
    0.765/0.588/0.665 (+2 right, none wrong); validation and dev unchanged."""
    if len(compared) != len(peers) or len({m.name for m in compared}) != len(compared):
        return None
    items = sorted(
        [(m.start, 0, i) for i, m in enumerate(compared)]
        + [(f.start, 1, i) for i, f in enumerate(peers)]
    )
    kinds = [kind for _, kind, _ in items]
    if any(a == b for a, b in zip(kinds, kinds[1:], strict=False)):
        return None  # two names or two numbers side by side: a list, not pairs
    pairs = zip(items[::2], items[1::2], strict=True)
    for first, second in pairs:
        number = first if first[1] == 1 else second
        name = second if first[1] == 1 else first
        if peers[number[2]] is at:
            return compared[name[2]].name
    return None


#: a name listed right after a compared one that the NER did not find ("Triton 和 Gpulet",
#: "Swing / Recursive Doubling", "ORION和SpecFaaS"): a word with a capital, not masked
_LIST_JOINER = r"(?:[、/&]|和|与|及|以及|\band\b|\bor\b)"
_CAPITALISED_NAME = r"[A-Z][\w.+-]*|[a-z]+[A-Z][\w.+-]*"
_UNFOUND_LISTED = re.compile(rf"\s*{_LIST_JOINER}\s*\**\s*(?:{_CAPITALISED_NAME})")
#: an aside that lists names with commas: "比最先进的异构基线（AMP, Espresso, Metis）快". Train
#: claim baseline 1 wrong fewer, none right lost; validation and dev unchanged
_ASIDE_OPENS = re.compile(r"[（(]\s*(?:如|例如|e\.g\.,?|包括)?\s*\**\s*$")
_UNFOUND_COMMA_LISTED = re.compile(rf"\s*\**\s*[,，]\s*\**\s*(?:{_CAPITALISED_NAME})")


#: the place of the table rule (`_row_baseline`) among the scopes `baseline_of` reads
_ROW = (-1, -1)
#: ... and of the end of the sentence's own scopes: a sentence that compares with a kind of
#: system or a reference setup ("相比现有方案", "相比 Dense 基线") and names no one takes no wider
#: baseline (`compares_unnamed`). Train claim baseline P/R/F1 0.765/0.588/0.665 ->
#: 0.771/0.587/0.667 (1 right, 7 wrong fewer); validation and dev unchanged
_UNNAMED_END = (-2, -2)
#: ... and of the end of the number's own clause: a clause that compares with a name the
#: recognizer missed ("相比 Tail Batching 最高加速 1.43 倍") takes no other clause's name, nor, from
#: a lead-in ("相较于 Prefix Grouper (PG)，"), a wider one. Train claim baseline P/R/F1
#: 0.776/0.593/0.672 -> 0.787/0.594/0.677 (+1 right, 12 wrong fewer); validation and dev unchanged
_CLAUSE_END = (-3, -3)

#: a table column that names each row's baseline ("| 对比对象 |", "| Baseline |"; baseline-words.txt,
#: its unambiguous words: 基准 is also "benchmark")
_BASELINE_COLUMN = re.compile(
    rf"{word_lists.phrase('baseline-words', 'unambiguous')}|对比对象|对比项|"
    r"compared\s+(?:to|with|against)|\bvs\b",
    re.IGNORECASE,
)


def _row_baseline(at: Found, t: Text, w: Where, method: str | None) -> str | None:
    """The baseline a table row gives by its place in the table (ANNOTATION.md rule 1: the row with
    its column and row headers): the row's cell under a baseline column ("| 模型 | 对比对象 | 降低 |"
    over "| Llama2-7B | SCCache | 36.4% |"), else the row's label when the number's column compares
    against the paper's own method ("| 能耗缩减倍数（vs Otters++） |" over "| Sorbet | 3.02× |").

    (Tried: the method of the row that states 1× in the number's column, the reference its
    factors are measured against: train +16 right, +3 wrong, but validation +2 wrong and dev +1
    wrong, mostly a vanilla model or decoding the annotators leave as no baseline.)"""
    header = t.layout.header(w.line)
    if header is None:
        return None
    cells = t.layout.cells(w.line)
    column = next((i for i, (a, b) in enumerate(cells) if a <= at.start < b), None)
    if column is None:
        return None
    header_cells = t.layout.cells(header)

    def others(span: tuple[int, int]) -> set[str]:
        return {m.name for m in t.mentions_in(span) if is_rival(m, method)}

    for k, cell in enumerate(header_cells[: len(cells)]):
        if k != column and _BASELINE_COLUMN.search(t.masked, *cell):
            named = others(cells[k])
            if len(named) == 1:
                return named.pop()
    if column and column < len(header_cells):
        own = header_cells[column]
        if any(
            (m.name == method or m.role == "proposed") and is_compared(m, t, own)
            for m in t.mentions_in(own)
        ):
            named = others((cells[0][0], cells[column - 1][1]))
            if len(named) == 1:
                return named.pop()
    return None


_LABEL = re.compile(r"\s*(?:[-*+•]|\d{1,3}[.)、])?\s*[^:：\n]{1,40}?[:：]")


def _item_label(t: Text, w: Where) -> tuple[int, int] | None:
    """The label that opens the number's list item ("- **对比 FlexAttention**：..."), when it ends before
    the number's sentence: a lead-in of the item's later sentences (ANNOTATION.md rule 2)."""
    if w.row:
        return None
    label = _LABEL.match(t.masked, w.item[0], w.item[1])
    if label is None or label.end() > w.sent[0]:
        return None
    return w.item[0], label.end()


def _continues(at: Found, t: Text, w: Where, method: str | None, compared: Mention) -> bool:
    """Whether the number's clause goes on from the comparison before it without a subject of its own: it
    names no method, model or hardware other than the paper's own method before the number, and it is not
    an end-to-end result after a comparison that is not (kernels compared, then end-to-end speed)."""
    if any(m.name != method for m in t.mentions_in((w.clause[0], at.start))):
        return False
    there = clause_of(t.masked, compared.start, compared.end, *w.sent)
    return not (
        _END_TO_END.search(t.masked, *w.clause) and not _END_TO_END.search(t.masked, *there)
    )


_END_TO_END = re.compile(r"end[- ]to[- ]end|\be2e\b|端到端", re.IGNORECASE)


def _sets_up(
    at: Found,
    t: Text,
    w: Where,
    method: str | None,
    compared: list[Mention],
    scope: tuple[int, int],
) -> bool:
    """Whether an earlier sentence that the number's sentence continues after a semicolon sets up
    the comparison in a clause of its own, with no number ("A 相对于 X、Y 和 Z，TTFT 减少 a、b 和 c；
    TPOT 减少 d、e 和 f。"), and the number's clause names no one before the number. Train claim
    baseline +3 right, none wrong (one entry); validation and dev unchanged."""
    if any(m.name != method for m in t.mentions_in((w.clause[0], at.start))):
        return False
    lo, hi = clause_of(t.masked, compared[0].start, compared[-1].end, *scope)
    return not any(lo <= f.start < hi for f in t.found)


#: words that make a gain a step over another variant of the method, not over the list's
#: baseline: "额外减少 TTFT 4.7%", "进一步提升至 1.63 倍", "也贡献了 9% 的加速", "消融研究：". Read by
#: `_sibling_baseline`: train claim baseline 5 wrong fewer, none right lost; validation and dev
#: unchanged
_INCREMENTAL = re.compile(
    r"额外|进一步|消融|贡献|\bablation|\badditional(?:ly)?\b|\bfurther\b", re.IGNORECASE
)


def _sibling_baseline(at: Found, t: Text, w: Where, method: str | None) -> str | None:
    """A gain in a list item that names no baseline: the one method the earlier items of the same list
    compare against ("- 单步训练时间：DiRL 比 TraceRL 快 2.55×" above "- Rollout 效率提升 1.08×"), when
    each of them that states a number compares with it."""
    if any(m.type == "METHOD" and m.name != method for m in t.mentions_in(w.clause)):
        return None
    if _INCREMENTAL.search(t.masked, *w.sent):
        return None  # "额外减少 4.7%", "消融研究：...": a gain over a variant of the method's own
    layout = t.layout
    first = layout.line_index(w.item[0])
    line = layout.line_text(first)
    marker = re.match(r"(\s*)(?:[-*+•]|\d{1,3}[.)、])\s", line)
    if not marker:
        return None
    indent = len(marker.group(1))
    names: set[str] = set()
    index = first - 1
    while index >= 0:
        other = layout.line_text(index)
        if not other.strip():
            break
        own = re.match(r"(\s*)(?:[-*+•]|\d{1,3}[.)、])\s", other)
        depth = len(own.group(1)) if own else len(other) - len(other.lstrip())
        if depth < indent or not own and depth <= indent:
            break  # the parent item, or text above the list
        span = layout.line(index)
        here = {
            m.name
            for m in t.mentions_in(span)
            if m.type in ("METHOD", "MODEL")
            and not is_own(m.name, method)
            and not DEVICE.fullmatch(m.name)
            and is_compared(m, t, span)
        }
        if not here and any(span[0] <= f.start < span[1] for f in t.found):
            return None  # an earlier result measured against no one: the list compares with no one in common
        names |= here
        index -= 1
    return names.pop() if len(names) == 1 else None


_DEVICE_WORD = rf"(?:{word_lists.alternation('device-count-words', tags='processor')})"
_COMPARED_DEVICE = re.compile(
    rf"(?:{COMPARE_STRONG}|{COMPARE_WEAK})\s*(?:the\s+)?(?P<device>{_DEVICE_WORD})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_DEVICE_LABEL = re.compile(
    rf"^\s*(?:[-*+•]\s+)?\**\s*(?P<device>{_DEVICE_WORD})\s*\**\s*[:：]", re.IGNORECASE
)
_DEVICE_ASIDE = re.compile(
    rf"^\s*(?:on|在)?\s*[（(]?\s*(?P<device>{_DEVICE_WORD})(?![A-Za-z0-9])", re.IGNORECASE
)


def device_methods(t: Text, method: str | None = None) -> dict[str, str]:
    """The method each generic device runs as a baseline, where the entry says so: "- **iGPU**：使用 LM Studio",
    "CPU: Ollama", "LM Studio (iGPU)", "llama.cpp on CPU". Keys are casefolded device words."""
    found: dict[str, set[str]] = {}
    for index in range(len(t.layout.line_starts)):
        span = t.layout.line(index)
        line = t.text[slice(*span)].replace("*", " ")
        methods = [
            m
            for m in t.mentions_in(span)
            if m.type == "METHOD" and m.name != method and not DEVICE.fullmatch(m.name)
        ]
        if not methods:
            continue
        label = _DEVICE_LABEL.match(line)
        if label and len({m.name for m in methods}) == 1:
            found.setdefault(label["device"].casefold(), set()).add(methods[0].name)
            continue
        for m in methods:
            after = _DEVICE_ASIDE.match(t.text, m.end, min(span[1], m.end + 12))
            if after:
                found.setdefault(after["device"].casefold(), set()).add(m.name)
    return {device: names.pop() for device, names in found.items() if len(names) == 1}


def _device_baseline(at: Found, t: Text, w: Where, method: str | None) -> str | None:
    """A comparison with a generic device ("5.2×（vs iGPU）", "8.7× 快于 CPU") means the method the entry runs
    on it as a baseline, when it names one."""
    cues = list(
        _COMPARED_DEVICE.finditer(t.text, *w.clause)
    )  # the text: a device may be (mis)named a method
    if not cues:
        return None
    others = [f for f in w.siblings if f != at]

    def free(lo: int, hi: int) -> bool:
        return not any(lo <= f.start and f.end <= hi for f in others)

    after = [c for c in cues if c.start() >= at.end and free(at.end, c.start())]
    before = [c for c in cues if c.end() <= at.start and free(c.end(), at.start)]
    cue = after[0] if after else before[-1] if before else None
    if cue is None:
        return None
    return device_methods(t, method).get(cue["device"].casefold())


def default_baseline(
    claim_metric: str, unit: str, paper: PaperContext, method: str | None = None
) -> str | None:
    """The baseline a claim that names none takes from the entry: the one the entry defines its
    speed-ups against (for a speed-up), else the one baseline its setup lists (rule 3)."""
    if unit == "x" and metric_family(claim_metric) == "speed" and paper.speedup_baseline:
        return paper.speedup_baseline
    one = paper.setup.get("BASELINE") if paper.use_setup else None
    return one if one is None or not is_own(one, method) else None


#: a table cell that marks its row as the reference the others are measured against: "1.0×",
#: "基准", "baseline" alone, or a label's aside "MLP (baseline)", "BD32（基线）"
_REFERENCE_CELL = re.compile(
    rf"\s*(?:1(?:\.0+)?\s?[×xX]|{word_lists.phrase('baseline-words', 'unambiguous')})\s*",
    re.IGNORECASE,
)
_REFERENCE_ASIDE = re.compile(
    rf"[（(]\s*(?:{word_lists.phrase('baseline-words', 'unambiguous')})\s*[)）]", re.IGNORECASE
)


def _reference_row(at: Found, t: Text, w: Where, method: str | None) -> str | None:
    """The method of the table row that the number's column measures the others against: the row
    whose cell in that column reads 1× ("| CCM | 65 | 8.2 GB | 1.0× |" over "| ACCD (Ours) | 40 |
    4.5 GB | 2.8× |"), or whose label says it is the baseline ("| MLP (baseline) | ..."), when
    one such row names one method (ANNOTATION.md rule 1: the row with the table it sits in).
    A model's reference row counts only for a row that names a model too: under a method's row
    it is that model run without the method, a reference setup with no baseline ("| MMaDA |
    1.0× |" over "| WINO | 10.05× |"). Train claim baseline P/R/F1 0.768/0.572/0.656 ->
    0.765/0.583/0.662 (+13 right, +8 wrong; 12 entries move); validation and dev unchanged; with a
    model's row for every row 0.762/0.584/0.661."""
    header = t.layout.header(w.line)
    if header is None:
        return None
    cells = t.layout.cells(w.line)
    column = next((i for i, (a, b) in enumerate(cells) if a <= at.start < b), None)
    if column is None or column == 0:
        return None
    label_kinds = {m.type for m in t.mentions_in((cells[0][0], cells[column - 1][1]))}
    named: set[str] = set()
    for index, here in _reference_rows(t, header, column, method):
        if index == w.line:
            continue
        kept = {name for kind, name in here if kind == "METHOD" or "MODEL" in label_kinds}
        if len(kept) != 1:
            return None  # a reference row of no name or of several
        named |= kept
    return named.pop() if len(named) == 1 else None


def _reference_rows(
    t: Text, header: int, column: int, method: str | None
) -> list[tuple[int, frozenset[tuple[str, str]]]]:
    """The rows of a table marked as the reference for one column, with the (type, name) of the
    methods and models each names before that column; made once per table and column."""
    key = ("reference rows", header, column, method)
    if key in t.memo:
        return t.memo[key]
    found: list[tuple[int, frozenset[tuple[str, str]]]] = []
    index = header + 2
    while index < len(t.layout.line_starts) and t.layout.is_row(index):
        row = t.layout.cells(index)
        marked = bool(row) and bool(_REFERENCE_ASIDE.search(t.masked, *row[0]))
        if row and not marked and column < len(row):
            marked = bool(_REFERENCE_CELL.fullmatch(t.masked, *row[column]))
        if marked:
            here = frozenset(
                (m.type, m.name)
                for m in t.mentions_in((row[0][0], row[min(column, len(row)) - 1][1]))
                if is_rival(m, method)
            )
            found.append((index, here))
        index += 1
    t.memo[key] = found
    return found


#: a change written in brackets after the value it changes, in a table cell: "104M (-38.8%)",
#: "**27 ms** (**↓25%**)", "3.55× (↑24.6%)"
_VALUE_THEN_BRACKET = r"\d[\d.,]*\s?[A-Za-z%×]{0,5}[\s*]*[（(][\s*]*(?:[-+~≈约]|↑|↓)?[\s*]*"
_CHANGE_ASIDE = re.compile(rf"{_VALUE_THEN_BRACKET}$")


def _plain_row_baseline(at: Found, t: Text, w: Where, method: str | None) -> str | None:
    """The method of the row a change in brackets is measured against: the nearest row above that
    states plain values, no change of its own ("| MDLM | 170M | ~139h |" over "| **CoFRe** |
    **104M (-38.8%)** |"; "| Tokenwise | 6.83 |" over "| Blockwise | 7.32 (+7.2%) |" and "| HSD |
    7.43 (+8.8%) |"; a reference row and a measured row in pairs), when its labels name one
    method or model that the number's row does not name as its model (ANNOTATION.md rule 1: the
    row with its table)."""
    header = t.layout.header(w.line)
    if header is None or w.line <= header + 2:
        return None
    cells = t.layout.cells(w.line)
    column = next((i for i, (a, b) in enumerate(cells) if a <= at.start < b), None)
    if column is None or column == 0:
        return None
    if not _CHANGE_ASIDE.search(t.masked, cells[column][0], at.start):
        return None
    shared = {  # the model both rows name is the setting, not the baseline
        m.name for m in t.mentions_in((cells[0][0], cells[column - 1][1])) if m.type == "MODEL"
    }
    for index in range(w.line - 1, header + 1, -1):
        row = t.layout.cells(index)
        if not row or any(_CHANGE_IN_CELL.search(t.masked, a, b) for a, b in row):
            continue  # a measured row, not the reference
        if column >= len(row):
            return None
        named = [
            m
            for m in t.mentions_in((row[0][0], row[column - 1][1]))
            if m.name not in shared and is_rival(m, method)
        ]
        if len({m.name for m in named}) > 1:
            named = [m for m in named if m.type == "METHOD"]
        names = {m.name for m in named}
        return names.pop() if len(names) == 1 else None
    return None


#: a change in brackets after a value anywhere in a cell
_CHANGE_IN_CELL = re.compile(rf"{_VALUE_THEN_BRACKET}\d")


#: a label that ends in a system named in brackets: "**端到端性能 (TensorRT-LLM)**：",
#: "**普适性 (Triton-distributed 案例研究)：**"
_LABEL_ASIDE = re.compile(
    r"\s*(?:[-*+•]|\d{1,3}[.)、])?\s*\**[^:：\n|（()）]{1,30}?[（(](?P<aside>[^（()）:：\n]{1,40})[)）]\s*\**\s*[:：]"
)


def _label_aside_baseline(t: Text, w: Where, method: str | None) -> str | None:
    """The method a list item's label names alone in brackets after what the item measures ("-
    **端到端性能 (TensorRT-LLM)**：平均吞吐量加速 118.90%"): the system the item's numbers are
    measured against (ANNOTATION.md rule 2, the lead-in). A model there is the workload ("推理工作
    负载 (QwQ)："), not a baseline. Train claim baseline +9 right, none wrong (two entries);
    validation and dev unchanged. (The parent item's label too: train +19 right, +1 wrong, but
    validation 0.743 -> 0.732, one wrong more: not kept.)"""
    label = _LABEL_ASIDE.match(t.masked, *w.item)
    if label is None:
        return None
    inside = t.mentions_in(label.span("aside"))
    named = {m.name for m in inside if is_rival(m, method, ("METHOD",))}
    return named.pop() if len(named) == 1 and len(inside) == 1 else None


def _table_baseline(t: Text, w: Where, method: str | None) -> str | None:
    """The one other method a comparison table names in its header ("| 指标 | FlashAttention |
    PackInfer |").

    (Not the one other method of its method column, "| EAGLE-3 | 3.1× |" over "| Ours | 4.3× |":
    each row is its own method's measurement, and the rows' factors are mostly against the
    reference, autoregressive decoding or the unoptimised model. Dropping that reading: train
    claim baseline P/R/F1 0.722/0.517/0.602 -> 0.749/0.514/0.610 (3 right, 30 wrong fewer),
    validation 0.618 -> 0.625, dev 0.788 unchanged.)"""
    header = t.layout.header(w.line)
    if header is None:
        return None
    named = {
        m.name for m in t.mentions_in(t.layout.line(header)) if is_rival(m, method, ("METHOD",))
    }
    if any(
        _listed_with_unfound_name(m, t.masked)
        for m in t.mentions_in(t.layout.line(header))
        if m.name in named
    ):
        # "| 其他方法（如 WINO, APD） |", "| FlashRL / Naive Quantized RL |": a column of several
        # methods, the recognizer found one (rule 4). Train claim baseline 2 wrong fewer, none
        # right lost; validation and dev unchanged
        return None
    return named.pop() if len(named) == 1 else None


def attribute_of(kind: str, at: Found, t: Text, w: Where, paper: PaperContext) -> str | None:
    """The model (or hardware) of the measurement: clause, sentence, row or list item, heading, else the setup.

    In the clause and the sentence a name belongs to the numbers it is not cut from by another
    number; a name compared against ("优于A100", "A100上的TensorRT-LLM") is not the measurement's.

    The setup's (or the entry's only) model holds for a claim that names none only when it is a
    model one runs, with a size or version (Llama-3-8B, GPT-4o, Qwen3); a name without a digit
    (DiT, ViT, U-Net, Mamba, LLaDA, CLIP) is the family or architecture the method works on,
    and the model of the numbers is then not stated (ANNOTATION.md rules 3-4: the entry's DiT
    and Ideogram 4.0's numbers). Claim model P/R/F1 (cached pipeline docs): train
    0.657/0.580/0.616 -> 0.731/0.572/0.642 (6 right fewer, 74 wrong fewer), validation
    0.516/0.471/0.492 -> 0.762/0.471/0.582, dev 0.738/0.886/0.805 -> 0.900/0.771/0.831. The
    same for hardware (Ascend, Jetson, Hygon DCU): train 0.782 -> 0.788 but validation
    0.712 -> 0.686, so not for hardware."""

    def of_kind(scope: tuple[int, int] | None) -> list[Mention]:
        # the names of the kind in a scope (found by bisection: a long line of numbers was quadratic)
        return [
            m
            for m in t.mentions_in(scope)
            if m.type == kind
            and not is_compared(m, t, w.sent)
            and not (kind == "MODEL" and _listed_after_compared(m, t, w.sent))
        ]

    def reachable(m: Mention) -> bool:
        lo, hi = (m.end, at.start) if m.end <= at.start else (at.end, m.start)
        own = clause_of(t.masked, m.start, m.end, *w.sent)
        numbers = [f for f in w.siblings if own[0] <= f.start < own[1]]
        if (
            m.end <= at.start
            and all(f.start >= m.end for f in numbers)
            and not of_kind((m.end, at.start))
        ):
            return True  # the clause's subject, before all its numbers: "Llama-3-8B在A100上提升1.2倍、在L40S上1.4倍"
        if kind == "MODEL" and _owned_later(m, at, own, w, numbers):
            return False
        return not is_blocked(t.masked, at, lo, hi, numbers)

    in_clause = [m for m in of_kind(w.clause) if reachable(m)]
    names = list(dict.fromkeys(m.name for m in in_clause))
    if kind == "MODEL" and _several_models(in_clause, t.masked):
        return None  # "Qwen14b～30B-A3B", "OPT-30B/66B": several models, not said which (rule 4)
    if kind == "MODEL" and len(names) == 1 and _listed_with_unfound(in_clause, t.masked):
        return None  # "Mistral、Qwen3、Llama-3.3及DeepSeek-V4-flash": several, the NER found one
    if len(names) == 1:
        return names[0]
    if kind == "HARDWARE" and not names and (by_word := _hardware_by_word(at, t, w)):
        return by_word
    if len(names) > 1:
        peers = [f for f in w.siblings if w.clause[0] <= f.start < w.clause[1]]
        if RESPECTIVELY.search(t.masked, *w.clause) and len(peers) == len(names) and at in peers:
            return names[peers.index(at)]
        if one := one_named(kind, names):
            return one  # a host CPU beside the accelerator
        if kind == "MODEL" and (after := _named_after(at, in_clause, t.masked)):
            return after  # "44×（MobileNetV2）和 7×（ShuffleNetV2）"
        prior = [m for m in in_clause if m.end <= at.start]
        if prior and at.start - prior[-1].end <= 8 and not _in_list(prior[-1], in_clause, t.masked):
            return prior[-1].name
        return None
    if kind == "MODEL" and _SEVERAL_MODELS.search(t.masked, w.sent[0], w.clause[1]):
        return None  # "在三个模型上分别实现了 3.39倍/4.27倍/3.31倍": over several models (rule 4)
    scopes: list[tuple[int, int] | None] = [
        w.header_cell,
        w.sent,
        w.row_group,
        w.item,
        w.parent,
        w.table_lead_in,
        w.table_above,
        w.heading,
    ]
    if kind == "HARDWARE":
        scopes += _outer_headings(t, w)
    for scope in scopes:
        if scope is None:
            continue
        if (
            kind == "MODEL"
            and scope is w.sent
            and w.row
            and not any(reachable(m) for m in of_kind(scope))
            and (whole := _header_row_model(t, w))
        ):
            return whole  # "| 方法 | Llama-3.1-70B (RPS) | 提升 |" over "| X | 0.92 | +8% |"
        if scope is w.header_cell or scope is w.table_above:
            headed, one = _header_named(kind, t, scope)
            if headed:
                return one  # None for several: the header says not which (rule 4)
            if kind == "MODEL" and scope is w.table_above and (bold := _bold_row_model(t, w)):
                return bold
            continue
        here = of_kind(scope)
        if scope == w.item and scope != w.sent:
            # the item's name before the claim's sentence leads it in ("- **在 X 上**，... 达到
            # 2.2×"); one named after it is another sentence's ("... 降低 3.8 倍，并支持 X")
            here = [m for m in here if m.end <= w.sent[0]]
        names = list(dict.fromkeys(m.name for m in here if scope != w.sent or reachable(m)))
        if kind == "MODEL" and _several_models(here, t.masked):
            return None
        if kind == "MODEL" and len(names) == 1 and _listed_with_unfound(here, t.masked):
            return None
        if one := one_named(kind, names):
            return one
        if len(names) > 1 or here:
            return None
        if kind == "MODEL" and (sized := _model_of_size(t.masked[slice(*scope)], paper.models)):
            return sized  # "在70B模型上", a row labelled "1.1B": the entry's one model of that size
    fallback = paper.setup.get(kind) if paper.use_setup else None
    if (
        kind == "MODEL"
        and fallback
        and HOSTED_MODEL.search(fallback)
        and not _API_USAGE.search(t.masked, *w.sent)
    ):
        # an agent's or a judge's model behind a vendor's API: the entry's numbers are its
        # method's (kernels, pipelines), not a run of that model. Train claim model F1 0.654 ->
        # 0.658 (16 wrong fewer, 3 right fewer), validation and dev unchanged. A saving of
        # its tokens or cost is its own use, though (_API_USAGE in the sentence): train 0.680
        # -> 0.683 (+4 right, +2 wrong, 5 entries), validation and dev unchanged
        return None
    if kind == "MODEL" and fallback and not has_digit(fallback):
        return None  # a family or an architecture the entry works with, no model a number ran on
    if kind == "MODEL" and fallback and _written_as_several(fallback, t):
        return None
    if kind == "MODEL" and fallback and _only_a_component(fallback, t):
        return None
    return fallback


_LISTED_AFTER = re.compile(rf"\s*\**\s*{_LIST_JOINER}\s*\**\s*")


def _listed_after_compared(m: Mention, t: Text, sent: tuple[int, int]) -> bool:
    """Whether a model is a later item of a list that a comparison opens ("相比GLM-5.1、Kimi-K2.6
    和Qwen-3.5，分别实现了5.9倍、4.8倍和1.6倍"): each item is compared against, as the first is,
    and none is the model the numbers ran on. Not across a comma: "相比 A，B 提升 2 倍"."""
    earlier = [p for p in t.mentions_in((sent[0], m.start)) if p.end <= m.start]
    while earlier:
        p = earlier.pop()
        if not _LISTED_AFTER.fullmatch(t.masked, p.end, m.start):
            return False
        if is_compared(p, t, sent):
            return True
        m = p
    return False


def _header_row_model(t: Text, w: Where) -> str | None:
    """The one model that the header row of the number's table names, in any of its cells
    ("| 方法 | Llama-3.1-70B (RPS) | 提升（vs No Handle） |"), for a row that names none: the
    table measures that model, and its header is part of every row (ANNOTATION.md rule 1).
    A model one runs, with a size or version, as for a column header (`_header_named`). Train
    claim model F1 0.7448 -> 0.7459 (+2 right, +1 wrong, one entry), validation
    0.783/0.514/0.621 -> 0.800/0.571/0.667, dev unchanged. A header that names none: the model
    of the table's reference row (`_reference_row_models`)."""
    header = t.layout.header(w.line)
    if header is None:
        return None
    named = {
        m.name
        for m in t.mentions_in(t.layout.line(header))
        if m.type == "MODEL" and has_digit(m.name)
    }
    if not named:
        named = _reference_row_models(t, header)
    return named.pop() if len(named) == 1 else None


#: the factor of a table's reference row, all its cell says: "1.00×", "**1.0x**"
_UNIT_FACTOR = re.compile(r"1(?:\.0+)?\s*[×xX倍]")


def _reference_row_models(t: Text, header: int) -> set[str]:
    """The models named in the first cell of the rows of a table (below `header`) that state
    the unit factor the others are measured against ("| LLaDA | 78.60 | ... | 1.00× |" over
    "| **FeF-DLLM (step=4)** | ... | **2.33×** |"): the reference run is the model without the
    method, so the table's numbers are measured on it (ANNOTATION.md rules 1-2, the table's own
    rows as its lead-in). Any model, with or without a digit: the row runs it. Train claim model
    F1 0.7459 -> 0.7479 (+3 right, +1 wrong), validation and dev unchanged."""
    found: set[str] = set()
    index = header + 2
    while index < len(t.layout.line_starts) and t.layout.is_row(index):
        cells = t.layout.cells(index)
        if cells and any(_UNIT_FACTOR.fullmatch(t.masked[a:b].strip(" *")) for a, b in cells[1:]):
            found |= {m.name for m in t.mentions_in(cells[0]) if m.type == "MODEL"}
        index += 1
    return found


def _bold_row_model(t: Text, w: Where) -> str | None:
    """The one model that the table right above the number's note sets in bold in a row's first
    cell ("| **Polyglot-Lion-1.7B** | **0.104** |" over "> ✅ 推理速度快约 20×"): the table's
    own row, whose gain the note sums up (ANNOTATION.md rule 2, the lead-in). Train claim model
    +2 right, none wrong, validation and dev unchanged."""
    if w.table_above is None:
        return None
    index = t.layout.line_index(w.table_above[0])
    bold: set[str] = set()
    while t.layout.is_row(index):
        cells = t.layout.cells(index)
        if cells and t.text[slice(*cells[0])].strip().startswith("**"):
            bold |= {m.name for m in t.mentions_in(cells[0]) if m.type == "MODEL"}
        index += 1
    if len(bold) != 1 or bold & {m.name for m in t.mentions_in(w.sent)}:
        return None  # several, or one the note itself compares with ("略优于 FastText")
    return bold.pop()


def _owned_later(
    m: Mention, at: Found, own: tuple[int, int], w: Where, numbers: list[Found]
) -> bool:
    """Whether a model named after the number, in a later clause of its sentence, is that
    clause's own numbers' model ("内核级加速 1.57–2.49×，在 Qwen3-32B 上端到端加速 1.97×"):
    the later clause states its own measurement on it, and the number before says not which
    model it ran on (ANNOTATION.md rule 1: the model of *that* measurement)."""
    return m.start >= at.end and own != w.clause and any(f != at for f in numbers)


def _heading_depth(line: str) -> int:
    """The level of a Markdown heading line (the number of its leading ``#``), 0 for any other
    line: where a heading's section ends, and which headings a section sits under."""
    stripped = line.lstrip()
    return len(stripped) - len(stripped.lstrip("#"))


def _outer_headings(t: Text, w: Where) -> list[tuple[int, int]]:
    """The Markdown headings that the number's own heading sits under, nearest first ("### 在
    A100-80GB 上的结果" over "#### 吞吐" over the table): the lead-in of a section holds for
    its sub-sections too (ANNOTATION.md rule 2). Not the entry's title heading (the first
    line). Read for hardware only: train claim hardware +9 right, 1 wrong fewer, validation and
    dev unchanged; for the model train lost 19 wrong more for one right and dev 4 wrong more
    (a section's model is mostly one of a comparison's several)."""
    if w.heading is None:
        return []
    key = ("outer headings", w.heading)
    if key not in t.memo:
        layout = t.layout
        index = layout.line_index(w.heading[0])
        level = _heading_depth(layout.line_text(index)) or 7
        found = []
        for i in range(index - 1, 0, -1):
            depth = _heading_depth(layout.line_text(i))
            if 0 < depth < level:
                found.append(layout.line(i))
                level = depth
        t.memo[key] = found
    return t.memo[key]


#: a vendor or an architecture that may stand for the one hardware of the entry it makes
_MAKER = re.compile(
    rf"(?<![A-Za-z])({word_lists.alternation('hardware-vendors', tags='maker')}"
    rf"|{word_lists.alternation('hardware-generations')})(?![A-Za-z])"
)


#: what ends one item of a list of hardware ("RTX 3090（Ampere）、RTX 5090（Blackwell）")
_ITEM_END = "、:：/|"


def _hardware_by_word(at: Found, t: Text, w: Where) -> str | None:
    """The one hardware of the entry that a vendor or architecture in the number's clause or
    row label stands for ("Intel CPU 上达 +14.33%", "2.94×（Ampere）", "| CUDA GPU（NVIDIA） |"):
    the one whose name or whose own clause says that word ("RTX 3090（Ampere架构）"); none where
    the clause says two words or the word stands for several. (Not Pascal or Ada: method
    names too.) Train claim hardware F1 0.827 -> 0.829 (+4 right, none wrong, 3 entries),
    validation and dev unchanged."""
    key = ("hardware by word",)
    if key not in t.memo:
        made: dict[str, set[str]] = {}
        for m in t.mentions:
            if m.type != "HARDWARE":
                continue
            line = t.layout.line(t.layout.line_index(m.start))
            lo, hi = clause_of(t.masked, m.start, m.end, *line)
            lo = max([lo, *(i + 1 for i in range(lo, m.start) if t.masked[i] in _ITEM_END)])
            hi = next((i for i in range(m.end, hi) if t.masked[i] in _ITEM_END), hi)
            for said in (*_MAKER.findall(m.name), *_MAKER.findall(t.text[lo:hi])):
                made.setdefault(said.casefold(), set()).add(m.name)
        t.memo[key] = made
    made = t.memo[key]
    after = re.match(r"[\s*]*[（(]\s*" + _MAKER.pattern, t.masked[at.end : at.end + 24])
    if after:
        words = {after.group(1)}
    else:
        words = set(_MAKER.findall(t.masked, *w.clause))
        if w.row_label:
            words |= set(_MAKER.findall(t.masked, *w.row_label))
    named = {n for word in words for n in made.get(word.casefold(), ())}
    return named.pop() if len(words) == 1 and len(named) == 1 else None


#: a name followed by another item of a list ("RTX 3090 & 5090", "A100/H100")
_MORE_LISTED = re.compile(rf"\s*(?:[&、,，/]|{LIST_CONJUNCTIONS})\s*[A-Za-z0-9]", re.IGNORECASE)


def _header_named(kind: str, t: Text, cell: tuple[int, int]) -> tuple[bool, str | None]:
    """Whether the number's column header names a model (or hardware), and the one it names
    (ANNOTATION.md rule 1: the column header is part of the row: "| Kernel | GH200 (GDOF/s) |
    GB200 (GDOF/s) |"); None for several. A list in the header names several even where the
    NER found only the first ("平均加速比（RTX 3090 & 5090）"). For a model, only a model one
    runs, with a size or version: a column headed by a name without a digit is mostly the
    paper's own system typed a model (train: 4 such columns, none a gold model). Train claim
    hardware F1 0.822 -> 0.824 (+6 right, 2 entries), model 0.669 -> 0.671 (+2 right), validation
    and dev unchanged."""
    named = [m for m in t.mentions_in(cell) if m.type == kind]
    if kind == "MODEL":
        named = [m for m in named if has_digit(m.name)]
    if any(_MORE_LISTED.match(t.masked, m.end, cell[1]) for m in named):
        return True, None
    return bool(named), one_named(kind, [m.name for m in named])


#: another size of the model right after its name: "Qwen14b～30B-A3B", "Llama7B至30B",
#: "Wan-2.1-1.3b/14b", "OPT-30B/66B"
_MORE_SIZES = re.compile(
    rf"\s*(?:[~～至到–/、]|-(?=\s*\d)|{LIST_CONJUNCTIONS})\s*\d+(?:\.\d+)?\s?[BM](?![a-z])",
    re.IGNORECASE,
)


_ONE_SIZE = r"(?:\d+(?:\.\d+)?\s?[BMK]|base|large|small|tiny|mini|medium|xl)(?![A-Za-z0-9])"

#: the sizes of a family written after its name: "Llama2系列，涵盖 **7B、13B、30B 和 70B**",
#: "**Qwen3**（0.6B ~ 32B）", "`Flan-T5`（Base, Large）", "MiniCPM-4 最大8B模型". Train claim model
#: F1 0.7426 -> 0.7437 (4 wrong fewer, 1 right lost), validation and dev unchanged
_SIZES_AFTER = re.compile(
    r"[*`\s]*(?:系列|家族|series|family)?(?:模型|models?)?[\s，,：:]*(?:涵盖|包括|including)?"
    rf"[\s*（(]*(?:{_ONE_SIZE}[\s*]*(?:[~～至到–/、,，&]|和|及|and|to)[\s*]*{_ONE_SIZE}|最大\s*{_ONE_SIZE})",
    re.IGNORECASE,
)


def _sizes_listed(named: list[Mention], masked: str) -> bool:
    """Whether a model name is one of a range or list of its sizes that the NER read as the
    first size alone: the text names several models there (ANNOTATION.md rule 4). Train claim
    model P/R/F1 0.779/0.593/0.674 -> 0.788/0.593/0.677 (7 wrong fewer, 5 entries, none right
    lost), validation and dev unchanged."""
    return any(
        _MORE_SIZES.match(masked, m.end, m.end + 24)
        or _SIZES_AFTER.match(masked, m.end, m.end + 40)
        for m in named
    )


#: the largest of several models the entry ran, right before its name: "最大Qwen3-235b"
_LARGEST_BEFORE = re.compile(
    rf"(?:{word_lists.alternation('several-models-words', tags='largest')})\s*$", re.IGNORECASE
)

#: a number over several models: "在所有模型族上", "在三个模型上", "across five model families"
_SEVERAL_MODELS = re.compile(
    word_lists.alternation("several-models-words", tags="plural"), re.IGNORECASE
)


def _several_models(named: list[Mention], masked: str) -> bool:
    """Whether a found model stands for several the text names there: a range or list of its
    sizes (`_sizes_listed`), or the largest of the models run ("SGLang, A100, 最大Qwen3-235b,
    ... 实现了40%的端到端延迟降低"): not said which one a number is of (ANNOTATION.md rule 4)."""
    return _sizes_listed(named, masked) or any(
        _LARGEST_BEFORE.search(masked, max(0, m.start - 12), m.start) for m in named
    )


def _written_as_several(model: str, t: Text) -> bool:
    """Whether the entry writes its one model as one of several it ran ("Llama 3.2 1B 和 3B",
    "最大Qwen3-235b"): the setup names several models and says not which one a number was
    measured on (ANNOTATION.md rule 4), though the NER found one. Train claim model 3 wrong
    fewer, validation and dev unchanged."""
    key = ("written as several", model)
    if key not in t.memo:
        named = [m for m in t.mentions if m.type == "MODEL" and m.name == model]
        t.memo[key] = _several_models(named, t.masked) or any(_one_of_items(m, t) for m in named)
    return bool(t.memo[key])


#: what a model does as one part of a pipeline: encoder, embedder, judge, retriever
#: (component-model-words.txt)
_COMPONENT = re.compile(word_lists.alternation("component-model-words"), re.IGNORECASE)


def _only_a_component(model: str, t: Text) -> bool:
    """Whether the entry names its one model only as a part of its pipeline, each mention in a
    clause that says what the part does ("编码器：DeBERTa-v3-small", "使用 all-MiniLM-L6-v2 生成段
    落嵌入", "使用 GPT-4o-mini 进行答案评判"): the numbers are the pipeline's, and the entry states
    no model they ran on (ANNOTATION.md rule 4), as with a hosted judge (HOSTED_MODEL). Train
    claim model F1 0.7437 -> 0.7448 (4 wrong fewer, 1 right lost: "Answer Model & Judge Model:
    gpt-4o-mini"), validation and dev unchanged; with a teacher too, 6 right lost (a student
    started from the teacher's weights is measured as it)."""
    key = ("only a component", model)
    if key not in t.memo:
        named = [m for m in t.mentions if m.type == "MODEL" and m.name == model]
        t.memo[key] = bool(named) and all(
            _COMPONENT.search(t.masked, *_clause_around(m, t.layout, t.masked)) for m in named
        )
    return bool(t.memo[key])


#: the marker of a list item
_ITEM = re.compile(r"\s*(?:[-*+•]|\d{1,3}[.)、])\s")

#: a list item that is a label with its value ("- **硬件**：A100"), not one name of a list
_LABELLED_ITEM = re.compile(r"\s*(?:[-*+•]|\d{1,3}[.)、])\s+[^:：\n]{1,30}[:：]\s*\S")

#: an item that is one name alone (\x00 for it), with its aside: "  - **Qwen3**（0.6B ~ 32B）"
_NAME_ITEM = re.compile(
    r"\s*(?:[-*+•]|\d{1,3}[.)、])\s+[*`\s]*\x00[*`\s]*(?:[（(][^)）\n]*[)）])?[\s*`；;，,。.]*"
)


def _one_of_items(m: Mention, t: Text) -> bool:
    """Whether a model is named in one item of a list of several items that a line ending in a
    colon opens ("- **模型**：" over "  - LLaDA-1.5" and "  - Dream", "在五种 LLM 上测试：" over
    one item a model each): the entry lists several models, though the NER found one, and the
    setup then names no one model for the numbers (ANNOTATION.md rule 4). An item that is a
    label ("- 对比模型：...") or a sentence is no other model. Train claim model P/R/F1
    0.824/0.669/0.7385 -> 0.838/0.667/0.7426 (12 wrong fewer, 2 right lost: a list's item marked
    "（主模型）"), validation and dev unchanged."""
    layout = t.layout
    index = layout.line_index(m.start)
    line = layout.line_text(index)
    if not _NAME_ITEM.fullmatch(line.replace(t.text[m.start : m.end], "\x00", 1)):
        return False
    parent = layout.parent(index)
    if parent is None or not t.text[slice(*parent)].rstrip().rstrip("*").rstrip().endswith(
        (":", "：")
    ):
        return False
    indent = len(line) - len(line.lstrip())
    siblings = 0
    for i in range(layout.line_index(parent[0]) + 1, len(layout.line_starts)):
        other = layout.line_text(i)
        if not other.strip():
            break
        depth = len(other) - len(other.lstrip())
        if depth < indent:
            break
        if depth == indent and _ITEM.match(other) and not _LABELLED_ITEM.match(other):
            siblings += 1
    return siblings >= 2


#: what a hosted model's own use costs: its tokens and price
_API_USAGE = re.compile(word_lists.alternation("api-usage-words"), re.IGNORECASE)


_SIZE = re.compile(r"(?<![A-Za-z0-9.])(\d+(?:\.\d+)?)\s?([BM])(?![A-Za-z0-9])")


def _model_of_size(text: str, models: Iterable[str]) -> str | None:
    """The one model of the entry whose name carries the size `text` names (70B, 1.1B), when
    the text names one size and one model has it."""
    if not models:
        return None
    sizes = {f"{m[1]}{m[2]}".lower() for m in _SIZE.finditer(text)}
    if len(sizes) != 1:
        return None
    size = sizes.pop()
    pattern = re.compile(rf"(?<![\d.]){re.escape(size)}(?![a-z0-9])", re.IGNORECASE)
    found = [m for m in models if pattern.search(m.replace(" ", ""))]
    return found[0] if len(found) == 1 else None


#: a name the NER did not find, listed right before or after a found one ("Mistral、Qwen3、
#: Llama-3.3及DeepSeek-V4-flash", "LLaMA、OPT、Vicuna 等系列", "llama2/qwen2.5"): a word with a capital
#: or a lower-case word with a digit, not masked; not a comma, which often ends a lead-in
_UNFOUND_NAME = rf"(?:{_CAPITALISED_NAME}|[a-z]+-?\d[\w.+-]*)"
_LIST_JOIN = rf"\s*\**\s*{_LIST_JOINER}\s*\**\s*"
_UNFOUND_AFTER = re.compile(_LIST_JOIN + _UNFOUND_NAME)
_UNFOUND_BEFORE = re.compile(rf"(?<![\w.+-]){_UNFOUND_NAME}{_LIST_JOIN}$")


def _listed_with_unfound(named: list[Mention], masked: str) -> bool:
    """Whether a found model is one item of a list whose other items the NER did not find: the
    text names several models there and does not say which one a number is of (rule 4)."""
    return any(
        _UNFOUND_AFTER.match(masked, m.end, m.end + 40)
        or _UNFOUND_BEFORE.search(masked, max(0, m.start - 40), m.start)
        for m in named
    )


#: the opening of the parentheses right after a number, past its unit's word and bold marks
#: ("**44×**（", "1.69倍加速（", "2.4x (")
_ASIDE_AFTER = re.compile(r"[*\s]*(?:[\u4e00-\u9fff]{1,4}[*\s]*)?[（(]")


def _named_after(at: Found, named: list[Mention], masked: str) -> str | None:
    """The one name in the parentheses right after the number, where its clause names several
    ("减少了 44×（MobileNetV2）和 7×（ShuffleNetV2）", "1.69倍加速（MiniCPM4.1-8B，相比Sparse）
    和1.40倍加速（NOSA-8B，...）"): the aside says which one the number was measured on
    (ANNOTATION.md rule 1, the claim's own words), the others are their own numbers'."""
    opening = _ASIDE_AFTER.match(masked, at.end)
    if opening is None:
        return None
    aside = aside_of(asides_in(masked, opening.end() - 1, opening.end()), opening.end() - 1)
    if aside is None:
        return None
    inside = {m.name for m in named if aside[0] < m.start and m.end < aside[1]}
    return inside.pop() if len(inside) == 1 else None


def _in_list(m: Mention, others: list[Mention], masked: str) -> bool:
    """Whether a mention is one item of a list of names ("H100/B200", "A100、A40、H200")."""
    for o in others:
        if o is m:
            continue
        lo, hi = (o.end, m.start) if o.end <= m.start else (m.end, o.start)
        if 0 <= hi - lo <= 3 and _LISTED_OR_NONE.fullmatch(masked[lo:hi]):
            return True
    return False


def condition_of(at: Found, t: Text, w: Where) -> str | None:
    """Sequence length, batch size, sparsity, precision... stated with the number, as text."""
    scopes = [w.clause]
    if w.row:
        scopes += [c for c in t.layout.cells(w.line) if not c[0] <= at.start < c[1]][:2]
    else:
        scopes.append((w.sent[0], w.clause[0]))
    parts: list[str] = []
    for lo, hi in scopes:
        for match in CONDITIONS.finditer(t.masked, lo, hi):
            part = " ".join(t.text[match.start() : match.end()].split())
            if (
                match.start() <= at.start < match.end()
                or part in parts
                or re.fullmatch(r"[\d.,\s]+", part)
            ):
                continue
            parts.append(part)
    return "; ".join(parts) or None
