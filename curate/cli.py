"""`bbj-curate`: the curation command line. Subcommands load lazily so `bbj-curate lint x.md`
imports only what linting needs (a hook must start in a fraction of a second)."""

from __future__ import annotations

import os
import sys

import click

from curate.lazy_cli import lazy_group, run_cli

COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("curate.commands.check:check", "Run every check (lint, compile, duplicates) on examples."),
    "lint": ("curate.commands.check:lint", "Run the lint rules on examples."),
    "new": ("curate.commands.new:new", "Scaffold a new, valid example file."),
    "stats": ("curate.commands.stats:stats", "Count examples by generation, type, difficulty, topic, status."),
    "syntax": ("curate.commands.syntax:syntax", "Check raw BBj source files with the compile checker."),
    "schema": ("curate.commands.info:schema", "Print the front matter JSON Schema."),
    "rules": ("curate.commands.info:rules", "List every rule with its code, severity and summary."),
    "review": ("curate.commands.review:review", "Open the review TUI (Textual)."),
    "dedupe": ("curate.commands.dedupe:dedupe", "Find near-duplicate examples and suggest which to keep."),
}


@click.group(cls=lazy_group(COMMANDS), context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bbj-coder-toolkit")
@click.option("--no-color", is_flag=True, help="No colour in any output (as the NO_COLOR environment variable).")
def cli(no_color: bool) -> None:
    """Curate BBj training examples: check, lint, scaffold, review and count them."""
    if no_color:
        os.environ["NO_COLOR"] = "1"  # rich, click and our text report all honour it


def main(argv: list[str] | None = None) -> int:
    """Entry point: 0 clean, 1 findings, 2 usage or internal error (never a traceback)."""
    return run_cli(cli, "bbj-curate", argv)


if __name__ == "__main__":
    sys.exit(main())
