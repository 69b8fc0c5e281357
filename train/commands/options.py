"""Options and helpers shared by the data commands."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from curate.config import CurateConfig, load_config
from curate.errors import require_existing
from curate.safeio import OutputGuard, OutputUnwritable
from curate.schema import STATUSES


def status_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--status` (repeatable or comma-separated, default approved) and `--all`."""
    func = click.option("--all", "all_statuses", is_flag=True, help="Export every status but rejected (early experiments).")(func)
    return click.option(
        "--status", "statuses", multiple=True, metavar="STATUS[,STATUS]",
        help=f"Statuses to export (default: trainable-statuses, i.e. approved; any of {', '.join(STATUSES)}).",
    )(func)  # fmt: skip


def chosen_statuses(statuses: tuple[str, ...], all_statuses: bool, config: CurateConfig) -> tuple[str, ...] | None:
    """None means every status but rejected; the default is the configured `trainable-statuses`."""
    if all_statuses:
        return None
    chosen = tuple(dict.fromkeys(s.strip() for value in statuses for s in value.split(",") if s.strip())) or tuple(config.trainable_statuses)
    unknown = [s for s in chosen if s not in STATUSES]
    if unknown:
        raise click.BadParameter(f"unknown status {', '.join(unknown)}; expected {', '.join(STATUSES)}", param_hint="--status")
    return chosen


def config_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--config", "config_file", type=click.Path(path_type=Path, dir_okay=False, exists=True),
        help="A pyproject.toml or TOML file with [tool.bbj-curate] settings (topics, ...).",
    )(func)  # fmt: skip


def resolve_config(paths: list[Path], config_file: Path | None) -> CurateConfig:
    """The `[tool.bbj-curate]` config for `paths`; a missing path or a bad config raises a
    CurateError (exit 2)."""
    require_existing(paths)
    return load_config(paths or None, config_file)


def force_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--force", is_flag=True,
        help="Replace existing output files this command did not write (never one of its inputs).",
    )(func)  # fmt: skip


def output_guard(command: str, inputs: Iterable[Path], force: bool) -> OutputGuard:
    """The output rule of `bbj-train <command>` (curate.safeio.OutputGuard)."""
    return OutputGuard(f"bbj-train {command}", inputs, force)


def example_inputs(paths: list[Path], config: CurateConfig) -> list[Path]:
    """Every example file under `paths`: a command reading them must never write over one."""
    from curate.discover import discover

    return [target.path for target in discover(paths, config)[0]]


def prepare_out_dir(out: Path) -> Path:
    """Create the output folder; a file in the way or an unwritable place is a usage error."""
    if out.exists() and not out.is_dir():
        raise click.UsageError(f"--out {out} exists and is not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputUnwritable(f"--out {out}: cannot create the folder: {exc.strerror or exc.__class__.__name__}") from None
    return out


def benchmark_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--benchmark FILE` (repeatable; default: the shipped benchmark when present) and `--no-benchmark-guard`."""
    func = click.option("--no-benchmark-guard", is_flag=True, help="Do not drop records that near-duplicate a benchmark case.")(func)
    return click.option(
        "--benchmark", "benchmarks", multiple=True, type=click.Path(path_type=Path, dir_okay=False, exists=True),
        help="Eval case file whose cases must stay out of training (default: benchmark/bbj-bench-v1.jsonl when present).",
    )(func)  # fmt: skip


def benchmark_cases(benchmarks: tuple[Path, ...], disabled: bool) -> tuple[list[Any], list[Path]]:
    """(cases, files) to guard against; a broken case file is a usage error naming its line."""
    from train.data.benchmark_guard import benchmark_paths, load_benchmark
    from train.eval.cases import CaseError

    paths = benchmark_paths(benchmarks, disabled)
    try:
        return load_benchmark(paths), paths
    except CaseError as exc:
        raise click.UsageError(f"benchmark file is not valid:\n{exc}") from None


def report_benchmark_drops(dropped: list[dict[str, str]]) -> None:
    for entry in dropped:
        click.echo(f"{entry['id']}: dropped, near duplicate of benchmark case {entry['reason'].split(':', 1)[1]}", err=True)
