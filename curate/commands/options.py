"""Options shared by the subcommands that report diagnostics."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from curate.config import CurateConfig, check_rule_codes, load_config
from curate.errors import require_existing
from curate.report import FORMATS
from curate.safeio import OutputGuard
from curate.stdin import STDIN, Document, wants_stdin

CONFIG_HELP = "A pyproject.toml, or a TOML file with the settings under [tool.bbj-curate] or at its top level."


def report_options(func: Callable[..., Any]) -> Callable[..., Any]:
    decorators = [
        click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
        click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format."),
        click.option(
            "--fail-on",
            type=click.Choice(["error", "warning", "info", "never"]),
            default=None,
            help="Lowest severity that makes the exit code 1 (default: config, else error).",
        ),
        click.option(
            "--config",
            "config_file",
            type=click.Path(path_type=Path, dir_okay=False, exists=True),
            help=CONFIG_HELP,
        ),
        click.option("--select", multiple=True, help="Only these rule codes or prefixes (repeatable)."),
        click.option("--ignore", multiple=True, help="Skip these rule codes or prefixes (repeatable)."),
        click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write the report to this file."),
        click.option("--force", is_flag=True, help="Let --output replace an existing file this command did not write (never an input)."),
        click.option(
            "--stdin-filename",
            type=click.Path(path_type=Path, dir_okay=False),
            help="Read the document from stdin (PATHS `-` or none) and report it as this file, which need not exist (editor integration).",
        ),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def report_guard(command: str, output: Path | None, inputs: Iterable[Path], force: bool) -> OutputGuard | None:
    """The output rule for `-o/--output` (curate.safeio.OutputGuard), checked before any work
    (and before --fix touches a file): None when the report goes to stdout."""
    if output is None:
        return None
    guard = OutputGuard(f"bbj-curate {command}", inputs, force)
    guard.claim(output, "report")
    return guard


def resolve_config(
    paths: tuple[Path, ...], config_file: Path | None, select: tuple[str, ...], ignore: tuple[str, ...], fail_on: str | None, document: Document | None = None
) -> CurateConfig:
    """The config for `paths` (or for where a stdin `document` would live) with the command
    line's overrides; a missing path or a bad config raises a CurateError (exit 2)."""
    require_existing(paths)
    config = load_config([document.path] if document is not None and document.named else list(paths) or None, config_file)
    updates: dict[str, Any] = {}
    if select:
        updates["select"] = [s.upper() for s in select]
    if ignore:
        updates["ignore"] = [*config.ignore, *(i.upper() for i in ignore)]
    if fail_on:
        updates["fail_on"] = fail_on
    config = config.replace(**updates) if updates else config
    check_rule_codes(config, "command line")
    if document is not None and not document.named:  # no file: its name and folder are not judged
        config = config.replace(ignore=[*config.ignore, *LOCATION_CODES])
    return config


LOCATION_CODES = ("BBJ112", "BBJ113")  # file name and topic folder


def stdin_document(paths: tuple[Path, ...], filename: Path | None, limit: int) -> Document | None:
    """The document on stdin when the command line asks for it (`-`, or no path with
    --stdin-filename), else None; `-` among other paths, or --stdin-filename with paths, is a
    usage error."""
    if wants_stdin(paths, filename):
        return Document.from_stream(sys.stdin.buffer, filename, limit)
    if STDIN in (str(p) for p in paths):
        raise click.UsageError("`-` (read stdin) must be the only path")
    if filename is not None:
        raise click.UsageError("--stdin-filename reads stdin: give `-` or no path")
    return None
