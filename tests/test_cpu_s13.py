"""Session 13's cheaper ingest (docs/scaling.md, "Session 13: CPU"): each change gives the
same result as the code it replaced, on synthetic text."""

from __future__ import annotations

import gc

import numpy
import pytest
import spacy
from spacy.tokens import Doc, Span
from spacy.vectors import Vectors
from spacy.vocab import Vocab

from techclaims.ingest.nlp.combine import RULES_KEY, LfTags, lf_tag
from techclaims.ingest.nlp.gazetteer_matcher import GazetteerRuler
from techclaims.ingest.nlp.stacked_ner import FloretCache


def _floret(vocab: Vocab, rows: int = 50, width: int = 8) -> Vectors:
    data = numpy.random.RandomState(0).uniform(-1, 1, (rows, width)).astype("float32")
    return Vectors(
        strings=vocab.strings,
        data=data,
        mode="floret",
        minn=3,
        maxn=5,
        hash_count=2,
        hash_seed=2166136261,
    )


def test_floret_cache_gives_the_vectors_of_the_table_bit_for_bit() -> None:
    vocab = Vocab()
    words = ["FlashAttention", "GPU", "x", "vLLM-0.6", "GPU", "的", "FlashAttention"]
    keys = numpy.asarray([vocab.strings.add(w) for w in words], dtype="uint64")
    plain = _floret(vocab)
    vocab.vectors = _floret(vocab)
    FloretCache.install(vocab)
    cached = vocab.vectors
    assert isinstance(cached, FloretCache)
    FloretCache.install(vocab)  # once
    assert vocab.vectors is cached
    want = plain.get_batch(keys)
    for batch in (keys, keys[::-1], keys[2:4], keys):  # repeated and new keys, any order
        got = cached.get_batch(batch)
        assert got.dtype == want.dtype and got.flags["C_CONTIGUOUS"]
        assert got.tobytes() == plain.get_batch(batch).tobytes()
    assert len(cached.__dict__["_rows"]) == len(set(words))


def test_floret_cache_starts_again_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    vocab = Vocab()
    plain = _floret(vocab)
    vocab.vectors = _floret(vocab)
    FloretCache.install(vocab)
    monkeypatch.setattr(FloretCache, "limit", 3)
    first = numpy.asarray([vocab.strings.add(w) for w in ["aa", "bb"]], dtype="uint64")
    second = numpy.asarray([vocab.strings.add(w) for w in ["cc", "dd", "aa"]], dtype="uint64")
    vocab.vectors.get_batch(first)
    got = vocab.vectors.get_batch(second)
    assert got.tobytes() == plain.get_batch(second).tobytes()
    assert len(vocab.vectors.__dict__["_rows"]) == 3


def test_floret_cache_leaves_other_tables_alone() -> None:
    vocab = Vocab()
    vocab.vectors = Vectors(strings=vocab.strings, shape=(3, 4))  # default mode
    before = vocab.vectors
    FloretCache.install(vocab)
    assert vocab.vectors is before
    empty = Vocab()
    FloretCache.install(empty)  # no table at all
    assert not isinstance(empty.vectors, FloretCache)


def test_lf_tags_are_the_tags_written_token_by_token() -> None:
    nlp = spacy.blank("en")
    doc = nlp("We propose FooServe on two H100 GPUs with Llama 3 8B , faster .")
    ents = [
        Span(doc, 2, 3, label="METHOD"),
        Span(doc, 5, 6, label="HARDWARE", span_id="h100"),
        Span(doc, 8, 11, label="MODEL"),
    ]
    doc.ents = ents
    doc.spans["lf.regex"] = [ents[2]]
    LfTags(nlp)(doc)
    want = ["O"] * len(doc)
    for ent, function in zip(ents, ["other", "other", "regex"], strict=True):
        for i in range(ent.start, ent.end):
            want[i] = lf_tag(ent, i == ent.start, function)
    assert [t.tag_ for t in doc] == want
    assert [(s.start, s.end) for s in doc.spans[RULES_KEY]] == [(2, 3), (5, 6), (8, 11)]
    assert not doc.ents


def test_lf_tags_on_an_empty_doc() -> None:
    nlp = spacy.blank("en")
    doc = LfTags(nlp)(Doc(nlp.vocab, words=[]))
    assert len(doc) == 0 and list(doc.spans[RULES_KEY]) == []


def test_gazetteer_matches_exact_and_lowercased_spellings_overlapping_ones_too() -> None:
    nlp = spacy.blank("en")
    ruler = GazetteerRuler(nlp)
    ruler.initialize(
        patterns=[
            {"label": "METHOD", "pattern": "Flash Attention", "id": "fa"},
            {"label": "METHOD", "pattern": "Flash", "id": "flash"},
            {"label": "HARDWARE", "pattern": "h100", "id": "h100", "lower": True},
            {"label": "MODEL", "pattern": "Llama 3 8B", "id": "l3"},
        ]
    )
    doc = nlp("Flash Attention on H100 and h100 , Llama 3 but not Llama 3 8 . Flash Llama 3 8B")
    found = sorted((s.start, s.end, s.label_, s.id_) for s in ruler.matches(doc))
    assert found == [
        (0, 1, "METHOD", "flash"),
        (0, 2, "METHOD", "fa"),
        (3, 4, "HARDWARE", "h100"),
        (5, 6, "HARDWARE", "h100"),
        (15, 16, "METHOD", "flash"),
        (16, 19, "MODEL", "l3"),
    ]


def test_freeze_heap_collects_the_young_generation_less_often() -> None:
    from techclaims.ingest import extract

    before = gc.get_threshold()
    try:
        extract._FROZEN.clear()
        extract.freeze_heap()
        assert gc.get_threshold() == extract.GC_THRESHOLD
        assert extract.GC_THRESHOLD[0] > 700
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def test_guarded_if_blind_only_where_the_engine_scans_blind() -> None:
    import re

    from techclaims.ingest.nlp.regex_guard import guarded_if_blind, scans_blind

    blind = re.compile(r"(?<![A-Za-z0-9])(?:(?i:flash)|Paged)(?P<tail>Attention)")
    literal = re.compile(r"加速比(?:为)?\s?\d+")
    assert scans_blind(blind) and not scans_blind(literal)
    assert guarded_if_blind(literal) is literal
    empty = re.compile(r"(?<!a)b*")  # may match nothing: left as it is
    assert not scans_blind(empty) and guarded_if_blind(empty) is empty
    guard = guarded_if_blind(blind)
    assert guard is not blind
    text = "xFlashAttention, flashAttention and PagedAttention; 加速比为3, FLASHAttention"
    assert [(m.span(), m.groupdict()) for m in guard.finditer(text)] == [
        (m.span(), m.groupdict()) for m in blind.finditer(text)
    ]
    assert len(list(guard.finditer(text))) == 3


_CUE_TEXT = (
    "Our kernel cuts end-to-end latency by 35% and raises decoding throughput 2.1x over "
    "vLLM (tokens/s), at 40% less GPU memory; 推理速度提升 3 倍，显存占用降低 40%，首字延迟"
    "缩短 2.5 倍. Compared with FlashAttention-2 it is 1.8x faster in prefill, TTFT-wise."
)


def test_the_guarded_cue_tables_find_what_the_plain_patterns_find() -> None:
    import re

    from techclaims.ingest.claims import vocabulary as v

    for rows, table in (
        (v.BASE_CUES, v.BASE_RES),
        (v.QUALIFIER_CUES, v.QUALIFIER_RES),
        (v.VERB_CUES, v.VERB_RES),
    ):
        plain = [
            re.compile(row[0].replace(r"\b", v._ASCII_BOUNDARY), re.IGNORECASE) for row in rows
        ]
        assert any(r.pattern.startswith("(?=") for r, _ in table)  # guarded
        for (regex, _), unguarded in zip(table, plain, strict=True):
            assert [m.span() for m in regex.finditer(_CUE_TEXT)] == [
                m.span() for m in unguarded.finditer(_CUE_TEXT)
            ]
        plain_table = [(r, rest) for r, (_, rest) in zip(plain, table, strict=True)]
        for start, end in ((0, len(_CUE_TEXT)), (20, 90), (100, 140)):
            assert v._cues_in(_CUE_TEXT, start, end, table) == v._cues_in(
                _CUE_TEXT, start, end, plain_table
            )


def test_regex_entities_find_what_they_found_unguarded(monkeypatch: pytest.MonkeyPatch) -> None:
    from techclaims.ingest.nlp import regex_entities

    text = (
        "We serve Qwen2.5-7B-Instruct and Llama-3.1-8B on an RTX 4090, a Jetson Orin and "
        "H100 GPUs: 3.2x faster decoding, 45% lower latency, 加速比为2.4；吞吐提升 1.7 倍, "
        "W4A8 quantization, vs. DeepSeek-V3 and GPT-4o on a Snapdragon 8 Gen 3 phone."
    )
    guarded = regex_entities.RegexEntities(spacy.blank("xx"))
    found = guarded.find(text)
    monkeypatch.setattr(regex_entities, "guarded_if_blind", lambda pattern: pattern)
    plain = regex_entities.RegexEntities(spacy.blank("xx"))
    assert found == plain.find(text)
    assert plain._family_trigger.pattern != guarded._family_trigger.pattern
    assert {label for _, _, label, _ in found} >= {"MODEL", "HARDWARE", "SPEEDUP"}


def test_the_guarded_proposing_cue_finds_what_it_found_unguarded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from techclaims.ingest.nlp import methods

    text = (
        "## FooServe: fast serving\n本文提出了 **FooServe**，一种新的调度方法。We propose "
        "BarKV, a cache layout, and introduce QuxAttn.\n- **ZedOpt** 是一种优化器"
    )
    nlp = spacy.blank("xx")
    guarded = methods.HeadingMethods(nlp)
    guarded._ensure()
    monkeypatch.setattr(methods, "guarded_if_blind", lambda pattern: pattern)
    plain = methods.HeadingMethods(nlp)
    plain._ensure()
    assert guarded._propose is not None and plain._propose is not None
    assert guarded._propose.pattern != plain._propose.pattern
    found = [(m.span(), m.group("name")) for m in guarded._propose.finditer(text)]
    assert found == [(m.span(), m.group("name")) for m in plain._propose.finditer(text)]
    assert len(found) >= 2
