"""spaCy pipeline for ML-systems digests: tokenizer, sentences, entities, method roles.

Importing this package registers the tokenizer (``techclaims.MixedTokenizer.v1``),
the components (``techclaims_markup``, ``techclaims_sentences``,
``techclaims_regex_entities``, ``techclaims_heading_methods``,
``techclaims_entity_filter``, ``techclaims_method_roles``) and the readers, so
import it before ``spacy.load`` of a saved pipeline.
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
