"""`bbj-train run`: train the configured stages (Stage 1 continued pretraining, Stage 2
instruction tuning) into a run folder; `--resume` continues a killed run from its last checkpoint."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console


@click.command()
@click.option("--config", "config_path", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="Run config (TOML), e.g. configs/qwen2.5-coder-14b.toml.")
@click.option("--stages", default=None, metavar="cpt,sft",
              help="Stages to run, overriding the config's `stages` (e.g. --stages sft).")
@click.option("--resume", is_flag=False, flag_value="latest", default=None, metavar="[RUN_DIR]",
              help="Continue the newest unfinished run of this config (or RUN_DIR) from its last checkpoint.")
@click.option("--gpus", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Data-parallel workers, one per GPU (DDP through accelerate launch); without CUDA, CPU "
                   "workers over gloo. The effective batch is multiplied by N.")
def run(config_path: Path, stages: str | None, resume: str | None, gpus: int) -> int:  # fmt: skip
    """Train a QLoRA adapter: Stage 1 on the raw corpus, Stage 2 on the ChatML train split."""
    from train.config import config_from_mapping, load_config
    from train.training.distributed import is_worker
    from train.training.runner import run_training

    # ConfigError and TrainingError are CurateErrors: run_cli prints their diagnostics, exit 2.
    config = load_config(config_path)
    if stages is not None:
        chosen = [s.strip() for s in stages.split(",") if s.strip()]
        config = config_from_mapping({**config.model_dump(mode="json"), "stages": chosen}, config_path)
    argv = [Path(sys.argv[0]).name, *sys.argv[1:]]
    if gpus > 1 and not is_worker():
        from train.training.runner import launch_workers

        worker_args = ["--config", str(config_path), *(["--stages", stages] if stages is not None else [])]
        launch_workers(config, config_path.read_text("utf-8"), argv, resume, Console(stderr=True), gpus, worker_args)
        return 0
    run_training(config, config_path.read_text("utf-8"), argv, resume, Console(stderr=True))
    return 0
