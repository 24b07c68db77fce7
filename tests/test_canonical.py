"""One node per real thing: canonical names, types, families, parameters, vendors and broader nodes,
and the check that no two nodes of the graph share a normalised label."""

from __future__ import annotations

import pytest
from entry_claims import paper_of
from example_store import example_store
from hypothesis import given
from hypothesis import strategies as st
from spacy.language import Language

from techclaims.ingest.canonical import canonical, family_label, parameters_of
from techclaims.ingest.papers import hardware_extent, unify_types
from techclaims.kg.sparql import load
from techclaims.kg.store import open_store
from techclaims.schema.iris import entity_iri, norm_key
from techclaims.schema.records import Claim, Entity, Paper, Span


@pytest.mark.parametrize(
    "spelling", ["Qwen3 32B", "Qwen3-32B", "qwen-3-32b", "QWEN3_32B", "Qwen 3 32B"]
)
def test_spellings_of_one_model_are_one_node(spelling: str) -> None:
    c = canonical("MODEL", spelling)
    assert entity_iri("MODEL", c.name) == entity_iri("MODEL", "Qwen3-32B")
    assert (c.family, c.parameters) == ("Qwen3", 32.0)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Llama-3-8B", "Llama-3.1-8B"),
        ("Qwen2.5-7B", "Qwen2.5-7B-Instruct"),
        ("A100", "A100-80GB"),
        ("Gemma3-1B", "Gemma3-4B"),
        ("FlashAttention-2", "FlashAttention-3"),
    ],
)
def test_look_alikes_stay_apart(a: str, b: str) -> None:
    label = "HARDWARE" if a.startswith("A100") else "METHOD" if a.startswith("Flash") else "MODEL"
    assert entity_iri(label, canonical(label, a).name) != entity_iri(
        label, canonical(label, b).name
    )


def test_models_no_list_holds_are_parsed() -> None:
    c = canonical("MODEL", "Llama-3.1-8B-Instruct")
    assert (c.name, c.family, c.parameters, c.broader) == (
        "Llama-3.1-8B-Instruct",
        "Llama-3.1",
        8.0,
        "Llama-3.1-8B",
    )
    c = canonical("MODEL", "Granite-350M")
    assert (c.family, c.parameters, c.broader) == ("Granite", 0.35, "Granite")
    c = canonical("MODEL", "Qwen3-30B-A3B-Instruct")
    assert (c.family, c.parameters, c.broader) == ("Qwen3", 30.0, "Qwen3-30B-A3B")


def test_hardware_vendor_family_and_broader() -> None:
    c = canonical("HARDWARE", "A100-80GB")
    assert (c.vendor, c.family, c.broader) == ("NVIDIA", "Ampere", "A100")
    c = canonical("HARDWARE", "NVIDIA A100-40GB PCIe")
    assert (c.name, c.vendor, c.broader) == ("A100-40GB PCIe", "NVIDIA", "A100-40GB")
    c = canonical("HARDWARE", "MTIA v3")
    assert (c.name, c.vendor, c.broader) == ("MTIA v3", "Meta", "MTIA")
    assert canonical("HARDWARE", "NVIDIA H100").name == canonical("HARDWARE", "H100").name == "H100"
    c = canonical("HARDWARE", "Intel Core Ultra 9 285HX")
    assert (c.name, c.vendor) == ("Core Ultra 9 285HX", "Intel")


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("NVIDIA A800 GPU", "A800"),
        ("Ascend 910B NPU", "Ascend 910B"),
        ("NVIDIA A100 (80GB)", "A100-80GB"),
        ("NVIDIA V100（32GB）", "V100-32GB"),
        ("Nvidia A100 (80GB) GPU", "A100-80GB"),
        ("Cloud TPU", "Cloud TPU"),  # no part number: the word is the name
    ],
)
def test_a_part_written_with_its_kind_or_its_memory_in_brackets(written: str, name: str) -> None:
    """The processor word after a part number and brackets round its memory are how a text
    writes the part, not another part: one node, the written form kept as a spelling."""
    assert canonical("HARDWARE", written).name == name


def test_the_written_extent_of_a_part() -> None:
    """What names the part in the text (the spelling annotators copy): the vendor before it,
    its form factor and the kind of processor after a part number."""
    text = "on NVIDIA A100 PCIe GPUs, 8 H100 GPUs and the Ascend 910B NPU; a Cloud TPU pod"
    spans = {
        w: hardware_extent(text, text.index(w), text.index(w) + len(w))
        for w in ("A100", "H100", "Ascend 910B", "Cloud TPU")
    }
    assert {w: text[a:b] for w, (a, b) in spans.items()} == {
        "A100": "NVIDIA A100 PCIe GPUs",
        "H100": "H100 GPUs",
        "Ascend 910B": "Ascend 910B NPU",
        "Cloud TPU": "Cloud TPU",
    }


def test_a_part_keeps_every_spelling_the_text_gives_it(nlp: Language) -> None:
    """One node for "NVIDIA A800 GPU", its spellings with and without the processor word and
    the bare part as the text writes them: a reader (or an annotator) may use any of them."""
    paper = paper_of(
        nlp, "实验在 NVIDIA A800 GPU 与 A6000 上进行，吞吐提升 2 倍。", title="FooServe: Fast"
    )
    parts = {e.name: set(e.aliases) for e in paper.entities if e.type == "HARDWARE"}
    assert {"NVIDIA A800 GPU", "NVIDIA A800", "A800"} <= {*parts["A800"], "A800"}
    assert len(parts) == 2


def test_a_bare_mention_of_another_part_is_not_a_spelling(nlp: Language) -> None:
    """ "A100" in "A100 PCIe GPU" names the broader part: it stays that node's label, not a
    second label of A100 PCIe (two nodes would share one label)."""
    paper = paper_of(
        nlp, "在 NVIDIA A100 PCIe GPU 与 A100 上测试，吞吐提升 2 倍。", title="FooServe: Fast"
    )
    parts = {e.name: set(e.aliases) for e in paper.entities if e.type == "HARDWARE"}
    assert "A100" not in parts["A100 PCIe"]  # else the A100 node of another paper shares it
    assert "NVIDIA A100 PCIe GPU" in parts["A100 PCIe"]


def test_methods_with_a_run_configuration_or_a_version_letter() -> None:
    assert canonical("METHOD", "SGLang-1024").name == "SGLang"
    assert canonical("METHOD", "FlashAttention V3").name == "FlashAttention-3"
    assert canonical("METHOD", "TraceRL").name == "TraceRL"


def test_types_come_from_the_knowledge_base_not_the_mention() -> None:
    assert canonical("METHOD", "DeepSeek-OCR").type == "MODEL"  # the gazetteer lists it
    assert canonical("METHOD", "GPT-5").type == "MODEL"  # a model family pattern spells it
    assert family_label("TraceRL") is None and canonical("METHOD", "TraceRL").type == "METHOD"


@pytest.mark.parametrize(
    ("size", "billions"),
    [("8B", 8.0), ("1.5B", 1.5), ("350M", 0.35), ("30B-A3B", 30.0), ("8x7B", None)],
)
def test_parameters(size: str, billions: float | None) -> None:
    assert parameters_of(size) == billions


_FAMILIES = st.sampled_from(
    ["Qwen3", "Qwen2.5", "Llama-3.1", "Llama-3", "Gemma3", "OPT", "Mistral", "Phi-3"]
)
_SIZES = st.sampled_from(["1B", "7B", "8B", "13B", "32B", "70B", "0.5B"])
_SEPS = st.sampled_from(["-", " ", "_", ""])


@given(_FAMILIES, _SIZES, _SEPS, _SEPS, st.booleans())
def test_a_model_is_one_node_however_it_is_spelt(
    family: str, size: str, sep: str, other: str, upper: bool
) -> None:
    written = f"{family}{sep}{size}"
    respelt = f"{family.replace('-', other)}{other}{size}"
    respelt = respelt.upper() if upper else respelt.lower()
    if norm_key(written) == norm_key(respelt):
        assert entity_iri("MODEL", canonical("MODEL", written).name) == entity_iri(
            "MODEL", canonical("MODEL", respelt).name
        )


def test_one_type_per_name_in_a_digest() -> None:
    span = Span(start=0, end=1)
    proposing = Paper(
        key="1",
        title="RLM",
        heading="RLM",
        spans=(span,),
        entities=(Entity(type="METHOD", name="RLM", role="proposed"),),
    )
    evaluating = Paper(
        key="2",
        title="Other",
        heading="Other",
        spans=(span,),
        entities=(Entity(type="MODEL", name="RLM"),),
        claims=(Claim(value=2.0, unit="x", model="RLM", evidence="e", span=span),),
    )
    first, second = unify_types((proposing, evaluating))
    assert [e.type for e in second.entities] == ["METHOD"] and second.claims[0].model is None
    assert first == proposing


# -- the graph -------------------------------------------------------------------------------------


def test_no_two_nodes_share_a_normalised_label_in_the_examples(tmp_path_factory) -> None:
    with open_store(str(example_store(tmp_path_factory)), read_only=True) as store:
        assert list(store.query(load("shared_labels"))) == []
        assert list(store.query(load("shared_labels_across_types"))) == []


def test_variants_link_to_broader_nodes_with_properties(tmp_path_factory) -> None:
    query = """SELECT ?narrow ?broad WHERE { ?n skos:broader ?b . ?n skos:prefLabel ?narrow .
               ?b skos:prefLabel ?broad . ?b a kg:Hardware }"""
    with open_store(str(example_store(tmp_path_factory)), read_only=True) as store:
        pairs = {(row["narrow"].value, row["broad"].value) for row in store.query(query)}
        assert ("A100-80GB", "A100") in pairs
        families = {
            row["f"].value
            for row in store.query(
                "SELECT ?f WHERE { ?m a kg:Model ; kg:family ?f ; kg:parameters ?p }"
            )
        }
        assert families


def test_a_variant_does_not_hang_under_a_thing_of_another_type() -> None:
    span = Span(start=0, end=1)
    paper = Paper(
        key="1",
        title="SWE-World",
        heading="SWE-World",
        spans=(span,),
        entities=(
            Entity(type="METHOD", name="SWE", role="used"),
            Entity(type="MODEL", name="SWE-32B", family="SWE", parameters=32, broader="SWE"),
        ),
    )
    (fixed,) = unify_types((paper,))
    assert {e.name: e.broader for e in fixed.entities} == {"SWE": None, "SWE-32B": None}
