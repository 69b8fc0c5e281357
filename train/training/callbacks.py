"""Trainer callbacks: per-step tokens/s and memory into metrics.jsonl, and a live progress line
(stage, step, loss, tokens/s, ETA) with rich; a plain line per log when stderr is not a terminal."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from transformers import TrainerCallback

from train.training.metrics import MetricsLog, StepClock

LOG_KEYS = ("loss", "eval_loss", "learning_rate", "grad_norm", "epoch")


def _synchronize() -> None:
    import torch

    if torch.cuda.is_available():
        torch.cuda.synchronize()


def _peak_memory() -> dict[str, float]:
    """Peak GPU memory so far: what tensors held (allocated) and what the caching allocator took from
    the card (reserved, what a smaller card must have free). Empty on CPU."""
    import torch

    if not torch.cuda.is_available():
        return {}
    return {"peak_gpu_gib": round(torch.cuda.max_memory_allocated() / 2**30, 3),
            "peak_reserved_gib": round(torch.cuda.max_memory_reserved() / 2**30, 3)}  # fmt: skip


class MetricsCallback(TrainerCallback):
    """Writes a 'step' record per optimizer step and a 'train'/'eval' record per log."""

    def __init__(self, log: MetricsLog, stage: str, clock: StepClock) -> None:
        self.log, self.stage, self.clock = log, stage, clock
        self.last_step: dict[str, Any] = {}

    def on_step_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        _synchronize()
        self.clock.start()

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        _synchronize()
        self.last_step = {"stage": self.stage, "kind": "step", "step": state.global_step, **self.clock.stop()}
        self.last_step.update(_peak_memory())  # the main worker's GPU (each worker holds a whole model copy)
        if state.is_world_process_zero:
            self.log.append(self.last_step)

    def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        values = {key: logs[key] for key in LOG_KEYS if logs and key in logs}
        if "loss" in values or "eval_loss" in values:
            kind = "eval" if "eval_loss" in values else "train"
            if state.is_world_process_zero:  # the logged losses are already averaged over the workers
                self.log.append({"stage": self.stage, "kind": kind, "step": state.global_step, **values})


class ProgressCallback(TrainerCallback):
    """The live line. Reads tokens/s from the metrics callback's last step."""

    def __init__(self, stage: str, metrics: MetricsCallback, console: Console) -> None:
        self.stage, self.metrics, self.console = stage, metrics, console
        self.loss = float("nan")
        self.progress: Progress | None = None
        self.task: TaskID | None = None

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if not self.console.is_terminal or not state.is_world_process_zero:
            return
        self.progress = Progress(
            TextColumn("[bold]{task.fields[stage]}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("loss {task.fields[loss]}"),
            TextColumn("{task.fields[tps]:,.0f} tok/s"),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self.console,
            transient=False,
        )
        self.progress.start()
        self.task = self.progress.add_task(self.stage, total=state.max_steps, completed=state.global_step, stage=self.stage, loss=self._loss(), tps=0.0)

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self.progress is not None and self.task is not None:
            tps = float(self.metrics.last_step.get("tokens_per_s", 0.0))
            self.progress.update(self.task, completed=state.global_step, loss=self._loss(), tps=tps)

    def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        logs = logs or {}
        if "loss" in logs:
            self.loss = float(logs["loss"])
            if self.progress is not None and self.task is not None:
                self.progress.update(self.task, loss=self._loss())
        if self.progress is None and state.is_world_process_zero and ("loss" in logs or "eval_loss" in logs):
            shown = "  ".join(f"{k} {logs[k]:.4g}" for k in ("loss", "eval_loss", "learning_rate") if k in logs)
            tps = self.metrics.last_step.get("tokens_per_s", 0.0)
            self.console.print(f"{self.stage} step {state.global_step}/{state.max_steps}  {shown}  {tps:,.0f} tok/s",
                               highlight=False)  # fmt: skip

    def _loss(self) -> str:
        return "-" if self.loss != self.loss else f"{self.loss:.4f}"

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None
