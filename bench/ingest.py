"""Time and peak memory of `kg ingest` on a folder of digests (default: ../shared/corpus).

Prints papers and claims per digest, the wall time and peak RSS of a first
ingest into an empty store, and of a second ingest of the same files (which
must leave the graph unchanged).

    python bench/ingest.py [FOLDER]
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KG = [sys.executable, "-m", "techclaims.kg.cli"]


# Each run goes through its own small parent, so the peak RSS is that run's alone.
_MEASURE = (
    "import resource, subprocess, sys;"
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
    "sys.stdout.write(done.stdout); sys.stderr.write(done.stderr);"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr);"
    "sys.exit(done.returncode)"
)


def run(args: list[str]) -> tuple[float, float, str]:
    """(seconds, peak RSS of the `kg` process in MiB, stdout)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *KG, *args], capture_output=True, text=True, cwd=ROOT
    )
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 4):
        sys.exit(f"kg {' '.join(args)} failed: {done.stderr.strip()}")
    *messages, peak_kib = done.stderr.strip().splitlines()
    for line in messages:
        if "error" in line:
            print(line, file=sys.stderr)
    return seconds, int(peak_kib) / 1024, done.stdout


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus")
    if not folder.exists():
        sys.exit(f"{folder}: no such folder")
    size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file()) / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        store = str(Path(tmp) / "store")
        first, rss, out = run(["ingest", str(folder), "--store", store, "--no-progress"])
        dump = Path(tmp) / "a.nq"
        run(["export", "--format", "nq", "-o", str(dump), "--store", store])
        digest_a = hashlib.sha256(dump.read_bytes()).hexdigest()
        second, rss2, _ = run(["ingest", str(folder), "--store", store, "--no-progress"])
        run(["export", "--format", "nq", "-o", str(dump), "--store", store])
        digest_b = hashlib.sha256(dump.read_bytes()).hexdigest()
        _, _, stats = run(["stats", "--store", store])
    print(f"corpus: {folder} ({size:.2f} MB)")
    print(out.strip())
    print(stats.strip())
    print()
    print(f"{'run':<28}{'seconds':>10}{'peak RSS MiB':>15}{'MB/s':>8}")
    print(f"{'first ingest (empty store)':<28}{first:>10.1f}{rss:>15.0f}{size / first:>8.2f}")
    print(f"{'second ingest (same files)':<28}{second:>10.1f}{rss2:>15.0f}{size / second:>8.2f}")
    print(f"graph unchanged by the second ingest: {digest_a == digest_b}")


if __name__ == "__main__":
    main()
