"""Choose a checker, run it over programs (in parallel, behind the verdict cache) and turn its
findings into Diagnostics on the lines of the files the programs came from."""

from __future__ import annotations

import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from curate.bbjsyntax.issues import WARNING_CODES
from curate.compile.cache import VerdictCache, verdict_key
from curate.compile.checkers import TRANSIENT_CODES, BuiltinChecker, Checker
from curate.compile.program import Finding, Program, programs_of_example
from curate.config import CurateConfig
from curate.diagnostics import Diagnostic, Severity
from curate.example import Example
from curate.progress import Advance, task

# A process pool costs ~0.07 s CPU to start; below ~500 programs (~0.3 s of checking) it costs
# more than it saves on 2 cores (measured with bench/bench_compile.py).
PROCESS_THRESHOLD = 500
CHUNKS_PER_WORKER = 4
T = TypeVar("T")


def select_checker(config: CurateConfig, requested: str | None = None, environ: Mapping[str, str] | None = None, budget: float | None = None) -> Checker | None:
    """`auto`: bbjcpl when found, else the built-in checker; `none`: no compile check. `budget`
    bounds the built-in checker's seconds per file (bbjcpl has its own `compile_timeout`)."""
    from curate.compile.bbjcpl import BbjcplChecker, find_bbjcpl, where_we_looked

    choice = requested or config.checker
    if choice == "none":
        return None
    if choice in ("auto", "bbjcpl"):
        found = find_bbjcpl(config, environ)
        if found is not None:
            return BbjcplChecker(found, config.compile_timeout)
        if choice == "bbjcpl":
            from curate.compile.errors import CheckerUnavailable

            raise CheckerUnavailable(
                f'--checker bbjcpl: bbjcpl not found ({where_we_looked(config, environ)}). Set bbjcpl = "/path/to/bbjcpl" '
                "under [tool.bbj-curate], set BBJ_HOME to a BBj install, put bbjcpl on PATH, or use --checker builtin."
            )
        return BuiltinChecker("bbjcpl not found", budget)
    return BuiltinChecker(f"--checker {choice}" if requested else f"config checker = {choice}", budget)


def check_programs(programs: list[Program], checker: Checker, cache: VerdictCache | None, jobs: int | None = None) -> list[Diagnostic]:
    """Check each distinct program once (identical code is checked once, cached code never)."""
    keys = [verdict_key(program, checker) for program in programs]
    verdicts = cache.get_many(keys) if cache else {}
    todo: dict[str, Program] = {}
    for key, program in zip(keys, programs):
        if key not in verdicts:
            todo.setdefault(key, program)
    fresh = dict(zip(todo, _run(checker, list(todo.values()), jobs or os.cpu_count() or 1)))
    if cache:
        cache.put_many({k: v for k, v in fresh.items() if not any(f.code in TRANSIENT_CODES for f in v)})
    verdicts.update(fresh)
    return [diag for key, program in zip(keys, programs) for diag in to_diagnostics(program, verdicts[key])]


def _run(checker: Checker, programs: list[Program], jobs: int) -> list[list[Finding]]:
    with task("compile", len(programs)) as advance:
        if jobs > 1 and len(programs) > 1 and checker.parallelism == "threads":
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                return [_advanced(verdict, advance) for verdict in pool.map(checker.check, programs)]
        if jobs > 1 and len(programs) >= PROCESS_THRESHOLD:
            size = max(1, -(-len(programs) // (jobs * CHUNKS_PER_WORKER)))
            chunks = [programs[i : i + size] for i in range(0, len(programs), size)]
            from concurrent.futures import ProcessPoolExecutor  # here: multiprocessing costs every hook 10 ms to import

            with ProcessPoolExecutor(max_workers=jobs) as pool:
                return [verdict for chunk in pool.map(checker.check_many, chunks) for verdict in _advanced(chunk, advance, len(chunk))]
        return [_advanced(checker.check(program), advance) for program in programs]


def _advanced(value: T, advance: Advance, steps: int = 1) -> T:
    advance(steps)
    return value


def to_diagnostics(program: Program, findings: list[Finding]) -> list[Diagnostic]:
    """Findings on physical lines -> Diagnostics on the program's report lines."""
    by_name = {source.name: source for source in program.files}
    several = len(program.files) > 1
    out = []
    for finding in findings:
        source = by_name.get(finding.file, program.files[0])
        line = source.report_line(finding.line)
        message = f"{finding.file}: {finding.message}" if several else finding.message
        severity = Severity.WARNING if finding.code in WARNING_CODES else Severity.ERROR
        out.append(Diagnostic(program.path, line, max(finding.col, 1), finding.code, severity, message))
    return out


def open_cache(config: CurateConfig) -> VerdictCache:
    return VerdictCache(config.cache_subdir("compile"))


def check_examples(
    examples: list[Example], checker: Checker, config: CurateConfig, jobs: int | None = None, cache: bool = True
) -> tuple[list[Diagnostic], list[str]]:
    """Every example's BBj blocks through `checker` (behind the verdict cache unless `cache` is
    off): the raw diagnostics (the check pipeline finalizes them), and notes on cache problems."""
    programs: list[Program] = []
    problems: list[Diagnostic] = []
    for example in examples:
        found, unusable = programs_of_example(example)
        programs.extend(found)
        problems.extend(unusable)
    verdicts = open_cache(config) if cache else None
    try:
        diagnostics = check_programs(programs, checker, verdicts, jobs)
    finally:
        if verdicts is not None:
            verdicts.close()
    notes = [verdicts.problem] if verdicts is not None and verdicts.problem else []
    return problems + diagnostics, notes
