"""`bbj-curate`: the curation command line. Subcommands load lazily so `bbj-curate lint x.md`
imports only what linting needs (a hook must start in a fraction of a second)."""

from __future__ import annotations

import importlib
import sys

import click

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


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attr = COMMANDS[name][0].split(":")
        return getattr(importlib.import_module(module), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in sorted(COMMANDS)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bbj-coder-toolkit")
def cli() -> None:
    """Curate BBj training examples: check, lint, scaffold, review and count them."""


def main(argv: list[str] | None = None) -> int:
    """Entry point: 0 clean, 1 findings, 2 usage or internal error (never a traceback)."""
    try:
        result = cli.main(args=argv, prog_name="bbj-curate", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return 2
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 2
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int) else 2
    except KeyboardInterrupt:
        return 2
    except Exception as exc:  # noqa: BLE001 - last line of defence: report, never a traceback
        click.echo(f"bbj-curate: internal error: {exc.__class__.__name__}: {exc}", err=True)
        return 2


if __name__ == "__main__":
    sys.exit(main())
