"""`bbj-train run`: train the configured stages (Stage 1 continued pretraining, Stage 2
instruction tuning) into a run folder; `--resume` continues a killed run from its last checkpoint."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console

if TYPE_CHECKING:
    from train.config import RunConfig


@click.command()
@click.option(
    "--config", "config_path", required=True, type=click.Path(path_type=Path, dir_okay=False), help="Run config (TOML), e.g. configs/qwen2.5-coder-14b.toml."
)
@click.option("--stages", default=None, metavar="cpt,sft", help="Stages to run, overriding the config's `stages` (e.g. --stages sft).")
@click.option(
    "--resume",
    is_flag=False,
    flag_value="latest",
    default=None,
    metavar="[RUN_DIR]",
    help="Continue the newest unfinished run of this config (or RUN_DIR) from its last checkpoint.",
)
@click.option(
    "--gpus",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Data-parallel workers, one per GPU (DDP through accelerate launch); without CUDA, CPU workers over gloo. The effective batch is multiplied by N.",
)
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override one config key (dotted, TOML value), e.g. --set sft.learning_rate=1e-4 (repeatable).",
)
@click.option(
    "--dry-run", is_flag=True, help="Print the resolved config, the data counts and the backend, run the pre-flight check, then stop (nothing is created)."
)
def run(config_path: Path, stages: str | None, resume: str | None, gpus: int, overrides: tuple[str, ...], dry_run: bool) -> int:  # fmt: skip
    """Train a QLoRA adapter: Stage 1 on the raw corpus, Stage 2 on the ChatML train split."""
    from train.config import Override, read_config
    from train.training.distributed import is_worker
    from train.training.runner import run_training

    # ConfigError and TrainingError are CurateErrors: run_cli prints their diagnostics, exit 2.
    parsed = [Override.parse(o) for o in overrides]
    if stages is not None:
        chosen = [s.strip() for s in stages.split(",") if s.strip()]
        parsed.insert(0, Override("stages", chosen, f"--stages {stages}"))
    config, source = read_config(config_path, parsed)
    if dry_run:
        from train.training.backends import choose_backend, preflight
        from train.training.records import data_counts

        click.echo(config_toml(config))
        for name, count in data_counts(config).items():
            click.echo(f"# {name}: {count}")
        backend = choose_backend(config.backend, source)
        click.echo(f"# backend: {backend.name} on {backend.device} ({backend.reason})")
        preflight(config, backend, source)  # the refusal a real run would meet, before it creates anything
        return 0
    argv = [Path(sys.argv[0]).name, *sys.argv[1:]]
    if gpus > 1 and not is_worker():
        from train.training.runner import launch_workers

        worker_args = ["--config", str(config_path), *(["--stages", stages] if stages is not None else []), *(f"--set={o}" for o in overrides)]
        launch_workers(config, source, argv, resume, Console(stderr=True), gpus, worker_args)
        return 0
    run_training(config, source, argv, resume, Console(stderr=True))
    return 0


def config_toml(config: RunConfig) -> str:
    """The resolved config as TOML (top-level keys first, then one table per section)."""
    data = config.model_dump(mode="json")
    tables = {key: value for key, value in data.items() if isinstance(value, dict)}
    lines = [f"{key} = {_toml_value(value)}" for key, value in data.items() if key not in tables and value is not None]
    for table, values in tables.items():
        lines += ["", f"[{table}]", *(f"{key} = {_toml_value(value)}" for key, value in values.items() if value is not None)]
    return "\n".join(lines)


def _toml_value(value: object) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(value) if isinstance(value, str) else repr(value)
