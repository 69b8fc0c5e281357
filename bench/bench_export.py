"""Wall time of a whole `bbj-train export` of the release tests' model (a really trained 1.3M-parameter
Qwen2, hidden 256, MLP 512; F16 kept, Q4_K_M + Q8_0, compile@1 on 2 cases: the tests' `release`
fixture), for one or more checkouts, interleaved run by run so that every checkout sees the same
minutes of a shared machine:

    python3 bench/bench_export.py --work /tmp/bench-export --runs 3 --checkout /tmp/before --checkout .

Each export is a fresh `python -m train.cli export` process with the checkout first on PYTHONPATH
(the venv's other packages are the same for all). The model and the training run are built once
by the tests' own builders (tests/release/release_helpers.py)."""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "release"))
sys.path.insert(0, str(ROOT))

from benchlib import machine, table
from release_helpers import KL_BOUND, build_export_model, train_run, write_data


def prepare(work: Path) -> Path:
    """The trained run (built once, reused by later invocations with the same --work)."""
    runs = work / "train" / "runs"
    if runs.is_dir() and any(runs.iterdir()):
        return next(runs.iterdir())
    shutil.rmtree(work, ignore_errors=True)
    data = write_data(work / "data")
    base = build_export_model(work / "base", data["corpus"])
    (work / "train").mkdir()
    return train_run(work / "train", base, data["split"])


def export_seconds(checkout: Path, run: Path, out: Path) -> tuple[float, float]:
    """(wall s, CPU s of the export's whole process tree: user + system of every waited-for child)"""
    shutil.rmtree(out, ignore_errors=True)
    argv = [sys.executable, "-m", "train.cli", "export", "--run", str(run), "--out", str(out), "--name", "bench",
            "--quant", "Q4_K_M", "--quant", "Q8_0", "--keep-f16", "--kl-bound", str(KL_BOUND),
            "--eval-cases", "2", "--eval-suite", str(ROOT / "benchmark" / "bbj-bench-v1.jsonl")]  # fmt: skip
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(checkout), os.environ.get("PYTHONPATH")])),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=checkout, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"export with {checkout} failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return seconds, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--checkout", type=Path, action="append", help="repository checkout to time (repeatable; default: this one)")
    args = parser.parse_args()
    checkouts = [c.resolve() for c in args.checkout or [ROOT]]
    run = prepare(args.work)
    times: dict[Path, list[float]] = {c: [] for c in checkouts}
    cpu: dict[Path, list[float]] = {c: [] for c in checkouts}
    loads = [os.getloadavg()[0]]
    for index in range(args.runs):
        for checkout in checkouts:
            wall, used = export_seconds(checkout, run, args.work / "dist")
            times[checkout].append(wall)
            cpu[checkout].append(used)
            print(f"run {index + 1}: {checkout}: {wall:.1f} s wall, {used:.1f} s CPU", flush=True)
        loads.append(os.getloadavg()[0])
    wall0, cpu0 = statistics.median(times[checkouts[0]]), statistics.median(cpu[checkouts[0]])
    rows: list[tuple[str, ...]] = [(str(c), " ".join(f"{t:.1f}" for t in times[c]), f"{statistics.median(times[c]):.1f}",
             f"{statistics.median(times[c]) / wall0:.2f}x", " ".join(f"{t:.1f}" for t in cpu[c]), f"{statistics.median(cpu[c]):.1f}",
             f"{statistics.median(cpu[c]) / cpu0:.2f}x") for c in checkouts]  # fmt: skip
    print(f"\n{machine()}; load average {min(loads):.1f}-{max(loads):.1f}\n")
    print(table(rows, ("checkout", "wall s per run", "median wall s", "ratio", "CPU s per run", "median CPU s", "ratio")))


if __name__ == "__main__":
    main()
