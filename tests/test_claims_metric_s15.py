"""A claim's metric word, session 15: on made-up entries through the real pipeline."""

from __future__ import annotations

import pytest
from entry_claims import claims
from spacy.language import Language


@pytest.mark.parametrize(
    "body",
    [
        "- FooServe 的 VRAM 使用减少 1.71 倍。",
        "- **VRAM 使用**：相较于 BarCache，FooServe 平均减少 1.71 倍的 GPU 存储使用。",
        "- FooServe cuts vram usage by 1.71x.",
    ],
)
def test_vram_is_memory(nlp: Language, body: str) -> None:
    # VRAM is the GPU's memory: a number about it is a memory claim, not the title's speed
    assert [(c.value, c.metric) for c in claims(nlp, body)] == [(1.71, "memory")]
