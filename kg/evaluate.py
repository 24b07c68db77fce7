"""Score the graph against hand-annotated gold, as ../shared/ANNOTATION.md says.

Predictions are read from the store, not from the extractor, so what is
scored is what users query. A gold paper is scored on what its own digest
said (the digest whose `dcterms:source` file name is the gold's `source`):
a paper listed by several ingested digests would otherwise collect the
entities of all of them. Papers match by arXiv id, else by normalised title
or heading. Entities match per paper and type by normalised name: a
predicted node matches a gold entity when one of its labels equals the gold
name or an alias; each gold entity is matched at most once, so two nodes for
one thing cost precision. Claims match on unit and value within 1% (and the
upper end of a range). On matched claims, baseline, model and hardware are
scored as precision / recall / F1 of stated values (agreeing nulls are not
counted: most claims state no model, and counting silence as right rewards
leaving attributes out); the metric is scored as accuracy.

The same scorer compares two annotations of one paper (`agreement`): the
second annotation stands in for the predictions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import PurePosixPath
from typing import Any

from techclaims.kg.sparql import load
from techclaims.kg.store import Store, select
from techclaims.schema.gold import GoldPaper, read_gold
from techclaims.schema.iris import norm_key

__all__ = [
    "Counts",
    "Predicted",
    "Scores",
    "agreement",
    "evaluate",
    "evaluate_groups",
    "read_gold",
    "read_predictions",
]

TYPES = ("METHOD", "MODEL", "HARDWARE")
GOLD_KEYS = {"METHOD": "methods", "MODEL": "models", "HARDWARE": "hardware"}
ATTRIBUTES = ("baseline", "model", "hardware")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __iadd__(self, other: Counts) -> Counts:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn
        return self

    def as_dict(self) -> dict[str, float | int]:
        return {
            "P": round(self.precision, 4),
            "R": round(self.recall, 4),
            "F1": round(self.f1, 4),
            "TP": self.tp,
            "FP": self.fp,
            "FN": self.fn,
        }


@dataclass
class Scores:
    papers: int = 0
    papers_found: int = 0
    entities: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in TYPES})
    claims: Counts = field(default_factory=Counts)
    attributes: dict[str, Counts] = field(default_factory=lambda: {a: Counts() for a in ATTRIBUTES})
    metric: list[int] = field(default_factory=lambda: [0, 0])  # [equal, matched claims]
    proposed: list[int] = field(
        default_factory=lambda: [0, 0]
    )  # [found, papers with a proposed method]
    misses: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)  # attribute disagreements on matched claims

    @property
    def overall(self) -> Counts:
        total = Counts()
        for counts in self.entities.values():
            total += counts
        return total

    def table(self) -> str:
        rows = [
            f"papers matched: {self.papers_found}/{self.papers}",
            "",
            f"{'type':<10}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}",
        ]
        named = [
            *self.entities.items(),
            ("overall", self.overall),
            ("CLAIM", self.claims),
            *((f"  {a}", c) for a, c in self.attributes.items()),
        ]
        for name, c in named:
            rows.append(
                f"{name:<10}{c.precision:>7.3f}{c.recall:>7.3f}{c.f1:>7.3f}{c.tp:>6}{c.fp:>6}{c.fn:>6}"
            )
        rows.append("")
        ok, n = self.metric
        rows.append(
            f"claim metric on matched claims: {ok / n:.3f} ({ok}/{n})" if n else "claim metric: -"
        )
        rows.append(f"proposed method found: {self.proposed[0]}/{self.proposed[1]}")
        return "\n".join(rows)

    def as_dict(self) -> dict[str, Any]:
        """Every figure, for scripts and CI (`kg eval --json`)."""
        found, with_proposed = self.proposed
        ok, n = self.metric
        return {
            "papers": self.papers,
            "papers_found": self.papers_found,
            "entities": {
                **{t: c.as_dict() for t, c in self.entities.items()},
                "overall": self.overall.as_dict(),
            },
            "claims": self.claims.as_dict(),
            "attributes": {a: c.as_dict() for a, c in self.attributes.items()},
            "metric_accuracy": {
                "accuracy": round(ok / n, 4) if n else None,
                "equal": ok,
                "matched": n,
            },
            "proposed_recall": {
                "recall": round(found / with_proposed, 4) if with_proposed else None,
                "found": found,
                "papers": with_proposed,
            },
        }


@dataclass
class Predicted:
    #: paper -> entity type -> entity IRI -> (normalised labels, role)
    entities: dict[str, dict[str, dict[str, tuple[set[str], str]]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    claims: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    by_arxiv: dict[str, str] = field(default_factory=dict)
    by_title: dict[str, str] = field(default_factory=dict)


def scope(source: str | None, key: str) -> str:
    """A key seen through one digest: papers, entities and claims are scored per digest, so a
    paper that two ingested digests list is judged on what the gold's own digest said."""
    return f"{PurePosixPath(source or '').name}\t{key}"


def read_predictions(store: Store) -> Predicted:
    pred = Predicted()
    for row in select(store, load("eval_papers")):
        source = row["source"].value
        paper = scope(source, row["paper"].value)
        if row["arxiv"] is not None:
            pred.by_arxiv[scope(source, row["arxiv"].value)] = paper
        for key in ("title", "heading"):
            if row[key] is not None and norm_key(row[key].value):
                pred.by_title.setdefault(scope(source, norm_key(row[key].value)), paper)
    nodes: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    roles: dict[tuple[str, str, str], str] = {}
    for row in select(store, load("eval_entities")):
        node = (
            scope(row["source"].value, row["paper"].value),
            row["type"].value,
            row["entity"].value,
        )
        nodes[node].add(norm_key(row["label"].value))
        role = row["role"].value
        if role and (node not in roles or role == "proposed"):
            roles[node] = role
    for (paper, kind, entity), spellings in nodes.items():
        pred.entities[paper].setdefault(kind, {})
        pred.entities[paper][kind][entity] = (spellings, roles.get((paper, kind, entity), ""))
    labels: dict[str, set[str]] = defaultdict(set)
    for row in select(store, load("eval_labels")):
        labels[row["node"].value].add(norm_key(row["label"].value))
    seen: dict[tuple[str, str], dict] = {}
    for row in select(store, load("eval_claims")):
        paper = scope(row["source"].value, row["paper"].value)
        evidence = row["evidence"].value if row["evidence"] is not None else ""
        if (paper, row["claim"].value) in seen:
            seen[(paper, row["claim"].value)]["evidence"].add(evidence)
            continue
        seen[(paper, row["claim"].value)] = claim = {
            "iri": row["claim"].value,
            "evidence": {evidence},
            "value": float(row["value"].value),
            "value_max": float(row["valueMax"].value) if row["valueMax"] is not None else None,
            "unit": row["unit"].value,
            **{
                a: (row[a].value if row[a] is not None else None)
                for a in ("metric", "method", "baseline", "model", "hardware")
            },
            **{
                f"{a}_labels": labels.get(row[f"{a}Node"].value, set())
                if row[f"{a}Node"] is not None
                else set()
                for a in ATTRIBUTES
            },
        }
        pred.claims[paper].append(claim)
    for claims in pred.claims.values():
        claims.sort(key=lambda c: c["iri"])
    return pred


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 0.01 * max(abs(b), 1e-9)


def _aliases(gold_paper: dict) -> dict[str, set[str]]:
    """Every normalised spelling of each gold entity name, to compare claim attributes."""
    out: dict[str, set[str]] = {}
    for kind in GOLD_KEYS.values():
        for ent in gold_paper.get(kind, []):
            out[norm_key(ent["name"])] = {
                norm_key(ent["name"]),
                *(norm_key(a) for a in ent.get("aliases", [])),
            }
    return out


def score_entities(
    gold_paper: dict, predicted: dict[str, dict[str, tuple[set[str], str]]], scores: Scores
) -> None:
    for kind in TYPES:
        gold = [
            {norm_key(e["name"]), *(norm_key(a) for a in e.get("aliases", []))}
            for e in gold_paper.get(GOLD_KEYS[kind], [])
        ]
        matched = [False] * len(gold)
        counts = scores.entities[kind]
        for labels, _ in sorted(predicted.get(kind, {}).values(), key=lambda v: sorted(v[0])):
            hit = next(
                (i for i, names in enumerate(gold) if not matched[i] and names & labels), None
            )
            if hit is None:
                counts.fp += 1
                scores.misses.append(
                    f"{gold_paper.get('heading', '')[:40]}: spurious {kind} {sorted(labels)[0]}"
                )
            else:
                matched[hit] = True
                counts.tp += 1
        counts.fn += matched.count(False)
        for i, ok in enumerate(matched):
            if not ok:
                scores.misses.append(
                    f"{gold_paper.get('heading', '')[:40]}: missed {kind} {sorted(gold[i])[0]}"
                )
    proposed = [
        {norm_key(e["name"]), *(norm_key(a) for a in e.get("aliases", []))}
        for e in gold_paper.get("methods", [])
        if e.get("role") == "proposed"
    ]
    if proposed:
        scores.proposed[1] += 1
        found = [
            labels for labels, role in predicted.get("METHOD", {}).values() if role == "proposed"
        ]
        if any(names & labels for names in proposed for labels in found):
            scores.proposed[0] += 1


def _pairing_key(gold: dict, predicted: dict) -> tuple[float, float, str]:
    """Which of several matching predicted claims a gold claim takes: the one stating it.

    Two claims of a paper can carry values within 1% of each other (13-20% and
    13-20.1%, two 50%s); pairing by store order would make attribute accuracy depend
    on IRIs. The closest evidence sentence wins, then the closest value, then the IRI.
    """
    want = gold.get("evidence") or ""
    likeness = max(
        (
            SequenceMatcher(None, want, got, autojunk=False).ratio()
            for got in predicted.get("evidence", ())
        ),
        default=0.0,
    )
    return (-likeness, abs(predicted["value"] - gold["value"]), predicted.get("iri", ""))


def score_claims(gold_paper: dict, predicted: list[dict], scores: Scores) -> None:
    aliases = _aliases(gold_paper)
    gold = gold_paper.get("claims", [])
    used = [False] * len(predicted)
    for claim in gold:
        candidates = [
            i
            for i, p in enumerate(predicted)
            if not used[i]
            and p["unit"] == claim["unit"]
            and _close(p["value"], claim["value"])
            and _close(p["value_max"], claim.get("value_max"))
        ]
        hit = min(candidates, key=lambda i: _pairing_key(claim, predicted[i]), default=None)
        if hit is None:
            scores.claims.fn += 1
            continue
        used[hit] = True
        scores.claims.tp += 1
        got_metric = predicted[hit].get("metric")
        scores.metric[0] += (claim.get("metric") or "").casefold() == (got_metric or "").casefold()
        scores.metric[1] += 1
        for attr in ATTRIBUTES:
            want, got = claim.get(attr), predicted[hit].get(attr)
            if want is None and got is None:
                continue  # agreeing silence says nothing about reading the setting
            counts = scores.attributes[attr]
            spellings = predicted[hit].get(f"{attr}_labels") or ({norm_key(got)} if got else set())
            right = (
                want is not None
                and got is not None
                and bool(spellings & aliases.get(norm_key(want), {norm_key(want)}))
            )
            if right:
                counts.tp += 1
                continue
            counts.fp += got is not None  # a value where gold has another or none
            counts.fn += want is not None  # a gold value not predicted, or predicted wrong
            value = f"{claim['value']:g}" + (
                f"~{claim['value_max']:g}" if claim.get("value_max") else ""
            )
            scores.mismatches.append(
                f"{gold_paper.get('source', '')[:24]} {gold_paper.get('heading', '')[:30]}: {value}{claim['unit']} "
                f"{attr}: gold {want!r} got {got!r} | {(claim.get('evidence') or '')[:160]}"
            )
    scores.claims.fp += used.count(False)


def evaluate(gold: Iterable[GoldPaper], pred: Predicted) -> Scores:
    """Score predictions against gold papers (see the module docstring)."""
    scores = Scores()
    for paper in gold:
        scores.papers += 1
        source = paper.get("source")
        node = (
            pred.by_arxiv.get(scope(source, paper.get("arxiv_id") or ""))
            or pred.by_title.get(scope(source, norm_key(paper.get("title") or "")))
            or pred.by_title.get(scope(source, norm_key(paper.get("heading") or "")))
        )
        if node is None:
            scores.misses.append(f"{paper.get('heading', '')[:40]}: paper not found")
            for kind in TYPES:
                scores.entities[kind].fn += len(paper.get(GOLD_KEYS[kind], []))
            scores.claims.fn += len(paper.get("claims", []))
            if any(e.get("role") == "proposed" for e in paper.get("methods", [])):
                scores.proposed[1] += 1
            continue
        scores.papers_found += 1
        score_entities(paper, pred.entities.get(node, {}), scores)
        score_claims(paper, pred.claims.get(node, []), scores)
    return scores


def evaluate_groups(
    gold: list[GoldPaper], pred: Predicted, key: Callable[[GoldPaper], str]
) -> dict[str, Scores]:
    """Scores per group of gold papers (per digest, per gold file), in order of first appearance."""
    groups: dict[str, list[GoldPaper]] = {}
    for paper in gold:
        groups.setdefault(key(paper), []).append(paper)
    return {name: evaluate(papers, pred) for name, papers in groups.items()}


def as_predicted(papers: Iterable[GoldPaper]) -> Predicted:
    """Gold-format papers as predictions: how a second annotation is compared with a first."""
    pred = Predicted()
    for number, paper in enumerate(papers):
        node = f"paper-{number}"
        source = paper.get("source")
        if paper.get("arxiv_id"):
            pred.by_arxiv[scope(source, paper["arxiv_id"])] = node
        for key in ("title", "heading"):
            if norm_key(paper.get(key) or ""):
                pred.by_title.setdefault(scope(source, norm_key(paper[key])), node)
        for kind, gold_key in GOLD_KEYS.items():
            pred.entities[node][kind] = {
                f"{kind}-{i}": (
                    {norm_key(e["name"]), *(norm_key(a) for a in e.get("aliases", []))},
                    e.get("role", ""),
                )
                for i, e in enumerate(paper.get(gold_key, []))
            }
        spellings = {
            norm_key(e["name"]): {norm_key(e["name"]), *(norm_key(a) for a in e.get("aliases", []))}
            for key in GOLD_KEYS.values()
            for e in paper.get(key, [])
        }
        pred.claims[node] = [
            {
                **claim,
                "iri": f"{node}-{i}",
                "evidence": {claim.get("evidence") or ""},
                **{
                    f"{a}_labels": spellings.get(norm_key(claim[a]), {norm_key(claim[a])})
                    if claim.get(a)
                    else set()
                    for a in ATTRIBUTES
                },
            }
            for i, claim in enumerate(paper.get("claims", []))
        ]
    return pred


def agreement(first: list[GoldPaper], second: list[GoldPaper]) -> Scores:
    """Inter-annotator agreement: `second` scored against `first` (F1 is symmetric in the two)."""
    return evaluate(first, as_predicted(second))
