"""Draw the annotation sample from ../shared/corpus-extended: seeded, so a rerun draws the same papers.

    .venv/bin/python data/annotations/draw.py > sample.json
    .venv/bin/python data/annotations/draw.py --round 3 > sample3.json   # a later round

Kept for the record of how the papers in train/ and test/ were chosen (see README.md here):
entries of each kind are shuffled with a fixed seed and taken in order, skipping papers of
../shared/gold/dev.jsonl and ../shared/corpus/000_* (by arXiv id or normalised heading/title),
sections dated after 2026-06-30, entries under 200 or over 15,000 characters, and a paper
already drawn. The split is by month: entries of 2025-10 and 2026-04 (the arXiv-bot page's
date; an awesome-list section's own date, else its page's month) are test, the rest train, and
a paper also listed in a month of the other side is dropped.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

from techclaims.ingest.digest.readers import corpus_entries, read_digest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
TEXTS = SHARED / "corpus-extended"
TEST_MONTHS = {"2025-10", "2026-04"}
SEED = 20261206
QUOTA = {
    ("arxiv-summary", "train"): 165,
    ("arxiv-summary", "test"): 35,
    ("arxiv-abstract", "train"): 32,
    ("arxiv-abstract", "test"): 8,
    ("awesome", "train"): 85,
    ("awesome", "test"): 30,
}
_DATE = re.compile(r"(20\d\d)\.(\d{1,2})\.(\d{1,2})")


def norm(text: str | None) -> str:
    return re.sub(r"[\s\-_.·:：]+", "", (text or "").lower())


def entries() -> list[dict]:
    found = []
    for path in sorted(TEXTS.rglob("*.md")):
        if path.name == "README.md":
            continue
        for entry in corpus_entries(path):  # the bot's empty days (2025-08-16/17): none
            date = _DATE.search(entry.text[:600])
            found.append(
                {
                    "file": str(path.relative_to(TEXTS)),
                    "heading": entry.heading,
                    "title": entry.title,
                    "arxiv_id": entry.arxiv_id,
                    "start": entry.span.start,
                    "end": entry.span.end,
                    "summary": "解决的问题" in entry.text or "提出的新方法" in entry.text,
                    "date": f"{date[1]}-{int(date[2]):02d}-{int(date[3]):02d}" if date else None,
                }
            )
    return found


def month(entry: dict) -> str:
    if entry["file"].startswith("arxiv-bot/"):
        return entry["file"][10:17]
    if entry["date"]:
        return entry["date"][:7]
    return {"awesome/awesome-2026-05.md": "2026-05", "awesome/awesome-2026-06.md": "2026-06"}.get(
        entry["file"], "undated"
    )


def kind(entry: dict) -> str | None:
    if entry["file"].startswith("awesome"):
        return "awesome"
    if entry["summary"]:
        return "arxiv-summary"
    return "arxiv-abstract" if entry["file"][10:17] < "2025-12" else None


def seen_papers() -> tuple[set[str], set[str]]:
    """arXiv ids and normalised headings/titles never drawn: the dev gold's and ../corpus/000_*'s."""
    gold = [json.loads(line) for line in (SHARED / "gold" / "dev.jsonl").open(encoding="utf-8")]
    _, seen_000 = read_digest(next((SHARED / "corpus").glob("000_*")))
    ids = {g["arxiv_id"] for g in gold if g.get("arxiv_id")} | {e.arxiv_id for e in seen_000 if e.arxiv_id}
    names = {norm(g[k]) for g in gold for k in ("heading", "title")}
    names |= {norm(e.heading) for e in seen_000} | {norm(e.title) for e in seen_000}
    return ids, names


def fits(e: dict) -> bool:
    """Dated up to 2026-06-30 and 200 to 15,000 characters long."""
    return (e["date"] or "") <= "2026-06-30" and 200 <= e["end"] - e["start"] <= 15000


def draw() -> list[dict]:
    skip_ids, skip_names = seen_papers()
    everything = entries()

    def allowed(e: dict) -> bool:
        return fits(e) and not (
            e["arxiv_id"] in skip_ids
            or norm(e["heading"]) in skip_names
            or norm(e["title"]) in skip_names
        )

    rng = random.Random(SEED)
    chosen: list[dict] = []
    ids: set[str] = set()
    titles: set[str] = set()
    for (wanted, split), count in QUOTA.items():
        pool = [e for e in everything if kind(e) == wanted and allowed(e) and (month(e) in TEST_MONTHS) == (split == "test")]
        rng.shuffle(pool)
        taken = 0
        for e in pool:
            if taken == count:
                break
            if (e["arxiv_id"] and e["arxiv_id"] in ids) or norm(e["title"]) in titles:
                continue
            ids.add(e["arxiv_id"]) if e["arxiv_id"] else None
            titles.add(norm(e["title"]))
            chosen.append({**e, "kind": wanted, "split": split, "month": month(e)})
            taken += 1
    sides: dict[str, set[bool]] = {}
    for e in everything:
        if e["arxiv_id"]:
            sides.setdefault(e["arxiv_id"], set()).add(month(e) in TEST_MONTHS)
    chosen = [c for c in chosen if not (c["arxiv_id"] and len(sides[c["arxiv_id"]]) > 1)]
    rng.shuffle(chosen)
    for number, c in enumerate(chosen, 1):
        c["pid"] = f"P{number:03d}"
    return chosen


#: Later rounds (session 5): more train papers, drawn the same way from what the earlier
#: rounds left, each with its own seed and its own pid range.
ROUNDS = {
    2: (SEED + 1, 401, {"arxiv-summary": 150, "arxiv-abstract": 30, "awesome": 60}),
    3: (SEED + 2, 641, {"arxiv-summary": 260, "arxiv-abstract": 80, "awesome": 60}),
    # session 6: a fresh validation split (validation/), drawn like train, for choices that
    # dev cannot judge fairly (the rules were written from dev's papers)
    4: (SEED + 3, 1101, {"arxiv-summary": 50, "arxiv-abstract": 15, "awesome": 25}),
    # session 7: as many train papers as the annotators could read in about 80 minutes
    5: (SEED + 4, 1201, {"arxiv-summary": 420, "arxiv-abstract": 210, "awesome": 25}),
}
SPLIT_OF_ROUND = {4: "validation"}


def draw_round(number: int, first: list[dict]) -> list[dict]:
    """Train papers only (never a test month, never a paper a test month also lists), none
    already annotated (`first`: train/ and test/, which hold every earlier round)."""
    seed, start, quota = ROUNDS[number]
    first = [f for f in first if int(f["pid"][1:]) < start]  # a rerun draws the same papers
    ids, titles = seen_papers()
    ids |= {c["arxiv_id"] for c in first if c["arxiv_id"]}
    titles |= {norm(c["title"]) for c in first} | {norm(c["heading"]) for c in first}
    everything = entries()
    in_test = {e["arxiv_id"] for e in everything if e["arxiv_id"] and month(e) in TEST_MONTHS}
    rng = random.Random(seed)
    chosen: list[dict] = []
    for wanted, count in quota.items():
        pool = [
            e
            for e in everything
            if kind(e) == wanted
            and month(e) not in TEST_MONTHS
            and e["arxiv_id"] not in in_test
            and fits(e)
        ]
        rng.shuffle(pool)
        taken = 0
        for e in pool:
            if taken == count:
                break
            if (e["arxiv_id"] and e["arxiv_id"] in ids) or norm(e["title"]) in titles or norm(e["heading"]) in titles:
                continue
            ids.add(e["arxiv_id"]) if e["arxiv_id"] else None
            titles.add(norm(e["title"]))
            split = SPLIT_OF_ROUND.get(number, "train")
            chosen.append({**e, "kind": wanted, "split": split, "month": month(e)})
            taken += 1
    rng.shuffle(chosen)
    for pid, c in enumerate(chosen, start):
        c["pid"] = f"P{pid:03d}"
    return chosen


def annotated() -> list[dict]:
    """The papers of train/ and test/ as the draw writes them (arXiv id, heading, title)."""
    from techclaims.schema.gold import read_gold

    here = Path(__file__).resolve().parent
    return [
        {"pid": p["pid"], "arxiv_id": p.get("arxiv_id"), "heading": p["heading"], "title": p["title"]}
        for split in ("train", "test", "validation")
        for path in sorted((here / split).glob("*.jsonl"))
        for p in read_gold(path, TEXTS)
    ]


if __name__ == "__main__":
    # The first round no longer redraws exactly: the readers were fixed after it (AI-summary
    # sections, the bot's empty days), which changed the pools; train/ and test/ keep it.
    # The second round excludes what they hold.
    if "--round" in sys.argv:
        number = int(sys.argv[sys.argv.index("--round") + 1])
        json.dump(draw_round(number, annotated()), sys.stdout, ensure_ascii=False, indent=0)
    else:
        json.dump(draw(), sys.stdout, ensure_ascii=False, indent=0)
