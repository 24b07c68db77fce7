"""Efficiency claims from a digest entry: value, range, unit, metric, direction and attribution.

A claim is a speed-up factor (``6.2x``, ``2.2倍``, ``3-fold``, ``a speedup of
2.1``, ``加速比为3.2``) or a percentage change (``40% lower latency``,
``降低 13.0–20.1%``) that the paper states about its own method (see
../shared/ANNOTATION.md). This module finds the numbers itself in the entry's
text, so it does not depend on how a statistical NER labels them, and reads
everything else from the words around each number, narrowest context first:

- the *phrase* (the clause cut at "and"/"和"/"并"), the *clause* (cut at
  ，,；;。 and table cell borders, parentheses kept whole), the *sentence*
  (a bullet or a table row), for a table row its column header and row label,
  the list item, the section heading, and last the entry's setup;
- the metric is a base (throughput, latency, memory, speed, ...) narrowed by a
  qualifier (training, decode, end-to-end, kernel, ...), from cue words in
  Chinese and English (the vocabulary below), entity names masked out;
- the direction is the verb's (降低, lower, reduces) or, for "improves" and
  bare factors, the metric's good direction; a verb against the metric's good
  direction (latency up, throughput down, 慢, overhead added) is not a claim,
  and a percentage needs a verb, an arrow or a sign (``+2.8%``) to be a change;
- accuracy, scores, errors, dataset sizes, sparsity settings, theoretical
  bounds, hardware prices, acceptance lengths and shares of cases are not
  claims, nor factors of 1.01x or less, nor numbers under a problem,
  motivation or limitation heading;
- the method is the paper's main proposed method unless the clause's subject
  is another of its proposed methods; the baseline is a METHOD or MODEL after
  a comparison cue (相比X, 比X, over X, vs. X, than X, X基线); the model and hardware come from the
  clause, the sentence, the table row or list item, the section heading, else
  the entry's experimental setup when that names exactly one.

Pure functions over strings and a spaCy `Doc`; no graph code. The modules:

- `quantities`: numbers, ranges and units (``1.3x~1.6x``, ``2.2倍``, ``40%``, ``加速比为3.2``);
- `vocabulary`: the cue words (``data/*.jsonl``: metric, qualifier, verb and comparison cues), compiled;
- `layout`: lines, tables, list items, headings, clauses, phrases and asides of an entry's text;
- `context`: entity mentions, the paper's context and the contexts of one number;
- `filters`: what is not a claim;
- `metric`: the metric and direction of a number;
- `comparison`: whether a name is what something is compared against;
- `attribution`: method, baseline, model, hardware and condition of a claim;
- `assembly`: statements from an entry, one claim per fact.

The modules are internal to this package: what callers use is exported here.
A name one module lends another is public in the module that defines it (no
leading underscore); an underscore means the module's own.
"""

from techclaims.ingest.claims.assembly import claims_of, merge_claims, same_fact, statements_of
from techclaims.ingest.claims.attribution import setup_of, speedup_baseline_of
from techclaims.ingest.claims.context import Mention, PaperContext, Statement, mentions_of
from techclaims.ingest.claims.metric import (
    direction_of,
    metric_of,
    paper_qualifier,
    size_qualifier,
)
from techclaims.ingest.claims.quantities import Found, Quantity, find_quantities, parse_speedup
from techclaims.ingest.claims.vocabulary import BASE_CUES, QUALIFIER_CUES, VERB_CUES

__all__ = [
    "BASE_CUES",
    "QUALIFIER_CUES",
    "VERB_CUES",
    "Found",
    "Mention",
    "PaperContext",
    "Quantity",
    "Statement",
    "claims_of",
    "direction_of",
    "find_quantities",
    "mentions_of",
    "merge_claims",
    "metric_of",
    "paper_qualifier",
    "parse_speedup",
    "same_fact",
    "setup_of",
    "size_qualifier",
    "speedup_baseline_of",
    "statements_of",
]
