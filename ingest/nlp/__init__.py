"""spaCy pipeline for ML-systems digests: tokenizer, sentences, entities, method roles.

Importing this package registers the tokenizer (``techclaims.MixedTokenizer.v1``),
the components (``techclaims_markup``, ``techclaims_sentences``,
``techclaims_gazetteer``, ``techclaims_regex_entities``,
``techclaims_heading_methods``, ``techclaims_coined_names``,
``techclaims_entity_filter``, ``techclaims_method_roles``, and around the trained
ner ``techclaims_ner_stash`` / ``techclaims_ner_merge``) and the readers, so import it
before ``spacy.load`` of a saved pipeline (``ingest/nlp/model/``, built by
``python -m techclaims.ingest.nlp.train``; see `train`).
"""

from .extensions import overlaps_markup, register_extensions
from .gazetteer import LABELS, default_gazetteer, load_gazetteer, normalize_name
from .methods import ROLES, method_roles
from .pipeline import CONFIG_PATH, NlpSetupError, annotate, load_nlp, make_doc, make_nlp, role_of
from .tokenizer import MixedTokenizer

__all__ = [
    "LABELS",
    "ROLES",
    "CONFIG_PATH",
    "MixedTokenizer",
    "NlpSetupError",
    "annotate",
    "default_gazetteer",
    "load_gazetteer",
    "load_nlp",
    "make_doc",
    "make_nlp",
    "method_roles",
    "normalize_name",
    "overlaps_markup",
    "register_extensions",
    "role_of",
]
