"""Data pipeline benchmark: the `bbj-train` data commands as whole processes (what a user waits
for, interpreter start and imports included), median of --runs.

    .venv/bin/python bench/bench_data.py --examples 10000 --legacy 10000 --runs 3

- convert: N generated examples (bench/gen_examples.py, all types and generations) -> ChatML,
  in one process and with the default worker processes.
- import-chatml: a legacy file of N lines: 80 % valid or fixable unique records (a tenth of them
  planted exact or near duplicates), 20 % the defect catalogue of tests/fixtures/legacy.
- split: the converted records, with near-duplicate clustering and the leak check.
- corpus: the shared reference corpus (if present) with FIM at rate 0.5."""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from benchlib import machine, table
from gen_examples import generate

SHARED_CORPUS = ROOT / ".." / "shared" / "bbj-corpus" / "files"


def legacy_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("legacy_fixture", ROOT / "tests" / "fixtures" / "legacy" / "legacy_fixture.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["legacy_fixture"] = module
    spec.loader.exec_module(module)
    return module


def legacy_file(path: Path, lines: int, seed: int = 3) -> Path:
    """A realistic legacy file: mostly good records, some duplicates, a share of every defect."""
    legacy = legacy_module()
    rng = random.Random(seed)
    defects = legacy.build(seed=seed, rounds=max(1, lines // 5 // 50), heavy=False)
    out: list[bytes] = list(defects.lines)
    fences = ["bbj", "bbj", "bbj", "basic", "vb", ""]
    roles = [("user", "assistant"), ("user", "assistant"), ("human", "gpt")]
    good: list[bytes] = []
    while len(out) + len(good) < lines:
        if good and rng.random() < 0.1:
            twin = json.loads(rng.choice(good))
            if "messages" in twin and rng.random() < 0.5:
                twin["messages"][-1]["content"] = twin["messages"][-1]["content"].replace("This program", "This small program", 1)
            good.append(json.dumps(twin).encode())
            continue
        user, assistant = legacy.exchange(rng, fence=rng.choice(fences))
        record = {"text": legacy.text_form(user, assistant)} if rng.random() < 0.3 else {"messages": legacy.messages(user, assistant, roles=rng.choice(roles))}
        good.append(json.dumps(record).encode())
    mixed = out + good
    rng.shuffle(mixed)
    path.write_bytes(b"\n".join(mixed[:lines]) + b"\n")
    return path


def timed(argv: list[str], cwd: Path, runs: int) -> tuple[float, float, list[float]]:
    """(median wall seconds, median CPU seconds of the process, every wall time) after one
    warm-up run. CPU time (user + system) shows the cost apart from other load on the machine."""
    walls, cpus = [], []
    for attempt in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        result = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {result.stderr[-2000:]}")
        if attempt:
            walls.append(wall)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus), walls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--legacy", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    exe = str(Path(sys.executable).with_name("bbj-train"))
    work = Path(tempfile.mkdtemp(prefix="bench-data-"))
    try:
        (work / "pyproject.toml").write_text('[tool.bbj-curate]\ntopics = ["gui", "database", "strings", "file-io", "control-flow", "oop", "dwc"]\n')
        generate(work / "training-data", args.examples)
        legacy = legacy_file(work / "legacy.jsonl", args.legacy)
        steps = [
            (f"convert {args.examples:,} examples (-j 1)", [exe, "convert", "training-data", "--out", "converted", "-j", "1"]),
            (f"convert {args.examples:,} examples (-j {os.cpu_count()})", [exe, "convert", "training-data", "--out", "converted"]),
            (f"import-chatml {args.legacy:,} lines (dedupe on)", [exe, "import-chatml", str(legacy), "--out", "imported"]),
            (f"split {args.examples:,} records (dedupe + leak check)", [exe, "split", "converted", "--out", "split"]),
        ]
        if SHARED_CORPUS.is_dir():
            steps.append(
                ("corpus shared bbj-corpus (170 files, FIM 0.5)", [exe, "corpus", str(SHARED_CORPUS), "--out", "corpus/corpus.jsonl", "--fim-rate", "0.5"])
            )
        rows = []
        for label, argv in steps:
            wall, cpu, walls = timed(argv, work, args.runs)
            rows.append((label, f"{wall:.2f}", f"{cpu:.2f}", " ".join(f"{t:.2f}" for t in walls)))
        report = json.loads((work / "imported" / "report.json").read_text())
        print(f"machine: {machine()}")
        print(table(rows, ("command", "median wall s", "median CPU s", "wall s of each run")))
        print(f"import outcome: {report['kept']} kept, {report['fixed']} fixed, {report['dropped']} dropped of {report['input_lines']}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
