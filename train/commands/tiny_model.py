"""`bbj-train tiny-model`: a tiny random Qwen2 model and offline-trained tokenizer for the CPU
demo and the tests (no download)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("tiny-model")
@click.option("--out", required=True, type=click.Path(path_type=Path, file_okay=False), help="Folder to write.")
@click.option(
    "--corpus",
    "corpus_files",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Extra text/Markdown/JSONL files for the tokenizer (repeatable).",
)
@click.option("--no-default-corpus", is_flag=True, help="Skip training-data/**/*.md; use only --corpus files.")
@click.option("--vocab-size", default=3072, show_default=True, type=click.IntRange(512, 32768), help="BPE vocabulary.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the random weights.")
def tiny_model(out: Path, corpus_files: tuple[Path, ...], no_default_corpus: bool, vocab_size: int, seed: int) -> int:
    """Build a small random Qwen2 model (hidden 64, 2 layers) with a ChatML + FIM tokenizer."""
    from transformers.utils import logging as hf_logging

    from train.tiny_model import build_tiny_model, default_corpus

    hf_logging.disable_progress_bar()

    files = ([] if no_default_corpus else default_corpus(Path.cwd())) + list(corpus_files)
    try:
        card = build_tiny_model(out, files, vocab_size=vocab_size, seed=seed)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"tiny model: {card['parameters']:,} parameters, vocabulary {card['vocab_size']} -> {out}")
    return 0
