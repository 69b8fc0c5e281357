"""`bbj-curate check` and `bbj-curate lint`."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from curate import progress
from curate.checks import CheckOptions, Step, lint_step, run_checks
from curate.commands.options import report_guard, report_options, resolve_config, stdin_document
from curate.config import CurateConfig
from curate.errors import ExitCode
from curate.example import MAX_FILE_BYTES
from curate.report import exit_code, render, use_color
from curate.stdin import Document


def _run(command, paths, fmt, fail_on, config_file, select, ignore, output, force, fix, diff, stdin_filename, options, steps=None) -> None:  # type: ignore[no-untyped-def]
    progress.enable(sys.stderr)
    document = stdin_document(paths, stdin_filename, MAX_FILE_BYTES)
    if document is not None:  # one example from stdin: nothing written back, nothing cached for it
        paths, options = (), replace(options, document=document, dedupe=False, cache=False)
    else:
        paths = paths or (Path("training-data"),)
    config = resolve_config(paths, config_file, select, ignore, fail_on, document)
    if document is not None and (fix or diff):
        _fix_stdin(document, config, fix, output, options, steps)
    if diff:  # ruff's --diff: show what --fix would change, write nothing, exit 1 when it would
        from curate.fix import fix_paths

        preview = fix_paths(list(paths), config, write=False)
        click.echo(preview.diff(), nl=False)
        click.echo(
            f"{preview.fixed} fixable finding{'s' if preview.fixed != 1 else ''} in {len(preview.changes)} file{'s' if len(preview.changes) != 1 else ''} (run --fix to apply)",
            err=True,
        )
        raise click.exceptions.Exit(ExitCode.FINDINGS if preview.changes else ExitCode.OK)
    guard = report_guard(command, output, _example_files(paths, config) + ([document.path] if document else []) if output else [], force)
    fixed = None
    if fix:
        from curate.fix import fix_paths

        fixed = fix_paths(list(paths), config)
    run = run_checks(list(paths), config, options, steps)
    if not run.files:  # as ruff says when it finds no Python file
        click.echo(f"warning: no example files (*.md) under {', '.join(str(p) for p in paths)}", err=True)
    if fixed is not None:  # ruff's summary: what --fix changed and what is left to do by hand
        click.echo(
            f"{fixed.fixed} fixed, {len(run.diagnostics)} remaining ({len(fixed.changes)} file{'s' if len(fixed.changes) != 1 else ''} changed).", err=True
        )
    header = "\n".join(run.notes) if fmt == "text" else ""
    if fmt != "text" or output:  # machine formats stay parseable: which checker ran goes to stderr
        for note in run.notes:
            click.echo(note, err=True)
    texts = {document.display: document.raw.decode("utf-8", "replace")} if document is not None else None
    report = render(run.diagnostics, fmt, run.files, header=header, color=output is None and use_color(sys.stdout), texts=texts)
    if guard is not None and output is not None:
        guard.write_text(output, report + "\n")
    else:
        click.echo(report)
    raise click.exceptions.Exit(exit_code(run.diagnostics, config.fail_on))


def _fix_stdin(document: Document, config: CurateConfig, fix: bool, output: Path | None, options: CheckOptions, steps: list[Step] | None) -> None:
    """ruff's `--fix -`: the fixed document on stdout and what is left on stderr; `--diff -`:
    the diff of the fixes. Exits with the status of what remains (--diff: 1 when it would fix)."""
    from curate.fix import fix_document

    fixed, result = fix_document(document, config)
    if not fix:
        click.echo(result.diff(), nl=False)
        raise click.exceptions.Exit(ExitCode.FINDINGS if result.changes else ExitCode.OK)
    if output is not None:
        raise click.UsageError("--fix on stdin prints the fixed document: --output does not apply")
    fixed_document = replace(document, raw=fixed)
    run = run_checks([], config, replace(options, document=fixed_document), steps)
    sys.stdout.buffer.write(fixed)
    sys.stdout.flush()
    click.echo(f"{result.fixed} fixed, {len(run.diagnostics)} remaining.", err=True)
    texts = {document.display: fixed.decode("utf-8", "replace")}
    click.echo(render(run.diagnostics, "text", run.files, color=use_color(sys.stderr), texts=texts), err=True)
    raise click.exceptions.Exit(exit_code(run.diagnostics, config.fail_on))


def _example_files(paths: tuple[Path, ...], config: CurateConfig) -> list[Path]:
    """The files the run reads: a report written over one of them is refused."""
    from curate.discover import discover

    return [Path(p) for p in paths] + [target.path for target in discover(list(paths), config)[0]]


@click.command()
@report_options
@click.option("--fix", is_flag=True, help="Apply safe fixes (never changes code content); says how many were fixed and remain.")
@click.option("--diff", is_flag=True, help="Print the changes --fix would make as a unified diff; write nothing (exit 1 when there are any).")
@click.option("--checker", type=click.Choice(["auto", "bbjcpl", "builtin", "none"]), default=None, help="Compile checker (default: config, else auto).")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None, help="Parallel workers.")
@click.option("--no-dedupe", is_flag=True, help="Skip near-duplicate detection.")
def check(paths, fmt, fail_on, config_file, select, ignore, output, force, stdin_filename, fix, diff, checker, jobs, no_dedupe) -> None:  # type: ignore[no-untyped-def]
    """Run every check: lint rules, the compile check and near-duplicate detection."""
    _run(
        "check",
        paths,
        fmt,
        fail_on,
        config_file,
        select,
        ignore,
        output,
        force,
        fix,
        diff,
        stdin_filename,
        CheckOptions(checker=checker, jobs=jobs, dedupe=not no_dedupe),
    )


@click.command()
@report_options
@click.option("--fix", is_flag=True, help="Apply safe fixes (never changes code content); says how many were fixed and remain.")
@click.option("--diff", is_flag=True, help="Print the changes --fix would make as a unified diff; write nothing (exit 1 when there are any).")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None, help="Parallel workers.")
def lint(paths, fmt, fail_on, config_file, select, ignore, output, force, stdin_filename, fix, diff, jobs) -> None:  # type: ignore[no-untyped-def]
    """Run the lint rules only."""
    _run(
        "lint",
        paths,
        fmt,
        fail_on,
        config_file,
        select,
        ignore,
        output,
        force,
        fix,
        diff,
        stdin_filename,
        CheckOptions(jobs=jobs, dedupe=False, compile=False),
        [lint_step],
    )
