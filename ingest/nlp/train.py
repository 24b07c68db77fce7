"""Rebuild the NER pipeline: vectors, training data, `spacy train`, assembly.

``python -m techclaims.ingest.nlp.train [--texts ../shared/corpus-extended] [--annotations data/annotations] [--gpu]``
(what `make model` and `kg train` run):

1. `vectors.train_vectors`: floret vectors on the unlabelled digests (test months left
   out), converted with ``spacy init vectors --mode floret`` (kept under the work dir);
2. `training_data.write_training_data`: the gold names of data/annotations/train
   projected onto their entries (a sixth of the papers held out as ``dev.spacy`` for
   spacy train's choice of the best step) plus 1,500 rule-labelled silver entries;
3. `spacy.cli.train.train` trains ``configs/ner.cfg`` with this package imported, as
   ``--code`` would; seeds are fixed (``[system] seed``; floret runs on one thread);
4. `assemble` puts the trained tok2vec + ner into the rules pipeline of
   ``configs/rules.cfg`` and writes it (default ``ingest/nlp/model/``, which
   `load_nlp` prefers).

The stacked recognizer (``--recognizer stacked``, ``configs/ner_lf.cfg``; session 6):
each name rule is recorded as a labelling function (``techclaims_lf_record`` writes
``doc.spans["lf.gazetteer" | "lf.regex" | "lf.heading" | "lf.coined"]``),
``techclaims_lf_tags`` turns their votes into token tags (``B-METHOD_coined``...), and
a tok2vec + ner that embeds those tags beside the words is trained on the annotated
papers alone (no silver: it would learn to copy the tags), so it learns which votes the
annotation counts, in context. ``techclaims_ner_merge`` then combines (``filter``: a
rule's name stays when the ner also tags it, or the roles read it as proposed or
compared against). Cross-fitted over the 909 train papers (three models, each scoring
the third it did not see), it is level with the rules: entity F1 0.683 -> 0.686-0.693
depending on what the filter may drop, paid for in claim baseline F1 (0.544 -> 0.495)
and proposed recall (714 -> 698 of 784) when proposed and compared names are not kept,
and dev falls 0.880 -> 0.860-0.873 (docs/evaluation.md has the table). So it is not
the default and not shipped.

Session 7, with 1,539 train papers and a four-layer encoder (configs/ner_lf.cfg as it is
now), it passed the validation rule written before it was run (entity F1 0.639 -> 0.659,
claim, claim baseline and proposed equal; claim model 0.492 -> 0.582) but costs 1.5x the
CPU and 2.6x the peak memory of a corpus ingest; at the shipped ner's size (width 48,
one layer, no vectors) it gains 0.013 but loses claim baselines (0.456 -> 0.429) and
still costs 1.2x. Neither was the default then.

Session 8 put the trained tok2vec + ner into ``techclaims_stacked_ner``
(ingest/nlp/stacked_ner.py), which runs them only on the sentences that hold a rule's
name (45% of the corpus's tokens; where it runs it gives the whole-doc ner's names
exactly), at 1.03x the CPU of the words-only pipeline. Session 9 rebuilt it the way it
ships (this module, current rules) and checked it against the same rule, written down
before the run (docs/evaluation.md, "Session 9"); it is what `make model` builds
(``--recognizer stacked``, the default) and what ``ingest/nlp/model`` holds.
``--recognizer ner`` builds the words-only ner of ``configs/ner.cfg`` in ``fill`` mode.

The learned recognizer, measured (session 4; paper-level entity P / R / F1 with the
gold entries extracted directly, ``bench/eval.py --direct``; "held-out" is the sixth of
the train papers the ner never saw, 49 with entities; train figures of the model modes
are flattered by training on them):

=================================  ==================  ==================  ==================
pipeline                           dev (40)            held-out train      train (278)
=================================  ==================  ==================  ==================
rules only                         0.865 0.896 0.880   0.624 0.671 0.646   0.659 0.687 0.673
learned ner alone (+ rule SPEEDUP) 0.699 0.743 0.720   0.596 0.694 0.641   0.687 0.746 0.715
fill, gate at 3 mentions           0.861 0.904 0.882   0.618 0.676 0.646   0.656 0.700 0.677
override, gate at 3 mentions       0.841 0.881 0.860   0.622 0.683 0.651   0.663 0.709 0.685
fill, no gate                      0.743 0.917 0.821   0.540 0.757 0.630   0.600 0.793 0.683
=================================  ==================  ==================  ==================

(gold + silver, width 64 / depth 2, 3,000 steps, 33 min on the shared CPU; best
mention-level F on the held-out papers 0.728.) Width 48 / depth 1 scores the same within
0.002 everywhere (fill: 0.882 / 0.645 / 0.677). Gold alone (no silver) reached 0.68
mention F at the same step against 0.72 with silver. On papers it has not seen the
learned ner alone is as good as the rules (0.641 against 0.646) but adds nothing to them
in any combination, and it costs CPU: over ../shared/corpus 14.2 s (width 48) and 18.4 s
(width 64) against 12.2 s for the shipped pipeline. So the shipped pipeline is still the
one trained on the rules' silver labels of ../shared/corpus (commit 94f1afa, 0.774 alone
on dev); `make model` builds the learned one and would replace it.

Earlier measurements (the rule-silver ner, session 3).

How rules and model combine (``--combine``): the ner runs first on the bare text and
its entities are set aside (``techclaims_ner_stash``); the rule components run as in
the rules pipeline; ``techclaims_ner_merge`` (after the coined-name rules, before the
entity filter) then adds the ner's entities:

- ``fill``: where no rule entity overlaps (rules win);
- ``override``: the ner's entities win on overlap (SPEEDUP stays the rules');
- ``model``: the ner's entities replace the rules' names (SPEEDUP stays);
- ``rules``: the ner's entities are dropped (the rules pipeline, for comparison).

After the merge, the entity filter and the roles apply to all names. In ``fill`` and ``override`` a name only the ner found
must pass a gate (`CoinedNames.plausible`: name-like, not generic, and mentioned at
least ``min_mentions`` times in the entry).

Measured on ../shared/gold/dev.jsonl (entity P / R / F1 over all three types, scored as
``kg eval`` scores the store; the ner of ner.cfg trained 1,500 steps, with an upper
layer in the ner; the shipped one without it scores 0.806 / 0.850 / 0.828 in ``fill``
with the gate at three mentions, 1.1 s less CPU over the corpus):

==============================  =====  =====  =====
combination                       P      R      F1
==============================  =====  =====  =====
rules only (ner dropped)        0.817  0.845  0.831
model only (+ rule SPEEDUP)     0.678  0.763  0.718
override, gate, 2 mentions      0.781  0.845  0.812
fill, no gate                   0.337  0.890  0.489  (silver with name-like tokens missing)
fill, gate, 1 mention           0.716  0.843  0.774
fill, gate, 2 mentions          0.782  0.848  0.813
fill, gate, 3 mentions          0.810  0.850  0.830
==============================  =====  =====  =====

With the records layer's size lists, defined acronyms and bare-family handling, the
format, measure and casing rules, and the gate taking distinctive words only (no plain
acronyms: of 42 names the ner alone added over the corpus most were HTML, TSV, HEP...),
the same shipped ner scores 0.886 / 0.888 / 0.887 in ``fill`` (rules only: 0.887 /
0.880 / 0.884).

Retrained on the current rules' silver labels (same ner.cfg, 1,500 steps, seed 0; silver:
310 train / 38 dev entries, 689k tokens, METHOD 11,529, MODEL 1,918, HARDWARE 564; about
one minute of training on the CPU; two runs give byte-identical weights), measured with
``TECHCLAIMS_NLP_MODEL=DIR kg ingest ../shared/corpus`` + ``kg eval`` (P / R / F1; groups
by digest: 000+003 = 22 gold papers, 001/002/004 = 18):

==============================  =================  =====  =====  =====
pipeline                        all (P / R / F1)   000+3  1/2/4  added
==============================  =================  =====  =====  =====
rules only                      0.887 0.880 0.884  0.871  0.891      -
previous ner, fill, gate 3      0.886 0.888 0.887  0.883  0.889     21
retrained (shipped), fill       0.885 0.885 0.885  0.879  0.889     17
retrained seed 1, fill          0.883 0.885 0.884  0.876  0.889      -
retrained seed 2, fill          0.887 0.885 0.886  0.879  0.891      -
previous ner, model only        0.695 0.671 0.683  0.676  0.687      -
retrained, model only           0.778 0.726 0.751  0.755  0.749      -
retrained seed 1, model only    0.716 0.678 0.697  0.721  0.683      -
retrained seed 2, model only    0.761 0.716 0.738  0.729  0.743      -
==============================  =================  =====  =====  =====

("added": (paper, name) pairs the pipeline adds beyond the rules pipeline over the whole
corpus, records layer included.) The retrained ner is a better model on its own (model
only +0.07 F1 at seed 0, +0.01 to +0.07 over three seeds; at seed 0 HARDWARE 0.747 ->
0.901, MODEL 0.749 -> 0.780, METHOD 0.650 -> 0.714; it no longer tags BF16, FP16,
GitHub... that the rules now leave out: 610 distinct names outside the rules' against
765), but behind the gate it adds the same gold names (SmoothAttention, MiniCache) and
the same false positive (InterFormer) save one: AceReason Nemotron, which the shipped
ner reached by tagging "AceReason" as a METHOD next to the rules' MODEL "Nemotron"
(joined by the records layer), one gold entity in 000. Every seed scores 0.001-0.003
lower in ``fill`` (one or two gold entities of 401) and lower on 000+003. The retrained
ner (seed 0, what ``make model`` builds from this code) is nevertheless the one shipped:
the shipped pipeline must be what ``make model`` reproduces, and a model that generalises
better on its own (+0.07 model-only F1, and on both groups) matters more on unseen
digests than one entity won by accident. The retrained ner's other
additions over the corpus (LinSys, DataBuffer, SeerAttention, TCA-TBE, AttentionSpec,
Negativa-ML, OOLONG-Pairs, PointNet, SiLU, Heavy Thinking...) are on papers outside the
gold. Same size (3.3 MB) and speed (40,600 against 41,900 tok/s on one core,
bench/ner_throughput.py run twice in a row) as the one it replaced; shipped, ``kg eval``
gives 0.885 / 0.885 / 0.885 (METHOD 0.853, MODEL 0.939, HARDWARE 0.947).

Later rule rounds (list-mates, passing cues; then measures, sized names, compounds,
defining sentences, docs/quality.md) each ended with ``make model`` on their silver
labels. After the last, seed 0 (P / R / F1, 000+003, 001/002/004, added):

==============================  =================  =====  =====  =====
pipeline                        all (P / R / F1)   000+3  1/2/4  added
==============================  =================  =====  =====  =====
rules only                      0.917 0.915 0.916  0.899  0.926      -
retrained (shipped), fill       0.918 0.920 0.919  0.907  0.926     10
retrained, model only           0.819 0.733 0.774  0.771  0.775      -
==============================  =================  =====  =====  =====

The ner alone reproduces the rules it learnt from only in part (it cannot see the
entry-level evidence the rules use: headings, sections, tables, repeated mentions), so
it does not replace them; what it adds is names in running text that no rule context
covers. Unfiltered, most of those are identifiers, data sets and passing mentions the
gold does not count; behind the gate with three mentions it adds names such as
SmoothAttention and MiniCache (both in the gold, in no list, missed by the rules) for a
few false positives. ``fill`` with the gate at three mentions is the default: it keeps
the rules' precision and lets the model add the names it is sure of.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from .combine import MODES
from .pipeline import MODEL_DIR, NlpSetupError, make_nlp, one_line
from .stacked_ner import StackedNer

__all__ = ["TRAIN_CONFIG", "TRAINING_DIR", "train_ner", "assemble", "main"]

log = logging.getLogger(__name__)

TRAIN_CONFIG = Path(__file__).parent / "configs" / "ner.cfg"
#: The stacked recognizer's config: the ner reads the rules' votes (`combine.LfTags`).
STACKED_CONFIG = Path(__file__).parent / "configs" / "ner_lf.cfg"
TRAINING_DIR = Path(__file__).parent / "training"
DEFAULT_TEXTS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus-extended"
DEFAULT_ANNOTATIONS = Path(__file__).resolve().parents[2] / "data" / "annotations"


def use_gpu(gpu: bool, notice: Any = log.warning) -> int:
    """The GPU id to train on (0), or -1 with a one-line notice when none is usable."""
    if not gpu:
        return -1
    try:
        spacy.require_gpu()
    except Exception as err:  # no cupy, no CUDA device
        notice(f"no usable GPU ({one_line(err)}); training on the CPU")
        return -1
    return 0


def train_ner(
    train: Path,
    dev: Path,
    output: Path,
    *,
    gpu_id: int = -1,
    overrides: dict[str, Any] | None = None,
    config: Path = TRAIN_CONFIG,
) -> Path:
    """Train `config` (``configs/ner.cfg``) on the DocBins; returns the best pipeline's folder."""
    from spacy.cli.train import train as spacy_train

    from . import gold_docs, pipeline  # noqa: F401 (registers the reader, tokenizer, components)

    settings = {"paths.train": str(train), "paths.dev": str(dev), **(overrides or {})}
    if output.exists():
        shutil.rmtree(output)
    spacy_train(config, output, overrides=settings, use_gpu=gpu_id)
    best = output / "model-best"
    return best if best.exists() else output / "model-last"


def assemble(trained: Path | Language, *, combine: str = "fill") -> Language:
    """The rules pipeline with the trained tok2vec + ner in front (see the module
    docstring for `combine`)."""
    if combine not in MODES:
        raise NlpSetupError(f"combine must be one of {MODES}, not {combine!r}")
    model = spacy.load(trained) if isinstance(trained, Path) else trained
    nlp = make_nlp()
    nlp.vocab.vectors = model.vocab.vectors  # the tok2vec reads the floret table through the vocab
    first = nlp.pipe_names[0]
    nlp.add_pipe("tok2vec", source=model, before=first)
    nlp.add_pipe("ner", source=model, after="tok2vec")
    nlp.add_pipe("techclaims_ner_stash", after="ner")
    nlp.add_pipe(
        "techclaims_ner_merge", before="techclaims_entity_filter", config={"mode": combine}
    )
    return nlp


#: The rule components that propose names, each a labelling function (``doc.spans["lf.<name>"]``).
LABELLING_FUNCTIONS = {
    "techclaims_gazetteer": "gazetteer",
    "techclaims_regex_entities": "regex",
    "techclaims_heading_methods": "heading",
    "techclaims_coined_names": "coined",
}


def add_labelling_functions(nlp: Language) -> Language:
    """Put ``techclaims_lf_record`` after each rule that proposes names and
    ``techclaims_lf_tags`` after the last of them: the input of the stacked ner."""
    for component, function in LABELLING_FUNCTIONS.items():
        if component in nlp.pipe_names:
            nlp.add_pipe(
                "techclaims_lf_record",
                name=f"lf_{function}",
                after=component,
                config={"function": function},
            )
    nlp.add_pipe("techclaims_lf_tags", before="techclaims_entity_filter")
    return nlp


def labelling_pipeline() -> Language:
    """The rules up to ``techclaims_lf_tags``: what tags the stacked ner's training text."""
    nlp = add_labelling_functions(make_nlp())
    for name in ("techclaims_entity_filter", "techclaims_method_roles"):
        nlp.remove_pipe(name)
    return nlp


def assemble_stacked(trained: Path | Language, *, combine: str = "filter") -> Language:
    """The rules pipeline with the trained tok2vec + ner reading the rules' votes
    (``configs/ner_lf.cfg``): rule components, ``techclaims_lf_tags``, then
    ``techclaims_stacked_ner`` (the trained tok2vec + ner, run only on the sentences that
    hold a rule's name: in ``filter`` mode the ner matters nowhere else), the merge (rules
    from ``doc.spans["rules"]``), entity filter, roles."""
    if combine not in MODES:
        raise NlpSetupError(f"combine must be one of {MODES}, not {combine!r}")
    model = spacy.load(trained) if isinstance(trained, Path) else trained
    nlp = make_nlp()
    add_labelling_functions(nlp)
    stacked = nlp.add_pipe("techclaims_stacked_ner", after="techclaims_lf_tags")
    assert isinstance(stacked, StackedNer)
    stacked.use(model)
    nlp.add_pipe(
        "techclaims_ner_merge",
        before="techclaims_entity_filter",
        # the ner filters methods and models; hardware stays the gazetteer's (the ner
        # dropped right ones on dev and train: docs/evaluation.md)
        config={"mode": combine, "rules_key": "rules", "judged": ["METHOD", "MODEL"]},
    )
    return nlp


def floret_vectors(texts: Path, workdir: Path) -> Path:
    """floret vectors learnt on the unlabelled digests, converted for spaCy (kept in `workdir`)."""
    import subprocess

    from .vectors import train_vectors

    folder = workdir / "vectors"
    converted = folder / "spacy"
    if (converted / "vocab" / "vectors").exists():
        return converted
    source = folder / "vectors.floret"
    if not source.exists():
        train_vectors(texts, folder, make_nlp())
    subprocess.run(
        [
            sys.executable,
            "-m",
            "spacy",
            "init",
            "vectors",
            "xx",
            str(source),
            str(converted),
            "--mode",
            "floret",
        ],
        check=True,
    )
    return converted


def refresh_data(model: Path) -> int:
    """Re-save what the pipeline at `model` keeps from the pattern files, without training.

    The gazetteer stores its spellings tokenized, with a digest of the files they came from;
    a pipeline saved before a gazetteer file changed still works (the component notices and
    tokenizes the files again) but pays for it at every load, about a second a process.
    """
    from .gazetteer_matcher import GazetteerRuler
    from .pipeline import load_nlp

    if not (model / "config.cfg").exists():
        print(f"kg: error: no pipeline at {model}", file=sys.stderr)
        return 1
    nlp = load_nlp(model_path=model)
    gazetteer = (
        nlp.get_pipe("techclaims_gazetteer") if "techclaims_gazetteer" in nlp.pipe_names else None
    )
    if isinstance(gazetteer, GazetteerRuler):
        gazetteer.to_disk(model / "techclaims_gazetteer")
        print(f"{model}: the gazetteer's spellings re-saved from the pattern files")
    return 0


def main(argv: list[str] | None = None) -> int:
    from .training_data import write_training_data

    parser = argparse.ArgumentParser(
        description="Rebuild the NER model from the annotations and the digests."
    )
    parser.add_argument("--annotations", type=Path, default=DEFAULT_ANNOTATIONS)
    parser.add_argument(
        "--texts", type=Path, default=DEFAULT_TEXTS, help="the unlabelled digests (corpus-extended)"
    )
    parser.add_argument("--out", type=Path, default=MODEL_DIR, help="where the pipeline goes")
    parser.add_argument("--workdir", type=Path, default=TRAINING_DIR)
    parser.add_argument(
        "--recognizer",
        choices=("stacked", "ner"),
        default="stacked",
        help="stacked: the ner reads the rules' votes (configs/ner_lf.cfg, gold only); "
        "ner: the ner reads the words alone (configs/ner.cfg, gold + silver)",
    )
    parser.add_argument(
        "--combine",
        choices=MODES,
        default=None,
        help="how the ner's names and the rules' combine (default: filter when stacked, else fill)",
    )
    parser.add_argument(
        "--silver-entries", type=int, default=None, help="default: 0 when stacked, else 1500"
    )
    parser.add_argument(
        "--gpu", action="store_true", help="train on the GPU (falls back to the CPU)"
    )
    parser.add_argument("--max-steps", type=int, default=None)
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a setting of configs/ner.cfg (e.g. components.tok2vec.model.encode.depth=1)",
    )
    parser.add_argument("--skip-data", action="store_true", help="reuse the DocBins in --workdir")
    parser.add_argument(
        "--assemble-only",
        action="store_true",
        help="reuse the trained ner in --workdir; only assemble and write",
    )
    parser.add_argument(
        "--refresh-data",
        action="store_true",
        help="only re-save the data the pipeline at --out keeps from the pattern files "
        "(the gazetteer's tokenized spellings), after a pattern file changed; nothing is trained",
    )
    args = parser.parse_args(argv)
    if args.refresh_data:
        return refresh_data(args.out)
    stacked = args.recognizer == "stacked"
    combine = args.combine or ("filter" if stacked else "fill")
    silver = args.silver_entries if args.silver_entries is not None else (0 if stacked else 1500)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for folder, what in ((args.texts, "digests"), (args.annotations, "annotations")):
        if not folder.is_dir():
            print(f"kg: error: no {what} at {folder}", file=sys.stderr)
            return 1
    gpu_id = use_gpu(args.gpu, notice=lambda m: print(f"kg: {m}", file=sys.stderr))
    data = args.workdir / "data"
    started = time.perf_counter()
    if args.assemble_only:
        best = args.workdir / "ner" / "model-best"
        if not best.exists():
            print(f"kg: error: no trained ner at {best} (train first)", file=sys.stderr)
            return 1
    else:
        vectors = floret_vectors(args.texts, args.workdir)
        if not args.skip_data:
            rules = make_nlp()
            stats = write_training_data(
                args.annotations,
                args.texts,
                data,
                rules,
                rules=rules,
                silver_entries=silver,
                dev_gold=DEFAULT_TEXTS.parent / "gold" / "dev.jsonl",
                lf=labelling_pipeline() if stacked else None,
            )
            print(stats.summary())
        overrides: dict[str, Any] = {"paths.vectors": str(vectors)}
        if args.max_steps:
            overrides["training.max_steps"] = args.max_steps
        for setting in args.set:
            key, _, value = setting.partition("=")
            overrides[key] = int(value) if value.isdigit() else value
        best = train_ner(
            data / "train.spacy",
            data / "dev.spacy",
            args.workdir / "ner",
            gpu_id=gpu_id,
            overrides=overrides,
            config=STACKED_CONFIG if stacked else TRAIN_CONFIG,
        )
    if gpu_id >= 0:  # the shipped pipeline is a CPU one
        from thinc.api import require_cpu

        require_cpu()
    nlp = assemble_stacked(best, combine=combine) if stacked else assemble(best, combine=combine)
    if args.out.exists():
        shutil.rmtree(args.out)
    nlp.to_disk(args.out)
    print(
        f"wrote {args.out} ({', '.join(nlp.pipe_names)}) in {time.perf_counter() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
