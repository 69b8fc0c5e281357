"""Metrics as JSONL (one record per optimizer step, per log and per evaluation) and the loss plot.

Records: {"stage", "kind": "step"|"train"|"eval", "step", ...}. A resumed stage first drops its
records past the checkpoint's step, so the file reads like one uninterrupted run."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from curate.atomic import write_bytes_atomic, write_text_atomic
from curate.jsonl import JsonLines
from curate.safeio import UnsafeFile
from train.training.rundir import RUN_FILE_LIMIT, refused


class MetricsLog:
    """Appends records to metrics.jsonl (flushed per record: a killed run keeps what it logged)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, record: dict[str, Any]) -> None:
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, sort_keys=True) + "\n")

    def records(self) -> list[dict[str, Any]]:
        """Every readable record; a line cut short by a kill is dropped. A metrics file that is
        not a regular file (a planted FIFO or device link) is TRN030, never read."""
        if not os.path.lexists(self.path):
            return []
        try:
            return [item.value for item in JsonLines(self.path, limit=RUN_FILE_LIMIT)]
        except UnsafeFile as exc:
            raise refused(self.path, exc) from None

    def rewind(self, stage: str, step: int) -> None:
        """Forget `stage`'s records after `step` (the checkpoint a resume starts from)."""
        kept = [r for r in self.records() if r.get("stage") != stage or int(r.get("step", 0)) <= step]
        write_text_atomic(self.path, "".join(json.dumps(r, sort_keys=True) + "\n" for r in kept))


class StepClock:
    """Tokens and seconds of each optimizer step, for tokens/s (eval and checkpoint time excluded)."""

    def __init__(self) -> None:
        self.real_tokens = 0
        self.slot_tokens = 0
        self.started = 0.0

    def count(self, real: int, slots: int) -> None:
        self.real_tokens += real
        self.slot_tokens += slots

    def start(self) -> None:
        self.real_tokens = self.slot_tokens = 0
        self.started = time.perf_counter()

    def stop(self) -> dict[str, float]:
        """This step's figures; with several workers, their tokens added up (a collective call:
        every worker calls it at the end of every step)."""
        from train.training.distributed import sum_over_workers

        seconds = max(time.perf_counter() - self.started, 1e-9)
        real, slots = sum_over_workers([self.real_tokens, self.slot_tokens])
        self.real_tokens, self.slot_tokens = int(real), int(slots)
        return {
            "tokens": self.real_tokens,
            "slot_tokens": self.slot_tokens,
            "seconds": round(seconds, 5),
            "tokens_per_s": round(self.real_tokens / seconds, 1),
            "non_padding_share": round(self.real_tokens / self.slot_tokens, 4) if self.slot_tokens else 0.0,
        }


@dataclass(frozen=True)
class KeptCheckpoint:
    """The checkpoint a stage kept as its adapter: the trainer's best by validation loss
    (`load_best_model_at_end`), which the run folder keeps beside the last one."""

    step: int
    eval_loss: float

    @property
    def label(self) -> str:
        return f"kept checkpoint (step {self.step}, validation {self.eval_loss:.4g})"


def kept_checkpoints(summaries: Mapping[str, Mapping[str, Any]]) -> dict[str, KeptCheckpoint]:
    """Each finished stage's kept checkpoint, read from its summary (stage.json: `best_checkpoint`,
    the trainer's own choice, and `best_eval_loss`). A stage without validation keeps its last
    step and gets no mark."""
    kept = {}
    for stage, summary in summaries.items():
        folder, loss = summary.get("best_checkpoint"), summary.get("best_eval_loss")
        step = Path(folder).name.removeprefix("checkpoint-") if isinstance(folder, str) else ""
        if step.isdigit() and isinstance(loss, int | float):
            kept[stage] = KeptCheckpoint(int(step), float(loss))
    return kept


def plot_losses(records: list[dict[str, Any]], out: Path, title: str, kept: Mapping[str, KeptCheckpoint] | None = None) -> None:
    """PNG of train and validation loss per stage (matplotlib Agg: no display needed), with a star
    on each stage's kept checkpoint (`kept_checkpoints`) and its own legend entry."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    kept = kept or {}
    stages = [s for s in ("cpt", "sft") if any(r.get("stage") == s for r in records)] or ["cpt"]
    figure, axes = plt.subplots(1, len(stages), figsize=(6 * len(stages), 4), squeeze=False)
    for axis, stage in zip(axes[0], stages, strict=True):
        for kind, key, label in (("train", "loss", "train"), ("eval", "eval_loss", "validation")):
            points = [(r["step"], r[key]) for r in records if r.get("stage") == stage and r.get("kind") == kind
                      and isinstance(r.get(key), int | float)]  # fmt: skip
            if points:
                xs, ys = zip(*points, strict=True)
                axis.plot(xs, ys, marker="o" if kind == "eval" else None, markersize=3, label=label)
        if stage in kept:
            mark = kept[stage]
            axis.plot([mark.step], [mark.eval_loss], linestyle="none", marker="*", markersize=14, color="crimson", label=mark.label)
        axis.set_title({"cpt": "Stage 1: continued pretraining", "sft": "Stage 2: instruction tuning"}[stage])
        axis.set_xlabel("optimizer step")
        axis.set_ylabel("loss")
        axis.grid(alpha=0.3)
        if axis.get_legend_handles_labels()[0]:
            axis.legend()
    figure.suptitle(title)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    plt.close(figure)
    write_bytes_atomic(out, buffer.getvalue())
