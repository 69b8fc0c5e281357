"""Compile-check benchmark: the built-in checker over N generated example code blocks, cold
(empty verdict cache) and warm (every verdict cached), at several -j values.

    .venv/bin/python bench/bench_compile.py --counts 1000 10000 --jobs 1 2 --runs 3

Each example holds one ```bbj block, a varied BBj program assembled from a few dozen statement
templates (classes, loops, SELECT/SWITCH, strings, file I/O, GUI calls; 5 % carry a planted
error). Timed: the pipeline's `compile_step` (programs from examples, cache lookup, checking, cache write)
on examples already loaded; loading is timed apart. Median of --runs, wall and CPU seconds
(this process plus its pool workers: the figure that shared, busy cores do not inflate much)."""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from benchlib import machine, table

from curate.checks import CheckOptions, CheckRun, compile_step
from curate.config import CurateConfig
from curate.example import Example, load_example

WORDS = "customer order invoice account ledger stock vendor report balance record item price total name city".split()
STATEMENTS = [
    'let {v}$ = "{w} {n}"',
    "{v} = {n} * 2 + len({v2}$)",
    "for {i} = 1 to {n}\n    {v} = {v} + {i}\nnext {i}",
    'if {v} > {n} then\n    print "{w} is big"\nelse\n    print "{w} is small"\nendif',
    "while {v} < {n}\n    {v} = {v} + 1\nwend",
    "repeat\n    {v} = {v} - 1\nuntil {v} <= 0",
    'switch {v}\n    case 1\n        print "one"\n        break\n    case default\n        print "{w}"\n        break\nswend',
    '{v}$ = cvs("{w}", 4) + str({n})',
    'open (1, err=*next)"{w}.dat"\nread record (1, key="{w}", err=*next) {v}$\nclose (1)',
    'dim {v}$[{n}]\n{v}$[1] = "{w}"',
    'sysgui! = BBjAPI().getSysGui()\nwindow! = sysgui!.addWindow(10, 10, 400, 300, "{w}")\nbutton! = window!.addButton(101, 20, 20, 100, 25, "OK")',
    'print "{w}: ", {v}, " of ", {n}',
    "gosub {w}_sub",
]
CLASS = "class public {W}\n    field public BBjString Name$\n    method public void show()\n        print #Name$\n    methodend\nclassend\n\n{w}! = new {W}()\n{w}!.show()"
PLANTED = ['print "{w}', "for {i} = 1 to (", "if {v} then", "methodend"]


def program(rng: random.Random, index: int) -> str:
    def fill(template: str) -> str:
        return template.format(
            v=f"{rng.choice(WORDS)}_{rng.randint(1, 99)}",
            v2=rng.choice(WORDS),
            w=rng.choice(WORDS),
            W=rng.choice(WORDS).title(),
            n=rng.randint(1, 9999),
            i=rng.choice("ijk"),
        )

    lines = [f"rem generated program {index}"]
    lines += [fill(rng.choice(STATEMENTS)) for _ in range(rng.randint(3, 9))]
    if rng.random() < 0.2:
        lines.append(fill(CLASS))
    if rng.random() < 0.05:
        lines.insert(rng.randint(1, len(lines)), fill(rng.choice(PLANTED)))
    if any(line.startswith("gosub") for line in lines):
        lines += ["end", *(f"{w}_sub:\n    return" for w in WORDS)]
    return "\n".join(lines)


def generate(folder: Path, count: int, seed: int = 11) -> list[Example]:
    rng = random.Random(seed)
    examples = []
    for index in range(count):
        text = (
            f"---\ntitle: Generated {index}\ntype: completion\ngeneration: bbj-gui\ndifficulty: basic\nstatus: draft\n---\n\n"
            f"## Code\n\n```bbj\n{program(rng, index)}\n```\n\n## Explanation\n\nExample {index}.\n"
        )
        path = folder / f"example-{index:06d}.md"
        path.write_text(text, "utf-8")
        examples.append(path)
    return [load_example(p, p.name)[0] for p in examples]  # type: ignore[misc]


def cpu_seconds() -> float:
    """User + system time of this process and its reaped children (the pool's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_check(examples: list[Example], cache: Path, jobs: int) -> tuple[float, float, int]:
    """Wall and CPU seconds of one compile step, and how many findings it reported."""
    config = CurateConfig(root=cache.parent, cache_dir=str(cache), checker="builtin")
    run = CheckRun([], config, CheckOptions(checker="builtin", jobs=jobs), examples=examples)
    start, cpu = time.perf_counter(), cpu_seconds()
    run.apply(compile_step)
    return time.perf_counter() - start, cpu_seconds() - cpu, len(run.diagnostics)


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = []
    for count in args.counts:
        work = Path(tempfile.mkdtemp(prefix="bench-compile-"))
        try:
            (work / "data").mkdir()
            start = time.perf_counter()
            examples = generate(work / "data", count)
            load = time.perf_counter() - start
            for jobs in args.jobs:
                cold, cold_cpu, warm, warm_cpu, findings = [], [], [], [], 0
                for run in range(args.runs):
                    cache = work / f"cache-{jobs}-{run}"
                    seconds, cpu, findings = timed_check(examples, cache, jobs)
                    cold.append(seconds)
                    cold_cpu.append(cpu)
                    seconds, cpu, _ = timed_check(examples, cache, jobs)
                    warm.append(seconds)
                    warm_cpu.append(cpu)
                rows.append(
                    (
                        f"{count:,}",
                        f"-j {jobs}",
                        f"{median(cold):.2f} s",
                        f"{median(cold_cpu):.2f} s",
                        f"{median(warm):.3f} s",
                        f"{median(warm_cpu):.3f} s",
                        f"{findings:,}",
                        f"{load:.1f} s",
                    )
                )
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print(f"machine: {machine()}")
    print("command: bench/bench_compile.py " + " ".join(sys.argv[1:]))
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(table(rows, ("blocks", "jobs", "cold wall", "cold CPU", "cached wall", "cached CPU", "findings", "generate+load")))


if __name__ == "__main__":
    main()
