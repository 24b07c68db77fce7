"""Build the NLP pipeline and run it over digest entries.

`make_nlp()` builds the rules-only pipeline from ``configs/rules.cfg`` (or loads a
saved / trained one from `model_path`); `annotate()` runs it over entries.

Entity labels: METHOD, MODEL, HARDWARE, SPEEDUP (`LABELS`). Entity offsets
(`span.start_char`, `token.idx`) are offsets into `entry.text`; add
`entry.span.start` for offsets into the digest.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from techclaims.ingest.errors import IngestError
from techclaims.schema.records import Entry

from . import (  # noqa: F401 (registers factories)
    coined,
    combine,
    gazetteer,
    gazetteer_matcher,
    methods,
    regex_entities,
    stacked_ner,
    structure,
    tokenizer,
)
from .extensions import register_extensions
from .gazetteer import LABELS
from .methods import method_roles

__all__ = [
    "make_nlp",
    "load_nlp",
    "annotate",
    "make_doc",
    "role_of",
    "CONFIG_PATH",
    "MODEL_DIR",
    "MODEL_ENV",
    "LABELS",
    "NlpSetupError",
]

log = logging.getLogger(__name__)

CONFIG_PATH = Path(__file__).parent / "configs" / "rules.cfg"
#: Where a trained pipeline is shipped (package data); `load_nlp` prefers it when present.
MODEL_DIR = Path(__file__).parent / "model"
#: An environment variable naming another pipeline directory for `load_nlp` (to compare
#: a retrained model with the shipped one through ``kg ingest`` without swapping folders);
#: ``rules`` means the rules pipeline.
MODEL_ENV = "TECHCLAIMS_NLP_MODEL"

register_extensions()


class NlpSetupError(IngestError, RuntimeError):
    """The pipeline could not be built or loaded; the message says what to do.

    An `IngestError`, so `kg` prints it as one line; still a RuntimeError, as it was."""


def make_nlp(
    *,
    model_path: Path | None = None,
    gpu: bool = False,
    config_path: Path | None = None,
    overrides: dict[str, Any] | None = None,
) -> Language:
    """The NLP pipeline: loaded from `model_path` (a directory written by
    `nlp.to_disk` or `spacy train`), else built from `config_path` (default
    ``configs/rules.cfg``, the rules-only pipeline) and initialised.

    `overrides` are config overrides, e.g. ``{"nlp.tokenizer.cjk": "jieba"}``.
    `gpu` asks for a GPU (for a trained pipeline; the rules run on the CPU anyway)
    and raises `NlpSetupError` when there is none.
    """
    if gpu:
        try:
            spacy.require_gpu()
        except Exception as err:  # thinc raises ValueError, cupy import errors vary
            raise NlpSetupError(
                f"--gpu was asked for but no GPU is usable ({one_line(err)}); install cupy "
                "(`pip install cupy-cuda12x>=13`) on a machine with CUDA, or drop --gpu"
            ) from err
    if model_path is not None:
        model_path = Path(model_path)
        if not model_path.exists():
            raise NlpSetupError(
                f"no spaCy pipeline at {model_path}; train one or leave model_path out"
            )
        try:
            return spacy.load(model_path)
        except (OSError, ValueError) as err:
            raise NlpSetupError(f"cannot load the spaCy pipeline at {model_path}: {err}") from err
    path = Path(config_path) if config_path is not None else CONFIG_PATH
    try:
        config = spacy.util.load_config(path, overrides=dict(overrides or {}), interpolate=False)
        nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
        nlp.initialize()
    except (OSError, ValueError) as err:
        raise NlpSetupError(f"cannot build the pipeline from {path}: {err}") from err
    log.debug("built pipeline %s from %s", nlp.pipe_names, path)
    return nlp


def one_line(err: BaseException) -> str:
    """An exception as one short line (cupy and CUDA errors can span many)."""
    text = " ".join(str(err).split()) or type(err).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def make_doc(nlp: Language, entry: Entry) -> Doc:
    """A tokenized `Doc` of `entry.text` carrying the entry's heading and title."""
    doc = nlp.make_doc(entry.text)
    doc._.heading = entry.heading
    doc._.title = entry.title
    return doc


def annotate(
    nlp: Language,
    entries: Iterable[Entry],
    *,
    batch_size: int = 64,
    n_process: int = 1,
) -> Iterator[tuple[Entry, Doc]]:
    """Run `nlp` over the entries' texts, in order: ``(entry, doc)`` pairs.

    The heading and title reach the components as `doc._.heading` / `doc._.title`.
    """

    def docs() -> Iterator[tuple[Doc, Entry]]:
        for entry in entries:
            yield make_doc(nlp, entry), entry

    for doc, entry in nlp.pipe(docs(), as_tuples=True, batch_size=batch_size, n_process=n_process):
        yield entry, doc


_LOADED: dict[tuple[bool, str], Language] = {}


def load_nlp(
    *,
    gpu: bool = False,
    notice: Callable[[str], None] = log.warning,
    model_path: Path | None = None,
) -> Language:
    """The pipeline for ingesting: `model_path`, else the directory named by
    ``$TECHCLAIMS_NLP_MODEL`` (``rules``: the rules pipeline), else a trained pipeline
    shipped in `MODEL_DIR`, else the rules pipeline; built once per process (and per
    worker).

    Unlike `make_nlp`, a GPU that cannot be used is not an error: `notice` says so
    and the pipeline runs on the CPU.
    """
    chosen = os.environ.get(MODEL_ENV, "").strip()
    if model_path is None and chosen and chosen != "rules":
        model_path = Path(chosen)
    elif model_path is None and not chosen and (MODEL_DIR / "config.cfg").exists():
        model_path = MODEL_DIR
    key = (gpu, str(model_path or ""))
    if key not in _LOADED:
        if gpu:
            try:
                spacy.require_gpu()
            except Exception as err:  # no cupy, no CUDA device
                notice(f"no usable GPU ({one_line(err)}); running the NLP pipeline on the CPU")
        _LOADED[key] = make_nlp(model_path=model_path)
    return _LOADED[key]


def role_of(ent: Span) -> str | None:
    """The role of a METHOD mention: ``proposed``, ``baseline`` or ``used``; None for
    other labels. Read from `Doc._.method_roles` (computed if the pipeline did not)."""
    if ent.label_ != "METHOD":
        return None
    roles = ent.doc._.method_roles
    if roles is None:
        roles = method_roles(ent.doc)
    return roles.get(ent.text, "used")
