"""`bbj-curate review`: open the review TUI on the examples (Textual loads only here)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from curate.commands.options import resolve_config

if TYPE_CHECKING:
    from curate.checks import CheckOptions


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--config", "config_file", type=click.Path(path_type=Path, dir_okay=False, exists=True), help="A pyproject.toml or a TOML file with the settings."
)
@click.option("--checker", type=click.Choice(["auto", "bbjcpl", "builtin", "none"]), default=None, help="Compile checker (default: config, else auto).")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None, help="Lint processes for the background checks (default: all cores).")
@click.option("--no-dedupe", is_flag=True, help="Skip near-duplicate detection in the background checks.")
@click.option("--no-compile", is_flag=True, help="Skip the compile check in the background checks.")
@click.option("--reviewer", default=None, help="Name written as `reviewer` (default: config, git user.name, $USER).")
@click.option(
    "--eval",
    "eval_run",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Rate two models' answers of an eval run folder (evals/<run>) blind, side by side.",
)
@click.option("--models", default=None, help="With --eval: the two models to compare, 'A,B' (default: the first two of the run).")
@click.option("--seed", type=int, default=0, show_default=True, help="With --eval: changes which side each model is shown on (fixed per case and reviewer).")
def review(
    paths: tuple[Path, ...],
    config_file: Path | None,
    checker: str | None,
    jobs: int | None,
    no_dedupe: bool,
    no_compile: bool,
    reviewer: str | None,
    eval_run: Path | None,
    models: str | None,
    seed: int,
) -> None:
    """Browse, review, fix and author examples in a terminal UI; with --eval, rate model answers."""
    from curate.checks import CheckOptions

    if eval_run is not None:
        _rate(eval_run, paths, config_file, reviewer, models, seed, CheckOptions(checker=checker, jobs=1, dedupe=False, compile=not no_compile))
        return
    from curate.tui.app import ReviewApp

    chosen = list(paths) or [Path("training-data")]
    config = resolve_config(tuple(chosen), config_file, (), (), None)
    options = CheckOptions(checker=checker, jobs=jobs, dedupe=not no_dedupe, compile=not no_compile)
    ReviewApp(chosen, config, options, reviewer=reviewer).run()


def _rate(run_dir: Path, paths: tuple[Path, ...], config_file: Path | None, reviewer: str | None, models: str | None, seed: int, options: CheckOptions) -> None:
    """Open the rating app on `run_dir` (usage errors name the run, the file and the line)."""
    from curate.rating.samples import RunError, load_run
    from curate.tui.decisions import resolve_reviewer
    from curate.tui.rating_app import RatingApp

    if paths:
        raise click.UsageError("--eval takes an eval run folder, not example paths")
    if not run_dir.is_dir():
        raise click.UsageError(f"no such eval run folder: {run_dir}")
    try:
        run = load_run(run_dir)
    except RunError as exc:
        raise click.UsageError(str(exc)) from None
    chosen = tuple(m.strip() for m in models.split(",") if m.strip()) if models else tuple(run.models[:2])
    unknown = [m for m in chosen if m not in run.models]
    if len(chosen) != 2 or chosen[0] == chosen[1] or unknown:
        raise click.UsageError(
            f"--eval compares two different models of the run; it has: {', '.join(run.models) or 'none'}"
            + (f" (unknown: {', '.join(unknown)})" if unknown else "")
        )
    pair = (chosen[0], chosen[1])
    if not run.comparable(pair):
        raise click.UsageError(f"{run_dir}: no case has an answer from both {pair[0]} and {pair[1]}")
    config = resolve_config((run_dir,), config_file, (), (), None)
    RatingApp(run, pair, config, reviewer or resolve_reviewer(config), seed=seed, check_options=options).run()
