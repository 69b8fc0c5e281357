"""Cost of each lint rule, in CPU microseconds per file, over N generated examples already
loaded in memory (loading is measured as its own row). CPU time, not wall time, so a busy shared
machine disturbs it less: `python bench/bench_rules.py --count 2000 --runs 5`."""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from benchlib import machine, table
from gen_examples import generate

from curate.config import CurateConfig
from curate.example import Example, load_example
from curate.rules.base import ProjectRule, Rule, RuleContext, all_rules
from curate.schema import schema_errors


def cpu_seconds(action: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        action()  # type: ignore[operator]
        times.append(time.process_time() - start)
    return statistics.median(times)


def check_all(rule: Rule, examples: list[Example], ctx: RuleContext) -> None:
    if isinstance(rule, ProjectRule):
        list(rule.check_all(examples, ctx))
    else:
        for example in examples:
            list(rule.check(example, ctx))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-rules-"))
    try:
        paths = generate(work / "training-data", args.count)
        config = CurateConfig(root=work)
        load = cpu_seconds(lambda: [load_example(p, p.name, p.parent.name) for p in paths], args.runs)
        examples = [e for e in (load_example(p, p.name, p.parent.name)[0] for p in paths) if e is not None]
        ctx = RuleContext(config)
        # BBJ201-203 share Example.schema_errors, computed once per example: its own row, since
        # after the first run the rules only read the cached value.
        schema = cpu_seconds(lambda: [schema_errors(e.meta) for e in examples], args.runs)
        rows = [
            ("load_example (read, YAML, body scan)", f"{load / len(paths) * 1e6:.1f}"),
            ("schema validation (shared by BBJ201-203)", f"{schema / len(examples) * 1e6:.1f}"),
        ]
        total = schema
        for cls in all_rules():
            rule = cls()
            seconds = cpu_seconds(lambda rule=rule: check_all(rule, examples, ctx), args.runs)
            total += seconds
            rows.append((f"{cls.code} {cls.name}", f"{seconds / len(examples) * 1e6:.1f}"))
        rows.append(("all rules, schema included", f"{total / len(examples) * 1e6:.1f}"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"machine: {machine()}")
    print(f"command: python bench/bench_rules.py --count {args.count} --runs {args.runs} (median CPU time)")
    print(table(rows, ("step", "us per file")))


if __name__ == "__main__":
    main()
