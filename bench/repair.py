"""Accuracy and speed of the encoding repair (`ingest.digest.repair`).

(a) Character accuracy (1 - edit distance / length, line by line) on the clean
    digests 000 and 003 after corrupting them exactly as the damaged ones were,
    for `repair_text` and, for comparison, a plain cp1254 round trip.
(b) Time to repair the three damaged digests (001, 002, 004) in one process on
    one core, and the rate in kB/s of damaged UTF-8 input (printed first, so
    that loading the model is timed on its own).
(c) A few repaired lines of each damaged digest, to read by eye.

    python bench/repair.py [CORPUS_FOLDER]      (default: ../shared/corpus)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from techclaims.ingest.digest.repair import (  # noqa: E402
    char_accuracy,
    completions,
    corrupt,
    is_mojibake,
    repair_text,
)

CLEAN = ("000", "003")
DAMAGED = ("001", "002", "004")


def _digest(folder: Path, prefix: str) -> Path:
    """The digest whose name starts with ``prefix``."""
    return sorted(folder.glob(f"{prefix}_*.txt"))[0]


def _plain_round_trip(text: str) -> str:
    """What re-encoding alone gives: damaged characters become U+FFFD."""
    return text.encode("cp1254").decode("utf-8", errors="replace")


def accuracy(folder: Path) -> None:
    """Print per-file and overall character accuracy, repair vs plain round trip."""
    print("(a) character accuracy on corrupted clean digests")
    print(f"    {'file':<28} {'chars':>9} {'repair':>9} {'cp1254':>9} {'seconds':>8}")
    originals, repaired, plain = [], [], []
    for prefix in CLEAN:
        path = _digest(folder, prefix)
        text = path.read_text(encoding="utf-8")
        damaged = corrupt(text)
        started = time.process_time()
        fixed = repair_text(damaged)
        seconds = time.process_time() - started
        rough = _plain_round_trip(damaged)
        print(
            f"    {path.name:<28} {len(text):>9} {char_accuracy(text, fixed):>9.5f}"
            f" {char_accuracy(text, rough):>9.5f} {seconds:>8.2f}"
        )
        originals.append(text)
        repaired.append(fixed)
        plain.append(rough)
    whole = "\n".join(originals)
    print(
        f"    {'overall':<28} {len(whole):>9} {char_accuracy(whole, chr(10).join(repaired)):>9.5f}"
        f" {char_accuracy(whole, chr(10).join(plain)):>9.5f}"
    )


def speed(folder: Path) -> list[tuple[str, str]]:
    """Print the time to repair the damaged digests; return (name, repaired) pairs."""
    print("(b) repairing the damaged digests (one process, one core)")
    started = time.process_time()
    completions(bytes([0xE3, 0x80]))  # the first call builds the model (the lookup is microseconds)
    load = time.process_time() - started
    print(f"    model load (jieba dictionary + HMM tables): {load:.2f} s CPU")
    total_bytes, total_cpu, total_wall, out = 0, 0.0, 0.0, []
    for prefix in DAMAGED:
        path = _digest(folder, prefix)
        text = path.read_text(encoding="utf-8")
        size = len(text.encode("utf-8"))
        wall, cpu = time.perf_counter(), time.process_time()
        flagged = is_mojibake(text)
        fixed = repair_text(text)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        print(f"    {path.name:<28} {size / 1000:>7.1f} kB  mojibake={flagged}  {cpu:.2f} s CPU")
        total_bytes, total_cpu, total_wall = total_bytes + size, total_cpu + cpu, total_wall + wall
        out.append((path.name, fixed))
    print(
        f"    total {total_bytes / 1000:.1f} kB in {total_cpu:.2f} s CPU ({total_wall:.2f} s wall):"
        f" {total_bytes / 1000 / total_cpu:.0f} kB/s; with model load {total_cpu + load:.2f} s"
    )
    return out


def sample(repaired: list[tuple[str, str]], lines: int = 4) -> None:
    """Print a few repaired lines that carry Chinese text."""
    print("(c) repaired lines, to read by eye")
    for name, text in repaired:
        print(f"    -- {name}")
        chinese = [
            line for line in text.splitlines() if sum("\u4e00" <= c <= "\u9fff" for c in line) > 20
        ]
        step = max(1, len(chinese) // lines)
        for line in chinese[::step][:lines]:
            print(f"    {line[:110]}")


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus"
    if not folder.is_dir():
        sys.exit(f"no corpus folder at {folder}")
    repaired = speed(folder)  # first, so that the model load is timed on its own
    accuracy(folder)
    sample(repaired)


if __name__ == "__main__":
    main()
