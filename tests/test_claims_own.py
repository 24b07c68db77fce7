"""The paper's own method written another way is never its baseline: a made-up table whose header
spells the method in capitals, read with mentions as a resolver that kept the spellings apart
would give them (the rule sits below the resolver, so the test gives the mentions itself)."""

from __future__ import annotations

import pytest

from techclaims.ingest.claims.attribution import baseline_of, is_own
from techclaims.ingest.claims.context import Mention, Text, masked_text, where_of
from techclaims.ingest.claims.layout import Layout
from techclaims.ingest.claims.quantities import find_quantities


def _baselines(text: str, names: list[str], method: str) -> list[str | None]:
    mentions = []
    for name in names:
        start = text.index(name)
        mentions.append(Mention(start, start + len(name), "METHOD", name))
    masked = masked_text(text, mentions)
    found = find_quantities(masked)
    t = Text(text, masked, Layout(text), [], found, mentions)
    return [baseline_of(at, t, where_of(t, at), method) for at in found]


@pytest.mark.parametrize(
    ("header", "names", "expected"),
    [
        ("| 指标 | FOO-SERVE | 提升 |", ["FOO-SERVE"], None),
        ("| 指标 | vLLM | FOO-SERVE | 提升 |", ["vLLM", "FOO-SERVE"], "vLLM"),
    ],
)
def test_a_table_header_naming_the_method_another_way_names_no_baseline(
    header: str, names: list[str], expected: str | None
) -> None:
    cells = header.count("|") - 1
    rule = "|" + "---|" * cells
    row = "| Mean Tok/s |" + " 17.6 |" * (cells - 2) + " 1.27× |"
    text = f"{header}\n{rule}\n{row}\n"
    assert _baselines(text, names, "FooServe") == [expected]


def test_own_is_the_same_name_after_normalisation_only() -> None:
    assert is_own("EAGLE-PANGU", "EAGLE-Pangu") and is_own("KVDRIVE", "KVDrive")
    # an ablation that extends the name is something the paper compares with
    assert not is_own("BOUTE-Homo", "BOUTE") and not is_own("vLLM", "FooServe")
    assert not is_own("vLLM", None)
