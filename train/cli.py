"""`bbj-train`: data pipeline and training commands. Subcommands load lazily, and the data
commands never import torch; only `run`, `tiny-model` and the export steps do."""

from __future__ import annotations

import sys

import click

from curate.lazy_cli import lazy_group, run_cli

COMMANDS: dict[str, tuple[str, str]] = {
    "convert": ("train.commands.convert:convert", "Convert curated examples to ChatML training records."),
    "import-chatml": ("train.commands.import_chatml:import_chatml", "Import, repair and deduplicate legacy ChatML JSONL."),
    "split": ("train.commands.split:split", "Split records into train/validation/test without leakage."),
    "corpus": ("train.commands.corpus:corpus", "Build the Stage 1 raw BBj corpus (dedupe, filters, FIM)."),
    "run": ("train.commands.run:run", "Train the QLoRA adapter: Stage 1 continued pretraining, Stage 2 SFT."),
    "eval": ("train.commands.eval:eval_group", "Evaluate models: compile@1 by category vs baselines, repair, HumanEval."),
    "tiny-model": ("train.commands.tiny_model:tiny_model", "Build a tiny random Qwen2 model for the CPU demo and tests."),
    "export": ("train.commands.export:export", "Merge, convert to GGUF, quantize, verify and package a trained run."),
    "fetch-converter": ("train.commands.fetch_converter:fetch_converter", "Cache llama.cpp's converter for offline exports."),
    "serve": ("train.commands.serve:serve", "Serve a release's GGUF through an OpenAI-compatible API on 127.0.0.1."),
}


@click.group(cls=lazy_group(COMMANDS), context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bbj-coder-toolkit")
def cli() -> None:
    """Build training data from curated examples and train the BBj code model."""


def main(argv: list[str] | None = None) -> int:
    """Entry point: 0 success, 1 a failed check (e.g. leakage), 2 usage or internal error."""
    return run_cli(cli, "bbj-train", argv)


if __name__ == "__main__":
    sys.exit(main())
