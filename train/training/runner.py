"""One run end to end: check inputs, open (or reopen) the run folder, pick the backend, load the
model once, run the stages in order (skipping finished ones, resuming a cut one from its last
checkpoint), then publish the final adapter and the loss plot."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from curate.atomic import write_text_atomic
from train.config import ConfigSource, RunConfig
from train.training.distributed import barrier, is_worker, launch, world
from train.training.errors import fail
from train.training.metrics import MetricsLog, kept_checkpoints, plot_losses
from train.training.records import stage_inputs
from train.training.rundir import RunDir, check_resumable, create_run, find_resumable

if TYPE_CHECKING:
    from train.training.backends import Backend


def run_training(config: RunConfig, source: ConfigSource, argv: list[str], resume: str | None,
                 console: Console) -> RunDir:  # fmt: skip
    """Train the configured stages; returns the run folder (its adapter/ holds the result).
    `source` says where each key was written, for the diagnostics of a refused config."""
    from train.training.backends import choose_backend, preflight

    backend = choose_backend(config.backend, source)  # before transformers/trl are imported: Unsloth patches them
    preflight(config, backend, source)  # refused here, nothing was created
    run = open_run(config, source.text, argv, resume, console)
    try:
        return _train(run, config, backend, resume is not None, console)
    except Exception as exc:  # a Ctrl-C or a kill is an interruption (resumable), not a failure
        run.mark_failed(exc)
        raise
    finally:
        run.unlock()


def _train(run: RunDir, config: RunConfig, backend: Backend, resume: bool, console: Console) -> RunDir:
    from train.training.backends import describe, load_adapter_weights, load_model

    _say(run, console, describe(backend, config))
    run.update_manifest(backend=backend.to_json())

    from train.training.stages import cpt_data, quiet_libraries, run_stage, sft_data

    quiet_libraries()

    model, tokenizer = load_model(config, backend)
    log = MetricsLog(run.metrics_path)
    summaries: dict[str, dict[str, Any]] = {}
    previous_adapter: Path | None = None
    for stage in config.stages:
        done = run.stage_done(stage)
        if done is not None:
            _say(run, console, f"{stage}: already done ({done['steps']} steps), skipped")
            summaries[stage] = done
            previous_adapter = run.stage_dir(stage) / "adapter"
            continue
        if previous_adapter is not None:
            load_adapter_weights(model, previous_adapter)
            _say(run, console, f"{stage}: starts from the adapter of {previous_adapter.parent.name}")
        data = (cpt_data if stage == "cpt" else sft_data)(config, tokenizer)
        found = run.last_checkpoint(stage) if resume else None
        checkpoint = found[0] if found else None
        if resume and run.writes:  # drop what the cut attempt logged past the restart point (all of it without a checkpoint)
            log.rewind(stage, found[1] if found else 0)
        if checkpoint is not None:
            _say(run, console, f"{stage}: resuming from {checkpoint.name}")
        _say(run, console, f"{stage}: training")
        summaries[stage] = run_stage(stage, config, model, tokenizer, data, run, backend, console, checkpoint)
        previous_adapter = run.stage_dir(stage) / "adapter"
        if run.writes:
            plot_losses(log.records(), run.path / "loss.png", f"{config.name}: {config.base_model}", kept_checkpoints(summaries))
        barrier()  # the next stage (on every worker) starts from the adapter the main worker saved

    assert previous_adapter is not None  # config validation guarantees at least one stage
    if run.writes:
        _publish(previous_adapter, run.adapter_dir)
        plot_losses(log.records(), run.path / "loss.png", f"{config.name}: {config.base_model}", kept_checkpoints(summaries))
    run.update_manifest(finished=time.strftime("%Y-%m-%dT%H:%M:%S%z"), stages=summaries)
    _say(run, console, f"done: adapter in {run.adapter_dir}")
    return run


def _base_identity(base_model: str) -> dict[str, str | None]:
    """Where the base was loaded from and its fingerprint, so `bbj-train export` can refuse to
    merge the adapter into another base (only for a local folder: a hub id is checked by shapes)."""
    from train.release.base import base_fingerprint
    from train.release.safetensors_stream import SafetensorsError
    from train.training.backends import base_source

    source = base_source(base_model)
    try:
        return {"source": source, "fingerprint": base_fingerprint(Path(source)) if Path(source).is_dir() else None}
    except SafetensorsError as exc:
        raise fail(source, "TRN040", f"base_model: unreadable safetensors file: {exc}") from None


def open_run(config: RunConfig, config_text: str, argv: list[str], resume: str | None, console: Console) -> RunDir:
    """A new run folder, or the one to resume after checking it still matches config and inputs."""
    inputs = stage_inputs(config).files
    if resume:
        run = find_resumable(config, resume)
        if not is_worker():  # --gpus workers train under their launcher's lock
            run.lock()  # before anything is checked or written: a second resume stops here (TRN032)
        try:
            check_resumable(run, config, inputs)
        except BaseException:
            run.unlock()
            raise
        run.update_manifest(failed=None)  # resumed by name: this attempt decides again
        if not is_worker():
            _say(run, console, f"resuming {run.path}")
        return run
    run = create_run(config, config_text, inputs, argv)
    run.lock()
    _say(run, console, f"run folder {run.path}")
    run.update_manifest(base=_base_identity(config.base_model))
    return run


def launch_workers(config: RunConfig, source: ConfigSource, argv: list[str], resume: str | None, console: Console,
                   processes: int, worker_args: list[str]) -> RunDir:  # fmt: skip
    """`--gpus N`: open the run folder here, then train it with N data-parallel workers, each started
    as `bbj-train run <worker_args> --resume <folder>` (see train/training/distributed.py)."""
    import torch

    cuda = torch.cuda.is_available()
    if cuda and torch.cuda.device_count() < processes:
        raise fail("--gpus", "TRN021", f"--gpus {processes}: this machine has {torch.cuda.device_count()} CUDA GPU(s)")
    run = open_run(config, source.text, argv, resume, console)
    where = f"{processes} GPUs (DDP through accelerate launch)" if cuda else f"{processes} CPU workers (gloo; no CUDA GPU here)"
    _say(run, console, f"training on {where}")
    try:
        status = launch(processes, cuda, [*worker_args, "--resume", str(run.path)])
    finally:
        run.unlock()
    if status != 0:
        raise fail(str(run.path), "TRN050", f"a training worker failed (exit {status}); continue with "
                                            f"--gpus {processes} --resume {run.path}")  # fmt: skip
    return run


def _publish(source: Path, target: Path) -> None:
    """Copy the last stage's adapter to run/adapter atomically (copy aside, then rename)."""
    staging = target.with_name(f".{target.name}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging)
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    write_text_atomic(target / "ADAPTER.md", _adapter_card(source))


def _adapter_card(source: Path) -> str:
    return (
        "# LoRA adapter\n\n"
        f"Trained by `bbj-train run`; copied from `{source.parent.name}/adapter`. The run folder beside it holds\n"
        "the config, input hashes, metrics and loss plot. The tokenizer here carries the ChatML chat\n"
        "template used in training: render prompts with it (`apply_chat_template(..., add_generation_prompt=True)`)\n"
        "and stop generation at `<|im_end|>`.\n"
    )


def _say(run: RunDir, console: Console, message: str) -> None:
    run.log(message)
    if world().main:
        console.print(f"[dim]bbj-train:[/dim] {message}", highlight=False, soft_wrap=True)  # one line per event, also in a log file
