"""The page's own style sheet and script (kept here, as text, so they ship inside the package).

The script reads the figures and the node table from `<script type="application/json">`
elements, draws them with the inlined plotly.js, and wires up the search box and the
filters. It uses no network and no other library.
"""

CSS = """
:root { --ink: #222; --muted: #666; --line: #ddd; --accent: #0b63c5; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", sans-serif;
       color: var(--ink); background: #fafafa; }
header { padding: 14px 22px 6px; background: white; border-bottom: 1px solid var(--line); }
header h1 { margin: 0 0 2px; font-size: 20px; }
header p { margin: 2px 0; color: var(--muted); }
nav a { margin-right: 14px; color: var(--accent); text-decoration: none; }
section { margin: 14px 18px; padding: 10px 14px; background: white; border: 1px solid var(--line); border-radius: 6px; }
section h2 { margin: 4px 0 6px; font-size: 17px; }
.controls { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: end; padding: 6px 0 8px; }
.controls label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
.controls input, .controls select, .controls button { font: inherit; padding: 4px 6px; border: 1px solid #bbb;
       border-radius: 4px; background: white; color: var(--ink); min-width: 90px; }
.controls input[type=search] { min-width: 260px; }
.controls button { cursor: pointer; }
#kg-status { font-size: 13px; color: var(--muted); padding: 2px 0 4px; min-height: 1.5em; }
.network-wrap { display: flex; gap: 12px; align-items: stretch; }
#kg-network { flex: 1 1 auto; min-width: 0; height: 820px; }
#kg-details { flex: 0 0 300px; max-height: 820px; overflow: auto; font-size: 13px; border-left: 1px solid var(--line);
       padding: 4px 0 4px 12px; }
#kg-details h3 { margin: 2px 0 6px; font-size: 14px; }
#kg-details .hint { color: var(--muted); }
p.overview { margin: 0 0 4px; color: var(--muted); max-width: 1100px; }
.chart { width: 100%; }
@media (max-width: 1000px) { .network-wrap { flex-direction: column; } #kg-details { flex: none; border: 0; } }
"""

JS = r"""
(function () {
  "use strict";
  const config = {displaylogo: false, responsive: true, scrollZoom: true,
                  modeBarButtonsToRemove: ["select2d", "lasso2d", "toImage"]};
  function json(id) { const el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  }
  // Words into lines of about `width` columns (a CJK character counts 2), escaped: kg.viz.hover.wrap.
  function wrapText(text, width) {
    const lines = []; let line = "", used = 0;
    (text || "").split(/(?=\s)|(?<=[\u2e80-\ua4cf\uac00-\ud7a3\uff00-\uff60])|(?=[\u2e80-\ua4cf\uac00-\ud7a3\uff00-\uff60])/).forEach((word) => {
      const size = Array.from(word).reduce((a, c) => a + (/[\u2e80-\ua4cf\uac00-\ud7a3\uff00-\uff60]/.test(c) ? 2 : 1), 0);
      if (used + size > width && line.trim()) { lines.push(line.trimEnd()); line = ""; used = 0; word = word.trimStart(); }
      line += word; used += size;
    });
    if (line.trim()) lines.push(line.trimEnd());
    return lines.map(esc).join("<br>");
  }
  // A paper's hover text in an overview, made here from the node table (kg.viz.hover.paper_brief).
  function paperHover(n) {
    const nd = kg.nodes;
    let text = `<b>${wrapText(nd.title[n] || nd.label[n], 72)}</b><br>paper`;
    const arxiv = nd.aliases[n].find((a) => /^\d{4}\.\d{4,5}/.test(a));
    if (arxiv) text += ` · arXiv ${esc(arxiv)}`;
    if (nd.issued && nd.issued[n]) text += ` · ${esc(nd.issued[n])}`;
    const topics = nd.topics[n].map((t) => kg.topics[t][1]);
    if (topics.length) text += `<br>topics: ${esc(topics.join(", "))}`;
    if (nd.best[n]) text += `<br>best claim: ${nd.best[n]}x`;
    return text;
  }
  function draw(id) {
    const fig = json("fig-" + id);
    if (!fig) return null;
    fig.data.forEach((t) => {
      if (t.meta && t.meta.hoverFromTable) t.hovertext = t.customdata.map(paperHover);
    });
    Plotly.newPlot(id, fig.data, fig.layout, config);
    return document.getElementById(id);
  }
  const kg = json("kg-data");
  const charts = Array.from(document.querySelectorAll(".chart")).map((el) => el.id);
  window.kgReady = false;
  const gd = kg ? draw("kg-network") : null;
  // The charts below the network are drawn one per task once the network has been painted,
  // so the first screen does not wait for them (window.kgChartsDone says when they are all there).
  window.kgChartsDone = false;
  function drawCharts(i) {
    if (i >= charts.length) { window.kgChartsAt = performance.now(); window.kgChartsDone = true; return; }
    draw(charts[i]);
    setTimeout(() => drawCharts(i + 1), 0);
  }
  if (!gd) {
    drawCharts(0);
    window.kgReadyAt = performance.now(); window.kgReady = true;
    return;
  }

  const N = kg.nodes.label.length;
  const status = document.getElementById("kg-status");
  const details = document.getElementById("kg-details");
  // What each trace held when the page was written, so filters can put points back.
  const full = gd.data.map((t) => ({
    x: Array.from(t.x || []), y: Array.from(t.y || []), text: Array.from(t.text || []),
    hovertext: Array.from(t.hovertext || []), customdata: Array.from(t.customdata || []),
    size: Array.isArray(t.marker && t.marker.size) ? Array.from(t.marker.size) : null,
  }));
  const kind = gd.data.map((t) => (t.meta && t.meta.kind) || "");
  const relationTrace = {};
  gd.data.forEach((t, i) => { if (kind[i] === "edge") relationTrace[t.meta.relation] = i; });
  const highlight = kind.indexOf("highlight");
  const highlightLinks = kind.indexOf("highlight-links");
  const hover = new Array(N).fill("");
  const x = new Array(N), y = new Array(N), slot = new Array(N);
  full.forEach((t, i) => {
    if (kind[i] !== "node") return;
    t.customdata.forEach((n, j) => { hover[n] = t.hovertext[j]; x[n] = t.x[j]; y[n] = t.y[j]; slot[n] = j; });
  });
  const neighbours = Array.from({length: N}, () => []);
  kg.edges.forEach(([u, v]) => { neighbours[u].push(v); neighbours[v].push(u); });
  const type = kg.nodes.type.map((t) => kg.types[t]);

  function norm(s) { return (s || "").normalize("NFKC").toLowerCase().replace(/[\s\-_.·]+/g, ""); }

  // -- filters (the same rules as kg.viz.graph.filter_graph) -------------------
  const controls = {
    topic: document.getElementById("kg-topic"), hardware: document.getElementById("kg-hardware"),
    digest: document.getElementById("kg-digest"), speedup: document.getElementById("kg-speedup"),
  };
  let visible = new Array(N).fill(true);

  function currentFilters() {
    const min = parseFloat(controls.speedup.value);
    return {
      topic: controls.topic.value === "" ? null : +controls.topic.value,
      hardware: controls.hardware.value === "" ? null : +controls.hardware.value,
      digest: controls.digest.value === "" ? null : +controls.digest.value,
      min: isFinite(min) && min > 0 ? min : null,
    };
  }

  function keep(f) {
    const any = f.topic !== null || f.hardware !== null || f.digest !== null || f.min !== null;
    const kept = new Array(N).fill(!any);
    if (!any) return kept;
    const nd = kg.nodes;
    for (let i = 0; i < N; i++) {
      if (type[i] !== "paper") continue;
      if (f.topic !== null && !nd.topics[i].includes(f.topic)) continue;
      if (f.digest !== null && !nd.digests[i].includes(f.digest)) continue;
      if (f.hardware !== null && !nd.hardware[i].includes(f.hardware)) continue;
      if (f.min !== null && (nd.best[i] === null || nd.best[i] < f.min)) continue;
      kept[i] = true;
    }
    for (let i = 0; i < N; i++) {
      if (type[i] !== "claim" || nd.paper[i] < 0 || !kept[nd.paper[i]]) continue;
      if (f.min !== null && (nd.best[i] === null || nd.best[i] < f.min)) continue;
      if (f.hardware !== null && nd.hardware[i].length && !nd.hardware[i].includes(f.hardware)) continue;
      if (f.digest !== null && !nd.digests[i].includes(f.digest)) continue;
      kept[i] = true;
    }
    for (let i = 0; i < N; i++) {
      if (type[i] === "paper" || type[i] === "claim") continue;
      kept[i] = neighbours[i].some((n) => kept[n] && (type[n] === "paper" || type[n] === "claim"));
    }
    return kept;
  }

  function apply() {
    visible = keep(currentFilters());
    const update = {x: [], y: [], text: [], hovertext: [], customdata: [], "marker.size": [], name: []};
    const traces = [];
    gd.data.forEach((t, i) => {
      if (kind[i] !== "node") return;
      const f = full[i], idx = [];
      f.customdata.forEach((n, j) => { if (visible[n]) idx.push(j); });
      traces.push(i);
      update.x.push(idx.map((j) => f.x[j])); update.y.push(idx.map((j) => f.y[j]));
      update.text.push(idx.map((j) => f.text[j])); update.hovertext.push(idx.map((j) => f.hovertext[j]));
      update.customdata.push(idx.map((j) => f.customdata[j]));
      update["marker.size"].push(f.size ? idx.map((j) => f.size[j]) : gd.data[i].marker.size);
      update.name.push(`${gd.data[i].meta.name} (${idx.length})`);
    });
    const lines = {};
    Object.keys(relationTrace).forEach((r) => { lines[r] = {x: [], y: []}; });
    kg.edges.forEach(([u, v, r]) => {
      if (!visible[u] || !visible[v]) return;
      const l = lines[kg.relations[r]];
      if (!l) return;
      l.x.push(x[u], x[v], null); l.y.push(y[u], y[v], null);
    });
    Object.keys(lines).forEach((r) => {
      traces.push(relationTrace[r]);
      update.x.push(lines[r].x); update.y.push(lines[r].y);
      update.text.push(null); update.hovertext.push(null); update.customdata.push(null);
      update["marker.size"].push(null);
      update.name.push(gd.data[relationTrace[r]].name);
    });
    Plotly.restyle(gd, update, traces);
    Plotly.relayout(gd, {"xaxis.autorange": true, "yaxis.autorange": true});
    refreshNames(true);
    const shown = visible.filter(Boolean).length;
    const papers = visible.filter((v, i) => v && type[i] === "paper").length;
    status.textContent = shown === N ? `showing all ${N} nodes` :
      `showing ${shown} of ${N} nodes (${papers} papers) that pass the filters`;
    clearHighlight();
  }

  // -- names: the chosen few at full view, every name once few nodes are in view ----
  const ZOOM_NAMES = 150;
  // A paper named like the method it proposes ("SpInfer" and SpInfer) is written once, on the method.
  const sameName = kg.nodes.label.map((l, n) => type[n] === "paper" &&
    neighbours[n].some((m) => type[m] !== "paper" && type[m] !== "claim" && norm(kg.nodes.label[m]) === norm(l)));
  // In an overview the papers are thousands of dots: the names in view are written once few names
  // are in view, and the papers' names only once few papers are.
  const overviewMode = Boolean(kg.tail);
  const ZOOM_PAPERS = 60;
  // An overview's ninety names are packed in its middle: written on their markers only once a
  // few are in view (at full view the callouts name the most connected).
  const ZOOM_OVERVIEW_NAMES = 30;
  let namedAll = "", zoomedIn = false;
  function refreshNames(force) {
    const xr = gd._fullLayout.xaxis.range, yr = gd._fullLayout.yaxis.range;
    const inView = (n) => x[n] >= xr[0] && x[n] <= xr[1] && y[n] >= yr[0] && y[n] <= yr[1];
    let count = 0, papers = 0;
    for (let n = 0; n < N; n++) {
      if (!visible[n] || !inView(n) || type[n] === "claim") continue;
      if (overviewMode && type[n] === "paper") papers++; else count++;
    }
    const all = count <= (overviewMode ? ZOOM_OVERVIEW_NAMES : ZOOM_NAMES);
    const allPapers = overviewMode ? papers <= ZOOM_PAPERS : all;
    const state = `${all}/${allPapers}`;
    zoomedIn = all;
    syncCallouts();
    if (state === namedAll && !force) return;
    namedAll = state;
    const named = (n) => type[n] !== "claim" && !sameName[n] && (type[n] === "paper" ? allPapers : all);
    const traces = [], text = [];
    gd.data.forEach((t, i) => {
      if (kind[i] !== "node") return;
      traces.push(i);
      text.push(t.customdata.map((n, j) => (named(n) ? kg.nodes.label[n] : full[i].text[slot[n]])));
    });
    Plotly.restyle(gd, {text: text}, traces);
  }
  gd.on("plotly_relayout", () => refreshNames(false));

  // An overview's callouts (kg.viz.page._callouts): the most connected names, boxed, at full view.
  // One goes with its node (filters, the legend's toggles) and gives way to the names written on
  // the markers once the view is zoomed in to a few names.
  const callouts = [];
  (gd.layout.annotations || []).forEach((a, i) => {
    if (a.name && a.name.startsWith("callout:")) callouts.push([i, +a.name.slice(8), a.visible !== false]);
  });
  function syncCallouts() {
    if (!callouts.length) return;
    const hidden = {};
    gd.data.forEach((t) => { if (t.meta && t.meta.kind === "node") hidden[t.meta.type] = t.visible === "legendonly" || t.visible === false; });
    const change = {};
    callouts.forEach((c) => {
      const want = !zoomedIn && visible[c[1]] && !hidden[type[c[1]]];
      if (want !== c[2]) { change[`annotations[${c[0]}].visible`] = want; c[2] = want; }
    });
    if (Object.keys(change).length) Plotly.relayout(gd, change);
  }
  gd.on("plotly_restyle", syncCallouts);

  // -- search and details ------------------------------------------------------
  function show(i) {
    const links = neighbours[i].length;
    details.innerHTML = `<div>${hover[i]}</div>` +
      `<p class="hint">${links} link${links === 1 ? "" : "s"}${visible[i] ? "" : " · hidden by the filters"}</p>`;
  }

  function clearHighlight() {
    if (highlight >= 0) Plotly.restyle(gd, {x: [[], []], y: [[], []]}, [highlightLinks, highlight]);
  }

  function focusOn(i, ringOnly) {
    if (ringOnly) {
      Plotly.restyle(gd, {x: [[], [x[i]]], y: [[], [y[i]]], "marker.size": [null, [34]]}, [highlightLinks, highlight]);
      show(i);
      return;
    }
    const near = [i].concat(neighbours[i].filter((n) => visible[n]));
    const lx = [], ly = [];
    near.slice(1).forEach((n) => { lx.push(x[i], x[n], null); ly.push(y[i], y[n], null); });
    Plotly.restyle(gd, {x: [lx, near.map((n) => x[n])], y: [ly, near.map((n) => y[n])],
                        "marker.size": [null, near.map((n, k) => (k === 0 ? 34 : 16))]},
                   [highlightLinks, highlight]);
    const xs = near.map((n) => x[n]), ys = near.map((n) => y[n]);
    const pad = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys), 4) * 0.25;
    Plotly.relayout(gd, {"xaxis.range": [Math.min(...xs) - pad, Math.max(...xs) + pad],
                         "yaxis.range": [Math.min(...ys) - pad, Math.max(...ys) + pad]});
    show(i);
    status.textContent = `${kg.nodes.label[i]} (${type[i]}): ${neighbours[i].length} links, circled with its neighbours`;
  }

  // An overview (kg.viz.overview) draws the most connected names only; kg.tail holds the others,
  // each with the drawn papers that name it. A tail hit t is returned as -2 - t.
  const tail = kg.tail || null;
  let names = null, titles = null, aliases = null, tailNames = null, tailAliases = null;
  function search(query) {
    const q = norm(query);
    if (!q) return -1;
    if (names === null) {  // normalised once, at the first search
      names = kg.nodes.label.map(norm); titles = kg.nodes.title.map(norm);
      aliases = kg.nodes.aliases.map((a) => a.map(norm));
      if (tail) { tailNames = tail.label.map(norm); tailAliases = tail.aliases.map((a) => a.map(norm)); }
    }
    // A method, model or hardware before a paper of the same name ("AWQ"), a claim last.
    const order = (i) => (type[i] === "claim" ? 2 : type[i] === "paper" ? 1 : 0);
    const rank = [(i) => names[i] === q, (i) => titles[i] === q || aliases[i].includes(q), (i) => names[i].startsWith(q),
                  (i) => names[i].includes(q) || titles[i].includes(q)];
    const tailRank = [(t) => tailNames[t] === q, (t) => tailAliases[t].includes(q), (t) => tailNames[t].startsWith(q),
                      (t) => tailNames[t].includes(q)];
    for (let r = 0; r < rank.length; r++) {
      const hits = [];
      for (let i = 0; i < N; i++) if (rank[r](i)) hits.push(i);
      if (hits.length) {
        hits.sort((a, b) => order(a) - order(b) || neighbours[b].length - neighbours[a].length || a - b);
        return hits[0];
      }
      if (tail) {  // the tail is sorted by papers, most first: its first hit is the best
        for (let t = 0; t < tailNames.length; t++) if (tailRank[r](t)) return -2 - t;
      }
    }
    return -1;
  }

  function focusTail(t) {
    const label = tail.label[t], kindName = kg.types[tail.type[t]], papers = tail.papers[t];
    const near = papers.filter((n) => visible[n]);
    Plotly.restyle(gd, {x: [[], near.map((n) => x[n])], y: [[], near.map((n) => y[n])],
                        "marker.size": [null, near.map(() => 14)]}, [highlightLinks, highlight]);
    if (near.length) {
      const xs = near.map((n) => x[n]), ys = near.map((n) => y[n]);
      const pad = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys), 8) * 0.3;
      Plotly.relayout(gd, {"xaxis.range": [Math.min(...xs) - pad, Math.max(...xs) + pad],
                           "yaxis.range": [Math.min(...ys) - pad, Math.max(...ys) + pad]});
    }
    const listed = papers.slice(0, 12).map((n) => `<li>${esc(kg.nodes.title[n] || kg.nodes.label[n])}</li>`).join("");
    const more = papers.length > 12 ? `<p class="hint">and ${papers.length - 12} more</p>` : "";
    details.innerHTML = `<h3>${esc(label)}</h3><p>${kindName} · named by ${papers.length} paper${papers.length === 1 ? "" : "s"}` +
      (tail.aliases[t].length ? ` · also written ${esc(tail.aliases[t].join(", "))}` : "") + `</p>` +
      `<ul>${listed}</ul>${more}<p class="hint">Not drawn in this overview (too few papers); ` +
      `<code>kg viz --focus "${esc(label)}"</code> draws it with its neighbourhood.</p>`;
    status.textContent = `${label} (${kindName}): ${papers.length} paper${papers.length === 1 ? "" : "s"}, circled`;
  }

  const box = document.getElementById("kg-search");
  function runSearch() {
    const i = search(box.value);
    if (i === -1) { status.textContent = `nothing called “${box.value}” here`; clearHighlight(); return; }
    if (i < -1) { focusTail(-2 - i); return; }
    focusOn(i);
  }
  box.addEventListener("change", runSearch);
  box.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); runSearch(); } });
  Object.values(controls).forEach((c) => c.addEventListener("change", apply));
  document.getElementById("kg-reset").addEventListener("click", () => {
    controls.topic.value = ""; controls.hardware.value = ""; controls.digest.value = "";
    controls.speedup.value = ""; box.value = "";
    apply();
    Plotly.relayout(gd, {"xaxis.autorange": true, "yaxis.autorange": true});
    details.innerHTML = document.getElementById("kg-details-hint").innerHTML;
  });
  gd.on("plotly_click", (ev) => {
    const p = ev.points && ev.points[0];
    if (p && p.customdata !== undefined && p.customdata !== null && kind[p.curveNumber] === "node") focusOn(p.customdata);
  });
  window.kgSearch = (q) => { box.value = q; runSearch(); return search(q); };
  window.kgVisibleCount = () => visible.filter(Boolean).length;
  if (kg.focus !== null) focusOn(kg.focus, true);
  status.textContent = status.textContent || `showing all ${N} nodes`;
  window.kgReadyAt = performance.now(); window.kgReady = true;
  requestAnimationFrame(() => setTimeout(() => drawCharts(0), 0));
})();
"""
