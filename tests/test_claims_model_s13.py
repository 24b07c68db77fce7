"""The model of a measurement (ANNOTATION.md rules 1-4), session 13: on made-up entries through
the real pipeline."""

from __future__ import annotations

import pytest
from entry_claims import claims
from spacy.language import Language


def models(nlp: Language, body: str) -> list[tuple[float, str | None]]:
    return [(c.value, c.model) for c in claims(nlp, body)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # each number's own aside names the model it was measured on
        (
            "- FooServe 的通信开销减少了 **44×**（Llama-3-8B）和 **7×**（Qwen2-7B）。",
            [(44.0, "Llama-3-8B"), (7.0, "Qwen2-7B")],
        ),
        (
            "- FooServe 实现高达 2.5 倍加速（Llama-3-8B，相比 vLLM）和 1.4 倍加速（Qwen2-7B）。",
            [(2.5, "Llama-3-8B"), (1.4, "Qwen2-7B")],
        ),
        # an aside that names no model, or one after another number, says not which
        ("- 在 Llama-3-8B 和 Qwen2-7B 上，FooServe 吞吐提升 2.5 倍（平均值）。", [(2.5, None)]),
    ],
)
def test_a_model_in_the_aside_after_a_number_is_that_numbers(
    nlp: Language, sentence: str, expected: list[tuple[float, str | None]]
) -> None:
    assert models(nlp, sentence) == expected
