"""`bbj-curate syntax`: the compile check on raw BBj source files (.bbj, .src, .bbl, .aon)."""

from __future__ import annotations

import sys

import click

from curate.commands.options import report_guard, report_options, resolve_config, stdin_document


@click.command()
@report_options
@click.option("--checker", type=click.Choice(["auto", "bbjcpl", "builtin"]), default=None, help="Compile checker (default: config, else auto).")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None, help="Parallel workers.")
def syntax(paths, fmt, fail_on, config_file, select, ignore, output, force, stdin_filename, checker, jobs) -> None:  # type: ignore[no-untyped-def]
    """Check BBj source files and folders (searched for .bbj, .src, .bbl, .aon) with bbjcpl or
    the built-in checker; the report names the checker that ran. `-` reads the source from
    stdin (nothing is cached for it)."""
    from curate import progress
    from curate.compile import check_programs, open_cache, select_checker
    from curate.compile.sources import MAX_SOURCE_BYTES, SOURCE_SUFFIXES, collect_sources, read_document, read_source
    from curate.lint import finalize
    from curate.report import exit_code, render, use_color

    progress.enable(sys.stderr)
    document = stdin_document(paths, stdin_filename, MAX_SOURCE_BYTES)
    if document is not None:
        paths = ()
    elif not paths:
        raise click.UsageError("give at least one BBj source file or folder, or `-` to read stdin")
    config = resolve_config(paths, config_file, select, ignore, fail_on)
    requested = checker or (config.checker if config.checker != "none" else "auto")
    chosen = select_checker(config, requested)
    if chosen is None:  # unreachable: 'none' was mapped to 'auto' above
        raise click.UsageError("no compile checker selected")
    files, problems = collect_sources(list(paths))
    guard = report_guard("syntax", output, [*paths, *files, *([document.path] if document else [])], force)
    checked = len(files) + len(problems) + (document is not None)
    programs = []
    for program, problem in [read_source(path) for path in files] + ([read_document(document)] if document else []):
        if program is not None:
            programs.append(program)
        if problem is not None:
            problems.append(problem)
    cache = open_cache(config) if document is None and programs else None  # no sources: no cache folder
    try:
        diagnostics = check_programs(programs, chosen, cache, jobs)
    finally:
        if cache is not None:
            cache.close()
    diagnostics = sorted(finalize(problems + diagnostics, config), key=lambda d: d.sort_key())
    notes = [f"compile check: {chosen.describe()}", *([cache.problem] if cache is not None and cache.problem else [])]
    if not checked:  # as ruff says when it finds no Python file
        click.echo(f"warning: no BBj source files ({', '.join(SOURCE_SUFFIXES)}) under {', '.join(str(p) for p in paths)}", err=True)
    if fmt != "text":
        for note in notes:
            click.echo(note, err=True)
    texts = {document.display: document.raw.decode("utf-8", "replace")} if document is not None else None
    report = render(diagnostics, fmt, checked, header="\n".join(notes) if fmt == "text" else "", color=output is None and use_color(sys.stdout), texts=texts)
    if guard is not None and output is not None:
        guard.write_text(output, report + "\n")
    else:
        click.echo(report)
    raise click.exceptions.Exit(exit_code(diagnostics, config.fail_on))
