"""Score the graph against hand-annotated gold, as ../shared/ANNOTATION.md says.

Predictions are read from the store, not from the extractor, so what is
scored is what users query. Papers match by arXiv id, else by normalised
title or heading. Entities match per paper and type by normalised name: a
predicted node matches a gold entity when one of its labels equals the gold
name or an alias; each gold entity is matched at most once, so two nodes for
one thing cost precision. Claims match on unit and value within 1% (and the
upper end of a range); attributes are scored on matched claims.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from techclaims.kg.errors import UsageError
from techclaims.kg.sparql import load
from techclaims.kg.store import Store
from techclaims.schema.iris import norm_key

TYPES = ("METHOD", "MODEL", "HARDWARE")
GOLD_KEYS = {"METHOD": "methods", "MODEL": "models", "HARDWARE": "hardware"}
ATTRIBUTES = ("metric", "baseline", "model", "hardware")


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


@dataclass
class Scores:
    papers: int = 0
    papers_found: int = 0
    entities: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in TYPES})
    claims: Counts = field(default_factory=Counts)
    attributes: dict[str, list[int]] = field(
        default_factory=lambda: {a: [0, 0] for a in ATTRIBUTES}
    )
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
        for name, c in [*self.entities.items(), ("overall", self.overall), ("CLAIM", self.claims)]:
            rows.append(
                f"{name:<10}{c.precision:>7.3f}{c.recall:>7.3f}{c.f1:>7.3f}{c.tp:>6}{c.fp:>6}{c.fn:>6}"
            )
        rows.append("")
        rows.append(f"proposed method found: {self.proposed[0]}/{self.proposed[1]}")
        rows.append(
            "claim attributes on matched claims: "
            + ", ".join(
                f"{a} {ok / n:.3f} ({ok}/{n})" if n else f"{a} -"
                for a, (ok, n) in self.attributes.items()
            )
        )
        return "\n".join(rows)


def read_gold(path: Path) -> list[dict]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise UsageError(f"{path}: cannot read the gold file: {err.strerror}") from err
    gold = []
    for number, line in enumerate(lines, 1):
        if line.strip():
            try:
                gold.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise UsageError(f"{path}:{number}: not JSON: {err.msg}") from err
    return gold


@dataclass
class Predicted:
    entities: dict[str, dict[str, tuple[set[str], str]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    claims: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    by_arxiv: dict[str, str] = field(default_factory=dict)
    by_title: dict[str, str] = field(default_factory=dict)


def read_predictions(store: Store) -> Predicted:
    pred = Predicted()
    for row in store.query(load("eval_papers")):
        paper = row["paper"].value
        if row["arxiv"] is not None:
            pred.by_arxiv[row["arxiv"].value] = paper
        for key in ("title", "heading"):
            if row[key] is not None and norm_key(row[key].value):
                pred.by_title.setdefault(norm_key(row[key].value), paper)
    nodes: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    roles: dict[tuple[str, str, str], str] = {}
    for row in store.query(load("eval_entities")):
        key = (row["paper"].value, row["type"].value, row["entity"].value)
        nodes[key].add(norm_key(row["label"].value))
        role = row["role"].value
        if role and (key not in roles or role == "proposed"):
            roles[key] = role
    for (paper, kind, entity), labels in nodes.items():
        pred.entities[paper].setdefault(kind, {})
        pred.entities[paper][kind][entity] = (labels, roles.get((paper, kind, entity), ""))
    seen: dict[str, dict] = {}
    for row in store.query(load("eval_claims")):
        evidence = row["evidence"].value if row["evidence"] is not None else ""
        if row["claim"].value in seen:
            seen[row["claim"].value]["evidence"].add(evidence)
            continue
        seen[row["claim"].value] = claim = {
            "iri": row["claim"].value,
            "evidence": {evidence},
            "value": float(row["value"].value),
            "value_max": float(row["valueMax"].value) if row["valueMax"] is not None else None,
            "unit": row["unit"].value,
            **{
                a: (row[a].value if row[a] is not None else None)
                for a in ("metric", "method", "baseline", "model", "hardware")
            },
        }
        pred.claims[row["paper"].value].append(claim)
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
        for attr in ATTRIBUTES:
            want, got = claim.get(attr), predicted[hit].get(attr)
            if attr == "metric":
                ok = (want or "").casefold() == (got or "").casefold()
            else:
                ok = (want is None and got is None) or (
                    want is not None
                    and got is not None
                    and norm_key(got) in aliases.get(norm_key(want), {norm_key(want)})
                )
            scores.attributes[attr][0] += ok
            scores.attributes[attr][1] += 1
            if not ok:
                value = f"{claim['value']:g}" + (
                    f"~{claim['value_max']:g}" if claim.get("value_max") else ""
                )
                scores.mismatches.append(
                    f"{gold_paper.get('source', '')[:3]} {gold_paper.get('heading', '')[:30]}: {value}{claim['unit']} "
                    f"{attr}: gold {want!r} got {got!r} | {(claim.get('evidence') or '')[:160]}"
                )
    scores.claims.fp += used.count(False)


def evaluate(gold: list[dict], pred: Predicted) -> Scores:
    scores = Scores()
    for paper in gold:
        scores.papers += 1
        node = (
            pred.by_arxiv.get(paper.get("arxiv_id") or "")
            or pred.by_title.get(norm_key(paper.get("title") or ""))
            or pred.by_title.get(norm_key(paper.get("heading") or ""))
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
