"""`bbj-compile`: compile every code block of the staged examples with BASIS's `bbjcpl -N`
when it is found (config `bbjcpl`, `$BBJ_HOME/bin`, `PATH`), else with the built-in checker."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from curate.checks import CheckOptions, compile_step, lint_step, run_checks
from curate.config import CurateConfig
from curate.diagnostics import Diagnostic
from hooks._common import run_hook


class CompilerMissing(Exception):
    """checker = "bbjcpl" was asked for and cannot run: a usage problem, exit 2."""


def compile_check(files: list[Path], config: CurateConfig) -> list[Diagnostic]:
    # Only compile findings: loading happens in lint_step, with every lint rule deselected.
    try:
        run = run_checks(files, config.replace(select=["BBJ5"]), CheckOptions(dedupe=False), [lint_step, compile_step])
    except click.UsageError as exc:  # checker = "bbjcpl" but none found, a bad bbjcpl path, ...
        raise CompilerMissing(exc.format_message()) from None
    if run.diagnostics:
        for note in run.notes:  # which checker ran, so a failure says whose verdict it is
            print(note)
    return run.diagnostics


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run_hook(argv, "bbj-compile", "Compile-check the BBj code of example files.", compile_check)
    except CompilerMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
