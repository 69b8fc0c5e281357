"""What `bbj-curate` and `bbj-train` share: a click group whose subcommands import only when
run (a hook or `--help` must not pay for torch or Textual), and an entry point that turns every
failure into an exit status and one line, never a traceback."""

from __future__ import annotations

import importlib

import click

from curate.errors import CurateError, ExitCode

Commands = dict[str, tuple[str, str]]  # name -> ("module:attribute", one-line help)


def lazy_group(commands: Commands) -> type[click.Group]:
    """A click.Group class listing `commands` without importing them."""

    class LazyGroup(click.Group):
        def list_commands(self, ctx: click.Context) -> list[str]:
            return sorted(commands)

        def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
            if name not in commands:
                return None
            module, attr = commands[name][0].split(":")
            return getattr(importlib.import_module(module), attr)

        def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
            with formatter.section("Commands"):
                formatter.write_dl([(name, commands[name][1]) for name in sorted(commands)])

    return LazyGroup


def run_cli(cli: click.Group, prog_name: str, argv: list[str] | None) -> int:
    """The `ExitCode` of the command: library errors (`CurateError`) and click's usage errors
    become their status and one line each on stderr, anything else one line, never a traceback."""
    try:
        result = cli.main(args=argv, prog_name=prog_name, standalone_mode=False)
        return result if isinstance(result, int) else ExitCode.OK
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except CurateError as exc:
        for line in exc.lines():
            click.echo(line, err=True)
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return ExitCode.USAGE
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return ExitCode.USAGE
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int) else ExitCode.USAGE
    except KeyboardInterrupt:
        return ExitCode.USAGE
    except Exception as exc:  # noqa: BLE001 - last line of defence: report, never a traceback
        click.echo(f"{prog_name}: internal error: {exc.__class__.__name__}: {exc}", err=True)
        return ExitCode.INTERNAL
