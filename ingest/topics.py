"""Assign technique areas (topics of schema/topics.ttl) to a paper from cue words in its text.

The cue words are data (`ingest/nlp/patterns/topics.jsonl`); a test keeps their
topic ids in step with the concept scheme.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

MIN_HITS = 2  # a topic needs two cue hits (or one in the title) so a passing word does not tag a paper


@cache
def topic_cues() -> dict[str, tuple[str, ...]]:
    text = files("ingest.nlp").joinpath("patterns/topics.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return {row["topic"]: tuple(cue.casefold() for cue in row["cues"]) for row in rows}


def assign_topics(title: str, text: str, limit: int = 3) -> tuple[str, ...]:
    """The (at most `limit`) topics whose cues the paper uses most, title hits counted thrice.

    >>> assign_topics("QServe: W4A8KV4 Quantization for LLM Serving", "")
    ('quantization', 'serving')
    """
    title, text = title.casefold(), text.casefold()
    scores: dict[str, int] = {}
    for topic, cues in topic_cues().items():
        score = sum(3 * title.count(cue) + text.count(cue) for cue in cues)
        if score >= MIN_HITS + (1 if not any(cue in title for cue in cues) else 0):
            scores[topic] = score
    ranked = sorted(scores, key=lambda t: (-scores[t], t))
    return tuple(ranked[:limit])
