"""`bbj-curate check`: lint, then the compile check, then near-duplicate detection, as small
steps over one `CheckRun`. Each step only adds diagnostics; front ends only render them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from curate.config import CurateConfig
from curate.diagnostics import Diagnostic
from curate.example import Example
from curate.lint import LINT_FAMILIES, finalize, lint_document, lint_paths, unused_noqa
from curate.stdin import Document
from curate.trainable import DEDUPE_FAMILY


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

    def add(self, diags: list[Diagnostic]) -> None:
        by_path = {e.display_path: e for e in self.examples}
        for diag in diags:
            self.diagnostics.extend(finalize([diag], self.config, by_path.get(diag.path)))


Step = Callable[[CheckRun], None]


def lint_step(run: CheckRun) -> None:
    document = run.options.document
    if document is not None:
        result = lint_document(document, run.config, run.options.file_budget)
    else:
        result = lint_paths(run.paths, run.config, run.options.jobs, run.options.file_budget)
    run.examples, run.files = result.examples, result.files
    run.diagnostics.extend(result.diagnostics)
    run.judged.extend(LINT_FAMILIES)


def compile_step(run: CheckRun) -> None:
    """Compile every example's code with bbjcpl or the built-in checker (issue: compile check)."""
    if not run.options.compile or not run.examples:  # nothing to compile: no checker, no cache folder
        return
    from curate.compile import check_examples

    check_examples(run)  # adds COMPILE_FAMILY to run.judged when a checker ran


def dedupe_step(run: CheckRun) -> None:
    """Flag every member of a near-duplicate cluster except its keeper."""
    if not run.options.dedupe or not run.examples:  # nothing to compare: no index, no cache folder
        return
    from curate.dedupe.check import check_examples

    check_examples(run)
    run.judged.append(DEDUPE_FAMILY)


STEPS: list[Step] = [lint_step, compile_step, dedupe_step]


def run_checks(paths: list[Path], config: CurateConfig, options: CheckOptions | None = None, steps: list[Step] | None = None) -> CheckRun:
    run = CheckRun(paths, config, options or CheckOptions())
    for step in steps or STEPS:
        step(run)
    run.diagnostics.extend(unused_noqa(run.examples, config, run.judged))
    run.diagnostics.sort(key=Diagnostic.sort_key)
    return run
