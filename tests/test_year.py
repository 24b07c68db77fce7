"""A year of daily digests, in small: every page layout the arXiv bot used, one paper on several
days, re-ingesting an unchanged day, and adding the next day to a store that holds the others.

The digests are written here in the shape of the bot's pages over the year (../shared/corpus-
extended): until October 2025 `arXiv:ID Announce Type` lines with `Abstract:`; in November the
fields `Type` and `ArXiv ID` and a bare abstract; from December `#### Abstract` and an AI summary,
first as a `#### AI Summary` section, then folded in `<details>` for some entries; entries
renumbered with gaps where some were taken out. Every page starts with the statistics block.
The text is made up; only the layout is the bot's.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import kg

from techclaims.ingest.digest.readers import read_digest
from techclaims.ingest.errors import IngestError
from techclaims.kg.mapping import PREFIXES

HEAD = """# arXiv Papers Bot 🤖

This repository automatically fetches and displays relevant papers from arXiv based on configured criteria.

## RSS Vercel Deployment [![An example of deployed RSS Server using vercel](https://img.shields.io/badge/Deployed-Example-blue)](https://example.org/)

You can click this to deploy yours

[![Deploy with Vercel](https://vercel.com/button)](https://vercel.com/new/clone?repository-url=https://example.org/bot)
## 📊 Statistics

- **Last Updated**: {day} 06:00:00 UTC
- **Total Papers Found**: {count}
- **Categories Monitored**: cs.AI, cs.CL, cs.DC, cs.LG

## 📚 Recent Papers

"""

# One paper per tuple: (number on the page, arXiv id, title, abstract sentence, summary or None).
PAPERS = {
    "2508.10001": (
        "QuillServe: Paged Prefix Sharing for Multi-Tenant LLM Serving",
        "QuillServe shares paged prefixes across tenants and improves throughput by 2.4x over vLLM on an H100.",
        "QuillServe 在 H100 上相比 vLLM 吞吐量提升 2.4 倍。",
    ),
    "2508.10002": (
        "TernLite: Ternary Weights for Edge Inference",
        "TernLite quantizes weights to ternary values and reduces latency by 35% on a Jetson Orin.",
        "TernLite 将权重三值化，在 Jetson Orin 上延迟降低 35%。",
    ),
    "2508.10003": (
        "RingMoE: Expert Placement on Ring Topologies",
        "RingMoE places experts along a ring and cuts all-to-all traffic by 1.8x on A100 clusters.",
        "RingMoE 在 A100 集群上将 all-to-all 通信量降低 1.8 倍。",
    ),
}


def _fields(day: str, arxiv: str, style: str) -> str:
    fields = (
        "**Authors**: Ada Example, Bo Sample  \n**Category**: cs.DC  \n"
        f"**Published**: {day}  \n**Score**: 9.0"
    )
    if style != "announce":
        fields += f"  \n**Type**: new  \n**ArXiv ID**: {arxiv}v1  "
    return fields + "\n\n"


def _entry(number: int, arxiv: str, day: str, style: str, summary: bool) -> str:
    """One entry in the layout of a period: `announce` (Aug-Oct 2025), `fields` (Nov 2025),
    `summary-section` (early Dec 2025), `details` (from Dec 2025 on)."""
    title, abstract, said = PAPERS[arxiv]
    text = f"### {number}. [{title}](https://arxiv.org/abs/{arxiv})\n\n" + _fields(
        day, arxiv, style
    )
    if style == "announce":
        text += f"arXiv:{arxiv}v1 Announce Type: new \nAbstract: {abstract}\n\n"
    elif style == "fields":
        text += f"{abstract}\n\n"
    else:
        text += f"#### Abstract\n{abstract}\n\n"
        if summary and style == "summary-section":
            text += (
                "#### AI Summary (by a-model)\n# 论文总结\n\n## 1. 主要贡献\n\n"
                f"### 解决的问题\n- {said}\n\n---\n\n## 3. 实验结果\n\n### 3.1 吞吐量\n"
                "| 方法 | 吞吐量 |\n|---|---|\n| 基线 | 1.0x |\n\n"
            )
        elif summary:
            text += (
                "<details>\n<summary><strong>🤖 AI Summary (by a-model)</strong> - Click to expand</summary>\n\n"
                f"# 论文总结：*{title}*\n\n---\n\n## 1. 论文的主要贡献和创新点\n\n"
                f"### **解决了什么问题**\n{said}\n\n### 3.1 实验设置\n- 8 GPUs\n\n</details>\n\n"
            )
    return text + "---\n\n"


def page(day: str, style: str, entries: list[tuple[int, str, bool]]) -> str:
    """A day's page: the header and statistics block, then `entries` (number, arXiv id, summary?)."""
    body = "".join(_entry(n, arxiv, day, style, summary) for n, arxiv, summary in entries)
    return HEAD.format(day=day, count=len(entries)) + body


PERIODS = {
    # name: (day, style, entries as (number on the page, arXiv id, with an AI summary))
    "abstracts, Announce Type (2025-08..10)": (
        "2025-09-02",
        "announce",
        [(1, "2508.10001", False), (2, "2508.10002", False)],
    ),
    "abstracts, ArXiv ID field (2025-11)": (
        "2025-11-04",
        "fields",
        [(1, "2508.10002", False), (2, "2508.10003", False)],
    ),
    "AI summary section (early 2025-12)": (
        "2025-12-02",
        "summary-section",
        [(1, "2508.10001", True), (2, "2508.10003", True)],
    ),
    "AI summary in <details>, some entries (2025-12..)": (
        "2026-01-13",
        "details",
        [(1, "2508.10001", True), (2, "2508.10002", False), (3, "2508.10003", True)],
    ),
    "renumbered: entries taken out (2026)": (
        "2026-02-10",
        "details",
        [(1, "2508.10001", False), (4, "2508.10002", True), (7, "2508.10003", False)],
    ),
}


@pytest.mark.parametrize("period", list(PERIODS))
def test_each_page_period_reads_every_entry_and_nothing_else(tmp_path, period):
    day, style, entries = PERIODS[period]
    path = tmp_path / f"{day}.md"
    path.write_text(page(day, style, entries), encoding="utf-8")
    info, found = read_digest(path)
    assert info.format == "arxiv-bot"
    # The statistics block, the summaries' own headings (# 论文总结, ### 3.1) are no entries.
    assert [e.arxiv_id for e in found] == [arxiv for _, arxiv, _ in entries]
    for entry, (_, arxiv, summary) in zip(found, entries, strict=True):
        title, abstract, said = PAPERS[arxiv]
        assert entry.title == title
        assert str(entry.published) == day
        assert abstract in entry.text  # the abstract, whichever way the page introduces it
        if style != "summary-section":  # see the test below
            assert (said in entry.text) == summary  # a summary stays with its own entry
        assert "Statistics" not in entry.text and "Total Papers Found" not in entry.text


def test_an_ai_summary_section_stays_with_its_entry(tmp_path):
    day, style, entries = PERIODS["AI summary section (early 2025-12)"]
    path = tmp_path / f"{day}.md"
    path.write_text(page(day, style, entries), encoding="utf-8")
    _, found = read_digest(path)
    assert all(PAPERS[e.arxiv_id][2] in e.text for e in found)


def _write_days(folder: Path, names: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        day, style, entries = PERIODS[name]
        (folder / f"{day}.md").write_text(page(day, style, entries), encoding="utf-8")


def _query(store: Path, sparql: str) -> list:
    opened = ox.Store.read_only(str(store))
    return list(opened.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True))


def _graphs(store: Path) -> dict[str, list[str]]:
    """Every graph's quads, sorted, as text (the default graph included)."""
    found: dict[str, list[str]] = {}
    for quad in ox.Store.read_only(str(store)).quads_for_pattern(None, None, None, None):
        found.setdefault(str(quad.graph_name), []).append(str(quad))
    return {g: sorted(q) for g, q in found.items()}


@pytest.fixture(scope="module")
def two_days(tmp_path_factory) -> tuple[Path, Path]:
    """A folder with two days that share papers, ingested into a store."""
    root = tmp_path_factory.mktemp("year")
    folder, store = root / "digests", root / "store"
    _write_days(
        folder, ["abstracts, Announce Type (2025-08..10)", "AI summary section (early 2025-12)"]
    )
    kg("ingest", folder, "--store", store, "--no-progress")
    return folder, store


def test_a_paper_listed_on_two_days_is_one_paper_derived_from_both(two_days):
    _, store = two_days
    rows = _query(
        store,
        """SELECT ?id (COUNT(DISTINCT ?p) AS ?papers) (COUNT(DISTINCT ?g) AS ?digests) WHERE {
             GRAPH ?g { ?p a kg:Paper ; kg:arxivId ?id ; prov:wasDerivedFrom ?g } }
           GROUP BY ?id ORDER BY ?id""",
    )
    found = {r["id"].value: (int(r["papers"].value), int(r["digests"].value)) for r in rows}
    # 2508.10001 is on both days; 10002 only on the first, 10003 only on the second.
    assert found == {"2508.10001": (1, 2), "2508.10002": (1, 1), "2508.10003": (1, 1)}


def test_re_ingesting_unchanged_days_is_skipped_and_changes_nothing(two_days):
    folder, store = two_days
    before = _graphs(store)
    done = kg("ingest", folder, "--store", store, "--no-progress")
    assert "ingested 0 digest(s)" in done.stdout
    assert "skipped 2 unchanged digest(s)" in done.stdout
    assert _graphs(store) == before


def test_a_changed_day_is_read_again_and_only_it(tmp_path):
    folder, store = tmp_path / "digests", tmp_path / "store"
    _write_days(
        folder, ["abstracts, ArXiv ID field (2025-11)", "renumbered: entries taken out (2026)"]
    )
    kg("ingest", folder, "--store", store, "--no-progress")
    changed = folder / "2025-11-04.md"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    done = kg("ingest", folder, "--store", store, "--no-progress")
    assert "ingested 1 digest(s)" in done.stdout
    assert "skipped 1 unchanged digest(s)" in done.stdout


def test_the_next_day_writes_its_graph_and_the_summaries_it_touches(tmp_path):
    folder, store = tmp_path / "digests", tmp_path / "store"
    _write_days(
        folder, ["abstracts, Announce Type (2025-08..10)", "abstracts, ArXiv ID field (2025-11)"]
    )
    kg("ingest", folder, "--store", store, "--no-progress")
    before = _graphs(store)
    _write_days(folder, ["AI summary in <details>, some entries (2025-12..)"])
    done = kg("ingest", folder, "--store", store, "--no-progress")
    assert "ingested 1 digest(s)" in done.stdout
    assert "skipped 2 unchanged digest(s)" in done.stdout
    after = _graphs(store)
    changed = {g for g in set(before) | set(after) if before.get(g) != after.get(g)}
    digests = {g for g in changed if "/digest/" in g}
    assert len(digests) == 1 and "2026-01-13" in digests.pop()  # the new day's graph, no other
    # Besides it, only what the store derives: labels, summary counts (and its set of statements).
    assert all("/graph/" in g or g == "DEFAULT" for g in changed if "/digest/" not in g)
    assert any("/graph/summary/" in g for g in changed)
    # The new day's paper 2508.10003 and the earlier days' papers are one graph's worth each.
    rows = _query(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a kg:Paper }")
    assert int(rows[0]["n"].value) == 3


EMPTY_DAY = """# arXiv Papers Bot 🤖

## 📊 Statistics

- **Last Updated**: 2025-08-16 12:00:00 UTC
- **Total Papers Found**: 0
- **Categories Monitored**: cs.AI, cs.CL, cs.DC, cs.LG

## 📚 Recent Papers

No papers matching the criteria were found in the last 7 days.

## 🔧 Configuration

This bot is configured to look for papers containing the following keywords:
- LLM, Inference, Training

---
*Generated automatically by arXiv Bot*
"""


def test_a_day_without_papers_holds_no_paper(tmp_path):
    path = tmp_path / "2025-08-16.md"
    path.write_text(EMPTY_DAY, encoding="utf-8")
    try:
        _, found = read_digest(path)
    except IngestError:  # refusing the page as empty (one line, exit 4) is as good
        return
    assert found == []
