"""`bbj-train eval`: compile@1 by category against baselines (`run`, also the default when the
first word is an option), re-render a report (`report`), list flipped cases (`compare`),
validate a case file (`check-cases`). Exit 0 success, 1 the HumanEval forgetting check failed,
2 bad input (file:line: code message)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from curate.diagnostics import Diagnostic


class EvalGroup(click.Group):
    """`bbj-train eval --config x.toml` means `bbj-train eval run --config x.toml`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0].startswith("-") and args[0] not in ("-h", "--help"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@click.group(cls=EvalGroup)
def eval_group() -> None:
    """Evaluate models: compile@1 by category, compile@k, repair, HumanEval (docs/evaluation.md)."""


def _report_problems(diagnostics: list[Diagnostic]) -> int:
    for diagnostic in diagnostics:
        click.echo(diagnostic.render(), err=True)
    return 2


def _tracker() -> tuple[Any, Callable[[str, int], Callable[[], None]]]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=Console(stderr=True), transient=False)

    def task(label: str, total: int) -> Callable[[], None]:
        task_id = progress.add_task(label, total=total)
        return lambda: progress.advance(task_id)

    return progress, task


@eval_group.command("run")
@click.option(
    "--config", "config_path", required=True, type=click.Path(path_type=Path, dir_okay=False), help="Eval config (TOML), e.g. configs/eval-tiny.toml."
)
@click.option(
    "--cases", "extra_cases", multiple=True, type=click.Path(path_type=Path, dir_okay=False), help="Extra case file (JSONL, benchmark format); repeatable."
)
@click.option("--repair", type=click.IntRange(0, 10), default=None, help="Repair rounds after a failed check (reported apart from compile@1).")
@click.option("--humaneval/--no-humaneval", default=None, help="Also run HumanEval pass@1 (the forgetting check).")
@click.option("--samples", type=click.IntRange(0, 200), default=None, help="Sampled drafts per code case for compile@k.")
@click.option("--limit", type=click.IntRange(0), default=None, help="Only the first N cases.")
@click.option("--name", default=None, help="Report name (folder prefix).")
@click.option("--out", "output_dir", type=click.Path(path_type=Path, file_okay=False), default=None, help="Folder for report folders (default: evals).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the completion cache.")
def run(config_path: Path, extra_cases: tuple[Path, ...], repair: int | None, humaneval: bool | None, samples: int | None,
        limit: int | None, name: str | None, output_dir: Path | None, no_cache: bool) -> int:  # fmt: skip
    """Generate, check and report: evals/<name>-<time>/report.md and friends."""
    from pydantic import ValidationError

    from curate.config import load_config
    from train.eval.cases import CaseError
    from train.eval.config import EvalConfigError, load_eval_config
    from train.eval.report import REPORT_MD
    from train.eval.session import run_eval

    try:
        config, text = load_eval_config(config_path)
        config = config.with_changes(repair=repair, humaneval=humaneval, samples=samples, limit=limit, name=name, output_dir=output_dir)
    except EvalConfigError as exc:
        return _report_problems(exc.diagnostics)
    except ValidationError as exc:
        raise click.UsageError(str(exc).splitlines()[-1]) from None
    cache = None if no_cache else load_config([Path.cwd()]).cache_subdir("eval") / "completions.jsonl"
    command = " ".join([Path(sys.argv[0]).name, *sys.argv[1:]])
    progress, tracker = _tracker()
    try:
        with progress:
            folder, report = run_eval(config, text, command, list(extra_cases), cache, tracker, log=progress.console.print)
    except CaseError as exc:
        return _report_problems(exc.diagnostics)
    click.echo((folder / REPORT_MD).read_text("utf-8").split("\n## Details")[0])
    click.echo(f"report: {folder}")
    check = report.get("humaneval_check")
    if check and check["failed"]:
        click.echo(
            f"HumanEval forgetting check FAILED: the tuned model lost more than {100 * check['max_relative_drop']:.0f}% of {check['base']}'s pass@1", err=True
        )
        return 1
    return 0


@eval_group.command("report")
@click.argument("run_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
def report(run_dir: Path) -> int:
    """Re-render report.md and the chart from report.json (with human ratings when they exist)."""
    from train.eval.report import REPORT_JSON, rerender

    if not (run_dir / REPORT_JSON).is_file():
        raise click.UsageError(f"{run_dir} has no {REPORT_JSON}: not an eval report folder")
    click.echo(rerender(run_dir))
    return 0


@eval_group.command("compare")
@click.argument("a", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.argument("b", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--model", default=None, help="Compare this model only (default: the models both reports share).")
def compare(a: Path, b: Path, model: str | None) -> int:
    """List the code cases whose greedy compile verdict flipped between report A and report B."""
    from train.eval.report import SAMPLES, flips, pick_models, read_samples

    for folder in (a, b):
        if not (folder / SAMPLES).is_file():
            raise click.UsageError(f"{folder} has no {SAMPLES}: not an eval report folder")
    (rows_a, dropped_a), (rows_b, dropped_b) = read_samples(a), read_samples(b)
    for folder, dropped in ((a, dropped_a), (b, dropped_b)):
        for reason in dropped:
            click.echo(f"warning: {folder}/{reason}: line dropped", err=True)
    pairs = pick_models(rows_a, rows_b, model)
    if not pairs:
        raise click.UsageError("the reports share no model name; name one with --model")
    for model_a, model_b in pairs:
        changed = flips(rows_a, rows_b, model_a, model_b)
        fixed = sum(f["direction"] == "fixed" for f in changed)
        click.echo(f"{model_a} ({a.name}) -> {model_b} ({b.name}): {fixed} fixed, {len(changed) - fixed} broken")
        if changed:
            click.echo("| case | A | B | |\n|---|---|---|---|")
            for flip in changed:
                click.echo(f"| {flip['case_id']} | {flip['a']} | {flip['b']} | {flip['direction']} |")
    return 0


@eval_group.command("check-cases")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--checker", type=click.Choice(["auto", "bbjcpl", "builtin"]), default="auto", show_default=True)
def check_cases(files: tuple[Path, ...], checker: str) -> int:
    """Validate case files: fields, unique ids, every reference compiles and satisfies must_call."""
    from train.eval.cases import CaseError, load_case_file
    from train.eval.judge import Judge
    from train.eval.scoring import validate_cases

    try:
        cases = [case for path in files for case in load_case_file(path)]
    except CaseError as exc:
        return _report_problems(exc.diagnostics)
    judge = Judge.for_repository(Path.cwd(), checker)
    problems = validate_cases(cases, judge)
    if problems:
        for diagnostic in problems:
            click.echo(diagnostic.render(), err=True)
        return 1
    click.echo(f"{len(cases)} cases OK ({judge.checker.describe()})")
    return 0
