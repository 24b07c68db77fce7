"""Assign technique areas (topics of schema/topics.ttl) to a paper from cue words in its text.

The cue words are data (`ingest/nlp/patterns/topics.jsonl`); a test keeps their
topic ids in step with the concept scheme. Every paper gets at least one topic:
when no area has enough cue hits, the one with most hits, else ``other``. The
methods a paper proposes inherit its topics (kg/mapping.py).
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

MIN_HITS = (
    2  # a topic needs two cue hits (or one in the title) so a passing word does not tag a paper
)
FALLBACK = "other"  # the concept for a paper whose text names no technique area


@cache
def topic_cues() -> dict[str, tuple[str, ...]]:
    text = (
        files("techclaims.ingest.nlp").joinpath("patterns/topics.jsonl").read_text(encoding="utf-8")
    )
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return {row["topic"]: tuple(cue.casefold() for cue in row["cues"]) for row in rows}


def topic_scores(title: str, text: str) -> dict[str, int]:
    """Cue hits per topic, a hit in the title counted thrice."""
    title, text = title.casefold(), text.casefold()
    return {
        topic: sum(3 * title.count(cue) + text.count(cue) for cue in cues)
        for topic, cues in topic_cues().items()
        if cues
    }


def assign_topics(title: str, text: str, limit: int = 3) -> tuple[str, ...]:
    """The (at most `limit`, at least one) topics whose cues the paper uses most.

    >>> assign_topics("QServe: W4A8KV4 Quantization for LLM Serving", "")
    ('quantization', 'serving')
    >>> assign_topics("A Study of Something Else", "one passing mention of a kernel")
    ('kernels',)
    >>> assign_topics("Untitled", "")
    ('other',)
    """
    scores = topic_scores(title, text)
    folded = title.casefold()
    kept = {
        topic: score
        for topic, score in scores.items()
        if score >= MIN_HITS + (0 if any(cue in folded for cue in topic_cues()[topic]) else 1)
    }
    if not kept:
        best = max(scores.values(), default=0)
        if best == 0:
            return (FALLBACK,)
        kept = {topic: score for topic, score in scores.items() if score == best}
    ranked = sorted(kept, key=lambda t: (-kept[t], t))
    return tuple(ranked[:limit])
