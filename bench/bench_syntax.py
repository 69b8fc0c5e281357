"""Throughput of the built-in BBj syntax checker (curate.bbjsyntax) on the shared corpus.

Why: the checker runs inside pre-commit hooks and over whole training sets, so it must stay
above 1 MB of source per second on one core. Prints the median of several full passes.

    .venv/bin/python bench/bench_syntax.py [--corpus ../shared/bbj-corpus] [--repeat 7]
    .venv/bin/python bench/bench_syntax.py --synthetic 2   # 2 MB from the tests' own samples,
                                                           # for machines without the corpus
    .venv/bin/python bench/bench_syntax.py --baseline v1.4-commit   # interleaved old/new passes

On a shared machine the speed moves with the other jobs' load, so a before/after comparison
is only fair when both versions run in the same minutes: --baseline REV checks out
curate/bbjsyntax of git revision REV into a temporary folder and alternates one pass of each
version, then prints both medians and their ratio.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
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


Check = Callable[[str], list]


def load_baseline(rev: str, folder: Path) -> tuple[Check, str]:
    """check_source and version of curate/bbjsyntax at git revision `rev` (or in the checkout
    `rev` names, for machines without the git history), imported from a copy under `folder` as
    a separate package (the package imports only itself, relatively)."""
    if (Path(rev) / "curate" / "bbjsyntax" / "__init__.py").is_file():
        folder = Path(rev)
    else:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "curate/bbjsyntax"], check=True, capture_output=True).stdout
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
    init = folder / "curate" / "bbjsyntax" / "__init__.py"
    spec = importlib.util.spec_from_file_location("bbjsyntax_baseline", init, submodule_search_locations=[str(init.parent)])
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.check_source, module.CHECKER_VERSION


def one_pass(check: Check, texts: list[str], size: int) -> tuple[float, float, int]:
    """Wall-clock MB/s, CPU-time MB/s and issues found of one pass over `texts`.

    CPU time (time.process_time) is what "one core" means on a shared machine: other
    processes stretch the wall clock but not our own CPU seconds."""
    start, start_cpu = time.perf_counter(), time.process_time()
    issues = sum(len(check(t)) for t in texts)
    return size / 1e6 / (time.perf_counter() - start), size / 1e6 / max(1e-9, time.process_time() - start_cpu), issues


def report(label: str, passes: list[tuple[float, float, int]]) -> float:
    """Print the medians of `passes`; return the CPU-time median."""
    wall = [p[0] for p in passes]
    cpu = [p[1] for p in passes]
    print(f"{label}: {len(passes)} passes, issues found: {passes[-1][2]}")
    print(f"  wall clock: median {statistics.median(wall):.2f} MB/s, best {max(wall):.2f} MB/s")
    print(f"  CPU time:   median {statistics.median(cpu):.2f} MB/s, best {max(cpu):.2f} MB/s (one core)")
    return statistics.median(cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the built-in BBj syntax checker.")
    parser.add_argument("--corpus", type=Path, default=ROOT / ".." / "shared" / "bbj-corpus")
    parser.add_argument("--repeat", type=int, default=7, help="full passes over the corpus (default 7)")
    parser.add_argument("--synthetic", type=float, metavar="MB", help="benchmark MB of the tests' own sample programs instead of the corpus")
    parser.add_argument("--baseline", metavar="REV", help="also time curate/bbjsyntax of this git revision (or checkout folder), pass for pass interleaved")
    args = parser.parse_args(argv)
    if args.synthetic:
        texts = load_synthetic(args.synthetic)
    elif (args.corpus / "manifest.json").is_file():
        texts = load_corpus(args.corpus)
    else:
        print(f"corpus not found: {args.corpus} (use --synthetic MB)", file=sys.stderr)
        return 2
    size = sum(len(t.encode("utf-8")) for t in texts)
    print(f"{len(texts)} files, {size / 1e6:.2f} MB per pass")
    with tempfile.TemporaryDirectory() as tmp:
        checks: list[tuple[str, Check]] = [(f"{CHECKER_NAME} {CHECKER_VERSION} (this tree)", check_source)]
        if args.baseline:
            base_check, base_version = load_baseline(args.baseline, Path(tmp))
            checks.append((f"{CHECKER_NAME} {base_version} (baseline {args.baseline})", base_check))
        for _, check in checks:
            check(texts[0])  # warm-up: imports, API data, regex compilation
        passes: list[list[tuple[float, float, int]]] = [[] for _ in checks]
        for _ in range(max(1, args.repeat)):
            for k, (_, check) in enumerate(checks):
                passes[k].append(one_pass(check, texts, size))
    medians = [report(label, p) for (label, _), p in zip(checks, passes)]
    if len(medians) == 2:
        print(f"ratio of CPU-time medians, this tree / baseline: {medians[0] / medians[1]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
