"""`bbj-compile`: compile every code block of the staged examples with BASIS's `bbjcpl -N`
when it is found (config `bbjcpl`, `$BBJ_HOME/bin`, `PATH`), else with the built-in checker."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from curate.checks import CheckOptions, compile_step, lint_step, run_checks
from hooks._common import example_files, load, parse_args, report


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv, "Compile-check the BBj code of example files.")
    config = load(args)
    if config is None:
        return 2
    files = example_files(args.filenames, config)
    if not files:
        return 0
    # Only compile findings: loading happens in lint_step, with every lint rule deselected.
    config = config.replace(select=["BBJ5"])
    try:
        run = run_checks(files, config, CheckOptions(dedupe=False), [lint_step, compile_step])
    except click.UsageError as exc:  # checker = "bbjcpl" but none found, a bad bbjcpl path, ...
        print(f"error: {exc.format_message()}", file=sys.stderr)
        return 2
    if run.diagnostics:
        for note in run.notes:
            print(note)
    return report(run.diagnostics, config, "bbj-compile")


if __name__ == "__main__":
    raise SystemExit(main())
