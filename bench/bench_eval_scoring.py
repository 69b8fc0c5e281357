"""Eval scoring benchmark: extract + compile check + must_call + chrF + aggregate over N
completions (the issue's bar: 10,000 completions in <= 10 s on 2 cores).

    .venv/bin/python bench/bench_eval_scoring.py --count 10000 --runs 3

The requests are those of a real run over the shipped benchmark (`runner.plan`: one greedy
draft per case, then sampled drafts of the code cases until N), each completion distinct (a
numbered REM line), so the checker's "identical code once" shortcut does not help: 60% fenced
correct code, 15% fenced code with a planted error, 15% code without a fence, 10% prose only;
prose cases answer with their reference plus a line (chrF). Timed:
`train.eval.runner.score` (what a real run does after generation) + `model_metrics` +
`categories`. Median of --runs, wall and CPU seconds (with the checker's pool workers)."""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from benchlib import machine, table

from train.eval.aggregate import categories, model_metrics
from train.eval.cases import EvalCase, load_case_file
from train.eval.client import Completion
from train.eval.config import EvalConfig
from train.eval.judge import Judge
from train.eval.runner import Job, plan, score
from train.eval.scoring import reference_programs


def completion_for(case: EvalCase, n: int, rng: random.Random) -> str:
    if case.expects == "prose":
        return f"{case.reference or ''}\n\nIn short: see answer {n}."
    code = (reference_programs(case.reference or "") or ['print "hello"'])[-1]
    code = f"rem sample {n}\n" + code.replace("$", f"{n % 97}$", 1) if "$" in code else f"rem sample {n}\n{code}"
    roll = rng.random()
    if roll < 0.60:
        return f"Here is the program:\n\n```bbj\n{code}\n```\n\nIt does what you asked."
    if roll < 0.75:
        return f"```bbj\n{code}\nfunction broken() {{\n}}\n```"
    if roll < 0.90:
        return f"{code}\n"
    return "I am not sure how to do that in BBj, sorry."


def workload(count: int) -> tuple[list[Job], list[Completion]]:
    cases = load_case_file(ROOT / "benchmark" / "bbj-bench-v1.jsonl")
    code_cases = sum(c.expects == "code" for c in cases)
    samples = max(0, -(-(count - len(cases)) // code_cases))
    config = EvalConfig.model_validate(
        {"samples": samples, "k": [1], "models": [{"name": "m", "backend": "openai", "base_url": "http://127.0.0.1:9/v1", "model": "m"}]}
    )
    jobs = plan(cases, config)[:count]
    rng = random.Random(7)
    completions = [Completion(completion_for(job.case, n, rng), "ok", None, 100 + n % 50, 1.0) for n, job in enumerate(jobs)]
    return jobs, completions


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    jobs, completions = workload(args.count)
    judge = Judge()
    walls, cpus = [], []
    for _ in range(args.runs):
        cpu, start = cpu_seconds(), time.perf_counter()
        rows = score(jobs, completions, judge, "bench")
        metrics = model_metrics(rows, [1], 0, 0)  # compile@1 over the greedy drafts
        categories(rows)
        walls.append(time.perf_counter() - start)
        cpus.append(cpu_seconds() - cpu)
    statuses = metrics["statuses"]
    print(f"machine: {machine()}; checker: {judge.checker.describe()}")
    print(table([(str(args.count), f"{statistics.median(walls):.2f}", f"{statistics.median(cpus):.2f}", " ".join(f"{w:.2f}" for w in walls),
                  f"{statuses['ok']}/{statuses['syntax-error']}/{statuses['no-code']}")],
                ("completions", "median wall s", "median CPU s", "runs wall s", "ok/syntax-error/no-code (first drafts)")))  # fmt: skip


if __name__ == "__main__":
    main()
