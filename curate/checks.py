"""`bbj-curate check`: lint, then the compile check, then near-duplicate detection, as small
steps over one `CheckRun`. Each step returns its diagnostics, finalized for the example they
are on (`curate.lint.finalize`: `lint_ignore`, severity overrides, the training gate); the
pipeline collects them. The checkers below (`curate.compile`, `curate.dedupe`) take examples
and return diagnostics: they never import this module. Front ends only render the result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from curate.config import CurateConfig
from curate.diagnostics import Diagnostic
from curate.example import Example
from curate.lint import LINT_FAMILIES, enabled_rules, finalize, lint_document, lint_example, lint_paths, unused_noqa
from curate.rules.base import RuleContext
from curate.stdin import Document
from curate.trainable import COMPILE_FAMILY, DEDUPE_FAMILY


@dataclass
class CheckOptions:
    checker: str | None = None  # auto | bbjcpl | builtin | none (None: from config)
    jobs: int | None = None
    dedupe: bool = True
    compile: bool = True
    file_budget: float | None = None  # seconds per file for each step: lint, built-in compile check, dedupe (the hooks set it)
    document: Document | None = None  # check this document from stdin instead of the paths
    cache: bool = True  # read and write the compile verdict cache (off for a stdin document)


@dataclass
class CheckRun:
    paths: list[Path]
    config: CurateConfig
    options: CheckOptions
    examples: list[Example] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    notes: list[str] = field(default_factory=list)  # e.g. "compile check: bbjcpl 23.04 (/opt/bbj/bin/bbjcpl)"
    judged: list[str] = field(default_factory=list)  # code families the steps that ran could report (for unused noqa)

    def finalized(self, diags: list[Diagnostic]) -> list[Diagnostic]:
        """A checker's raw findings, each finalized for the example it is on."""
        by_path = {e.display_path: e for e in self.examples}
        return [out for diag in diags for out in finalize([diag], self.config, by_path.get(diag.path))]

    def apply(self, step: Step) -> None:
        self.diagnostics.extend(step(self))


Step = Callable[[CheckRun], list[Diagnostic]]


def lint_step(run: CheckRun) -> list[Diagnostic]:
    """Load and lint every example (the linter finalizes its own findings)."""
    document = run.options.document
    if document is not None:
        result = lint_document(document, run.config, run.options.file_budget)
    else:
        result = lint_paths(run.paths, run.config, run.options.jobs, run.options.file_budget)
    run.examples, run.files = result.examples, result.files
    run.judged.extend(LINT_FAMILIES)
    return result.diagnostics


def compile_step(run: CheckRun) -> list[Diagnostic]:
    """Compile every example's code with bbjcpl or the built-in checker (issue: compile check)."""
    if not run.options.compile or not run.examples:  # nothing to compile: no checker, no cache folder
        return []
    from curate.compile import check_examples, select_checker

    checker = select_checker(run.config, run.options.checker, budget=run.options.file_budget)
    if checker is None:
        run.notes.append("compile check: skipped (checker = none)")
        return []
    run.notes.append(f"compile check: {checker.describe()}")
    diagnostics, notes = check_examples(run.examples, checker, run.config, run.options.jobs, run.options.cache)
    run.notes.extend(notes)
    run.judged.append(COMPILE_FAMILY)
    return run.finalized(diagnostics)


def dedupe_step(run: CheckRun) -> list[Diagnostic]:
    """Flag every member of a near-duplicate cluster except its keeper."""
    if not run.options.dedupe or not run.examples:  # nothing to compare: no index, no cache folder
        return []
    from curate.dedupe.check import check_examples

    run.judged.append(DEDUPE_FAMILY)
    return run.finalized(check_examples(run.examples, run.config, run.options.file_budget))


STEPS: list[Step] = [lint_step, compile_step, dedupe_step]


def run_checks(paths: list[Path], config: CurateConfig, options: CheckOptions | None = None, steps: list[Step] | None = None) -> CheckRun:
    run = CheckRun(paths, config, options or CheckOptions())
    for step in steps or STEPS:
        run.apply(step)
    run.diagnostics.extend(unused_noqa(run.examples, config, run.judged))
    run.diagnostics.sort(key=Diagnostic.sort_key)
    return run


def findings_as(example: Example, status: str, config: CurateConfig, options: CheckOptions) -> list[Diagnostic]:
    """The findings `example` would have with `status` (what the review TUI asks before it
    approves): every per-file lint rule and the compile check, finalized at that status, so a
    draft's compile errors count as errors and skeleton text is reported (BBJ114). Set-level
    findings (titles, duplicates) need the whole set: the caller has those."""
    moved = replace(example, meta={**example.meta, "status": status}, noqa_used=set())
    run = CheckRun([example.path], config, options, examples=[moved])
    return run.finalized(lint_example(moved, enabled_rules(config), RuleContext(config))) + compile_step(run)
