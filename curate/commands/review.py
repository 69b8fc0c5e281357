"""`bbj-curate review`: open the review TUI on the examples (Textual loads only here)."""

from __future__ import annotations

from pathlib import Path

import click

from curate.commands.options import resolve_config


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False, exists=True), help="A pyproject.toml or a TOML file with the settings.")
@click.option("--checker", type=click.Choice(["auto", "bbjcpl", "builtin", "none"]), default=None, help="Compile checker (default: config, else auto).")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None, help="Lint processes for the background checks (default: all cores).")
@click.option("--no-dedupe", is_flag=True, help="Skip near-duplicate detection in the background checks.")
@click.option("--no-compile", is_flag=True, help="Skip the compile check in the background checks.")
@click.option("--reviewer", default=None, help="Name written as `reviewer` (default: config, git user.name, $USER).")
def review(paths: tuple[Path, ...], config_file: Path | None, checker: str | None, jobs: int | None, no_dedupe: bool, no_compile: bool, reviewer: str | None) -> None:
    """Browse, review, fix and author examples in a terminal UI."""
    from curate.checks import CheckOptions
    from curate.tui.app import ReviewApp

    chosen = list(paths) or [Path("training-data")]
    config = resolve_config(tuple(chosen), config_file, (), (), None)
    options = CheckOptions(checker=checker, jobs=jobs, dedupe=not no_dedupe, compile=not no_compile)
    ReviewApp(chosen, config, options, reviewer=reviewer).run()
