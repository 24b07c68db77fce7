"""Throughput of the NER pipeline: tokens/s with `nlp.pipe` over the whole corpus.

Prints, for the shipped pipeline (`load_nlp()`: the trained tok2vec + ner with the
rules around it, or the rules pipeline when no model is shipped; ``$TECHCLAIMS_NLP_MODEL``
names another pipeline directory to measure, e.g. a retrained one):

- CPU with 1 process and with 2 processes (`nlp.pipe(n_process=2)`), and the GPU
  where one is usable (else a line saying why not);
- for comparison, in the same run and on the same texts, a stock spaCy ``en``
  pipeline: ``spacy.blank("en")`` + ``add_pipe("ner")`` with spaCy's default ner config
  (its own 96-wide, 4-deep CNN tok2vec), initialised on a few examples (nothing is
  downloaded);
- the peak memory (max RSS of the run's process and its workers) of each run, and the
  time to load each pipeline.

Each run is a fresh subprocess, so peak memory and load time are its own. ``CPU tok/s``
divides by the CPU time of the (one) process instead of the wall time: on a shared
machine it is the figure for one core. tokens/s counts each pipeline's own tokens (our tokenizer cuts Chinese into characters, the
stock ``en`` one leaves Chinese runs whole), so the comparison that matters is the
time over the same texts: ``speed ratio`` = stock seconds / our seconds.

    python bench/ner_throughput.py [CORPUS] [--repeat N] [--limit N] [--no-gpu]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_texts(corpus: Path, limit: int | None = None) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from techclaims.ingest.digest.readers import read_digest

    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix in {".md", ".txt"})
    texts: list[str] = []
    for path in files:
        _, entries = read_digest(path)
        texts.extend(entry.text for entry in entries)
    return texts[:limit] if limit else texts


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024  # Linux: KiB


def _stock_nlp():  # noqa: ANN202
    import spacy
    from spacy.training import Example

    nlp = spacy.blank("en")
    nlp.add_pipe("ner")  # spaCy's default ner config (HashEmbedCNN width 96, depth 4)
    examples = []
    for text, ents in [
        (
            "vLLM runs Llama on an H100 GPU.",
            [(0, 4, "METHOD"), (10, 15, "MODEL"), (22, 26, "HARDWARE")],
        ),
        (
            "SGLang beats TensorRT-LLM on A100.",
            [(0, 6, "METHOD"), (13, 25, "METHOD"), (29, 33, "HARDWARE")],
        ),
        ("Qwen3-32B is 2x faster.", [(0, 9, "MODEL")]),
    ]:
        doc = nlp.make_doc(text)
        examples.append(Example.from_dict(doc, {"entities": ents}))
    nlp.initialize(lambda: examples)
    return nlp


def run_one(kind: str, corpus: Path, repeat: int, limit: int | None) -> dict:
    """One measurement in this process: ``ours-cpu1``, ``ours-cpu2``, ``ours-gpu``, ``stock-cpu1``."""
    texts = corpus_texts(corpus, limit)
    result: dict = {"run": kind, "texts": len(texts), "chars": sum(map(len, texts))}
    started = time.perf_counter()
    if kind.startswith("ours"):
        import spacy

        sys.path.insert(0, str(ROOT))
        if kind == "ours-gpu":
            try:
                spacy.require_gpu()
            except Exception as err:  # no cupy or no device
                return {**result, "error": f"no usable GPU ({type(err).__name__}: {err})"}
        from techclaims.ingest.nlp.pipeline import MODEL_DIR, MODEL_ENV, load_nlp

        nlp = load_nlp()
        chosen = os.environ.get(MODEL_ENV, "").strip()
        if chosen:  # $TECHCLAIMS_NLP_MODEL picks another pipeline (`rules`: the rules one)
            result["pipeline"] = "rules" if chosen == "rules" else f"env: {Path(chosen).name}"
        else:
            result["pipeline"] = "trained" if (MODEL_DIR / "config.cfg").exists() else "rules"
    else:
        nlp = _stock_nlp()
        result["pipeline"] = "stock en + default ner"
    result["load_s"] = round(time.perf_counter() - started, 3)
    result["components"] = nlp.pipe_names
    n_process = 2 if kind.endswith("cpu2") else 1
    list(nlp.pipe(texts[:8], n_process=1))  # warm up (caches, lazy compiles)
    best = cpu_best = None
    tokens = 0
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        tokens = 0
        for doc in nlp.pipe(texts, batch_size=32, n_process=n_process):
            tokens += len(doc)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        best = elapsed if best is None else min(best, elapsed)
        cpu_best = cpu if cpu_best is None else min(cpu_best, cpu)
    result.update(
        tokens=tokens,
        seconds=round(best, 3),
        tokens_per_s=round(tokens / best),
        chars_per_s=round(result["chars"] / best),
        peak_mb=round(_peak_mb()),
    )
    if n_process == 1:  # CPU time of this process: what one core does, whatever else runs
        result.update(cpu_seconds=round(cpu_best, 3), cpu_tokens_per_s=round(tokens / cpu_best))
    return result


def measure(kind: str, args: argparse.Namespace) -> dict:
    command = [
        sys.executable,
        __file__,
        str(args.corpus),
        "--one",
        kind,
        "--repeat",
        str(args.repeat),
    ]
    if args.limit:
        command += ["--limit", str(args.limit)]
    env = {
        **os.environ,
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode != 0 or not lines:
        return {"run": kind, "error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(lines[-1])


def report(results: list[dict]) -> str:
    rows = [
        f"{'run':<12}{'pipeline':<24}{'load s':>8}{'tokens':>10}{'seconds':>9}{'tokens/s':>10}"
        f"{'CPU tok/s':>11}{'chars/s':>10}{'peak MB':>9}"
    ]
    for r in results:
        if "error" in r:
            rows.append(f"{r['run']:<12}{r['error']}")
            continue
        cpu = str(r.get("cpu_tokens_per_s", "-"))
        rows.append(
            f"{r['run']:<12}{r['pipeline'][:23]:<24}{r['load_s']:>8.2f}{r['tokens']:>10}"
            f"{r['seconds']:>9.2f}{r['tokens_per_s']:>10}{cpu:>11}{r['chars_per_s']:>10}"
            f"{r['peak_mb']:>9}"
        )
    by = {r["run"]: r for r in results if "error" not in r}
    if "ours-cpu1" in by and "stock-cpu1" in by:
        ours, stock = by["ours-cpu1"], by["stock-cpu1"]
        rows.append("")
        rows.append(
            f"against the stock en pipeline, 1 CPU process: tokens/s {ours['tokens_per_s'] / stock['tokens_per_s']:.2f}x; "
            f"time over the same texts {stock['seconds'] / ours['seconds']:.2f}x its speed "
            f"({ours['seconds']:.2f} s against {stock['seconds']:.2f} s: it keeps Chinese runs whole, "
            f"{stock['tokens']} tokens against {ours['tokens']}, and runs no rules)"
        )
        if "cpu_seconds" in ours and "cpu_seconds" in stock:
            rows.append(
                f"in CPU time: tokens/s {ours['cpu_tokens_per_s'] / stock['cpu_tokens_per_s']:.2f}x, "
                f"same texts {stock['cpu_seconds'] / ours['cpu_seconds']:.2f}x "
                f"({ours['cpu_seconds']:.2f} s against {stock['cpu_seconds']:.2f} s)"
            )
    if "ours-cpu1" in by and "ours-cpu2" in by:
        rows.append(
            f"2 processes: {by['ours-cpu1']['seconds'] / by['ours-cpu2']['seconds']:.2f}x the 1-process speed"
        )
    if "ours-cpu1" in by and "ours-gpu" in by:
        rows.append(
            f"GPU: {by['ours-gpu']['tokens_per_s'] / by['ours-cpu1']['tokens_per_s']:.2f}x the 1-process CPU speed"
        )
    if "ours-cpu1" in by:
        rows.append(f"components: {', '.join(by['ours-cpu1']['components'])}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement (best is kept)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N entries")
    parser.add_argument("--no-gpu", action="store_true")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"no corpus at {args.corpus}; pass one", file=sys.stderr)
        return 1
    if args.one:
        print(json.dumps(run_one(args.one, args.corpus, args.repeat, args.limit)))
        return 0
    kinds = ["ours-cpu1", "ours-cpu2", "stock-cpu1"] + ([] if args.no_gpu else ["ours-gpu"])
    results = [measure(kind, args) for kind in kinds]
    print(
        f"corpus: {args.corpus} ({results[0].get('texts', '?')} entries, {results[0].get('chars', '?')} characters)"
    )
    print(report(results))
    if args.json:
        print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
