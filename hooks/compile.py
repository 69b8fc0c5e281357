"""`bbj-compile`: compile every code block of the staged examples with BASIS's `bbjcpl -N`
when it is found (config `bbjcpl`, `$BBJ_HOME/bin`, `PATH`), else with the built-in checker."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from curate.checks import CheckOptions, compile_step, lint_step, run_checks
from curate.config import CurateConfig
from curate.diagnostics import Diagnostic
from curate.noqa import UNUSED_NOQA
from curate.timebudget import OVER_BUDGET
from hooks._common import run_hook


def compile_check(files: list[Path], config: CurateConfig, budget: float) -> list[Diagnostic]:
    # Only compile findings (BBJ007 for a file over the time budget, BBJ306 for a compile code's
    # unused `rem noqa:`): loading happens in lint_step, with every lint rule deselected.
    # checker = "bbjcpl" but none found raises CheckerUnavailable: run_hook reports it, exit 2.
    run = run_checks(
        files, config.replace(select=["BBJ5", OVER_BUDGET, UNUSED_NOQA]), CheckOptions(dedupe=False, file_budget=budget), [lint_step, compile_step]
    )
    if run.diagnostics:
        for note in run.notes:  # which checker ran, so a failure says whose verdict it is
            print(note)
    return run.diagnostics


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(argv, "bbj-compile", "Compile-check the BBj code of example files.", compile_check)


if __name__ == "__main__":
    raise SystemExit(main())
