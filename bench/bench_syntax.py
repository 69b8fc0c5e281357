"""Throughput of the built-in BBj syntax checker (curate.bbjsyntax) on the shared corpus.

Why: the checker runs inside pre-commit hooks and over whole training sets, so it must stay
above 1 MB of source per second on one core. Prints the median of several full passes.

    .venv/bin/python bench/bench_syntax.py [--corpus ../shared/bbj-corpus] [--repeat 7]
    .venv/bin/python bench/bench_syntax.py --synthetic 2   # 2 MB from the tests' own samples,
                                                           # for machines without the corpus
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from curate.bbjsyntax import CHECKER_NAME, CHECKER_VERSION, check_source


def load_corpus(corpus: Path) -> list[str]:
    """The BBj sources named in the corpus manifest, decoded (utf-8, else latin-1)."""
    entries = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))["files"]
    texts = []
    for entry in entries:
        if not entry["path"].startswith("files/"):
            continue
        data = (corpus / entry["path"]).read_bytes()
        try:
            texts.append(data.decode("utf-8"))
        except UnicodeDecodeError:
            texts.append(data.decode("latin-1"))
    return texts


def load_synthetic(megabytes: float) -> list[str]:
    """The test suite's own valid sample programs, repeated to about `megabytes` MB."""
    sys.path.insert(0, str(ROOT / "tests" / "bbjsyntax"))
    from bbjsyntax_samples import SAMPLES  # only this mode needs it

    texts: list[str] = []
    size = 0
    while size < megabytes * 1e6:
        for text in SAMPLES.values():
            texts.append(text)
            size += len(text.encode("utf-8"))
    return texts


def run(texts: list[str], repeat: int) -> tuple[list[float], list[float], int, int]:
    """Wall-clock and CPU-time MB/s of `repeat` full passes, bytes per pass, issues found.

    CPU time (time.process_time) is what "one core" means on a shared machine: other
    processes stretch the wall clock but not our own CPU seconds."""
    size = sum(len(t.encode("utf-8")) for t in texts)
    wall: list[float] = []
    cpu: list[float] = []
    issues = 0
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        issues = sum(len(check_source(t)) for t in texts)
        wall.append(size / 1e6 / (time.perf_counter() - start))
        cpu.append(size / 1e6 / max(1e-9, time.process_time() - start_cpu))
    return wall, cpu, size, issues


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the built-in BBj syntax checker.")
    parser.add_argument("--corpus", type=Path, default=ROOT / ".." / "shared" / "bbj-corpus")
    parser.add_argument("--repeat", type=int, default=7, help="full passes over the corpus (default 7)")
    parser.add_argument("--synthetic", type=float, metavar="MB", help="benchmark MB of the tests' own sample programs instead of the corpus")
    args = parser.parse_args(argv)
    if args.synthetic:
        texts = load_synthetic(args.synthetic)
    elif (args.corpus / "manifest.json").is_file():
        texts = load_corpus(args.corpus)
    else:
        print(f"corpus not found: {args.corpus} (use --synthetic MB)", file=sys.stderr)
        return 2
    check_source(texts[0])  # warm-up: imports, API data, regex compilation
    wall, cpu, size, issues = run(texts, max(1, args.repeat))
    print(f"{CHECKER_NAME} {CHECKER_VERSION}: {len(texts)} files, {size / 1e6:.2f} MB per pass, {len(wall)} passes, issues found: {issues}")
    print(f"wall clock: median {statistics.median(wall):.2f} MB/s, best {max(wall):.2f} MB/s")
    print(f"CPU time:   median {statistics.median(cpu):.2f} MB/s, best {max(cpu):.2f} MB/s (one core)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
