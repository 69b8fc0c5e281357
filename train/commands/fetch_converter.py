"""`bbj-train fetch-converter`: cache llama.cpp's converter (and its gguf-py) from the sdist of
the installed llama-cpp-python version, so `bbj-train export` runs offline afterwards."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("fetch-converter")
@click.option(
    "--sdist",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    default=None,
    help="A llama-cpp-python sdist you carried (default: pip download it; pip's cache serves repeats).",
)
def fetch_converter(sdist: Path | None) -> int:
    """Fill the converter cache (the only step of the release path that may use the network)."""
    from train.release import converter

    folder = converter.fetch(sdist)
    click.echo(f"converter for llama-cpp-python {converter.installed_version()} in {folder}")
    return 0
