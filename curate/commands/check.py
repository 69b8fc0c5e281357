"""`bbj-curate check` and `bbj-curate lint`."""

from __future__ import annotations

from pathlib import Path

import click

from curate.checks import CheckOptions, lint_step, run_checks
from curate.commands.options import report_guard, report_options, resolve_config
from curate.config import CurateConfig
from curate.report import exit_code, render


def _run(command, paths, fmt, fail_on, config_file, select, ignore, output, force, fix, options, steps=None) -> None:  # type: ignore[no-untyped-def]
    paths = paths or (Path("training-data"),)
    config = resolve_config(paths, config_file, select, ignore, fail_on)
    guard = report_guard(command, output, _example_files(paths, config) if output else [], force)
    if fix:
        from curate.fix import fix_paths

        fixed = fix_paths(list(paths), config)
        if fixed and fmt == "text":
            click.echo(f"Fixed {fixed} file{'s' if fixed != 1 else ''}.", err=True)
    run = run_checks(list(paths), config, options, steps)
    header = "\n".join(run.notes) if fmt == "text" else ""
    if fmt != "text" or output:  # machine formats stay parseable: which checker ran goes to stderr
        for note in run.notes:
            click.echo(note, err=True)
    report = render(run.diagnostics, fmt, run.files, header=header)
    if guard is not None and output is not None:
        guard.write_text(output, report + "\n")
    else:
        click.echo(report)
    raise click.exceptions.Exit(exit_code(run.diagnostics, config.fail_on))


def _example_files(paths: tuple[Path, ...], config: CurateConfig) -> list[Path]:
    """The files the run reads: a report written over one of them is refused."""
    from curate.discover import discover

    return [Path(p) for p in paths] + [target.path for target in discover(list(paths), config)[0]]


@click.command()
@report_options
@click.option("--fix", is_flag=True, help="Apply safe fixes (never changes code content).")
@click.option("--checker", type=click.Choice(["auto", "bbjcpl", "builtin", "none"]), default=None, help="Compile checker (default: config, else auto).")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None, help="Parallel workers.")
@click.option("--no-dedupe", is_flag=True, help="Skip near-duplicate detection.")
def check(paths, fmt, fail_on, config_file, select, ignore, output, force, fix, checker, jobs, no_dedupe) -> None:  # type: ignore[no-untyped-def]
    """Run every check: lint rules, the compile check and near-duplicate detection."""
    _run("check", paths, fmt, fail_on, config_file, select, ignore, output, force, fix, CheckOptions(checker=checker, jobs=jobs, dedupe=not no_dedupe))


@click.command()
@report_options
@click.option("--fix", is_flag=True, help="Apply safe fixes (never changes code content).")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None, help="Parallel workers.")
def lint(paths, fmt, fail_on, config_file, select, ignore, output, force, fix, jobs) -> None:  # type: ignore[no-untyped-def]
    """Run the lint rules only."""
    _run("lint", paths, fmt, fail_on, config_file, select, ignore, output, force, fix, CheckOptions(jobs=jobs, dedupe=False, compile=False), [lint_step])
