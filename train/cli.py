"""`bbj-train`: data pipeline and training commands. Subcommands load lazily, and the data
commands never import torch; only `run`, `tiny-model` and the export steps do."""

from __future__ import annotations

import importlib
import sys

import click

COMMANDS: dict[str, tuple[str, str]] = {
    "convert": ("train.commands.convert:convert", "Convert curated examples to ChatML training records."),
    "import-chatml": ("train.commands.import_chatml:import_chatml", "Import, repair and deduplicate legacy ChatML JSONL."),
    "split": ("train.commands.split:split", "Split records into train/validation/test without leakage."),
    "corpus": ("train.commands.corpus:corpus", "Build the Stage 1 raw BBj corpus (dedupe, filters, FIM)."),
    "run": ("train.commands.run:run", "Train the QLoRA adapter: Stage 1 continued pretraining, Stage 2 SFT."),
    "tiny-model": ("train.commands.tiny_model:tiny_model", "Build a tiny random Qwen2 model for the CPU demo and tests."),
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
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name][1]) for name in sorted(COMMANDS)])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bbj-coder-toolkit")
def cli() -> None:
    """Build training data from curated examples and train the BBj code model."""


def main(argv: list[str] | None = None) -> int:
    """Entry point: 0 success, 1 a failed check (e.g. leakage), 2 usage or internal error."""
    try:
        result = cli.main(args=argv, prog_name="bbj-train", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return 2
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 2
    except KeyboardInterrupt:
        return 2
    except Exception as exc:  # noqa: BLE001 - report, never a traceback
        click.echo(f"bbj-train: internal error: {exc.__class__.__name__}: {exc}", err=True)
        return 2


if __name__ == "__main__":
    sys.exit(main())
