"""``techclaims_stacked_ner``: the stacked tok2vec + ner run on the sentences that hold a
rule's name only, with the names put back at the outer doc's offsets, and saved / loaded
as a pipeline inside the component's folder."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from thinc.api import fix_random_seed

from techclaims.ingest.nlp.combine import NER_KEY, RULES_KEY
from techclaims.ingest.nlp.stacked_ner import StackedNer, chosen_runs
from techclaims.ingest.nlp.train import labelling_pipeline

SEEN: list[str] = []


@Language.component("test_stacked_seen")
def _seen(doc: Doc) -> Doc:
    """What the inner pipeline was given (a real component, added to the inner pipeline)."""
    SEEN.append(doc.text)
    return doc


TOK2VEC = {
    "model": {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {
            "@architectures": "spacy.MultiHashEmbed.v2",
            "width": 16,
            "attrs": ["NORM", "SHAPE", "TAG"],
            "rows": [200, 50, 20],
            "include_static_vectors": False,
        },
        "encode": {
            "@architectures": "spacy.MaxoutWindowEncoder.v2",
            "width": 16,
            "depth": 1,
            "window_size": 1,
            "maxout_pieces": 2,
        },
    }
}
NER = {
    "model": {
        "@architectures": "spacy.TransitionBasedParser.v2",
        "state_type": "ner",
        "extra_state_tokens": False,
        "hidden_width": 16,
        "maxout_pieces": 2,
        "use_upper": False,
        "tok2vec": {"@architectures": "spacy.Tok2VecListener.v1", "width": 16, "upstream": "*"},
    }
}


def tagged(vocab: spacy.vocab.Vocab, sentences: list[list[tuple[str, str]]]) -> Doc:
    """A doc of (word, rule tag) sentences, sentence starts set, rule spans from the tags
    in ``doc.spans["rules"]`` (as ``techclaims_lf_tags`` leaves them)."""
    words = [w for s in sentences for w, _ in s]
    tags = [t for s in sentences for _, t in s]
    starts = [i == 0 for s in sentences for i in range(len(s))]
    doc = Doc(vocab, words=words, tags=tags, sent_starts=starts)
    rules, i = [], 0
    while i < len(doc):
        if tags[i].startswith("B-"):
            label = tags[i][2:].split("_")[0]
            j = i + 1
            while j < len(doc) and tags[j].startswith("I-"):
                j += 1
            rules.append(Span(doc, i, j, label=label))
            i = j
        else:
            i += 1
    doc.spans[RULES_KEY] = rules
    return doc


VOTE = "B-METHOD_coined"
PLAIN = [("The", "O"), ("results", "O"), ("are", "O"), ("shown", "O"), (".", "O")]
NAMED = [("We", "O"), ("propose", "O"), ("Zorvex", VOTE), ("here", "O"), (".", "O")]
OTHER = [("Kestrel", VOTE), ("beats", "O"), ("it", "O"), (".", "O")]


@pytest.fixture(scope="module")
def trained() -> Language:
    """A tok2vec + ner that learnt, from two short docs, that a rule's vote is a METHOD."""
    fix_random_seed(0)
    nlp = spacy.blank("xx")
    nlp.add_pipe("tok2vec", config=TOK2VEC)
    nlp.add_pipe("ner", config=NER)
    examples = []
    for sentences in ([PLAIN, NAMED], [OTHER, PLAIN]):
        doc = tagged(nlp.vocab, sentences)
        gold = doc.copy()
        gold.ents = list(doc.spans[RULES_KEY])
        examples.append(Example(doc, gold))
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(40):
        nlp.update(examples, sgd=optimizer, drop=0.0)
    return nlp


def outer(trained: Language, context: int = 0) -> Language:
    nlp = spacy.blank("xx")
    stacked = nlp.add_pipe("techclaims_stacked_ner", config={"context": context})
    assert isinstance(stacked, StackedNer)
    stacked.use(trained)
    assert stacked.inner is not None
    stacked.inner.add_pipe("test_stacked_seen", first=True)
    return nlp


def names(doc: Doc) -> list[tuple[str, int, int, str]]:
    return [(e.text, e.start_char, e.end_char, e.label_) for e in doc.spans[NER_KEY]]


def test_runs_only_the_sentences_with_a_rule_name_and_puts_names_back(trained) -> None:
    nlp = outer(trained)
    doc = tagged(nlp.vocab, [PLAIN, NAMED, PLAIN, PLAIN, OTHER, PLAIN])
    SEEN.clear()
    doc = nlp(doc)
    # two runs, each one sentence, batched into one call of the inner pipeline
    assert SEEN == ["We propose Zorvex here . ", "Kestrel beats it . "]
    assert names(doc) == [
        ("Zorvex", doc.text.index("Zorvex"), doc.text.index("Zorvex") + 6, "METHOD"),
        ("Kestrel", doc.text.index("Kestrel"), doc.text.index("Kestrel") + 7, "METHOD"),
    ]
    assert not doc.ents  # the outer entities are the rules' business
    stacked = nlp.get_pipe("techclaims_stacked_ner")
    assert (stacked.tokens_run, stacked.tokens_seen) == (9, len(doc))
    # a doc without a rule's name is not run at all, and gets an empty group
    SEEN.clear()
    bare = nlp(tagged(nlp.vocab, [PLAIN, PLAIN]))
    assert SEEN == [] and names(bare) == []


def test_context_joins_runs_and_keeps_only_names_in_chosen_sentences(trained) -> None:
    nlp = outer(trained, context=2)
    doc = tagged(nlp.vocab, [PLAIN, NAMED, PLAIN])
    runs, chosen = chosen_runs(doc, doc.spans[RULES_KEY], 2)
    assert runs == [(3, 12)] and chosen.tolist() == [False] * 5 + [True] * 5 + [False] * 5
    SEEN.clear()
    nlp(doc)
    assert SEEN == ["shown . We propose Zorvex here . The results "]
    assert [n[0] for n in names(doc)] == ["Zorvex"]
    # a vote whose name is not among the rules' spans (say, of a label not read): its
    # sentence is not chosen; the ner reads it as context and tags it, and that is dropped
    doc = tagged(nlp.vocab, [[("Kestrel", VOTE), (".", "O")], NAMED])
    doc.spans[RULES_KEY] = [e for e in doc.spans[RULES_KEY] if e.text == "Zorvex"]
    SEEN.clear()
    nlp(doc)
    assert SEEN == ["Kestrel . We propose Zorvex here . "]
    assert [n[0] for n in names(doc)] == ["Zorvex"]
    alone = trained(tagged(trained.vocab, [[("Kestrel", VOTE), (".", "O")], NAMED]))
    assert "Kestrel" in [e.text for e in alone.ents]
    # two chosen sentences closer than twice the context are read as one piece
    doc = tagged(nlp.vocab, [NAMED, PLAIN[:3], OTHER])
    assert chosen_runs(doc, doc.spans[RULES_KEY], 2)[0] == [(0, len(doc))]


def test_same_names_as_the_whole_doc_where_it_runs(trained) -> None:
    """With context at least the encoder's reach, the names in the chosen sentences are
    those the ner finds reading the whole doc."""
    nlp = outer(trained, context=1)
    sentences = [PLAIN, NAMED, PLAIN, OTHER, NAMED, PLAIN]
    doc = nlp(tagged(nlp.vocab, sentences))
    whole = trained(tagged(trained.vocab, sentences))
    chosen = chosen_runs(doc, doc.spans[RULES_KEY], 1)[1]
    expected = [
        (e.text, e.start_char, e.end_char, e.label_)
        for e in whole.ents
        if chosen[e.start : e.end].any()
    ]
    assert expected and names(doc) == expected


def test_save_and_load(trained, tmp_path: Path) -> None:
    nlp = outer(trained)
    nlp.get_pipe("techclaims_stacked_ner").inner.remove_pipe("test_stacked_seen")
    sentences = [PLAIN, NAMED, PLAIN, OTHER]
    before = names(nlp(tagged(nlp.vocab, sentences)))
    nlp.to_disk(tmp_path / "outer")
    assert (tmp_path / "outer" / "techclaims_stacked_ner" / "ner").is_dir()
    loaded = spacy.load(tmp_path / "outer")
    assert loaded.pipe_names == ["techclaims_stacked_ner"]
    inner = loaded.get_pipe("techclaims_stacked_ner").inner
    assert inner.pipe_names == ["tok2vec", "ner"] and inner.vocab is loaded.vocab
    assert names(loaded(tagged(loaded.vocab, sentences))) == before
    # the component's folder is a pipeline by itself
    alone = spacy.load(tmp_path / "outer" / "techclaims_stacked_ner")
    assert alone.pipe_names == ["tok2vec", "ner"]
    unloaded = spacy.blank("xx").add_pipe("techclaims_stacked_ner")
    with pytest.raises(ValueError, match="no trained tok2vec"):
        unloaded(tagged(unloaded.vocab, sentences))


def test_in_the_stacked_pipeline_analyze_pipes_is_happy(trained) -> None:
    nlp = labelling_pipeline()
    stacked = nlp.add_pipe("techclaims_stacked_ner", after="techclaims_lf_tags")
    stacked.use(trained)
    nlp.add_pipe("techclaims_ner_merge", config={"mode": "filter", "rules_key": RULES_KEY})
    problems = nlp.analyze_pipes(pretty=False)["problems"]
    assert not any(problems.values()), problems
    doc = nlp("我们提出了ZorvexServe，在H100上相比vLLM吞吐量提升2.1倍。结果见表。")
    assert NER_KEY in doc.spans and doc.spans[RULES_KEY]
    assert stacked.tokens_run < stacked.tokens_seen  # the second sentence names nothing
